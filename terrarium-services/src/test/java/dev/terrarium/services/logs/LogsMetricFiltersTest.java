package dev.terrarium.services.logs;

import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.services.events.MetricDatum;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilter;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilterMatchRecord;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricTransformation;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogsMetricFiltersTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    private static MetricTransformation metric(String name, String value) {
        return MetricTransformation.builder().metricName(name).metricNamespace("App").metricValue(value).build();
    }

    @Test
    void putDescribeDeleteWithAwsErrors() {
        logs.createLogGroup(b -> b.logGroupName("/app/a"));
        logs.createLogGroup(b -> b.logGroupName("/app/b"));
        logs.putMetricFilter(b -> b.logGroupName("/app/a").filterName("errors").filterPattern("ERROR")
                .metricTransformations(metric("Errors", "1")));
        logs.putMetricFilter(b -> b.logGroupName("/app/b").filterName("latency").filterPattern("{ $.latency > 0 }")
                .metricTransformations(metric("Latency", "$.latency").toBuilder().unit("Milliseconds").build()));
        assertThat(logs.describeMetricFilters().metricFilters()).extracting(MetricFilter::filterName)
                .containsExactly("errors", "latency");
        MetricFilter f = logs.describeMetricFilters(b -> b.logGroupName("/app/b")).metricFilters().get(0);
        assertThat(f.logGroupName()).isEqualTo("/app/b");
        assertThat(f.creationTime()).isPositive();
        assertThat(f.metricTransformations().get(0).unitAsString()).isEqualTo("Milliseconds");
        assertThat(logs.describeMetricFilters(b -> b.metricName("Errors").metricNamespace("App")).metricFilters())
                .extracting(MetricFilter::filterName).containsExactly("errors");
        assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("/app/a")).logGroups().get(0).metricFilterCount())
                .isEqualTo(1);

        assertThatThrownBy(() -> logs.putMetricFilter(b -> b.logGroupName("/nope").filterName("x").filterPattern("")
                .metricTransformations(metric("X", "1")))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.putMetricFilter(b -> b.logGroupName("/app/a").filterName("x").filterPattern("")
                .metricTransformations(metric("X", "abc")))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.putMetricFilter(b -> b.logGroupName("/app/a").filterName("x").filterPattern("[a")
                .metricTransformations(metric("X", "1")))).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.describeMetricFilters(b -> b.metricName("Errors")))
                .isInstanceOf(InvalidParameterException.class);

        logs.deleteMetricFilter(b -> b.logGroupName("/app/a").filterName("errors"));
        assertThatThrownBy(() -> logs.deleteMetricFilter(b -> b.logGroupName("/app/a").filterName("errors")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("metric filter does not exist");
    }

    @Test
    void testMetricFilterMatchesAndExtracts() {
        List<MetricFilterMatchRecord> matches = logs.testMetricFilter(b -> b
                .filterPattern("[ip, user, username, timestamp, request, status_code = 4*, bytes]")
                .logEventMessages("127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /a.gif HTTP/1.0\" 404 1534",
                        "127.0.0.1 - frank [10/Oct/2000:13:25:16 -0700] \"GET /b.gif HTTP/1.0\" 200 99",
                        "10.0.0.2 - - [10/Oct/2000:13:25:17 -0700] \"GET /c HTTP/1.0\" 403 12")).matches();
        assertThat(matches).extracting(MetricFilterMatchRecord::eventNumber).containsExactly(1L, 3L);
        assertThat(matches.get(0).extractedValues()).containsEntry("$status_code", "404").containsEntry("$bytes", "1534")
                .containsEntry("$request", "GET /a.gif HTTP/1.0");
        assertThat(logs.testMetricFilter(b -> b.filterPattern("{ $.latency > 100 }")
                .logEventMessages("{\"latency\":250}", "{\"latency\":50}")).matches())
                .singleElement().satisfies(m -> assertThat(m.extractedValues()).isEqualTo(Map.of("$.latency", "250")));
        assertThatThrownBy(() -> logs.testMetricFilter(b -> b.filterPattern("{ broken").logEventMessages("x")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void matchingEventsPublishDataPoints() throws Exception {
        LogsService service = (LogsService) terrarium.server().registry().implementation("logs").service();
        LinkedBlockingQueue<MetricDatum> points = new LinkedBlockingQueue<>();
        try (AutoCloseable sub = service.events().subscribe(MetricDatum.TOPIC, e -> points.add((MetricDatum) e))) {
            logs.createLogGroup(b -> b.logGroupName("api"));
            logs.createLogStream(b -> b.logGroupName("api").logStreamName("s"));
            logs.putMetricFilter(b -> b.logGroupName("api").filterName("latency").filterPattern("{ $.path = \"/orders*\" }")
                    .metricTransformations(metric("Latency", "$.ms").toBuilder().unit("Milliseconds")
                            .dimensions(Map.of("Path", "$.path")).build()));
            long now = System.currentTimeMillis();
            logs.putLogEvents(b -> b.logGroupName("api").logStreamName("s").logEvents(
                    InputLogEvent.builder().timestamp(now).message("{\"path\":\"/orders/1\",\"ms\":42}").build(),
                    InputLogEvent.builder().timestamp(now).message("{\"path\":\"/users\",\"ms\":7}").build(),
                    InputLogEvent.builder().timestamp(now + 1).message("{\"path\":\"/orders/2\",\"ms\":58.5}").build()));
            List<MetricDatum> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                got.add(points.poll(5, TimeUnit.SECONDS));
            }
            // the bus hands each point to a worker: the order of arrival is not the order of the events
            got.sort(java.util.Comparator.comparingDouble(MetricDatum::value));
            assertThat(got).extracting(MetricDatum::value).containsExactly(42.0, 58.5);
            assertThat(got.get(0).namespace()).isEqualTo("App");
            assertThat(got.get(0).metricName()).isEqualTo("Latency");
            assertThat(got.get(0).unit()).isEqualTo("Milliseconds");
            assertThat(got.get(0).dimensions()).isEqualTo(Map.of("Path", "/orders/1"));
            assertThat(got.get(0).account()).isEqualTo("000000000000");
            assertThat(got.get(0).timestamp()).isEqualTo(now);
            assertThat(points.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }
}
