package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums.Algorithm;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** S3's object operations: put, get, head, delete, copy and restore objects, and their attributes. */
final class S3ObjectOperations {
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;
    private final S3State s3;

    S3ObjectOperations(S3State s3) {
        this.s3 = s3;
    }

    @AwsOperation("PutObject")
    public Struct putObject(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        String key = in.string("Key");
        StreamingBody body = in.stream("Body");
        if (body != null && body.length() > MAX_SINGLE_PUT) {
            throw new AwsException("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
                    .withFields(Struct.of("ProposedSize", body.length(), "MaxSizeAllowed", MAX_SINGLE_PUT));
        }
        SseC.checkWrite(in);
        Map<String, String> tags = ObjectTags.fromHeader(in.string("Tagging"));
        ObjectMeta meta = ObjectMeta.from(in, b);
        ObjectLocks.checkWrite(b, in);
        Ingest.Result content = Ingest.body(s3.blobs, in, body, call.request().header("x-amz-trailer"),
                Algorithm.CRC64NVME);
        S3Object o = new S3Object(key, b.nextVersionId(), false, content.blob(), content.blob().etag(), S3State.now(call), meta,
                call.account(), null, content.algorithm() == null ? null : content.algorithm().awsName(),
                content.checksum(), content.algorithm() == null ? null : "FULL_OBJECT", tags);
        o.acl = Acls.fromRequest(in, call.account());
        ObjectLocks.applyOnWrite(b, o, in);
        s3.store(b, o, in.string("IfMatch"), in.string("IfNoneMatch"));
        s3.objectEvent(call, b, "ObjectCreated:Put", o);
        Struct out = Struct.of("ETag", o.etag, "VersionId", o.reportedVersionId(b.everVersioned()));
        meta.encryption().asMap().forEach(out::put);
        ObjectResponses.checksum(o, out);
        return out;
    }

    /** Makes o current (after the conditional-write check, atomically) and frees what it replaced. */

    @AwsOperation("GetObject")
    public Struct getObject(Call call, Struct in) {
        return read(call, in, true);
    }

    @AwsOperation("HeadObject")
    public Struct headObject(Call call, Struct in) {
        return read(call, in, false);
    }

    private Struct read(Call call, Struct in, boolean withBody) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.readable(call, b, in.string("Key"), in.string("VersionId"));
        SseC.checkRead(o, in, "");
        if (withBody) {
            Restores.checkReadable(o, call.receivedAt());
        }
        call.request().responseExtras().header("ETag", o.etag)
                .header("Last-Modified", Timestamps.rfc822(o.lastModified));
        Conditionals.checkRead(o, in.string("IfMatch"), in.timestamp("IfUnmodifiedSince"), in.string("IfNoneMatch"),
                in.timestamp("IfModifiedSince"));
        long size = o.size();
        Ranges range = null;
        Integer partNumber = in.integer("PartNumber");
        Struct out = ObjectResponses.headers(o, b, "ENABLED".equalsIgnoreCase(in.string("ChecksumMode")),
                call.receivedAt());
        if (partNumber != null) {
            range = Parts.rangeOf(o, partNumber);
            if (o.partSizes != null) {
                out.put("PartsCount", o.partSizes.length);
            }
        } else {
            range = Ranges.parse(in.string("Range"), size);
        }
        if (range != null && (range.start() != 0 || range.length() != size || partNumber != null)) {
            out.put("ContentRange", range.contentRange(size));
            out.put("ContentLength", range.length());
            out.put("ChecksumType", null);
            for (Algorithm a : Algorithm.values()) {
                out.put("Checksum" + a.awsName(), null);
            }
            call.request().responseExtras().status(206);
        } else {
            range = null;
        }
        ObjectResponses.overrides(in, out);
        if (withBody) {
            long offset = range == null ? 0 : range.start();
            long length = range == null ? size : range.length();
            out.put("Body", new StreamingBody(s3.blobs.open(o.blob, offset, length), length, o.meta.contentType()));
        }
        return out;
    }

    /** The version a read addresses; delete markers answer as S3 does (404 current, 405 by id). */

    @AwsOperation("DeleteObject")
    public Struct deleteObject(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Struct out = Deletes.delete(b, s3.blobs, in.string("Key"), in.string("VersionId"),
                in.bool("BypassGovernanceRetention", false), S3State.now(call), call.account(), in.string("IfMatch"));
        removed(call, b, in.string("Key"), in.string("VersionId"), out);
        return out;
    }

    /** ObjectRemoved:Delete, or :DeleteMarkerCreated when a delete stacked a marker. */
    private void removed(Call call, Bucket b, String key, String versionId, Struct deleted) {
        boolean marker = versionId == null && Boolean.TRUE.equals(deleted.get("DeleteMarker"));
        String reported = b.everVersioned() ? (String) deleted.get("VersionId") : null;
        if (marker && reported != null) {
            S3Object m = b.version(key, reported);
            if (m != null) {
                s3.replication.replicate(b, m, call.receivedAt());
            }
        }
        s3.event(call, b, marker ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete",
                new Notifications.Change(key, null, null, reported));
    }

    @AwsOperation("DeleteObjects")
    public Struct deleteObjects(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Struct delete = in.struct("Delete");
        List<Struct> objects = delete == null ? null : delete.structs("Objects");
        if (objects == null || objects.isEmpty() || objects.size() > 1000) {
            throw S3Errors.malformedXml();
        }
        boolean quiet = delete.bool("Quiet", false);
        boolean bypass = in.bool("BypassGovernanceRetention", false);
        List<Object> deleted = new ArrayList<>();
        List<Object> errors = new ArrayList<>();
        for (Struct id : objects) {
            String key = id.string("Key");
            String versionId = id.string("VersionId");
            try {
                Struct r = Deletes.delete(b, s3.blobs, key, versionId, bypass, S3State.now(call), call.account(), id.string("ETag"));
                removed(call, b, key, versionId, r);
                if (!quiet) {
                    deleted.add(Struct.of("Key", key, "VersionId", versionId,
                            "DeleteMarker", r.get("DeleteMarker"),
                            "DeleteMarkerVersionId", Boolean.TRUE.equals(r.get("DeleteMarker")) ? r.get("VersionId") : null));
                }
            } catch (AwsException e) {
                errors.add(Struct.of("Key", key, "VersionId", versionId, "Code", e.code(), "Message", e.getMessage()));
            }
        }
        return Struct.of("Deleted", deleted.isEmpty() ? null : deleted, "Errors", errors.isEmpty() ? null : errors);
    }

    @AwsOperation("CopyObject")
    public Struct copyObject(Call call, Struct in) {
        Bucket target = s3.bucket(call, in);
        CopySource src = CopySource.parse(in.string("CopySource"));
        Bucket sourceBucket = s3.buckets.require(src.bucket());
        S3Object source = s3.copySource(sourceBucket, src);
        SseC.checkRead(source, in, "CopySource");
        Conditionals.checkCopySource(source, in.string("CopySourceIfMatch"), in.timestamp("CopySourceIfUnmodifiedSince"),
                in.string("CopySourceIfNoneMatch"), in.timestamp("CopySourceIfModifiedSince"));
        boolean replaceMeta = "REPLACE".equals(in.string("MetadataDirective"));
        String key = in.string("Key");
        if (sourceBucket == target && source.key.equals(key) && !replaceMeta && in.string("StorageClass") == null
                && in.string("ServerSideEncryption") == null && in.string("WebsiteRedirectLocation") == null
                && in.string("SSECustomerAlgorithm") == null && in.string("ChecksumAlgorithm") == null) {
            throw S3Errors.invalidRequest("This copy request is illegal because it is trying to copy an object to "
                    + "itself without changing the object's metadata, storage class, website redirect location or "
                    + "encryption attributes.");
        }
        ObjectMeta meta = replaceMeta ? ObjectMeta.from(in, target)
                : copiedMeta(source.meta, in, target).withStorageClass(in.string("StorageClass"));
        if (!replaceMeta && in.string("StorageClass") == null) {
            meta = meta.withStorageClass("STANDARD");
        }
        Map<String, String> tags = "REPLACE".equals(in.string("TaggingDirective"))
                ? ObjectTags.fromHeader(in.string("Tagging")) : source.tags;
        Algorithm algorithm = Algorithm.fromName(in.string("ChecksumAlgorithm"));
        if (algorithm == null && source.checksumAlgorithm != null && "FULL_OBJECT".equals(source.checksumType)) {
            algorithm = Algorithm.fromName(source.checksumAlgorithm);
        }
        if (algorithm == null) {
            algorithm = Algorithm.CRC64NVME; // S3's default checksum for a new object
        }
        EnumSet<Algorithm> algorithms = EnumSet.of(algorithm);
        Blob blob = source.partSizes == null && source.blob.checksums().keySet().containsAll(algorithms)
                ? s3.blobs.share(source.blob) : s3.blobs.slice(source.blob, 0, source.size(), algorithms);
        S3Object copy = new S3Object(key, target.nextVersionId(), false, blob, blob.etag(), S3State.now(call), meta,
                call.account(), null, algorithm == null ? null : algorithm.awsName(),
                algorithm == null ? null : blob.checksums().get(algorithm), algorithm == null ? null : "FULL_OBJECT", tags);
        copy.acl = Acls.fromRequest(in, call.account());
        ObjectLocks.applyOnWrite(target, copy, in);
        s3.store(target, copy, in.string("IfMatch"), in.string("IfNoneMatch"));
        s3.objectEvent(call, target, "ObjectCreated:Copy", copy);
        Struct result = Struct.of("ETag", copy.etag, "LastModified", copy.lastModified);
        ObjectResponses.checksum(copy, result);
        Struct out = Struct.of("CopyObjectResult", result,
                "CopySourceVersionId", sourceBucket.everVersioned() ? source.versionId : null,
                "VersionId", copy.reportedVersionId(target.everVersioned()));
        meta.encryption().asMap().forEach(out::put);
        return out;
    }

    /** Metadata of a COPY directive: the source's, with the target's encryption when the request names one. */
    private static ObjectMeta copiedMeta(ObjectMeta source, Struct in, Bucket target) {
        Struct encryption = new Struct();
        for (String name : ObjectMeta.ENCRYPTION) {
            encryption.put(name, in.get(name));
        }
        if (encryption.get("ServerSideEncryption") == null && encryption.get("SSECustomerAlgorithm") == null) {
            encryption = target.defaultEncryption();
        }
        encryption = KmsKeys.normalize(encryption, target.region, target.account);
        return new ObjectMeta(source.contentType(), source.systemHeaders(), source.userMetadata(),
                source.storageClass(), encryption);
    }


    @AwsOperation("RestoreObject")
    public Struct restoreObject(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.version(call, b, in.string("Key"), in.string("VersionId"));
        if (Restores.restore(o, in.struct("RestoreRequest"), call.receivedAt())) {
            call.request().responseExtras().status(202);
            s3.objectEvent(call, b, "ObjectRestore:Post", o);
            s3.restores.started(b, o, call);
        }
        return null;
    }

    @AwsOperation("GetObjectAttributes")
    public Struct getObjectAttributes(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        S3Object o = s3.readable(call, b, in.string("Key"), in.string("VersionId"));
        SseC.checkRead(o, in, "");
        return ObjectAttributes.of(o, b, in);
    }
}
