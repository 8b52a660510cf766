package dev.terrarium.core.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request as the codecs, routing and auth see it, free of Jetty: method, raw path, raw query
 * (and its decoded parameters), headers and a body read at most once.
 */
public final class HttpRequest {
    /** The largest body {@link #body()} reads into memory unless told otherwise; streamed bodies have no limit. */
    public static final long DEFAULT_MAX_BODY_BYTES = 20L * 1024 * 1024;

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Headers headers;
    private final Map<String, List<String>> query;
    private InputStream bodyStream;
    /** The connection's body as it arrived, whoever took or wrapped it since: what drainUnread reads out. */
    private InputStream source;
    private byte[] body;
    private final String remoteAddress;
    private Map<String, List<String>> form;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private boolean tooLarge;
    /** The request this one re-addresses (see {@link #withRawPath}); body state lives there. */
    private final HttpRequest original;
    private ResponseExtras responseExtras;

    public HttpRequest(String method, String rawPath, String rawQuery, Headers headers, InputStream body,
                       String remoteAddress) {
        this.method = method;
        this.rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        this.rawQuery = rawQuery == null ? "" : rawQuery;
        this.headers = headers;
        this.bodyStream = body;
        this.source = body;
        this.query = parseQuery(this.rawQuery);
        this.remoteAddress = remoteAddress;
        this.original = null;
    }

    private HttpRequest(HttpRequest original, String rawPath) {
        this.method = original.method;
        this.rawPath = rawPath;
        this.rawQuery = original.rawQuery;
        this.headers = original.headers;
        this.query = original.query;
        this.remoteAddress = original.remoteAddress;
        this.original = original.root();
    }

    private HttpRequest root() { return original == null ? this : original; }

    /**
     * The same request addressed to another path (S3's virtual-host style becomes path style), sharing
     * headers, body and response extras with this one; signatures are still checked on the original.
     */
    public HttpRequest withRawPath(String newRawPath) {
        return new HttpRequest(this, newRawPath == null || newRawPath.isEmpty() ? "/" : newRawPath);
    }

    /** What a service adds to its response beyond the modeled output: a status (S3's 206) and extra headers. */
    public ResponseExtras responseExtras() {
        HttpRequest r = root();
        if (r.responseExtras == null) {
            r.responseExtras = new ResponseExtras();
        }
        return r.responseExtras;
    }

    /** The response extras if any were set, else null. */
    public ResponseExtras responseExtrasIfAny() { return root().responseExtras; }

    public static HttpRequest of(String method, String pathAndQuery, Headers headers, byte[] body) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        HttpRequest r = new HttpRequest(method, path, query, headers, null, "127.0.0.1");
        r.body = body == null ? new byte[0] : body;
        return r;
    }

    public String method() { return method; }
    /** The path as sent, still percent-encoded. */
    public String rawPath() { return rawPath; }
    /** The query string as sent (without '?'), still percent-encoded; "" when none. */
    public String rawQuery() { return rawQuery; }
    public Headers headers() { return headers; }
    public String header(String name) { return headers.get(name); }
    public String remoteAddress() { return remoteAddress; }

    /** Decoded query parameters in order; a key without '=' has the value "". */
    public Map<String, List<String>> query() { return query; }

    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The parameters of a form-encoded POST body (Content-Type application/x-www-form-urlencoded, or none),
     * parsed once; empty for other requests.
     */
    public Map<String, List<String>> formParams() {
        if (form == null) {
            form = isFormPost() ? parseQuery(new String(body(), StandardCharsets.UTF_8)) : Map.of();
        }
        return form;
    }

    private boolean isFormPost() {
        if (!"POST".equalsIgnoreCase(method)) {
            return false;
        }
        String type = headers.get("content-type");
        return type == null || type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** The host without port, lower-cased, or "". */
    public String host() {
        String host = headers.get("host");
        if (host == null) {
            return "";
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return (colon < 0 ? host : host.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
    }

    /** Sets the most {@link #body()} will read into memory (it does not limit {@link #bodyStream()}). */
    public void limitBody(long maxBytes) {
        if (original != null) {
            original.limitBody(maxBytes);
            return;
        }
        this.maxBodyBytes = maxBytes;
    }

    public long bodyLimit() { return original != null ? original.bodyLimit() : maxBodyBytes; }

    /**
     * The whole body, read once and kept.
     *
     * @throws BodyTooLargeException when it is larger than the limit: at once when Content-Length says so,
     *                               else after reading one byte more than the limit, never the rest
     */
    public byte[] body() {
        if (original != null) {
            return original.body();
        }
        if (body == null) {
            if (tooLarge || declaredLength() > maxBodyBytes) {
                tooLarge = true;
                throw new BodyTooLargeException(maxBodyBytes);
            }
            try (InputStream in = bodyStream) {
                byte[] read = in == null ? new byte[0] : readAll(in, declaredLength());
                if (read.length > maxBodyBytes) {
                    tooLarge = true;
                    bodyStream = null;
                    throw new BodyTooLargeException(maxBodyBytes);
                }
                body = read;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bodyStream = null;
        }
        return body;
    }

    /**
     * Reads to the end, at most one byte past the limit. With a Content-Length the buffer is sized to it
     * (rather than growing 8 KiB chunks and copying them), and a body longer than declared is still read whole.
     */
    private byte[] readAll(InputStream in, long declared) throws IOException {
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1);
        if (declared < 0 || declared >= cap) {
            return in.readNBytes(cap);
        }
        byte[] declaredPart = in.readNBytes((int) declared);
        int next = declaredPart.length < declared ? -1 : in.read();
        if (next < 0) {
            return declaredPart;
        }
        byte[] rest = in.readNBytes(cap - declaredPart.length - 1);
        byte[] all = new byte[declaredPart.length + 1 + rest.length];
        System.arraycopy(declaredPart, 0, all, 0, declaredPart.length);
        all[declaredPart.length] = (byte) next;
        System.arraycopy(rest, 0, all, declaredPart.length + 1, rest.length);
        return all;
    }

    /** Content-Length as sent, or -1 when absent or unreadable. */
    private long declaredLength() {
        String length = headers == null ? null : headers.get("content-length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body as a stream; for large payloads that must not be buffered. */
    public InputStream bodyStream() {
        if (original != null) {
            return original.bodyStream();
        }
        if (body != null) {
            return new ByteArrayInputStream(body);
        }
        InputStream in = bodyStream == null ? InputStream.nullInputStream() : bodyStream;
        bodyStream = null;
        body = null;
        return in;
    }

    /**
     * Reads and drops what is left of a body nobody read, when the client declared it at most maxBytes long,
     * so that an answer sent before the body (an error) does not reset a client still writing it.
     */
    public void drainUnread(long maxBytes) {
        if (original != null) {
            original.drainUnread(maxBytes);
            return;
        }
        if (source == null) {
            return;
        }
        long declared = declaredLength();
        if (declared < 0 || declared > maxBytes) {
            return;
        }
        // the source, not bodyStream: a streaming payload handed to a service that answered without reading it
        // (UploadPart to an unknown upload) is no longer in bodyStream but still waits on the connection
        try (InputStream in = source) {
            in.skip(declared);
            while (in.read() >= 0) {
                // chunked or mis-declared: read on up to the end
            }
        } catch (IOException | RuntimeException e) {
            // the answer is already decided; a body that fails to arrive changes nothing
        } finally {
            bodyStream = null;
            source = null;
        }
    }

    /** Replace the body (after aws-chunked decoding, for instance). */
    public void replaceBody(byte[] newBody) {
        if (original != null) {
            original.replaceBody(newBody);
            return;
        }
        this.form = null;
        this.body = newBody;
        this.bodyStream = null;
        this.tooLarge = false;
    }

    public void replaceBody(InputStream newBody) {
        if (original != null) {
            original.replaceBody(newBody);
            return;
        }
        this.form = null;
        this.body = null;
        this.bodyStream = newBody;
        this.tooLarge = false;
    }

    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        }
        return params;
    }

    /** Form/query decoding ('+' is a space); malformed escapes are kept literally. */
    public static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String toString() { return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery); }
}
