package dev.terrarium.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.QueryEraBotocore;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tools/overlays: what botocore's models lost and Terrarium adds back (SQS's query wire), merged by
 * tools/convert_models.py. ModelResourcesTest checks that the resources are botocore + overlay exactly.
 */
class ModelOverlayTest {
    static final Models MODELS = Models.fromClasspath();

    private static JsonNode rawModel(String service) throws Exception {
        try (InputStream in = ModelOverlayTest.class.getResourceAsStream("/models/" + service + ".json.gz")) {
            return new ObjectMapper().readTree(new GZIPInputStream(in));
        }
    }

    @Test
    void theSqsResourceRecordsItsOverlay() throws Exception {
        JsonNode meta = rawModel("sqs").get("metadata");
        assertThat(meta.get("terrariumOverlay").asText()).isEqualTo("tools/overlays/sqs.json");
        assertThat(meta.get("terrariumSource").asText()).startsWith("botocore ");
        assertThat(meta.get("protocol").asText()).isEqualTo("json");
        assertThat(MODELS.info("sqs").xmlNamespace()).isEqualTo("http://queue.amazonaws.com/doc/2012-11-05/");
        assertThat(rawModel("sts").get("metadata").has("terrariumOverlay")).isFalse();
    }

    @Test
    void xmlNamesAreSeparateFromTheJsonWireName() {
        ServiceModel sqs = MODELS.model("sqs");
        Member messages = sqs.shape("ReceiveMessageResult").member("Messages");
        assertThat(messages.xmlName()).isEqualTo("Message");
        assertThat(messages.locationName()).isNull();
        assertThat(messages.wireName()).isEqualTo("Messages");
        assertThat(messages.flattened()).isTrue();
        assertThat(sqs.shape("QueueAttributeMap").mapKey().xmlName()).isEqualTo("Name");
        assertThat(sqs.shape("StringList").listMember().xmlName()).isEqualTo("StringListValue");
        assertThat(sqs.operation("ReceiveMessage").resultWrapper()).isEqualTo("ReceiveMessageResult");
        assertThat(sqs.operation("PurgeQueue").resultWrapper()).isNull();
        // models without an overlay have no xmlName anywhere
        MODELS.model("sts").shapes().values().forEach(s -> s.members().values()
                .forEach(m -> assertThat(m.xmlName()).as(s.name() + "." + m.name()).isNull()));
    }

    /** CloudWatch is awsQueryCompatible too, but botocore still models its query wire: no overlay needed. */
    @Test
    void cloudWatchKeptItsQueryCodesAndStatuses() throws Exception {
        ServiceModel cw = MODELS.model("cloudwatch");
        assertThat(cw.info().awsQueryCompatible()).isTrue();
        assertThat(cw.info().protocols()).contains("query");
        assertThat(cw.shape("ResourceNotFound").error().code()).isEqualTo("ResourceNotFound");
        assertThat(cw.shape("ResourceNotFound").error().httpStatusCode()).isEqualTo(404);
        assertThat(cw.shape("InvalidParameterValueException").error().code()).isEqualTo("InvalidParameterValue");
        assertThat(cw.shape("MissingRequiredParameterException").error().code()).isEqualTo("MissingParameter");
        assertThat(cw.shape("InternalServiceFault").error().code()).isEqualTo("InternalServiceError");
        assertThat(cw.shape("InternalServiceFault").error().httpStatusCode()).isEqualTo(500);
        assertThat(cw.operation("GetMetricStatistics").resultWrapper()).isEqualTo("GetMetricStatisticsResult");
        assertThat(rawModel("cloudwatch").get("metadata").has("terrariumOverlay")).isFalse();
    }

    /** The merge rules (only additions, only known traits, only names botocore has) in tools/overlays/test_overlay.py. */
    @Test
    void overlayMergeRules() throws Exception {
        Process p = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", ".", "-p", "test_*.py")
                .directory(QueryEraBotocore.overlaysDir().toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("OK");
    }
}
