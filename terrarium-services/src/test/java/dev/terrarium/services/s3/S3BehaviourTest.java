package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static dev.terrarium.services.s3.S3TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Behaviour S3 has without being asked: its default CRC64NVME checksum, SSE-KMS key ARNs, checked
 * notification destinations, one whole object out of concurrent writers, any unicode key.
 */
class S3BehaviourTest {
    private static final int MIB = 1024 * 1024;
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;
    /** A client that sends no checksum of its own, as older SDKs and tools do. */
    private static S3Client plain;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
        plain = terrarium.client(() -> S3Client.builder().forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED));
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("behave"));
    }

    @Test
    void objectsWrittenWithoutAChecksumGetCrc64Nvme() {
        byte[] data = "no checksum sent".getBytes();
        PutObjectResponse put = plain.putObject(b -> b.bucket("behave").key("k"), RequestBody.fromBytes(data));
        String expected = Checksums.crc64nvme(data);
        assertThat(put.checksumCRC64NVME()).isEqualTo(expected);
        assertThat(put.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);

        HeadObjectResponse head = plain.headObject(b -> b.bucket("behave").key("k").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC64NVME()).isEqualTo(expected);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        // without ChecksumMode there is no checksum header
        assertThat(plain.headObject(b -> b.bucket("behave").key("k")).checksumCRC64NVME()).isNull();

        GetObjectAttributesResponse attrs = plain.getObjectAttributes(b -> b.bucket("behave").key("k")
                .objectAttributes(ObjectAttributes.CHECKSUM));
        assertThat(attrs.checksum().checksumCRC64NVME()).isEqualTo(expected);
        assertThat(attrs.checksum().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);

        // a client that chose CRC32 keeps it
        PutObjectResponse crc32 = s3.putObject(b -> b.bucket("behave").key("c"), RequestBody.fromBytes(data));
        assertThat(crc32.checksumCRC32()).isEqualTo(Checksums.crc32(data));
        assertThat(crc32.checksumCRC64NVME()).isNull();
    }

    @Test
    void multipartUploadWithoutAChecksumGetsAFullObjectCrc64Nvme() {
        String id = plain.createMultipartUpload(b -> b.bucket("behave").key("mp")).uploadId();
        byte[] one = new byte[5 * MIB];
        Arrays.fill(one, (byte) 1);
        byte[] two = "tail".getBytes();
        String e1 = plain.uploadPart(b -> b.bucket("behave").key("mp").uploadId(id).partNumber(1),
                RequestBody.fromBytes(one)).eTag();
        String e2 = plain.uploadPart(b -> b.bucket("behave").key("mp").uploadId(id).partNumber(2),
                RequestBody.fromBytes(two)).eTag();
        var done = plain.completeMultipartUpload(b -> b.bucket("behave").key("mp").uploadId(id).multipartUpload(m -> m
                .parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] whole = new byte[one.length + two.length];
        System.arraycopy(one, 0, whole, 0, one.length);
        System.arraycopy(two, 0, whole, one.length, two.length);
        assertThat(done.checksumCRC64NVME()).isEqualTo(Checksums.crc64nvme(whole));
        assertThat(done.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(plain.headObject(b -> b.bucket("behave").key("mp").checksumMode(ChecksumMode.ENABLED))
                .checksumCRC64NVME()).isEqualTo(Checksums.crc64nvme(whole));
    }

    @Test
    void sseKmsReportsKeyArnsAndBucketDefaultsApply() {
        PutObjectResponse managed = s3.putObject(b -> b.bucket("behave").key("kms").serverSideEncryption(
                ServerSideEncryption.AWS_KMS), RequestBody.fromString("secret"));
        assertThat(managed.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(managed.ssekmsKeyId()).matches("arn:aws:kms:us-east-1:\\d{12}:key/[0-9a-f-]{36}");
        HeadObjectResponse head = s3.headObject(b -> b.bucket("behave").key("kms"));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isEqualTo(managed.ssekmsKeyId());
        // the same AWS managed key for every such object
        assertThat(s3.putObject(b -> b.bucket("behave").key("kms2").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("x")).ssekmsKeyId()).isEqualTo(managed.ssekmsKeyId());

        String keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
        PutObjectResponse named = s3.putObject(b -> b.bucket("behave").key("named")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyId).bucketKeyEnabled(true),
                RequestBody.fromString("x"));
        assertThat(named.ssekmsKeyId()).endsWith(":key/" + keyId).startsWith("arn:aws:kms:us-east-1:");
        assertThat(named.bucketKeyEnabled()).isTrue();

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("behave").key("bad")
                .serverSideEncryption(ServerSideEncryption.AES256).ssekmsKeyId(keyId), RequestBody.fromString("x")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidArgument"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(400));

        String defaultKey = "arn:aws:kms:us-east-1:000000000000:key/feedface-0000-0000-0000-000000000000";
        s3.putBucketEncryption(b -> b.bucket("behave").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)
                        .kmsMasterKeyID(defaultKey)))));
        PutObjectResponse byDefault = s3.putObject(b -> b.bucket("behave").key("default"), RequestBody.fromString("x"));
        assertThat(byDefault.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(byDefault.ssekmsKeyId()).isEqualTo(defaultKey);
        assertThat(s3.headObject(b -> b.bucket("behave").key("default")).ssekmsKeyId()).isEqualTo(defaultKey);
        // a copy lands encrypted by the target's default too
        s3.copyObject(b -> b.sourceBucket("behave").sourceKey("named").destinationBucket("behave").destinationKey("copy"));
        assertThat(s3.headObject(b -> b.bucket("behave").key("copy")).ssekmsKeyId()).isEqualTo(defaultKey);
    }

    @Test
    void notificationDestinationsMustExist() {
        String missing = "arn:aws:sqs:us-east-1:000000000000:no-such-queue";
        assertThatThrownBy(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("behave")
                .notificationConfiguration(n -> n.queueConfigurations(q -> q.queueArn(missing)
                        .events(Event.S3_OBJECT_CREATED)))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidArgument"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(400))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorMessage())
                        .isEqualTo("Unable to validate the following destination configurations"));
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("behave")).queueConfigurations()).isEmpty();

        SqsClient sqs = terrarium.client(SqsClient::builder);
        String url = sqs.createQueue(b -> b.queueName("events")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        s3.putBucketNotificationConfiguration(b -> b.bucket("behave").notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(arn).events(Event.S3_OBJECT_CREATED))));
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("behave")).queueConfigurations()).hasSize(1);
        // skipping validation stores even a missing destination
        s3.putBucketNotificationConfiguration(b -> b.bucket("behave").skipDestinationValidation(true)
                .notificationConfiguration(n -> n.queueConfigurations(q -> q.queueArn(missing)
                        .events(Event.S3_OBJECT_CREATED))));
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("behave")).queueConfigurations().get(0)
                .queueArn()).isEqualTo(missing);
    }

    @Test
    void concurrentWritersToOneKeyLeaveOneWholeObject() throws Exception {
        int writers = 6;
        int rounds = 4;
        int size = MIB + 17;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                byte fill = (byte) ('a' + w);
                futures.add(pool.submit(() -> {
                    byte[] body = new byte[size];
                    Arrays.fill(body, fill);
                    go.await();
                    for (int r = 0; r < rounds; r++) {
                        s3.putObject(b -> b.bucket("behave").key("contended"), RequestBody.fromBytes(body));
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 2; r++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < rounds * 2; i++) {
                        try {
                            assertWhole(s3.getObjectAsBytes(b -> b.bucket("behave").key("contended")).asByteArray(), size);
                        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException notYet) {
                            // before the first write lands
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        var got = s3.getObjectAsBytes(b -> b.bucket("behave").key("contended"));
        byte[] body = got.asByteArray();
        assertWhole(body, size);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        assertThat(got.response().eTag()).isEqualTo("\"" + md5 + "\"");
        assertThat(s3.listObjectsV2(b -> b.bucket("behave")).contents()).extracting(S3Object::key)
                .containsExactly("contended");
    }

    private static void assertWhole(byte[] body, int size) {
        assertThat(body).hasSize(size);
        byte first = body[0];
        for (byte b : body) {
            if (b != first) {
                throw new AssertionError("a mix of writers: " + (char) first + " and " + (char) b);
            }
        }
    }

    @Test
    void unicodeAndSpecialCharacterKeys() {
        List<String> keys = List.of("ünïcödé/日本語/ファイル.txt", "emoji 😀/🚀.bin", "spaces and +plus+ & amp=eq?q#h%25",
                "a//double//slash", "trailing/", "dots/./and/../up", "quote\"apos'<lt>gt", "tab\tand~tilde",
                "ä/ö/ü/ß", "中文 空格");
        for (String k : keys) {
            s3.putObject(b -> b.bucket("behave").key(k), RequestBody.fromString("v:" + k));
        }
        assertThat(s3.listObjectsV2(b -> b.bucket("behave")).contents()).extracting(S3Object::key)
                .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(s3.listObjectsV2(b -> b.bucket("behave").encodingType("url")).contents()).hasSize(keys.size());
        for (String k : keys) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("behave").key(k)).asUtf8String()).isEqualTo("v:" + k);
        }
        String src = keys.get(1);
        s3.copyObject(b -> b.sourceBucket("behave").sourceKey(src).destinationBucket("behave").destinationKey("copy/" + src));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("behave").key("copy/" + src)).asUtf8String()).isEqualTo("v:" + src);
        assertThat(s3.listObjectsV2(b -> b.bucket("behave").prefix("ä/").delimiter("/")).commonPrefixes())
                .extracting(p -> p.prefix()).containsExactly("ä/ö/");
        s3.deleteObjects(b -> b.bucket("behave").delete(d -> d.objects(keys.stream()
                .map(k -> software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(k).build()).toList())));
        assertThat(s3.listObjectsV2(b -> b.bucket("behave")).contents()).extracting(S3Object::key)
                .containsExactly("copy/" + src);
    }
}
