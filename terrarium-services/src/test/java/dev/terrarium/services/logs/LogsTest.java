package dev.terrarium.services.logs;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    private static InputLogEvent event(long ts, String message) {
        return InputLogEvent.builder().timestamp(ts).message(message).build();
    }

    private static void put(String group, String stream, InputLogEvent... events) {
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    private static String code(Throwable t) {
        return ((CloudWatchLogsException) t).awsErrorDetails().errorCode();
    }

    @Test
    void groupsAndStreamsAreCreatedOnceAndDescribed() {
        logs.createLogGroup(b -> b.logGroupName("/app/web").tags(Map.of("team", "a")));
        assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName("/app/web")))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        logs.createLogStream(b -> b.logGroupName("/app/web").logStreamName("s1"));
        assertThatThrownBy(() -> logs.createLogStream(b -> b.logGroupName("/app/web").logStreamName("s1")))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> logs.createLogStream(b -> b.logGroupName("/nope").logStreamName("s1")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("log group does not exist");

        LogGroup g = logs.describeLogGroups(b -> b.logGroupNamePrefix("/app")).logGroups().get(0);
        assertThat(g.logGroupName()).isEqualTo("/app/web");
        assertThat(g.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/app/web:*");
        assertThat(g.creationTime()).isPositive();
        assertThat(logs.listTagsLogGroup(b -> b.logGroupName("/app/web")).tags()).containsEntry("team", "a");
        assertThat(logs.describeLogStreams(b -> b.logGroupName("/app/web")).logStreams())
                .extracting(LogStream::logStreamName).containsExactly("s1");

        logs.deleteLogStream(b -> b.logGroupName("/app/web").logStreamName("s1"));
        assertThatThrownBy(() -> logs.deleteLogStream(b -> b.logGroupName("/app/web").logStreamName("s1")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("log stream does not exist");
        logs.deleteLogGroup(b -> b.logGroupName("/app/web"));
        assertThat(logs.describeLogGroups().logGroups()).isEmpty();
    }

    @Test
    void badGroupNamesAreRefused() {
        assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName("bad name!")))
                .isInstanceOf(CloudWatchLogsException.class).satisfies(e -> assertThat(((CloudWatchLogsException) e).statusCode()).isEqualTo(400));
    }

    @Test
    void describeLogGroupsPagesWithTokens() {
        for (int i = 0; i < 7; i++) {
            int n = i;
            logs.createLogGroup(b -> b.logGroupName("g" + n));
        }
        List<String> seen = new ArrayList<>();
        logs.describeLogGroupsPaginator(b -> b.limit(3)).logGroups().forEach(g -> seen.add(g.logGroupName()));
        assertThat(seen).containsExactly("g0", "g1", "g2", "g3", "g4", "g5", "g6");
        assertThat(logs.describeLogGroups(b -> b.limit(3)).nextToken()).isNotNull();
        assertThatThrownBy(() -> logs.describeLogGroups(b -> b.nextToken("garbage")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.describeLogGroups(b -> b.limit(51))).isInstanceOf(CloudWatchLogsException.class);
    }

    @Test
    void putAndGetEventsInOrderWithTokens() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        long now = System.currentTimeMillis();
        PutLogEventsResponse r = logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s")
                .logEvents(event(now - 3000, "one"), event(now - 2000, "two"), event(now - 1000, "three")));
        assertThat(r.nextSequenceToken()).isNotBlank();
        assertThat(r.rejectedLogEventsInfo()).isNull();
        // sequence tokens are accepted and ignored, as on AWS since 2023
        logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s").sequenceToken("whatever").logEvents(event(now, "four")));

        GetLogEventsResponse tail = logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").limit(2));
        assertThat(tail.events()).extracting(OutputLogEvent::message).containsExactly("three", "four");
        GetLogEventsResponse older = logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").limit(2)
                .nextToken(tail.nextBackwardToken()));
        assertThat(older.events()).extracting(OutputLogEvent::message).containsExactly("one", "two");

        GetLogEventsResponse head = logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").startFromHead(true).limit(3));
        assertThat(head.events()).extracting(OutputLogEvent::message).containsExactly("one", "two", "three");
        GetLogEventsResponse rest = logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").nextToken(head.nextForwardToken()));
        assertThat(rest.events()).extracting(OutputLogEvent::message).containsExactly("four");
        GetLogEventsResponse end = logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").nextToken(rest.nextForwardToken()));
        assertThat(end.events()).isEmpty();
        assertThat(end.nextForwardToken()).isEqualTo(rest.nextForwardToken());

        assertThat(logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").startTime(now - 2000).endTime(now)).events())
                .extracting(OutputLogEvent::message).containsExactly("two", "three");
        assertThatThrownBy(() -> logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s").nextToken("x/1")))
                .isInstanceOf(InvalidParameterException.class);

        LogStream s = logs.describeLogStreams(b -> b.logGroupName("g")).logStreams().get(0);
        assertThat(s.firstEventTimestamp()).isEqualTo(now - 3000);
        assertThat(s.lastEventTimestamp()).isEqualTo(now);
    }

    @Test
    void putLogEventsRules() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        long now = System.currentTimeMillis();
        assertThatThrownBy(() -> put("g", "missing", event(now, "x")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("log stream does not exist");
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        assertThatThrownBy(() -> put("g", "s", event(now, "b"), event(now - 10, "a")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("chronological order");
        assertThatThrownBy(() -> put("g", "s", event(now - 25 * 3_600_000L, "a"), event(now, "b")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("24 hours");
        // the span counts only the events not rejected: a too-old one does not stretch it
        PutLogEventsResponse mixed = logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s")
                .logEvents(event(now - 20 * 86_400_000L, "ancient"), event(now - 1000, "fresh")));
        assertThat(mixed.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s")).events())
                .extracting(OutputLogEvent::message).containsExactly("fresh");
        logs.deleteLogStream(b -> b.logGroupName("g").logStreamName("s"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        assertThatThrownBy(() -> put("g", "s"))
                .isInstanceOf(CloudWatchLogsException.class);

        PutLogEventsResponse r = logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s")
                .logEvents(event(now - 15 * 86_400_000L + 1000, "too old"), event(now - 15 * 86_400_000L + 2000, "old")));
        put("g", "s", event(now - 14 * 86_400_000L + 60_000, "kept"));
        assertThat(r.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(2);
        PutLogEventsResponse future = logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s")
                .logEvents(event(now, "now"), event(now + 3 * 3_600_000L, "future")));
        assertThat(future.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(1);
        assertThat(logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s")).events())
                .extracting(OutputLogEvent::message).containsExactly("kept", "now");

        assertThatThrownBy(() -> put("g", "s", event(now, "x".repeat(1_048_576))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void retentionHidesOlderEvents() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        long now = System.currentTimeMillis();
        put("g", "s", event(now - 3 * 86_400_000L, "three days"));
        put("g", "s", event(now - 1000, "recent"));
        assertThatThrownBy(() -> logs.putRetentionPolicy(b -> b.logGroupName("g").retentionInDays(2)))
                .isInstanceOf(InvalidParameterException.class);
        logs.putRetentionPolicy(b -> b.logGroupName("g").retentionInDays(1));
        assertThat(logs.describeLogGroups().logGroups().get(0).retentionInDays()).isEqualTo(1);
        assertThat(logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s")).events())
                .extracting(OutputLogEvent::message).containsExactly("recent");
        // retention deletes: removing the policy does not bring the expired events back
        logs.deleteRetentionPolicy(b -> b.logGroupName("g"));
        assertThat(logs.describeLogGroups().logGroups().get(0).retentionInDays()).isNull();
        assertThat(logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s")).events()).hasSize(1);
        assertThatThrownBy(() -> logs.putRetentionPolicy(b -> b.logGroupName("nope").retentionInDays(1)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void filterLogEventsAcrossStreamsWithPatterns() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("a"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("b"));
        long now = System.currentTimeMillis();
        put("g", "a", event(now - 500, "ERROR disk full"), event(now - 300, "INFO started"),
                event(now - 100, "{\"level\":\"error\",\"latency\":250}"));
        put("g", "b", event(now - 400, "WARN slow request"), event(now - 200, "ERROR out of memory debug"));

        assertThat(messages(null, null)).hasSize(5);
        assertThat(messages("ERROR", null)).containsExactly("ERROR disk full", "ERROR out of memory debug");
        assertThat(messages("ERROR -debug", null)).containsExactly("ERROR disk full");
        assertThat(messages("?WARN ?INFO", null)).containsExactly("WARN slow request", "INFO started");
        assertThat(messages("\"out of memory\"", null)).containsExactly("ERROR out of memory debug");
        assertThat(messages("{ $.level = \"error\" && $.latency > 200 }", null)).hasSize(1);
        assertThat(messages("{ $.latency < 200 }", null)).isEmpty();
        assertThat(messages(null, List.of("b"))).containsExactly("WARN slow request", "ERROR out of memory debug");
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("g").filterPattern("{ $.level = ")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("g").logStreamNames("a").logStreamNamePrefix("a")))
                .isInstanceOf(InvalidParameterException.class);

        List<String> paged = new ArrayList<>();
        logs.filterLogEventsPaginator(b -> b.logGroupName("g").limit(2)).events().forEach(e -> paged.add(e.message()));
        assertThat(paged).hasSize(5);
        FilteredLogEvent first = logs.filterLogEvents(b -> b.logGroupName("g")).events().get(0);
        assertThat(first.logStreamName()).isEqualTo("a");
        assertThat(first.eventId()).isNotBlank();
    }

    private static List<String> messages(String pattern, List<String> streams) {
        return logs.filterLogEvents(b -> b.logGroupName("g").filterPattern(pattern).logStreamNames(streams)).events()
                .stream().map(FilteredLogEvent::message).toList();
    }

    @Test
    void tagsByNameAndByArn() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        String arn = "arn:aws:logs:us-east-1:000000000000:log-group:g";
        logs.tagResource(b -> b.resourceArn(arn).tags(Map.of("a", "1", "b", "2")));
        logs.untagResource(b -> b.resourceArn(arn).tagKeys("b"));
        assertThat(logs.listTagsForResource(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("a", "1"));
        logs.tagLogGroup(b -> b.logGroupName("g").tags(Map.of("c", "3")));
        assertThat(logs.listTagsLogGroup(b -> b.logGroupName("g")).tags()).containsOnlyKeys("a", "c");
        assertThatThrownBy(() -> logs.listTagsForResource(b -> b.resourceArn(arn + "x")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs.tagResource(b -> b.resourceArn(arn).tags(Map.of("aws:x", "1"))))
                .satisfies(e -> assertThat(code(e)).isEqualTo("InvalidParameterException"));
    }

    @Test
    void describeLogGroupsFieldsAndListLogGroups() {
        logs.createLogGroup(b -> b.logGroupName("/aws/lambda/fn").logGroupClass("INFREQUENT_ACCESS"));
        logs.createLogGroup(b -> b.logGroupName("/app/api").kmsKeyId("arn:aws:kms:us-east-1:000000000000:key/k1"));
        logs.createLogStream(b -> b.logGroupName("/app/api").logStreamName("s"));
        put("/app/api", "s", event(System.currentTimeMillis(), "12345"));
        LogGroup api = logs.describeLogGroups(b -> b.logGroupIdentifiers("arn:aws:logs:us-east-1:000000000000:log-group:/app/api"))
                .logGroups().get(0);
        assertThat(api.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/app/api:*");
        assertThat(api.logGroupArn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/app/api");
        assertThat(api.storedBytes()).isEqualTo(5);
        assertThat(api.metricFilterCount()).isZero();
        assertThat(api.retentionInDays()).isNull();
        assertThat(api.logGroupClassAsString()).isEqualTo("STANDARD");
        assertThat(api.kmsKeyId()).isEqualTo("arn:aws:kms:us-east-1:000000000000:key/k1");
        assertThat(api.deletionProtectionEnabled()).isFalse();
        assertThat(logs.describeLogGroups(b -> b.logGroupNamePattern("LAMBDA")).logGroups())
                .extracting(LogGroup::logGroupName).containsExactly("/aws/lambda/fn");

        assertThat(logs.listLogGroups(b -> b.logGroupNamePattern("^/aws")).logGroups())
                .singleElement().satisfies(s -> {
                    assertThat(s.logGroupName()).isEqualTo("/aws/lambda/fn");
                    assertThat(s.logGroupArn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/fn");
                    assertThat(s.logGroupClassAsString()).isEqualTo("INFREQUENT_ACCESS");
                });
        assertThat(logs.listLogGroups(b -> b.logGroupNamePattern("api|lambda")).logGroups()).hasSize(2);
        assertThat(logs.listLogGroups(b -> b.logGroupClass("STANDARD")).logGroups()).hasSize(1);
        assertThat(logs.listLogGroups(b -> b.limit(1)).nextToken()).isNotNull();
    }

    @Test
    void deletionProtectionBlocksDeleteLogGroup() {
        logs.createLogGroup(b -> b.logGroupName("kept").deletionProtectionEnabled(true));
        assertThat(logs.describeLogGroups().logGroups().get(0).deletionProtectionEnabled()).isTrue();
        assertThatThrownBy(() -> logs.deleteLogGroup(b -> b.logGroupName("kept")))
                .isInstanceOf(CloudWatchLogsException.class)
                .hasMessageContaining("Cannot delete log group with deletion protection enabled")
                .satisfies(e -> {
                    assertThat(code(e)).isEqualTo("ValidationException");
                    assertThat(((CloudWatchLogsException) e).statusCode()).isEqualTo(400);
                });
        logs.putLogGroupDeletionProtection(b -> b.logGroupIdentifier("kept").deletionProtectionEnabled(false));
        logs.deleteLogGroup(b -> b.logGroupName("kept"));
        assertThatThrownBy(() -> logs.putLogGroupDeletionProtection(b -> b.logGroupIdentifier("kept").deletionProtectionEnabled(true)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void kmsKeyAssociation() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        String key = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        logs.associateKmsKey(b -> b.logGroupName("g").kmsKeyId(key));
        assertThat(logs.describeLogGroups().logGroups().get(0).kmsKeyId()).isEqualTo(key);
        logs.disassociateKmsKey(b -> b.logGroupName("g"));
        assertThat(logs.describeLogGroups().logGroups().get(0).kmsKeyId()).isNull();
        assertThatThrownBy(() -> logs.associateKmsKey(b -> b.logGroupName("g").kmsKeyId("not-an-arn")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.associateKmsKey(b -> b.logGroupName("nope").kmsKeyId(key)))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
