package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a key: its content (or nothing, for a delete marker), ETag, time and metadata.
 * Content and metadata never change; tags, ACL and Object Lock state may (they are sub-resources).
 */
final class S3Object {
    static final String NULL_VERSION = "null";

    final String key;
    final String versionId;
    final boolean deleteMarker;
    final Blob blob;
    final String etag;
    final Instant lastModified;
    /** Replaced only by a lifecycle transition (storage class). */
    volatile ObjectMeta meta;
    final String owner;
    /** Sizes of the parts of a multipart object, else null. */
    final long[] partSizes;
    /** The flexible checksum stored with the object: algorithm, base64 value, FULL_OBJECT or COMPOSITE. */
    final String checksumAlgorithm;
    final String checksumValue;
    final String checksumType;

    volatile Map<String, String> tags;
    volatile Struct acl;
    volatile String legalHold;
    volatile Struct retention;
    /** When a restore's copy is (or will be) readable; null when never restored. */
    volatile java.time.Instant restoreReadyAt;
    /** COMPLETED/FAILED on a replicated source version, REPLICA on its copy, else null. */
    volatile String replicationStatus;
    volatile java.time.Instant restoreExpiry;

    S3Object(String key, String versionId, boolean deleteMarker, Blob blob, String etag, Instant lastModified,
             ObjectMeta meta, String owner, long[] partSizes, String checksumAlgorithm, String checksumValue,
             String checksumType, Map<String, String> tags) {
        this.key = key;
        this.versionId = versionId;
        this.deleteMarker = deleteMarker;
        this.blob = blob;
        this.etag = etag;
        this.lastModified = lastModified;
        this.meta = meta;
        this.owner = owner;
        this.partSizes = partSizes;
        this.checksumAlgorithm = checksumAlgorithm;
        this.checksumValue = checksumValue;
        this.checksumType = checksumType;
        this.tags = tags == null ? Map.of() : tags;
    }

    static S3Object deleteMarker(String key, String versionId, Instant at, String owner) {
        return new S3Object(key, versionId, true, null, null, at, null, owner, null, null, null, null, null);
    }

    long size() { return blob == null ? 0 : blob.size(); }

    boolean isNullVersion() { return NULL_VERSION.equals(versionId); }

    /** The version id as S3 reports it in headers: absent for objects of never-versioned buckets. */
    String reportedVersionId(boolean bucketVersioned) {
        return bucketVersioned ? versionId : null;
    }
}
