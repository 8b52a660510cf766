package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ExportTask;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LogsExportAndCliTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CloudWatchLogsClient logs;
    private static S3Client s3;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
        s3 = terrarium.client(() -> S3Client.builder().forcePathStyle(true));
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void exportTaskWritesEventsToS3InAwsLayout() throws Exception {
        s3.createBucket(b -> b.bucket("archive"));
        logs.createLogGroup(b -> b.logGroupName("/app/api"));
        logs.createLogStream(b -> b.logGroupName("/app/api").logStreamName("a"));
        logs.createLogStream(b -> b.logGroupName("/app/api").logStreamName("b"));
        long t = 1_700_000_000_000L + (System.currentTimeMillis() - 1_700_000_000_000L) / 1000 * 1000 - 60_000;
        logs.putLogEvents(b -> b.logGroupName("/app/api").logStreamName("a").logEvents(
                InputLogEvent.builder().timestamp(t).message("first").build(),
                InputLogEvent.builder().timestamp(t + 1000).message("second").build()));
        logs.putLogEvents(b -> b.logGroupName("/app/api").logStreamName("b").logEvents(
                InputLogEvent.builder().timestamp(t + 5000).message("outside").build()));

        String id = logs.createExportTask(b -> b.taskName("daily").logGroupName("/app/api").from(t).to(t + 5000)
                .destination("archive").destinationPrefix("exports")).taskId();
        ExportTask task = null;
        for (int i = 0; i < 200; i++) {
            task = logs.describeExportTasks(b -> b.taskId(id)).exportTasks().get(0);
            if (task.status().codeAsString().equals("COMPLETED")) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(task.status().codeAsString()).isEqualTo("COMPLETED");
        assertThat(task.taskName()).isEqualTo("daily");
        assertThat(task.executionInfo().completionTime()).isNotNull();
        List<String> keys = s3.listObjectsV2(b -> b.bucket("archive").prefix("exports/")).contents().stream()
                .map(S3Object::key).toList();
        assertThat(keys).containsExactlyInAnyOrder("exports/aws-logs-write-test", "exports/" + id + "/a/000000.gz");
        String text = gunzip(s3.getObjectAsBytes(b -> b.bucket("archive").key("exports/" + id + "/a/000000.gz")).asByteArray());
        assertThat(text.lines().toList()).hasSize(2);
        assertThat(text.lines().toList().get(0)).endsWith("Z first").startsWith(java.time.Instant.ofEpochMilli(t).toString()
                .substring(0, 19));

        assertThatThrownBy(() -> logs.cancelExportTask(b -> b.taskId(id)))
                .satisfies(e -> assertThat(((software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException) e)
                        .awsErrorDetails().errorCode()).isEqualTo("InvalidOperationException"));
        assertThatThrownBy(() -> logs.createExportTask(b -> b.logGroupName("/app/api").from(t).to(t + 1)
                .destination("no-such-bucket"))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.createExportTask(b -> b.logGroupName("/app/api").from(t + 1).to(t)
                .destination("archive"))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.createExportTask(b -> b.logGroupName("/nope").from(t).to(t + 1)
                .destination("archive"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.cancelExportTask(b -> b.taskId("missing"))).isInstanceOf(ResourceNotFoundException.class);
    }

    private static JsonNode cli(String... args) throws IOException {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().isBlank() ? null : JSON.readTree(r.stdout());
    }

    @Test
    void theAwsCliDrivesLogs() throws Exception {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        cli("logs", "create-log-group", "--log-group-name", "/cli/app");
        cli("logs", "create-log-stream", "--log-group-name", "/cli/app", "--log-stream-name", "s");
        long now = System.currentTimeMillis();
        cli("logs", "put-log-events", "--log-group-name", "/cli/app", "--log-stream-name", "s", "--log-events",
                "timestamp=" + now + ",message=ERROR boom", "timestamp=" + (now + 1) + ",message=INFO fine");
        JsonNode filtered = cli("logs", "filter-log-events", "--log-group-name", "/cli/app", "--filter-pattern", "ERROR");
        assertThat(filtered.path("events")).hasSize(1);
        assertThat(filtered.path("events").get(0).path("message").asText()).isEqualTo("ERROR boom");
        JsonNode test = cli("logs", "test-metric-filter", "--filter-pattern", "[level, msg]", "--log-event-messages",
                "ERROR boom", "INFO fine");
        assertThat(test.path("matches")).hasSize(2);
        assertThat(test.path("matches").get(0).path("extractedValues").path("$level").asText()).isEqualTo("ERROR");

        AwsCli.Result missing = AwsCli.run(terrarium, Map.of(), "logs", "delete-log-group", "--log-group-name", "/cli/none");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("ResourceNotFoundException");
    }
}
