package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.util.Map;

/** S3's operations on one object version's sub-resources: ACL, tags, retention and legal hold, and its torrent. */
final class S3ObjectSubresources {
    private final S3State s3;
    private final Torrents torrents;

    S3ObjectSubresources(S3State s3) {
        this.s3 = s3;
        this.torrents = new Torrents(s3.blobs);
    }

    /**
     * The object's .torrent (application/x-bittorrent, as an attachment named after the key). S3 makes none for
     * objects over 5 GB, nor for objects encrypted with a customer key (SSE-C) or with KMS, nor for archived ones.
     */
    @AwsOperation("GetObjectTorrent")
    public Struct getObjectTorrent(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.readable(call, b, in.string("Key"), null);
        Torrents.checkAllowed(o);
        Restores.checkReadable(o, call.receivedAt());
        byte[] torrent = torrents.of(b, o);
        call.request().responseExtras().header("Content-Disposition",
                "attachment; filename=" + UrlEncoding.encode(Torrents.name(o.key)) + ".torrent;");
        return Struct.of("Body", new StreamingBody(new java.io.ByteArrayInputStream(torrent), torrent.length,
                Torrents.CONTENT_TYPE));
    }

    @AwsOperation("PutObjectAcl")
    public Struct putObjectAcl(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Acls.checkAllowed(b, in);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        o.acl = Acls.fromPut(in, b.account);
        return null;
    }

    @AwsOperation("GetObjectAcl")
    public Struct getObjectAcl(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        return o.acl == null ? Acls.fromRequest(Struct.empty(), o.owner) : o.acl.copy();
    }

    // ---- object tagging ----

    @AwsOperation("PutObjectTagging")
    public Struct putObjectTagging(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        Struct tagging = in.struct("Tagging");
        o.tags = ObjectTags.fromTagSet(tagging == null ? null : tagging.structs("TagSet"), 10);
        s3.objectEvent(call, b, "ObjectTagging:Put", o);
        return Struct.of("VersionId", o.reportedVersionId(b.everVersioned()));
    }

    @AwsOperation("GetObjectTagging")
    public Struct getObjectTagging(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        return Struct.of("VersionId", o.reportedVersionId(b.everVersioned()), "TagSet", ObjectTags.toTagSet(o.tags));
    }

    @AwsOperation("DeleteObjectTagging")
    public Struct deleteObjectTagging(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        o.tags = Map.of();
        s3.objectEvent(call, b, "ObjectTagging:Delete", o);
        return Struct.of("VersionId", o.reportedVersionId(b.everVersioned()));
    }

    // ---- Object Lock on versions ----

    @AwsOperation("PutObjectRetention")
    public Struct putObjectRetention(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        requireLock(b);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        Struct retention = in.struct("Retention");
        ObjectLocks.checkRetentionChange(o, retention, in.bool("BypassGovernanceRetention", false), call.receivedAt());
        o.retention = retention == null ? null : retention.copy();
        return null;
    }

    @AwsOperation("GetObjectRetention")
    public Struct getObjectRetention(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        requireLock(b);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        if (o.retention == null) {
            throw new AwsException("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock "
                    + "configuration", 404);
        }
        return Struct.of("Retention", o.retention.copy());
    }

    @AwsOperation("PutObjectLegalHold")
    public Struct putObjectLegalHold(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        requireLock(b);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        Struct hold = in.struct("LegalHold");
        if (hold == null || hold.string("Status") == null) {
            throw S3Errors.malformedXml();
        }
        o.legalHold = hold.string("Status");
        return null;
    }

    @AwsOperation("GetObjectLegalHold")
    public Struct getObjectLegalHold(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        requireLock(b);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
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

    // ---- encryption of a stored object ----

    /** Re-encrypts an object version under SSE-KMS with the key named, without rewriting its content. */
    @AwsOperation("UpdateObjectEncryption")
    public Struct updateObjectEncryption(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        Struct requested = in.struct("ObjectEncryption");
        Struct kms = requested == null ? null : requested.struct("SSEKMS");
        if (kms == null || kms.string("KMSKeyArn") == null) {
            throw S3Errors.malformedXml();
        }
        if (o.meta.encryption().get("SSECustomerAlgorithm") != null) {
            throw S3Errors.invalidRequest("The encryption of an object encrypted with a customer-provided key "
                    + "(SSE-C) cannot be updated.");
        }
        Struct encryption = Struct.of("ServerSideEncryption", "aws:kms", "SSEKMSKeyId", kms.string("KMSKeyArn"),
                "BucketKeyEnabled", kms.bool("BucketKeyEnabled"));
        o.meta = o.meta.withEncryption(KmsKeys.normalize(encryption, b.region, b.account));
        return Struct.empty();
    }
}
