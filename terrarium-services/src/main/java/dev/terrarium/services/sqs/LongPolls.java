package dev.terrarium.services.sqs;

import dev.terrarium.core.service.Daemons;
import dev.terrarium.core.clock.Clock;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of SQS. Parked receives are woken at once by sends; this thread notices the
 * rest every TICK_MILLIS: waits that ran out, and delayed or in-flight messages whose time came
 * (by the core Clock, so a virtual clock drives them). It also advances message move tasks.
 */
final class LongPolls implements AutoCloseable {
    static final long TICK_MILLIS = 20;

    private final Clock clock;
    private final Set<Queue> watched = ConcurrentHashMap.newKeySet();
    private final Runnable alsoEachTick;
    private volatile ScheduledExecutorService timer;

    LongPolls(Clock clock, Runnable alsoEachTick) {
        this.clock = clock;
        this.alsoEachTick = alsoEachTick;
    }

    /** A queue with parked receives, checked each tick until it has none. */
    void watch(Queue q) {
        watched.add(q);
        start();
    }

    void start() {
        if (timer == null) {
            synchronized (this) {
                if (timer == null) {
                    timer = Daemons.scheduled("sqs-timer");
                    timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private void tick() {
        try {
            long now = clock.millis();
            for (Queue q : watched) {
                if (!q.tick(now)) {
                    watched.remove(q);
                    if (q.tick(now)) { // a receive parked between the two looks
                        watched.add(q);
                    }
                }
            }
            alsoEachTick.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LongPolls.class).warn("sqs timer", e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
