package dev.terrarium.services.sqs;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.service.Tags;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One queue: its configuration and its messages, guarded by its own lock (never a global one).
 * Work that completes other requests (parked long polls) or touches another queue (dead letters)
 * happens after the lock is released.
 */
final class Queue {
    private static final AtomicLong INCARNATIONS = new AtomicLong();
    private static final int TWELVE_HOURS = 43200;

    final String account;
    final String region;
    final String name;
    final String arn;
    final boolean fifo;
    final long createdAt;
    /** Distinguishes this queue from an earlier one of the same name, so old receipt handles fail. */
    final String incarnation;

    private final Queues queues;
    private final ReentrantLock lock = new ReentrantLock();
    private final MessageStore store;
    private final Map<String, Message> byId = new HashMap<>();
    /** Every message of the queue, oldest first, so that those past retention leave on time (and the counters with them). */
    private final TreeSet<Message> byAge = new TreeSet<>(Message.BY_SENT_AT);
    private final Deduplication deduplication = new Deduplication();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Map<String, ReceiveAttempts.Attempt> attempts = new HashMap<>();
    private final Tags tags = new Tags();
    private volatile QueueAttributes attributes;
    private volatile Redrive.Policy redrive;
    private volatile long lastModifiedAt;
    private volatile boolean deleted;
    private long sequence;
    private long lastPurgeAt = Long.MIN_VALUE;

    Queue(Queues queues, String account, String region, String name, QueueAttributes attributes, long now) {
        this.queues = queues;
        this.account = account;
        this.region = region;
        this.name = name;
        this.arn = Arn.of("sqs", region, account, name).toString();
        this.fifo = attributes.fifo();
        this.createdAt = now;
        this.lastModifiedAt = now;
        this.incarnation = Long.toString(INCARNATIONS.incrementAndGet(), 36) + UUID.randomUUID().toString().substring(0, 8);
        this.store = fifo ? new FifoGroups() : new StandardMessages();
        setAttributes(attributes, now);
    }

    QueueAttributes attributes() { return attributes; }
    Redrive.Policy redrivePolicy() { return redrive; }
    long lastModifiedAt() { return lastModifiedAt; }
    boolean isDeleted() { return deleted; }

    void setAttributes(QueueAttributes a, long now) {
        this.attributes = a;
        this.redrive = a.redrivePolicy();
        this.lastModifiedAt = now;
    }

    // --- sending

    SendResult send(SendRequest r, long now) {
        QueueAttributes a = attributes;
        String id = UUID.randomUUID().toString();
        String bodyMd5 = Md5.ofBody(r.body());
        String attributesMd5 = Md5.ofAttributes(r.attributes());
        String systemMd5 = Md5.ofAttributes(r.systemAttributes());
        int delay = r.delaySeconds() != null ? r.delaySeconds() : a.delaySeconds();
        String dedupId = r.deduplicationId();
        if (fifo && dedupId == null) {
            dedupId = Deduplication.contentId(r.body());
        }
        SendResult result;
        List<Runnable> completions = List.of();
        lock.lock();
        try {
            String sequenceNumber = null;
            String dedupKey = null;
            Deduplication.Sent earlier = null;
            if (fifo) {
                dedupKey = Deduplication.key(a.deduplicationPerGroup(), r.groupId(), dedupId);
                earlier = deduplication.find(dedupKey, now);
            }
            if (earlier != null) {
                result = new SendResult(earlier.messageId(), bodyMd5, attributesMd5, systemMd5, earlier.sequenceNumber());
            } else {
                if (fifo) {
                    sequenceNumber = sequenceNumber();
                }
                Message m = new Message(id, r.body(), bodyMd5, r.attributes(), attributesMd5, r.systemAttributes(),
                        systemMd5, now, r.senderId(), r.groupId(), fifo ? dedupId : null, sequenceNumber, null, ++sequence);
                m.visibleAt = now + delay * 1000L;
                add(m, now);
                if (dedupKey != null) {
                    deduplication.remember(dedupKey, id, sequenceNumber, now);
                }
                completions = delay == 0 ? serveWaiters(now) : List.of();
                result = new SendResult(id, bodyMd5, attributesMd5, systemMd5, sequenceNumber);
            }
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
        return result;
    }

    /** Under the lock. */
    private void add(Message m, long now) {
        store.add(m, now);
        byId.put(m.id, m);
        byAge.add(m);
    }

    /** Under the lock: forgets a message the store no longer holds. */
    private void forget(Message m) {
        byId.remove(m.id);
        byAge.remove(m);
    }

    /**
     * Under the lock: removes the messages past the retention period, whether visible, delayed or in flight
     * (their receipt handles then delete nothing).
     */
    private void expire(long now) {
        long retention = attributes.retentionMillis();
        while (!byAge.isEmpty() && byAge.first().sentAt + retention <= now) {
            Message m = byAge.pollFirst();
            store.remove(m);
            byId.remove(m.id);
        }
    }

    private String sequenceNumber() {
        return String.format("%020d", 18_000_000_000_000_000L + sequence * 1000 + (sequence % 997));
    }

    /**
     * Messages arriving from elsewhere (dead-lettered or moved by a task), keeping their id and sent
     * time; deadLetterSourceArn is the queue they were dead-lettered from, or null.
     */
    void accept(List<Message> moved, String deadLetterSourceArn, long now) {
        if (moved.isEmpty()) {
            return;
        }
        List<Runnable> completions;
        lock.lock();
        try {
            for (Message old : moved) {
                long seq = ++sequence;
                Message m = old.movedTo(seq, fifo ? sequenceNumber() : null, deadLetterSourceArn);
                m.visibleAt = now;
                add(m, now);
            }
            completions = serveWaiters(now);
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    // --- receiving

    /**
     * Receives now; or, when nothing is available and the request may wait, parks a waiter and
     * returns its future (registered with polls so that its timeout is noticed).
     */
    CompletableFuture<List<Delivery>> receive(ReceiveRequest r, long now, LongPolls polls) {
        List<Message> dead = new ArrayList<>();
        List<Delivery> got;
        Waiter waiter = null;
        lock.lock();
        try {
            got = take(r, now, dead);
            if (got.isEmpty() && r.waitSeconds() > 0 && !deleted) {
                waiter = new Waiter(r, now);
                waiters.add(waiter);
            }
        } finally {
            lock.unlock();
        }
        deadLetter(dead, now);
        if (waiter == null) {
            return CompletableFuture.completedFuture(got);
        }
        polls.watch(this);
        return waiter.future;
    }

    /** Under the lock: up to max messages for one receive (or the same ones again for a repeated attempt id). */
    private List<Delivery> take(ReceiveRequest r, long now, List<Message> dead) {
        if (fifo && r.attemptId() != null) {
            List<Delivery> again = ReceiveAttempts.repeat(attempts, r.attemptId(), now);
            if (again != null) {
                return again;
            }
        }
        List<Delivery> out = new ArrayList<>(Math.min(r.maxMessages(), 10));
        Redrive.Policy policy = redrive;
        Queue dlq = policy == null ? null : queues.byArn(policy.deadLetterTargetArn());
        expire(now);
        store.receive(now, r.maxMessages(), m -> {
            if (dlq != null && m.receiveCount >= policy.maxReceiveCount()) {
                forget(m);
                dead.add(m);
                return false;
            }
            m.receiveCount++;
            if (m.receiveCount == 1) {
                m.firstReceivedAt = now;
            }
            m.receivedAt = now;
            m.receiptHandle = ReceiptHandles.issue(incarnation, m.id, m.receiveCount);
            m.visibleAt = now + r.visibilityTimeout() * 1000L;
            out.add(new Delivery(m, m.receiptHandle, m.receiveCount, m.firstReceivedAt));
            return true;
        });
        if (fifo && r.attemptId() != null && !out.isEmpty()) {
            ReceiveAttempts.remember(attempts, r.attemptId(), out, now);
        }
        return out;
    }

    private void deadLetter(List<Message> dead, long now) {
        if (dead.isEmpty()) {
            return;
        }
        Queue dlq = redrive == null ? null : queues.byArn(redrive.deadLetterTargetArn());
        if (dlq == null) {
            accept(dead, null, now); // the dead-letter queue went away meanwhile: keep them here
            return;
        }
        dlq.accept(dead, arn, now);
    }

    /** Under the lock: hands available messages to parked receives, in arrival order. Returns their completions. */
    private List<Runnable> serveWaiters(long now) {
        if (waiters.isEmpty()) {
            return List.of();
        }
        List<Runnable> completions = new ArrayList<>();
        List<Message> dead = new ArrayList<>();
        Iterator<Waiter> it = waiters.iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            if (w.future.isDone()) {
                it.remove();
                continue;
            }
            List<Delivery> got = take(w.request, now, dead);
            if (got.isEmpty()) {
                break;
            }
            it.remove();
            completions.add(() -> w.future.complete(got));
        }
        if (!dead.isEmpty()) {
            completions.add(() -> deadLetter(dead, now));
        }
        return completions;
    }

    /** Called by the long-poll timer: serves what became visible, ends expired waits. True while waiters remain. */
    boolean tick(long now) {
        List<Runnable> completions = new ArrayList<>();
        boolean more;
        lock.lock();
        try {
            expire(now); // a FIFO group whose first message expired in flight delivers again
            if (store.nextVisibleAt() <= now || deleted) {
                completions.addAll(serveWaiters(now));
            }
            Iterator<Waiter> it = waiters.iterator();
            while (it.hasNext()) {
                Waiter w = it.next();
                if (deleted || w.future.isDone() || w.expired(now)) {
                    it.remove();
                    completions.add(() -> w.future.complete(List.of()));
                }
            }
            more = !waiters.isEmpty();
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
        return more;
    }

    int parkedReceives() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    // --- deleting and changing visibility

    /** Deletes by receipt handle. A handle from an earlier receive of the message deletes nothing (as SQS). */
    void delete(String receiptHandle, long now) {
        ReceiptHandles.Decoded h = decode(receiptHandle);
        List<Runnable> completions;
        lock.lock();
        try {
            Message m = byId.get(h.messageId());
            if (m == null || m.receiveCount != h.receive()) {
                return;
            }
            store.remove(m);
            forget(m);
            completions = fifo ? serveWaiters(now) : List.of();
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    void changeVisibility(String receiptHandle, int timeout, long now) {
        if (timeout < 0 || timeout > TWELVE_HOURS) {
            throw SqsErrors.invalidParameter("VisibilityTimeout", timeout, "Must be between 0 and 43200, if provided.");
        }
        ReceiptHandles.Decoded h = decode(receiptHandle);
        List<Runnable> completions;
        lock.lock();
        try {
            expire(now);
            Message m = byId.get(h.messageId());
            if (m == null) {
                throw SqsErrors.invalidParameter("ReceiptHandle", receiptHandle,
                        "Message does not exist or is not available for visibility timeout change.");
            }
            if (m.receiveCount != h.receive()) {
                throw SqsErrors.invalidParameter("ReceiptHandle", receiptHandle, "The receipt handle has expired.");
            }
            if (!m.inFlight(now)) {
                throw new dev.terrarium.core.service.AwsException("MessageNotInflight", "The message referred to isn't in flight.");
            }
            if ((now - m.receivedAt) / 1000 + timeout > TWELVE_HOURS) {
                throw SqsErrors.invalidParameter("VisibilityTimeout", timeout,
                        "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
            }
            store.reschedule(m, now + timeout * 1000L);
            completions = timeout == 0 ? serveWaiters(now) : List.of();
        } finally {
            lock.unlock();
        }
        completions.forEach(Runnable::run);
    }

    private ReceiptHandles.Decoded decode(String receiptHandle) {
        ReceiptHandles.Decoded h = ReceiptHandles.decode(receiptHandle);
        if (h == null || !h.queueId().equals(incarnation)) {
            throw SqsErrors.receiptHandleIsInvalid(receiptHandle);
        }
        return h;
    }

    // --- the queue as a whole

    void purge(long now) {
        lock.lock();
        try {
            if (lastPurgeAt != Long.MIN_VALUE && now - lastPurgeAt < 60_000) {
                throw new dev.terrarium.core.service.AwsException("PurgeQueueInProgress", "Only one PurgeQueue operation on "
                        + name + " is allowed every 60 seconds.");
            }
            lastPurgeAt = now;
            store.clear();
            byId.clear();
            byAge.clear();
            attempts.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the queue deleted and ends its parked receives. */
    void markDeleted(long now) {
        deleted = true;
        tick(now);
    }

    /** Visible, in flight, delayed. */
    long[] counts(long now) {
        lock.lock();
        try {
            expire(now);
            return store.counts(now);
        } finally {
            lock.unlock();
        }
    }

    /** Up to max available messages, taken out (for message move tasks). */
    List<Message> drainAvailable(long now, int max) {
        lock.lock();
        try {
            expire(now);
            List<Message> out = store.drainAvailable(now, max);
            out.forEach(this::forget);
            return out;
        } finally {
            lock.unlock();
        }
    }

    Map<String, String> tags() {
        lock.lock();
        try {
            return new java.util.LinkedHashMap<>(tags.asMap());
        } finally {
            lock.unlock();
        }
    }

    void tag(Map<String, String> newTags) {
        lock.lock();
        try {
            tags.put(newTags, "InvalidParameterValue");
        } finally {
            lock.unlock();
        }
    }

    void untag(List<String> keys) {
        lock.lock();
        try {
            tags.remove(keys);
        } finally {
            lock.unlock();
        }
    }
}
