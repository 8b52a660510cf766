package dev.terrarium.services.s3;

import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.Set;

/**
 * RestoreObject for archived objects (GLACIER, DEEP_ARCHIVE): a restored copy readable until its
 * expiry (days after the restore, rounded to midnight UTC, on the core clock). Restores complete at
 * once: waiting hours for a tier helps no test.
 */
final class Restores {
    static final Set<String> ARCHIVED = Set.of("GLACIER", "DEEP_ARCHIVE");
    private static final Set<String> TIERS = Set.of("Standard", "Bulk", "Expedited");

    private Restores() {}

    /** Restores o; true when it was not restored before (S3 answers 202), false when extended (200). */
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
        boolean fresh = !restored(o, now);
        Instant expiry = Lifecycle.due(now, days);
        o.restoreExpiry = expiry;
        o.restore = "ongoing-request=\"false\", expiry-date=\"" + Timestamps.rfc822(expiry) + "\"";
        return fresh;
    }

    static boolean restored(S3Object o, Instant now) {
        return o.restore != null && o.restoreExpiry != null && now.isBefore(o.restoreExpiry);
    }

    /** GET of an archived object needs a live restored copy. */
    static void checkReadable(S3Object o, Instant now) {
        if (ARCHIVED.contains(o.meta.storageClass()) && !restored(o, now)) {
            throw new AwsException("InvalidObjectState", "The operation is not valid for the object's storage class",
                    403).withFields(Struct.of("StorageClass", o.meta.storageClass()));
        }
    }
}
