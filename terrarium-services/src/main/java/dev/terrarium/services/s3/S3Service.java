package dev.terrarium.services.s3;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.iam.ContextKeys;
import dev.terrarium.core.iam.IamActionProvider;
import dev.terrarium.core.iam.IamResourceProvider;
import dev.terrarium.core.iam.ResourcePolicyProvider;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.RawRequests;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Amazon S3: buckets, objects that stream to and from disk, multipart uploads and bucket configurations.
 * The operations live in groups, one per part of the API reference:
 * <ul>
 *   <li>{@link S3BucketOperations}: create, head, delete and list buckets, location, versioning, bucket ACL</li>
 *   <li>{@link S3ObjectOperations}: put, get, head, copy, delete, restore objects, object attributes</li>
 *   <li>{@link S3ListingOperations}: ListObjects, ListObjectsV2, ListObjectVersions</li>
 *   <li>{@link S3MultipartOperations}: multipart uploads, their parts and listings</li>
 *   <li>{@link S3ObjectSubresources}: an object version's ACL, tags, retention and legal hold</li>
 *   <li>{@link S3BucketConfigurations}: configurations stored on a bucket (CORS, lifecycle, policy, ...)</li>
 *   <li>{@link S3BucketAnalytics}: inventory, analytics, metrics and Intelligent-Tiering configurations by id</li>
 *   <li>{@link S3LegacyConfigurations}: the older lifecycle and notification operations</li>
 *   <li>{@link S3DirectoryBuckets}: directory-bucket operations, as general purpose buckets answer them</li>
 *   <li>{@link S3Select}: SelectObjectContent, SQL over CSV and JSON objects answered as an event stream</li>
 * </ul>
 * Browser POST uploads, website endpoints and CORS preflights arrive outside the model ({@link S3RawRequests}).
 */
@Service(value = "s3", groups = {S3BucketOperations.class, S3ObjectOperations.class, S3ListingOperations.class,
        S3MultipartOperations.class, S3ObjectSubresources.class, S3BucketConfigurations.class,
        S3BucketAnalytics.class, S3LegacyConfigurations.class, S3DirectoryBuckets.class, S3Select.class})
public final class S3Service implements AwsService, ResourcePolicyProvider, IamActionProvider, IamResourceProvider,
        RawRequests {
    private final S3State s3;
    private final List<Object> groups;
    private final S3RawRequests raw;
    private final PostObject postObject;
    private final LifecycleSweeper sweeper;

    public S3Service(ServiceContext context) {
        this.s3 = new S3State(context);
        S3BucketConfigurations configurations = new S3BucketConfigurations(s3);
        this.groups = List.of(new S3BucketOperations(s3), new S3ObjectOperations(s3), new S3ListingOperations(s3),
                new S3MultipartOperations(s3), new S3ObjectSubresources(s3), configurations,
                new S3BucketAnalytics(s3), new S3LegacyConfigurations(s3, configurations), new S3DirectoryBuckets(s3),
                new S3Select(s3));
        this.postObject = new PostObject(s3.blobs, context.credentials(), context.clock());
        this.raw = new S3RawRequests(s3.buckets, s3.blobs, this::post);
        this.sweeper = new LifecycleSweeper(s3.buckets, s3.blobs, s3.multipart, s3.notifications, s3.restores,
                s3.replication, context.clock());
        sweeper.start();
    }

    @Override
    public List<Object> operationGroups() {
        return groups;
    }

    @Override
    public RawRequests.Answer answer(HttpRequest request, String requestId) {
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

    @Override
    public void conditionKeys(Call call, Struct in, ContextKeys keys) {
        S3Resources.requestKeys(in, keys);
    }

    @Override
    public String resourceArn(Call call, Struct in) {
        return S3Resources.arn(in);
    }

    /**
     * The bucket a call names, its owner and its bucket policy, for IAM enforcement; the bucket's tags when ABAC
     * is enabled on it, the object's tags (s3:ExistingObjectTag) for the actions that read them.
     */
    @Override
    public ResourcePolicy resourcePolicy(Call call, Struct in) {
        Bucket b = s3.buckets.find(in.string("Bucket"));
        return b == null ? null : new ResourcePolicy(b.account, BucketPolicies.evaluable(b), S3Resources.bucketTags(b, in),
                S3Resources.existingObjectTags(b, iamAction(call, in), in));
    }

    @Override
    public void reset() {
        s3.clear();
    }

    /** PostObject: a browser upload, answered as S3 does (204, 200, 201 with XML, or 303 to a redirect). */
    private HttpResponse post(String bucketName, HttpRequest request, String requestId) {
        Bucket b = s3.buckets.require(bucketName);
        PostObject.Upload u = postObject.read(b.name, request);
        Instant now = s3.context.clock().now().truncatedTo(ChronoUnit.SECONDS);
        S3Object o;
        try {
            ObjectMeta meta = ObjectMeta.from(u.input(), b);
            o = new S3Object(u.key(), b.nextVersionId(), false, u.blob(), u.blob().etag(), now, meta, u.account(), null,
                    null, null, null, u.tags());
            o.acl = Acls.fromRequest(u.input(), u.account());
        } catch (AwsException e) {
            s3.blobs.delete(u.blob());
            throw e;
        }
        s3.store(b, o, null, null);
        s3.notifications.publish(b, "ObjectCreated:Post", Notifications.Change.of(o, b.everVersioned()),
                new Notifications.Cause(Owners.canonicalId(u.account()), request.remoteAddress(), requestId), b.region,
                s3.context.clock().now());
        return PostResponses.of(b, o, u, request, requestId);
    }

    // ---- for other services, through Peers (DynamoDB's table exports and imports)

    /** The region of a bucket, or null when there is no such bucket. */
    public String bucketRegion(String bucketName) {
        Bucket b = s3.buckets.find(bucketName);
        return b == null ? null : b.region;
    }

    /** Stores data as the current object of key, as a PutObject by the bucket's owner would (NoSuchBucket if absent). */
    public void putObjectBytes(String bucketName, String key, byte[] data, String contentType) {
        Bucket b = s3.buckets.require(bucketName);
        Blob blob = s3.blobs.write(new java.io.ByteArrayInputStream(data), java.util.Set.of());
        ObjectMeta meta = ObjectMeta.from(Struct.of("ContentType", contentType), b.defaultEncryption());
        S3Object o = new S3Object(key, b.nextVersionId(), false, blob, blob.etag(),
                s3.context.clock().now().truncatedTo(ChronoUnit.SECONDS), meta, b.account, null, null, null, null, null);
        s3.store(b, o, null, null);
    }

    /**
     * The bytes of an object (the current version, or the one given), for other services of the server
     * (Lambda's function code, DynamoDB's imports). Throws NoSuchBucket, NoSuchKey or NoSuchVersion as GetObject would.
     */
    public byte[] readObject(String bucket, String key, String versionId) {
        Bucket b = s3.buckets.require(bucket);
        S3Object o = versionId == null ? b.current(key) : b.version(key, versionId);
        if (o == null || o.deleteMarker) {
            throw versionId == null ? S3Errors.noSuchKey(key) : S3Errors.noSuchVersion(key, versionId);
        }
        try (java.io.InputStream body = s3.blobs.open(o.blob, 0, o.size())) {
            return body.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Keys of the bucket's live objects that start with prefix, in S3's order (NoSuchBucket when absent). */
    public List<String> listKeys(String bucketName, String prefix) {
        Bucket b = s3.buckets.require(bucketName);
        List<String> out = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, KeyHistory> e : b.objects.tailMap(prefix == null ? "" : prefix, true).entrySet()) {
            if (prefix != null && !e.getKey().startsWith(prefix)) {
                break;
            }
            S3Object o = e.getValue().live();
            if (o != null && !o.deleteMarker) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    Buckets buckets() { return s3.buckets; }

    BlobStore blobs() { return s3.blobs; }

    Multipart multipart() { return s3.multipart; }
}
