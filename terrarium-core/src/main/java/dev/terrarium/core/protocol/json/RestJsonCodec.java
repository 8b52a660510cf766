package dev.terrarium.core.protocol.json;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.protocol.ErrorResolver;
import dev.terrarium.core.protocol.ErrorResolver.ResolvedError;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.protocol.rest.RestBindings;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.protocol.EventStreamBody;
import dev.terrarium.core.service.EventStream;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * restJson1: the operation from the HTTP method and the model's URI templates; members bound to
 * the URI, query string, headers and status code (see {@link RestBindings}); the rest in a JSON
 * body, or the payload member alone as the body (raw bytes for blobs and strings, a stream for
 * streaming blobs, JSON for structures and documents). Errors carry their name in x-amzn-ErrorType
 * and the message in the body under the model's spelling ("message" or "Message").
 */
public final class RestJsonCodec implements ProtocolCodec {
    public static final String CONTENT_TYPE = "application/json";

    private final RestBindings bindings = new RestBindings();

    public RestJsonCodec() {
    }

    @Override
    public Protocol protocol() { return Protocol.REST_JSON_1; }

    @Override
    public Operation resolveOperation(ServiceModel model, HttpRequest request) {
        return bindings.resolveOperation(model, request);
    }

    @Override
    public AwsException unresolvedOperation(ServiceModel model, HttpRequest request) {
        return new AwsException("UnknownOperationException",
                "No operation matches " + request.method() + " " + request.rawPath(), 404);
    }

    @Override
    public Struct parseRequest(ServiceModel model, Operation operation, HttpRequest request) {
        Shape input = operation.input();
        Struct in = new Struct();
        if (input == null) {
            return in;
        }
        Map<String, String> labels = bindings.labels(operation, request);
        bindings.readRequest(operation, request, labels, in);
        Member payload = RestBindings.payloadMember(input);
        if (payload != null) {
            in.put(payload.name(), readPayload(payload, request));
        } else if (!input.bodyMembers().isEmpty()) {
            Struct body = JsonShapeReader.readStruct(input, JsonShapeReader.parse(request.body()), RestBindings::inBody);
            body.asMap().forEach(in::put);
        }
        return in;
    }

    private static Object readPayload(Member payload, HttpRequest request) {
        Shape s = payload.shape();
        if (s.type() == ShapeType.BLOB && payload.streaming()) {
            String length = request.header("Content-Length");
            long len = -1;
            try {
                len = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException ignored) {
                // unknown length
            }
            return new StreamingBody(request.bodyStream(), len, request.header("Content-Type"));
        }
        byte[] body = request.body();
        if (body.length == 0) {
            return null;
        }
        if (s.type() == ShapeType.BLOB) {
            return body;
        }
        if (s.type() == ShapeType.STRING) {
            return new String(body, StandardCharsets.UTF_8);
        }
        return JsonShapeReader.readValue(s, payload.timestampFormat(), JsonShapeReader.parse(body));
    }

    @Override
    public HttpResponse serializeResponse(ServiceModel model, Operation operation, Struct output, String requestId) {
        HttpResponse r = new HttpResponse(operation.responseCode());
        Shape shape = operation.output();
        Struct body = bindings.writeResponse(shape, output, r);
        Member payload = RestBindings.payloadMember(shape);
        if (payload != null) {
            if (payload.shape().eventStream() && body.get(payload.name()) instanceof EventStream events) {
                EventStreamBody.respond(r, payload.shape(), events, EventStreamBody.JSON, null);
            } else {
                writePayload(r, payload, body.get(payload.name()));
            }
        } else if (r.status() != 204 && r.status() != 304) {
            r.body(JsonShapeWriter.write(shape, body, RestBindings::inBody));
            r.headerIfAbsent("Content-Type", CONTENT_TYPE);
        }
        if (requestId != null) {
            r.header(AwsJsonCodec.REQUEST_ID_HEADER, requestId);
        }
        return r;
    }

    private static void writePayload(HttpResponse r, Member payload, Object v) {
        Shape s = payload.shape();
        if (v == null) {
            return;
        }
        if (v instanceof StreamingBody sb) {
            r.body(sb.stream(), sb.length());
            r.headerIfAbsent("Content-Type", sb.contentType() != null ? sb.contentType() : "application/octet-stream");
        } else if (s.type() == ShapeType.BLOB) {
            r.body(v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8));
            r.headerIfAbsent("Content-Type", "application/octet-stream");
        } else if (s.type() == ShapeType.STRING) {
            r.body(v.toString().getBytes(StandardCharsets.UTF_8));
            r.headerIfAbsent("Content-Type", "text/plain");
        } else {
            r.body(JsonShapeWriter.writeValue(s, v));
            r.headerIfAbsent("Content-Type", CONTENT_TYPE);
        }
    }


    @Override
    public HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId) {
        ResolvedError r = ErrorResolver.resolve(model, error);
        HttpResponse resp = new HttpResponse(r.status());
        if (r.shape() != null) {
            bindings.writeResponse(r.shape(), error.fields(), resp);
            resp.status(r.status());
        }
        resp.body(JsonShapeWriter.generate(g -> {
            g.writeStartObject();
            JsonErrors.writeFields(g, r, error);
            g.writeEndObject();
        }));
        resp.header("Content-Type", CONTENT_TYPE);
        resp.header(AwsJsonCodec.ERROR_TYPE_HEADER, r.shapeName());
        if (requestId != null) {
            resp.header(AwsJsonCodec.REQUEST_ID_HEADER, requestId);
        }
        return resp;
    }
}
