package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class S3PostObjectTest {
    private static final String BOUNDARY = "----terrariumFormBoundary7MA4YWxkTrZu0gW";
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("uploads"));
    }

    private static String policy(Instant expiration, String... conditions) {
        String json = "{\"expiration\":\"" + DateTimeFormatter.ISO_INSTANT.format(expiration) + "\",\"conditions\":["
                + String.join(",", conditions) + "]}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /** The fields of a SigV4-signed POST form for test/test, with the policy signed by secret. */
    private static Map<String, String> signed(String key, String policy, String secret) throws Exception {
        String date = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(Instant.now());
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, "us-east-1");
        k = hmac(k, "s3");
        k = hmac(k, "aws4_request");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("key", key);
        f.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        f.put("x-amz-credential", "test/" + date + "/us-east-1/s3/aws4_request");
        f.put("x-amz-date", date + "T000000Z");
        f.put("policy", policy);
        f.put("x-amz-signature", HexFormat.of().formatHex(hmac(k, policy)));
        return f;
    }

    private static HttpResponse<String> post(String path, Map<String, String> fields, String filename, byte[] file)
            throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                    + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (file != null) {
            body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                    + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(file);
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest r = HttpRequest.newBuilder(URI.create(terrarium.endpoint() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void signedUploadWithPolicyStoresTheObject() throws Exception {
        String policy = policy(Instant.now().plusSeconds(600), "{\"bucket\":\"uploads\"}",
                "[\"starts-with\",\"$key\",\"user/\"]", "[\"content-length-range\",1,2000000]",
                "[\"starts-with\",\"$Content-Type\",\"text/\"]", "{\"x-amz-meta-who\":\"me\"}",
                "{\"success_action_status\":\"201\"}", "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"}",
                "[\"starts-with\",\"$x-amz-credential\",\"\"]", "[\"starts-with\",\"$x-amz-date\",\"\"]");
        Map<String, String> f = signed("user/${filename}", policy, "test");
        f.put("Content-Type", "text/plain");
        f.put("x-amz-meta-who", "me");
        f.put("success_action_status", "201");
        // a body with CRLF--- sequences and a binary tail, larger than the parser's buffer
        byte[] file = new byte[300_000];
        new Random(7).nextBytes(file);
        byte[] tricky = ("\r\n--" + BOUNDARY.substring(0, 10) + "\r\n-").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tricky, 0, file, 65_530, tricky.length);
        HttpResponse<String> r = post("/uploads", f, "photo.bin", file);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).contains("<Bucket>uploads</Bucket>").contains("<Key>user/photo.bin</Key>")
                .contains("<ETag>");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("uploads").key("user/photo.bin")).asByteArray()).isEqualTo(file);
        HeadObjectResponse head = s3.headObject(b -> b.bucket("uploads").key("user/photo.bin"));
        assertThat(head.contentType()).isEqualTo("text/plain");
        assertThat(head.metadata()).containsEntry("who", "me");
    }

    @Test
    void defaultAnswerIs204AndRedirectsAre303() throws Exception {
        HttpResponse<String> plain = post("/uploads", Map.of("key", "anon.txt"), "a.txt",
                "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(plain.statusCode()).isEqualTo(204);
        assertThat(plain.headers().firstValue("ETag")).isPresent();
        assertThat(plain.headers().firstValue("Location").orElseThrow()).endsWith("/uploads/anon.txt");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("key", "r.txt");
        f.put("success_action_redirect", "http://example.com/done");
        HttpResponse<String> redirect = post("/uploads", f, "r.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(redirect.statusCode()).isEqualTo(303);
        assertThat(redirect.headers().firstValue("Location").orElseThrow())
                .startsWith("http://example.com/done?bucket=uploads&key=r.txt&etag=%22");
    }

    @Test
    void policyAndSignatureFailures() throws Exception {
        String ok = policy(Instant.now().plusSeconds(600), "{\"bucket\":\"uploads\"}", "[\"eq\",\"$key\",\"a\"]",
                "[\"starts-with\",\"$x-amz-algorithm\",\"\"]", "[\"starts-with\",\"$x-amz-credential\",\"\"]",
                "[\"starts-with\",\"$x-amz-date\",\"\"]");
        byte[] one = "1".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> badSig = post("/uploads", signed("a", ok, "wrong-secret"), "f", one);
        assertThat(badSig.statusCode()).isEqualTo(403);
        assertThat(badSig.body()).contains("<Code>SignatureDoesNotMatch</Code>");

        HttpResponse<String> wrongKey = post("/uploads", signed("b", ok, "test"), "f", one);
        assertThat(wrongKey.statusCode()).isEqualTo(403);
        assertThat(wrongKey.body()).contains("<Code>AccessDenied</Code>")
                .contains("Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$key&quot;, &quot;a&quot;]");

        String expired = policy(Instant.now().minusSeconds(5), "{\"bucket\":\"uploads\"}");
        HttpResponse<String> late = post("/uploads", signed("a", expired, "test"), "f", one);
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("Policy expired.");

        Map<String, String> extra = signed("a", ok, "test");
        extra.put("x-unexpected", "1");
        assertThat(post("/uploads", extra, "f", one).body()).contains("Extra input fields: x-unexpected");

        String small = policy(Instant.now().plusSeconds(600), "{\"bucket\":\"uploads\"}",
                "[\"starts-with\",\"$key\",\"\"]", "[\"content-length-range\",10,20]",
                "[\"starts-with\",\"$x-amz-algorithm\",\"\"]", "[\"starts-with\",\"$x-amz-credential\",\"\"]",
                "[\"starts-with\",\"$x-amz-date\",\"\"]");
        HttpResponse<String> tooSmall = post("/uploads", signed("s", small, "test"), "f", one);
        assertThat(tooSmall.statusCode()).isEqualTo(400);
        assertThat(tooSmall.body()).contains("<Code>EntityTooSmall</Code>");

        HttpResponse<String> noFile = post("/uploads", Map.of("key", "x"), null, null);
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.body()).contains("POST requires exactly one file upload per request.");
        HttpResponse<String> noKey = post("/uploads", Map.of("acl", "private"), "f", one);
        assertThat(noKey.body()).contains("must contain a field named 'key'");
        HttpResponse<String> badPolicy = post("/uploads", signed("a", "bm90IGpzb24=", "test"), "f", one);
        assertThat(badPolicy.statusCode()).isIn(400, 403);
        HttpResponse<String> noBucket = post("/nobucket", Map.of("key", "x"), "f", one);
        assertThat(noBucket.statusCode()).isEqualTo(404);
        assertThat(noBucket.body()).contains("<Code>NoSuchBucket</Code>");
        assertThat(s3.listObjectsV2(b -> b.bucket("uploads")).contents()).isEmpty();
    }
}
