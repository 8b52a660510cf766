package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** S3's versioning, ACL, tagging, retention and legal-hold operations on buckets and object versions. */
public abstract class S3Subresources extends S3BucketConfigurations {

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

    // ---- versioning ----

    @AwsOperation("PutBucketVersioning")
    public Struct putBucketVersioning(Call call, Struct in) {
        Bucket b = bucket(call, in);
        Struct config = in.struct("VersioningConfiguration");
        String status = config == null ? null : config.string("Status");
        if (status == null || !(status.equals(Bucket.ENABLED) || status.equals(Bucket.SUSPENDED))) {
            throw S3Errors.malformedXml();
        }
        if (status.equals(Bucket.SUSPENDED) && b.objectLockEnabled) {
            throw S3Errors.invalidRequest("An Object Lock configuration is present on this bucket, so the versioning "
                    + "state cannot be changed.");
        }
        if (config.string("MFADelete") != null) {
            b.mfaDelete = config.string("MFADelete");
        }
        if (status.equals(Bucket.SUSPENDED) && !b.everVersioned()) {
            b.versioning = Bucket.SUSPENDED;
            return null;
        }
        b.versioning = status;
        return null;
    }

    @AwsOperation("GetBucketVersioning")
    public Struct getBucketVersioning(Call call, Struct in) {
        Bucket b = bucket(call, in);
        return Struct.of("Status", b.versioning, "MFADelete", b.mfaDelete);
    }

    @AwsOperation("ListObjectVersions")
    public Struct listObjectVersions(Call call, Struct in) {
        Bucket b = bucket(call, in);
        boolean url = S3Service.encodingType(in);
        int max = S3Service.maxKeys(in);
        String prefix = in.string("Prefix", "");
        String delimiter = in.string("Delimiter");
        String keyMarker = in.string("KeyMarker");
        String versionMarker = in.string("VersionIdMarker");
        if (versionMarker != null && keyMarker == null) {
            throw S3Errors.invalidArgument("A version-id marker cannot be specified without a key marker.",
                    "version-id-marker", versionMarker);
        }
        List<Object> versions = new ArrayList<>();
        List<Object> markers = new ArrayList<>();
        List<Object> prefixes = new ArrayList<>();
        String lastPrefix = null;
        int count = 0;
        boolean truncated = false;
        String nextKey = null;
        String nextVersion = null;
        String from = keyMarker != null && versionMarker != null ? keyMarker : keyMarker;
        var keys = from == null ? (prefix.isEmpty() ? b.objects : b.objects.tailMap(prefix, true))
                : b.objects.tailMap(from, versionMarker != null);
        outer:
        for (Map.Entry<String, KeyHistory> e : keys.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                if (KeyOrder.INSTANCE.compare(key, prefix) > 0) {
                    break;
                }
                continue;
            }
            String cp = Listing.commonPrefix(key, prefix, delimiter == null || delimiter.isEmpty() ? null : delimiter);
            if (cp != null) {
                if (cp.equals(lastPrefix) || cp.equals(keyMarker)) {
                    continue;
                }
                if (count == max) {
                    truncated = true;
                    break;
                }
                prefixes.add(Struct.of("Prefix", url ? UrlEncoding.encode(cp) : cp));
                lastPrefix = cp;
                nextKey = cp;
                nextVersion = null;
                count++;
                continue;
            }
            List<S3Object> all = e.getValue().all();
            boolean skipping = versionMarker != null && key.equals(keyMarker);
            for (int i = 0; i < all.size(); i++) {
                S3Object o = all.get(i);
                if (skipping) {
                    if (o.versionId.equals(versionMarker)) {
                        skipping = false;
                    }
                    continue;
                }
                if (count == max) {
                    truncated = true;
                    break outer;
                }
                String k = url ? UrlEncoding.encode(o.key) : o.key;
                if (o.deleteMarker) {
                    markers.add(Struct.of("Owner", Owners.owner(o.owner), "Key", k, "VersionId", o.versionId,
                            "IsLatest", i == 0, "LastModified", o.lastModified));
                } else {
                    Struct v = Struct.of("ETag", o.etag, "Size", o.size(), "StorageClass", o.meta.storageClass(),
                            "Key", k, "VersionId", o.versionId, "IsLatest", i == 0, "LastModified", o.lastModified,
                            "Owner", Owners.owner(o.owner));
                    if (o.checksumAlgorithm != null) {
                        v.put("ChecksumAlgorithm", List.of(o.checksumAlgorithm));
                        v.put("ChecksumType", o.checksumType);
                    }
                    versions.add(v);
                }
                nextKey = o.key;
                nextVersion = o.versionId;
                count++;
            }
        }
        return Struct.of("Name", b.name, "Prefix", prefix, "Delimiter", delimiter, "MaxKeys", max,
                "KeyMarker", keyMarker == null ? "" : keyMarker, "VersionIdMarker", versionMarker == null ? "" : versionMarker,
                "EncodingType", in.string("EncodingType"), "IsTruncated", truncated,
                "NextKeyMarker", truncated ? nextKey : null, "NextVersionIdMarker", truncated ? nextVersion : null,
                "Versions", versions.isEmpty() ? null : versions, "DeleteMarkers", markers.isEmpty() ? null : markers,
                "CommonPrefixes", prefixes.isEmpty() ? null : prefixes);
    }

    // ---- ACLs ----

    @AwsOperation("PutBucketAcl")
    public Struct putBucketAcl(Call call, Struct in) {
        Bucket b = bucket(call, in);
        checkAclsAllowed(b, in);
        b.configs.put("Acl", Acls.fromPut(in, b.account));
        return null;
    }

    @AwsOperation("GetBucketAcl")
    public Struct getBucketAcl(Call call, Struct in) {
        Bucket b = bucket(call, in);
        Object acl = b.configs.get("Acl");
        return acl instanceof Struct s ? s.copy() : Acls.fromRequest(Struct.empty(), b.account);
    }

    @AwsOperation("PutObjectAcl")
    public Struct putObjectAcl(Call call, Struct in) {
        Bucket b = bucket(call, in);
        checkAclsAllowed(b, in);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        o.acl = Acls.fromPut(in, b.account);
        return null;
    }

    @AwsOperation("GetObjectAcl")
    public Struct getObjectAcl(Call call, Struct in) {
        Bucket b = bucket(call, in);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        return o.acl == null ? Acls.fromRequest(Struct.empty(), o.owner) : o.acl.copy();
    }

    /** With BucketOwnerEnforced ownership, ACLs other than private / bucket-owner-full-control are refused. */
    private static void checkAclsAllowed(Bucket b, Struct in) {
        Object controls = b.configs.get("OwnershipControls");
        boolean enforced = controls instanceof Struct s && s.structs("Rules") != null
                && s.structs("Rules").stream().anyMatch(r -> "BucketOwnerEnforced".equals(r.string("ObjectOwnership")));
        String canned = in.string("ACL");
        boolean harmless = canned != null && (canned.equals("private") || canned.equals("bucket-owner-full-control"));
        if (enforced && !harmless && (canned != null || in.struct("AccessControlPolicy") != null
                || in.string("GrantRead") != null || in.string("GrantFullControl") != null)) {
            throw new AwsException("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
        }
    }

    // ---- object tagging ----

    @AwsOperation("PutObjectTagging")
    public Struct putObjectTagging(Call call, Struct in) {
        Bucket b = bucket(call, in);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        Struct tagging = in.struct("Tagging");
        o.tags = ObjectTags.fromTagSet(tagging == null ? null : tagging.structs("TagSet"), 10);
        objectEvent(call, b, "ObjectTagging:Put", o);
        return Struct.of("VersionId", o.reportedVersionId(b.everVersioned()));
    }

    @AwsOperation("GetObjectTagging")
    public Struct getObjectTagging(Call call, Struct in) {
        Bucket b = bucket(call, in);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        return Struct.of("VersionId", o.reportedVersionId(b.everVersioned()), "TagSet", ObjectTags.toTagSet(o.tags));
    }

    @AwsOperation("DeleteObjectTagging")
    public Struct deleteObjectTagging(Call call, Struct in) {
        Bucket b = bucket(call, in);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        o.tags = Map.of();
        objectEvent(call, b, "ObjectTagging:Delete", o);
        return Struct.of("VersionId", o.reportedVersionId(b.everVersioned()));
    }

    // ---- Object Lock on versions ----

    @AwsOperation("PutObjectRetention")
    public Struct putObjectRetention(Call call, Struct in) {
        Bucket b = bucket(call, in);
        requireLock(b);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        Struct retention = in.struct("Retention");
        ObjectLocks.checkRetentionChange(o, retention, in.bool("BypassGovernanceRetention", false), call.receivedAt());
        o.retention = retention == null ? null : retention.copy();
        return null;
    }

    @AwsOperation("GetObjectRetention")
    public Struct getObjectRetention(Call call, Struct in) {
        Bucket b = bucket(call, in);
        requireLock(b);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        if (o.retention == null) {
            throw new AwsException("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock "
                    + "configuration", 404);
        }
        return Struct.of("Retention", o.retention.copy());
    }

    @AwsOperation("PutObjectLegalHold")
    public Struct putObjectLegalHold(Call call, Struct in) {
        Bucket b = bucket(call, in);
        requireLock(b);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        Struct hold = in.struct("LegalHold");
        if (hold == null || hold.string("Status") == null) {
            throw S3Errors.malformedXml();
        }
        o.legalHold = hold.string("Status");
        return null;
    }

    @AwsOperation("GetObjectLegalHold")
    public Struct getObjectLegalHold(Call call, Struct in) {
        Bucket b = bucket(call, in);
        requireLock(b);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        if (o.legalHold == null) {
            throw new AwsException("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock "
                    + "configuration", 404);
        }
        return Struct.of("LegalHold", Struct.of("Status", o.legalHold));
    }

    private static void requireLock(Bucket b) {
        if (!b.objectLockEnabled) {
            throw S3Errors.invalidRequest("Bucket is missing Object Lock Configuration");
        }
    }
}
