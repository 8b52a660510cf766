package dev.terrarium.services.s3;

import dev.terrarium.core.service.Daemons;
import dev.terrarium.core.clock.Clock;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs lifecycle rules on the core clock: every few seconds of real time, and right after each advance
 * of a virtual clock. A sweep only walks buckets that have a lifecycle configuration; with none it
 * touches nothing but the bucket map.
 */
final class LifecycleSweeper {
    static final long PERIOD_MILLIS = 2000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LifecycleSweeper.class);
    private final Buckets buckets;
    private final BlobStore blobs;
    private final Multipart multipart;
    private final Notifications notifications;
    private final Clock clock;
    private AutoCloseable advances = () -> { };
    private final ScheduledExecutorService timer = Daemons.scheduled("terrarium-s3-lifecycle");

    private final Restores restores;
    private final Replication replication;

    LifecycleSweeper(Buckets buckets, BlobStore blobs, Multipart multipart, Notifications notifications,
                     Restores restores, Replication replication, Clock clock) {
        this.restores = restores;
        this.replication = replication;
        this.notifications = notifications;
        this.buckets = buckets;
        this.blobs = blobs;
        this.multipart = multipart;
        this.clock = clock;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sweepQuietly, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        advances = clock.onAdvance(() -> {
            if (!timer.isShutdown()) {
                timer.execute(this::sweepQuietly);
            }
        });
    }

    void stop() {
        timer.shutdownNow();
        try {
            advances.close();
        } catch (Exception e) {
            LOG.debug("clock listener close failed", e);
        }
    }

    /** One pass over every bucket with lifecycle rules, as of the clock's now. */
    void sweep() {
        java.time.Instant now = clock.now();
        restores.complete(now);
        replication.complete(now);
        buckets.forEach(b -> {
            if (b.configs.containsKey(Lifecycle.CONFIG)) {
                Lifecycle.apply(b, blobs, multipart, notifications, now);
            }
        });
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("lifecycle sweep failed", e);
        }
    }
}
