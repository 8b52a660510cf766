package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;

import static org.assertj.core.api.Assertions.assertThat;

class S3CorsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("web"));
        s3.putObject(b -> b.bucket("web").key("a.txt"), RequestBody.fromString("hello"));
    }

    private static void rules() {
        s3.putBucketCors(b -> b.bucket("web").corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedOrigins("https://*.example.com").allowedMethods("GET", "PUT")
                        .allowedHeaders("x-amz-*", "content-type").exposeHeaders("ETag").maxAgeSeconds(600).build(),
                CORSRule.builder().allowedOrigins("*").allowedMethods("GET").build())));
    }

    private static S3TestSupport.Raw options(String path, String... headers) {
        return S3TestSupport.raw(terrarium, "OPTIONS", "localhost", path, null, headers);
    }

    @Test
    void preflightAnsweredFromTheMatchingRule() {
        rules();
        S3TestSupport.Raw r = options("/web/a.txt", "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "Content-Type, X-Amz-Date");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET, PUT");
        assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("content-type, x-amz-date");
        assertThat(r.header("Access-Control-Expose-Headers")).isEqualTo("ETag");
        assertThat(r.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(r.header("Vary")).contains("Origin");
        assertThat(r.header("x-amz-request-id")).isNotNull();

        S3TestSupport.Raw any = options("/web/a.txt", "Origin", "http://other.org", "Access-Control-Request-Method",
                "GET");
        assertThat(any.status()).isEqualTo(200);
        assertThat(any.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(any.header("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void preflightOnVirtualHost() {
        rules();
        S3TestSupport.Raw r = S3TestSupport.raw(terrarium, "OPTIONS", "web.s3.localhost.localstack.cloud", "/a.txt",
                null, "Origin", "https://x.example.com", "Access-Control-Request-Method", "GET");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://x.example.com");
    }

    @Test
    void preflightRefusals() {
        S3TestSupport.Raw disabled = options("/web/a.txt", "Origin", "https://a.example.com",
                "Access-Control-Request-Method", "GET");
        assertThat(disabled.status()).isEqualTo(403);
        assertThat(disabled.text()).contains("<Code>AccessForbidden</Code>")
                .contains("CORSResponse: CORS is not enabled for this bucket.");
        rules();
        S3TestSupport.Raw method = options("/web/a.txt", "Origin", "http://other.org",
                "Access-Control-Request-Method", "DELETE");
        assertThat(method.status()).isEqualTo(403);
        assertThat(method.text()).contains("CORSResponse: This CORS request is not allowed.")
                .contains("<Method>OPTIONS</Method>");
        S3TestSupport.Raw header = options("/web/a.txt", "Origin", "https://a.example.com",
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-custom");
        assertThat(header.status()).isEqualTo(403);
        S3TestSupport.Raw noOrigin = options("/web/a.txt", "Access-Control-Request-Method", "GET");
        assertThat(noOrigin.status()).isEqualTo(400);
        assertThat(noOrigin.text()).contains("Insufficient information. Origin request header needed.");
        S3TestSupport.Raw badMethod = options("/web/a.txt", "Origin", "http://other.org",
                "Access-Control-Request-Method", "PATCH");
        assertThat(badMethod.status()).isEqualTo(400);
        S3TestSupport.Raw noBucket = options("/nope/a.txt", "Origin", "http://other.org",
                "Access-Control-Request-Method", "GET");
        assertThat(noBucket.status()).isEqualTo(403);
    }

    @Test
    void actualRequestsCarryCorsHeadersOnlyWhenARuleMatches() {
        rules();
        S3TestSupport.Raw get = S3TestSupport.raw(terrarium, "GET", "localhost", "/web/a.txt", null,
                "Origin", "https://app.example.com");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text()).isEqualTo("hello");
        assertThat(get.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(get.header("Access-Control-Expose-Headers")).isEqualTo("ETag");
        S3TestSupport.Raw missing = S3TestSupport.raw(terrarium, "GET", "localhost", "/web/none", null,
                "Origin", "https://app.example.com");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        S3TestSupport.Raw delete = S3TestSupport.raw(terrarium, "DELETE", "localhost", "/web/a.txt", null,
                "Origin", "https://app.example.com");
        assertThat(delete.header("Access-Control-Allow-Origin")).isNull();
        S3TestSupport.Raw plain = S3TestSupport.raw(terrarium, "GET", "localhost", "/web/a.txt", null);
        assertThat(plain.header("Access-Control-Allow-Origin")).isNull();
    }
}
