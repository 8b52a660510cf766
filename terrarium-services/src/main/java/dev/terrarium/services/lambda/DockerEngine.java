package dev.terrarium.services.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The few Docker Engine API calls Lambda needs, over HTTP/1.1 on the engine's unix socket (or tcp://), one connection
 * per call: no client library. The endpoint is {@code -Dterrarium.docker.host}, else TERRARIUM_DOCKER_HOST, else
 * DOCKER_HOST, else unix:///var/run/docker.sock.
 */
final class DockerEngine {
    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    /** A call the engine refused (status and the engine's message), or that could not reach it (status 0). */
    static final class DockerException extends IOException {
        final int status;

        DockerException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    final String endpoint;

    DockerEngine(String endpoint) {
        if (!endpoint.startsWith("unix://") && !endpoint.startsWith("tcp://") && !endpoint.startsWith("http://")) {
            throw new IllegalArgumentException("Docker endpoint must be unix://PATH or tcp://HOST:PORT, not " + endpoint);
        }
        this.endpoint = endpoint;
    }

    /** The engine the configuration names, read now (a test or a restart may change it). */
    static DockerEngine configured() {
        String host = System.getProperty("terrarium.docker.host");
        if (host == null || host.isBlank()) {
            host = System.getenv("TERRARIUM_DOCKER_HOST");
        }
        if (host == null || host.isBlank()) {
            host = System.getenv("DOCKER_HOST");
        }
        return new DockerEngine(host == null || host.isBlank() ? DEFAULT_HOST : host.trim());
    }

    // --- the API calls

    /** GET /_ping: the engine answers. */
    void ping() throws IOException {
        call("GET", "/_ping", null).check("ping");
    }

    /** GET /images/{name}/json: the image's description, or null when the engine does not have it. */
    Map<String, Object> inspectImage(String reference) throws IOException {
        Response r = call("GET", "/images/" + reference + "/json", null);
        return r.status == 404 ? null : r.check("inspect image " + reference).json();
    }

    /** POST /images/create: pulls the image; the engine reports failures in its progress stream as well. */
    void pull(String repository, String tagOrDigest) throws IOException {
        Response r = call("POST", "/images/create?fromImage=" + encode(repository) + "&tag=" + encode(tagOrDigest), null);
        r.check("pull " + repository);
        for (String line : new String(r.body, StandardCharsets.UTF_8).split("\n")) {
            Map<String, Object> progress = Json.object(line.getBytes(StandardCharsets.UTF_8));
            if (progress != null && progress.get("error") != null) {
                throw new DockerException(r.status, String.valueOf(progress.get("error")));
            }
        }
    }

    /** POST /containers/create: the new container's id. */
    String create(String name, Map<String, Object> config) throws IOException {
        Response r = call("POST", "/containers/create?name=" + encode(name), config).check("create container");
        return String.valueOf(r.json().get("Id"));
    }

    void start(String id) throws IOException {
        call("POST", "/containers/" + id + "/start", null).check("start container");
    }

    /** GET /containers/{id}/json. */
    Map<String, Object> inspect(String id) throws IOException {
        return call("GET", "/containers/" + id + "/json", null).check("inspect container").json();
    }

    /** POST /containers/{id}/wait: blocks until the container stops; its exit code. */
    int await(String id) throws IOException {
        Object code = call("POST", "/containers/" + id + "/wait", null).check("wait for container").json().get("StatusCode");
        return code instanceof Number n ? n.intValue() : -1;
    }

    /** DELETE /containers/{id}?force=true: kills it if it runs and removes it (a container already gone is fine). */
    void remove(String id) throws IOException {
        Response r = call("DELETE", "/containers/" + id + "?force=true&v=true", null);
        if (r.status != 404) {
            r.check("remove container");
        }
    }

    /**
     * GET /containers/{id}/logs?follow: copies what the container prints (stdout and stderr, demultiplexed) to
     * {@code out} until it stops. Blocks.
     */
    void followLogs(String id, OutputStream out) throws IOException {
        try (Connection c = open()) {
            c.send("GET", "/containers/" + id + "/logs?follow=true&stdout=true&stderr=true", null);
            Head head = c.head();
            if (head.status != 200) {
                throw failure(head.status, c.body(head), "follow logs");
            }
            InputStream in = c.bodyStream(head);
            boolean multiplexed = !"application/vnd.docker.raw-stream".equals(head.headers.get("content-type"));
            if (!multiplexed) {
                in.transferTo(out);
                out.flush();
                return;
            }
            byte[] header = new byte[8];
            while (readFully(in, header)) {
                int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                byte[] frame = new byte[size];
                if (!readFully(in, frame)) {
                    break;
                }
                out.write(frame);
                out.flush();
            }
        }
    }

    // --- HTTP/1.1 over one connection

    private record Response(int status, byte[] body) {
        Response check(String what) throws DockerException {
            if (status >= 300) {
                throw failure(status, body, what);
            }
            return this;
        }

        Map<String, Object> json() throws DockerException {
            Map<String, Object> m = Json.object(body);
            if (m == null) {
                throw new DockerException(status, "the Docker engine answered something else than JSON");
            }
            return m;
        }
    }

    private static DockerException failure(int status, byte[] body, String what) {
        Map<String, Object> m = Json.object(body);
        String message = m != null && m.get("message") != null ? String.valueOf(m.get("message"))
                : new String(body, StandardCharsets.UTF_8).trim();
        return new DockerException(status, what + " failed (" + status + "): " + message);
    }

    /** Calls that answer at once get this long: an engine that hangs does not hold a request forever. */
    private static final long ANSWER_SECONDS = 30;
    private static final java.util.concurrent.ScheduledExecutorService DEADLINES =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "docker-call-deadlines");
                t.setDaemon(true);
                return t;
            });

    private Response call(String method, String path, Map<String, Object> json) throws IOException {
        boolean waits = path.startsWith("/images/create") || path.endsWith("/wait");
        try (Connection c = open()) {
            var deadline = waits ? null : DEADLINES.schedule(() -> {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing is all there is to do
                }
            }, ANSWER_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            try {
                c.send(method, path, json);
                Head head = c.head();
                return new Response(head.status, c.body(head));
            } catch (java.nio.channels.ClosedChannelException e) {
                throw new DockerException(0, "the Docker engine at " + endpoint + " did not answer " + method + " " + path
                        + " within " + ANSWER_SECONDS + " s");
            } finally {
                if (deadline != null) {
                    deadline.cancel(false);
                }
            }
        }
    }

    private record Head(int status, Map<String, String> headers) {
    }

    private Connection open() throws IOException {
        SocketChannel ch;
        try {
            if (endpoint.startsWith("unix://")) {
                ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(Path.of(endpoint.substring("unix://".length()))));
            } else {
                URI u = URI.create(endpoint.replaceFirst("^tcp://", "http://"));
                ch = SocketChannel.open(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 2375 : u.getPort()));
            }
        } catch (IOException | RuntimeException e) {
            throw new DockerException(0, "no Docker engine answers at " + endpoint + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return new Connection(ch);
    }

    private static final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        private final InputStream in;
        private final OutputStream out;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.in = new BufferedInputStream(Channels.newInputStream(channel));
            this.out = Channels.newOutputStream(channel);
        }

        void send(String method, String path, Map<String, Object> json) throws IOException {
            byte[] body;
            try {
                body = json == null ? new byte[0] : Json.MAPPER.writeValueAsBytes(json);
            } catch (JsonProcessingException e) {
                throw new IOException(e);
            }
            String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: terrarium\r\nConnection: close\r\n"
                    + (json == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(head.getBytes(StandardCharsets.ISO_8859_1));
            request.write(body);
            out.write(request.toByteArray());
            out.flush();
        }

        Head head() throws IOException {
            String status = line();
            if (status == null || !status.startsWith("HTTP/1.")) {
                throw new DockerException(0, "the Docker engine answered something else than HTTP: " + status);
            }
            String[] parts = status.split(" ", 3);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            return new Head(Integer.parseInt(parts[1]), headers);
        }

        InputStream bodyStream(Head head) {
            if (head.status == 204 || head.status == 304) {
                return InputStream.nullInputStream();
            }
            if ("chunked".equalsIgnoreCase(head.headers.get("transfer-encoding"))) {
                return new Chunked(in);
            }
            String length = head.headers.get("content-length");
            return length == null ? in : new Bounded(in, Long.parseLong(length));
        }

        byte[] body(Head head) throws IOException {
            return bodyStream(head).readAllBytes();
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A chunked body, decoded. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = sizeLine();
                int semi = size.indexOf(';');
                left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                done = true;
                return -1;
            }
            left -= n;
            if (left == 0) {
                sizeLine(); // the CRLF after the chunk
            }
            return n;
        }

        private String sizeLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return sb.length() == 0 ? "0" : sb.toString();
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }

    /** A body of Content-Length bytes. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int at = 0;
        while (at < buf.length) {
            int n = in.read(buf, at, buf.length - at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The environment as Docker takes it: KEY=VALUE strings. */
    static List<String> env(Map<String, String> variables) {
        return variables.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }
}
