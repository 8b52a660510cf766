package dev.terrarium.services.s3;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.iam.IamActionProvider;
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
 * </ul>
 * Browser POST uploads, website endpoints and CORS preflights arrive outside the model ({@link S3RawRequests}).
 */
@Service(value = "s3", groups = {S3BucketOperations.class, S3ObjectOperations.class, S3ListingOperations.class,
        S3MultipartOperations.class, S3ObjectSubresources.class, S3BucketConfigurations.class,
        S3BucketAnalytics.class, S3LegacyConfigurations.class, S3DirectoryBuckets.class})
public final class S3Service implements AwsService, ResourcePolicyProvider, IamActionProvider, RawRequests {
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
                new S3BucketAnalytics(s3), new S3LegacyConfigurations(s3, configurations), new S3DirectoryBuckets(s3));
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

    /** The bucket a call names, its owner and its bucket policy, for IAM enforcement. */
    @Override
    public ResourcePolicy resourcePolicy(Call call, Struct in) {
        Bucket b = s3.buckets.find(in.string("Bucket"));
        return b == null ? null : new ResourcePolicy(b.account, BucketPolicies.evaluable(b));
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

    Buckets buckets() { return s3.buckets; }

    BlobStore blobs() { return s3.blobs; }

    Multipart multipart() { return s3.multipart; }
}
