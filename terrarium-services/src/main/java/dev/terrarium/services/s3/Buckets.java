package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** All buckets: one namespace across accounts and regions, as in AWS's partition. */
final class Buckets {
    private final Map<String, Bucket> byName = new ConcurrentHashMap<>();

    /**
     * Creates a bucket, applying the location-constraint rules of the region the request was sent to.
     * Returns null when the caller already owns it in us-east-1 (S3 answers 200 there).
     */
    Bucket create(String name, String account, String region, String locationConstraint, Instant now) {
        BucketNames.validate(name);
        String bucketRegion = bucketRegion(region, locationConstraint);
        Bucket fresh = new Bucket(name, account, bucketRegion, now);
        Bucket existing = byName.putIfAbsent(name, fresh);
        if (existing == null) {
            return fresh;
        }
        if (!existing.account.equals(account)) {
            throw new AwsException("BucketAlreadyExists", "The requested bucket name is not available. The bucket "
                    + "namespace is shared by all users of the system. Please select a different name and try again.",
                    409).withFields(Struct.of("BucketName", name));
        }
        if ("us-east-1".equals(bucketRegion) && "us-east-1".equals(existing.region)) {
            return null;
        }
        throw new AwsException("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket "
                + "succeeded and you already own it.", 409).withFields(Struct.of("BucketName", name));
    }

    private static String bucketRegion(String region, String constraint) {
        if (constraint == null || constraint.isEmpty()) {
            if (!"us-east-1".equals(region)) {
                throw illegalLocation("The unspecified location constraint is incompatible for the region specific "
                        + "endpoint this request was sent to.", null);
            }
            return region;
        }
        if (constraint.equals("us-east-1")) {
            throw new AwsException("InvalidLocationConstraint", "The specified location-constraint is not valid", 400)
                    .withFields(Struct.of("LocationConstraint", constraint));
        }
        String target = constraint.equals("EU") ? "eu-west-1" : constraint;
        if (!target.equals(region)) {
            throw illegalLocation("The " + constraint + " location constraint is incompatible for the region "
                    + "specific endpoint this request was sent to.", constraint);
        }
        return target;
    }

    private static AwsException illegalLocation(String message, String constraint) {
        return new AwsException("IllegalLocationConstraintException", message, 400)
                .withFields(Struct.of("LocationConstraint", constraint));
    }

    Bucket find(String name) {
        return name == null ? null : byName.get(name);
    }

    /** The bucket, or NoSuchBucket. Buckets of other accounts are visible (their policies decide access). */
    Bucket require(String name) {
        Bucket b = find(name);
        if (b == null) {
            throw S3Errors.noSuchBucket(name);
        }
        return b;
    }

    void delete(Bucket b) {
        if (!b.objects.isEmpty()) {
            throw new AwsException("BucketNotEmpty", "The bucket you tried to delete is not empty", 409)
                    .withFields(Struct.of("BucketName", b.name));
        }
        byName.remove(b.name, b);
    }

    /** The account's buckets in name order. */
    List<Bucket> owned(String account) {
        List<Bucket> out = new ArrayList<>();
        for (Bucket b : byName.values()) {
            if (b.account.equals(account)) {
                out.add(b);
            }
        }
        out.sort((x, y) -> x.name.compareTo(y.name));
        return out;
    }

    void forEach(java.util.function.Consumer<Bucket> action) {
        byName.values().forEach(action);
    }

    List<Bucket> all() {
        return new ArrayList<>(byName.values());
    }

    void clear() {
        byName.clear();
    }
}
