package dev.terrarium.services.sqs;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A long-polling receive parked on a queue: no thread waits for it. It completes when messages
 * arrive, or empty when its wait is over, by the queue's clock or by real time, whichever is first
 * (so that a virtual clock nobody advances cannot hold a client past its WaitTimeSeconds).
 */
final class Waiter {
    final ReceiveRequest request;
    final long deadline;
    final long realDeadlineNanos;
    final CompletableFuture<List<Delivery>> future = new CompletableFuture<>();

    Waiter(ReceiveRequest request, long now) {
        this.request = request;
        this.deadline = now + request.waitSeconds() * 1000L;
        this.realDeadlineNanos = System.nanoTime() + request.waitSeconds() * 1_000_000_000L;
    }

    boolean expired(long now) {
        return now >= deadline || System.nanoTime() - realDeadlineNanos >= 0;
    }
}
