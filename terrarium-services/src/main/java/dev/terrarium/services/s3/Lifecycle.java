package dev.terrarium.services.s3;

import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Lifecycle rules: checked on PutBucketLifecycleConfiguration and applied to a bucket at a given time
 * (expiration, expired delete markers, noncurrent version expiration, transitions, aborting
 * incomplete multipart uploads), with S3's day arithmetic: creation time plus the days, rounded up
 * to the next midnight UTC.
 */
final class Lifecycle {
    static final String CONFIG = "Lifecycle";

    private Lifecycle() {}

    static void validate(Struct config) {
        List<Struct> rules = config == null ? null : config.structs("Rules");
        if (rules == null || rules.isEmpty() || rules.size() > 1000) {
            throw S3Errors.malformedXml();
        }
        for (Struct rule : rules) {
            if (rule.get("Filter") != null && rule.get("Prefix") != null) {
                throw S3Errors.malformedXml();
            }
            if (rule.get("Expiration") == null && rule.get("Transitions") == null
                    && rule.get("NoncurrentVersionExpiration") == null && rule.get("NoncurrentVersionTransitions") == null
                    && rule.get("AbortIncompleteMultipartUpload") == null) {
                throw S3Errors.invalidRequest("At least one action needs to be specified in a rule");
            }
            Struct exp = rule.struct("Expiration");
            if (exp != null && exp.integer("Days") != null && exp.integer("Days") <= 0) {
                throw S3Errors.invalidArgument("'Days' for Expiration action must be a positive integer",
                        "Days", exp.integer("Days").toString());
            }
            Struct nve = rule.struct("NoncurrentVersionExpiration");
            if (nve != null && nve.integer("NoncurrentDays") != null && nve.integer("NoncurrentDays") <= 0) {
                throw S3Errors.invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a "
                        + "positive integer", "NoncurrentDays", nve.integer("NoncurrentDays").toString());
            }
            for (Struct t : rule.structs("Transitions") == null ? List.<Struct>of() : rule.structs("Transitions")) {
                if (t.integer("Days") != null && t.integer("Days") < 0) {
                    throw S3Errors.invalidArgument("'Days' in Transition action must be nonnegative", "Days",
                            t.integer("Days").toString());
                }
            }
        }
    }

    /** Midnight UTC on or after start + days (S3 rounds a rule's due time up to the next day). */
    static Instant due(Instant start, int days) {
        Instant t = start.plus(Duration.ofDays(days));
        Instant midnight = t.truncatedTo(ChronoUnit.DAYS);
        return midnight.equals(t) ? t : midnight.plus(Duration.ofDays(1));
    }

    /** x-amz-expiration for a current object a rule will expire, or null. */
    static String expirationHeader(Bucket b, S3Object o) {
        Struct config = (Struct) b.configs.get(CONFIG);
        if (config == null) {
            return null;
        }
        for (Struct rule : config.structs("Rules")) {
            Struct exp = rule.struct("Expiration");
            if (!enabled(rule) || exp == null || !matches(rule, o)) {
                continue;
            }
            Instant at = exp.integer("Days") != null ? due(o.lastModified, exp.integer("Days")) : exp.timestamp("Date");
            if (at != null) {
                return "expiry-date=\"" + Timestamps.rfc822(at) + "\", rule-id=\"" + rule.string("ID", "") + "\"";
            }
        }
        return null;
    }

    /** Applies every enabled rule of the bucket as of now. */
    static void apply(Bucket b, BlobStore blobs, Multipart multipart, Notifications notifications, Instant now) {
        Struct config = (Struct) b.configs.get(CONFIG);
        if (config == null) {
            return;
        }
        for (Struct rule : config.structs("Rules")) {
            if (enabled(rule)) {
                applyRule(b, blobs, multipart, notifications, rule, now);
            }
        }
    }

    private static boolean enabled(Struct rule) {
        return "Enabled".equals(rule.string("Status"));
    }

    private static void applyRule(Bucket b, BlobStore blobs, Multipart multipart, Notifications notifications,
                                  Struct rule, Instant now) {
        String prefix = prefix(rule);
        Struct abort = rule.struct("AbortIncompleteMultipartUpload");
        if (abort != null && abort.integer("DaysAfterInitiation") != null) {
            for (MultipartUpload u : List.copyOf(b.uploads.values())) {
                if (u.key.startsWith(prefix) && !now.isBefore(due(u.initiated, abort.integer("DaysAfterInitiation")))
                        && b.uploads.remove(u.id, u)) {
                    multipart.discard(u);
                }
            }
        }
        for (KeyHistory h : b.objects.tailMap(prefix, true).values()) {
            List<S3Object> versions = h.all();
            if (versions.isEmpty() || !versions.get(0).key.startsWith(prefix)) {
                if (!versions.isEmpty()) {
                    break; // past the prefix in key order
                }
                continue;
            }
            applyToKey(b, blobs, notifications, rule, versions, now);
        }
    }

    private static void applyToKey(Bucket b, BlobStore blobs, Notifications notifications, Struct rule,
                                   List<S3Object> versions, Instant now) {
        S3Object current = versions.get(0);
        Struct exp = rule.struct("Expiration");
        if (!current.deleteMarker && matches(rule, current)) {
            transition(rule.structs("Transitions"), "Days", current, current.lastModified, now);
            if (exp != null && expired(exp, current.lastModified, now)) {
                delete(b, blobs, notifications, current.key, null, now);
                return;
            }
        }
        if (current.deleteMarker && versions.size() == 1 && exp != null
                && Boolean.TRUE.equals(exp.bool("ExpiredObjectDeleteMarker")) && current.key.startsWith(prefix(rule))) {
            delete(b, blobs, notifications, current.key, current.versionId, now);
            return;
        }
        Struct nve = rule.struct("NoncurrentVersionExpiration");
        Integer keepNewer = nve == null ? null : nve.integer("NewerNoncurrentVersions");
        int noncurrentSeen = 0;
        for (int i = 1; i < versions.size(); i++) {
            S3Object v = versions.get(i);
            Instant noncurrentSince = versions.get(i - 1).lastModified;
            if (v.deleteMarker) {
                continue;
            }
            noncurrentSeen++;
            if (!matches(rule, v)) {
                continue;
            }
            transition(rule.structs("NoncurrentVersionTransitions"), "NoncurrentDays", v, noncurrentSince, now);
            if (nve != null && nve.integer("NoncurrentDays") != null
                    && (keepNewer == null || noncurrentSeen > keepNewer)
                    && !now.isBefore(due(noncurrentSince, nve.integer("NoncurrentDays")))) {
                delete(b, blobs, notifications, v.key, v.versionId, now);
            }
        }
    }

    private static boolean expired(Struct exp, Instant since, Instant now) {
        if (exp.integer("Days") != null) {
            return !now.isBefore(due(since, exp.integer("Days")));
        }
        Instant date = exp.timestamp("Date");
        return date != null && !now.isBefore(date);
    }

    /** Moves o to the storage class of the latest transition that is due. */
    private static void transition(List<Struct> transitions, String daysMember, S3Object o, Instant since, Instant now) {
        if (transitions == null) {
            return;
        }
        Instant best = null;
        String storageClass = null;
        for (Struct t : transitions) {
            Integer days = t.integer(daysMember);
            Instant at = days != null ? due(since, days) : t.timestamp("Date");
            if (at != null && !now.isBefore(at) && (best == null || at.isAfter(best))) {
                best = at;
                storageClass = t.string("StorageClass");
            }
        }
        if (storageClass != null && !storageClass.equals(o.meta.storageClass())) {
            o.meta = o.meta.withStorageClass(storageClass);
            if ("GLACIER".equals(storageClass) || "DEEP_ARCHIVE".equals(storageClass)) {
                o.restoreReadyAt = null;
                o.restoreExpiry = null;
            }
        }
    }

    private static void delete(Bucket b, BlobStore blobs, Notifications notifications, String key, String versionId,
                               Instant now) {
        try {
            Struct out = Deletes.delete(b, blobs, key, versionId, false, now, b.account, null);
            boolean marker = versionId == null && Boolean.TRUE.equals(out.get("DeleteMarker"));
            String reported = b.everVersioned() ? (String) out.get("VersionId") : null;
            notifications.publish(b, marker ? "LifecycleExpiration:DeleteMarkerCreated" : "LifecycleExpiration:Delete",
                    new Notifications.Change(key, null, null, reported), Notifications.Cause.LIFECYCLE, b.region, now);
        } catch (AwsException locked) {
            // Object Lock keeps the version: lifecycle skips it, as S3 does
        }
    }

    /** The key prefix a rule's filter names (Filter.Prefix, Filter.And.Prefix or the legacy Prefix); "" for all. */
    static String prefix(Struct rule) {
        Struct filter = rule.struct("Filter");
        if (filter == null) {
            return rule.string("Prefix", "");
        }
        Struct and = filter.struct("And");
        String p = and != null ? and.string("Prefix") : filter.string("Prefix");
        return p == null ? "" : p;
    }

    /** Whether the rule's filter (prefix, tags, object size) selects version o. */
    static boolean matches(Struct rule, S3Object o) {
        if (!o.key.startsWith(prefix(rule))) {
            return false;
        }
        Struct filter = rule.struct("Filter");
        if (filter == null) {
            return true;
        }
        Struct scope = filter.struct("And") != null ? filter.struct("And") : filter;
        Struct tag = filter.struct("Tag");
        if (tag != null && !tag.string("Value", "").equals(o.tags.get(tag.string("Key")))) {
            return false;
        }
        List<Struct> tags = scope.structs("Tags");
        if (tags != null) {
            for (Struct t : tags) {
                if (!t.string("Value", "").equals(o.tags.get(t.string("Key")))) {
                    return false;
                }
            }
        }
        Long greater = scope.longValue("ObjectSizeGreaterThan");
        Long less = scope.longValue("ObjectSizeLessThan");
        return (greater == null || o.size() > greater) && (less == null || o.size() < less);
    }

}
