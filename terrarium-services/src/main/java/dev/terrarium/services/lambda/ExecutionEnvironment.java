package dev.terrarium.services.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One execution environment: a child process running a runtime, and the Runtime API it talks to
 * (a small HTTP listener on 127.0.0.1). It runs one invocation at a time. The process writes its
 * output to a file, so that everything it printed before it answered is read, exactly, with the answer. A parked
 * GET /invocation/next holds no thread: its exchange is answered when the next invocation comes.
 */
final class ExecutionEnvironment {
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    /** A streamed response may be larger: Lambda allows 20 MB (soft limit) through InvokeWithResponseStream. */
    static final int MAX_STREAMED_BYTES = 20 * 1024 * 1024;

    static {
        // The JDK server reads this once: small exchanges with the runtime must not wait for Nagle + delayed ACKs.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    private static final String PREFIX = "/2018-06-01/runtime/";

    final FunctionVersion version;
    final String logStreamName;
    /** The provisioned concurrency the environment belongs to, or null for an on-demand one. */
    final ProvisionedEnvironments pool;
    private final Path tmp;
    private final HttpServer server;
    private final Consumer<ExecutionEnvironment> onReady;
    private final Consumer<Invocation> onFinished;
    private final long createdNanos = System.nanoTime();
    private final Path output;
    private final OutputLines outputLines;
    private Process process;
    /** The Extensions API of the environment, or null when its layers bring no extension. */
    private volatile Extensions extensions;
    /** The error type an extension reported through init/error, failing the environment's first invocation. */
    private volatile String initFailure;
    private volatile Path opt;
    private HttpExchange parkedNext;
    private Invocation current;
    private Invocation answered;
    /** The last invocation sent to the runtime. */
    private volatile Invocation lastSent;
    private boolean initialized;
    private volatile boolean dead;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Orders the reading of an invocation's output with its early response and its end (log lines, telemetry). */
    private final Object outputLock = new Object();
    /** Whether the end of the init phase was told to telemetry. */
    private final java.util.concurrent.atomic.AtomicBoolean initReported = new java.util.concurrent.atomic.AtomicBoolean();
    volatile long idleSinceMillis = System.currentTimeMillis();

    ExecutionEnvironment(FunctionVersion version, String logStreamName, ProvisionedEnvironments pool, Executor executor,
                         Consumer<ExecutionEnvironment> onReady, Consumer<Invocation> onFinished) throws IOException {
        this.version = version;
        this.logStreamName = logStreamName;
        this.pool = pool;
        this.onReady = onReady;
        this.onFinished = onFinished;
        this.tmp = Files.createTempDirectory("terrarium-lambda-tmp-");
        this.output = Files.createTempFile("terrarium-lambda-out-", ".log");
        DeploymentPackage.deleteOnExit(tmp);
        DeploymentPackage.deleteOnExit(output);
        this.outputLines = new OutputLines(output);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext(PREFIX, this::handle);
        server.createContext(Extensions.PREFIX, this::handleExtensions);
        server.createContext(Extensions.TELEMETRY, this::handleExtensions);
        server.createContext(Extensions.LOGS, this::handleExtensions);
        server.start();
    }

    String runtimeApi() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    Path tmpDir() { return tmp; }

    /** The environment's /opt equivalent with its version's layers, or null when it has none. */
    Path optDir() throws IOException {
        if (opt == null && !version.layers.isEmpty()) {
            opt = OptDirectory.extract(version.layers);
        }
        return opt;
    }

    boolean isDead() { return dead; }

    /**
     * Starts the runtime process; its output (stdout and stderr) becomes the function's log. The external extensions
     * of the layers (opt/extensions) start first, with the same environment, and register before the runtime starts.
     */
    void start(List<String> command, Map<String, String> env, Path workDir) throws IOException {
        List<Path> found = Extensions.found(opt);
        if (!found.isEmpty()) {
            extensions = new Extensions(version);
            extensions.telemetry.platform("platform.initStart", "{\"initializationType\":\"" + initializationType()
                    + "\",\"phase\":\"init\",\"runtimeVersion\":" + Json.quote(version.runtime == null ? "" : version.runtime)
                    + ",\"functionName\":" + Json.quote(version.functionName) + ",\"functionVersion\":"
                    + Json.quote(version.version) + ",\"instanceMaxMemory\":" + version.memorySize * 1024L * 1024L + "}");
            extensions.start(found, env, workDir);
            if (extensions.initError() != null) {
                // Lambda resets the environment: the invocation fails with the extension's error, the runtime never starts
                initFailure = extensions.initError();
                kill();
                return;
            }
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        process = pb.start();
        process.onExit().thenRun(this::exited);
    }

    /** Runs the runtime in a process started elsewhere (a container: ContainerExecutor), its output to the environment's. */
    void start(ContainerExecutor.Launcher launcher) throws IOException {
        process = launcher.launch(output);
        if (process instanceof ContainerProcess container) {
            outputLines.settleBeforeReadAll(container::settle);
        }
        process.onExit().thenRun(this::exited);
    }

    /** Gives the environment its invocation; it is sent on the runtime's next (or parked) GET /next. */
    void assign(Invocation inv) {
        HttpExchange next = null;
        boolean rejected;
        synchronized (this) {
            rejected = dead;
            if (!rejected) {
                List<String> before = output(false);
                for (int i = 0; i < before.size(); i++) {
                    inv.log(i, before.get(i));
                }
                current = inv;
                next = parkedNext;
                parkedNext = null;
                if (next != null) {
                    inv.sent = true;
                }
            }
        }
        if (rejected && initFailure != null) {
            String message = "RequestId: " + inv.requestId + " Error: an extension failed to initialize";
            inv.log(message);
            inv.result.complete(InvocationResult.error(initFailure, message));
            finish(inv);
        } else if (rejected) {
            inv.result.complete(InvocationResult.error("Runtime.ExitError", "RequestId: " + inv.requestId
                    + " Error: Runtime exited"));
            finish(inv);
        } else if (next != null) {
            send(next, inv);
        }
    }

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getPath().substring(PREFIX.length());
            String method = ex.getRequestMethod();
            if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")
                    && "streaming".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Response-Mode"))) {
                streamedAnswer(ex, path.substring("invocation/".length(), path.lastIndexOf('/')));
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(ex);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError(body, ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"));
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("invocation/")
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
                answer(ex, id, body, path.endsWith("/error"));
            } else {
                reply(ex, 404, "{\"errorMessage\":\"Not found\",\"errorType\":\"NotFound\"}");
            }
        } catch (IOException e) {
            ex.close();
        }
    }

    private void handleExtensions(HttpExchange ex) {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            Extensions ext = extensions;
            if (ext == null) {
                reply(ex, 403, "{\"errorMessage\":\"No extension runs in this environment\","
                        + "\"errorType\":\"Extension.InvalidExtensionIdentifier\"}");
            } else {
                ext.handle(ex, body);
            }
        } catch (IOException e) {
            ex.close();
        }
    }

    private void next(HttpExchange ex) {
        Invocation finished;
        Invocation toSend = null;
        boolean ready = false;
        boolean firstNext;
        synchronized (this) {
            finished = answered;
            answered = null;
            if (!initialized && current != null) {
                // an on-demand cold start: the invocation waited for the init (REPORT's Init Duration)
                current.initDurationMs = ageMillis();
            }
            firstNext = !initialized;
            initialized = true;
            if (current != null && !current.sent) {
                toSend = current;
                toSend.sent = true;
            } else {
                parkedNext = ex;
                ready = current == null;
            }
        }
        if (firstNext && initReported.compareAndSet(false, true)) {
            initDone("success", null);
        }
        if (ready) {
            // the environment is free once the runtime asked for more and every extension is done with the last invocation
            Invocation last = lastSent;
            Extensions ext = extensions;
            Runnable free = () -> {
                idleSinceMillis = System.currentTimeMillis();
                onReady.accept(this);
            };
            if (ext == null || last == null) {
                free.run();
            } else {
                ext.whenDone(last, free);
            }
        }
        if (finished != null) {
            finishAnswered(finished);
        }
        if (toSend != null) {
            send(ex, toSend);
        }
    }

    private void send(HttpExchange ex, Invocation inv) {
        lastSent = inv;
        inv.deadlineEpochMillis = System.currentTimeMillis() + inv.timeoutMillis;
        inv.startNanos = System.nanoTime();
        if (inv.onSent != null) {
            inv.onSent.run();
        }
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set("Lambda-Runtime-Aws-Request-Id", inv.requestId);
        h.set("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineEpochMillis));
        h.set("Lambda-Runtime-Invoked-Function-Arn", inv.invokedArn);
        String traceId = "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + inv.requestId.replace("-", "").substring(0, 24) + ";Sampled=0";
        h.set("Lambda-Runtime-Trace-Id", traceId);
        Extensions ext = extensions;
        if (ext != null) {
            ext.telemetry.invoked();
            ext.telemetry.platform("platform.start", "{\"requestId\":" + Json.quote(inv.requestId) + ",\"version\":"
                    + Json.quote(version.version) + ",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":"
                    + Json.quote(traceId) + "}}");
            ext.invoke(inv, traceId);
        }
        if (inv.clientContext != null) {
            h.set("Lambda-Runtime-Client-Context", inv.clientContext);
        }
        try {
            ex.sendResponseHeaders(200, inv.payload.length);
            ex.getResponseBody().write(inv.payload);
        } catch (IOException e) {
            // the runtime went away; its exit fails the invocation
        } finally {
            ex.close();
        }
    }

    private void answer(HttpExchange ex, String id, byte[] body, boolean error) throws IOException {
        Invocation inv;
        synchronized (this) {
            inv = current;
            if (inv == null || !inv.requestId.equals(id) || !inv.sent) {
                reply(ex, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
                return;
            }
            current = null;
            answered = inv;
        }
        // The result is set before the runtime hears back: its next GET /next may finish the invocation at once.
        if (!error && body.length > MAX_RESPONSE_BYTES) {
            inv.result.complete(InvocationResult.error("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (6291556 bytes)."));
            reply(ex, 413, "{\"errorMessage\":\"Exceeded maximum allowed payload size (6291556 bytes).\","
                    + "\"errorType\":\"RequestEntityTooLarge\"}");
        } else {
            inv.result.complete(error ? InvocationResult.error(body) : InvocationResult.success(body));
            reply(ex, 202, "{\"status\":\"OK\"}");
        }
        respond(inv);
        java.util.concurrent.CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> {
                    synchronized (this) {
                        if (answered == inv) {
                            answered = null;
                        }
                    }
                    finishAnswered(inv);
                });
    }

    /**
     * A streamed response (chunked POST with Lambda-Runtime-Function-Response-Mode: streaming): each chunk goes to the
     * invocation's consumer as it arrives (InvokeWithResponseStream); the whole is the payload of a buffered invoke.
     */
    private void streamedAnswer(HttpExchange ex, String id) throws IOException {
        Invocation inv;
        synchronized (this) {
            inv = current;
            if (inv == null || !inv.requestId.equals(id) || !inv.sent) {
                ex.getRequestBody().readAllBytes();
                reply(ex, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
                return;
            }
        }
        inv.streamed = true;
        if (inv.chunks != null) {
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            inv.chunks.contentType(type == null ? "application/octet-stream" : type);
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        try (var in = ex.getRequestBody()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (n == 0) {
                    continue;
                }
                if (all.size() + n > MAX_STREAMED_BYTES) {
                    synchronized (this) {
                        current = null;
                        answered = inv;
                    }
                    inv.result.complete(InvocationResult.error("Function.ResponseSizeTooLarge",
                            "Response payload size exceeded maximum allowed payload size (" + MAX_STREAMED_BYTES + " bytes)."));
                    reply(ex, 413, "{\"errorMessage\":\"Exceeded maximum allowed payload size.\",\"errorType\":\"RequestEntityTooLarge\"}");
                    return;
                }
                all.write(buf, 0, n);
                var sink = inv.chunks;
                if (sink != null) {
                    sink.chunk(java.util.Arrays.copyOf(buf, n));
                }
            }
        }
        synchronized (this) {
            if (current != inv) {
                ex.close();
                return;
            }
            current = null;
            answered = inv;
        }
        inv.result.complete(InvocationResult.success(all.toByteArray()));
        reply(ex, 202, "{\"status\":\"OK\"}");
        respond(inv);
        java.util.concurrent.CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> {
                    synchronized (this) {
                        if (answered == inv) {
                            answered = null;
                        }
                    }
                    finishAnswered(inv);
                });
    }

    private void initError(byte[] body, String type) {
        if (initReported.compareAndSet(false, true)) {
            initDone("error", type == null ? "Runtime.Unknown" : type);
        }
        Invocation inv;
        synchronized (this) {
            inv = current;
            current = null;
        }
        if (inv != null) {
            inv.result.complete(InvocationResult.error(body));
            finish(inv);
        }
        kill();
    }

    /** The process ended: the invocation it was running fails as AWS reports it. */
    private void exited() {
        if (!initialized() && initReported.compareAndSet(false, true)) {
            initDone("failure", "Runtime.ExitError");
        }
        Invocation inv;
        Invocation waiting;
        synchronized (this) {
            dead = true;
            inv = current;
            current = null;
            waiting = answered;
            answered = null;
        }
        if (waiting != null) {
            finish(waiting);
        }
        if (inv != null) {
            int code = process.exitValue();
            String message = "RequestId: " + inv.requestId + " Error: Runtime exited "
                    + (code >= 128 ? "with signal " + (code - 128) : "with error: exit status " + code);
            inv.log(message);
            if (inv.result.complete(InvocationResult.error("Runtime.ExitError", message))) {
                finish(inv);
            }
        }
        close();
    }

    /**
     * The runtime posted its answer. With extensions, the caller gets it now, with what the function printed so far,
     * while the invocation goes on until the extensions are done with it (as Lambda returns the response before the
     * extensions' post-processing: the REPORT's Duration includes that time).
     */
    private void respond(Invocation inv) {
        inv.respondedNanos = System.nanoTime();
        if (extensions == null) {
            return;
        }
        synchronized (outputLock) {
            // the invocation may be over already (the extensions were quick): then its outcome is the response
            if (!inv.finished.get()) {
                output(false).forEach(inv::log);
                InvocationResult r = inv.result.getNow(null);
                if (r != null) {
                    runtimeDone(inv, r.status() == null ? "success" : r.status(), r.payload() == null ? 0 : r.payload().length);
                    inv.response.complete(new Invoker.Outcome(r, inv.logLines()));
                }
            }
        }
    }

    /** The runtime answered: the invocation finishes once the extensions registered for INVOKE are done with it. */
    private void finishAnswered(Invocation inv) {
        Extensions ext = extensions;
        if (ext == null) {
            finish(inv);
        } else {
            ext.whenDone(inv, () -> finish(inv));
        }
    }

    /** Called once an invocation has its result and the runtime's output for it has been read. */
    private void finish(Invocation inv) {
        if (inv.finished.compareAndSet(false, true)) {
            synchronized (outputLock) {
                output(true).forEach(inv::log);
                Extensions ext = extensions;
                if (ext != null) {
                    report(ext.telemetry, inv);
                }
            }
            onFinished.accept(inv);
        }
    }

    /** The invocation ran out of time: the process is stopped, as Lambda does. */
    void timeOut(Invocation inv, String message) {
        if (inv.result.complete(InvocationResult.timeout(message))) {
            inv.log(message);
            kill();
            finish(inv);
        } else if (extensions != null && !inv.finished.get()) {
            // the runtime answered in time but an extension did not finish its INVOKE event
            inv.log(message);
            kill();
            finish(inv);
        }
    }

    synchronized boolean initialized() { return initialized; }

    /** What the process printed since it was last read: the init output of a provisioned environment. */
    List<String> takeOutput() {
        return output(false);
    }

    /** Reads what the process printed since the last read (all: with a partial last line); it is telemetry too. */
    private List<String> output(boolean all) {
        List<String> lines = all ? outputLines.readAll() : outputLines.read();
        Extensions ext = extensions;
        if (ext != null) {
            lines.forEach(ext.telemetry::function);
            lines = new ArrayList<>(lines);
            lines.addAll(ext.output(all));
        }
        return lines;
    }

    String initializationType() {
        return pool == null ? "on-demand" : "provisioned-concurrency";
    }

    /** The end of the init phase in telemetry: platform.initRuntimeDone and platform.initReport. */
    private void initDone(String status, String errorType) {
        Extensions ext = extensions;
        if (ext == null) {
            return;
        }
        String common = "\"initializationType\":\"" + initializationType() + "\",\"phase\":\"init\",\"status\":\"" + status + "\""
                + (errorType == null ? "" : ",\"errorType\":" + Json.quote(errorType));
        ext.telemetry.platform("platform.initRuntimeDone", "{" + common + "}");
        ext.telemetry.platform("platform.initReport", "{" + common + ",\"metrics\":{\"durationMs\":"
                + String.format(java.util.Locale.ROOT, "%.3f", ageMillis()) + "}}");
    }

    /** platform.runtimeDone: the runtime answered (or failed) an invocation. */
    private void runtimeDone(Invocation inv, String status, int producedBytes) {
        Extensions ext = extensions;
        if (ext == null || inv.runtimeDoneSent.getAndSet(true)) {
            return;
        }
        double ms = inv.startNanos == 0 ? 0 : (System.nanoTime() - inv.startNanos) / 1e6;
        ext.telemetry.platform("platform.runtimeDone", "{\"requestId\":" + Json.quote(inv.requestId) + ",\"status\":\""
                + status + "\",\"metrics\":{\"durationMs\":" + String.format(java.util.Locale.ROOT, "%.3f", ms)
                + ",\"producedBytes\":" + producedBytes + "}}");
    }

    /** platform.report: the invocation is over (the extensions are done with it too). */
    private void report(Telemetry telemetry, Invocation inv) {
        InvocationResult r = inv.result.getNow(null);
        String status = r == null || r.status() == null ? "success" : r.status();
        runtimeDone(inv, status, r == null || r.payload() == null ? 0 : r.payload().length);
        double ms = inv.startNanos == 0 ? 0 : (System.nanoTime() - inv.startNanos) / 1e6;
        telemetry.platform("platform.report", "{\"requestId\":" + Json.quote(inv.requestId) + ",\"status\":\"" + status
                + "\",\"metrics\":{\"durationMs\":" + String.format(java.util.Locale.ROOT, "%.3f", ms)
                + ",\"billedDurationMs\":" + (long) Math.ceil(ms) + ",\"memorySizeMB\":" + version.memorySize
                + ",\"maxMemoryUsedMB\":" + maxMemoryUsedMb()
                + (inv.initDurationMs >= 0 ? String.format(java.util.Locale.ROOT, ",\"initDurationMs\":%.3f", inv.initDurationMs) : "")
                + "}}");
    }

    double ageMillis() { return (System.nanoTime() - createdNanos) / 1e6; }

    /** Peak resident memory of the runtime process in MB (Linux), or 0. */
    long maxMemoryUsedMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or already gone
        }
        return 0;
    }

    /** Stops the process (and its children) and the listener; a running invocation fails. */
    void kill() {
        dead = true;
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } else {
            close();
        }
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (pool != null) {
            pool.died(this);
        }
        HttpExchange parked;
        synchronized (this) {
            parked = parkedNext;
            parkedNext = null;
        }
        if (parked != null) {
            parked.close();
        }
        Extensions ext = extensions;
        if (ext != null) {
            // the extensions registered for SHUTDOWN still talk to the listener until they are done
            ext.shutdown("spindown").whenComplete((v, e) -> release());
        } else {
            release();
        }
    }

    private void release() {
        server.stop(0);
        DeploymentPackage.deleteTree(tmp);
        if (opt != null) {
            DeploymentPackage.deleteTree(opt);
        }
        try {
            Files.deleteIfExists(output);
        } catch (IOException ignored) {
            // temporary file
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
