package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.services.events.KinesisPutRecord;
import dev.terrarium.services.events.MetricDatum;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidOperationException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricTransformation;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PolicyType;
import software.amazon.awssdk.services.cloudwatchlogs.model.Processor;
import software.amazon.awssdk.services.cloudwatchlogs.model.TransformedLogRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transformers applied at ingestion: what is stored, what reads and filters see; the processors; AWS's rules. */
class LogsTransformersTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    private static void put(String group, String stream, String... messages) {
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = new ArrayList<>();
        for (String m : messages) {
            events.add(InputLogEvent.builder().timestamp(now).message(m).build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    private static String test(String message, Consumer<Processor.Builder>... processors) {
        List<TransformedLogRecord> out = logs.testTransformer(b -> b.transformerConfig(processors)
                .logEventMessages(message)).transformedLogs();
        return out.get(0).transformedEventMessage();
    }

    private static String code(Throwable t) {
        return ((CloudWatchLogsException) t).awsErrorDetails().errorCode();
    }

    @Test
    void eventsIngestedAfterPutTransformerAreStoredTransformed() throws Exception {
        logs.createLogGroup(b -> b.logGroupName("app"));
        logs.createLogStream(b -> b.logGroupName("app").logStreamName("s"));
        put("app", "s", "{\"lvl\":\"warn\",\"ms\":\"12\"}");
        logs.putTransformer(b -> b.logGroupIdentifier("app").transformerConfig(
                p -> p.parseJSON(j -> { }),
                p -> p.addKeys(a -> a.entries(e -> e.key("env").value("prod"))),
                p -> p.renameKeys(r -> r.entries(e -> e.key("lvl").renameTo("level"))),
                p -> p.upperCaseString(u -> u.withKeys("level")),
                p -> p.typeConverter(t -> t.entries(e -> e.key("ms").type("integer")))));
        put("app", "s", "{\"lvl\":\"error\",\"ms\":\"950\"}", "plain text, not JSON");

        List<OutputLogEvent> stored = logs.getLogEvents(b -> b.logGroupName("app").logStreamName("s").startFromHead(true))
                .events();
        assertThat(stored).extracting(OutputLogEvent::message).containsExactly(
                "{\"lvl\":\"warn\",\"ms\":\"12\"}",                        // before the transformer: as sent
                "{\"ms\":950,\"env\":\"prod\",\"level\":\"ERROR\"}",        // transformed
                "plain text, not JSON");                                   // the parser failed: kept as sent

        // filters and Insights read the transformed events
        List<FilteredLogEvent> errors = logs.filterLogEvents(b -> b.logGroupName("app")
                .filterPattern("{ $.level = \"ERROR\" && $.ms > 900 }")).events();
        assertThat(errors).singleElement().extracting(FilteredLogEvent::message)
                .isEqualTo("{\"ms\":950,\"env\":\"prod\",\"level\":\"ERROR\"}");
        assertThat(logs.filterLogEvents(b -> b.logGroupName("app").filterPattern("{ $.lvl = \"error\" }")).events()).isEmpty();
        assertThat(logs.describeLogGroups().logGroups().get(0).storedBytes())
                .isEqualTo(("{\"lvl\":\"warn\",\"ms\":\"12\"}{\"ms\":950,\"env\":\"prod\",\"level\":\"ERROR\"}"
                        + "plain text, not JSON").length());

        // deleting the transformer stops it for what comes next
        logs.deleteTransformer(b -> b.logGroupIdentifier("app"));
        put("app", "s", "{\"lvl\":\"info\"}");
        assertThat(logs.getLogEvents(b -> b.logGroupName("app").logStreamName("s")).events())
                .last().extracting(OutputLogEvent::message).isEqualTo("{\"lvl\":\"info\"}");
    }

    @Test
    void metricFiltersReadTheOriginalUnlessTheyApplyOnTransformedLogs() throws Exception {
        LogsService service = (LogsService) terrarium.server().registry().implementation("logs").service();
        LinkedBlockingQueue<MetricDatum> points = new LinkedBlockingQueue<>();
        try (AutoCloseable sub = service.events().subscribe(MetricDatum.TOPIC, e -> points.add((MetricDatum) e))) {
            logs.createLogGroup(b -> b.logGroupName("web"));
            logs.createLogStream(b -> b.logGroupName("web").logStreamName("s"));
            logs.putTransformer(b -> b.logGroupIdentifier("web").transformerConfig(
                    p -> p.grok(g -> g.match("%{IPV4:client.ip} %{WORD:user} took %{NUMBER:ms}ms"))));
            MetricTransformation metric = MetricTransformation.builder().metricNamespace("Web").metricName("Latency")
                    .metricValue("$.ms").build();
            logs.putMetricFilter(b -> b.logGroupName("web").filterName("on-transformed").applyOnTransformedLogs(true)
                    .filterPattern("{ $.user = \"alice\" }").metricTransformations(metric));
            logs.putMetricFilter(b -> b.logGroupName("web").filterName("json-on-original")
                    .filterPattern("{ $.user = \"alice\" }").metricTransformations(metric.toBuilder().metricName("Never").build()));
            logs.putMetricFilter(b -> b.logGroupName("web").filterName("words-on-original")
                    .filterPattern("[ip, user = alice, took, ms]")
                    .metricTransformations(metric.toBuilder().metricName("Raw").metricValue("1").build()));
            put("web", "s", "10.0.0.7 alice took 42ms");

            assertThat(logs.getLogEvents(b -> b.logGroupName("web").logStreamName("s")).events().get(0).message())
                    .isEqualTo("{\"client\":{\"ip\":\"10.0.0.7\"},\"user\":\"alice\",\"ms\":\"42\"}");
            List<MetricDatum> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                MetricDatum d = points.poll(5, TimeUnit.SECONDS);
                assertThat(d).isNotNull();
                got.add(d);
            }
            assertThat(got).extracting(d -> d.metricName() + "=" + d.value())
                    .containsExactlyInAnyOrder("Latency=42.0", "Raw=1.0");
            assertThat(points.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void subscriptionFiltersDeliverTheOriginalUnlessTheyApplyOnTransformedLogs() throws Exception {
        LogsService service = (LogsService) terrarium.server().registry().implementation("logs").service();
        LinkedBlockingQueue<KinesisPutRecord> records = new LinkedBlockingQueue<>();
        try (AutoCloseable sub = service.events().subscribe(KinesisPutRecord.TOPIC, e -> records.add((KinesisPutRecord) e))) {
            logs.createLogGroup(b -> b.logGroupName("k"));
            logs.createLogStream(b -> b.logGroupName("k").logStreamName("s"));
            logs.putTransformer(b -> b.logGroupIdentifier("k").transformerConfig(
                    p -> p.parseKeyValue(k -> k.fieldDelimiter(" ")), p -> p.upperCaseString(u -> u.withKeys("user"))));
            logs.putSubscriptionFilter(b -> b.logGroupName("k").filterName("raw").filterPattern("")
                    .destinationArn("arn:aws:kinesis:us-east-1:000000000000:stream/raw"));
            logs.putSubscriptionFilter(b -> b.logGroupName("k").filterName("shaped").filterPattern("{ $.user = \"ANN\" }")
                    .applyOnTransformedLogs(true).destinationArn("arn:aws:kinesis:us-east-1:000000000000:stream/shaped"));
            put("k", "s", "user=ann action=login");
            java.util.Map<String, String> byStream = new java.util.HashMap<>();
            for (int i = 0; i < 2; i++) {
                KinesisPutRecord r = records.poll(10, TimeUnit.SECONDS);
                assertThat(r).isNotNull();
                try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.data()))) {
                    byStream.put(r.streamArn().substring(r.streamArn().lastIndexOf('/') + 1),
                            JSON.readTree(in.readAllBytes()).path("logEvents").get(0).path("message").asText());
                }
            }
            assertThat(byStream).containsEntry("raw", "user=ann action=login")
                    .containsEntry("shaped", "{\"user\":\"ANN\",\"action\":\"login\"}");
        }
    }

    @Test
    void logsOtherServicesWriteAreTransformedToo() {
        // an account-level policy over Lambda's groups, and a function's output written the way Lambda writes it
        logs.putAccountPolicy(b -> b.policyName("lambda").policyType(PolicyType.TRANSFORMER_POLICY)
                .selectionCriteria("LogGroupNamePrefix IN [\"/aws/lambda/\"]")
                .policyDocument("{\"transformerConfig\":[{\"grok\":{\"match\":\"%{LOGLEVEL:level} %{GREEDYDATA:text}\"}}]}"));
        LogsService service = (LogsService) terrarium.server().registry().implementation("logs").service();
        service.logStore().write("000000000000", "us-east-1", "/aws/lambda/fn", "2024/01/01/[$LATEST]abc",
                List.of("WARN disk almost full", "START RequestId: 1 Version: $LATEST"));
        List<OutputLogEvent> events = logs.getLogEvents(b -> b.logGroupName("/aws/lambda/fn")
                .logStreamName("2024/01/01/[$LATEST]abc").startFromHead(true)).events();
        assertThat(events).extracting(OutputLogEvent::message).containsExactly(
                "{\"level\":\"WARN\",\"text\":\"disk almost full\"}", "START RequestId: 1 Version: $LATEST");
    }

    @Test
    void grokDateTimeAndListToMap() throws Exception {
        String grok = test("2024-03-01T10:15:30Z ERROR [db] connection refused from 192.168.1.20",
                p -> p.grok(g -> g.match("%{TIMESTAMP_ISO8601:time} %{LOGLEVEL:level} \\[%{WORD:component}\\] "
                        + "%{GREEDYDATA:text} from %{IP:peer}")),
                p -> p.dateTimeConverter(d -> d.source("time").target("day").matchPatterns("yyyy-MM-dd'T'HH:mm:ssX")
                        .targetFormat("yyyy-MM-dd HH:mm").targetTimezone("Asia/Tokyo")));
        assertThat(JSON.readTree(grok)).isEqualTo(JSON.readTree("{\"time\":\"2024-03-01T10:15:30Z\",\"level\":\"ERROR\","
                + "\"component\":\"db\",\"text\":\"connection refused\",\"peer\":\"192.168.1.20\",\"day\":\"2024-03-01 19:15\"}"));
        // a message the expression does not match stays untransformed
        assertThat(test("nothing here", p -> p.grok(g -> g.match("%{IPV4:ip}")))).isNull();

        String list = "{\"tags\":[{\"k\":\"a\",\"v\":\"1\"},{\"k\":\"b\",\"v\":\"2\"},{\"k\":\"b\",\"v\":\"3\"}]}";
        assertThat(JSON.readTree(test(list, p -> p.parseJSON(j -> { }),
                p -> p.listToMap(l -> l.source("tags").key("k").valueKey("v").target("byKey")))).path("byKey"))
                .isEqualTo(JSON.readTree("{\"a\":[\"1\"],\"b\":[\"2\",\"3\"]}"));
        assertThat(JSON.readTree(test(list, p -> p.parseJSON(j -> { }),
                p -> p.listToMap(l -> l.source("tags").key("k").valueKey("v").flatten(true).flattenedElement("last")))))
                .isEqualTo(JSON.readTree(list.substring(0, list.length() - 1) + ",\"a\":\"1\",\"b\":\"3\"}"));
    }

    @Test
    void vendedLogParsers() throws Exception {
        String vpc = test("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 "
                + "1418530010 1418530070 ACCEPT OK", p -> p.parseVPC(v -> { }));
        JsonNode flow = JSON.readTree(vpc);
        assertThat(flow.path("account_id").asText()).isEqualTo("123456789010");
        assertThat(flow.path("dstport").isNumber()).isTrue();
        assertThat(flow.path("dstport").asInt()).isEqualTo(22);
        assertThat(flow.path("action").asText()).isEqualTo("ACCEPT");
        assertThat(flow.path("log_status").asText()).isEqualTo("OK");

        String waf = test("{\"action\":\"BLOCK\",\"httpRequest\":{\"clientIp\":\"1.1.1.1\",\"headers\":["
                + "{\"name\":\"Host\",\"value\":\"localhost:1989\"},{\"name\":\"User-Agent\",\"value\":\"curl/7.61.1\"}]}}",
                p -> p.parseWAF(w -> { }));
        assertThat(JSON.readTree(waf).path("httpRequest").path("headers"))
                .isEqualTo(JSON.readTree("{\"Host\":\"localhost:1989\",\"User-Agent\":\"curl/7.61.1\"}"));
    }

    @Test
    void awsRulesForTransformers() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        assertThatThrownBy(() -> logs.putTransformer(b -> b.logGroupIdentifier("g").transformerConfig(
                p -> p.parseJSON(j -> { }), p -> p.parseVPC(v -> { }))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("must be the first processor");
        assertThatThrownBy(() -> logs.putTransformer(b -> b.logGroupIdentifier("g").transformerConfig(
                p -> p.grok(g -> g.match("%{WORD:a}")), p -> p.grok(g -> g.match("%{WORD:b}")))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("only one grok");
        assertThatThrownBy(() -> logs.testTransformer(b -> b.logEventMessages("x").transformerConfig(
                p -> p.grok(g -> g.match("%{NOSUCHPATTERN:a}")))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("NOSUCHPATTERN");
        assertThatThrownBy(() -> logs.putTransformer(b -> b.logGroupIdentifier("g").transformerConfig(
                p -> p.parseJSON(j -> { }), p -> p.listToMap(l -> l.source("a").key("k").flatten(true)))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("flattenedElement");
        assertThatThrownBy(() -> logs.putTransformer(b -> b.logGroupIdentifier("g").transformerConfig(
                p -> p.parseJSON(j -> { }),
                p -> p.dateTimeConverter(d -> d.source("t").target("u").matchPatterns("yyyy").targetTimezone("Mars/Olympus")))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Mars/Olympus");
        // a processor Terrarium does not run is refused, never stored and silently skipped
        assertThatThrownBy(() -> logs.putTransformer(b -> b.logGroupIdentifier("g").transformerConfig(
                p -> p.parsePostgres(v -> { }))))
                .isInstanceOf(InvalidOperationException.class).hasMessageContaining("parsePostgres");

        logs.createLogGroup(b -> b.logGroupName("cold").logGroupClass("INFREQUENT_ACCESS"));
        assertThatThrownBy(() -> logs.putTransformer(b -> b.logGroupIdentifier("cold").transformerConfig(
                p -> p.parseJSON(j -> { }))))
                .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidOperationException"));
        assertThatThrownBy(() -> logs.getTransformer(b -> b.logGroupIdentifier("g")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void accountLevelTransformerPoliciesApplyWhereTheGroupHasNoTransformerOfItsOwn() {
        String doc = "{\"transformerConfig\":[{\"parseJSON\":{}},"
                + "{\"addKeys\":{\"entries\":[{\"key\":\"via\",\"value\":\"account\"}]}}]}";
        logs.putAccountPolicy(b -> b.policyName("apps").policyType(PolicyType.TRANSFORMER_POLICY).policyDocument(doc)
                .selectionCriteria("LogGroupNamePrefix IN [\"/apps/\"]"));
        for (String g : List.of("/apps/a", "/apps/b", "/other")) {
            logs.createLogGroup(b -> b.logGroupName(g));
            logs.createLogStream(b -> b.logGroupName(g).logStreamName("s"));
        }
        logs.putTransformer(b -> b.logGroupIdentifier("/apps/b").transformerConfig(p -> p.parseJSON(j -> { }),
                p -> p.addKeys(a -> a.entries(e -> e.key("via").value("group")))));
        for (String g : List.of("/apps/a", "/apps/b", "/other")) {
            put(g, "s", "{\"n\":1}");
        }
        assertThat(last("/apps/a")).isEqualTo("{\"n\":1,\"via\":\"account\"}");
        assertThat(last("/apps/b")).isEqualTo("{\"n\":1,\"via\":\"group\"}");
        assertThat(last("/other")).isEqualTo("{\"n\":1}");

        assertThatThrownBy(() -> logs.putAccountPolicy(b -> b.policyName("more").policyType(PolicyType.TRANSFORMER_POLICY)
                .policyDocument(doc).selectionCriteria("LogGroupNamePrefix IN [\"/apps/x\"]")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> logs.putAccountPolicy(b -> b.policyName("all").policyType(PolicyType.TRANSFORMER_POLICY)
                .policyDocument(doc))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.putAccountPolicy(b -> b.policyName("bad").policyType(PolicyType.TRANSFORMER_POLICY)
                .policyDocument("{\"processors\":[]}"))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.putAccountPolicy(b -> b.policyName("bad").policyType(PolicyType.TRANSFORMER_POLICY)
                .policyDocument("{\"transformerConfig\":[{\"addKeys\":{\"entries\":[{\"key\":\"k\",\"value\":\"v\"}]}}]}")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("must be a parser");
        assertThatThrownBy(() -> logs.putAccountPolicy(b -> b.policyName("bad").policyType(PolicyType.TRANSFORMER_POLICY)
                .policyDocument(doc).selectionCriteria("LogGroupName NOT IN [\"/x\"]")))
                .isInstanceOf(InvalidParameterException.class);
        // a processor missing what the model requires is refused like the API call would be, not a 500
        assertThatThrownBy(() -> logs.putAccountPolicy(b -> b.policyName("bad").policyType(PolicyType.TRANSFORMER_POLICY)
                .policyDocument("{\"transformerConfig\":[{\"grok\":{}}]}")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("match");
        assertThatThrownBy(() -> logs.putAccountPolicy(b -> b.policyName("bad").policyType(PolicyType.TRANSFORMER_POLICY)
                .policyDocument("{\"transformerConfig\":[{\"parseJSON\":{}},{\"substituteString\":{\"entries\":"
                        + "[{\"source\":\"a\",\"from\":\"([\",\"to\":\"x\"}]}}]}")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("regular expression");
        // another scope that does not overlap is fine
        logs.putAccountPolicy(b -> b.policyName("jobs").policyType(PolicyType.TRANSFORMER_POLICY).policyDocument(doc)
                .selectionCriteria("LogGroupNamePrefix IN [\"/jobs/\", \"/batch\"]"));

        logs.deleteAccountPolicy(b -> b.policyName("apps").policyType(PolicyType.TRANSFORMER_POLICY));
        put("/apps/a", "s", "{\"n\":2}");
        assertThat(last("/apps/a")).isEqualTo("{\"n\":2}");
    }

    private static String last(String group) {
        List<OutputLogEvent> events = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s")).events();
        return events.get(events.size() - 1).message();
    }
}
