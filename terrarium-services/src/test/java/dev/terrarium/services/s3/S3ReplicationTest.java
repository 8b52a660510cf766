package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ReplicationTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;
    private static S3Client west;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
        west = S3TestSupport.inRegion(terrarium, "eu-west-1");
    }

    @BeforeEach
    void buckets() {
        s3.createBucket(b -> b.bucket("src"));
        west.createBucket(b -> b.bucket("dst-west").createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        versioned(s3, "src");
        versioned(west, "dst-west");
    }

    private static void versioned(S3Client client, String bucket) {
        client.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }

    private static ReplicationRule rule(String id, int priority, String prefix, String dest, boolean markers) {
        return ReplicationRule.builder().id(id).priority(priority).status(ReplicationRuleStatus.ENABLED)
                .filter(f -> f.prefix(prefix))
                .deleteMarkerReplication(d -> d.status(markers ? DeleteMarkerReplicationStatus.ENABLED
                        : DeleteMarkerReplicationStatus.DISABLED))
                .destination(d -> d.bucket("arn:aws:s3:::" + dest).storageClass(StorageClass.STANDARD_IA)).build();
    }

    private static void replicate(ReplicationRule... rules) {
        s3.putBucketReplication(b -> b.bucket("src").replicationConfiguration(c -> c
                .role("arn:aws:iam::000000000000:role/replication").rules(rules)));
    }

    @Test
    void crossRegionCopiesKeepVersionAndContent() {
        replicate(rule("docs", 1, "docs/", "dst-west", true));
        String v = s3.putObject(b -> b.bucket("src").key("docs/a").metadata(java.util.Map.of("k", "v"))
                .tagging("t=1"), RequestBody.fromString("payload")).versionId();
        s3.putObject(b -> b.bucket("src").key("other/b"), RequestBody.fromString("no"));

        HeadObjectResponse source = s3.headObject(b -> b.bucket("src").key("docs/a"));
        assertThat(source.replicationStatus()).isEqualTo(ReplicationStatus.COMPLETED);
        HeadObjectResponse replica = west.headObject(b -> b.bucket("dst-west").key("docs/a"));
        assertThat(replica.replicationStatus()).isEqualTo(ReplicationStatus.REPLICA);
        assertThat(replica.versionId()).isEqualTo(v);
        assertThat(replica.eTag()).isEqualTo(source.eTag());
        assertThat(replica.metadata()).containsEntry("k", "v");
        assertThat(replica.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
        assertThat(west.getObjectAsBytes(b -> b.bucket("dst-west").key("docs/a")).asUtf8String()).isEqualTo("payload");
        assertThat(s3.headObject(b -> b.bucket("src").key("other/b")).replicationStatus()).isNull();
        assertThatThrownBy(() -> west.headObject(b -> b.bucket("dst-west").key("other/b")))
                .isInstanceOf(S3Exception.class);

        s3.deleteObject(b -> b.bucket("src").key("docs/a"));
        assertThatThrownBy(() -> west.headObject(b -> b.bucket("dst-west").key("docs/a")))
                .isInstanceOf(S3Exception.class);
        assertThat(west.listObjectVersions(b -> b.bucket("dst-west")).deleteMarkers()).hasSize(1);
    }

    @Test
    void sameRegionAndDeleteMarkersOnlyWhenEnabled() {
        s3.createBucket(b -> b.bucket("dst-same"));
        versioned(s3, "dst-same");
        replicate(rule("all", 1, "", "dst-same", false));
        s3.putObject(b -> b.bucket("src").key("x"), RequestBody.fromString("1"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("dst-same").key("x")).asUtf8String()).isEqualTo("1");
        s3.deleteObject(b -> b.bucket("src").key("x"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("dst-same").key("x")).asUtf8String()).isEqualTo("1");
    }

    @Test
    void configurationErrors() {
        s3.createBucket(b -> b.bucket("plain"));
        assertThatThrownBy(() -> replicate(rule("r", 1, "", "plain", false)))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorMessage())
                        .isEqualTo("Destination bucket must have versioning enabled."));
        assertThatThrownBy(() -> replicate(rule("r", 1, "", "missing-bucket", false)))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorMessage())
                        .isEqualTo("Destination bucket must exist."));
        assertThatThrownBy(() -> s3.putBucketReplication(b -> b.bucket("plain").replicationConfiguration(c -> c
                .role("arn:aws:iam::000000000000:role/r").rules(rule("r", 1, "", "dst-west", false)))))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    }
}
