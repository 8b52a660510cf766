package dev.terrarium.core.robustness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: the bad requests no HTTP client library will send
 * (raw bytes in paths and headers, no Host, HTTP/1.0, TRACE, lying Content-Length...).
 */
final class RawHttp {
    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** One request as sent: request line, headers in order, body. */
    static final class Request {
        String method;
        byte[] target;
        String version = "HTTP/1.1";
        final List<String[]> headers = new ArrayList<>();
        byte[] body = new byte[0];
        boolean host = true;
        boolean contentLength = true;

        Request(String method, String target) {
            this(method, target.getBytes(StandardCharsets.UTF_8));
        }

        Request(String method, byte[] target) {
            this.method = method;
            this.target = target;
        }

        Request header(String name, String value) {
            headers.add(new String[]{name, value});
            return this;
        }

        Request body(byte[] b) {
            body = b;
            return this;
        }

        Request body(String s) {
            return body(s.getBytes(StandardCharsets.UTF_8));
        }

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        Request removeHeader(String name) {
            headers.removeIf(h -> h[0].equalsIgnoreCase(name));
            return this;
        }

        Request copy() {
            Request r = new Request(method, target.clone());
            r.version = version;
            headers.forEach(h -> r.headers.add(h.clone()));
            r.body = body.clone();
            r.host = host;
            r.contentLength = contentLength;
            return r;
        }

        byte[] bytes(int port) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 + body.length);
            out.writeBytes((method + " ").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(target);
            out.writeBytes((" " + version + "\r\n").getBytes(StandardCharsets.UTF_8));
            if (host && header("Host") == null) {
                out.writeBytes(("Host: 127.0.0.1:" + port + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            for (String[] h : headers) {
                out.writeBytes((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (contentLength && header("Content-Length") == null && header("Transfer-Encoding") == null) {
                out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            return out.toByteArray();
        }

        @Override
        public String toString() {
            String t = new String(target, StandardCharsets.UTF_8);
            return method + " " + (t.length() > 120 ? t.substring(0, 120) + "..." : t) + " " + headers.size()
                    + " headers, " + body.length + " body bytes";
        }
    }

    /** The answer: status, lower-cased headers, body (de-chunked). */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + headers + " " + (t.length() > 600 ? t.substring(0, 600) + "..." : t);
        }
    }

    Reply send(Request request) {
        return sendBytes(request.bytes(port), !"HEAD".equals(request.method));
    }

    /** Sends bytes as they are and reads one response (the server closes the connection after it). */
    Reply sendBytes(byte[] bytes, boolean expectBody) {
        return sendBytes(bytes, expectBody, false);
    }

    /** halfClose: shut the output after sending, so that the server sees the end of an incomplete request. */
    Reply sendBytes(byte[] bytes, boolean expectBody, boolean halfClose) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            return read(s.getInputStream(), expectBody);
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + new String(bytes, 0, Math.min(bytes.length, 200),
                    StandardCharsets.ISO_8859_1), e);
        }
    }

    static Reply read(InputStream in, boolean expectBody) throws IOException {
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed without a response");
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String h;
            while ((h = line(in)) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(h.substring(colon + 1).trim());
            }
            if (status == 100) {
                continue;
            }
            byte[] body;
            List<String> te = headers.get("transfer-encoding");
            List<String> cl = headers.get("content-length");
            if (!expectBody || status == 204 || status == 304) {
                body = new byte[0];
            } else if (te != null && te.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
                body = dechunk(in);
            } else if (cl != null) {
                body = in.readNBytes(Integer.parseInt(cl.get(0)));
            } else {
                body = in.readAllBytes();
            }
            return new Reply(status, headers, body);
        }
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return out.toByteArray();
            }
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (true) {
                    String trailer = line(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return out.toByteArray();
                    }
                }
            }
            out.writeBytes(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
