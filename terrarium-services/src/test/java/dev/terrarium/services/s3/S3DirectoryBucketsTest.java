package dev.terrarium.services.s3;

import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketType;
import software.amazon.awssdk.services.s3.model.DataRedundancy;
import software.amazon.awssdk.services.s3.model.ListDirectoryBucketsResponse;
import software.amazon.awssdk.services.s3.model.LocationType;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static dev.terrarium.services.s3.S3TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ListDirectoryBuckets: GET / like ListBuckets, told apart by the request's signing name (s3express, the
 * s3express-control endpoint's) or Smithy's x-id literal. Directory buckets cannot be created here, so it lists
 * none while general purpose buckets exist.
 */
class S3DirectoryBucketsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static final List<SdkHttpRequest> SENT = new CopyOnWriteArrayList<>();
    private static S3Client s3;
    private static S3Client control;

    @BeforeAll
    static void clients() {
        s3 = S3TestSupport.pathStyle(terrarium);
        // the SDK picks S3 Express session auth for the s3express-control endpoint, which needs a bucket to open a
        // session on (NullPointerException: Bucket must not be null); plain SigV4 for s3express is what it signs then
        control = terrarium.client(() -> S3Client.builder().forcePathStyle(true).disableS3ExpressSessionAuth(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        SENT.add(context.httpRequest());
                    }
                })));
    }

    @Test
    void listsNoDirectoryBucketsWhileGeneralPurposeBucketsExist() {
        s3.createBucket(b -> b.bucket("general-one"));
        s3.createBucket(b -> b.bucket("general-two"));
        SENT.clear();
        ListDirectoryBucketsResponse listed = control.listDirectoryBuckets(b -> b.maxDirectoryBuckets(10));
        assertThat(listed.buckets()).isEmpty();
        assertThat(listed.continuationToken()).isNull();
        // what reached the server: GET / signed for s3express, nothing else naming the operation
        assertThat(SENT).singleElement().satisfies(r -> {
            assertThat(r.encodedPath()).isEqualTo("/");
            assertThat(r.firstMatchingHeader("Authorization").orElseThrow()).contains("/s3express/aws4_request");
        });
        assertThat(control.listDirectoryBucketsPaginator(b -> b.maxDirectoryBuckets(1)).buckets()).isEmpty();
        // GET / signed for s3 is still ListBuckets
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("general-one", "general-two");
    }

    @Test
    void maxDirectoryBucketsOutOfRangeIsRefused() {
        assertThatThrownBy(() -> control.listDirectoryBuckets(b -> b.maxDirectoryBuckets(1001)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidArgument"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(400))
                .hasMessageContaining("max-directory-buckets must be an integer between 0 and 1000");
        assertThat(control.listDirectoryBuckets(b -> b.maxDirectoryBuckets(0)).buckets()).isEmpty();
    }

    @Test
    void aDirectoryBucketCannotBeCreatedSoNoneIsListed() {
        assertThatThrownBy(() -> control.createBucket(b -> b.bucket("dir-one--use1-az4--x-s3")
                .createBucketConfiguration(c -> c
                        .location(l -> l.type(LocationType.AVAILABILITY_ZONE).name("use1-az4"))
                        .bucket(i -> i.type(BucketType.DIRECTORY).dataRedundancy(DataRedundancy.SINGLE_AVAILABILITY_ZONE)))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NotImplemented"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(501));
        assertThat(control.listDirectoryBuckets(b -> { }).buckets()).isEmpty();
        assertThat(s3.listBuckets().buckets()).isEmpty();
    }

    @Test
    void theCliListsDirectoryBucketsToo() {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        s3.createBucket(b -> b.bucket("general-cli"));
        AwsCli.Result dirs = AwsCli.run(terrarium, Map.of(), "s3api", "list-directory-buckets");
        assertThat(dirs.exitCode()).as(dirs.stderr()).isZero();
        assertThat(dirs.stdout()).doesNotContain("general-cli");
        AwsCli.Result all = AwsCli.run(terrarium, Map.of(), "s3api", "list-buckets");
        assertThat(all.stdout()).contains("general-cli");
        AwsCli.Result bad = AwsCli.run(terrarium, Map.of(), "s3api", "list-directory-buckets",
                "--max-directory-buckets", "1001");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("InvalidArgument");
    }
}
