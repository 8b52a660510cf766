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
import java.util.function.Consumer;

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
    /** Provisioned concurrency: the kept environments by function, qualifier (a version number or alias name) and version. */
    private final Map<PoolKey, ProvisionedEnvironments> provisioned = new ConcurrentHashMap<>();

    /** A weighted alias's provisioned concurrency has environments of both its versions. */
    private record PoolKey(LambdaFunction function, String qualifier, FunctionVersion version) {
    }
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
        outcome.thenAccept(inv.response::complete);
        ExecutionEnvironment env = warm(t);
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
            return inv.response;
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
        return inv.response;
    }

    /** An idle environment for the target: a provisioned one of the invoked qualifier first, then an on-demand one. */
    private ExecutionEnvironment warm(Target t) {
        FunctionVersion v = t.version();
        String qualifier = qualifier(t);
        ProvisionedEnvironments pool = qualifier == null ? null : provisioned.get(new PoolKey(t.function(), qualifier, v));
        if (pool != null) {
            ExecutionEnvironment env = pool.take();
            if (env != null) {
                return env;
            }
        }
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

    /** A cold start: a new on-demand environment for the invocation. */
    private ExecutionEnvironment start(Target t, Invocation inv, CompletableFuture<Outcome> outcome) throws IOException {
        return launch(t, null, env -> pending.put(env, new Pending(t, inv, outcome)));
    }

    /** Creates and starts an environment of the target's version, on demand (pool null) or for provisioned concurrency. */
    private ExecutionEnvironment launch(Target t, ProvisionedEnvironments pool, Consumer<ExecutionEnvironment> created)
            throws IOException {
        FunctionVersion v = t.version();
        Path code = v.code.directory();
        List<String> command = v.image != null ? List.of() : commands.command(v.runtime, code);
        String stream = LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/[" + v.version + "]"
                + UUID.randomUUID().toString().replace("-", "");
        ExecutionEnvironment env = new ExecutionEnvironment(v, stream, pool, apiThreads,
                this::ready,
                this::onFinished);
        created.accept(env);
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
        try {
            command = ExecWrapper.wrap(command, variables, v.runtime, code, opt);
            env.start(command, variables, code);
        } catch (IOException | RuntimeException e) {
            env.kill();
            all.remove(env);
            pending.remove(env);
            throw e;
        }
        return env;
    }

    // --- provisioned concurrency

    /** The qualifier an invocation named (a version number or an alias name), or null for the unqualified function. */
    private static String qualifier(Target t) {
        String arn = t.invokedArn();
        String base = t.function().arn;
        return arn != null && arn.length() > base.length() + 1 && arn.startsWith(base + ":")
                ? arn.substring(base.length() + 1) : null;
    }

    private List<Map.Entry<PoolKey, ProvisionedEnvironments>> pools(LambdaFunction f, String qualifier) {
        return provisioned.entrySet().stream()
                .filter(e -> e.getKey().function() == f && e.getKey().qualifier().equals(qualifier)).toList();
    }

    /**
     * Keeps initialized environments for a qualifier (PutProvisionedConcurrencyConfig): {@code counts} of each version
     * it routes to (an alias with weights splits them). They start now, in the background; environments of versions
     * the qualifier no longer names (an alias pointed elsewhere) stop.
     */
    void provision(LambdaFunction f, String qualifier, Map<Target, Integer> counts) {
        List<ProvisionedEnvironments> stop = new ArrayList<>();
        Map<ProvisionedEnvironments, Integer> sizes = new java.util.LinkedHashMap<>();
        synchronized (provisioned) {
            Set<FunctionVersion> wanted = new java.util.HashSet<>();
            counts.forEach((t, n) -> {
                if (n > 0) {
                    wanted.add(t.version());
                }
            });
            for (var e : pools(f, qualifier)) {
                if (!wanted.contains(e.getKey().version()) || e.getValue().isClosed()) {
                    provisioned.remove(e.getKey());
                    stop.add(e.getValue());
                }
            }
            counts.forEach((t, n) -> {
                if (n > 0) {
                    ProvisionedEnvironments pool = provisioned.computeIfAbsent(new PoolKey(f, qualifier, t.version()),
                            k -> new ProvisionedEnvironments(t, p -> apiThreads.execute(() -> launchProvisioned(p))));
                    sizes.put(pool, n);
                }
            });
        }
        stop.forEach(ProvisionedEnvironments::close);
        sizes.forEach(ProvisionedEnvironments::resize);
    }

    /** Stops the provisioned environments of a qualifier (DeleteProvisionedConcurrencyConfig). */
    void unprovision(LambdaFunction f, String qualifier) {
        List<ProvisionedEnvironments> stop = new ArrayList<>();
        synchronized (provisioned) {
            for (var e : pools(f, qualifier)) {
                provisioned.remove(e.getKey());
                stop.add(e.getValue());
            }
        }
        stop.forEach(ProvisionedEnvironments::close);
    }

    /** The allocation of a qualifier's provisioned concurrency, over its versions (none when it has none). */
    ProvisionedEnvironments.Allocation allocation(LambdaFunction f, String qualifier) {
        int allocated = 0;
        String failure = null;
        for (var e : pools(f, qualifier)) {
            ProvisionedEnvironments.Allocation a = e.getValue().allocation();
            allocated += a.allocated();
            failure = failure != null ? failure : a.failure();
        }
        return new ProvisionedEnvironments.Allocation(allocated, failure);
    }

    /** Starts one provisioned environment (on a background thread); its init has {@value #INIT_MILLIS} ms. */
    private void launchProvisioned(ProvisionedEnvironments pool) {
        ExecutionEnvironment env;
        boolean[] adopted = {false, false}; // {asked, adopted}
        try {
            env = launch(pool.target, pool, e -> {
                adopted[0] = true;
                adopted[1] = pool.adopt(e);
            });
            if (!adopted[1]) {
                env.kill();
                return;
            }
        } catch (RuntimeException | IOException e) {
            if (!adopted[0]) {
                pool.failed(); // the runtime cannot run here; an adopted environment reported its death itself
            }
            return;
        }
        timers.schedule(() -> {
            if (!env.initialized()) {
                env.kill();
            }
        }, INIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The init output of a provisioned environment goes to its log stream when the init is done, as on AWS. */
    private void initialized(ExecutionEnvironment env) {
        List<String> lines = env.takeOutput();
        Target t = env.pool.target;
        LogStore store = logs.get();
        if (store != null && !lines.isEmpty()) {
            store.write(t.account(), t.region(), t.version().logGroup, env.logStreamName, lines);
        }
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
        e.put("AWS_LAMBDA_INITIALIZATION_TYPE", env.pool == null ? "on-demand" : "provisioned-concurrency");
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
        if (inv.initDurationMs >= 0) {
            report.append(String.format(Locale.ROOT, "\tInit Duration: %.2f ms", inv.initDurationMs));
        }
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
        if (env.pool != null) {
            if (env.pool.ready(env)) {
                initialized(env);
            }
            return;
        }
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
        List<ProvisionedEnvironments> stop = new ArrayList<>();
        synchronized (provisioned) {
            provisioned.entrySet().removeIf(e -> {
                if (e.getKey().version() == v) {
                    stop.add(e.getValue());
                    return true;
                }
                return false;
            });
        }
        stop.forEach(ProvisionedEnvironments::close);
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
        List<ProvisionedEnvironments> stop;
        synchronized (provisioned) {
            stop = List.copyOf(provisioned.values());
            provisioned.clear();
        }
        stop.forEach(ProvisionedEnvironments::close);
        retired.clear();
        all.forEach(ExecutionEnvironment::kill);
        all.clear();
        idle.clear();
    }
}
