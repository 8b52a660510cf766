package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Replication rules: checked on PutBucketReplication, and applied to each new version of a source bucket:
 * the version (same id, content, metadata and tags) is copied to every destination whose rule selects it.
 * As on AWS the copy is asynchronous: the source reports PENDING from its write, and the copy is made
 * {@link #DELAY} later on the core clock (by the sweeper that runs as the clock moves), after which the
 * source reports COMPLETED (or FAILED) and the copy REPLICA. Replicas are not replicated again.
 */
final class Replication {
    static final String CONFIG = "Replication";
    /** How long after a write its copies are made (AWS replicates most objects within seconds). */
    static final Duration DELAY = Duration.ofSeconds(5);
    private final Buckets buckets;
    private final BlobStore blobs;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();

    /** A version waiting for its copies, to the destinations the rules chose at its write. */
    private record Pending(S3Object object, Map<String, Struct> byDestination, Instant due) {
    }

    Replication(Buckets buckets, BlobStore blobs) {
        this.buckets = buckets;
        this.blobs = blobs;
    }

    /** Makes the copies due by now. */
    void complete(Instant now) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (!now.isBefore(p.due())) {
                it.remove();
                copyAll(p.object(), p.byDestination());
            }
        }
    }

    void clear() {
        pending.clear();
    }

    static void validate(Struct config, Buckets buckets) {
        List<Struct> rules = config == null ? null : config.structs("Rules");
        if (rules == null || rules.isEmpty() || rules.size() > 1000) {
            throw S3Errors.malformedXml();
        }
        for (Struct rule : rules) {
            Struct dest = rule.struct("Destination");
            String arn = dest == null ? null : dest.string("Bucket");
            if (arn == null || !arn.startsWith("arn:aws:s3:::")) {
                throw S3Errors.invalidArgument("Invalid bucket ARN.", "Destination", arn);
            }
            Bucket target = buckets.find(arn.substring("arn:aws:s3:::".length()));
            if (target == null) {
                throw S3Errors.invalidRequest("Destination bucket must exist.");
            }
            if (!target.versioningEnabled()) {
                throw S3Errors.invalidRequest("Destination bucket must have versioning enabled.");
            }
            if (rule.get("Filter") != null && rule.get("Prefix") != null) {
                throw S3Errors.malformedXml();
            }
            if (rule.get("Filter") != null && rule.struct("DeleteMarkerReplication") == null) {
                throw S3Errors.invalidRequest("DeleteMarkerReplication must be specified for this version of Cross "
                        + "Region Replication configuration schema.");
            }
        }
    }

    /** Schedules the copies of o that the enabled rules of source select: o reports PENDING until they are made. */
    void replicate(Bucket source, S3Object o, Instant now) {
        Object stored = source.configs.get(CONFIG);
        if (!(stored instanceof Struct config) || "REPLICA".equals(o.replicationStatus)) {
            return;
        }
        Map<String, Struct> byDestination = new LinkedHashMap<>();
        for (Struct rule : config.structs("Rules")) {
            if (!"Enabled".equals(rule.string("Status")) || !selects(rule, o)) {
                continue;
            }
            String dest = rule.struct("Destination").string("Bucket").substring("arn:aws:s3:::".length());
            Struct chosen = byDestination.get(dest);
            if (chosen == null || rule.integer("Priority", 0) > chosen.integer("Priority", 0)) {
                byDestination.put(dest, rule);
            }
        }
        if (byDestination.isEmpty()) {
            return;
        }
        if (!o.deleteMarker) {
            o.replicationStatus = "PENDING";
        }
        pending.add(new Pending(o, byDestination, now.plus(DELAY)));
    }

    private void copyAll(S3Object o, Map<String, Struct> byDestination) {
        boolean failed = false;
        for (Map.Entry<String, Struct> e : byDestination.entrySet()) {
            Bucket target = buckets.find(e.getKey());
            if (target == null || !target.versioningEnabled()) {
                failed = true;
                continue;
            }
            try {
                copy(o, target, e.getValue().struct("Destination"), blobs);
            } catch (RuntimeException ex) { // the version went meanwhile, or the copy was refused
                failed = true;
            }
        }
        if (!o.deleteMarker) {
            o.replicationStatus = failed ? "FAILED" : "COMPLETED";
        }
    }

    private static void copy(S3Object o, Bucket target, Struct destination, BlobStore blobs) {
        if (target.version(o.key, o.versionId) != null) {
            return;
        }
        S3Object replica;
        if (o.deleteMarker) {
            replica = S3Object.deleteMarker(o.key, o.versionId, o.lastModified, o.owner);
        } else {
            ObjectMeta meta = o.meta.withStorageClass(destination.string("StorageClass"));
            replica = new S3Object(o.key, o.versionId, false, blobs.share(o.blob), o.etag, o.lastModified, meta,
                    o.owner, o.partSizes, o.checksumAlgorithm, o.checksumValue, o.checksumType, o.tags);
            replica.acl = o.acl;
            replica.replicationStatus = "REPLICA";
        }
        target.write(replica, live -> { });
    }

    private static boolean selects(Struct rule, S3Object o) {
        if (o.deleteMarker) {
            Struct dmr = rule.struct("DeleteMarkerReplication");
            boolean v1 = rule.get("Filter") == null;
            if (!v1 && (dmr == null || !"Enabled".equals(dmr.string("Status")))) {
                return false;
            }
            return o.key.startsWith(Lifecycle.prefix(rule));
        }
        return Lifecycle.matches(rule, o);
    }

}
