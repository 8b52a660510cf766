package dev.terrarium.services.s3;

import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Set;

/**
 * RestoreObject for archived objects (GLACIER, DEEP_ARCHIVE), on the core clock: a restore is in progress
 * (ongoing-request="true") for as long as its tier takes (Expedited minutes, Standard and Bulk hours), then
 * its copy is readable until its expiry (days after completion, rounded to midnight UTC). Completions are
 * announced (ObjectRestore:Completed) by the sweeper that runs as the clock moves.
 */
final class Restores {
    static final Set<String> ARCHIVED = Set.of("GLACIER", "DEEP_ARCHIVE");
    private static final Set<String> TIERS = Set.of("Standard", "Bulk", "Expedited");
    private final Notifications notifications;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();

    /** A restore whose completion is still to be announced. */
    private record Pending(Bucket bucket, S3Object object, Instant readyAt, Notifications.Cause cause) {
    }

    Restores(Notifications notifications) {
        this.notifications = notifications;
    }

    /** Remembers a restore just started, to announce its completion. */
    void started(Bucket b, S3Object o, dev.terrarium.core.service.Call call) {
        String userId = call.identity().userId();
        pending.add(new Pending(b, o, o.restoreReadyAt, new Notifications.Cause(userId == null
                ? Owners.canonicalId(call.account()) : "AWS:" + userId, call.request().remoteAddress(), call.requestId())));
    }

    /** Announces the restores completed by now (ObjectRestore:Completed). */
    void complete(Instant now) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (!now.isBefore(p.readyAt())) {
                it.remove();
                notifications.publish(p.bucket(), "ObjectRestore:Completed",
                        Notifications.Change.of(p.object(), p.bucket().everVersioned()), p.cause(), p.bucket().region,
                        p.readyAt());
            }
        }
    }

    void clear() {
        pending.clear();
    }

    /** How long a tier takes for a storage class (the upper end of AWS's published ranges). */
    static Duration duration(String tier, String storageClass) {
        boolean deep = "DEEP_ARCHIVE".equals(storageClass);
        return switch (tier == null ? "Standard" : tier) {
            case "Expedited" -> Duration.ofMinutes(5);
            case "Bulk" -> deep ? Duration.ofHours(48) : Duration.ofHours(12);
            default -> deep ? Duration.ofHours(12) : Duration.ofHours(5);
        };
    }

    /** Starts (202, true) or extends (200, false) a restore of o; a restore in progress is a 409. */
    static boolean restore(S3Object o, Struct request, Instant now) {
        if (!ARCHIVED.contains(o.meta.storageClass())) {
            throw new AwsException("InvalidObjectState", "Restore is not allowed for the object's current storage "
                    + "class", 403).withFields(Struct.of("StorageClass", o.meta.storageClass()));
        }
        Integer days = request == null ? null : request.integer("Days");
        if (days == null || days < 1) {
            throw days == null ? S3Errors.malformedXml()
                    : S3Errors.invalidArgument("Invalid days value", "Days", days.toString());
        }
        Struct job = request.struct("GlacierJobParameters");
        String tier = job != null ? job.string("Tier") : request.string("Tier");
        if (tier != null && !TIERS.contains(tier)) {
            throw S3Errors.malformedXml();
        }
        if ("Expedited".equals(tier) && "DEEP_ARCHIVE".equals(o.meta.storageClass())) {
            throw new AwsException("InvalidObjectState", "Expedited retrieval is not supported for the "
                    + "DEEP_ARCHIVE storage class", 403).withFields(Struct.of("StorageClass", "DEEP_ARCHIVE"));
        }
        if (o.restoreReadyAt != null && now.isBefore(o.restoreReadyAt)) {
            throw new AwsException("RestoreAlreadyInProgress", "Object restore is already in progress", 409);
        }
        boolean fresh = !restored(o, now);
        Instant ready = fresh ? now.plus(duration(tier, o.meta.storageClass())) : now;
        o.restoreReadyAt = ready;
        o.restoreExpiry = Lifecycle.due(ready, days);
        return fresh;
    }

    static boolean restored(S3Object o, Instant now) {
        Instant ready = o.restoreReadyAt;
        Instant expiry = o.restoreExpiry;
        return ready != null && expiry != null && !now.isBefore(ready) && now.isBefore(expiry);
    }

    /** The x-amz-restore header: in progress, or done with its expiry; null when never restored or expired. */
    static String header(S3Object o, Instant now) {
        Instant ready = o.restoreReadyAt;
        if (ready == null) {
            return null;
        }
        if (now.isBefore(ready)) {
            return "ongoing-request=\"true\"";
        }
        return restored(o, now) ? "ongoing-request=\"false\", expiry-date=\"" + Timestamps.rfc822(o.restoreExpiry) + "\""
                : null;
    }

    /** GET of an archived object needs a live restored copy. */
    static void checkReadable(S3Object o, Instant now) {
        if (ARCHIVED.contains(o.meta.storageClass()) && !restored(o, now)) {
            throw new AwsException("InvalidObjectState", "The operation is not valid for the object's storage class",
                    403).withFields(Struct.of("StorageClass", o.meta.storageClass()));
        }
    }
}
