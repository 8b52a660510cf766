package dev.terrarium.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The unmodified aws CLI: `aws s3 cp` of a file large enough for multipart, `aws s3 sync` both ways, s3api. */
class S3CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        dir = Files.createTempDirectory("s3-cli");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void bucket() {
        ok("s3", "mb", "s3://cli-bucket");
    }

    private static String ok(String... args) {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), args);
        assertThat(r.exitCode()).as(r.stderr() + r.stdout()).isZero();
        return r.stdout();
    }

    private static JsonNode json(String... args) throws IOException {
        String out = ok(args);
        return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
    }

    @Test
    void cpOfALargeFileGoesMultipartAndComesBackIdentical() throws Exception {
        Path big = dir.resolve("big.bin");
        String digest = S3AsyncTransferTest.writeRandom(big, 20L * 1024 * 1024, 3);
        ok("s3", "cp", "--no-progress", big.toString(), "s3://cli-bucket/big.bin");
        JsonNode head = json("s3api", "head-object", "--bucket", "cli-bucket", "--key", "big.bin");
        assertThat(head.path("ContentLength").asLong()).isEqualTo(20L * 1024 * 1024);
        assertThat(head.path("ETag").asText()).endsWith("-3\""); // 8 MiB parts, the CLI's default
        Path back = dir.resolve("big.back");
        ok("s3", "cp", "--no-progress", "s3://cli-bucket/big.bin", back.toString());
        assertThat(S3AsyncTransferTest.digest(back)).isEqualTo(digest);
        Files.delete(big);
        Files.delete(back);
    }

    @Test
    void syncUpDownAndDelete() throws Exception {
        Path up = Files.createDirectories(dir.resolve("up/sub"));
        Files.writeString(dir.resolve("up/a.txt"), "a");
        Files.writeString(dir.resolve("up/sub/b ü +&.txt"), "b");
        // S3 keeps Last-Modified to the second and sync re-sends a file modified after it: files written in the
        // second of their upload would go again, on AWS as here, so they date from a little earlier
        java.nio.file.attribute.FileTime earlier = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minusSeconds(10));
        Files.setLastModifiedTime(dir.resolve("up/a.txt"), earlier);
        Files.setLastModifiedTime(dir.resolve("up/sub/b ü +&.txt"), earlier);
        String first = ok("s3", "sync", "--no-progress", dir.resolve("up").toString(), "s3://cli-bucket/site");
        assertThat(first).contains("upload:").contains("b ü +&.txt");
        // nothing changed: nothing is sent again
        assertThat(ok("s3", "sync", "--no-progress", dir.resolve("up").toString(), "s3://cli-bucket/site")).isBlank();

        Path down = dir.resolve("down");
        ok("s3", "sync", "--no-progress", "s3://cli-bucket/site", down.toString());
        assertThat(Files.readString(down.resolve("sub/b ü +&.txt"))).isEqualTo("b");
        assertThat(Files.readString(down.resolve("a.txt"))).isEqualTo("a");

        Files.delete(dir.resolve("up/a.txt"));
        Files.writeString(dir.resolve("up/c.txt"), "c");
        String second = ok("s3", "sync", "--no-progress", "--delete", dir.resolve("up").toString(), "s3://cli-bucket/site");
        assertThat(second).contains("delete: s3://cli-bucket/site/a.txt").contains("upload:");
        JsonNode listed = json("s3api", "list-objects-v2", "--bucket", "cli-bucket", "--prefix", "site/");
        List<String> keys = listed.path("Contents").findValuesAsText("Key");
        assertThat(keys).containsExactly("site/c.txt", "site/sub/b ü +&.txt");
    }

    @Test
    void s3apiCalls() throws Exception {
        Path file = dir.resolve("small.txt");
        Files.writeString(file, "small");
        JsonNode put = json("s3api", "put-object", "--bucket", "cli-bucket", "--key", "k ü.txt", "--body", file.toString(),
                "--metadata", "team=blue", "--tagging", "env=test");
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest("small".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(put.path("ETag").asText()).isEqualTo("\"" + md5 + "\"");
        JsonNode head = json("s3api", "head-object", "--bucket", "cli-bucket", "--key", "k ü.txt");
        assertThat(head.path("Metadata").path("team").asText()).isEqualTo("blue");
        JsonNode tags = json("s3api", "get-object-tagging", "--bucket", "cli-bucket", "--key", "k ü.txt");
        assertThat(tags.path("TagSet").get(0).path("Key").asText()).isEqualTo("env");
        ok("s3api", "put-bucket-versioning", "--bucket", "cli-bucket", "--versioning-configuration", "Status=Enabled");
        assertThat(json("s3api", "get-bucket-versioning", "--bucket", "cli-bucket").path("Status").asText())
                .isEqualTo("Enabled");
        JsonNode attrs = json("s3api", "get-object-attributes", "--bucket", "cli-bucket", "--key", "k ü.txt",
                "--object-attributes", "ObjectSize", "StorageClass");
        assertThat(attrs.path("ObjectSize").asLong()).isEqualTo(5);

        AwsCli.Result missing = AwsCli.run(terrarium, Map.of(), "s3api", "get-object", "--bucket", "cli-bucket",
                "--key", "nope", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("NoSuchKey");
        AwsCli.Result notEmpty = AwsCli.run(terrarium, Map.of(), "s3api", "delete-bucket", "--bucket", "cli-bucket");
        assertThat(notEmpty.stderr()).contains("BucketNotEmpty");
    }
}
