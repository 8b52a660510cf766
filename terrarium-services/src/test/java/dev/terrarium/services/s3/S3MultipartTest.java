package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3MultipartTest {
    private static final int MIB = 1024 * 1024;
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("mpu"));
    }

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static CompletedPart upload(String id, String key, int number, byte[] data) {
        UploadPartResponse r = s3.uploadPart(b -> b.bucket("mpu").key(key).uploadId(id).partNumber(number),
                RequestBody.fromBytes(data));
        return CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build();
    }

    @Test
    void threePartsMakeOneObjectWithDashNEtagAndReadableParts() throws Exception {
        String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("big").contentType("video/mp4")).uploadId();
        byte[] p1 = bytes(5 * MIB, 1);
        byte[] p2 = bytes(5 * MIB, 2);
        byte[] p3 = bytes(1234, 3);
        List<CompletedPart> parts = List.of(upload(id, "big", 1, p1), upload(id, "big", 2, p2), upload(id, "big", 3, p3));
        ListPartsResponse listed = s3.listParts(b -> b.bucket("mpu").key("big").uploadId(id));
        assertThat(listed.parts()).extracting(p -> p.size()).containsExactly((long) p1.length, (long) p2.length, 1234L);
        assertThat(s3.listMultipartUploads(b -> b.bucket("mpu")).uploads()).extracting(u -> u.uploadId())
                .containsExactly(id);
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket("mpu").key("big").uploadId(id)
                .multipartUpload(m -> m.parts(parts)));
        MessageDigest md5s = MessageDigest.getInstance("MD5");
        for (byte[] p : List.of(p1, p2, p3)) {
            md5s.update(MessageDigest.getInstance("MD5").digest(p));
        }
        assertThat(done.eTag()).isEqualTo("\"" + HexFormat.of().formatHex(md5s.digest()) + "-3\"");
        byte[] all = s3.getObjectAsBytes(b -> b.bucket("mpu").key("big")).asByteArray();
        assertThat(all.length).isEqualTo(p1.length + p2.length + p3.length);
        assertThat(Arrays.copyOfRange(all, p1.length, p1.length + p2.length)).isEqualTo(p2);
        GetObjectResponse part2 = s3.getObject(b -> b.bucket("mpu").key("big").partNumber(2)).response();
        assertThat(part2.contentLength()).isEqualTo((long) p2.length);
        assertThat(part2.partsCount()).isEqualTo(3);
        assertThat(s3.headObject(b -> b.bucket("mpu").key("big")).contentType()).isEqualTo("video/mp4");
        assertThat(s3.listMultipartUploads(b -> b.bucket("mpu")).uploads()).isEmpty();
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("mpu").key("big").partNumber(4)))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidPartNumber"));
    }

    @Test
    void smallNonLastPartIsEntityTooSmall() {
        String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("k")).uploadId();
        List<CompletedPart> parts = List.of(upload(id, "k", 1, bytes(100, 1)), upload(id, "k", 2, bytes(100, 2)));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("mpu").key("k").uploadId(id)
                .multipartUpload(m -> m.parts(parts))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("EntityTooSmall"));
    }

    @Test
    void wrongEtagOrOrderOrMissingPart() {
        String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("k")).uploadId();
        CompletedPart one = upload(id, "k", 1, bytes(5 * MIB, 1));
        CompletedPart two = upload(id, "k", 2, bytes(10, 2));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("mpu").key("k").uploadId(id)
                .multipartUpload(m -> m.parts(two, one))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidPartOrder"));
        CompletedPart badEtag = one.toBuilder().eTag("\"00000000000000000000000000000000\"").build();
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("mpu").key("k").uploadId(id)
                .multipartUpload(m -> m.parts(badEtag, two))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidPart"));
        CompletedPart three = CompletedPart.builder().partNumber(3).eTag(two.eTag()).build();
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("mpu").key("k").uploadId(id)
                .multipartUpload(m -> m.parts(one, three))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidPart"));
        // still completable afterwards
        s3.completeMultipartUpload(b -> b.bucket("mpu").key("k").uploadId(id).multipartUpload(m -> m.parts(one, two)));
    }

    @Test
    void abortAndUnknownUploads() {
        String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("k")).uploadId();
        upload(id, "k", 1, bytes(10, 1));
        s3.abortMultipartUpload(b -> b.bucket("mpu").key("k").uploadId(id));
        assertThatThrownBy(() -> s3.listParts(b -> b.bucket("mpu").key("k").uploadId(id)))
                .isInstanceOf(NoSuchUploadException.class);
        assertThatThrownBy(() -> s3.uploadPart(b -> b.bucket("mpu").key("k").uploadId("nope").partNumber(1),
                RequestBody.fromString("x"))).isInstanceOf(NoSuchUploadException.class);
        assertThatThrownBy(() -> s3.uploadPart(b -> b.bucket("mpu").key("k").uploadId(id).partNumber(10001),
                RequestBody.fromString("x"))).satisfies(e -> assertThat(code(e)).isEqualTo("InvalidArgument"));
    }

    @Test
    void compositeCrc32ChecksumOfParts() {
        String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("c").checksumAlgorithm(ChecksumAlgorithm.CRC32))
                .uploadId();
        byte[] p1 = bytes(5 * MIB, 7);
        byte[] p2 = bytes(333, 8);
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int n = i + 1;
            byte[] data = i == 0 ? p1 : p2;
            UploadPartResponse r = s3.uploadPart(b -> b.bucket("mpu").key("c").uploadId(id).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(data));
            assertThat(r.checksumCRC32()).isEqualTo(crc32(data));
            parts.add(CompletedPart.builder().partNumber(n).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build());
        }
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket("mpu").key("c").uploadId(id)
                .multipartUpload(m -> m.parts(parts)));
        CRC32 composite = new CRC32();
        composite.update(Base64.getDecoder().decode(crc32(p1)));
        composite.update(Base64.getDecoder().decode(crc32(p2)));
        String expected = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4)
                .putInt((int) composite.getValue()).array()) + "-2";
        assertThat(done.checksumCRC32()).isEqualTo(expected);
        assertThat(done.checksumTypeAsString()).isEqualTo("COMPOSITE");
    }

    @Test
    void uploadPartCopyTakesARange() {
        s3.putObject(b -> b.bucket("mpu").key("source"), RequestBody.fromBytes(bytes(6 * MIB, 5)));
        String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("copy")).uploadId();
        String e1 = s3.uploadPartCopy(b -> b.sourceBucket("mpu").sourceKey("source").destinationBucket("mpu")
                .destinationKey("copy").uploadId(id).partNumber(1).copySourceRange("bytes=0-5242879"))
                .copyPartResult().eTag();
        String e2 = s3.uploadPartCopy(b -> b.sourceBucket("mpu").sourceKey("source").destinationBucket("mpu")
                .destinationKey("copy").uploadId(id).partNumber(2).copySourceRange("bytes=5242880-6291455"))
                .copyPartResult().eTag();
        s3.completeMultipartUpload(b -> b.bucket("mpu").key("copy").uploadId(id).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(),
                CompletedPart.builder().partNumber(2).eTag(e2).build())));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("mpu").key("copy")).asByteArray()).isEqualTo(bytes(6 * MIB, 5));
        String other = s3.createMultipartUpload(b -> b.bucket("mpu").key("copy")).uploadId();
        assertThatThrownBy(() -> s3.uploadPartCopy(b -> b.sourceBucket("mpu").sourceKey("source")
                .destinationBucket("mpu").destinationKey("copy").uploadId(other).partNumber(1)
                .copySourceRange("bytes=0-99999999")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidArgument"));
    }

    private static String crc32(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }
}
