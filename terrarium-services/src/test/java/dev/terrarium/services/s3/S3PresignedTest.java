package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Presigned GET and PUT made by the SDK's presigner, used by a plain HTTP client. */
class S3PresignedTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();
    private static S3Client s3;
    private static S3Presigner presigner;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
        s3.createBucket(b -> b.bucket("signed"));
        presigner = presigner(TestServer.TEST_CREDENTIALS.secretAccessKey());
    }

    private static S3Presigner presigner(String secret) {
        return S3Presigner.builder().endpointOverride(terrarium.endpoint()).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", secret)))
                .build();
    }

    @AfterAll
    static void stop() {
        presigner.close();
    }

    @Test
    void presignedPutThenPresignedGet() throws Exception {
        URI put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket("signed").key("up load.txt").contentType("text/plain"))).url().toURI();
        HttpResponse<String> stored = HTTP.send(HttpRequest.newBuilder(put).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("via presigned put")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(r -> r.bucket("signed").key("up load.txt"))).url().toURI();
        HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(get).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("via presigned put");
        assertThat(read.headers().firstValue("Content-Type")).contains("text/plain");
    }

    @Test
    void expiredAndTamperedUrlsAreRefused() throws Exception {
        s3.putObject(b -> b.bucket("signed").key("k"), RequestBody.fromString("v"));
        URI shortLived = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1))
                .getObjectRequest(r -> r.bucket("signed").key("k"))).url().toURI();
        Thread.sleep(2100);
        HttpResponse<String> expired = HTTP.send(HttpRequest.newBuilder(shortLived).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired");
        URI good = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                .getObjectRequest(r -> r.bucket("signed").key("k"))).url().toURI();
        URI tampered = URI.create(good.toString().replace("/signed/k?", "/signed/other?"));
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(tampered).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("SignatureDoesNotMatch");
    }
}
