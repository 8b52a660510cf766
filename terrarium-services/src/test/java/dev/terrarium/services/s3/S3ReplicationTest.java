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
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true))
            .resetBeforeEach();
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

    /** Moves the clock past the replication delay and waits for the sweep it triggers to make the copies. */
    private static void settle() {
        terrarium.server().clock().advance(java.time.Duration.ofSeconds(10));
        long end = System.currentTimeMillis() + 5000;
        while (s3.listObjectVersions(b -> b.bucket("src")).versions().stream()
                .anyMatch(v -> "PENDING".equals(s3.headObject(h -> h.bucket("src").key(v.key()).versionId(v.versionId()))
                        .replicationStatusAsString()))) {
            assertThat(System.currentTimeMillis()).as("copies within 5 s").isLessThan(end);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            Thread.sleep(100); // delete markers report no status: give their copy the same sweep
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void crossRegionCopiesKeepVersionAndContent() {
        replicate(rule("docs", 1, "docs/", "dst-west", true));
        String v = s3.putObject(b -> b.bucket("src").key("docs/a").metadata(java.util.Map.of("k", "v"))
                .tagging("t=1"), RequestBody.fromString("payload")).versionId();
        s3.putObject(b -> b.bucket("src").key("other/b"), RequestBody.fromString("no"));
        // asynchronous, as on AWS: PENDING, and no replica, until the copy is made a few seconds later
        assertThat(s3.headObject(b -> b.bucket("src").key("docs/a")).replicationStatus())
                .isEqualTo(ReplicationStatus.PENDING);
        assertThatThrownBy(() -> west.headObject(b -> b.bucket("dst-west").key("docs/a")))
                .isInstanceOf(S3Exception.class);
        settle();

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
        settle();
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
        settle();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("dst-same").key("x")).asUtf8String()).isEqualTo("1");
        s3.deleteObject(b -> b.bucket("src").key("x"));
        settle();
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
