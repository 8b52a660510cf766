package dev.terrarium.services.lambda;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Extensions API of one execution environment (/2020-01-01/extension/...), served on the Runtime API's listener.
 * External extensions are the executables in the layers' {@code extensions/} directory: they start before the runtime
 * with its environment, register for INVOKE and/or SHUTDOWN events and take them with a blocking GET event/next
 * (a parked next holds no thread). An invocation is complete when every extension registered for INVOKE has asked
 * for its next event again; on shutdown they get a SHUTDOWN event and up to {@value #SHUTDOWN_MILLIS} ms.
 * The Telemetry API (PUT /2022-07-01/telemetry, see {@link Telemetry}) is served here too; the older Logs API answers 501.
 */
final class Extensions {
    static final String PREFIX = "/2020-01-01/extension/";
    static final String TELEMETRY = "/2022-07-01/telemetry";
    static final String LOGS = "/2020-08-15/logs";
    static final long INIT_MILLIS = 10_000;
    static final long SHUTDOWN_MILLIS = 2_000;

    /** One registered extension: its queued events, its parked next, the invocation it is processing. */
    private static final class Extension {
        final String id = UUID.randomUUID().toString();
        final String name;
        final boolean invoke;
        final boolean shutdown;
        final ArrayDeque<Object[]> queue = new ArrayDeque<>(); // {eventJson, Invocation or null}
        HttpExchange parked;
        Invocation busyWith;
        boolean initDone;
        /** Set once the extension was handed its SHUTDOWN event. */
        boolean shutdownTaken;
        boolean shutdownDone;

        Extension(String name, boolean invoke, boolean shutdown) {
            this.name = name;
            this.invoke = invoke;
            this.shutdown = shutdown;
        }
    }

    private final FunctionVersion version;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Extension> registered = new LinkedHashMap<>();
    private final List<Map.Entry<Invocation, Runnable>> waiting = new ArrayList<>();
    private volatile boolean shuttingDown;
    private final CompletableFuture<Void> shutdown = new CompletableFuture<>();
    /** The error type an extension reported through init/error, or null. */
    private volatile String initError;

    Extensions(FunctionVersion version) {
        this.version = version;
    }

    /** The external extensions of a /opt directory: the executable files of opt/extensions, sorted. */
    static List<Path> found(Path opt) {
        Path dir = opt == null ? null : opt.resolve("extensions");
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Starts the extensions with the runtime's environment and waits (up to {@value #INIT_MILLIS} ms) until each has
     * registered and asked for its first event, or exited: then the runtime may start.
     */
    void start(List<Path> executables, Map<String, String> env, Path workDir) throws IOException {
        for (Path exe : executables) {
            exe.toFile().setExecutable(true);
            // each extension's output is its own: the function's log gets it, the Telemetry API as "extension" events
            Path output = Files.createTempFile("terrarium-lambda-ext-", ".log");
            DeploymentPackage.deleteOnExit(output);
            synchronized (this) {
                outputFiles.add(output);
                outputs.add(new OutputLines(output));
            }
            ProcessBuilder pb = new ProcessBuilder(exe.toString()).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            synchronized (this) {
                processes.add(p);
            }
            p.onExit().thenRun(this::changed);
        }
        long until = System.currentTimeMillis() + INIT_MILLIS;
        synchronized (this) {
            while (initError == null && !initDone() && System.currentTimeMillis() < until) {
                try {
                    wait(Math.max(1, until - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private final List<Path> outputFiles = new ArrayList<>();
    private final List<OutputLines> outputs = new ArrayList<>();

    /** What the extensions printed since the last read (all: with partial last lines), sent as "extension" telemetry. */
    List<String> output(boolean all) {
        List<OutputLines> each;
        synchronized (this) {
            each = List.copyOf(outputs);
        }
        List<String> lines = new ArrayList<>();
        for (OutputLines o : each) {
            lines.addAll(all ? o.readAll() : o.read());
        }
        lines.forEach(telemetry::extension);
        return lines;
    }

    /** The error type an extension reported through init/error while starting, or null. */
    String initError() {
        return initError;
    }

    private synchronized boolean initDone() {
        long alive = processes.stream().filter(Process::isAlive).count();
        long done = registered.values().stream().filter(e -> e.initDone).count();
        return done >= alive;
    }

    private synchronized void changed() {
        notifyAll();
        shutdownProgress();
    }

    void handle(HttpExchange ex, byte[] body) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.startsWith(LOGS)) {
            reply(ex, 501, "{\"errorMessage\":\"The Logs API is not implemented by Terrarium: use the Telemetry API\","
                    + "\"errorType\":\"NotImplemented\"}");
            return;
        }
        if (path.startsWith(TELEMETRY)) {
            subscribe(ex, body);
            return;
        }
        String op = path.substring(PREFIX.length());
        if (method.equals("POST") && op.equals("register")) {
            register(ex, body);
            return;
        }
        Extension e;
        synchronized (this) {
            String id = ex.getRequestHeaders().getFirst("Lambda-Extension-Identifier");
            e = id == null ? null : registered.get(id);
        }
        if (e == null) {
            reply(ex, 403, "{\"errorMessage\":\"Missing or invalid Lambda-Extension-Identifier\","
                    + "\"errorType\":\"Extension.InvalidExtensionIdentifier\"}");
        } else if (method.equals("GET") && op.equals("event/next")) {
            next(ex, e);
        } else if (method.equals("POST") && (op.equals("init/error") || op.equals("exit/error"))) {
            if (op.equals("init/error")) {
                String type = ex.getRequestHeaders().getFirst("Lambda-Extension-Function-Error-Type");
                synchronized (this) {
                    initError = type == null || type.isEmpty() ? "Extension.InitError" : type;
                    notifyAll();
                }
            }
            reply(ex, 202, "{\"status\":\"OK\"}");
        } else {
            reply(ex, 404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}");
        }
    }

    /** The environment's Telemetry API: the events the environment emits go to its subscribers. */
    final Telemetry telemetry = new Telemetry();

    /** PUT /2022-07-01/telemetry: subscribes the extension's HTTP listener to platform, function and extension events. */
    private void subscribe(HttpExchange ex, byte[] body) throws IOException {
        String id = ex.getRequestHeaders().getFirst("Lambda-Extension-Identifier");
        Extension e;
        synchronized (this) {
            e = id == null ? null : registered.get(id);
            if (!ex.getRequestMethod().equals("PUT") || e == null) {
                reply(ex, 403, "{\"errorMessage\":\"Missing or invalid Lambda-Extension-Identifier\","
                        + "\"errorType\":\"Extension.InvalidExtensionIdentifier\"}");
                return;
            }
        }
        String invalid = telemetry.subscribe(Json.object(body), e.name);
        if (invalid != null) {
            reply(ex, 400, "{\"errorMessage\":" + Json.quote(invalid) + ",\"errorType\":\"ValidationError\"}");
            return;
        }
        reply(ex, 200, "\"OK\"");
    }

    private void register(HttpExchange ex, byte[] body) throws IOException {
        String name = ex.getRequestHeaders().getFirst("Lambda-Extension-Name");
        Map<String, Object> req = Json.object(body);
        Object events = req == null ? null : req.get("events");
        if (name == null || name.isEmpty()) {
            reply(ex, 400, "{\"errorMessage\":\"Missing Lambda-Extension-Name header\",\"errorType\":\"InvalidRequest\"}");
            return;
        }
        if (!(events instanceof List<?> list) || !list.stream().allMatch(x -> "INVOKE".equals(x) || "SHUTDOWN".equals(x))) {
            reply(ex, 400, "{\"errorMessage\":\"Invalid events: expected a list of INVOKE and SHUTDOWN\","
                    + "\"errorType\":\"InvalidRequest\"}");
            return;
        }
        Extension e = new Extension(name, list.contains("INVOKE"), list.contains("SHUTDOWN"));
        synchronized (this) {
            registered.put(e.id, e);
        }
        telemetry.platform("platform.extension", "{\"name\":" + Json.quote(name) + ",\"state\":\"Ready\",\"events\":["
                + (e.invoke ? "\"INVOKE\"" : "") + (e.invoke && e.shutdown ? "," : "") + (e.shutdown ? "\"SHUTDOWN\"" : "") + "]}");
        ex.getResponseHeaders().set("Lambda-Extension-Identifier", e.id);
        reply(ex, 200, "{\"functionName\":" + Json.quote(version.functionName) + ",\"functionVersion\":"
                + Json.quote(version.version) + ",\"handler\":" + Json.quote(version.handler == null ? "" : version.handler) + "}");
    }

    private void next(HttpExchange ex, Extension e) {
        Object[] event;
        List<Runnable> run = new ArrayList<>();
        synchronized (this) {
            e.initDone = true;
            e.busyWith = null;
            if (e.shutdownTaken) {
                e.shutdownDone = true;
            }
            if (e.parked != null) {
                e.parked.close();
            }
            event = e.queue.poll();
            if (event == null) {
                e.parked = ex;
            } else {
                e.busyWith = (Invocation) event[1];
                e.shutdownTaken |= event[1] == null;
            }
            shutdownProgress();
            for (Iterator<Map.Entry<Invocation, Runnable>> it = waiting.iterator(); it.hasNext(); ) {
                var w = it.next();
                if (doneWith(w.getKey())) {
                    it.remove();
                    run.add(w.getValue());
                }
            }
            notifyAll();
        }
        if (event != null) {
            send(ex, (String) event[0]);
        }
        run.forEach(Runnable::run);
    }

    /** Sends the INVOKE event of an invocation the runtime just received to the extensions registered for it. */
    void invoke(Invocation inv, String traceId) {
        String json = "{\"eventType\":\"INVOKE\",\"deadlineMs\":" + inv.deadlineEpochMillis + ",\"requestId\":"
                + Json.quote(inv.requestId) + ",\"invokedFunctionArn\":" + Json.quote(inv.invokedArn)
                + ",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":" + Json.quote(traceId) + "}}";
        deliver(e -> e.invoke, json, inv);
    }

    private void deliver(java.util.function.Predicate<Extension> to, String json, Invocation inv) {
        List<HttpExchange> send = new ArrayList<>();
        synchronized (this) {
            for (Extension e : registered.values()) {
                if (!to.test(e)) {
                    continue;
                }
                if (e.parked != null) {
                    send.add(e.parked);
                    e.parked = null;
                    e.busyWith = inv;
                    e.shutdownTaken |= inv == null;
                } else {
                    e.queue.add(new Object[]{json, inv});
                }
            }
        }
        send.forEach(ex -> send(ex, json));
    }

    /** Whether every extension registered for INVOKE has asked for its next event since receiving this invocation. */
    private synchronized boolean doneWith(Invocation inv) {
        for (Extension e : registered.values()) {
            if (e.busyWith == inv || e.queue.stream().anyMatch(q -> q[1] == inv)) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code then} once the extensions are done with the invocation (at once if they are). */
    void whenDone(Invocation inv, Runnable then) {
        synchronized (this) {
            if (!doneWith(inv)) {
                waiting.add(Map.entry(inv, then));
                return;
            }
        }
        then.run();
    }

    /**
     * Sends SHUTDOWN to the extensions registered for it and completes once they asked for their next event (or exited),
     * at most {@value #SHUTDOWN_MILLIS} ms later; then every extension process is killed.
     */
    CompletableFuture<Void> shutdown(String reason) {
        boolean any;
        synchronized (this) {
            if (shuttingDown) {
                return shutdown;
            }
            shuttingDown = true;
            registered.values().forEach(e -> e.queue.clear());
            telemetry.flushAll();
            any = registered.values().stream().anyMatch(e -> e.shutdown);
        }
        if (any) {
            deliver(e -> e.shutdown, "{\"eventType\":\"SHUTDOWN\",\"shutdownReason\":" + Json.quote(reason)
                    + ",\"deadlineMs\":" + (System.currentTimeMillis() + SHUTDOWN_MILLIS) + "}", null);
            shutdown.completeOnTimeout(null, SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS);
            changed();
        } else {
            shutdown.complete(null);
        }
        return shutdown.thenRun(this::kill);
    }

    /** Completes the shutdown once every extension registered for SHUTDOWN is done with it or no extension runs. */
    private synchronized void shutdownProgress() {
        if (shuttingDown && (processes.stream().noneMatch(Process::isAlive)
                || registered.values().stream().allMatch(e -> !e.shutdown || e.shutdownDone))) {
            shutdown.completeAsync(() -> null); // its followers (killing, closing the listener) run outside the lock
        }
    }

    private void kill() {
        List<HttpExchange> parked = new ArrayList<>();
        List<Process> all;
        synchronized (this) {
            registered.values().forEach(e -> {
                if (e.parked != null) {
                    parked.add(e.parked);
                    e.parked = null;
                }
            });
            all = List.copyOf(processes);
        }
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        parked.forEach(HttpExchange::close);
        List<Path> files;
        synchronized (this) {
            files = List.copyOf(outputFiles);
        }
        files.forEach(f -> f.toFile().delete());
    }

    private static void send(HttpExchange ex, String json) {
        try {
            ex.getResponseHeaders().set("Lambda-Extension-Event-Identifier", UUID.randomUUID().toString());
            reply(ex, 200, json);
        } catch (IOException e) {
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }
}
