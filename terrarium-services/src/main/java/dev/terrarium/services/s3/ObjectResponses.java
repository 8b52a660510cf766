package dev.terrarium.services.s3;

import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.List;

/** The headers S3 returns about an object (GET, HEAD) and its entries in listings. */
final class ObjectResponses {
    private ObjectResponses() {}

    static Struct headers(S3Object o, Bucket bucket, boolean checksumMode, Instant now) {
        Struct out = new Struct();
        out.put("ETag", o.etag);
        out.put("LastModified", o.lastModified);
        out.put("ContentLength", o.size());
        out.put("AcceptRanges", "bytes");
        out.put("VersionId", o.reportedVersionId(bucket.everVersioned()));
        o.meta.writeTo(out);
        if (!o.tags.isEmpty()) {
            out.put("TagCount", o.tags.size());
        }
        if (o.retention != null) {
            out.put("ObjectLockMode", o.retention.string("Mode"));
            out.put("ObjectLockRetainUntilDate", o.retention.timestamp("RetainUntilDate"));
        }
        out.put("ObjectLockLegalHoldStatus", o.legalHold);
        out.put("Restore", Restores.header(o, now));
        out.put("Expiration", Lifecycle.expirationHeader(bucket, o));
        out.put("ReplicationStatus", o.replicationStatus);
        if (checksumMode) {
            checksum(o, out);
        }
        return out;
    }

    static void checksum(S3Object o, Struct out) {
        if (o.checksumAlgorithm != null) {
            out.put("Checksum" + o.checksumAlgorithm, o.checksumValue);
            out.put("ChecksumType", o.checksumType);
        }
    }

    /** The response-* query overrides of GetObject. */
    static void overrides(Struct in, Struct out) {
        for (String name : List.of("CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage",
                "ContentType")) {
            String v = in.string("Response" + name);
            if (v != null) {
                out.put(name, v);
            }
        }
        Instant expires = in.timestamp("ResponseExpires");
        if (expires != null) {
            out.put("Expires", Timestamps.rfc822(expires));
        }
    }

    /** An Object entry of ListObjects/ListObjectsV2. */
    static Struct listEntry(S3Object o, boolean withOwner, boolean urlEncode) {
        Struct s = Struct.of("Key", urlEncode ? UrlEncoding.encode(o.key) : o.key, "LastModified", o.lastModified,
                "ETag", o.etag, "Size", o.size(), "StorageClass", o.meta.storageClass());
        if (o.checksumAlgorithm != null) {
            s.put("ChecksumAlgorithm", List.of(o.checksumAlgorithm));
            s.put("ChecksumType", o.checksumType);
        }
        if (withOwner) {
            s.put("Owner", Owners.owner(o.owner));
        }
        return s;
    }
}
