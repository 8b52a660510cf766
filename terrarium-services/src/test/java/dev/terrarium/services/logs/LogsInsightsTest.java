package dev.terrarium.services.logs;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroupField;
import software.amazon.awssdk.services.cloudwatchlogs.model.MalformedQueryException;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryDefinition;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Logs Insights queries over realistic application and Lambda logs. */
class LogsInsightsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static CloudWatchLogsClient logs;
    private long base;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    @BeforeEach
    void data() {
        // a minute-aligned base, 10 minutes ago
        base = (System.currentTimeMillis() / 60_000 - 10) * 60_000;
        logs.createLogGroup(b -> b.logGroupName("/app/api"));
        logs.createLogStream(b -> b.logGroupName("/app/api").logStreamName("web-1"));
        logs.createLogStream(b -> b.logGroupName("/app/api").logStreamName("web-2"));
        put("web-1",
                json(0, "INFO", "/orders", 120, 200, "alice"),
                json(30_000, "ERROR", "/orders", 950, 500, "bob"),
                json(65_000, "INFO", "/users", 40, 200, "alice"),
                json(70_000, "WARN", "/orders", 400, 429, "carol"));
        put("web-2",
                json(10_000, "INFO", "/users", 60, 200, "dave"),
                json(125_000, "ERROR", "/users", 700, 503, "alice"));
        logs.createLogGroup(b -> b.logGroupName("/aws/lambda/fn"));
        logs.createLogStream(b -> b.logGroupName("/aws/lambda/fn").logStreamName("2024/01/01/[$LATEST]abc"));
        logs.putLogEvents(b -> b.logGroupName("/aws/lambda/fn").logStreamName("2024/01/01/[$LATEST]abc").logEvents(
                event(base, "START RequestId: 11111111-1111-1111-1111-111111111111 Version: $LATEST"),
                event(base + 1, "user=alice action=login took 35ms"),
                event(base + 2, "END RequestId: 11111111-1111-1111-1111-111111111111"),
                event(base + 3, "REPORT RequestId: 11111111-1111-1111-1111-111111111111\tDuration: 12.50 ms\t"
                        + "Billed Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t"),
                event(base + 4, "user=bob action=logout took 5ms"),
                event(base + 5, "REPORT RequestId: 22222222-1111-1111-1111-111111111111\tDuration: 7.50 ms\t"
                        + "Billed Duration: 8 ms\tMemory Size: 128 MB\tMax Memory Used: 41 MB\t")));
    }

    private static InputLogEvent event(long ts, String message) {
        return InputLogEvent.builder().timestamp(ts).message(message).build();
    }

    private InputLogEvent json(long offset, String level, String path, int ms, int status, String user) {
        return event(base + offset, String.format("{\"level\":\"%s\",\"path\":\"%s\",\"latency\":%d,\"status\":%d,"
                + "\"user\":{\"name\":\"%s\"}}", level, path, ms, status, user));
    }

    private static void put(String stream, InputLogEvent... events) {
        List<InputLogEvent> sorted = new ArrayList<>(List.of(events));
        sorted.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        logs.putLogEvents(b -> b.logGroupName("/app/api").logStreamName(stream).logEvents(sorted));
    }

    private GetQueryResultsResponse run(String group, String query) throws InterruptedException {
        String id = logs.startQuery(b -> b.logGroupName(group).queryString(query)
                .startTime(base / 1000 - 60).endTime(base / 1000 + 3600)).queryId();
        for (int i = 0; i < 200; i++) {
            GetQueryResultsResponse r = logs.getQueryResults(b -> b.queryId(id));
            if (r.status() == QueryStatus.COMPLETE || r.status() == QueryStatus.FAILED) {
                return r;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("query did not complete");
    }

    private static List<Map<String, String>> rows(GetQueryResultsResponse r) {
        assertThat(r.status()).isEqualTo(QueryStatus.COMPLETE);
        List<Map<String, String>> out = new ArrayList<>();
        for (List<ResultField> row : r.results()) {
            Map<String, String> m = new LinkedHashMap<>();
            row.forEach(f -> m.put(f.field(), f.value()));
            out.add(m);
        }
        return out;
    }

    @Test
    void fieldsFilterSortLimit() throws Exception {
        List<Map<String, String>> r = rows(run("/app/api",
                "fields @timestamp, level, latency, user.name as who | filter latency > 100 and level != \"INFO\" "
                        + "| sort latency desc | limit 2"));
        assertThat(r).hasSize(2);
        assertThat(r.get(0)).containsEntry("level", "ERROR").containsEntry("latency", "950").containsEntry("who", "bob")
                .containsKey("@ptr");
        assertThat(r.get(0).get("@timestamp")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(r.get(1)).containsEntry("latency", "700");
        assertThat(r.get(0)).doesNotContainKey("@message");

        assertThat(rows(run("/app/api", "filter @message like /\"status\":5\\d\\d/ | fields @logStream"))).extracting(m -> m.get("@logStream"))
                .containsExactly("web-1", "web-2");
        assertThat(rows(run("/app/api", "filter path in [\"/users\"] and not user.name = \"alice\" | fields user.name")))
                .extracting(m -> m.get("user.name")).containsExactly("dave");
        assertThat(rows(run("/app/api", "filter status >= 400 or level = 'WARN' | dedup path | fields path, status | sort status asc")))
                .extracting(m -> m.get("path")).containsExactly("/orders", "/users");
    }

    @Test
    void statsByBinAndFields() throws Exception {
        List<Map<String, String>> byPath = rows(run("/app/api",
                "stats count(*) as requests, avg(latency), max(latency) as worst, sum(latency) by path | sort requests desc"));
        assertThat(byPath).hasSize(2);
        assertThat(byPath.get(0)).containsEntry("path", "/orders").containsEntry("requests", "3")
                .containsEntry("avg(latency)", "490").containsEntry("worst", "950").containsEntry("sum(latency)", "1470")
                .doesNotContainKey("@ptr");
        assertThat(byPath.get(1)).containsEntry("path", "/users").containsEntry("requests", "3")
                .containsEntry("avg(latency)", "266.6666666666667");

        List<Map<String, String>> perMinute = rows(run("/app/api", "filter level = \"ERROR\" or level = \"INFO\" "
                + "| stats count(*) by bin(1m)"));
        assertThat(perMinute).extracting(m -> m.get("count(*)")).containsExactly("3", "1", "1");
        assertThat(perMinute.get(0).get("bin(1m)")).endsWith(":00.000");

        List<Map<String, String>> distinct = rows(run("/app/api", "stats count_distinct(user.name) as users, min(status)"));
        assertThat(distinct).containsExactly(Map.of("users", "4", "min(status)", "200"));
    }

    @Test
    void parseGlobAndRegexAndLambdaFields() throws Exception {
        List<Map<String, String>> glob = rows(run("/aws/lambda/fn",
                "parse @message \"user=* action=* took *ms\" as user, action, took | filter ispresent(action) "
                        + "| fields user, action, took + 1 as plusOne | sort took"));
        assertThat(glob).hasSize(2);
        assertThat(glob.get(0)).containsEntry("user", "bob").containsEntry("action", "logout").containsEntry("plusOne", "6");
        assertThat(glob.get(1)).containsEntry("user", "alice").containsEntry("plusOne", "36").doesNotContainKey("took");

        List<Map<String, String>> regex = rows(run("/aws/lambda/fn",
                "parse @message /user=(?<user_name>\\w+) action=(?<act>\\w+)/ | filter act =~ /log(in|out)/ | stats count(*) by user_name"));
        assertThat(regex).extracting(m -> m.get("user_name")).containsExactlyInAnyOrder("alice", "bob");

        List<Map<String, String>> report = rows(run("/aws/lambda/fn",
                "filter @type = \"REPORT\" | stats avg(@duration) as avg, max(@billedDuration) as billed, count(*) as n"));
        assertThat(report).containsExactly(Map.of("avg", "10", "billed", "13", "n", "2"));
    }

    @Test
    void stringAndDateFunctions() throws Exception {
        List<Map<String, String>> r = rows(run("/app/api", "filter strcontains(path, \"ord\") "
                + "| fields substr(path, 1, 3) as p3, replace(level, \"ERR\", \"E\") as lvl, toupper(trim(\"  x \")) as t, "
                + "datefloor(@timestamp, 1h) as hour | sort @timestamp | limit 2"));
        assertThat(r).hasSize(2);
        assertThat(r.get(0)).containsEntry("p3", "ord").containsEntry("lvl", "INFO").containsEntry("t", "X");
        assertThat(r.get(1)).containsEntry("lvl", "EOR");
        assertThat(r.get(0).get("hour")).endsWith(":00:00.000");
    }

    @Test
    void queryLifecycleAndErrors() throws Exception {
        GetQueryResultsResponse done = run("/app/api", "fields @message | limit 3");
        assertThat(done.results()).hasSize(3);
        assertThat(done.statistics().recordsScanned()).isEqualTo(6.0);
        assertThat(done.statistics().recordsMatched()).isEqualTo(6.0);
        assertThat(done.statistics().bytesScanned()).isPositive();
        assertThat(logs.describeQueries(b -> b.logGroupName("/app/api")).queries()).singleElement()
                .satisfies(q -> {
                    assertThat(q.statusAsString()).isEqualTo("Complete");
                    assertThat(q.queryString()).isEqualTo("fields @message | limit 3");
                    assertThat(q.logGroupName()).isEqualTo("/app/api");
                });
        String queryId = logs.describeQueries().queries().get(0).queryId();
        assertThat(logs.listLogGroupsForQuery(b -> b.queryId(queryId)).logGroupIdentifiers())
                .containsExactly("arn:aws:logs:us-east-1:000000000000:log-group:/app/api");
        assertThat(logs.stopQuery(b -> b.queryId(queryId)).success()).isFalse();
        assertThatThrownBy(() -> logs.getQueryResults(b -> b.queryId("00000000-0000-0000-0000-000000000000")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.startQuery(b -> b.logGroupName("/app/api").queryString("fields | sort")
                .startTime(0L).endTime(10L))).isInstanceOf(MalformedQueryException.class);
        assertThatThrownBy(() -> logs.startQuery(b -> b.logGroupName("/app/api").queryString("stats bogus(x)")
                .startTime(0L).endTime(10L))).isInstanceOf(MalformedQueryException.class);
        assertThatThrownBy(() -> logs.startQuery(b -> b.logGroupName("/nope").queryString("fields @message")
                .startTime(0L).endTime(10L))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.startQuery(b -> b.queryString("fields @message").startTime(0L).endTime(10L)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.startQuery(b -> b.logGroupName("/app/api").queryString("fields @message")
                .startTime(10L).endTime(0L))).isInstanceOf(InvalidParameterException.class);
        // a range with no events completes empty
        String empty = logs.startQuery(b -> b.logGroupName("/app/api").queryString("fields @message")
                .startTime(0L).endTime(10L)).queryId();
        Thread.sleep(100);
        assertThat(logs.getQueryResults(b -> b.queryId(empty)).results()).isEmpty();
    }

    @Test
    void logRecordsAndFields() throws Exception {
        String ptr = rows(run("/app/api", "filter latency = 950")).get(0).get("@ptr");
        Map<String, String> record = logs.getLogRecord(b -> b.logRecordPointer(ptr)).logRecord();
        assertThat(record).containsEntry("@logStream", "web-1").containsEntry("level", "ERROR")
                .containsEntry("user.name", "bob").containsEntry("@timestamp", String.valueOf(base + 30_000))
                .containsEntry("@log", "000000000000:/app/api");
        assertThatThrownBy(() -> logs.getLogRecord(b -> b.logRecordPointer("garbage!")))
                .isInstanceOf(InvalidParameterException.class);

        List<LogGroupField> fields = logs.getLogGroupFields(b -> b.logGroupName("/app/api").time(base / 1000 + 60)).logGroupFields();
        Map<String, Long> byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f.percent().longValue()));
        assertThat(byName).containsEntry("@message", 100L).containsEntry("latency", 100L).containsEntry("user.name", 100L);
        assertThatThrownBy(() -> logs.getLogGroupFields(b -> b.logGroupName("/nope"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void queryDefinitions() {
        String id = logs.putQueryDefinition(b -> b.name("errors/by-path").queryString("filter level = \"ERROR\" | stats count(*) by path")
                .logGroupNames("/app/api")).queryDefinitionId();
        logs.putQueryDefinition(b -> b.name("slow").queryString("filter latency > 500"));
        logs.putQueryDefinition(b -> b.queryDefinitionId(id).name("errors/by-path").queryString("filter level = \"ERROR\""));
        List<QueryDefinition> all = logs.describeQueryDefinitions(b -> { }).queryDefinitions();
        assertThat(all).extracting(QueryDefinition::name).containsExactly("errors/by-path", "slow");
        assertThat(all.get(0).queryString()).isEqualTo("filter level = \"ERROR\"");
        assertThat(all.get(0).lastModified()).isPositive();
        assertThat(logs.describeQueryDefinitions(b -> b.queryDefinitionNamePrefix("errors")).queryDefinitions()).hasSize(1);
        assertThat(logs.deleteQueryDefinition(b -> b.queryDefinitionId(id)).success()).isTrue();
        assertThatThrownBy(() -> logs.deleteQueryDefinition(b -> b.queryDefinitionId(id))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.putQueryDefinition(b -> b.queryDefinitionId("6f2a0a9e-0000-0000-0000-000000000000").name("x")
                .queryString("fields @message"))).isInstanceOf(ResourceNotFoundException.class);
    }
}
