package dev.terrarium.services.lambda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The execution environments Lambda keeps initialized for the provisioned concurrency of one version or alias.
 * They start when the configuration is put (AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency), count as
 * allocated once their runtime asked for its first invocation, and are never reaped while the configuration exists:
 * one that dies after its init is replaced. An invocation of the qualifier takes an idle one (no cold start); when
 * all are busy it spills over to on-demand environments. If an environment fails to initialize, the allocation is
 * FAILED with the reason FUNCTION_ERROR_INIT_FAILURE, as Lambda reports it.
 */
final class ProvisionedEnvironments {
    static final String INIT_FAILURE = "FUNCTION_ERROR_INIT_FAILURE";

    /** What GetProvisionedConcurrencyConfig reports of the allocation. */
    record Allocation(int allocated, String failure) {
    }

    final Invoker.Target target;
    private final Consumer<ProvisionedEnvironments> launcher;
    private int requested;
    /** Launches asked of the launcher and not yet adopted (or failed). */
    private int starting;
    private final Set<ExecutionEnvironment> members = new HashSet<>();
    private final Set<ExecutionEnvironment> allocated = new HashSet<>();
    private final Deque<ExecutionEnvironment> idle = new ArrayDeque<>();
    private String failure;
    private boolean closed;

    /** {@code launcher} starts one environment of the pool and hands it to {@link #adopt} (or calls {@link #failed}). */
    ProvisionedEnvironments(Invoker.Target target, Consumer<ProvisionedEnvironments> launcher) {
        this.target = target;
        this.launcher = launcher;
    }

    FunctionVersion version() {
        return target.version();
    }

    /** Sets the number of environments to keep: missing ones start, surplus idle ones stop (busy ones when done). */
    void resize(int count) {
        List<ExecutionEnvironment> surplus = new ArrayList<>();
        int launch;
        synchronized (this) {
            requested = count;
            failure = null;
            while (members.size() > requested && !idle.isEmpty()) {
                ExecutionEnvironment env = idle.pollLast();
                forget(env);
                surplus.add(env);
            }
            launch = Math.max(0, requested - members.size() - starting);
            starting += launch;
        }
        surplus.forEach(ExecutionEnvironment::kill);
        for (int i = 0; i < launch; i++) {
            launcher.accept(this);
        }
    }

    /** A launched environment joins the pool; false when the pool was closed meanwhile (the caller stops it). */
    synchronized boolean adopt(ExecutionEnvironment env) {
        starting = Math.max(0, starting - 1);
        if (closed) {
            return false;
        }
        members.add(env);
        return true;
    }

    /** A launch failed before an environment existed (the runtime cannot start here). */
    synchronized void failed() {
        starting = Math.max(0, starting - 1);
        if (!closed) {
            failure = INIT_FAILURE;
        }
    }

    /**
     * A member asked for its next invocation: it is idle again. Returns true the first time (its init is done);
     * false and stops it when it is no longer wanted (the pool was closed or shrunk).
     */
    boolean ready(ExecutionEnvironment env) {
        boolean first;
        synchronized (this) {
            boolean wanted = !closed && members.contains(env) && members.size() <= requested;
            if (wanted) {
                first = allocated.add(env);
                idle.addFirst(env);
                return first;
            }
            forget(env);
        }
        env.kill();
        return false;
    }

    /** An idle, initialized environment for an invocation, or null when none is (all busy, or still starting). */
    synchronized ExecutionEnvironment take() {
        for (ExecutionEnvironment env = idle.pollFirst(); env != null; env = idle.pollFirst()) {
            if (!env.isDead()) {
                return env;
            }
        }
        return null;
    }

    /** A member's process ended: one that had initialized is replaced; one that had not fails the allocation. */
    void died(ExecutionEnvironment env) {
        boolean replace;
        synchronized (this) {
            if (!members.contains(env)) {
                return;
            }
            boolean wasAllocated = allocated.contains(env);
            forget(env);
            if (closed) {
                return;
            }
            if (!wasAllocated) {
                failure = INIT_FAILURE;
            }
            replace = failure == null && members.size() + starting < requested;
            if (replace) {
                starting++;
            }
        }
        if (replace) {
            launcher.accept(this);
        }
    }

    synchronized Allocation allocation() {
        return new Allocation((int) allocated.stream().filter(e -> !e.isDead()).count(), failure);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Stops every environment of the pool (busy ones finish their invocation first). */
    void close() {
        List<ExecutionEnvironment> stop;
        synchronized (this) {
            closed = true;
            stop = new ArrayList<>(idle);
            idle.clear();
            members.removeAll(stop);
            allocated.removeAll(stop);
            // busy members are stopped when they ask for their next invocation (ready: the pool is closed)
        }
        stop.forEach(ExecutionEnvironment::kill);
    }

    private void forget(ExecutionEnvironment env) {
        members.remove(env);
        allocated.remove(env);
        idle.remove(env);
    }
}
