package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectTorrentResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static dev.terrarium.services.s3.S3TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** GetObjectTorrent: a bencoded single-file torrent whose pieces are the SHA-1s of the object's 256 KiB pieces. */
class S3TorrentTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("seeds"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> torrent(String key) {
        ResponseBytes<GetObjectTorrentResponse> r = s3.getObjectTorrentAsBytes(b -> b.bucket("seeds").key(key));
        assertThat(r.response().sdkHttpResponse().firstMatchingHeader("Content-Type")).hasValue("application/x-bittorrent");
        return (Map<String, Object>) Bencode.decode(r.asByteArray());
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTorrentDescribesTheObjectPieceByPiece() throws Exception {
        byte[] data = new byte[2 * Torrents.PIECE_LENGTH + 12345];
        new Random(7).nextBytes(data);
        s3.putObject(b -> b.bucket("seeds").key("films/big movie.bin"), RequestBody.fromBytes(data));

        ResponseBytes<GetObjectTorrentResponse> r = s3.getObjectTorrentAsBytes(b -> b.bucket("seeds")
                .key("films/big movie.bin"));
        assertThat(r.response().sdkHttpResponse().firstMatchingHeader("Content-Disposition"))
                .hasValue("attachment; filename=big+movie.bin.torrent;");
        Map<String, Object> t = (Map<String, Object>) Bencode.decode(r.asByteArray());
        assertThat(t).containsOnlyKeys("announce", "announce-list", "info");
        assertThat(text(t.get("announce"))).isEqualTo("http://s3-tracker.amazonaws.com:6969/announce");
        Map<String, Object> info = (Map<String, Object>) t.get("info");
        assertThat(info.get("length")).isEqualTo((long) data.length);
        assertThat(text(info.get("name"))).isEqualTo("big movie.bin");
        assertThat(info.get("piece length")).isEqualTo(262144L);
        assertThat(text(info.get("x-amz-bucket"))).isEqualTo("seeds");
        assertThat(text(info.get("x-amz-key"))).isEqualTo("films/big movie.bin");
        byte[] pieces = (byte[]) info.get("pieces");
        assertThat(pieces).hasSize(3 * 20);
        for (int i = 0; i < 3; i++) {
            int from = i * Torrents.PIECE_LENGTH;
            byte[] piece = Arrays.copyOfRange(data, from, Math.min(data.length, from + Torrents.PIECE_LENGTH));
            assertThat(Arrays.copyOfRange(pieces, i * 20, i * 20 + 20)).as("piece %d", i)
                    .isEqualTo(MessageDigest.getInstance("SHA-1").digest(piece));
        }
        // the same object gives the same torrent (same info hash); new content a new one
        assertThat(Bencode.encode(torrent("films/big movie.bin"))).isEqualTo(r.asByteArray());
        data[Torrents.PIECE_LENGTH + 1] ^= 1;
        s3.putObject(b -> b.bucket("seeds").key("films/big movie.bin"), RequestBody.fromBytes(data));
        byte[] changed = (byte[]) ((Map<String, Object>) torrent("films/big movie.bin").get("info")).get("pieces");
        assertThat(Arrays.copyOfRange(changed, 0, 20)).isEqualTo(Arrays.copyOfRange(pieces, 0, 20));
        assertThat(Arrays.copyOfRange(changed, 20, 40)).isNotEqualTo(Arrays.copyOfRange(pieces, 20, 40));
    }

    @Test
    @SuppressWarnings("unchecked")
    void smallAndEmptyObjectsAndOtherRegions() {
        s3.putObject(b -> b.bucket("seeds").key("tiny"), RequestBody.fromString("hello"));
        Map<String, Object> info = (Map<String, Object>) torrent("tiny").get("info");
        assertThat(info.get("length")).isEqualTo(5L);
        assertThat(info.get("pieces")).isEqualTo(sha1("hello".getBytes(StandardCharsets.UTF_8)));
        s3.putObject(b -> b.bucket("seeds").key("empty"), RequestBody.empty());
        info = (Map<String, Object>) torrent("empty").get("info");
        assertThat(info.get("length")).isEqualTo(0L);
        assertThat((byte[]) info.get("pieces")).isEmpty();

        S3Client west = S3TestSupport.inRegion(terrarium, "eu-west-1");
        west.createBucket(b -> b.bucket("seeds-west").createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
        west.putObject(b -> b.bucket("seeds-west").key("k"), RequestBody.fromString("x"));
        Map<String, Object> t = (Map<String, Object>) Bencode.decode(
                west.getObjectTorrentAsBytes(b -> b.bucket("seeds-west").key("k")).asByteArray());
        assertThat(text(t.get("announce"))).isEqualTo("http://s3-tracker.eu-west-1.amazonaws.com:6969/announce");
    }

    @Test
    void missingObjectsAndBuckets() {
        assertThatThrownBy(() -> s3.getObjectTorrentAsBytes(b -> b.bucket("seeds").key("nope")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchKey"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(404));
        assertThatThrownBy(() -> s3.getObjectTorrentAsBytes(b -> b.bucket("no-such-seeds").key("k")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchBucket"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(404));
    }

    @Test
    void encryptedWithACustomerKeyOrKmsOrArchivedIsRefused() {
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        s3.putObject(b -> b.bucket("seeds").key("ssec").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(Base64.getEncoder().encodeToString(key))
                .sseCustomerKeyMD5(Base64.getEncoder().encodeToString(md5(key))), RequestBody.fromString("secret"));
        assertThatThrownBy(() -> s3.getObjectTorrentAsBytes(b -> b.bucket("seeds").key("ssec")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRequest"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(400))
                .hasMessageContaining("customer-provided keys");

        s3.putObject(b -> b.bucket("seeds").key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("secret"));
        assertThatThrownBy(() -> s3.getObjectTorrentAsBytes(b -> b.bucket("seeds").key("kms")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRequest"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(400))
                .hasMessageContaining("KMS");

        s3.putObject(b -> b.bucket("seeds").key("cold").storageClass(StorageClass.GLACIER), RequestBody.fromString("ice"));
        assertThatThrownBy(() -> s3.getObjectTorrentAsBytes(b -> b.bucket("seeds").key("cold")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidObjectState"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(403));
        // SSE-S3 (the default) is fine
        s3.putObject(b -> b.bucket("seeds").key("plain"), RequestBody.fromString("p"));
        assertThat(torrent("plain")).containsKey("info");
    }

    @Test
    void objectsOverFiveGigabytesAreRefused() {
        // the check alone, on an object whose content is never read: no 5 GB is written
        ObjectMeta meta = ObjectMeta.from(Struct.empty(), Struct.empty());
        java.util.function.LongFunction<S3Object> sized = size -> new S3Object("huge", "null", false,
                new Blob(java.nio.file.Path.of("/nonexistent"), size, new byte[16], Map.of()), "\"e\"",
                java.time.Instant.now(), meta, "000000000000", null, null, null, null, null);
        Torrents.checkAllowed(sized.apply(5368709120L));
        assertThatThrownBy(() -> Torrents.checkAllowed(sized.apply(5368709121L)))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidRequest");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .isEqualTo("Torrent creation is not supported for objects larger than 5368709120");
                });
    }

    @Test
    void theCliSavesTheSameTorrent() throws Exception {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        s3.putObject(b -> b.bucket("seeds").key("cli.bin"), RequestBody.fromString("from the cli"));
        java.nio.file.Path out = java.nio.file.Files.createTempFile("object", ".torrent");
        try {
            AwsCli.Result r = AwsCli.run(terrarium, Map.of(), "s3api", "get-object-torrent", "--bucket", "seeds",
                    "--key", "cli.bin", out.toString());
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(java.nio.file.Files.readAllBytes(out))
                    .isEqualTo(s3.getObjectTorrentAsBytes(b -> b.bucket("seeds").key("cli.bin")).asByteArray());
            AwsCli.Result missing = AwsCli.run(terrarium, Map.of(), "s3api", "get-object-torrent", "--bucket", "seeds",
                    "--key", "nope", out.toString());
            assertThat(missing.exitCode()).isNotZero();
            assertThat(missing.stderr()).contains("NoSuchKey");
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }

    @Test
    void bencodingRoundTripsAndRejectsMalformedInput() {
        byte[] encoded = Bencode.encode(Map.of("spam", List.of("a", 42L, -3), "cow", "moo", "b", new byte[] {0, -1}));
        assertThat(new String(encoded, StandardCharsets.ISO_8859_1))
                .isEqualTo("d1:b2:\u0000\u00ff3:cow3:moo4:spaml1:ai42ei-3eee");
        for (String bad : List.of("i01e", "i-0e", "d1:bi1e1:ai2ee", "l", "5:abc", "i1ei2e", "x")) {
            assertThatThrownBy(() -> Bencode.decode(bad.getBytes(StandardCharsets.ISO_8859_1))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] sha1(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] md5(byte[] b) {
        try {
            return MessageDigest.getInstance("MD5").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
