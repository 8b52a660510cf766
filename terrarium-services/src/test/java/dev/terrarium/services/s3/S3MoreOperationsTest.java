package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAbacStatus;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static dev.terrarium.services.s3.S3TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GetBucketPolicyStatus, ABAC, and the directory-bucket operations on a general purpose setup. */
class S3MoreOperationsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("more"));
    }

    private static String policy(String principal, String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal
                + ",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::more/*\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
    }

    @Test
    void policyStatusIsComputedFromThePolicy() {
        assertThatThrownBy(() -> s3.getBucketPolicyStatus(b -> b.bucket("more")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchBucketPolicy"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(404));
        s3.putBucketPolicy(b -> b.bucket("more").policy(policy("\"*\"", null)));
        assertThat(s3.getBucketPolicyStatus(b -> b.bucket("more")).policyStatus().isPublic()).isTrue();
        s3.putBucketPolicy(b -> b.bucket("more").policy(policy("{\"AWS\":[\"*\"]}", null)));
        assertThat(s3.getBucketPolicyStatus(b -> b.bucket("more")).policyStatus().isPublic()).isTrue();
        s3.putBucketPolicy(b -> b.bucket("more").policy(policy("{\"AWS\":\"arn:aws:iam::111122223333:root\"}", null)));
        assertThat(s3.getBucketPolicyStatus(b -> b.bucket("more")).policyStatus().isPublic()).isFalse();
        s3.putBucketPolicy(b -> b.bucket("more").policy(policy("\"*\"",
                "{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}")));
        assertThat(s3.getBucketPolicyStatus(b -> b.bucket("more")).policyStatus().isPublic()).isFalse();
        s3.putBucketPolicy(b -> b.bucket("more").policy(policy("\"*\"",
                "{\"StringEquals\":{\"aws:UserAgent\":\"curl\"}}")));
        assertThat(s3.getBucketPolicyStatus(b -> b.bucket("more")).policyStatus().isPublic()).isTrue();
        assertThatThrownBy(() -> s3.getBucketPolicyStatus(b -> b.bucket("nope-bucket")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchBucket"));
    }

    @Test
    void abacStatusIsStored() {
        assertThat(s3.getBucketAbac(b -> b.bucket("more")).abacStatus().status()).isEqualTo(BucketAbacStatus.DISABLED);
        s3.putBucketAbac(b -> b.bucket("more").abacStatus(a -> a.status(BucketAbacStatus.ENABLED)));
        assertThat(s3.getBucketAbac(b -> b.bucket("more")).abacStatus().status()).isEqualTo(BucketAbacStatus.ENABLED);
    }

    @Test
    void directoryBucketOperationsOnGeneralPurposeBuckets() {
        // ListDirectoryBuckets: S3DirectoryBucketsTest
        s3.putObject(b -> b.bucket("more").key("a"), RequestBody.fromString("a"));
        assertThatThrownBy(() -> s3.renameObject(b -> b.bucket("more").key("b").renameSource("a")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRequest"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(400));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("more").key("a")).asUtf8String()).isEqualTo("a");
        assertThatThrownBy(() -> s3.renameObject(b -> b.bucket("nope-bucket").key("b").renameSource("a")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchBucket"));
        assertThatThrownBy(() -> s3.createSession(b -> b.bucket("more")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRequest"));
    }

    @Test
    void updateObjectEncryptionMovesAnObjectToSseKms() {
        s3.putObject(b -> b.bucket("more").key("e"), RequestBody.fromString("data"));
        assertThat(s3.headObject(b -> b.bucket("more").key("e")).serverSideEncryptionAsString()).isEqualTo("AES256");
        String key = "arn:aws:kms:us-east-1:000000000000:key/0a0b0c0d-1111-2222-3333-444455556666";
        s3.updateObjectEncryption(b -> b.bucket("more").key("e").objectEncryption(o -> o.ssekms(k -> k.kmsKeyArn(key))));
        var head = s3.headObject(b -> b.bucket("more").key("e"));
        assertThat(head.serverSideEncryptionAsString()).isEqualTo("aws:kms");
        assertThat(head.ssekmsKeyId()).isEqualTo(key);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("more").key("e")).asUtf8String()).isEqualTo("data");
        assertThatThrownBy(() -> s3.updateObjectEncryption(b -> b.bucket("more").key("missing")
                .objectEncryption(o -> o.ssekms(k -> k.kmsKeyArn(key)))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchKey"));
    }
}
