package dev.terrarium.services.s3;

import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What every S3 operation group shares: the buckets, the blob store, uploads in progress and notifications,
 * and the steps many operations take (find the addressed bucket, make an object current, publish an event,
 * resolve the version a request addresses).
 */
final class S3State {
    final ServiceContext context;
    final Buckets buckets = new Buckets();
    final BlobStore blobs = new BlobStore();
    final Multipart multipart;
    final Notifications notifications;
    final Restores restores;
    final Replication replication;

    S3State(ServiceContext context) {
        this.context = context;
        this.multipart = new Multipart(blobs);
        this.notifications = new Notifications(context.events(), (functionArn, bucket) -> {
            dev.terrarium.services.lambda.LambdaService lambda =
                    context.peers().find("lambda", dev.terrarium.services.lambda.LambdaService.class);
            return lambda != null && lambda.allowsServiceInvoke(functionArn, "s3.amazonaws.com",
                    "arn:aws:s3:::" + bucket.name, bucket.account);
        });
        this.restores = new Restores(notifications);
        this.replication = new Replication(buckets, blobs);
    }

    /** S3 keeps times to the second: Last-Modified and listings agree. */
    static Instant now(Call call) {
        return call.receivedAt().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The bucket a call names; AccessDenied when ExpectedBucketOwner names another account. */
    Bucket bucket(Call call, Struct in) {
        Bucket b = buckets.require(in.string("Bucket"));
        String expected = in.string("ExpectedBucketOwner");
        if (expected != null && !expected.equals(b.account)) {
            throw S3Errors.accessDenied(null);
        }
        return b;
    }

    /** Makes o current (after the conditional-write check, atomically), frees what it replaced, replicates it. */
    void store(Bucket b, S3Object o, String ifMatch, String ifNoneMatch) {
        S3Object replaced;
        try {
            replaced = b.write(o, live -> Conditionals.checkWrite(live, o.key, ifMatch, ifNoneMatch));
        } catch (AwsException e) {
            blobs.delete(o.blob);
            throw e;
        }
        if (replaced != null) {
            blobs.delete(replaced.blob);
        }
        replication.replicate(b, o, context.clock().now());
    }

    /** Publishes an object event (ObjectCreated:Put...) to the bucket's notification destinations. */
    void objectEvent(Call call, Bucket b, String eventName, S3Object o) {
        event(call, b, eventName, Notifications.Change.of(o, b.everVersioned()));
    }

    void event(Call call, Bucket b, String eventName, Notifications.Change change) {
        String userId = call.identity().userId();
        Notifications.Cause cause = new Notifications.Cause(userId == null ? Owners.canonicalId(call.account())
                : "AWS:" + userId, call.request().remoteAddress(), call.requestId());
        notifications.publish(b, eventName, change, cause, b.region, call.receivedAt());
    }

    /** The version a read addresses; delete markers answer as S3 does (404 current, 405 by id). */
    S3Object readable(Call call, Bucket b, String key, String versionId) {
        if (versionId == null) {
            S3Object current = b.current(key);
            if (current == null) {
                throw S3Errors.noSuchKey(key);
            }
            if (current.deleteMarker) {
                call.request().responseExtras().header("x-amz-delete-marker", "true");
                if (b.everVersioned()) {
                    call.request().responseExtras().header("x-amz-version-id", current.versionId);
                }
                throw S3Errors.noSuchKey(key);
            }
            return current;
        }
        S3Object v = b.version(key, versionId);
        if (v == null) {
            if (!S3Object.NULL_VERSION.equals(versionId) && !looksLikeVersionId(versionId)) {
                throw S3Errors.invalidArgument("Invalid version id specified", "versionId", versionId);
            }
            throw S3Errors.noSuchVersion(key, versionId);
        }
        if (v.deleteMarker) {
            call.request().responseExtras().header("x-amz-delete-marker", "true")
                    .header("x-amz-version-id", v.versionId)
                    .header("Last-Modified", Timestamps.rfc822(v.lastModified));
            throw S3Errors.methodNotAllowed(call.request().method(), "DeleteMarker");
        }
        return v;
    }

    private static boolean looksLikeVersionId(String v) {
        return v.length() >= 8 && v.length() <= 1024;
    }

    /** The version a sub-resource call addresses (current when no id), never a delete marker. */
    S3Object version(Call call, Bucket b, String key, String versionId) {
        S3Object o = versionId == null ? b.current(key) : b.version(key, versionId);
        if (o == null) {
            throw versionId == null ? S3Errors.noSuchKey(key) : S3Errors.noSuchVersion(key, versionId);
        }
        if (o.deleteMarker) {
            if (versionId == null) {
                throw S3Errors.noSuchKey(key);
            }
            throw S3Errors.methodNotAllowed(call.request().method(), "DeleteMarker");
        }
        return o;
    }

    /** The object a copy (CopyObject, UploadPartCopy) reads: the live version, or the one named. */
    S3Object copySource(Bucket b, CopySource src) {
        if (src.versionId() == null) {
            S3Object live = b.live(src.key());
            if (live == null) {
                throw S3Errors.noSuchKey(src.key());
            }
            return live;
        }
        S3Object v = b.version(src.key(), src.versionId());
        if (v == null) {
            throw S3Errors.noSuchVersion(src.key(), src.versionId());
        }
        if (v.deleteMarker) {
            throw S3Errors.invalidRequest("The source of a copy request may not specifically refer to a delete marker "
                    + "by version id.");
        }
        return v;
    }

    void clear() {
        buckets.clear();
        blobs.clear();
        restores.clear();
        replication.clear();
    }
}
