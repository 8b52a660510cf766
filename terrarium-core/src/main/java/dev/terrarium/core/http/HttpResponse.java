package dev.terrarium.core.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A response as the codecs produce it: status, headers and a body (bytes, or a stream of known length). */
public final class HttpResponse {
    private int status;
    private final Headers headers = new Headers();
    private byte[] body = new byte[0];
    private InputStream bodyStream;
    private long streamLength = -1;

    public HttpResponse(int status) {
        this.status = status;
    }

    public static HttpResponse of(int status, String contentType, byte[] body) {
        HttpResponse r = new HttpResponse(status);
        if (contentType != null) {
            r.headers.set("Content-Type", contentType);
        }
        r.body = body;
        return r;
    }

    public static HttpResponse text(int status, String contentType, String body) {
        return of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public int status() { return status; }
    public HttpResponse status(int s) { this.status = s; return this; }
    public Headers headers() { return headers; }
    public HttpResponse header(String name, String value) { headers.set(name, value); return this; }

    /** Sets a header unless one of that name is already there (a modeled member wins over a default). */
    public HttpResponse headerIfAbsent(String name, String value) {
        if (!headers.has(name)) {
            headers.set(name, value);
        }
        return this;
    }

    public byte[] body() { return body; }
    public HttpResponse body(byte[] b) { this.body = b; this.bodyStream = null; return this; }

    /** A streamed body; length -1 when unknown (sent chunked). */
    public HttpResponse body(InputStream stream, long length) {
        this.bodyStream = stream;
        this.streamLength = length;
        this.body = null;
        return this;
    }

    public boolean isStreamed() { return bodyStream != null; }
    public InputStream bodyStream() { return bodyStream != null ? bodyStream : new ByteArrayInputStream(body); }
    public long bodyLength() { return bodyStream != null ? streamLength : body.length; }

    public String bodyText() { return body == null ? "" : new String(body, StandardCharsets.UTF_8); }
}
