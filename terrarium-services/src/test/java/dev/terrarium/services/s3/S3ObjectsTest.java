package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static dev.terrarium.services.s3.S3TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ObjectsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("box"));
    }

    private static String md5Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static void put(String key, String body) {
        s3.putObject(b -> b.bucket("box").key(key), RequestBody.fromString(body));
    }

    @Test
    void putThenGetReturnsBodyMetadataAndSystemHeaders() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PutObjectResponse put = s3.putObject(b -> b.bucket("box").key("docs/readme.txt").contentType("text/markdown")
                .metadata(Map.of("Owner", "ada", "purpose", "test")).cacheControl("max-age=60")
                .contentDisposition("attachment; filename=\"r.txt\"").contentLanguage("en").contentEncoding("identity"),
                RequestBody.fromString("hello world"));
        assertThat(put.eTag()).isEqualTo('"' + md5Hex("hello world") + '"');
        assertThat(put.serverSideEncryptionAsString()).isEqualTo("AES256");
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("box").key("docs/readme.txt"));
        GetObjectResponse r = got.response();
        assertThat(got.asUtf8String()).isEqualTo("hello world");
        assertThat(r.eTag()).isEqualTo(put.eTag());
        assertThat(r.contentType()).isEqualTo("text/markdown");
        assertThat(r.contentLength()).isEqualTo(11L);
        assertThat(r.metadata()).containsEntry("owner", "ada").containsEntry("purpose", "test");
        assertThat(r.cacheControl()).isEqualTo("max-age=60");
        assertThat(r.contentDisposition()).isEqualTo("attachment; filename=\"r.txt\"");
        assertThat(r.contentLanguage()).isEqualTo("en");
        assertThat(r.acceptRanges()).isEqualTo("bytes");
        assertThat(r.lastModified()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(r.lastModified().getNano()).isZero();
        assertThat(r.versionId()).isNull();
    }

    @Test
    void headHasLengthButNoBody() {
        put("h", "12345");
        HeadObjectResponse head = s3.headObject(b -> b.bucket("box").key("h"));
        assertThat(head.contentLength()).isEqualTo(5L);
        assertThat(head.contentType()).isEqualTo("text/plain; charset=UTF-8");
        S3TestSupport.Raw raw = S3TestSupport.raw(terrarium, "HEAD", "localhost", "/box/h", null);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.header("Content-Length")).isEqualTo("5");
        assertThat(raw.body()).isEmpty();
        S3TestSupport.Raw missing = S3TestSupport.raw(terrarium, "HEAD", "localhost", "/box/none", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
    }

    @Test
    void missingKeyIsNoSuchKeyWithTheKey() {
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("box").key("ghost")))
                .isInstanceOf(NoSuchKeyException.class).satisfies(e -> assertThat(status(e)).isEqualTo(404));
        S3TestSupport.Raw raw = S3TestSupport.raw(terrarium, "GET", "localhost", "/box/ghost", null);
        assertThat(raw.text()).contains("<Code>NoSuchKey</Code>").contains("<Key>ghost</Key>");
    }

    @Test
    void rangesServePartialContent() {
        put("r", "0123456789");
        ResponseBytes<GetObjectResponse> mid = s3.getObjectAsBytes(b -> b.bucket("box").key("r").range("bytes=2-5"));
        assertThat(mid.asUtf8String()).isEqualTo("2345");
        assertThat(mid.response().contentRange()).isEqualTo("bytes 2-5/10");
        assertThat(mid.response().contentLength()).isEqualTo(4L);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key("r").range("bytes=-3")).asUtf8String()).isEqualTo("789");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key("r").range("bytes=7-")).asUtf8String()).isEqualTo("789");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key("r").range("bytes=8-100")).asUtf8String()).isEqualTo("89");
        S3TestSupport.Raw partial = S3TestSupport.raw(terrarium, "GET", "localhost", "/box/r", null, "Range", "bytes=0-0");
        assertThat(partial.status()).isEqualTo(206);
        assertThat(partial.text()).isEqualTo("0");
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("box").key("r").range("bytes=10-")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRange"))
                .satisfies(e -> assertThat(status(e)).isEqualTo(416));
        // a range S3 cannot parse is ignored: the whole object
        assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key("r").range("lines=1-2")).asUtf8String())
                .isEqualTo("0123456789");
    }

    @Test
    void conditionalReads() {
        put("c", "v1");
        String etag = s3.headObject(b -> b.bucket("box").key("c")).eTag();
        Instant modified = s3.headObject(b -> b.bucket("box").key("c")).lastModified();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key("c").ifMatch(etag)).asUtf8String()).isEqualTo("v1");
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("box").key("c").ifMatch("\"nope\"")))
                .satisfies(e -> assertThat(status(e)).isEqualTo(412))
                .satisfies(e -> assertThat(code(e)).isEqualTo("PreconditionFailed"));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("box").key("c").ifNoneMatch(etag)))
                .satisfies(e -> assertThat(status(e)).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("box").key("c").ifModifiedSince(modified)))
                .satisfies(e -> assertThat(status(e)).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("box").key("c")
                .ifUnmodifiedSince(modified.minusSeconds(60))))
                .satisfies(e -> assertThat(status(e)).isEqualTo(412));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key("c").ifModifiedSince(modified.minusSeconds(60)))
                .asUtf8String()).isEqualTo("v1");
        S3TestSupport.Raw notModified = S3TestSupport.raw(terrarium, "GET", "localhost", "/box/c", null,
                "If-None-Match", etag);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(etag);
    }

    @Test
    void conditionalWrites() {
        s3.putObject(b -> b.bucket("box").key("once").ifNoneMatch("*"), RequestBody.fromString("first"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("box").key("once").ifNoneMatch("*"),
                RequestBody.fromString("second")))
                .satisfies(e -> assertThat(status(e)).isEqualTo(412));
        String etag = s3.headObject(b -> b.bucket("box").key("once")).eTag();
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("box").key("once").ifMatch("\"other\""),
                RequestBody.fromString("third")))
                .satisfies(e -> assertThat(status(e)).isEqualTo(412));
        s3.putObject(b -> b.bucket("box").key("once").ifMatch(etag), RequestBody.fromString("fourth"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("box").key("absent").ifMatch(etag),
                RequestBody.fromString("x")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchKey"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key("once")).asUtf8String()).isEqualTo("fourth");
    }

    @Test
    void responseOverrides() {
        put("o", "x");
        GetObjectResponse r = s3.getObject(b -> b.bucket("box").key("o").responseContentType("image/png")
                .responseCacheControl("no-store").responseContentDisposition("inline")
                .responseExpires(Instant.parse("2030-01-01T00:00:00Z"))).response();
        assertThat(r.contentType()).isEqualTo("image/png");
        assertThat(r.cacheControl()).isEqualTo("no-store");
        assertThat(r.contentDisposition()).isEqualTo("inline");
        assertThat(r.expiresString()).isEqualTo("Tue, 01 Jan 2030 00:00:00 GMT");
    }

    @Test
    void contentMd5AndChecksumsAreVerified() {
        S3TestSupport.Raw bad = S3TestSupport.raw(terrarium, "PUT", "localhost", "/box/md5", "abc".getBytes(),
                "Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("<Code>BadDigest</Code>");
        S3TestSupport.Raw invalid = S3TestSupport.raw(terrarium, "PUT", "localhost", "/box/md5", "abc".getBytes(),
                "Content-MD5", "nope");
        assertThat(invalid.text()).contains("<Code>InvalidDigest</Code>");
        S3TestSupport.Raw ok = S3TestSupport.raw(terrarium, "PUT", "localhost", "/box/md5", "abc".getBytes(),
                "Content-MD5", "kAFQmDzST7DWlj99KOF/cg==");
        assertThat(ok.status()).isEqualTo(200);
        S3TestSupport.Raw crc = S3TestSupport.raw(terrarium, "PUT", "localhost", "/box/crc", "abc".getBytes(),
                "x-amz-checksum-crc32", "AAAAAA==");
        assertThat(crc.text()).contains("<Code>BadDigest</Code>");
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("box").key("crc")))
                .isInstanceOf(NoSuchKeyException.class);
        PutObjectResponse sha = s3.putObject(b -> b.bucket("box").key("sha").checksumAlgorithm("SHA256"),
                RequestBody.fromString("abc"));
        assertThat(sha.checksumSHA256()).isEqualTo("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        assertThat(s3.getObject(b -> b.bucket("box").key("sha").checksumMode("ENABLED")).response().checksumSHA256())
                .isEqualTo("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    }

    @Test
    void deleteAndDeleteObjects() {
        put("a", "1");
        put("b", "2");
        put("c", "3");
        s3.deleteObject(b -> b.bucket("box").key("a"));
        s3.deleteObject(b -> b.bucket("box").key("never-was"));
        DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket("box").delete(d -> d.objects(
                ObjectIdentifier.builder().key("b").build(), ObjectIdentifier.builder().key("zzz").build())));
        assertThat(r.deleted()).extracting(x -> x.key()).containsExactly("b", "zzz");
        assertThat(r.errors()).isEmpty();
        DeleteObjectsResponse quiet = s3.deleteObjects(b -> b.bucket("box").delete(d -> d.quiet(true)
                .objects(ObjectIdentifier.builder().key("c").build())));
        assertThat(quiet.deleted()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket("box")).keyCount()).isZero();
    }

    @Test
    void copyKeepsOrReplacesMetadata() {
        s3.putObject(b -> b.bucket("box").key("src").contentType("text/csv").metadata(Map.of("k", "v")),
                RequestBody.fromString("a,b"));
        s3.createBucket(b -> b.bucket("other"));
        CopyObjectResponse copy = s3.copyObject(b -> b.sourceBucket("box").sourceKey("src")
                .destinationBucket("other").destinationKey("dst"));
        assertThat(copy.copyObjectResult().eTag()).isEqualTo(s3.headObject(b -> b.bucket("box").key("src")).eTag());
        HeadObjectResponse copied = s3.headObject(b -> b.bucket("other").key("dst"));
        assertThat(copied.contentType()).isEqualTo("text/csv");
        assertThat(copied.metadata()).containsEntry("k", "v");
        s3.copyObject(b -> b.sourceBucket("box").sourceKey("src").destinationBucket("box").destinationKey("src")
                .metadataDirective(MetadataDirective.REPLACE).contentType("text/plain").metadata(Map.of("n", "m")));
        HeadObjectResponse replaced = s3.headObject(b -> b.bucket("box").key("src"));
        assertThat(replaced.contentType()).isEqualTo("text/plain");
        assertThat(replaced.metadata()).containsOnlyKeys("n");
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("box").sourceKey("src").destinationBucket("box")
                .destinationKey("src")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRequest"));
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("box").sourceKey("src").destinationBucket("box")
                .destinationKey("x").copySourceIfMatch("\"bad\"")))
                .satisfies(e -> assertThat(status(e)).isEqualTo(412));
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("box").sourceKey("missing")
                .destinationBucket("box").destinationKey("x")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchKey"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("other").key("dst")).asUtf8String()).isEqualTo("a,b");
    }

    @Test
    void keysWithUnicodeAndSpecialCharacters() {
        String[] keys = {"spaces in name.txt", "ünïcødé/文件.txt", "plus+and=equals&amp", "emoji-😀.bin",
                "percent%20literal", "a//double/slash", "tilde~star*(paren)"};
        for (String k : keys) {
            s3.putObject(b -> b.bucket("box").key(k), RequestBody.fromString(k));
        }
        for (String k : keys) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key(k)).asUtf8String()).as(k).isEqualTo(k);
        }
        assertThat(s3.listObjectsV2(b -> b.bucket("box")).contents()).extracting(o -> o.key())
                .containsExactlyInAnyOrder(keys);
        assertThat(s3.listObjectsV2(b -> b.bucket("box").encodingType("url")).contents()).extracting(o -> o.key())
                .containsExactlyInAnyOrder(keys);
    }

    @Test
    void emptyObjects() {
        put("empty", "");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("box").key("empty")).asByteArray()).isEmpty();
        assertThat(s3.headObject(b -> b.bucket("box").key("empty")).eTag())
                .isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
    }
}
