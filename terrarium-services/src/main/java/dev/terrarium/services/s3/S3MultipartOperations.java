package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums.Algorithm;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** S3's multipart uploads: create, upload (and copy) parts, complete, abort, and list parts and uploads. */
final class S3MultipartOperations {
    private final S3State s3;

    S3MultipartOperations(S3State s3) {
        this.s3 = s3;
    }

    @AwsOperation("CreateMultipartUpload")
    public Struct createMultipartUpload(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        SseC.checkWrite(in);
        ObjectLocks.checkWrite(b, in);
        String algorithm = in.string("ChecksumAlgorithm");
        if (algorithm != null && Algorithm.fromName(algorithm) == null) {
            throw S3Errors.invalidRequest("Checksum algorithm " + algorithm + " is not supported");
        }
        String type = Multipart.checksumType(algorithm == null ? null : algorithm.toUpperCase(java.util.Locale.ROOT),
                in.string("ChecksumType"));
        MultipartUpload u = new MultipartUpload(VersionIds.random(48), in.string("Key"), S3State.now(call), call.account(),
                ObjectMeta.from(in, b), algorithm == null ? null
                : algorithm.toUpperCase(java.util.Locale.ROOT), type, ObjectTags.fromHeader(in.string("Tagging")),
                Acls.fromRequest(in, call.account()));
        u.request = in.copy();
        u.request.put("Body", null);
        b.uploads.put(u.id, u);
        Struct out = Struct.of("Bucket", b.name, "Key", u.key, "UploadId", u.id, "ChecksumAlgorithm", u.checksumAlgorithm,
                "ChecksumType", u.checksumType);
        u.meta.encryption().asMap().forEach(out::put);
        return out;
    }

    @AwsOperation("UploadPart")
    public Struct uploadPart(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Multipart.checkPartNumber(in.integer("PartNumber"));
        MultipartUpload u = Multipart.require(b, in.string("UploadId"), in.string("Key"));
        StreamingBody body = in.stream("Body");
        if (body != null && body.length() > Multipart.MAX_PART) {
            throw new AwsException("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400);
        }
        Struct checked = in;
        if (u.checksumAlgorithm != null && in.string("ChecksumAlgorithm") == null) {
            checked = in.copy().put("ChecksumAlgorithm", u.checksumAlgorithm);
        }
        Ingest.Result content = Ingest.body(s3.blobs, checked, body, call.request().header("x-amz-trailer"));
        String checksum = u.checksumAlgorithm != null && content.algorithm() != null
                && content.algorithm().awsName().equals(u.checksumAlgorithm) ? content.checksum() : null;
        MultipartUpload.Part part = new MultipartUpload.Part(in.integer("PartNumber"), content.blob(),
                content.blob().etag(), S3State.now(call), checksum);
        MultipartUpload.Part old = u.parts.put(part.number(), part);
        if (old != null) {
            s3.blobs.delete(old.blob());
        }
        if (!b.uploads.containsKey(u.id)) {
            s3.blobs.delete(part.blob()); // aborted meanwhile
            throw S3Errors.noSuchUpload(u.id);
        }
        Struct out = Struct.of("ETag", part.etag());
        if (content.algorithm() != null) {
            out.put("Checksum" + content.algorithm().awsName(), content.checksum());
        }
        u.meta.encryption().asMap().forEach(out::put);
        return out;
    }

    @AwsOperation("UploadPartCopy")
    public Struct uploadPartCopy(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Multipart.checkPartNumber(in.integer("PartNumber"));
        MultipartUpload u = Multipart.require(b, in.string("UploadId"), in.string("Key"));
        CopySource src = CopySource.parse(in.string("CopySource"));
        Bucket sourceBucket = s3.buckets.require(src.bucket());
        S3Object source = s3.copySource(sourceBucket, src);
        SseC.checkRead(source, in, "CopySource");
        Conditionals.checkCopySource(source, in.string("CopySourceIfMatch"), in.timestamp("CopySourceIfUnmodifiedSince"),
                in.string("CopySourceIfNoneMatch"), in.timestamp("CopySourceIfModifiedSince"));
        long offset = 0;
        long length = source.size();
        String rangeHeader = in.string("CopySourceRange");
        if (rangeHeader != null) {
            Ranges r = Ranges.parse(rangeHeader, source.size());
            if (r == null || !rangeHeader.matches("bytes=\\d+-\\d+") || r.end() >= source.size()
                    || Long.parseLong(rangeHeader.substring(rangeHeader.indexOf('-') + 1)) >= source.size()) {
                throw S3Errors.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last "
                        + "where first and last are the zero-based offsets of the first and last bytes to copy",
                        "x-amz-copy-source-range", rangeHeader);
            }
            offset = r.start();
            length = r.length();
        }
        Algorithm algorithm = Algorithm.fromName(u.checksumAlgorithm);
        Blob blob = s3.blobs.slice(source.blob, offset, length,
                algorithm == null ? EnumSet.noneOf(Algorithm.class) : EnumSet.of(algorithm));
        MultipartUpload.Part part = new MultipartUpload.Part(in.integer("PartNumber"), blob, blob.etag(), S3State.now(call),
                algorithm == null ? null : blob.checksums().get(algorithm));
        MultipartUpload.Part old = u.parts.put(part.number(), part);
        if (old != null) {
            s3.blobs.delete(old.blob());
        }
        Struct result = Struct.of("ETag", part.etag(), "LastModified", part.lastModified());
        if (algorithm != null) {
            result.put("Checksum" + algorithm.awsName(), part.checksum());
        }
        return Struct.of("CopyPartResult", result,
                "CopySourceVersionId", sourceBucket.everVersioned() ? source.versionId : null);
    }

    @AwsOperation("CompleteMultipartUpload")
    public Struct completeMultipartUpload(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        MultipartUpload u = Multipart.require(b, in.string("UploadId"), in.string("Key"));
        Struct request = in.struct("MultipartUpload");
        List<MultipartUpload.Part> parts = s3.multipart.select(u, request == null ? null : request.structs("Parts"));
        Multipart.Assembled done = s3.multipart.assemble(u, parts);
        Long expectedSize = in.longValue("MpuObjectSize");
        if (expectedSize != null && expectedSize != done.blob().size()) {
            s3.blobs.delete(done.blob());
            throw S3Errors.invalidRequest("The provided MpuObjectSize does not match the size of the object");
        }
        if (u.checksumAlgorithm != null) {
            String claimed = in.string("Checksum" + u.checksumAlgorithm);
            if (claimed != null && !claimed.equals(done.checksum())
                    && !claimed.equals(done.checksum().replaceAll("-\\d+$", ""))) {
                s3.blobs.delete(done.blob());
                throw S3Errors.badDigest("The " + u.checksumAlgorithm + " you specified did not match the calculated "
                        + "checksum.");
            }
        }
        if (b.uploads.remove(u.id) == null) {
            s3.blobs.delete(done.blob());
            throw S3Errors.noSuchUpload(u.id);
        }
        S3Object o = new S3Object(u.key, b.nextVersionId(), false, done.blob(), done.etag(), S3State.now(call), u.meta,
                u.owner, done.sizes(), done.checksumAlgorithm(), done.checksum(), done.checksumType(), u.tags);
        o.acl = u.acl;
        ObjectLocks.applyOnWrite(b, o, u.request);
        try {
            s3.store(b, o, in.string("IfMatch"), in.string("IfNoneMatch"));
        } finally {
            s3.multipart.discard(u);
        }
        s3.objectEvent(call, b, "ObjectCreated:CompleteMultipartUpload", o);
        Struct out = Struct.of("Location", call.endpoint() + "/" + b.name + "/" + u.key, "Bucket", b.name,
                "Key", u.key, "ETag", o.etag, "VersionId", o.reportedVersionId(b.everVersioned()));
        ObjectResponses.checksum(o, out);
        u.meta.encryption().asMap().forEach(out::put);
        return out;
    }

    @AwsOperation("AbortMultipartUpload")
    public Struct abortMultipartUpload(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        MultipartUpload u = Multipart.require(b, in.string("UploadId"), in.string("Key"));
        if (b.uploads.remove(u.id) != null) {
            s3.multipart.discard(u);
        }
        return null;
    }

    @AwsOperation("ListParts")
    public Struct listParts(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        MultipartUpload u = Multipart.require(b, in.string("UploadId"), in.string("Key"));
        int max = Math.min(in.integer("MaxParts", 1000), 1000);
        int marker = in.integer("PartNumberMarker", 0);
        List<Object> parts = new ArrayList<>();
        boolean truncated = false;
        int last = marker;
        for (MultipartUpload.Part p : u.parts.tailMap(marker, false).values()) {
            if (parts.size() == max) {
                truncated = true;
                break;
            }
            Struct s = Struct.of("PartNumber", p.number(), "LastModified", p.lastModified(), "ETag", p.etag(),
                    "Size", p.blob().size());
            if (p.checksum() != null) {
                s.put("Checksum" + u.checksumAlgorithm, p.checksum());
            }
            parts.add(s);
            last = p.number();
        }
        return Struct.of("Bucket", b.name, "Key", u.key, "UploadId", u.id, "PartNumberMarker", marker,
                "NextPartNumberMarker", last, "MaxParts", max, "IsTruncated", truncated,
                "Parts", parts.isEmpty() ? null : parts, "Initiator", Struct.of("ID", Owners.canonicalId(u.owner),
                        "DisplayName", u.owner), "Owner", Owners.owner(u.owner),
                "StorageClass", u.meta.storageClass(), "ChecksumAlgorithm", u.checksumAlgorithm,
                "ChecksumType", u.checksumType);
    }

    @AwsOperation("ListMultipartUploads")
    public Struct listMultipartUploads(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        boolean url = S3ListingOperations.encodingType(in);
        int max = Math.min(in.integer("MaxUploads", 1000), 1000);
        String prefix = in.string("Prefix", "");
        String delimiter = in.string("Delimiter");
        String keyMarker = in.string("KeyMarker");
        String uploadIdMarker = in.string("UploadIdMarker");
        List<MultipartUpload> all = new ArrayList<>(b.uploads.values());
        all.sort((x, y) -> {
            int c = KeyOrder.INSTANCE.compare(x.key, y.key);
            return c != 0 ? c : x.initiated.compareTo(y.initiated) != 0 ? x.initiated.compareTo(y.initiated)
                    : x.id.compareTo(y.id);
        });
        List<Object> uploads = new ArrayList<>();
        List<Object> prefixes = new ArrayList<>();
        String lastPrefix = null;
        MultipartUpload last = null;
        boolean truncated = false;
        boolean pastUploadMarker = uploadIdMarker == null;
        for (MultipartUpload u : all) {
            if (!u.key.startsWith(prefix)) {
                continue;
            }
            if (keyMarker != null) {
                int c = KeyOrder.INSTANCE.compare(u.key, keyMarker);
                if (c < 0 || (c == 0 && uploadIdMarker == null)) {
                    continue;
                }
                if (c == 0 && !pastUploadMarker) {
                    pastUploadMarker = u.id.equals(uploadIdMarker);
                    continue;
                }
            }
            String cp = Listing.commonPrefix(u.key, prefix, delimiter == null || delimiter.isEmpty() ? null : delimiter);
            if (cp != null && cp.equals(lastPrefix)) {
                continue;
            }
            if (uploads.size() + prefixes.size() == max) {
                truncated = true;
                break;
            }
            if (cp != null) {
                prefixes.add(Struct.of("Prefix", url ? UrlEncoding.encode(cp) : cp));
                lastPrefix = cp;
                continue;
            }
            uploads.add(Struct.of("UploadId", u.id, "Key", url ? UrlEncoding.encode(u.key) : u.key,
                    "Initiated", u.initiated, "StorageClass", u.meta.storageClass(), "Owner", Owners.owner(u.owner),
                    "Initiator", Struct.of("ID", Owners.canonicalId(u.owner), "DisplayName", u.owner),
                    "ChecksumAlgorithm", u.checksumAlgorithm, "ChecksumType", u.checksumType));
            last = u;
        }
        return Struct.of("Bucket", b.name, "KeyMarker", keyMarker == null ? "" : keyMarker,
                "UploadIdMarker", uploadIdMarker == null ? "" : uploadIdMarker,
                "NextKeyMarker", truncated && last != null ? last.key : null,
                "NextUploadIdMarker", truncated && last != null ? last.id : null,
                "Prefix", prefix, "Delimiter", delimiter, "MaxUploads", max, "IsTruncated", truncated,
                "EncodingType", in.string("EncodingType"),
                "Uploads", uploads.isEmpty() ? null : uploads, "CommonPrefixes", prefixes.isEmpty() ? null : prefixes);
    }
}
