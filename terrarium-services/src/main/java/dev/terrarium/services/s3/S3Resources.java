package dev.terrarium.services.s3;

import dev.terrarium.core.iam.ContextKeys;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What IAM sees of a call: the S3 condition keys of its request, and of the bucket or object it names, its ARN, the
 * bucket's tags (aws:ResourceTag, only while ABAC is enabled on the bucket; otherwise they serve cost allocation
 * alone) and the object's tags (s3:ExistingObjectTag/key, for the actions on an existing object, not for writing or
 * deleting one).
 */
final class S3Resources {
    /** The IAM actions that carry s3:ExistingObjectTag: those acting on the object as it is. */
    private static final Set<String> ON_EXISTING_OBJECT = Set.of("GetObject", "GetObjectVersion", "GetObjectAcl",
            "GetObjectVersionAcl", "GetObjectTagging", "GetObjectVersionTagging", "GetObjectAttributes",
            "GetObjectVersionAttributes", "GetObjectTorrent", "GetObjectVersionTorrent", "GetObjectRetention",
            "GetObjectLegalHold", "PutObjectAcl", "PutObjectVersionAcl", "PutObjectTagging", "PutObjectVersionTagging",
            "DeleteObjectTagging", "DeleteObjectVersionTagging", "PutObjectRetention", "PutObjectLegalHold",
            "RestoreObject");

    private S3Resources() {
    }

    /** arn:aws:s3:::bucket, or arn:aws:s3:::bucket/key for a call that names a key; null without a bucket. */
    static String arn(Struct in) {
        String bucket = in.string("Bucket");
        if (bucket == null) {
            return null;
        }
        return in.string("Key") == null ? "arn:aws:s3:::" + bucket : "arn:aws:s3:::" + bucket + "/" + in.string("Key");
    }

    /**
     * The keys a request carries: s3:prefix for the listings; the tags it gives an object as s3:RequestObjectTag/key
     * and s3:RequestObjectTagKeys (PutObject, CopyObject and CreateMultipartUpload by header, PutObjectTagging by
     * TagSet); the tags CreateBucket gives a bucket as aws:RequestTag/key and aws:TagKeys.
     */
    static void requestKeys(Struct in, ContextKeys keys) {
        if (in.string("Prefix") != null) {
            keys.put("s3:prefix", in.string("Prefix"));
        }
        Map<String, String> objectTags = requestObjectTags(in);
        if (objectTags != null) {
            objectTags.forEach((k, v) -> keys.put("s3:RequestObjectTag/" + k, v));
            keys.put("s3:RequestObjectTagKeys", new ArrayList<>(objectTags.keySet()));
        }
        Struct config = in.struct("CreateBucketConfiguration");
        List<Struct> bucketTags = config == null ? null : config.structs("Tags");
        if (bucketTags != null && !bucketTags.isEmpty()) {
            List<String> tagKeys = new ArrayList<>();
            for (Struct t : bucketTags) {
                tagKeys.add(t.string("Key"));
                keys.put("aws:RequestTag/" + t.string("Key"), t.string("Value", ""));
            }
            keys.put("aws:TagKeys", tagKeys);
        }
    }

    /** The tags a request gives an object, or null when it gives none (or malformed ones, which the operation refuses). */
    private static Map<String, String> requestObjectTags(Struct in) {
        if (in.string("Key") == null) {
            return null; // PutBucketTagging's Tagging is the bucket's
        }
        try {
            if (in.get("Tagging") instanceof String header) {
                return ObjectTags.fromHeader(header);
            }
            if (in.get("Tagging") instanceof Struct tagging) {
                return ObjectTags.fromTagSet(tagging.structs("TagSet"), 10);
            }
        } catch (AwsException malformed) {
            return null;
        }
        return null;
    }

    /** The bucket's tags, for a call on the bucket itself while ABAC is enabled on it; empty otherwise. */
    static Map<String, String> bucketTags(Bucket b, Struct in) {
        if (in.string("Key") != null || !(b.configs.get("Abac") instanceof Struct abac) || !"Enabled".equals(abac.string("Status"))
                || !(b.configs.get("Tagging") instanceof Struct tagging) || tagging.structs("TagSet") == null) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tagging.structs("TagSet").forEach(t -> tags.put(t.string("Key"), t.string("Value", "")));
        return tags;
    }

    /** s3:ExistingObjectTag/key for each tag of the object (the version, when the call names one) the action acts on. */
    static Map<String, String> existingObjectTags(Bucket b, String action, Struct in) {
        String key = in.string("Key");
        if (key == null || !ON_EXISTING_OBJECT.contains(action)) {
            return Map.of();
        }
        S3Object o = in.string("VersionId") == null ? b.live(key) : b.version(key, in.string("VersionId"));
        if (o == null || o.deleteMarker) {
            return Map.of();
        }
        Map<String, String> keys = new LinkedHashMap<>();
        o.tags.forEach((k, v) -> keys.put("s3:ExistingObjectTag/" + k, v));
        return keys;
    }
}
