package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3BucketConfigurationsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
    }

    @BeforeEach
    void bucket() {
        s3.createBucket(b -> b.bucket("cfg"));
    }

    @Test
    void corsStoredReturnedDeleted() {
        assertThatThrownBy(() -> s3.getBucketCors(b -> b.bucket("cfg")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchCORSConfiguration"));
        s3.putBucketCors(b -> b.bucket("cfg").corsConfiguration(c -> c.corsRules(CORSRule.builder()
                .allowedMethods("GET", "PUT").allowedOrigins("https://example.com").maxAgeSeconds(300).build())));
        CORSRule rule = s3.getBucketCors(b -> b.bucket("cfg")).corsRules().get(0);
        assertThat(rule.allowedMethods()).containsExactly("GET", "PUT");
        assertThat(rule.maxAgeSeconds()).isEqualTo(300);
        assertThatThrownBy(() -> s3.putBucketCors(b -> b.bucket("cfg").corsConfiguration(c -> c.corsRules(
                CORSRule.builder().allowedMethods("PATCH").allowedOrigins("*").build()))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRequest"));
        s3.deleteBucketCors(b -> b.bucket("cfg"));
        assertThatThrownBy(() -> s3.getBucketCors(b -> b.bucket("cfg"))).isInstanceOf(S3Exception.class);
    }

    @Test
    void policyIsValidated() {
        assertThatThrownBy(() -> s3.getBucketPolicy(b -> b.bucket("cfg")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchBucketPolicy"));
        assertThatThrownBy(() -> s3.putBucketPolicy(b -> b.bucket("cfg").policy("not json")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("MalformedPolicy"));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::cfg/*\"}]}";
        s3.putBucketPolicy(b -> b.bucket("cfg").policy(policy));
        assertThat(s3.getBucketPolicy(b -> b.bucket("cfg")).policy()).isEqualTo(policy);
    }

    @Test
    void lifecycleTaggingEncryptionAndDefaults() {
        s3.putBucketLifecycleConfiguration(b -> b.bucket("cfg").lifecycleConfiguration(l -> l.rules(LifecycleRule
                .builder().id("expire").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
                .expiration(e -> e.days(7)).build())));
        assertThat(s3.getBucketLifecycleConfiguration(b -> b.bucket("cfg")).rules().get(0).expiration().days())
                .isEqualTo(7);
        s3.putBucketTagging(b -> b.bucket("cfg").tagging(t -> t.tagSet(Tag.builder().key("team").value("a").build())));
        assertThat(s3.getBucketTagging(b -> b.bucket("cfg")).tagSet()).extracting(Tag::key).containsExactly("team");
        assertThat(s3.getBucketEncryption(b -> b.bucket("cfg")).serverSideEncryptionConfiguration().rules().get(0)
                .applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(s3.getBucketRequestPayment(b -> b.bucket("cfg")).payerAsString()).isEqualTo("BucketOwner");
        assertThat(s3.getBucketLogging(b -> b.bucket("cfg")).loggingEnabled()).isNull();
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("cfg")).queueConfigurations()).isEmpty();
        assertThat(s3.getBucketOwnershipControls(b -> b.bucket("cfg")).ownershipControls().rules().get(0)
                .objectOwnershipAsString()).isEqualTo("BucketOwnerEnforced");
        assertThatThrownBy(() -> s3.getPublicAccessBlock(b -> b.bucket("cfg")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchPublicAccessBlockConfiguration"));
        s3.putPublicAccessBlock(b -> b.bucket("cfg").publicAccessBlockConfiguration(p -> p.blockPublicAcls(true)));
        assertThat(s3.getPublicAccessBlock(b -> b.bucket("cfg")).publicAccessBlockConfiguration().blockPublicAcls())
                .isTrue();
        s3.putBucketWebsite(b -> b.bucket("cfg").websiteConfiguration(w -> w.indexDocument(i -> i.suffix("index.html"))));
        assertThat(s3.getBucketWebsite(b -> b.bucket("cfg")).indexDocument().suffix()).isEqualTo("index.html");
        assertThatThrownBy(() -> s3.putBucketReplication(b -> b.bucket("cfg").replicationConfiguration(r -> r
                .role("arn:aws:iam::000000000000:role/r").rules(x -> x.status("Enabled").priority(1)
                        .destination(d -> d.bucket("arn:aws:s3:::elsewhere"))))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidRequest"));
    }

    @Test
    void idKeyedConfigurations() {
        s3.putBucketMetricsConfiguration(b -> b.bucket("cfg").id("all").metricsConfiguration(m -> m.id("all")));
        s3.putBucketMetricsConfiguration(b -> b.bucket("cfg").id("docs").metricsConfiguration(m -> m.id("docs")
                .filter(f -> f.prefix("docs/"))));
        assertThat(s3.getBucketMetricsConfiguration(b -> b.bucket("cfg").id("docs")).metricsConfiguration().filter()
                .prefix()).isEqualTo("docs/");
        assertThat(s3.listBucketMetricsConfigurations(b -> b.bucket("cfg")).metricsConfigurationList()).hasSize(2);
        s3.deleteBucketMetricsConfiguration(b -> b.bucket("cfg").id("all"));
        assertThatThrownBy(() -> s3.getBucketMetricsConfiguration(b -> b.bucket("cfg").id("all")))
                .satisfies(e -> assertThat(code(e)).isEqualTo("NoSuchConfiguration"));
    }
}
