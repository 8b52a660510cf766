package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.time.Instant;

/** DeleteObject's rules: remove, or stack a delete marker, or remove one version for good. */
final class Deletes {
    private Deletes() {}

    static Struct delete(Bucket b, BlobStore blobs, String key, String versionId, boolean bypassGovernance,
                         Instant now, String account, String ifMatch) {
        if (versionId != null) {
            S3Object v = b.version(key, versionId);
            if (v == null) {
                return Struct.of("VersionId", versionId);
            }
            checkIfMatch(v, key, ifMatch);
            ObjectLocks.checkDelete(v, bypassGovernance, now);
            b.remove(v);
            blobs.delete(v.blob);
            return Struct.of("VersionId", versionId, "DeleteMarker", v.deleteMarker ? Boolean.TRUE : null);
        }
        if (!b.everVersioned()) {
            S3Object current = b.current(key);
            if (current != null) {
                checkIfMatch(current, key, ifMatch);
                b.remove(current);
                blobs.delete(current.blob);
            }
            return Struct.empty();
        }
        S3Object marker = S3Object.deleteMarker(key, b.nextVersionId(), now, account);
        S3Object replaced = b.write(marker, live -> {
            if (ifMatch != null) {
                if (live == null) {
                    throw S3Errors.noSuchKey(key);
                }
                checkIfMatch(live, key, ifMatch);
            }
        });
        if (replaced != null) {
            blobs.delete(replaced.blob);
        }
        return Struct.of("DeleteMarker", true, "VersionId", marker.versionId);
    }

    private static void checkIfMatch(S3Object o, String key, String ifMatch) {
        if (ifMatch != null && (o.deleteMarker || !Conditionals.matches(ifMatch, o.etag))) {
            throw S3Errors.preconditionFailed("If-Match");
        }
    }
}
