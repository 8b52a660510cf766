package dev.terrarium.services.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One invocation on its way through an execution environment, with the log lines it produced. */
final class Invocation {
    final String requestId;
    final byte[] payload;
    final String invokedArn;
    final String clientContext;
    final long timeoutMillis;
    final CompletableFuture<InvocationResult> result = new CompletableFuture<>();
    final List<String> log = new ArrayList<>();
    /** Set once, when the result is known and the runtime's output for it has been collected. */
    final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    volatile long deadlineEpochMillis;
    volatile long startNanos;
    volatile boolean sent;
    /** Run when the runtime receives the invocation: the function's timeout starts then. */
    volatile Runnable onSent;
    volatile double initDurationMs = -1;
    /** For InvokeWithResponseStream: receives the chunks of a streamed response as the runtime sends them. */
    volatile ResponseSink chunks;
    /** Whether the runtime streamed its response (Lambda-Runtime-Function-Response-Mode: streaming). */
    volatile boolean streamed;
    /** When the runtime posted its response or error (System.nanoTime), or 0. */
    volatile long respondedNanos;
    /** Whether platform.runtimeDone was emitted for it. */
    final java.util.concurrent.atomic.AtomicBoolean runtimeDoneSent = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * What the caller waits for: the outcome once the runtime has answered. Without extensions it completes when the
     * invocation is over; with extensions as soon as the runtime posted its response, while the environment stays busy
     * until every extension asked for its next event (Lambda returns the response then too).
     */
    final CompletableFuture<Invoker.Outcome> response = new CompletableFuture<>();

    Invocation(String requestId, byte[] payload, String invokedArn, String clientContext, long timeoutMillis) {
        this.requestId = requestId;
        this.payload = payload;
        this.invokedArn = invokedArn;
        this.clientContext = clientContext;
        this.timeoutMillis = timeoutMillis;
    }

    synchronized void log(String line) {
        log.add(line);
    }

    synchronized void log(int at, String line) {
        log.add(Math.min(at, log.size()), line);
    }

    synchronized List<String> logLines() {
        return List.copyOf(log);
    }
}
