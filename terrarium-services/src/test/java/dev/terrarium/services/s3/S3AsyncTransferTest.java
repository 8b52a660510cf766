package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedDirectoryDownload;
import software.amazon.awssdk.transfer.s3.model.CompletedDirectoryUpload;
import software.amazon.awssdk.transfer.s3.model.CompletedFileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK's async client over Netty and S3TransferManager: multipart transfers of a large file, directories. */
class S3AsyncTransferTest {
    private static final int MIB = 1024 * 1024;
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3AsyncClient async;
    private static S3AsyncClient multipartAsync;
    private static S3Client sync;
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        async = terrarium.client(() -> S3AsyncClient.builder().forcePathStyle(true)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()));
        multipartAsync = terrarium.client(() -> S3AsyncClient.builder().forcePathStyle(true)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.thresholdInBytes(8L * MIB).minimumPartSizeInBytes(8L * MIB)));
        sync = S3TestSupport.pathStyle(terrarium);
        dir = Files.createTempDirectory("s3-transfer");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void bucket() {
        sync.createBucket(b -> b.bucket("tm-bucket"));
    }

    @Test
    void asyncPutGetListAndErrors() {
        async.putObject(b -> b.bucket("tm-bucket").key("a/one.txt").contentType("text/plain"),
                AsyncRequestBody.fromString("hello async")).join();
        String body = async.getObject(b -> b.bucket("tm-bucket").key("a/one.txt"), AsyncResponseTransformer.toBytes())
                .join().asUtf8String();
        assertThat(body).isEqualTo("hello async");
        List<S3Object> listed = async.listObjectsV2(b -> b.bucket("tm-bucket").prefix("a/")).join().contents();
        assertThat(listed).extracting(S3Object::key).containsExactly("a/one.txt");
        assertThat(listed.get(0).size()).isEqualTo(11L);

        CompletableFuture<?> missing = async.getObject(b -> b.bucket("tm-bucket").key("nope"), AsyncResponseTransformer.toBytes());
        assertThatThrownBy(missing::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> async.headBucket(b -> b.bucket("no-such-bucket-here")).join())
                .hasCauseInstanceOf(NoSuchBucketException.class);
        // the server is still up and answering
        assertThat(async.listBuckets().join().buckets()).hasSize(1);
    }

    @Test
    void manyConcurrentAsyncPuts() {
        List<CompletableFuture<?>> puts = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            puts.add(async.putObject(b -> b.bucket("tm-bucket").key("c/" + n), AsyncRequestBody.fromString("v" + n)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        assertThat(sync.listObjectsV2(b -> b.bucket("tm-bucket").prefix("c/")).keyCount()).isEqualTo(50);
        assertThat(sync.getObjectAsBytes(b -> b.bucket("tm-bucket").key("c/17")).asUtf8String()).isEqualTo("v17");
    }

    @Test
    void transferManagerUploadsAndDownloadsA64MiBFileInParts() throws Exception {
        Path source = dir.resolve("big.bin");
        String sourceDigest = writeRandom(source, 64L * MIB, 7);
        try (S3TransferManager tm = S3TransferManager.builder().s3Client(multipartAsync).build()) {
            CompletedFileUpload up = tm.uploadFile(u -> u.source(source)
                    .putObjectRequest(p -> p.bucket("tm-bucket").key("big.bin"))).completionFuture().join();
            assertThat(up.response().eTag()).matches("\"[0-9a-f]{32}-8\"");

            HeadObjectResponse head = sync.headObject(b -> b.bucket("tm-bucket").key("big.bin"));
            assertThat(head.contentLength()).isEqualTo(64L * MIB);
            assertThat(sync.headObject(b -> b.bucket("tm-bucket").key("big.bin").partNumber(1)).partsCount()).isEqualTo(8);

            Path copy = dir.resolve("big.copy");
            tm.downloadFile(d -> d.destination(copy).getObjectRequest(g -> g.bucket("tm-bucket").key("big.bin")))
                    .completionFuture().join();
            assertThat(Files.size(copy)).isEqualTo(64L * MIB);
            assertThat(digest(copy)).isEqualTo(sourceDigest);
            Files.delete(copy);
        } finally {
            Files.deleteIfExists(source);
        }
    }

    @Test
    void transferManagerUploadsAndDownloadsADirectory() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.createDirectories(tree.resolve("sub/deeper"));
        Files.writeString(tree.resolve("top.txt"), "top");
        Files.writeString(tree.resolve("sub/mid.txt"), "mid");
        Files.writeString(tree.resolve("sub/deeper/low ü.txt"), "low");
        try (S3TransferManager tm = S3TransferManager.builder().s3Client(multipartAsync).build()) {
            CompletedDirectoryUpload up = tm.uploadDirectory(u -> u.source(tree).bucket("tm-bucket").s3Prefix("site"))
                    .completionFuture().join();
            assertThat(up.failedTransfers()).isEmpty();
            assertThat(sync.listObjectsV2(b -> b.bucket("tm-bucket").prefix("site/")).contents())
                    .extracting(S3Object::key)
                    .containsExactlyInAnyOrder("site/top.txt", "site/sub/mid.txt", "site/sub/deeper/low ü.txt");

            Path back = dir.resolve("back");
            CompletedDirectoryDownload down = tm.downloadDirectory(d -> d.destination(back).bucket("tm-bucket")
                    .listObjectsV2RequestTransformer(l -> l.prefix("site/"))).completionFuture().join();
            assertThat(down.failedTransfers()).isEmpty();
            List<String> files;
            try (Stream<Path> walk = Files.walk(back)) {
                files = walk.filter(Files::isRegularFile).map(f -> back.relativize(f).toString()).sorted().toList();
            }
            // the prefix is dropped from the local paths
            assertThat(files).containsExactly("sub/deeper/low ü.txt", "sub/mid.txt", "top.txt");
            assertThat(Files.readString(back.resolve("sub/deeper/low ü.txt"))).isEqualTo("low");
        }
    }

    static String writeRandom(Path file, long size, long seed) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] buf = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buf.length) {
                random.nextBytes(buf);
                out.write(buf);
                md.update(buf);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String digest(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[MIB];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
