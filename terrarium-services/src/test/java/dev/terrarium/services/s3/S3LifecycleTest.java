package dev.terrarium.services.s3;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3LifecycleTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("lcb"));
    }

    private static void rules(LifecycleRule... rules) {
        s3.putBucketLifecycleConfiguration(b -> b.bucket("lcb").lifecycleConfiguration(c -> c.rules(rules)));
    }

    private static void put(String key, String body) {
        s3.putObject(b -> b.bucket("lcb").key(key), RequestBody.fromString(body));
    }

    private static void advanceDays(int days) {
        assertThat(terrarium.raw("POST", "/_terrarium/clock/advance?seconds=" + days * 86400L, null, null)
                .statusCode()).isEqualTo(200);
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition within 5 s").isLessThan(end);
            Thread.sleep(20);
        }
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket("lcb").key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void expirationByPrefixAndTagOnTheVirtualClock() throws InterruptedException {
        rules(LifecycleRule.builder().id("logs").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
                        .expiration(e -> e.days(1)).build(),
                LifecycleRule.builder().id("tmp").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.tag(t -> t.key("tmp").value("yes"))).expiration(e -> e.days(3)).build());
        put("logs/a", "a");
        put("keep/b", "b");
        s3.putObject(b -> b.bucket("lcb").key("scratch").tagging("tmp=yes"), RequestBody.fromString("c"));
        assertThat(s3.headObject(b -> b.bucket("lcb").key("logs/a")).expiration()).contains("rule-id=\"logs\"")
                .startsWith("expiry-date=\"");
        advanceDays(2);
        eventually(() -> !exists("logs/a"));
        assertThat(exists("scratch")).isTrue();
        advanceDays(2);
        eventually(() -> !exists("scratch"));
        assertThat(exists("keep/b")).isTrue();
    }

    @Test
    void disabledRulesAndFutureDatesDoNothing() throws InterruptedException {
        rules(LifecycleRule.builder().id("off").status(ExpirationStatus.DISABLED).filter(f -> f.prefix(""))
                .expiration(e -> e.days(1)).build());
        put("x", "x");
        advanceDays(5);
        Thread.sleep(300);
        assertThat(exists("x")).isTrue();
    }

    @Test
    void versionedBucketsGetDeleteMarkersThenNoncurrentVersionsExpire() throws InterruptedException {
        s3.putBucketVersioning(b -> b.bucket("lcb").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        rules(LifecycleRule.builder().id("v").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                .expiration(e -> e.days(1))
                .noncurrentVersionExpiration(n -> n.noncurrentDays(2)).build());
        put("doc", "v1");
        advanceDays(2);
        eventually(() -> !exists("doc"));
        List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket("lcb")).versions();
        assertThat(versions).hasSize(1);
        assertThat(s3.listObjectVersions(b -> b.bucket("lcb")).deleteMarkers()).hasSize(1);
        advanceDays(3);
        eventually(() -> s3.listObjectVersions(b -> b.bucket("lcb")).versions().isEmpty());
    }

    @Test
    void expiredDeleteMarkersAreRemoved() throws InterruptedException {
        s3.putBucketVersioning(b -> b.bucket("lcb").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        rules(LifecycleRule.builder().id("m").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                .expiration(e -> e.expiredObjectDeleteMarker(true))
                .noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build());
        put("gone", "v1");
        s3.deleteObject(b -> b.bucket("lcb").key("gone"));
        advanceDays(2);
        eventually(() -> s3.listObjectVersions(b -> b.bucket("lcb")).versions().isEmpty());
        eventually(() -> s3.listObjectVersions(b -> b.bucket("lcb")).deleteMarkers().isEmpty());
    }

    @Test
    void transitionsChangeTheStorageClassAndGlacierIsNotReadable() throws InterruptedException {
        rules(LifecycleRule.builder().id("t").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("cold/"))
                .transitions(t -> t.days(1).storageClass(TransitionStorageClass.STANDARD_IA),
                        t -> t.days(3).storageClass(TransitionStorageClass.GLACIER)).build());
        put("cold/a", "brr");
        advanceDays(2);
        eventually(() -> StorageClass.STANDARD_IA.equals(
                s3.headObject(b -> b.bucket("lcb").key("cold/a")).storageClass()));
        advanceDays(2);
        eventually(() -> s3.listObjectsV2(b -> b.bucket("lcb")).contents().get(0).storageClassAsString()
                .equals("GLACIER"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("lcb").key("cold/a")))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                        .isEqualTo("InvalidObjectState"));
    }

    @Test
    void incompleteMultipartUploadsAreAborted() throws InterruptedException {
        rules(LifecycleRule.builder().id("mpu").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build());
        String id = s3.createMultipartUpload(b -> b.bucket("lcb").key("big")).uploadId();
        assertThat(s3.listMultipartUploads(b -> b.bucket("lcb")).uploads()).hasSize(1);
        advanceDays(2);
        eventually(() -> s3.listMultipartUploads(b -> b.bucket("lcb")).uploads().isEmpty());
        assertThatThrownBy(() -> s3.listParts(b -> b.bucket("lcb").key("big").uploadId(id)))
                .isInstanceOf(S3Exception.class);
    }

    @Test
    void badRulesAreRefused() {
        assertThatThrownBy(() -> rules(LifecycleRule.builder().id("none").status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix("")).build()))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
        assertThatThrownBy(() -> rules(LifecycleRule.builder().id("neg").status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix("")).expiration(e -> e.days(0)).build()))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
    }
}
