package dev.terrarium.services.s3;

import dev.terrarium.core.iam.IamActionProvider;
import dev.terrarium.core.iam.ResourcePolicyProvider;

import dev.terrarium.core.auth.Checksums.Algorithm;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.RawRequests;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** Amazon S3: buckets, objects that stream to and from disk, multipart uploads and bucket configurations. */
@Service("s3")
public final class S3Service extends S3Subresources implements ResourcePolicyProvider, IamActionProvider, RawRequests {
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;
    private final ServiceContext context;
    private final Buckets buckets = new Buckets();
    private final BlobStore blobs = new BlobStore();
    private final Multipart multipart;
    private final S3RawRequests raw;
    private final PostObject postObject;
    private final Notifications notifications;
    private final LifecycleSweeper sweeper;

    public S3Service(ServiceContext context) {
        this.context = context;
        this.multipart = new Multipart(blobs);
        this.notifications = new Notifications(context.events());
        this.postObject = new PostObject(blobs, context.credentials(), context.clock());
        this.raw = new S3RawRequests(buckets, blobs, this::post);
        this.sweeper = new LifecycleSweeper(buckets, blobs, multipart, notifications, context.clock());
        sweeper.start();
    }

    @Override
    public RawRequests.Answer answer(dev.terrarium.core.http.HttpRequest request, String requestId) {
        return raw.answer(request, requestId);
    }

    @Override
    public void close() {
        sweeper.stop();
    }

    @Override
    public String iamAction(Call call, Struct in) {
        return S3Actions.of(call, in);
    }

    /** The bucket a call names, its owner and its bucket policy, for IAM enforcement. */
    @Override
    public ResourcePolicy resourcePolicy(Call call, Struct in) {
        Bucket b = buckets.find(in.string("Bucket"));
        return b == null ? null : new ResourcePolicy(b.account, BucketPolicies.evaluable(b));
    }

    @Override
    public void reset() {
        buckets.clear();
        blobs.clear();
    }

    /** S3 keeps times to the second: Last-Modified and listings agree. */
    private static Instant now(Call call) {
        return call.receivedAt().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    Bucket bucket(Call call, Struct in) {
        Bucket b = buckets.require(in.string("Bucket"));
        String expected = in.string("ExpectedBucketOwner");
        if (expected != null && !expected.equals(b.account)) {
            throw S3Errors.accessDenied(null);
        }
        return b;
    }

    @Override
    Notifications notifications() { return notifications; }

    /** PostObject: a browser upload, answered as S3 does (204, 200, 201 with XML, or 303 to a redirect). */
    private dev.terrarium.core.http.HttpResponse post(String bucketName, dev.terrarium.core.http.HttpRequest request,
                                                      String requestId) {
        Bucket b = buckets.require(bucketName);
        PostObject.Upload u = postObject.read(b.name, request);
        Instant now = context.clock().now().truncatedTo(ChronoUnit.SECONDS);
        S3Object o;
        try {
            ObjectMeta meta = ObjectMeta.from(u.input(), b.defaultEncryption());
            o = new S3Object(u.key(), b.nextVersionId(), false, u.blob(), u.blob().etag(), now, meta, u.account(), null,
                    null, null, null, u.tags());
            o.acl = Acls.fromRequest(u.input(), u.account());
        } catch (AwsException e) {
            blobs.delete(u.blob());
            throw e;
        }
        store(b, o, null, null);
        notifications.publish(b, "ObjectCreated:Post", Notifications.Change.of(o, b.everVersioned()),
                new Notifications.Cause(Owners.canonicalId(u.account()), request.remoteAddress(), requestId), b.region,
                context.clock().now());
        return PostResponses.of(b, o, u, request, requestId);
    }

    /** Publishes an object event (ObjectCreated:Put...) to the bucket's notification destinations. */
    @Override
    void objectEvent(Call call, Bucket b, String eventName, S3Object o) {
        event(call, b, eventName, Notifications.Change.of(o, b.everVersioned()));
    }

    private void event(Call call, Bucket b, String eventName, Notifications.Change change) {
        String userId = call.identity().userId();
        Notifications.Cause cause = new Notifications.Cause(userId == null ? Owners.canonicalId(call.account())
                : "AWS:" + userId, call.request().remoteAddress(), call.requestId());
        notifications.publish(b, eventName, change, cause, b.region,
                call.receivedAt());
    }

    // ---- buckets ----

    @AwsOperation("CreateBucket")
    public Struct createBucket(Call call, Struct in) {
        Struct config = in.struct("CreateBucketConfiguration");
        String constraint = config == null ? null : config.string("LocationConstraint");
        Bucket b = buckets.create(in.string("Bucket"), call.account(), call.region(), constraint, now(call));
        if (b != null) {
            if (in.bool("ObjectLockEnabledForBucket", false)) {
                b.objectLockEnabled = true;
                b.versioning = Bucket.ENABLED;
            }
            b.configs.put("OwnershipControls", Struct.of("Rules", List.of(Struct.of("ObjectOwnership",
                    in.string("ObjectOwnership", "BucketOwnerEnforced")))));
            b.configs.put("Acl", Acls.fromRequest(in, call.account()));
        }
        return Struct.of("Location", "/" + in.string("Bucket"));
    }

    @AwsOperation("HeadBucket")
    public Struct headBucket(Call call, Struct in) {
        Bucket b = bucket(call, in);
        return Struct.of("BucketRegion", b.region, "AccessPointAlias", false);
    }

    @AwsOperation("DeleteBucket")
    public Struct deleteBucket(Call call, Struct in) {
        buckets.delete(bucket(call, in));
        return null;
    }

    @AwsOperation("GetBucketLocation")
    public Struct getBucketLocation(Call call, Struct in) {
        Bucket b = bucket(call, in);
        return Struct.of("LocationConstraint", "us-east-1".equals(b.region) ? null : b.region);
    }

    @AwsOperation("ListBuckets")
    public Struct listBuckets(Call call, Struct in) {
        int max = in.integer("MaxBuckets", 10000);
        if (max < 1 || max > 10000) {
            throw S3Errors.invalidArgument("Argument max-buckets must be an integer between 1 and 10000",
                    "max-buckets", String.valueOf(max));
        }
        String after = Tokens.decode(in.string("ContinuationToken"), "continuation-token");
        String prefix = in.string("Prefix", "");
        String region = in.string("BucketRegion");
        List<Object> out = new ArrayList<>();
        String last = null;
        boolean more = false;
        for (Bucket b : buckets.owned(call.account())) {
            if ((after != null && b.name.compareTo(after) <= 0) || !b.name.startsWith(prefix)
                    || (region != null && !region.equals(b.region))) {
                continue;
            }
            if (out.size() == max) {
                more = true;
                break;
            }
            out.add(Struct.of("Name", b.name, "CreationDate", b.created, "BucketRegion", b.region,
                    "BucketArn", "arn:aws:s3:::" + b.name));
            last = b.name;
        }
        return Struct.of("Buckets", out, "Owner", Owners.owner(call.account()),
                "ContinuationToken", more ? Tokens.encode(last) : null, "Prefix", in.string("Prefix"));
    }

    // ---- objects ----

    @AwsOperation("PutObject")
    public Struct putObject(Call call, Struct in) {
        Bucket b = bucket(call, in);
        String key = in.string("Key");
        StreamingBody body = in.stream("Body");
        if (body != null && body.length() > MAX_SINGLE_PUT) {
            throw new AwsException("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
                    .withFields(Struct.of("ProposedSize", body.length(), "MaxSizeAllowed", MAX_SINGLE_PUT));
        }
        SseC.checkWrite(in);
        Map<String, String> tags = ObjectTags.fromHeader(in.string("Tagging"));
        ObjectMeta meta = ObjectMeta.from(in, b.defaultEncryption());
        ObjectLocks.checkWrite(b, in);
        Ingest.Result content = Ingest.body(blobs, in, body, call.request().header("x-amz-trailer"));
        S3Object o = new S3Object(key, b.nextVersionId(), false, content.blob(), content.blob().etag(), now(call), meta,
                call.account(), null, content.algorithm() == null ? null : content.algorithm().awsName(),
                content.checksum(), content.algorithm() == null ? null : "FULL_OBJECT", tags);
        o.acl = Acls.fromRequest(in, call.account());
        ObjectLocks.applyOnWrite(b, o, in);
        store(b, o, in.string("IfMatch"), in.string("IfNoneMatch"));
        objectEvent(call, b, "ObjectCreated:Put", o);
        Struct out = Struct.of("ETag", o.etag, "VersionId", o.reportedVersionId(b.everVersioned()));
        meta.encryption().asMap().forEach(out::put);
        ObjectResponses.checksum(o, out);
        return out;
    }

    /** Makes o current (after the conditional-write check, atomically) and frees what it replaced. */
    private void store(Bucket b, S3Object o, String ifMatch, String ifNoneMatch) {
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
        Replication.replicate(b, o, buckets, blobs);
    }

    @AwsOperation("GetObject")
    public Struct getObject(Call call, Struct in) {
        return read(call, in, true);
    }

    /**
     * The bytes of an object (the current version, or the one given), for other services of the server
     * (Lambda reads function code from S3). Throws NoSuchBucket, NoSuchKey or NoSuchVersion as GetObject would.
     */
    public byte[] readObject(String bucket, String key, String versionId) {
        Bucket b = buckets.require(bucket);
        S3Object o = versionId == null ? b.current(key) : b.version(key, versionId);
        if (o == null || o.deleteMarker) {
            throw versionId == null ? S3Errors.noSuchKey(key) : S3Errors.noSuchVersion(key, versionId);
        }
        try (java.io.InputStream body = blobs.open(o.blob, 0, o.size())) {
            return body.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AwsOperation("HeadObject")
    public Struct headObject(Call call, Struct in) {
        return read(call, in, false);
    }

    private Struct read(Call call, Struct in, boolean withBody) {
        Bucket b = bucket(call, in);
        S3Object o = readable(call, b, in.string("Key"), in.string("VersionId"));
        SseC.checkRead(o, in, "");
        if (withBody) {
            Restores.checkReadable(o, call.receivedAt());
        }
        call.request().responseExtras().header("ETag", o.etag)
                .header("Last-Modified", dev.terrarium.core.protocol.Timestamps.rfc822(o.lastModified));
        Conditionals.checkRead(o, in.string("IfMatch"), in.timestamp("IfUnmodifiedSince"), in.string("IfNoneMatch"),
                in.timestamp("IfModifiedSince"));
        long size = o.size();
        Ranges range = null;
        Integer partNumber = in.integer("PartNumber");
        Struct out = ObjectResponses.headers(o, b, "ENABLED".equalsIgnoreCase(in.string("ChecksumMode")));
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
            out.put("Body", new StreamingBody(blobs.open(o.blob, offset, length), length, o.meta.contentType()));
        }
        return out;
    }

    /** The version a read addresses; delete markers answer as S3 does (404 current, 405 by id). */
    private S3Object readable(Call call, Bucket b, String key, String versionId) {
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
                    .header("Last-Modified", dev.terrarium.core.protocol.Timestamps.rfc822(v.lastModified));
            throw S3Errors.methodNotAllowed(call.request().method(), "DeleteMarker");
        }
        return v;
    }

    private static boolean looksLikeVersionId(String v) {
        return v.length() >= 8 && v.length() <= 1024;
    }

    @AwsOperation("DeleteObject")
    public Struct deleteObject(Call call, Struct in) {
        Bucket b = bucket(call, in);
        Struct out = Deletes.delete(b, blobs, in.string("Key"), in.string("VersionId"),
                in.bool("BypassGovernanceRetention", false), now(call), call.account(), in.string("IfMatch"));
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
                Replication.replicate(b, m, buckets, blobs);
            }
        }
        event(call, b, marker ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete",
                new Notifications.Change(key, null, null, reported));
    }

    @AwsOperation("DeleteObjects")
    public Struct deleteObjects(Call call, Struct in) {
        Bucket b = bucket(call, in);
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
                Struct r = Deletes.delete(b, blobs, key, versionId, bypass, now(call), call.account(), id.string("ETag"));
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
        Bucket target = bucket(call, in);
        CopySource src = CopySource.parse(in.string("CopySource"));
        Bucket sourceBucket = buckets.require(src.bucket());
        S3Object source = copySource(call, sourceBucket, src);
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
        ObjectMeta meta = replaceMeta ? ObjectMeta.from(in, target.defaultEncryption())
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
        EnumSet<Algorithm> algorithms = algorithm == null ? EnumSet.noneOf(Algorithm.class) : EnumSet.of(algorithm);
        Blob blob = source.partSizes == null && source.blob.checksums().keySet().containsAll(algorithms)
                ? blobs.share(source.blob) : blobs.slice(source.blob, 0, source.size(), algorithms);
        S3Object copy = new S3Object(key, target.nextVersionId(), false, blob, blob.etag(), now(call), meta,
                call.account(), null, algorithm == null ? null : algorithm.awsName(),
                algorithm == null ? null : blob.checksums().get(algorithm), algorithm == null ? null : "FULL_OBJECT", tags);
        copy.acl = Acls.fromRequest(in, call.account());
        ObjectLocks.applyOnWrite(target, copy, in);
        store(target, copy, in.string("IfMatch"), in.string("IfNoneMatch"));
        objectEvent(call, target, "ObjectCreated:Copy", copy);
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
        if (encryption.isEmpty()) {
            encryption = target.defaultEncryption();
        }
        return new ObjectMeta(source.contentType(), source.systemHeaders(), source.userMetadata(),
                source.storageClass(), encryption);
    }

    private S3Object copySource(Call call, Bucket b, CopySource src) {
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

    // ---- multipart uploads ----

    @AwsOperation("CreateMultipartUpload")
    public Struct createMultipartUpload(Call call, Struct in) {
        Bucket b = bucket(call, in);
        SseC.checkWrite(in);
        ObjectLocks.checkWrite(b, in);
        String algorithm = in.string("ChecksumAlgorithm");
        if (algorithm != null && Algorithm.fromName(algorithm) == null) {
            throw S3Errors.invalidRequest("Checksum algorithm " + algorithm + " is not supported");
        }
        String type = Multipart.checksumType(algorithm == null ? null : algorithm.toUpperCase(java.util.Locale.ROOT),
                in.string("ChecksumType"));
        MultipartUpload u = new MultipartUpload(VersionIds.random(48), in.string("Key"), now(call), call.account(),
                ObjectMeta.from(in, b.defaultEncryption()), algorithm == null ? null
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
        Bucket b = bucket(call, in);
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
        Ingest.Result content = Ingest.body(blobs, checked, body, call.request().header("x-amz-trailer"));
        String checksum = u.checksumAlgorithm != null && content.algorithm() != null
                && content.algorithm().awsName().equals(u.checksumAlgorithm) ? content.checksum() : null;
        MultipartUpload.Part part = new MultipartUpload.Part(in.integer("PartNumber"), content.blob(),
                content.blob().etag(), now(call), checksum);
        MultipartUpload.Part old = u.parts.put(part.number(), part);
        if (old != null) {
            blobs.delete(old.blob());
        }
        if (!b.uploads.containsKey(u.id)) {
            blobs.delete(part.blob()); // aborted meanwhile
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
        Bucket b = bucket(call, in);
        Multipart.checkPartNumber(in.integer("PartNumber"));
        MultipartUpload u = Multipart.require(b, in.string("UploadId"), in.string("Key"));
        CopySource src = CopySource.parse(in.string("CopySource"));
        Bucket sourceBucket = buckets.require(src.bucket());
        S3Object source = copySource(call, sourceBucket, src);
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
        Blob blob = blobs.slice(source.blob, offset, length,
                algorithm == null ? EnumSet.noneOf(Algorithm.class) : EnumSet.of(algorithm));
        MultipartUpload.Part part = new MultipartUpload.Part(in.integer("PartNumber"), blob, blob.etag(), now(call),
                algorithm == null ? null : blob.checksums().get(algorithm));
        MultipartUpload.Part old = u.parts.put(part.number(), part);
        if (old != null) {
            blobs.delete(old.blob());
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
        Bucket b = bucket(call, in);
        MultipartUpload u = Multipart.require(b, in.string("UploadId"), in.string("Key"));
        Struct request = in.struct("MultipartUpload");
        List<MultipartUpload.Part> parts = multipart.select(u, request == null ? null : request.structs("Parts"));
        Multipart.Assembled done = multipart.assemble(u, parts);
        Long expectedSize = in.longValue("MpuObjectSize");
        if (expectedSize != null && expectedSize != done.blob().size()) {
            blobs.delete(done.blob());
            throw S3Errors.invalidRequest("The provided MpuObjectSize does not match the size of the object");
        }
        if (u.checksumAlgorithm != null) {
            String claimed = in.string("Checksum" + u.checksumAlgorithm);
            if (claimed != null && !claimed.equals(done.checksum())
                    && !claimed.equals(done.checksum().replaceAll("-\\d+$", ""))) {
                blobs.delete(done.blob());
                throw S3Errors.badDigest("The " + u.checksumAlgorithm + " you specified did not match the calculated "
                        + "checksum.");
            }
        }
        if (b.uploads.remove(u.id) == null) {
            blobs.delete(done.blob());
            throw S3Errors.noSuchUpload(u.id);
        }
        S3Object o = new S3Object(u.key, b.nextVersionId(), false, done.blob(), done.etag(), now(call), u.meta,
                u.owner, done.sizes(), u.checksumAlgorithm, done.checksum(), u.checksumType, u.tags);
        o.acl = u.acl;
        ObjectLocks.applyOnWrite(b, o, u.request);
        try {
            store(b, o, in.string("IfMatch"), in.string("IfNoneMatch"));
        } finally {
            multipart.discard(u);
        }
        objectEvent(call, b, "ObjectCreated:CompleteMultipartUpload", o);
        Struct out = Struct.of("Location", call.endpoint() + "/" + b.name + "/" + u.key, "Bucket", b.name,
                "Key", u.key, "ETag", o.etag, "VersionId", o.reportedVersionId(b.everVersioned()));
        ObjectResponses.checksum(o, out);
        u.meta.encryption().asMap().forEach(out::put);
        return out;
    }

    @AwsOperation("AbortMultipartUpload")
    public Struct abortMultipartUpload(Call call, Struct in) {
        Bucket b = bucket(call, in);
        MultipartUpload u = Multipart.require(b, in.string("UploadId"), in.string("Key"));
        if (b.uploads.remove(u.id) != null) {
            multipart.discard(u);
        }
        return null;
    }

    @AwsOperation("ListParts")
    public Struct listParts(Call call, Struct in) {
        Bucket b = bucket(call, in);
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
        Bucket b = bucket(call, in);
        boolean url = encodingType(in);
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

    @AwsOperation("RestoreObject")
    public Struct restoreObject(Call call, Struct in) {
        Bucket b = bucket(call, in);
        S3Object o = version(call, b, in.string("Key"), in.string("VersionId"));
        if (Restores.restore(o, in.struct("RestoreRequest"), call.receivedAt())) {
            call.request().responseExtras().status(202);
            objectEvent(call, b, "ObjectRestore:Post", o);
            objectEvent(call, b, "ObjectRestore:Completed", o);
        }
        return null;
    }

    @AwsOperation("GetObjectAttributes")
    public Struct getObjectAttributes(Call call, Struct in) {
        Bucket b = bucket(call, in);
        S3Object o = readable(call, b, in.string("Key"), in.string("VersionId"));
        SseC.checkRead(o, in, "");
        return ObjectAttributes.of(o, b, in);
    }

    // ---- listings ----

    @AwsOperation("ListObjects")
    public Struct listObjects(Call call, Struct in) {
        Bucket b = bucket(call, in);
        boolean url = encodingType(in);
        int max = maxKeys(in);
        String marker = in.string("Marker");
        Listing.Page page = Listing.live(b.objects, in.string("Prefix"), in.string("Delimiter"), marker, max);
        Struct out = listingBody(b, in, page, true, url);
        out.put("Marker", url ? UrlEncoding.encode(marker == null ? "" : marker) : (marker == null ? "" : marker));
        if (page.truncated() && in.string("Delimiter") != null) {
            out.put("NextMarker", url ? UrlEncoding.encode(page.last()) : page.last());
        }
        return out;
    }

    @AwsOperation("ListObjectsV2")
    public Struct listObjectsV2(Call call, Struct in) {
        Bucket b = bucket(call, in);
        boolean url = encodingType(in);
        int max = maxKeys(in);
        String token = in.string("ContinuationToken");
        String after = token != null ? Tokens.decode(token, "continuation-token") : in.string("StartAfter");
        Listing.Page page = Listing.live(b.objects, in.string("Prefix"), in.string("Delimiter"), after, max);
        Struct out = listingBody(b, in, page, in.bool("FetchOwner", false), url);
        out.put("KeyCount", page.objects().size() + page.commonPrefixes().size());
        out.put("ContinuationToken", token);
        out.put("NextContinuationToken", page.truncated() ? Tokens.encode(page.last()) : null);
        String startAfter = in.string("StartAfter");
        out.put("StartAfter", url ? UrlEncoding.encode(startAfter) : startAfter);
        return out;
    }

    private static Struct listingBody(Bucket b, Struct in, Listing.Page page, boolean owner, boolean url) {
        List<Object> contents = new ArrayList<>(page.objects().size());
        for (S3Object o : page.objects()) {
            contents.add(ObjectResponses.listEntry(o, owner, url));
        }
        List<Object> prefixes = new ArrayList<>(page.commonPrefixes().size());
        for (String p : page.commonPrefixes()) {
            prefixes.add(Struct.of("Prefix", url ? UrlEncoding.encode(p) : p));
        }
        String prefix = in.string("Prefix", "");
        String delimiter = in.string("Delimiter");
        return Struct.of("Name", b.name, "Prefix", url ? UrlEncoding.encode(prefix) : prefix,
                "Delimiter", url ? UrlEncoding.encode(delimiter) : delimiter, "MaxKeys", maxKeysEcho(in),
                "EncodingType", in.string("EncodingType"), "IsTruncated", page.truncated(),
                "Contents", contents.isEmpty() ? null : contents,
                "CommonPrefixes", prefixes.isEmpty() ? null : prefixes);
    }

    static boolean encodingType(Struct in) {
        String e = in.string("EncodingType");
        if (e != null && !e.equals("url")) {
            throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", e);
        }
        return e != null;
    }

    static int maxKeys(Struct in) {
        Integer max = in.integer("MaxKeys");
        if (max == null) {
            return 1000;
        }
        if (max < 0) {
            throw S3Errors.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys",
                    max.toString());
        }
        return Math.min(max, 1000);
    }

    private static int maxKeysEcho(Struct in) {
        Integer max = in.integer("MaxKeys");
        return max == null ? 1000 : max;
    }

    @Override
    Buckets buckets() { return buckets; }

    BlobStore blobs() { return blobs; }

    Multipart multipart() { return multipart; }

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
