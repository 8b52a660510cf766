package dev.terrarium.services.lambda;

import dev.terrarium.services.logs.LogStore;
import java.util.function.Supplier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs invocations in execution environments: reuses a warm one of the version when there is one,
 * starts one otherwise (cold start), enforces concurrency and timeouts, and writes each
 * invocation's log (with START, END and REPORT lines) to CloudWatch Logs.
 */
final class Invoker {
    static final long IDLE_MILLIS = 300_000;
    /** Lambda gives a runtime 10 seconds to initialize, apart from the function's timeout. */
    static final long INIT_MILLIS = 10_000;

    /** Where an invocation's environment comes from and how it reports. */
    record Target(String account, String region, LambdaFunction function, FunctionVersion version, String invokedArn,
                  String endpoint) {
    }

    /** The finished invocation: its result and its log lines. */
    record Outcome(InvocationResult result, List<String> log) {
        String tail() {
            StringBuilder sb = new StringBuilder();
            log.forEach(l -> sb.append(l).append('\n'));
            byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
            int from = Math.max(0, all.length - 4096);
            return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(all, from, all.length));
        }
    }

    /** Every invoker of this JVM (weakly held): one shutdown hook stops their child processes. */
    private static final Set<Invoker> LIVE = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (LIVE) {
                LIVE.forEach(Invoker::stopAll);
            }
        }, "lambda-shutdown"));
    }

    /** The Logs service's store, looked up when first written to (null when Logs is not on the classpath). */
    private final Supplier<LogStore> logs;
    private final RuntimeCommands commands = RuntimeCommands.shared();
    private final ContainerExecutor containers = new ContainerExecutor();
    private final ExecutorService apiThreads = Executors.newCachedThreadPool(daemon("lambda-runtime-api"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("lambda-timers"));
    private final Map<FunctionVersion, ConcurrentLinkedDeque<ExecutionEnvironment>> idle = new ConcurrentHashMap<>();
    private final Set<ExecutionEnvironment> all = ConcurrentHashMap.newKeySet();
    private final Map<LambdaFunction, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger accountInFlight = new AtomicInteger();

    Invoker(Supplier<LogStore> logs) {
        this.logs = logs;
        timers.scheduleWithFixedDelay(this::reapIdle, 30, 30, TimeUnit.SECONDS);
        LIVE.add(this);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Checks that the runtime can run here, before anything is accepted (DryRun, Event). */
    void checkRunnable(FunctionVersion v) {
        if (v.image != null) {
            containers.check();
            return;
        }
        commands.command(v.runtime, Path.of("."));
    }

    /** Reserves a concurrency slot or throws TooManyRequestsException as Lambda throttles. */
    void reserve(LambdaFunction f) {
        AtomicInteger n = inFlight.computeIfAbsent(f, k -> new AtomicInteger());
        Integer reserved = f.reservedConcurrency;
        if (reserved != null && n.incrementAndGet() > reserved) {
            n.decrementAndGet();
            throw LambdaErrors.throttled("ReservedFunctionConcurrentInvocationLimitExceeded");
        }
        if (reserved == null) {
            n.incrementAndGet();
        }
        if (accountInFlight.incrementAndGet() > Concurrency.ACCOUNT_LIMIT) {
            accountInFlight.decrementAndGet();
            n.decrementAndGet();
            throw LambdaErrors.throttled("ConcurrentInvocationLimitExceeded");
        }
    }

    private void release(LambdaFunction f) {
        inFlight.get(f).decrementAndGet();
        accountInFlight.decrementAndGet();
    }

    /** Runs one invocation (a slot must have been reserved); completes with its outcome, never exceptionally. */
    CompletableFuture<Outcome> invoke(Target t, byte[] payload, String clientContext) {
        return invoke(t, payload, clientContext, UUID.randomUUID().toString(), null);
    }

    /** Like {@link #invoke(Target, byte[], String)} with a given request id (an async event keeps its id across retries). */
    CompletableFuture<Outcome> invoke(Target t, byte[] payload, String clientContext, String requestId) {
        return invoke(t, payload, clientContext, requestId, null);
    }

    /** As {@link #invoke(Target, byte[], String)}; a streamed response's chunks also go to {@code chunks} as they come. */
    CompletableFuture<Outcome> invoke(Target t, byte[] payload, String clientContext,
                                      ResponseSink chunks) {
        return invoke(t, payload, clientContext, UUID.randomUUID().toString(), chunks);
    }

    private CompletableFuture<Outcome> invoke(Target t, byte[] payload, String clientContext, String requestId,
                                              ResponseSink chunks) {
        FunctionVersion v = t.version();
        Invocation inv = new Invocation(requestId, payload, t.invokedArn(), clientContext, v.timeout * 1000L);
        inv.chunks = chunks;
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        ExecutionEnvironment env = warm(v);
        boolean cold = env == null;
        try {
            if (cold) {
                env = start(t, inv, outcome);
            } else {
                bind(env, t, inv, outcome);
            }
        } catch (RuntimeException | IOException e) {
            String message = e instanceof dev.terrarium.core.service.AwsException ae ? ae.getMessage() : String.valueOf(e);
            inv.result.complete(InvocationResult.error("Runtime.InvalidEntrypoint", message));
            inv.log("RequestId: " + requestId + " Error: " + message);
            finished(t, null, inv, outcome);
            return outcome;
        }
        inv.startNanos = System.nanoTime();
        inv.log(0, "START RequestId: " + requestId + " Version: " + v.version);
        ExecutionEnvironment running = env;
        String timeoutMessage = requestId + " Task timed out after "
                + String.format(Locale.ROOT, "%.2f", v.timeout * 1.0) + " seconds";
        var initTimer = timers.schedule(() -> running.timeOut(inv, Instant.now() + " " + timeoutMessage),
                inv.timeoutMillis + INIT_MILLIS, TimeUnit.MILLISECONDS);
        inv.onSent = () -> {
            initTimer.cancel(false);
            var timer = timers.schedule(() -> running.timeOut(inv, Instant.now() + " " + timeoutMessage),
                    inv.timeoutMillis, TimeUnit.MILLISECONDS);
            outcome.whenComplete((o, e) -> timer.cancel(false));
        };
        outcome.whenComplete((o, e) -> initTimer.cancel(false));
        env.assign(inv);
        return outcome;
    }

    private ExecutionEnvironment warm(FunctionVersion v) {
        ConcurrentLinkedDeque<ExecutionEnvironment> q = idle.get(v);
        while (q != null) {
            ExecutionEnvironment env = q.pollFirst();
            if (env == null) {
                return null;
            }
            if (!env.isDead()) {
                return env;
            }
            all.remove(env);
        }
        return null;
    }

    private void bind(ExecutionEnvironment env, Target t, Invocation inv, CompletableFuture<Outcome> outcome) {
        pending.put(env, new Pending(t, inv, outcome));
    }

    private record Pending(Target target, Invocation inv, CompletableFuture<Outcome> outcome) {
    }

    private final Map<ExecutionEnvironment, Pending> pending = new ConcurrentHashMap<>();

    private ExecutionEnvironment start(Target t, Invocation inv, CompletableFuture<Outcome> outcome) throws IOException {
        FunctionVersion v = t.version();
        Path code = v.code.directory();
        List<String> command = v.image != null ? List.of() : commands.command(v.runtime, code);
        String stream = LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/[" + v.version + "]"
                + UUID.randomUUID().toString().replace("-", "");
        ExecutionEnvironment env = new ExecutionEnvironment(v, stream, apiThreads,
                this::ready,
                this::onFinished);
        pending.put(env, new Pending(t, inv, outcome));
        all.add(env);
        if (v.image != null) {
            // PackageType Image: the runtime runs in a Docker container instead of a local process
            try {
                containers.start(env, v, environment(t, env, ContainerExecutor.TASK_ROOT));
            } catch (IOException | RuntimeException e) {
                env.kill();
                all.remove(env);
                pending.remove(env);
                throw e;
            }
            return env;
        }
        Path opt = env.optDir();
        if (v.runtime.startsWith("provided") && !Files.isRegularFile(code.resolve("bootstrap"))) {
            if (opt != null && Files.isRegularFile(opt.resolve("bootstrap"))) {
                command = List.of(opt.resolve("bootstrap").toString());
            } else {
                env.kill();
                all.remove(env);
                pending.remove(env);
                throw LambdaErrors.invalid("Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
            }
        }
        if (JavaRuntime.handles(v.runtime)) {
            command = JavaRuntime.command(v.runtime, v.handler, code, opt, env.tmpDir());
        }
        Map<String, String> variables = environment(t, env, code);
        if (opt != null) {
            OptDirectory.addTo(variables, opt, v.runtime);
        }
        env.start(command, variables, code);
        return env;
    }

    private Map<String, String> environment(Target t, ExecutionEnvironment env, Path code) {
        FunctionVersion v = t.version();
        Map<String, String> e = new HashMap<>();
        for (String inherited : List.of("PATH", "LD_LIBRARY_PATH", "LANG", "HOME", "SYSTEMROOT")) {
            String value = System.getenv(inherited);
            if (value != null) {
                e.put(inherited, value);
            }
        }
        e.putIfAbsent("LANG", "en_US.UTF-8");
        e.putAll(v.environment);
        e.put("AWS_LAMBDA_RUNTIME_API", env.runtimeApi());
        e.put("_HANDLER", v.handler == null ? "" : v.handler);
        e.put("LAMBDA_TASK_ROOT", code.toString());
        e.put("LAMBDA_RUNTIME_DIR", code.toString());
        e.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + v.runtime);
        e.put("AWS_LAMBDA_FUNCTION_NAME", v.functionName);
        e.put("AWS_LAMBDA_FUNCTION_VERSION", v.version);
        e.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(v.memorySize));
        e.put("AWS_LAMBDA_LOG_GROUP_NAME", v.logGroup);
        e.put("AWS_LAMBDA_LOG_STREAM_NAME", env.logStreamName);
        e.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        e.put("AWS_REGION", t.region());
        e.put("AWS_DEFAULT_REGION", t.region());
        e.put("AWS_ACCESS_KEY_ID", "test");
        e.put("AWS_SECRET_ACCESS_KEY", "test");
        e.put("AWS_ENDPOINT_URL", t.endpoint());
        e.put("TZ", ":UTC");
        e.put("TMPDIR", env.tmpDir().toString());
        e.put("TMP", env.tmpDir().toString());
        e.put("PYTHONUNBUFFERED", "1");
        e.put("PYTHONDONTWRITEBYTECODE", "1");
        return e;
    }

    private void onFinished(Invocation inv) {
        ExecutionEnvironment env = null;
        Pending p = null;
        for (Map.Entry<ExecutionEnvironment, Pending> e : pending.entrySet()) {
            if (e.getValue().inv() == inv) {
                env = e.getKey();
                p = e.getValue();
                break;
            }
        }
        if (p == null) {
            return;
        }
        pending.remove(env, p);
        if (env.isDead()) {
            all.remove(env);
        }
        finished(p.target(), env, inv, p.outcome());
    }

    private void finished(Target t, ExecutionEnvironment env, Invocation inv, CompletableFuture<Outcome> outcome) {
        InvocationResult r = inv.result.getNow(InvocationResult.error("Runtime.Unknown", "no result"));
        double ms = inv.startNanos == 0 ? 0 : (System.nanoTime() - inv.startNanos) / 1e6;
        String id = inv.requestId;
        inv.log("END RequestId: " + id);
        StringBuilder report = new StringBuilder("REPORT RequestId: " + id)
                .append(String.format(Locale.ROOT, "\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB"
                                + "\tMax Memory Used: %d MB", ms, (long) Math.ceil(ms), t.version().memorySize,
                        env == null ? 0 : env.maxMemoryUsedMb()));
        if (r.status() != null && !r.status().equals("error")) {
            report.append("\tStatus: ").append(r.status());
        }
        inv.log(report.toString());
        List<String> lines = inv.logLines();
        String stream = env != null ? env.logStreamName
                : LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/[" + t.version().version + "]failed";
        LogStore store = logs.get();
        if (store != null) {
            store.write(t.account(), t.region(), t.version().logGroup, stream, lines);
        }
        release(t.function());
        outcome.complete(new Outcome(r, lines));
    }

    private final Set<FunctionVersion> retired = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    /** An environment asked for its next invocation: it is warm and can be reused, unless its version is gone. */
    private void ready(ExecutionEnvironment env) {
        if (retired.contains(env.version)) {
            env.kill();
            all.remove(env);
            return;
        }
        idle.computeIfAbsent(env.version, k -> new ConcurrentLinkedDeque<>()).addFirst(env);
    }

    /** Stops the environments of a version that was replaced or deleted; running invocations finish first. */
    void retire(FunctionVersion v) {
        retired.add(v);
        ConcurrentLinkedDeque<ExecutionEnvironment> q = idle.remove(v);
        if (q != null) {
            q.forEach(env -> {
                env.kill();
                all.remove(env);
            });
        }
    }

    private void reapIdle() {
        all.removeIf(ExecutionEnvironment::isDead);
        long now = System.currentTimeMillis();
        for (ConcurrentLinkedDeque<ExecutionEnvironment> q : idle.values()) {
            for (ExecutionEnvironment env : q) {
                if (now - env.idleSinceMillis > IDLE_MILLIS && q.remove(env)) {
                    env.kill();
                    all.remove(env);
                }
            }
        }
    }

    void stopAll() {
        retired.clear();
        all.forEach(ExecutionEnvironment::kill);
        all.clear();
        idle.clear();
    }
}
