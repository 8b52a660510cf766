package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.services.events.KinesisPutRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Subscription filters end to end: events matching a filter reach a real Python Lambda in AWS's payload. */
class LogsSubscriptionFiltersTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CloudWatchLogsClient logs;
    private static LambdaClient lambda;

    /** Records each event it receives, one JSON line per invocation, in the file named by $OUT. */
    private static final String RECORDER = """
            import json, os
            def handler(event, context):
                with open(os.environ["OUT"], "a") as f:
                    f.write(json.dumps(event) + "\\n")
                return "ok"
            """;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
        lambda = terrarium.client(LambdaClient::builder);
    }

    static byte[] zip(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return bytes.toByteArray();
    }

    static String recorder(String name, Path out) throws IOException {
        byte[] code = zip("app.py", RECORDER);
        return lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12)
                .role("arn:aws:iam::000000000000:role/lambda-role").handler("app.handler").timeout(10)
                .environment(e -> e.variables(Map.of("OUT", out.toString())))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(code)))).functionArn();
    }

    static List<String> awaitLines(Path file, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= n) {
                    return lines;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the function was not invoked " + n + " time(s)");
    }

    static JsonNode decode(String invocationEvent) throws IOException {
        String data = JSON.readTree(invocationEvent).path("awslogs").path("data").asText();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(data)))) {
            return JSON.readTree(in.readAllBytes());
        }
    }

    private static void put(String group, String stream, String... messages) {
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = new ArrayList<>();
        for (String m : messages) {
            events.add(InputLogEvent.builder().timestamp(now).message(m).build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    @Test
    void matchingEventsReachALambdaFunctionAsAwsSendsThem() throws Exception {
        Path out = Files.createTempFile("received", ".jsonl");
        Files.delete(out);
        String fn = recorder("recorder", out);
        logs.createLogGroup(b -> b.logGroupName("/app/orders"));
        logs.createLogStream(b -> b.logGroupName("/app/orders").logStreamName("web-1"));
        logs.putSubscriptionFilter(b -> b.logGroupName("/app/orders").filterName("errors").filterPattern("ERROR")
                .destinationArn(fn));

        put("/app/orders", "web-1", "INFO order 1 placed", "ERROR order 2 failed", "ERROR order 3 failed");
        JsonNode msg = decode(awaitLines(out, 1).get(0));
        assertThat(msg.path("messageType").asText()).isEqualTo("DATA_MESSAGE");
        assertThat(msg.path("owner").asText()).isEqualTo("000000000000");
        assertThat(msg.path("logGroup").asText()).isEqualTo("/app/orders");
        assertThat(msg.path("logStream").asText()).isEqualTo("web-1");
        assertThat(msg.path("subscriptionFilters").get(0).asText()).isEqualTo("errors");
        assertThat(msg.path("logEvents")).hasSize(2);
        JsonNode first = msg.path("logEvents").get(0);
        assertThat(first.path("message").asText()).isEqualTo("ERROR order 2 failed");
        assertThat(first.path("id").asText()).hasSize(56);
        assertThat(first.path("timestamp").asLong()).isPositive();

        put("/app/orders", "web-1", "INFO nothing to see");
        put("/app/orders", "web-1", "ERROR again");
        List<String> lines = awaitLines(out, 2);
        assertThat(decode(lines.get(1)).path("logEvents").get(0).path("message").asText()).isEqualTo("ERROR again");
        Thread.sleep(300);
        assertThat(Files.readAllLines(out)).as("non-matching batches are not delivered").hasSize(2);
    }

    @Test
    void filtersAreValidatedLimitedDescribedAndDeleted() throws Exception {
        Path out = Files.createTempFile("unused", ".jsonl");
        String fn = recorder("sink", out);
        logs.createLogGroup(b -> b.logGroupName("g"));
        assertThatThrownBy(() -> logs.putSubscriptionFilter(b -> b.logGroupName("nope").filterName("f").filterPattern("")
                .destinationArn(fn))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.putSubscriptionFilter(b -> b.logGroupName("g").filterName("f").filterPattern("")
                .destinationArn("arn:aws:lambda:us-east-1:000000000000:function:missing")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Could not execute the lambda function");
        assertThatThrownBy(() -> logs.putSubscriptionFilter(b -> b.logGroupName("g").filterName("f").filterPattern("{ $.x = ")
                .destinationArn(fn))).isInstanceOf(InvalidParameterException.class);

        logs.putSubscriptionFilter(b -> b.logGroupName("g").filterName("a").filterPattern("").destinationArn(fn));
        logs.putSubscriptionFilter(b -> b.logGroupName("g").filterName("b").filterPattern("ERROR")
                .destinationArn("arn:aws:kinesis:us-east-1:000000000000:stream/s")
                .roleArn("arn:aws:iam::000000000000:role/cwl"));
        logs.putSubscriptionFilter(b -> b.logGroupName("g").filterName("a").filterPattern("WARN").destinationArn(fn));
        assertThatThrownBy(() -> logs.putSubscriptionFilter(b -> b.logGroupName("g").filterName("c").filterPattern("")
                .destinationArn(fn))).isInstanceOf(LimitExceededException.class);

        List<SubscriptionFilter> filters = logs.describeSubscriptionFilters(b -> b.logGroupName("g")).subscriptionFilters();
        assertThat(filters).extracting(SubscriptionFilter::filterName).containsExactly("a", "b");
        assertThat(filters.get(0).filterPattern()).isEqualTo("WARN");
        assertThat(filters.get(0).distributionAsString()).isEqualTo("ByLogStream");
        assertThat(filters.get(0).creationTime()).isPositive();
        assertThat(filters.get(1).roleArn()).isEqualTo("arn:aws:iam::000000000000:role/cwl");
        assertThat(logs.describeSubscriptionFilters(b -> b.logGroupName("g").filterNamePrefix("b")).subscriptionFilters())
                .hasSize(1);

        logs.deleteSubscriptionFilter(b -> b.logGroupName("g").filterName("a"));
        assertThatThrownBy(() -> logs.deleteSubscriptionFilter(b -> b.logGroupName("g").filterName("a")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("subscription filter does not exist");
    }

    @Test
    void kinesisDestinationsArePublishedOnTheEventsBus() throws Exception {
        LogsService service = (LogsService) terrarium.server().registry().implementation("logs").service();
        LinkedBlockingQueue<KinesisPutRecord> records = new LinkedBlockingQueue<>();
        try (AutoCloseable sub = service.events().subscribe(KinesisPutRecord.TOPIC, e -> records.add((KinesisPutRecord) e))) {
            logs.createLogGroup(b -> b.logGroupName("k"));
            logs.createLogStream(b -> b.logGroupName("k").logStreamName("s"));
            logs.putSubscriptionFilter(b -> b.logGroupName("k").filterName("all").filterPattern("")
                    .destinationArn("arn:aws:kinesis:us-east-1:000000000000:stream/logs"));
            put("k", "s", "one", "two");
            KinesisPutRecord r = records.poll(10, TimeUnit.SECONDS);
            assertThat(r).isNotNull();
            assertThat(r.streamArn()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/logs");
            assertThat(r.partitionKey()).isEqualTo("s");
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.data()))) {
                JsonNode msg = JSON.readTree(in.readAllBytes());
                assertThat(msg.path("logEvents")).hasSize(2);
                assertThat(msg.path("logGroup").asText()).isEqualTo("k");
            }
        }
    }

    @Test
    void aFunctionsOwnLogsFlowToASubscribedFunction() throws Exception {
        Path out = Files.createTempFile("from-lambda", ".jsonl");
        Files.delete(out);
        String recorder = recorder("recorder2", out);
        byte[] code = zip("app.py", """
                def handler(event, context):
                    print("ERROR payment declined for", event.get("order"))
                    print("INFO done")
                    return "ok"
                """);
        lambda.createFunction(b -> b.functionName("payments").runtime(Runtime.PYTHON3_12)
                .role("arn:aws:iam::000000000000:role/lambda-role").handler("app.handler").timeout(10)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(code))));
        lambda.invoke(b -> b.functionName("payments").payload(SdkBytes.fromUtf8String("{\"order\":1}")));
        logs.putSubscriptionFilter(b -> b.logGroupName("/aws/lambda/payments").filterName("declines")
                .filterPattern("\"payment declined\"").destinationArn(recorder));
        lambda.invoke(b -> b.functionName("payments").payload(SdkBytes.fromUtf8String("{\"order\":2}")));

        JsonNode msg = decode(awaitLines(out, 1).get(0));
        assertThat(msg.path("logGroup").asText()).isEqualTo("/aws/lambda/payments");
        assertThat(msg.path("logStream").asText()).contains("[$LATEST]");
        assertThat(msg.path("logEvents")).hasSize(1);
        assertThat(msg.path("logEvents").get(0).path("message").asText()).contains("ERROR payment declined for 2");
    }
}
