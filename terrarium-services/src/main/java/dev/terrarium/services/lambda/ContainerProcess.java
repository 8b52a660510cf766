package dev.terrarium.services.lambda;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A started Docker container seen as a {@link Process}, so that an execution environment runs it as it runs a local
 * runtime: its output (the container's logs, followed) is appended to the environment's output file, it exits when the
 * container stops (then the container is removed), and destroying it kills and removes the container.
 */
final class ContainerProcess extends Process {
    /**
     * The container's output reaches the environment through the engine (its logs), after the runtime may already have
     * answered: before an invocation's output is taken, the log stream must have been quiet this long (at most
     * {@link #MAX_SETTLE_NANOS}). The figure is chosen, not measured against a real Docker engine's relay.
     */
    static final long QUIET_NANOS = 15_000_000;
    static final long MAX_SETTLE_NANOS = 100_000_000;
    final String id;
    private final DockerEngine engine;
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private final Thread follower;
    private volatile long pid = -1;
    private volatile int exitCode;
    private volatile boolean removed;
    private volatile long lastOutputNanos;

    /** Starts following the (created, started) container's logs into {@code output}. */
    ContainerProcess(DockerEngine engine, String id, Path output) {
        this.engine = engine;
        this.id = id;
        this.follower = new Thread(() -> follow(output), "lambda-container-" + id.substring(0, Math.min(12, id.length())));
        follower.setDaemon(true);
        follower.start();
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            // the container's main process as the host sees it: its peak memory goes into REPORT like a local runtime's
            try {
                Object state = engine.inspect(id).get("State");
                if (state instanceof java.util.Map<?, ?> s && s.get("Pid") instanceof Number n && n.longValue() > 0) {
                    pid = n.longValue();
                }
            } catch (IOException e) {
                // no memory figure then
            }
        }
    }

    private void follow(Path output) {
        try (OutputStream file = new FileOutputStream(output.toFile(), true)) {
            engine.followLogs(id, new java.io.FilterOutputStream(file) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    file.write(b, off, len);
                    lastOutputNanos = System.nanoTime();
                }
            });
        } catch (IOException e) {
            // the container went away (removed): its exit follows
        }
        int code;
        try {
            code = removed ? 137 : engine.await(id);
        } catch (IOException e) {
            code = 137; // removed meanwhile: it was killed
        }
        exitCode = code;
        if (!removed) {
            removeQuietly();
        }
        exit.complete(this);
    }

    /** Waits until the container's log stream has been quiet for {@link #QUIET_NANOS} (see there); at once when it stopped. */
    void settle() {
        long start = System.nanoTime();
        while (!exit.isDone()) {
            long now = System.nanoTime();
            if (now - Math.max(start, lastOutputNanos) >= QUIET_NANOS || now - start >= MAX_SETTLE_NANOS) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private void removeQuietly() {
        removed = true;
        try {
            engine.remove(id);
        } catch (IOException e) {
            // best effort: the engine is gone, or so is the container
        }
    }

    /** Kills and removes the container (timeout, idle reaping, a replaced version, shutdown). */
    @Override
    public void destroy() {
        if (exit.isDone()) {
            return;
        }
        removeQuietly();
        try {
            // the logs stream ends with the container; an engine that keeps it open does not hold the environment
            follower.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exitCode = 137;
        exit.complete(this);
    }

    @Override
    public Process destroyForcibly() {
        destroy();
        return this;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return exitCode;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("container " + id + " is running");
        }
        return exitCode;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    /** The host PID of the container's main process (Linux), for its memory figure. */
    @Override
    public long pid() {
        if (pid <= 0) {
            throw new UnsupportedOperationException("no host PID for container " + id);
        }
        return pid;
    }

    /** The container's processes are killed with it. */
    @Override
    public Stream<ProcessHandle> descendants() {
        return Stream.empty();
    }

    @Override
    public Stream<ProcessHandle> children() {
        return Stream.empty();
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return InputStream.nullInputStream();
    }
}
