package dev.terrarium.services.sqs;

import java.util.List;
import java.util.Map;

/**
 * FIFO ReceiveRequestAttemptId: a receive retried with the same attempt id within five minutes gets
 * the same messages and receipt handles again, as long as none of them was deleted or changed since.
 * Called under the queue's lock.
 */
final class ReceiveAttempts {
    private static final long WINDOW_MILLIS = 5 * 60 * 1000L;

    record Attempt(List<Delivery> deliveries, long expiresAt) {
    }

    private ReceiveAttempts() {
    }

    static List<Delivery> repeat(Map<String, Attempt> attempts, String attemptId, long now) {
        Attempt a = attempts.get(attemptId);
        if (a == null) {
            return null;
        }
        if (a.expiresAt() <= now) {
            attempts.remove(attemptId);
            return null;
        }
        for (Delivery d : a.deliveries()) {
            Message m = d.message();
            if (m.gone || !d.receiptHandle().equals(m.receiptHandle) || !m.inFlight(now)) {
                attempts.remove(attemptId);
                return null;
            }
        }
        return a.deliveries();
    }

    static void remember(Map<String, Attempt> attempts, String attemptId, List<Delivery> deliveries, long now) {
        if (attempts.size() > 10_000) {
            attempts.values().removeIf(a -> a.expiresAt() <= now);
        }
        attempts.put(attemptId, new Attempt(List.copyOf(deliveries), now + WINDOW_MILLIS));
    }
}
