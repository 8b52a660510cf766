package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker Engine for tests: the endpoints Terrarium's DockerEngine calls, over HTTP/1.1 on a unix socket or TCP. An
 * "image" is a local script (its ENTRYPOINT) with a default CMD; "running" a container starts the script as a local
 * process with exactly the Env it was created with (plus the image's PATH), so it can reach the Runtime API. Every call
 * is recorded.
 */
final class FakeDockerEngine implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Image(List<String> entrypoint, List<String> cmd) {
    }

    static final class Container {
        final String id;
        final String name;
        final Map<String, Object> config;
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        volatile Process process;
        volatile boolean exited;
        volatile boolean removed;
        volatile int exitCode;

        Container(String id, String name, Map<String, Object> config) {
            this.id = id;
            this.name = name;
            this.config = config;
        }

        @SuppressWarnings("unchecked")
        List<String> env() {
            return (List<String>) config.get("Env");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> hostConfig() {
            return (Map<String, Object>) config.get("HostConfig");
        }
    }

    /** Images a pull can fetch, by reference (repo:tag). */
    final Map<String, Image> registry = new ConcurrentHashMap<>();
    /** Images the engine has (pulled). */
    final Set<String> present = ConcurrentHashMap.newKeySet();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> pulls = new CopyOnWriteArrayList<>();
    final Map<String, Container> containers = new ConcurrentHashMap<>();
    final List<Container> created = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final String endpoint;
    private final Path socketDir;
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;

    private FakeDockerEngine(ServerSocketChannel server, String endpoint, Path socketDir) {
        this.server = server;
        this.endpoint = endpoint;
        this.socketDir = socketDir;
        Thread t = new Thread(this::acceptLoop, "fake-docker");
        t.setDaemon(true);
        t.start();
    }

    static FakeDockerEngine unix() throws IOException {
        Path dir = Files.createTempDirectory("fake-docker-");
        Path socket = dir.resolve("docker.sock");
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket));
        return new FakeDockerEngine(ch, "unix://" + socket, dir);
    }

    static FakeDockerEngine tcp() throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
        ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        return new FakeDockerEngine(ch, "tcp://127.0.0.1:" + port, null);
    }

    String endpoint() { return endpoint; }

    /** Docker relays a container's output to the logs it streams: this much later here. */
    volatile long logDelayMillis;

    /** An image whose container runs {@code script} with bash, with {@code cmd} as its default CMD. */
    void publish(String reference, Path script, String... cmd) {
        registry.put(reference, new Image(List.of("/bin/bash", script.toString()), List.of(cmd)));
    }

    /** An image whose ENTRYPOINT is {@code entrypoint} (and no CMD). */
    void publish(String reference, List<String> entrypoint) {
        registry.put(reference, new Image(entrypoint, List.of()));
    }

    List<Container> running() {
        return containers.values().stream().filter(c -> c.process != null && !c.exited).toList();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                Thread t = new Thread(() -> serve(c), "fake-docker-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            OutputStream out = Channels.newOutputStream(ch);
            String requestLine = line(in);
            if (requestLine == null) {
                return;
            }
            Map<String, String> headers = new HashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(), h.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            String[] parts = requestLine.split(" ");
            String method = parts[0];
            String target = parts[1];
            calls.add(method + " " + target);
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            Map<String, String> query = query(target);
            route(method, path, query, body, out);
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    @SuppressWarnings("unchecked")
    private void route(String method, String path, Map<String, String> query, byte[] body, OutputStream out)
            throws IOException, InterruptedException {
        if (path.equals("/_ping")) {
            respond(out, 200, "text/plain", "OK".getBytes(StandardCharsets.UTF_8));
        } else if (method.equals("GET") && path.startsWith("/images/") && path.endsWith("/json")) {
            String ref = path.substring("/images/".length(), path.length() - "/json".length());
            if (!present.contains(ref)) {
                json(out, 404, Map.of("message", "No such image: " + ref));
            } else {
                String digest = "sha256:" + sha(ref);
                json(out, 200, Map.of("Id", digest, "RepoDigests", List.of(ref.replaceFirst(":[^:/]+$", "") + "@" + digest)));
            }
        } else if (method.equals("POST") && path.equals("/images/create")) {
            String tag = query.get("tag");
            String ref = query.get("fromImage") + (tag.startsWith("sha256:") ? "@" : ":") + tag;
            pulls.add(ref);
            if (!registry.containsKey(ref)) {
                json(out, 404, Map.of("message", "pull access denied for " + query.get("fromImage")
                        + ", repository does not exist or may require 'docker login'"));
                return;
            }
            present.add(ref);
            chunked(out, "application/json", List.of("{\"status\":\"Pulling from " + ref + "\"}\n",
                    "{\"status\":\"Status: Downloaded newer image for " + ref + "\"}\n"));
        } else if (method.equals("POST") && path.equals("/containers/create")) {
            Map<String, Object> config = JSON.readValue(body, Map.class);
            if (!present.contains((String) config.get("Image"))) {
                json(out, 404, Map.of("message", "No such image: " + config.get("Image")));
                return;
            }
            Container c = new Container("c" + ids.incrementAndGet() + "f00dfeedbeef", query.get("name"), config);
            containers.put(c.id, c);
            created.add(c);
            json(out, 201, Map.of("Id", c.id, "Warnings", List.of()));
        } else if (path.startsWith("/containers/")) {
            String rest = path.substring("/containers/".length());
            String id = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            String action = rest.contains("/") ? rest.substring(rest.indexOf('/') + 1) : "";
            Container c = containers.get(id);
            if (c == null || c.removed) {
                json(out, 404, Map.of("message", "No such container: " + id));
                return;
            }
            switch (method + " " + action) {
                case "POST start" -> {
                    run(c);
                    respond(out, 204, null, new byte[0]);
                }
                case "GET json" -> json(out, 200, Map.of("Id", c.id, "State", Map.of("Running", !c.exited,
                        "Pid", c.process == null || c.exited ? 0 : c.process.pid())));
                case "GET logs" -> logs(c, out);
                case "POST wait" -> {
                    synchronized (c) {
                        while (!c.exited && !c.removed) {
                            c.wait(100);
                        }
                    }
                    json(out, 200, Map.of("StatusCode", c.exitCode));
                }
                case "DELETE " -> {
                    if (!c.exited && !"true".equals(query.get("force"))) {
                        json(out, 409, Map.of("message", "container is running: stop it first"));
                        return;
                    }
                    kill(c);
                    c.removed = true;
                    containers.remove(c.id);
                    synchronized (c) {
                        c.notifyAll();
                    }
                    respond(out, 204, null, new byte[0]);
                }
                default -> json(out, 404, Map.of("message", "page not found"));
            }
        } else {
            json(out, 404, Map.of("message", "page not found"));
        }
    }

    @SuppressWarnings("unchecked")
    private void run(Container c) throws IOException {
        Image image = registry.get((String) c.config.get("Image"));
        List<String> command = new ArrayList<>((List<String>) c.config.getOrDefault("Entrypoint", image.entrypoint()));
        command.addAll((List<String>) c.config.getOrDefault("Cmd", image.cmd()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        String dir = (String) c.config.get("WorkingDir");
        if (dir != null) {
            pb.directory(Path.of(dir).toFile());
        }
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH")); // the image's ENV
        for (String kv : c.env()) {
            int eq = kv.indexOf('=');
            pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Process p = pb.start();
        c.process = p;
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = p.getInputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    synchronized (c) {
                        c.output.write(buf, 0, n);
                        c.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
            try {
                c.exitCode = p.waitFor();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            synchronized (c) {
                c.exited = true;
                c.notifyAll();
            }
        }, "fake-container-" + c.id);
        reader.setDaemon(true);
        reader.start();
    }

    /** Follows the container's output as Docker does for a container without TTY: stdout frames, chunked. */
    private void logs(Container c, OutputStream out) throws IOException, InterruptedException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int sent = 0;
        while (true) {
            byte[] next;
            boolean over;
            synchronized (c) {
                while (c.output.size() == sent && !c.exited && !c.removed) {
                    c.wait(100);
                }
                byte[] all = c.output.toByteArray();
                next = java.util.Arrays.copyOfRange(all, sent, all.length);
                sent = all.length;
                over = (c.exited || c.removed) && next.length == 0;
            }
            if (next.length > 0) {
                if (logDelayMillis > 0) {
                    Thread.sleep(logDelayMillis);
                }
                byte[] frame = new byte[8 + next.length];
                frame[0] = 1;
                frame[4] = (byte) (next.length >>> 24);
                frame[5] = (byte) (next.length >>> 16);
                frame[6] = (byte) (next.length >>> 8);
                frame[7] = (byte) next.length;
                System.arraycopy(next, 0, frame, 8, next.length);
                chunk(out, frame);
            }
            if (over) {
                break;
            }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void kill(Container c) {
        Process p = c.process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        containers.values().forEach(FakeDockerEngine::kill);
        server.close();
        if (socketDir != null) {
            Files.deleteIfExists(socketDir.resolve("docker.sock"));
            Files.deleteIfExists(socketDir);
        }
    }

    // --- HTTP bits

    private static void json(OutputStream out, int status, Object value) throws IOException {
        respond(out, status, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void respond(OutputStream out, int status, String type, byte[] body) throws IOException {
        String head = "HTTP/1.1 " + status + " X\r\n" + (type == null ? "" : "Content-Type: " + type + "\r\n")
                + (status == 204 ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static void chunked(OutputStream out, String type, List<String> chunks) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        for (String c : chunks) {
            chunk(out, c.getBytes(StandardCharsets.UTF_8));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
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

    private static Map<String, String> query(String target) {
        Map<String, String> q = new LinkedHashMap<>();
        int at = target.indexOf('?');
        if (at >= 0) {
            for (String kv : target.substring(at + 1).split("&")) {
                int eq = kv.indexOf('=');
                q.put(URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static String sha(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
