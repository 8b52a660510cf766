package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ConflictException;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateScheduledQueryRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetScheduledQueryHistoryResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetScheduledQueryResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryLanguage;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ScheduledQueryState;
import software.amazon.awssdk.services.cloudwatchlogs.model.ScheduledQuerySummary;
import software.amazon.awssdk.services.cloudwatchlogs.model.TriggerHistoryRecord;
import software.amazon.awssdk.services.cloudwatchlogs.model.ValidationException;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Scheduled queries on the virtual clock: runs, history, S3 delivery, and the errors AWS answers. */
class LogsScheduledQueriesTest {
    @RegisterExtension
    static final TerrariumExtension terrarium =
            new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::000000000000:role/scheduled-queries";
    private static final String ERRORS = "filter level = \"ERROR\" | stats count(*) as errors";
    private static CloudWatchLogsClient logs;
    private static S3Client s3;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
        s3 = terrarium.client(() -> S3Client.builder().forcePathStyle(true));
    }

    private static long now() {
        return terrarium.server().clock().millis();
    }

    private static void advance(Duration d) {
        terrarium.server().clock().advance(d);
    }

    private static void put(String... messages) {
        long now = now();
        logs.putLogEvents(b -> b.logGroupName("/app").logStreamName("s").logEvents(
                java.util.Arrays.stream(messages).map(m -> InputLogEvent.builder().timestamp(now).message(m).build()).toList()));
    }

    private static void appGroup() {
        logs.createLogGroup(b -> b.logGroupName("/app"));
        logs.createLogStream(b -> b.logGroupName("/app").logStreamName("s"));
    }

    private static Consumer<CreateScheduledQueryRequest.Builder> errorsEvery5Minutes(String bucketUri) {
        return b -> b.name("errors").queryLanguage(QueryLanguage.CWLI).queryString(ERRORS).logGroupIdentifiers("/app")
                .scheduleExpression("rate(5 minutes)").startTimeOffset(600L).executionRoleArn(ROLE)
                .destinationConfiguration(d -> d.s3Configuration(s -> s.destinationIdentifier(bucketUri).roleArn(ROLE)));
    }

    private static List<TriggerHistoryRecord> history(String name) {
        return logs.getScheduledQueryHistory(b -> b.identifier(name).startTime(0L).endTime(Long.MAX_VALUE / 2))
                .triggerHistory();
    }

    private static String code(Throwable t) {
        return ((CloudWatchLogsException) t).awsErrorDetails().errorCode();
    }

    @Test
    void runsOnTheClockRecordHistoryAndDeliverResultsToS3() throws Exception {
        s3.createBucket(b -> b.bucket("results"));
        appGroup();
        put("{\"level\":\"ERROR\",\"path\":\"/a\"}", "{\"level\":\"INFO\"}", "{\"level\":\"ERROR\",\"path\":\"/b\"}");
        long t0 = now();
        var created = logs.createScheduledQuery(errorsEvery5Minutes("s3://results/scheduled"));
        assertThat(created.scheduledQueryArn()).startsWith("arn:aws:logs:us-east-1:000000000000:scheduled-query:");
        assertThat(created.state()).isEqualTo(ScheduledQueryState.ENABLED);
        GetScheduledQueryResponse got = logs.getScheduledQuery(b -> b.identifier("errors"));
        assertThat(got.queryString()).isEqualTo(ERRORS);
        assertThat(got.logGroupIdentifiers()).containsExactly("/app");
        assertThat(got.timezone()).isEqualTo("UTC");
        assertThat(got.creationTime()).isEqualTo(t0);
        assertThat(got.lastTriggeredTime()).isNull();
        assertThat(logs.getScheduledQuery(b -> b.identifier(created.scheduledQueryArn())).name()).isEqualTo("errors");

        advance(Duration.ofMinutes(4));
        assertThat(history("errors")).isEmpty();
        advance(Duration.ofMinutes(2));
        List<TriggerHistoryRecord> runs = history("errors");
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.COMPLETE);
            assertThat(r.triggeredTimestamp()).isEqualTo(t0 + 300_000);
            assertThat(r.destinations()).singleElement().satisfies(d -> {
                assertThat(d.destinationTypeAsString()).isEqualTo("S3");
                assertThat(d.destinationIdentifier()).isEqualTo("s3://results/scheduled");
                assertThat(d.statusAsString()).isEqualTo("COMPLETE");
                assertThat(d.processedIdentifier()).startsWith("s3://results/scheduled/errors/")
                        .endsWith("/" + r.queryId() + ".json");
            });
        });
        JsonNode delivered = object(runs.get(0).destinations().get(0).processedIdentifier());
        assertThat(delivered.path("results")).hasSize(1);
        assertThat(delivered.path("results").get(0).path("errors").asText()).isEqualTo("2");
        assertThat(delivered.path("startTime").asLong()).isEqualTo(t0 + 300_000 - 600_000);
        // the run is an Insights query like any other
        var results = logs.getQueryResults(b -> b.queryId(runs.get(0).queryId()));
        assertThat(results.status()).isEqualTo(QueryStatus.COMPLETE);
        assertThat(results.results().get(0).get(0).value()).isEqualTo("2");

        put("{\"level\":\"ERROR\",\"path\":\"/c\"}");
        advance(Duration.ofMinutes(5));
        List<TriggerHistoryRecord> two = history("errors");
        assertThat(two).extracting(TriggerHistoryRecord::triggeredTimestamp).containsExactly(t0 + 600_000, t0 + 300_000);
        assertThat(object(two.get(0).destinations().get(0).processedIdentifier()).path("results").get(0).path("errors")
                .asText()).isEqualTo("3");
        got = logs.getScheduledQuery(b -> b.identifier("errors"));
        assertThat(got.lastTriggeredTime()).isEqualTo(t0 + 600_000);
        assertThat(got.lastExecutionStatus()).isEqualTo(ExecutionStatus.COMPLETE);

        // filters and pages of the history
        assertThat(logs.getScheduledQueryHistory(b -> b.identifier("errors").startTime(0L).endTime(Long.MAX_VALUE / 2)
                .executionStatuses(ExecutionStatus.FAILED)).triggerHistory()).isEmpty();
        assertThat(logs.getScheduledQueryHistory(b -> b.identifier("errors").startTime(t0 + 400_000).endTime(t0 + 700_000))
                .triggerHistory()).hasSize(1);
        GetScheduledQueryHistoryResponse first = logs.getScheduledQueryHistory(b -> b.identifier("errors").startTime(0L)
                .endTime(Long.MAX_VALUE / 2).maxResults(1));
        assertThat(first.triggerHistory()).extracting(TriggerHistoryRecord::triggeredTimestamp).containsExactly(t0 + 600_000);
        assertThat(logs.getScheduledQueryHistory(b -> b.identifier("errors").startTime(0L).endTime(Long.MAX_VALUE / 2)
                .maxResults(1).nextToken(first.nextToken())).triggerHistory())
                .extracting(TriggerHistoryRecord::triggeredTimestamp).containsExactly(t0 + 300_000);

        // disabled: time passes, nothing runs
        logs.updateScheduledQuery(b -> b.identifier("errors").queryLanguage(QueryLanguage.CWLI).queryString(ERRORS)
                .logGroupIdentifiers("/app").scheduleExpression("rate(5 minutes)").executionRoleArn(ROLE)
                .state(ScheduledQueryState.DISABLED));
        advance(Duration.ofMinutes(30));
        assertThat(history("errors")).hasSize(2);
        assertThat(logs.listScheduledQueries(b -> b.state(ScheduledQueryState.DISABLED)).scheduledQueries())
                .extracting(ScheduledQuerySummary::name).containsExactly("errors");
        assertThat(logs.listScheduledQueries(b -> b.state(ScheduledQueryState.ENABLED)).scheduledQueries()).isEmpty();
        // Update replaces the whole configuration: the destination it left out is gone
        assertThat(logs.getScheduledQuery(b -> b.identifier("errors")).destinationConfiguration()).isNull();

        // tags, through the Logs tagging operations by ARN
        String arn = created.scheduledQueryArn();
        logs.tagResource(b -> b.resourceArn(arn).tags(java.util.Map.of("team", "ops", "tier", "1")));
        logs.untagResource(b -> b.resourceArn(arn).tagKeys("tier"));
        assertThat(logs.listTagsForResource(b -> b.resourceArn(arn)).tags()).isEqualTo(java.util.Map.of("team", "ops"));

        logs.deleteScheduledQuery(b -> b.identifier(arn));
        assertThatThrownBy(() -> logs.getScheduledQuery(b -> b.identifier("errors")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.listTagsForResource(b -> b.resourceArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(logs.listScheduledQueries(b -> { }).scheduledQueries()).isEmpty();
    }

    private static JsonNode object(String s3Uri) throws Exception {
        String path = s3Uri.substring("s3://".length());
        int slash = path.indexOf('/');
        return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(path.substring(0, slash)).key(path.substring(slash + 1)))
                .asUtf8String());
    }

    @Test
    void aCronScheduleCatchesUpEachMissedTimeInOrderWithinItsEndTime() {
        appGroup();
        put("{\"level\":\"ERROR\"}");
        long start = now();
        long firstHour = ZonedDateTime.ofInstant(Instant.ofEpochMilli(start), ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS)
                .plusHours(1).toInstant().toEpochMilli();
        logs.createScheduledQuery(b -> b.name("hourly").queryLanguage(QueryLanguage.CWLI).queryString(ERRORS)
                .logGroupIdentifiers("/app").scheduleExpression("cron(0 * * * ? *)").timezone("Asia/Kolkata")
                .executionRoleArn(ROLE).scheduleEndTime(firstHour + 3_600_000 * 2 + 1));
        advance(Duration.ofHours(6));
        // Kolkata is UTC+5:30: its whole hours are UTC half hours
        long firstRun = firstHour - 1_800_000 > start ? firstHour - 1_800_000 : firstHour + 1_800_000;
        List<TriggerHistoryRecord> runs = history("hourly");
        assertThat(runs).extracting(TriggerHistoryRecord::triggeredTimestamp).allMatch(t -> t <= firstHour + 7_200_001)
                .contains(firstRun).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(runs).allMatch(r -> r.executionStatus() == ExecutionStatus.COMPLETE && r.destinations().isEmpty());
        // without a startTimeOffset each run covers the time since the previous one: the one error is counted once
        long counted = runs.stream().filter(r -> {
            var rows = logs.getQueryResults(b -> b.queryId(r.queryId())).results();
            return !rows.isEmpty() && rows.get(0).get(0).value().equals("1");
        }).count();
        assertThat(counted).isEqualTo(1);
    }

    @Test
    void failedRunsAndDeliveriesAreRecorded() {
        appGroup();
        logs.createScheduledQuery(errorsEvery5Minutes("s3://no-such-bucket/x"));
        advance(Duration.ofMinutes(5));
        assertThat(history("errors")).singleElement().satisfies(r -> {
            assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.COMPLETE);
            assertThat(r.destinations().get(0).statusAsString()).isEqualTo("CLIENT_ERROR");
            assertThat(r.destinations().get(0).errorMessage()).contains("no-such-bucket");
        });
        logs.deleteLogGroup(b -> b.logGroupName("/app"));
        advance(Duration.ofMinutes(5));
        assertThat(history("errors").get(0)).satisfies(r -> {
            assertThat(r.executionStatus()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(r.errorMessage()).contains("/app");
        });
        assertThat(logs.getScheduledQuery(b -> b.identifier("errors")).lastExecutionStatus()).isEqualTo(ExecutionStatus.FAILED);
    }

    @Test
    void errorsAsAwsAnswersThem() {
        appGroup();
        var created = logs.createScheduledQuery(b -> {
            errorsEvery5Minutes("s3://results/x").accept(b);
            b.tags(java.util.Map.of("env", "test"));
        });
        assertThat(logs.listTagsForResource(b -> b.resourceArn(created.scheduledQueryArn())).tags())
                .containsEntry("env", "test");
        assertThatThrownBy(() -> logs.createScheduledQuery(errorsEvery5Minutes("s3://results/x")))
                .isInstanceOf(ConflictException.class);
        String[][] invalid = {
                {"scheduleExpression", "cron(0 9 * * * *)"}, {"scheduleExpression", "every hour"},
                {"timezone", "Mars/Olympus"}, {"queryString", "stats count(* by"}, {"queryLanguage", "SQL"},
                {"executionRoleArn", "not-a-role"}, {"startTimeOffset", "-5"}};
        for (String[] bad : invalid) {
            assertThatThrownBy(() -> logs.createScheduledQuery(b -> {
                errorsEvery5Minutes("s3://results/x").accept(b);
                b.name("bad");
                switch (bad[0]) {
                    case "scheduleExpression" -> b.scheduleExpression(bad[1]);
                    case "timezone" -> b.timezone(bad[1]);
                    case "queryString" -> b.queryString(bad[1]);
                    case "queryLanguage" -> b.queryLanguage(bad[1]);
                    case "executionRoleArn" -> b.executionRoleArn(bad[1]);
                    default -> b.startTimeOffset(Long.parseLong(bad[1]));
                }
            })).as(bad[0] + "=" + bad[1]).isInstanceOf(ValidationException.class)
                    .satisfies(t -> assertThat(((CloudWatchLogsException) t).statusCode()).isEqualTo(400));
        }
        assertThatThrownBy(() -> logs.createScheduledQuery(b -> {
            errorsEvery5Minutes("s3://results/x").accept(b);
            b.name("window").scheduleStartTime(now() + 10_000).scheduleEndTime(now());
        })).isInstanceOf(ValidationException.class).hasMessageContaining("scheduleEndTime");
        assertThatThrownBy(() -> logs.createScheduledQuery(b -> {
            errorsEvery5Minutes("s3://results/x").accept(b);
            b.name("nogroup").logGroupIdentifiers("/missing");
        })).isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("/missing");
        assertThatThrownBy(() -> logs.createScheduledQuery(b -> {
            errorsEvery5Minutes("s3://results/x").accept(b);
            b.name("bad name!");
        })).satisfies(t -> assertThat(((CloudWatchLogsException) t).statusCode()).isEqualTo(400));

        assertThatThrownBy(() -> logs.getScheduledQuery(b -> b.identifier("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.deleteScheduledQuery(b -> b.identifier("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> history("nope")).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.updateScheduledQuery(b -> b.identifier("nope").queryLanguage(QueryLanguage.CWLI)
                .queryString(ERRORS).scheduleExpression("rate(1 hour)").executionRoleArn(ROLE)))
                .satisfies(t -> assertThat(code(t)).isEqualTo("ResourceNotFoundException"));
        assertThatThrownBy(() -> logs.listScheduledQueries(b -> b.nextToken("garbage")))
                .isInstanceOf(ValidationException.class);
        // nothing half-made by the refused requests
        assertThat(logs.listScheduledQueries(b -> { }).scheduledQueries()).extracting(ScheduledQuerySummary::name)
                .containsExactly("errors");
    }

    @Test
    void theAwsCliAndTheClockEndpointDriveAScheduledQuery() throws Exception {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        appGroup();
        put("{\"level\":\"ERROR\"}");
        JsonNode created = cli("logs", "create-scheduled-query", "--name", "cli-errors", "--query-language", "CWLI",
                "--query-string", ERRORS, "--log-group-identifiers", "/app", "--schedule-expression", "rate(1 hour)",
                "--start-time-offset", "7200", "--execution-role-arn", ROLE);
        assertThat(created.path("state").asText()).isEqualTo("ENABLED");
        assertThat(cli("logs", "list-scheduled-queries").path("scheduledQueries").get(0).path("scheduleExpression").asText())
                .isEqualTo("rate(1 hour)");
        assertThat(terrarium.raw("POST", "/_terrarium/clock/advance?seconds=3600", null, null).statusCode()).isEqualTo(200);
        JsonNode history = cli("logs", "get-scheduled-query-history", "--identifier", "cli-errors",
                "--start-time", "0", "--end-time", String.valueOf(Long.MAX_VALUE / 2));
        assertThat(history.path("triggerHistory")).hasSize(1);
        assertThat(history.path("triggerHistory").get(0).path("executionStatus").asText()).isEqualTo("Complete");
        String queryId = history.path("triggerHistory").get(0).path("queryId").asText();
        assertThat(cli("logs", "get-query-results", "--query-id", queryId).path("results").get(0).get(0).path("value")
                .asText()).isEqualTo("1");

        AwsCli.Result missing = AwsCli.run(terrarium, Map.of(), "logs", "get-scheduled-query", "--identifier", "nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("ResourceNotFoundException");
    }

    private static JsonNode cli(String... args) throws Exception {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().isBlank() ? null : JSON.readTree(r.stdout());
    }
}
