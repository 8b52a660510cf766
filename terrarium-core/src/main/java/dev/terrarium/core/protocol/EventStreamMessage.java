package dev.terrarium.core.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One message of AWS's event stream encoding (application/vnd.amazon.eventstream): a prelude (total length,
 * headers length, CRC32 of both), headers (name, type 7 = string, value), the payload and a CRC32 of all before.
 * Used for streamed responses such as Lambda's InvokeWithResponseStream.
 */
public final class EventStreamMessage {
    private static final byte STRING = 7;

    private EventStreamMessage() {
    }

    /** An event of a stream: :message-type event, :event-type, :content-type, then the payload. */
    public static byte[] event(String eventType, String contentType, byte[] payload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":event-type", eventType);
        if (contentType != null) {
            headers.put(":content-type", contentType);
        }
        headers.put(":message-type", "event");
        return encode(headers, payload);
    }

    /** A modeled error ending the stream: :message-type exception and :exception-type. */
    public static byte[] exception(String exceptionType, byte[] jsonPayload) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":exception-type", exceptionType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "exception");
        return encode(headers, jsonPayload);
    }

    /** A message with string headers. */
    public static byte[] encode(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (name.length > 255 || value.length > 32767) {
                throw new IllegalArgumentException("event stream header too long: " + e.getKey());
            }
            h.write(name.length);
            h.writeBytes(name);
            h.write(STRING);
            h.write(value.length >>> 8);
            h.write(value.length & 0xff);
            h.writeBytes(value);
        }
        byte[] headerBytes = h.toByteArray();
        int total = 12 + headerBytes.length + payload.length + 4;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(headerBytes.length);
        b.putInt((int) crc(b.array(), 0, 8));
        b.put(headerBytes).put(payload);
        b.putInt((int) crc(b.array(), 0, total - 4));
        return b.array();
    }

    /** Decodes one message (for tests and clients): its headers, with the payload under the key "" as a string. */
    public static Map<String, Object> decode(byte[] message) {
        ByteBuffer b = ByteBuffer.wrap(message);
        int total = b.getInt();
        int headersLength = b.getInt();
        int preludeCrc = b.getInt();
        if (total != message.length || preludeCrc != (int) crc(message, 0, 8)
                || b.getInt(total - 4) != (int) crc(message, 0, total - 4)) {
            throw new IllegalArgumentException("bad event stream message");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        int end = 12 + headersLength;
        while (b.position() < end) {
            byte[] name = new byte[b.get() & 0xff];
            b.get(name);
            byte type = b.get();
            if (type != STRING) {
                throw new IllegalArgumentException("only string headers are decoded, not type " + type);
            }
            byte[] value = new byte[b.getShort() & 0xffff];
            b.get(value);
            out.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
        }
        byte[] payload = new byte[total - end - 4];
        b.get(payload);
        out.put("", payload);
        return out;
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 c = new CRC32();
        c.update(bytes, offset, length);
        return c.getValue();
    }
}
