package dev.terrarium.services.logs;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionStart;
import software.amazon.awssdk.services.cloudwatchlogs.model.LiveTailSessionUpdate;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.SessionTimeoutException;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartLiveTailResponseHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** StartLiveTail over the SDK's async client: an event stream of sessionStart, then sessionUpdates, then the end. */
class LogsLiveTailTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static CloudWatchLogsClient logs;
    private static CloudWatchLogsAsyncClient async;
    private static String group;

    @BeforeAll
    static void clients() {
        System.setProperty(LiveTail.TIMEOUT_PROPERTY, "4");
        logs = terrarium.client(CloudWatchLogsClient::builder);
        async = terrarium.client(() -> CloudWatchLogsAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)));
    }

    @AfterAll
    static void clear() {
        System.clearProperty(LiveTail.TIMEOUT_PROPERTY);
    }

    private static String arn(String name) {
        return logs.describeLogGroups(b -> b.logGroupNamePrefix(name)).logGroups().get(0).arn().replaceAll(":\\*$", "");
    }

    /** Starts a session; its events go to the queue; the future ends with the session. */
    private static CompletableFuture<Void> tail(StartLiveTailRequest request, BlockingQueue<Object> events) {
        StartLiveTailResponseHandler handler = StartLiveTailResponseHandler.builder()
                .subscriber(StartLiveTailResponseHandler.Visitor.builder()
                        .onSessionStart(events::add)
                        .onSessionUpdate(events::add)
                        .build())
                .build();
        return async.startLiveTail(request, handler);
    }

    @Test
    void streamsMatchingEventsPutAfterTheStartThenTimesOut() throws Exception {
        logs.createLogGroup(b -> b.logGroupName("/tail/app"));
        logs.createLogStream(b -> b.logGroupName("/tail/app").logStreamName("web-1"));
        logs.createLogStream(b -> b.logGroupName("/tail/app").logStreamName("db-1"));
        String arn = arn("/tail/app");
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        CompletableFuture<Void> done = tail(StartLiveTailRequest.builder().logGroupIdentifiers(arn)
                .logStreamNamePrefixes("web").logEventFilterPattern("ERROR").build(), events);

        Object first = events.poll(10, TimeUnit.SECONDS);
        assertThat(first).isInstanceOf(LiveTailSessionStart.class);
        LiveTailSessionStart start = (LiveTailSessionStart) first;
        assertThat(start.sessionId()).isNotBlank();
        assertThat(start.requestId()).isNotBlank();
        assertThat(start.logGroupIdentifiers()).containsExactly(arn);
        assertThat(start.logStreamNamePrefixes()).containsExactly("web");
        assertThat(start.logEventFilterPattern()).isEqualTo("ERROR");

        long now = System.currentTimeMillis();
        logs.putLogEvents(b -> b.logGroupName("/tail/app").logStreamName("web-1").logEvents(
                InputLogEvent.builder().timestamp(now).message("ERROR disk full").build(),
                InputLogEvent.builder().timestamp(now).message("INFO all fine").build()));
        logs.putLogEvents(b -> b.logGroupName("/tail/app").logStreamName("db-1").logEvents(
                InputLogEvent.builder().timestamp(now).message("ERROR in another stream").build()));

        List<LiveTailSessionLogEvent> seen = new ArrayList<>();
        int updates = 0;
        long until = System.currentTimeMillis() + 3000;
        while (seen.isEmpty() && System.currentTimeMillis() < until) {
            Object e = events.poll(2, TimeUnit.SECONDS);
            if (e instanceof LiveTailSessionUpdate u) {
                updates++;
                assertThat(u.sessionMetadata().sampled()).isFalse();
                seen.addAll(u.sessionResults());
            }
        }
        assertThat(updates).isGreaterThanOrEqualTo(1);
        assertThat(seen).hasSize(1);
        LiveTailSessionLogEvent hit = seen.get(0);
        assertThat(hit.message()).isEqualTo("ERROR disk full");
        assertThat(hit.logStreamName()).isEqualTo("web-1");
        assertThat(hit.logGroupIdentifier()).isEqualTo(arn);
        assertThat(hit.timestamp()).isEqualTo(now);
        assertThat(hit.ingestionTime()).isGreaterThanOrEqualTo(now);

        // the session (4 s here) ends with the modeled SessionTimeoutException
        assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SessionTimeoutException.class);
    }

    @Test
    void badRequestsFailBeforeTheStream() {
        logs.createLogGroup(b -> b.logGroupName("/tail/one"));
        logs.createLogGroup(b -> b.logGroupName("/tail/two"));
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        assertThatThrownBy(() -> tail(StartLiveTailRequest.builder().logGroupIdentifiers("/tail/missing").build(), events).join())
                .hasCauseInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> tail(StartLiveTailRequest.builder().logGroupIdentifiers(arn("/tail/one"))
                .logStreamNames("a").logStreamNamePrefixes("b").build(), events).join())
                .hasCauseInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> tail(StartLiveTailRequest.builder().logGroupIdentifiers(arn("/tail/one"), arn("/tail/two"))
                .logStreamNames("a").build(), events).join())
                .hasCauseInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> tail(StartLiveTailRequest.builder().logGroupIdentifiers(arn("/tail/one"))
                .logEventFilterPattern("{ $.x = ").build(), events).join())
                .hasCauseInstanceOf(InvalidParameterException.class);
        Throwable missing = catchCause(() -> tail(StartLiveTailRequest.builder().build(), events).join());
        assertThat(((CloudWatchLogsException) missing).awsErrorDetails().sdkHttpResponse().statusCode()).isEqualTo(400);
        assertThat(events).isEmpty();
        assertThat(logs.describeLogGroups().logGroups()).hasSize(2);
    }

    @Test
    void boto3ReadsInitialResponseStartAndUpdateThenDisconnects() throws Exception {
        logs.createLogGroup(b -> b.logGroupName("/tail/py"));
        logs.createLogStream(b -> b.logGroupName("/tail/py").logStreamName("s"));
        String script = String.join("\n",
                "import boto3, sys, time",
                "from botocore.config import Config",
                "c = boto3.client('logs', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test',",
                "    aws_secret_access_key='test', config=Config(inject_host_prefix=False))",
                "r = c.start_live_tail(logGroupIdentifiers=['/tail/py'])",
                "out = []",
                "for e in r['responseStream']:",
                "    if 'sessionStart' in e:",
                "        out.append('start:' + ','.join(e['sessionStart']['logGroupIdentifiers']))",
                "        c.put_log_events(logGroupName='/tail/py', logStreamName='s',",
                "            logEvents=[{'timestamp': int(time.time() * 1000), 'message': 'from python'}])",
                "    if 'sessionUpdate' in e and e['sessionUpdate']['sessionResults']:",
                "        out.append('update:' + e['sessionUpdate']['sessionResults'][0]['message'])",
                "        break",
                "r['responseStream'].close()",
                "print('|'.join(out))");
        Process p = new ProcessBuilder("python3", "-c", script, terrarium.endpoint().toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEqualTo("start:/tail/py|update:from python");
    }

    @Test
    void sessionsOfClientsThatWentAwayAreReleased() throws Exception {
        logs.createLogGroup(b -> b.logGroupName("/tail/many"));
        String arn = arn("/tail/many");
        System.setProperty(LiveTail.TIMEOUT_PROPERTY, "60"); // so only the disconnects can free them in time
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 15; i++) {
            java.net.http.HttpResponse<java.io.InputStream> r = http.send(java.net.http.HttpRequest.newBuilder(terrarium.endpoint())
                    .header("X-Amz-Target", "Logs_20140328.StartLiveTail")
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"logGroupIdentifiers\":[\"" + arn + "\"]}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/vnd.amazon.eventstream");
            r.body().close();
        }
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        assertThatThrownBy(() -> tail(StartLiveTailRequest.builder().logGroupIdentifiers(arn).build(), events).join())
                .hasCauseInstanceOf(software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException.class);
        // the server notices the gone clients when it next writes to them (updates go out every second)
        long until = System.currentTimeMillis() + 8000;
        Object first = null;
        while (first == null && System.currentTimeMillis() < until) {
            CompletableFuture<Void> f = tail(StartLiveTailRequest.builder().logGroupIdentifiers(arn).build(), events);
            first = events.poll(1500, TimeUnit.MILLISECONDS);
            if (first == null) {
                f.cancel(true);
            }
        }
        System.setProperty(LiveTail.TIMEOUT_PROPERTY, "4");
        assertThat(first).isInstanceOf(LiveTailSessionStart.class);
    }

    private static Throwable catchCause(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getCause();
        }
        throw new AssertionError("no error");
    }
}
