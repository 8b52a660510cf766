package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.RoutingRule;

import static org.assertj.core.api.Assertions.assertThat;

class S3WebsiteTest {
    private static final String HOST = "site.s3-website.localhost.localstack.cloud";
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void site() {
        s3.createBucket(b -> b.bucket("site"));
        put("index.html", "<h1>home</h1>", "text/html");
        put("docs/index.html", "docs home", "text/html");
        put("style.css", "body{}", "text/css");
        put("404.html", "custom not found", "text/html");
    }

    private static void put(String key, String body, String type) {
        s3.putObject(b -> b.bucket("site").key(key).contentType(type), RequestBody.fromString(body));
    }

    private static S3TestSupport.Raw get(String host, String path) {
        return S3TestSupport.raw(terrarium, "GET", host, path, null);
    }

    private static void website(boolean errorDocument, RoutingRule... rules) {
        s3.putBucketWebsite(b -> b.bucket("site").websiteConfiguration(w -> {
            w.indexDocument(i -> i.suffix("index.html"));
            if (errorDocument) {
                w.errorDocument(e -> e.key("404.html"));
            }
            if (rules.length > 0) {
                w.routingRules(rules);
            }
        }));
    }

    @Test
    void servesIndexAndObjectsOnEveryWebsiteHostStyle() {
        website(true);
        S3TestSupport.Raw home = get(HOST, "/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.text()).isEqualTo("<h1>home</h1>");
        assertThat(home.header("Content-Type")).startsWith("text/html");
        assertThat(home.header("ETag")).isNotNull();
        assertThat(get("site.s3-website-us-east-1.amazonaws.com", "/style.css").text()).isEqualTo("body{}");
        assertThat(get("site.s3-website.eu-west-1.amazonaws.com", "/style.css").text()).isEqualTo("body{}");
        assertThat(get("site.s3-website.localhost", "/docs/").text()).isEqualTo("docs home");
        S3TestSupport.Raw slash = get(HOST, "/docs");
        assertThat(slash.status()).isEqualTo(302);
        assertThat(slash.header("Location")).isEqualTo("/docs/");
    }

    @Test
    void missingKeysServeTheErrorDocumentOrAwsHtml() {
        website(true);
        S3TestSupport.Raw custom = get(HOST, "/nope.html");
        assertThat(custom.status()).isEqualTo(404);
        assertThat(custom.text()).isEqualTo("custom not found");
        s3.deleteObject(b -> b.bucket("site").key("404.html"));
        S3TestSupport.Raw broken = get(HOST, "/nope.html");
        assertThat(broken.status()).isEqualTo(404);
        assertThat(broken.header("Content-Type")).startsWith("text/html");
        assertThat(broken.text()).contains("<h1>404 Not Found</h1>").contains("<li>Code: NoSuchKey</li>")
                .contains("<li>Key: nope.html</li>")
                .contains("An Error Occurred While Attempting to Retrieve a Custom Error Document");
        website(false);
        assertThat(get(HOST, "/nope.html").text()).doesNotContain("Custom Error Document");
    }

    @Test
    void bucketAndConfigurationErrorsAreHtml() {
        S3TestSupport.Raw noConfig = get(HOST, "/");
        assertThat(noConfig.status()).isEqualTo(404);
        assertThat(noConfig.text()).contains("Code: NoSuchWebsiteConfiguration").contains("BucketName: site");
        S3TestSupport.Raw noBucket = get("other.s3-website.localhost.localstack.cloud", "/");
        assertThat(noBucket.status()).isEqualTo(404);
        assertThat(noBucket.text()).contains("Code: NoSuchBucket");
        website(true);
        S3TestSupport.Raw put = S3TestSupport.raw(terrarium, "PUT", HOST, "/x", new byte[0]);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.text()).contains("Code: MethodNotAllowed");
    }

    @Test
    void redirects() {
        website(true,
                RoutingRule.builder().condition(c -> c.keyPrefixEquals("old/"))
                        .redirect(r -> r.replaceKeyPrefixWith("new/").httpRedirectCode("302")).build(),
                RoutingRule.builder().condition(c -> c.httpErrorCodeReturnedEquals("404"))
                        .redirect(r -> r.hostName("fallback.example.com").protocol("https")
                                .replaceKeyWith("missing.html")).build());
        S3TestSupport.Raw moved = get(HOST, "/old/page.html");
        assertThat(moved.status()).isEqualTo(302);
        assertThat(moved.header("Location")).isEqualTo("http://" + HOST + "/new/page.html");
        S3TestSupport.Raw onError = get(HOST, "/absent");
        assertThat(onError.status()).isEqualTo(301);
        assertThat(onError.header("Location")).isEqualTo("https://fallback.example.com/missing.html");
        assertThat(get(HOST, "/style.css").status()).isEqualTo(200);

        s3.putObject(b -> b.bucket("site").key("go").websiteRedirectLocation("/style.css"), RequestBody.empty());
        S3TestSupport.Raw object = get(HOST, "/go");
        assertThat(object.status()).isEqualTo(301);
        assertThat(object.header("Location")).isEqualTo("/style.css");

        s3.putBucketWebsite(b -> b.bucket("site").websiteConfiguration(w -> w.redirectAllRequestsTo(
                r -> r.hostName("www.example.com").protocol("https"))));
        S3TestSupport.Raw all = get(HOST, "/a/b");
        assertThat(all.status()).isEqualTo(301);
        assertThat(all.header("Location")).isEqualTo("https://www.example.com/a/b");
    }
}
