package dev.terrarium.services.sqs;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Message move tasks: messages of a dead-letter queue moved back to the queues they came from (or to
 * a given destination), at most MaxNumberOfMessagesPerSecond, advanced by the SQS timer.
 */
final class MessageMoveTasks {
    private static final int DEFAULT_RATE = 500;

    private final Queues queues;
    private final Clock clock;
    /** Tasks per source ARN, the newest first. */
    private final Map<String, List<Task>> bySource = new ConcurrentHashMap<>();

    MessageMoveTasks(Queues queues, Clock clock) {
        this.queues = queues;
        this.clock = clock;
    }

    static final class Task {
        final String handle;
        final String sourceArn;
        final String destinationArn;
        final Integer rate;
        final long startedAt;
        final long toMove;
        volatile String status = "RUNNING";
        volatile long moved;
        volatile String failureReason;
        private double budget;
        private long lastTickAt;

        Task(String sourceArn, String destinationArn, Integer rate, long startedAt, long toMove) {
            this.handle = Base64.getEncoder().encodeToString(("{\"taskId\":\"" + UUID.randomUUID() + "\",\"sourceArn\":\""
                    + sourceArn + "\"}").getBytes(StandardCharsets.UTF_8));
            this.sourceArn = sourceArn;
            this.destinationArn = destinationArn;
            this.rate = rate;
            this.startedAt = startedAt;
            this.toMove = toMove;
            this.lastTickAt = System.nanoTime();
        }
    }

    Task start(Queue source, String destinationArn, Integer rate, List<Queue> sourcesOfDlq) {
        if (sourcesOfDlq.isEmpty()) {
            throw SqsErrors.invalidParameter("Source queue must be configured as a Dead Letter Queue.");
        }
        if (destinationArn != null) {
            Queue dest = queues.byArn(destinationArn);
            if (dest == null) {
                throw SqsErrors.resourceNotFound("The resource that you specified for the DestinationArn parameter "
                        + "doesn't exist.");
            }
            if (dest.fifo != source.fifo) {
                throw SqsErrors.invalidParameter("The destination queue must be of the same type as the source queue.");
            }
        }
        if (rate != null && (rate < 1 || rate > 500)) {
            throw SqsErrors.invalidParameter("MaxNumberOfMessagesPerSecond", rate, "Must be between 1 and 500.");
        }
        List<Task> tasks = bySource.computeIfAbsent(source.arn, k -> new CopyOnWriteArrayList<>());
        synchronized (tasks) {
            for (Task t : tasks) {
                if (t.status.equals("RUNNING")) {
                    throw SqsErrors.invalidParameter("There is already a task running. Only one active task is allowed "
                            + "for a source queue arn at a given time.");
                }
            }
            Task task = new Task(source.arn, destinationArn, rate, clock.millis(), source.counts(clock.millis())[0]);
            tasks.add(0, task);
            return task;
        }
    }

    List<Task> list(String sourceArn) {
        List<Task> tasks = bySource.get(sourceArn);
        return tasks == null ? List.of() : new ArrayList<>(tasks);
    }

    Task cancel(String handle) {
        for (List<Task> tasks : bySource.values()) {
            for (Task t : tasks) {
                if (t.handle.equals(handle)) {
                    if (!t.status.equals("RUNNING")) {
                        throw new AwsException("UnsupportedOperation", "Only active tasks can be cancelled.");
                    }
                    t.status = "CANCELLED";
                    return t;
                }
            }
        }
        throw SqsErrors.resourceNotFound("Task does not exist.");
    }

    boolean anyRunning() {
        for (List<Task> tasks : bySource.values()) {
            for (Task t : tasks) {
                if (t.status.equals("RUNNING")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Moves, for each running task, what its rate allows since the last tick. */
    void tick() {
        for (List<Task> tasks : bySource.values()) {
            for (Task t : tasks) {
                if (t.status.equals("RUNNING")) {
                    advance(t);
                }
            }
        }
    }

    private void advance(Task t) {
        long nanos = System.nanoTime();
        t.budget = Math.min(t.budget + (nanos - t.lastTickAt) / 1e9 * (t.rate == null ? DEFAULT_RATE : t.rate),
                t.rate == null ? DEFAULT_RATE : t.rate);
        t.lastTickAt = nanos;
        int n = (int) Math.min(t.budget, Math.max(0, t.toMove - t.moved));
        Queue source = queues.byArn(t.sourceArn);
        if (source == null) {
            t.failureReason = "AWS.SimpleQueueService.NonExistentQueue";
            t.status = "FAILED";
            return;
        }
        long now = clock.millis();
        if (n > 0) {
            List<Message> batch = source.drainAvailable(now, n);
            t.budget -= batch.size();
            for (Message m : batch) {
                Queue dest = queues.byArn(t.destinationArn != null ? t.destinationArn : m.deadLetterSourceArn);
                if (dest == null) {
                    source.accept(List.of(m), m.deadLetterSourceArn, now);
                    t.failureReason = "AWS.SimpleQueueService.NonExistentQueue";
                    t.status = "FAILED";
                    return;
                }
                dest.accept(List.of(m), null, now);
                t.moved++;
            }
            if (batch.isEmpty()) {
                t.status = "COMPLETED";
            }
        }
        if (t.moved >= t.toMove) {
            t.status = "COMPLETED";
        }
    }

    static Struct describe(Task t) {
        return Struct.of("TaskHandle", t.status.equals("RUNNING") ? t.handle : null, "Status", t.status,
                "SourceArn", t.sourceArn, "DestinationArn", t.destinationArn,
                "MaxNumberOfMessagesPerSecond", t.rate, "ApproximateNumberOfMessagesMoved", t.moved,
                "ApproximateNumberOfMessagesToMove", t.toMove, "FailureReason", t.failureReason,
                "StartedTimestamp", t.startedAt);
    }

    void clear() {
        bySource.clear();
    }
}
