package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3BucketsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @AfterEach
    void reset() {
        terrarium.reset();
    }

    @Test
    void createHeadLocateListAndDelete() {
        assertThat(s3.createBucket(b -> b.bucket("alpha")).location()).isEqualTo("/alpha");
        assertThat(s3.headBucket(b -> b.bucket("alpha")).bucketRegion()).isEqualTo("us-east-1");
        assertThat(s3.getBucketLocation(b -> b.bucket("alpha")).locationConstraintAsString()).isNullOrEmpty();
        ListBucketsResponse list = s3.listBuckets();
        assertThat(list.buckets()).extracting(Bucket::name).containsExactly("alpha");
        assertThat(list.owner().id()).hasSize(64);
        assertThat(list.buckets().get(0).creationDate()).isNotNull();
        s3.deleteBucket(b -> b.bucket("alpha"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("alpha"))).isInstanceOf(NoSuchBucketException.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
    }

    @Test
    void recreatingOwnBucketInUsEast1IsFineElsewhereItIsOwnedByYou() {
        s3.createBucket(b -> b.bucket("mine"));
        s3.createBucket(b -> b.bucket("mine"));
        try (S3Client eu = S3TestSupport.inRegion(terrarium, "eu-west-1")) {
            eu.createBucket(b -> b.bucket("mine-eu").createBucketConfiguration(c -> c.locationConstraint(
                    BucketLocationConstraint.EU_WEST_1)));
            assertThat(eu.getBucketLocation(b -> b.bucket("mine-eu")).locationConstraintAsString()).isEqualTo("eu-west-1");
            assertThatThrownBy(() -> eu.createBucket(b -> b.bucket("mine-eu").createBucketConfiguration(c -> c
                    .locationConstraint(BucketLocationConstraint.EU_WEST_1))))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("BucketAlreadyOwnedByYou"))
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(409));
        }
    }

    @Test
    void anotherAccountsBucketNameIsTaken() {
        s3.createBucket(b -> b.bucket("taken"));
        try (S3Client other = S3TestSupport.pathStyle(terrarium, AwsBasicCredentials.create("111122223333", "x"))) {
            assertThatThrownBy(() -> other.createBucket(b -> b.bucket("taken")))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("BucketAlreadyExists"));
            assertThat(other.listBuckets().buckets()).isEmpty();
        }
    }

    @Test
    void locationConstraintRules() {
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("east").createBucketConfiguration(c -> c
                .locationConstraint("us-east-1"))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidLocationConstraint"));
        try (S3Client west = S3TestSupport.inRegion(terrarium, "us-west-2")) {
            west.createBucket(b -> b.bucket("west")); // the SDK adds the client's region as the constraint
            assertThat(west.getBucketLocation(b -> b.bucket("west")).locationConstraintAsString()).isEqualTo("us-west-2");
            assertThatThrownBy(() -> west.createBucket(b -> b.bucket("west").createBucketConfiguration(c -> c
                    .locationConstraint(BucketLocationConstraint.EU_CENTRAL_1))))
                    .satisfies(e -> assertThat(code(e)).isEqualTo("IllegalLocationConstraintException"));
        }
    }

    @Test
    void invalidNamesAreRefused() {
        for (String name : new String[] {"ab", "Upper", "192.168.1.1", "a..b", "-lead", "xn--punycode"}) {
            S3TestSupport.Raw r = S3TestSupport.raw(terrarium, "PUT", "localhost", "/" + name, new byte[0]);
            assertThat(r.status()).as(name).isEqualTo(400);
            assertThat(r.text()).as(name).contains("<Code>InvalidBucketName</Code>")
                    .contains("<BucketName>" + name + "</BucketName>");
        }
    }

    @Test
    void nonEmptyBucketCannotBeDeleted() {
        s3.createBucket(b -> b.bucket("full"));
        s3.putObject(b -> b.bucket("full").key("k"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("full")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("BucketNotEmpty"));
        s3.deleteObject(b -> b.bucket("full").key("k"));
        s3.deleteBucket(b -> b.bucket("full"));
    }

    @Test
    void listBucketsPagesAndFilters() {
        for (String n : new String[] {"b-one", "b-two", "c-three", "b-four"}) {
            s3.createBucket(b -> b.bucket(n));
        }
        ListBucketsResponse first = s3.listBuckets(b -> b.maxBuckets(2));
        assertThat(first.buckets()).extracting(Bucket::name).containsExactly("b-four", "b-one");
        assertThat(first.continuationToken()).isNotNull();
        ListBucketsResponse second = s3.listBuckets(b -> b.maxBuckets(2).continuationToken(first.continuationToken()));
        assertThat(second.buckets()).extracting(Bucket::name).containsExactly("b-two", "c-three");
        assertThat(second.continuationToken()).isNull();
        assertThat(s3.listBuckets(b -> b.prefix("b-")).buckets()).hasSize(3);
        assertThatThrownBy(() -> s3.listBuckets(b -> b.maxBuckets(0)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidArgument"));
    }

    @Test
    void errorsCarryRequestIds() {
        S3TestSupport.Raw r = S3TestSupport.raw(terrarium, "GET", "localhost", "/nope/key", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).startsWith("<?xml").contains("<Error><Code>NoSuchBucket</Code>")
                .contains("<BucketName>nope</BucketName>").contains("<RequestId>").contains("<HostId>");
        assertThat(r.header("x-amz-request-id")).isNotBlank();
        assertThat(r.header("x-amz-id-2")).isNotBlank();
    }
}
