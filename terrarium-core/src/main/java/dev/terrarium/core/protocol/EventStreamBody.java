package dev.terrarium.core.protocol;

import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.protocol.json.JsonShapeWriter;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.EventStream;
import dev.terrarium.core.service.Struct;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The body of a response whose output has an event stream member: the {@link EventStream}'s events as messages of
 * application/vnd.amazon.eventstream, read as they come (the response is sent chunked). Each event is the union
 * member's shape written by the protocol ({@link Format}); a member bound as the event payload is written alone
 * (a blob raw as application/octet-stream). A modeled exception ends the stream as an exception message, any
 * other error as an error message. Closing the body (the response written or abandoned) closes the stream.
 */
public final class EventStreamBody extends InputStream {
    public static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    /** How the protocol writes a structure in a message payload. */
    public interface Format {
        String contentType();

        byte[] write(Shape shape, String rootName, Struct value);
    }

    /** Events of JSON protocols: each structure as a JSON object. */
    public static final Format JSON = new Format() {
        @Override
        public String contentType() {
            return "application/json";
        }

        @Override
        public byte[] write(Shape shape, String rootName, Struct value) {
            return JsonShapeWriter.write(shape, value);
        }
    };

    private final Shape streamShape;
    private final EventStream stream;
    private final Format format;
    private byte[] current;
    private int pos;
    private boolean finished;

    /** initial: a message sent first (awsJson's initial-response), or null. */
    public EventStreamBody(Shape streamShape, EventStream stream, Format format, byte[] initial) {
        this.streamShape = streamShape;
        this.stream = stream;
        this.format = format;
        this.current = initial;
    }

    /** The output member whose shape is an event stream, or null. */
    public static Member streamMember(Shape output) {
        if (output == null) {
            return null;
        }
        for (Member m : output.members().values()) {
            if (m.shape().eventStream()) {
                return m;
            }
        }
        return null;
    }

    /** Sets the response to stream the events: HTTP 200 unless set otherwise, chunked, the event stream type. */
    public static void respond(HttpResponse r, Shape streamShape, EventStream stream, Format format, byte[] initial) {
        r.header("Content-Type", CONTENT_TYPE);
        r.body(new EventStreamBody(streamShape, stream, format, initial), -1);
    }

    /** awsJson's first message: the output's other members as a JSON object. */
    public static byte[] initialResponse(byte[] json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", "initial-response");
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        return EventStreamMessage.encode(headers, json);
    }

    /** The message of one event of the stream. */
    public static byte[] eventMessage(Shape streamShape, Format format, String memberName, Struct value) {
        Member member = streamShape.member(memberName);
        if (member == null) {
            throw new IllegalArgumentException("no event " + memberName + " in " + streamShape.name());
        }
        Shape shape = member.shape();
        Member payload = null;
        for (Member m : shape.members().values()) {
            if (m.eventPayload()) {
                payload = m;
            }
        }
        if (payload == null) {
            return EventStreamMessage.event(memberName, format.contentType(), format.write(shape, shape.name(), value));
        }
        Object v = value.get(payload.name());
        Shape ps = payload.shape();
        if (ps.type() == ShapeType.BLOB) {
            byte[] bytes = v == null ? new byte[0] : v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8);
            return EventStreamMessage.event(memberName, "application/octet-stream", bytes);
        }
        if (ps.type() == ShapeType.STRING) {
            return EventStreamMessage.event(memberName, "text/plain",
                    v == null ? new byte[0] : v.toString().getBytes(StandardCharsets.UTF_8));
        }
        Struct s = v instanceof Struct st ? st : Struct.empty();
        return EventStreamMessage.event(memberName, format.contentType(), format.write(ps, ps.name(), s));
    }

    /** The message ending the stream with an error: the modeled exception member of that code, else an error. */
    public static byte[] errorMessage(Shape streamShape, Format format, AwsException error) {
        for (Member m : streamShape.members().values()) {
            Shape s = m.shape();
            if (s.exception() && (m.name().equals(error.code()) || s.name().equals(error.code()))) {
                Struct fields = new Struct();
                if (error.fields() != null) {
                    error.fields().asMap().forEach(fields::put);
                }
                String key = s.member("Message") != null ? "Message" : "message";
                if (error.getMessage() != null && !fields.has(key)) {
                    fields.put(key, error.getMessage());
                }
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put(":exception-type", m.name());
                headers.put(":content-type", format.contentType());
                headers.put(":message-type", "exception");
                return EventStreamMessage.encode(headers, format.write(s, s.name(), fields));
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":error-code", error.code());
        headers.put(":error-message", error.getMessage() == null ? "" : error.getMessage());
        headers.put(":message-type", "error");
        return EventStreamMessage.encode(headers, new byte[0]);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (current == null || pos == current.length) {
            if (finished) {
                return -1;
            }
            current = nextMessage();
            pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    private byte[] nextMessage() throws IOException {
        try {
            while (true) {
                Object item = stream.next(1, TimeUnit.SECONDS);
                if (item instanceof EventStream.Event e) {
                    return eventMessage(streamShape, format, e.member(), e.value());
                }
                if (item instanceof EventStream.End end) {
                    finished = true;
                    return end.error() == null ? null : errorMessage(streamShape, format, end.error());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (RuntimeException e) {
            finished = true;
            return errorMessage(streamShape, format, AwsException.internal("We encountered an internal error. Please try again."));
        }
    }

    @Override
    public void close() {
        finished = true;
        stream.close();
    }
}
