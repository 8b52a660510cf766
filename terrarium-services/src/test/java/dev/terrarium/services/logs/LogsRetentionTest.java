package dev.terrarium.services.logs;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention carried out on the virtual clock: events older than the policy disappear, storedBytes drops. */
class LogsRetentionTest {
    @RegisterExtension
    static final TerrariumExtension terrarium =
            new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    private static long now() {
        return terrarium.server().clock().millis();
    }

    @Test
    void eventsOlderThanTheRetentionDisappearAsTheClockMoves() {
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        logs.putRetentionPolicy(b -> b.logGroupName("g").retentionInDays(3));
        long t0 = now();
        logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s")
                .logEvents(InputLogEvent.builder().timestamp(t0).message("first").build()));
        terrarium.server().clock().advance(Duration.ofDays(2));
        logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s")
                .logEvents(InputLogEvent.builder().timestamp(now()).message("second").build()));
        assertThat(logs.describeLogGroups().logGroups().get(0).storedBytes()).isEqualTo(11);

        terrarium.server().clock().advance(Duration.ofDays(1).plusMinutes(1));
        assertThat(logs.getLogEvents(b -> b.logGroupName("g").logStreamName("s")).events())
                .extracting(OutputLogEvent::message).containsExactly("second");
        assertThat(logs.filterLogEvents(b -> b.logGroupName("g")).events()).hasSize(1);
        assertThat(logs.describeLogGroups().logGroups().get(0).storedBytes()).isEqualTo(6);
        assertThat(logs.describeLogStreams(b -> b.logGroupName("g")).logStreams().get(0).firstEventTimestamp())
                .isEqualTo(t0 + Duration.ofDays(2).toMillis());

        // an event from before the retention window is refused as expired
        var r = logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s")
                .logEvents(InputLogEvent.builder().timestamp(now() - Duration.ofDays(4).toMillis()).message("late").build()));
        assertThat(r.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(1);

        terrarium.server().clock().advance(Duration.ofDays(3));
        assertThat(logs.describeLogGroups().logGroups().get(0).storedBytes()).isZero();
    }
}
