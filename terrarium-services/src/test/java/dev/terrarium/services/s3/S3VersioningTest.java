package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Instant;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3VersioningTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("ver"));
    }

    private static String put(String key, String body) {
        return s3.putObject(b -> b.bucket("ver").key(key), RequestBody.fromString(body)).versionId();
    }

    private static void versioning(BucketVersioningStatus status) {
        s3.putBucketVersioning(b -> b.bucket("ver").versioningConfiguration(c -> c.status(status)));
    }

    @Test
    void enabledKeepsEveryVersionAndDeleteLeavesAMarker() {
        assertThat(s3.getBucketVersioning(b -> b.bucket("ver")).status()).isNull();
        put("k", "before");
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("k", "one");
        String v2 = put("k", "two");
        assertThat(v1).isNotEqualTo(v2).isNotEqualTo("null");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("ver").key("k")).asUtf8String()).isEqualTo("two");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("ver").key("k").versionId(v1)).asUtf8String()).isEqualTo("one");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("ver").key("k").versionId("null")).asUtf8String())
                .isEqualTo("before");
        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket("ver").key("k"));
        assertThat(deleted.deleteMarker()).isTrue();
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("ver").key("k"))).isInstanceOf(NoSuchKeyException.class);
        S3TestSupport.Raw raw = S3TestSupport.raw(terrarium, "GET", "localhost", "/ver/k", null);
        assertThat(raw.header("x-amz-delete-marker")).isEqualTo("true");
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("ver").key("k").versionId(deleted.versionId())))
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(405));
        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket("ver"));
        assertThat(versions.versions()).extracting(ObjectVersion::versionId).containsExactly(v2, v1, "null");
        assertThat(versions.versions()).noneMatch(ObjectVersion::isLatest);
        assertThat(versions.deleteMarkers()).extracting(DeleteMarkerEntry::versionId).containsExactly(deleted.versionId());
        assertThat(versions.deleteMarkers().get(0).isLatest()).isTrue();
        assertThat(s3.listObjectsV2(b -> b.bucket("ver")).contents()).isEmpty();
        // removing the marker brings the key back
        s3.deleteObject(b -> b.bucket("ver").key("k").versionId(deleted.versionId()));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("ver").key("k")).asUtf8String()).isEqualTo("two");
        s3.deleteObject(b -> b.bucket("ver").key("k").versionId(v2));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("ver").key("k")).asUtf8String()).isEqualTo("one");
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("ver").key("k").versionId("doesnotexist0000")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchVersion"));
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("ver")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("BucketNotEmpty"));
    }

    @Test
    void suspendedWritesReplaceTheNullVersion() {
        versioning(BucketVersioningStatus.ENABLED);
        String kept = put("s", "versioned");
        versioning(BucketVersioningStatus.SUSPENDED);
        assertThat(put("s", "null one")).isEqualTo("null");
        assertThat(put("s", "null two")).isEqualTo("null");
        assertThat(s3.listObjectVersions(b -> b.bucket("ver")).versions()).extracting(ObjectVersion::versionId)
                .containsExactly("null", kept);
        assertThat(s3.getBucketVersioning(b -> b.bucket("ver")).status()).isEqualTo(BucketVersioningStatus.SUSPENDED);
    }

    @Test
    void versionListingPages() {
        versioning(BucketVersioningStatus.ENABLED);
        for (int i = 0; i < 3; i++) {
            put("a", "a" + i);
            put("b", "b" + i);
        }
        ListObjectVersionsResponse first = s3.listObjectVersions(b -> b.bucket("ver").maxKeys(4));
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.versions()).hasSize(4);
        ListObjectVersionsResponse rest = s3.listObjectVersions(b -> b.bucket("ver").keyMarker(first.nextKeyMarker())
                .versionIdMarker(first.nextVersionIdMarker()));
        assertThat(rest.versions()).hasSize(2);
        assertThat(rest.versions()).extracting(ObjectVersion::key).containsOnly("b");
    }

    @Test
    void taggingAndAcl() {
        put("t", "x");
        s3.putObjectTagging(b -> b.bucket("ver").key("t").tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("env").value("dev").build())));
        assertThat(s3.getObjectTagging(b -> b.bucket("ver").key("t")).tagSet()).extracting(t -> t.key())
                .containsExactly("env");
        assertThat(s3.headObject(b -> b.bucket("ver").key("t")).metadata()).isEmpty();
        s3.putObject(b -> b.bucket("ver").key("t2").tagging("a=1&b=2"), RequestBody.fromString("y"));
        assertThat(s3.getObjectTagging(b -> b.bucket("ver").key("t2")).tagSet()).hasSize(2);
        assertThat(s3.getObject(b -> b.bucket("ver").key("t2")).response().tagCount()).isEqualTo(2);
        s3.deleteObjectTagging(b -> b.bucket("ver").key("t2"));
        assertThat(s3.getObjectTagging(b -> b.bucket("ver").key("t2")).tagSet()).isEmpty();
        assertThat(s3.getBucketAcl(b -> b.bucket("ver")).grants()).hasSize(1);
        assertThat(s3.getObjectAcl(b -> b.bucket("ver").key("t")).grants().get(0).permissionAsString())
                .isEqualTo("FULL_CONTROL");
        assertThatThrownBy(() -> s3.putBucketAcl(b -> b.bucket("ver").acl("public-read")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessControlListNotSupported"));
        s3.putBucketOwnershipControls(b -> b.bucket("ver").ownershipControls(o -> o.rules(r -> r.objectOwnership(
                "ObjectWriter"))));
        s3.putBucketAcl(b -> b.bucket("ver").acl("public-read"));
        assertThat(s3.getBucketAcl(b -> b.bucket("ver")).grants()).hasSize(2);
    }

    @Test
    void objectLockProtectsVersions() {
        s3.createBucket(b -> b.bucket("locked").objectLockEnabledForBucket(true));
        assertThat(s3.getBucketVersioning(b -> b.bucket("locked")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        String v = s3.putObject(b -> b.bucket("locked").key("k").objectLockMode("GOVERNANCE")
                .objectLockRetainUntilDate(Instant.now().plusSeconds(3600)), RequestBody.fromString("x")).versionId();
        assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket("locked").key("k").versionId(v)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        s3.deleteObject(b -> b.bucket("locked").key("k").versionId(v).bypassGovernanceRetention(true));
        String held = s3.putObject(b -> b.bucket("locked").key("h"), RequestBody.fromString("y")).versionId();
        s3.putObjectLegalHold(b -> b.bucket("locked").key("h").legalHold(l -> l.status(ObjectLockLegalHoldStatus.ON)));
        assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket("locked").key("h").versionId(held)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        assertThat(s3.getObjectLegalHold(b -> b.bucket("locked").key("h")).legalHold().status())
                .isEqualTo(ObjectLockLegalHoldStatus.ON);
        S3TestSupport.Raw unlocked = S3TestSupport.raw(terrarium, "PUT", "localhost", "/ver/k", "x".getBytes(),
                "x-amz-object-lock-legal-hold", "ON");
        assertThat(unlocked.status()).isEqualTo(400);
        assertThat(unlocked.text()).contains("<Code>InvalidRequest</Code>");
    }
}
