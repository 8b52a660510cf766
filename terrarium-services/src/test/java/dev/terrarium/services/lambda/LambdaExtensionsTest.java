package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** External extensions from a layer's extensions/ directory, speaking the Lambda Extensions API. */
class LambdaExtensionsTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    @RegisterExtension
    static TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();

    /** Registers for INVOKE and SHUTDOWN and appends "TYPE requestId-or-reason" for each event to $EXT_LOG. */
    static final String RECORDER = """
            #!/bin/bash
            API="http://${AWS_LAMBDA_RUNTIME_API}"
            H=$(mktemp)
            curl -sS -D "$H" -o "$EXT_LOG.register" -X POST "$API/2020-01-01/extension/register" \\
                 -H "Lambda-Extension-Name: recorder" -d '{"events":["INVOKE","SHUTDOWN"]}'
            ID=$(grep -i '^Lambda-Extension-Identifier:' "$H" | cut -d' ' -f2 | tr -d '\\r')
            echo "BADREGISTER $(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/2020-01-01/extension/register" \\
                 -H 'Lambda-Extension-Name: bad' -d '{"events":["BOGUS"]}')" >> "$EXT_LOG"
            echo "TELEMETRY $(curl -s -o /dev/null -w '%{http_code}' -X PUT "$API/2022-07-01/telemetry" \\
                 -H "Lambda-Extension-Identifier: $ID" -d '{}')" >> "$EXT_LOG"
            while true; do
              EVENT=$(curl -sS "$API/2020-01-01/extension/event/next" -H "Lambda-Extension-Identifier: $ID") || exit 1
              TYPE=$(echo "$EVENT" | sed -n 's/.*"eventType":"\\([A-Z]*\\)".*/\\1/p')
              if [ "$TYPE" = INVOKE ]; then
                sleep 0.2  # the invocation must wait for the extension
                echo "INVOKE $(echo "$EVENT" | sed -n 's/.*"requestId":"\\([^"]*\\)".*/\\1/p')" >> "$EXT_LOG"
              else
                echo "$TYPE $(echo "$EVENT" | sed -n 's/.*"shutdownReason":"\\([^"]*\\)".*/\\1/p')" >> "$EXT_LOG"
                exit 0
              fi
            done
            """;

    static final String APP = """
            def handler(event, context):
                return context.aws_request_id
            """;

    @Test
    void extensionSeesEveryInvokeAndShutdown(@TempDir Path dir) throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        Path log = dir.resolve("events.log");
        String layer = lambda.publishLayerVersion(b -> b.layerName("recorder")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("extensions/recorder", RECORDER)))))
                .layerVersionArn();
        lambda.createFunction(b -> b.functionName("ext").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).environment(e -> e.variables(Map.of("EXT_LOG", log.toString())))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", APP)))));

        // one environment at most: the second invocation waits until the extension is done with the first
        lambda.putFunctionConcurrency(b -> b.functionName("ext").reservedConcurrentExecutions(1));
        String first = unquote(invokeWhenFree(noRetries(), "ext").payload().asUtf8String());
        String second = unquote(invokeWhenFree(noRetries(), "ext").payload().asUtf8String());
        assertThat(first).isNotEqualTo(second);
        awaitLines(log, 4);
        // the environment was reused: one registration, and the extension saw both invocations
        assertThat(Files.readAllLines(log)).containsExactly("BADREGISTER 400", "TELEMETRY 400",
                "INVOKE " + first, "INVOKE " + second);
        assertThat(Files.readString(Path.of(log + ".register")))
                .isEqualTo("{\"functionName\":\"ext\",\"functionVersion\":\"$LATEST\",\"handler\":\"app.handler\"}");

        lambda.deleteFunction(b -> b.functionName("ext"));
        long until = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < until && lines(log).size() < 5) {
            Thread.sleep(20);
        }
        assertThat(lines(log)).hasSize(5).last().isEqualTo("SHUTDOWN spindown");
    }

    @Test
    void extensionInitErrorFailsTheInvocation() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        String failing = """
                #!/bin/bash
                API="http://${AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension"
                ID=$(curl -sS -D - -o /dev/null -X POST "$API/register" -H "Lambda-Extension-Name: failing" \\
                     -d '{"events":["INVOKE"]}' | grep -i '^Lambda-Extension-Identifier:' | cut -d' ' -f2 | tr -d '\\r')
                curl -sS -X POST "$API/init/error" -H "Lambda-Extension-Identifier: $ID" \\
                     -H "Lambda-Extension-Function-Error-Type: Extension.Boom" -d '{}'
                sleep 30
                """;
        String layer = lambda.publishLayerVersion(b -> b.layerName("failing")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("extensions/failing", failing)))))
                .layerVersionArn();
        lambda.createFunction(b -> b.functionName("fails").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", APP)))));
        for (int i = 0; i < 2; i++) {
            var r = lambda.invoke(b -> b.functionName("fails"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.functionError()).isEqualTo("Unhandled");
            assertThat(r.payload().asUtf8String()).contains("\"errorType\":\"Extension.Boom\"");
        }
    }

    /** A Python extension with an HTTP listener subscribed to the platform and function streams. */
    static final String TELEMETRY = """
            #!/usr/bin/env python3
            import json, os, threading, urllib.request
            from http.server import BaseHTTPRequestHandler, HTTPServer
            out = os.environ["EXT_LOG"]
            class Listener(BaseHTTPRequestHandler):
                def do_POST(self):
                    batch = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                    with open(out, "a") as f:
                        for e in batch:
                            f.write(json.dumps(e) + "\\n")
                    self.send_response(200); self.end_headers()
                def log_message(self, *a): pass
            server = HTTPServer(("127.0.0.1", 0), Listener)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"]
            def call(method, path, body=None, headers={}):
                req = urllib.request.Request(api + path, method=method, headers=headers,
                                             data=None if body is None else json.dumps(body).encode())
                return urllib.request.urlopen(req)
            ext = call("POST", "/2020-01-01/extension/register", {"events": ["INVOKE"]},
                       {"Lambda-Extension-Name": "telemetry"}).headers["Lambda-Extension-Identifier"]
            call("PUT", "/2022-07-01/telemetry", {"schemaVersion": "2022-12-13", "types": ["platform", "function"],
                 "buffering": {"timeoutMs": 25}, "destination": {"protocol": "HTTP",
                 "URI": "http://sandbox.localdomain:%d" % server.server_port}}, {"Lambda-Extension-Identifier": ext})
            while True:
                call("GET", "/2020-01-01/extension/event/next", headers={"Lambda-Extension-Identifier": ext}).read()
            """;

    @Test
    void telemetryApiDeliversPlatformAndFunctionEvents(@TempDir Path dir) throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        Path log = dir.resolve("telemetry.log");
        String layer = lambda.publishLayerVersion(b -> b.layerName("telemetry")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("extensions/telemetry", TELEMETRY)))))
                .layerVersionArn();
        lambda.createFunction(b -> b.functionName("tele").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).environment(e -> e.variables(Map.of("EXT_LOG", log.toString())))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", """
                        def handler(event, context):
                            print("hello from the function")
                            return context.aws_request_id
                        """)))));
        String id = unquote(lambda.invoke(b -> b.functionName("tele")).payload().asUtf8String());
        long until = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < until && (!Files.exists(log) || !Files.readString(log).contains("platform.report"))) {
            Thread.sleep(20);
        }
        List<String> events = lines(log);
        assertThat(events).anySatisfy(e -> assertThat(e).contains("\"type\": \"platform.start\"").contains(id));
        assertThat(events).anySatisfy(e -> assertThat(e).contains("\"type\": \"function\"")
                .contains("hello from the function"));
        assertThat(events).anySatisfy(e -> assertThat(e).contains("\"type\": \"platform.report\"").contains(id)
                .contains("\"status\": \"success\""));
    }

    /**
     * A Python extension that first tries invalid subscriptions (their status codes go to $EXT_LOG.codes), then
     * subscribes to platform and function events with maxItems 25 and timeoutMs $TIMEOUT_MS; each POST it receives is
     * one line of $EXT_LOG: {"batch": size, "events": [...]}.
     */
    static final String BUFFERED = """
            #!/usr/bin/env python3
            import json, os, threading, urllib.request, urllib.error
            from http.server import BaseHTTPRequestHandler, HTTPServer
            out = os.environ["EXT_LOG"]
            class Listener(BaseHTTPRequestHandler):
                def do_POST(self):
                    batch = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                    with open(out, "a") as f:
                        f.write(json.dumps({"batch": len(batch), "events": batch}) + "\\n")
                    self.send_response(200); self.end_headers()
                def log_message(self, *a): pass
            server = HTTPServer(("127.0.0.1", 0), Listener)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"]
            def call(method, path, body=None, headers={}):
                req = urllib.request.Request(api + path, method=method, headers=headers,
                                             data=None if body is None else json.dumps(body).encode())
                return urllib.request.urlopen(req)
            ext = call("POST", "/2020-01-01/extension/register", {"events": ["INVOKE"]},
                       {"Lambda-Extension-Name": "buffered"}).headers["Lambda-Extension-Identifier"]
            def subscribe(body):
                try:
                    return call("PUT", "/2022-07-01/telemetry", body, {"Lambda-Extension-Identifier": ext}).status
                except urllib.error.HTTPError as e:
                    return e.code
            dest = {"protocol": "HTTP", "URI": "http://sandbox.localdomain:%d" % server.server_port}
            codes = [subscribe({"schemaVersion": "2022-12-13", "types": ["platform"], "buffering": {"maxItems": 5}, "destination": dest}),
                     subscribe({"schemaVersion": "2022-12-13", "types": ["platform"], "buffering": {"timeoutMs": 10}, "destination": dest}),
                     subscribe({"schemaVersion": "2022-12-13", "types": ["platform"], "buffering": {"maxBytes": 1000}, "destination": dest}),
                     subscribe({"types": ["platform"], "destination": dest}),
                     subscribe({"schemaVersion": "2022-12-13", "types": os.environ["TYPES"].split(","),
                                "buffering": {"maxItems": 25, "timeoutMs": int(os.environ["TIMEOUT_MS"])}, "destination": dest})]
            with open(out + ".codes", "w") as f:
                f.write(" ".join(map(str, codes)))
            print("buffered extension subscribed", flush=True)
            while True:
                call("GET", "/2020-01-01/extension/event/next", headers={"Lambda-Extension-Identifier": ext}).read()
            """;

    static final String CHATTY = """
            def handler(event, context):
                for i in range(30):
                    print("line", i)
                return "done"
            """;

    private static List<Map<String, Object>> batches(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(l -> Json.object(l.getBytes(java.nio.charset.StandardCharsets.UTF_8))).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Map<String, Object> batch) {
        return (List<Map<String, Object>>) batch.get("events");
    }

    private void deployBuffered(LambdaClient lambda, Path log, int timeoutMs, String types) {
        String layer = lambda.publishLayerVersion(b -> b.layerName("buffered")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("extensions/buffered", BUFFERED))))).layerVersionArn();
        lambda.createFunction(b -> b.functionName("buf").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).environment(e -> e.variables(Map.of("EXT_LOG", log.toString(), "TIMEOUT_MS", "" + timeoutMs,
                        "TYPES", types)))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", CHATTY)))));
    }

    @Test
    void telemetryIsBufferedUpToMaxItems(@TempDir Path dir) throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        Path log = dir.resolve("telemetry.log");
        deployBuffered(lambda, log, 30_000, "platform,function");
        assertThat(lambda.invoke(b -> b.functionName("buf")).payload().asUtf8String()).isEqualTo("\"done\"");
        // invalid buffering (maxItems < 25, timeoutMs < 25, maxBytes < 262144) and a missing schemaVersion are refused
        assertThat(Files.readString(Path.of(log + ".codes"))).isEqualTo("400 400 400 400 200");

        long until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until && batches(log).isEmpty()) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        // 25 events make a batch at once; the rest waits for more events or the 30 s timeout
        List<Map<String, Object>> batches = batches(log);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).get("batch")).isEqualTo(25);
        List<Map<String, Object>> events = events(batches.get(0));
        // the init phase's events came before the subscription: it gets them, in order, then the invocation's
        assertThat(events.stream().limit(6).map(e -> e.get("type"))).containsExactly("platform.initStart",
                "platform.extension", "platform.telemetrySubscription", "platform.initRuntimeDone", "platform.initReport",
                "platform.start");
        assertThat(events.subList(6, 25)).allSatisfy(e -> assertThat(e.get("type")).isEqualTo("function"));
        assertThat(events.get(6).get("record")).isEqualTo("line 0");
    }

    @Test
    void telemetryReportsTheInitPhaseAndTheInvocation(@TempDir Path dir) throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        Path log = dir.resolve("telemetry.log");
        deployBuffered(lambda, log, 25, "platform,function,extension");
        var invoked = lambda.invoke(b -> b.functionName("buf").logType(LogType.TAIL));
        assertThat(invoked.functionError()).isNull();
        // what the extension printed is in the function's log, as on Lambda
        assertThat(new String(java.util.Base64.getDecoder().decode(invoked.logResult()))).contains("buffered extension subscribed");
        long until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until && batches(log).stream().flatMap(b -> events(b).stream())
                .noneMatch(e -> "platform.report".equals(e.get("type")))) {
            Thread.sleep(20);
        }
        Map<String, Map<String, Object>> byType = new java.util.LinkedHashMap<>();
        batches(log).stream().flatMap(b -> events(b).stream())
                .filter(e -> !"function".equals(e.get("type")) && !"extension".equals(e.get("type")))
                .forEach(e -> byType.putIfAbsent((String) e.get("type"), record(e)));
        // the extension's own output comes as "extension" events, not "function" ones
        assertThat(batches(log).stream().flatMap(b -> events(b).stream()).filter(e -> "extension".equals(e.get("type")))
                .map(e -> e.get("record"))).containsExactly("buffered extension subscribed");
        assertThat(batches(log).stream().flatMap(b -> events(b).stream()).filter(e -> "function".equals(e.get("type")))
                .map(e -> e.get("record"))).hasSize(30).doesNotContain("buffered extension subscribed");
        assertThat(byType.keySet()).containsExactly("platform.initStart", "platform.extension",
                "platform.telemetrySubscription", "platform.initRuntimeDone", "platform.initReport", "platform.start",
                "platform.runtimeDone", "platform.report");
        assertThat(byType.get("platform.initStart")).containsEntry("initializationType", "on-demand")
                .containsEntry("phase", "init").containsEntry("functionName", "buf").containsEntry("functionVersion", "$LATEST");
        assertThat(byType.get("platform.extension")).containsEntry("name", "buffered").containsEntry("state", "Ready")
                .containsEntry("events", List.of("INVOKE"));
        assertThat(byType.get("platform.telemetrySubscription")).containsEntry("name", "buffered")
                .containsEntry("state", "Subscribed").containsEntry("types", List.of("platform", "function", "extension"));
        assertThat(byType.get("platform.initRuntimeDone")).containsEntry("status", "success").containsEntry("phase", "init");
        assertThat(byType.get("platform.initReport")).containsEntry("status", "success").containsKey("metrics");
        String requestId = (String) byType.get("platform.start").get("requestId");
        assertThat(requestId).matches("[0-9a-f-]{36}");
        assertThat(byType.get("platform.runtimeDone")).containsEntry("requestId", requestId).containsEntry("status", "success");
        assertThat(byType.get("platform.report")).containsEntry("requestId", requestId).containsEntry("status", "success");
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) byType.get("platform.report").get("metrics");
        assertThat(metrics).containsKeys("durationMs", "billedDurationMs", "maxMemoryUsedMB", "initDurationMs")
                .containsEntry("memorySizeMB", 128);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Map<String, Object> event) {
        return (Map<String, Object>) event.get("record");
    }

    @Test
    void extensionOverrunningTheTimeoutResetsTheEnvironment() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        String slow = """
                #!/bin/bash
                API="http://${AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension"
                ID=$(curl -sS -D - -o /dev/null -X POST "$API/register" -H "Lambda-Extension-Name: slow" \\
                     -d '{"events":["INVOKE"]}' | grep -i '^Lambda-Extension-Identifier:' | cut -d' ' -f2 | tr -d '\\r')
                while true; do
                  curl -sS -o /dev/null "$API/event/next" -H "Lambda-Extension-Identifier: $ID" || exit 1
                  sleep 20
                done
                """;
        String layer = lambda.publishLayerVersion(b -> b.layerName("slow")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("extensions/slow", slow))))).layerVersionArn();
        lambda.createFunction(b -> b.functionName("slow").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .timeout(1).layers(layer).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", APP)))));
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            var r = lambda.invoke(b -> b.functionName("slow").logType(LogType.TAIL));
            long ms = (System.nanoTime() - start) / 1_000_000;
            // the runtime's answer comes back at once and stands; the extension overruns the timeout afterwards
            assertThat(r.functionError()).isNull();
            assertThat(r.payload().asUtf8String()).startsWith("\"");
            String id = unquote(r.payload().asUtf8String());
            String timedOut = "\"" + id + " Task timed out after 1.00 seconds\"";
            assertThat(logLines(logs, "slow", timedOut)).isEmpty(); // not yet: the caller did not wait for the extension
            if (i == 1) {
                assertThat(ms).isLessThan(900L); // a cold start, then the answer (the first one may warm up the JVM)
            }
            // the environment is reset when the timeout hits, so the next invoke starts a new one
            List<String> log = awaitLog(logs, "slow", timedOut);
            assertThat(log).hasSize(1);
        }
    }

    /** An extension that works for a second after each INVOKE before it asks for its next event. */
    static final String LINGERING = """
            #!/bin/bash
            API="http://${AWS_LAMBDA_RUNTIME_API}/2020-01-01/extension"
            ID=$(curl -sS -D - -o /dev/null -X POST "$API/register" -H "Lambda-Extension-Name: lingering" \\
                 -d '{"events":["INVOKE"]}' | grep -i '^Lambda-Extension-Identifier:' | cut -d' ' -f2 | tr -d '\\r')
            echo "REGISTERED" >> "$EXT_LOG"
            while true; do
              EVENT=$(curl -sS "$API/event/next" -H "Lambda-Extension-Identifier: $ID") || exit 1
              sleep 1
              echo "DONE $(echo "$EVENT" | sed -n 's/.*"requestId":"\\([^"]*\\)".*/\\1/p')" >> "$EXT_LOG"
            done
            """;

    @Test
    void callerGetsTheResponseBeforeTheExtensionsFinish(@TempDir Path dir) throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        LambdaClient once = noRetries();
        Path log = dir.resolve("events.log");
        String layer = lambda.publishLayerVersion(b -> b.layerName("lingering")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("extensions/lingering", LINGERING))))).layerVersionArn();
        lambda.createFunction(b -> b.functionName("post").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).environment(e -> e.variables(Map.of("EXT_LOG", log.toString())))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", APP)))));
        lambda.putFunctionConcurrency(b -> b.functionName("post").reservedConcurrentExecutions(1));
        lambda.invoke(b -> b.functionName("post")); // the cold start

        awaitLines(log, 2);
        InvokeResponse r = null;
        long ms = 0;
        for (long until = System.currentTimeMillis() + 5000; r == null && System.currentTimeMillis() < until; ) {
            long start = System.nanoTime();
            try {
                r = once.invoke(b -> b.functionName("post"));
                ms = (System.nanoTime() - start) / 1_000_000;
            } catch (TooManyRequestsException stillFinishingTheFirst) {
                Thread.sleep(10);
            }
        }
        String id = unquote(r.payload().asUtf8String());
        assertThat(ms).isLessThan(700L); // the extension's second comes after the response
        assertThat(Files.readAllLines(log)).doesNotContain("DONE " + id);
        // the environment is still busy with the extension: with one allowed, the next invocation is throttled
        assertThatThrownBy(() -> once.invoke(b -> b.functionName("post"))).isInstanceOf(TooManyRequestsException.class)
                .hasMessageContaining("Rate Exceeded.");

        // the invocation ends when the extension asks for its next event: its REPORT's Duration includes that second
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        List<String> report = awaitLog(logs, "post", "\"REPORT RequestId: " + id + "\"");
        assertThat(report).hasSize(1);
        Matcher duration = Pattern.compile("\tDuration: (\\d+\\.\\d+) ms").matcher(report.get(0));
        assertThat(duration.find()).isTrue();
        assertThat(Double.parseDouble(duration.group(1))).isGreaterThanOrEqualTo(1000.0);
        assertThat(Files.readAllLines(log)).contains("DONE " + id);
        // then the same environment takes the next invocation (no second registration)
        invokeWhenFree(once, "post");
        assertThat(Files.readAllLines(log).stream().filter("REGISTERED"::equals)).hasSize(1);
    }

    private static LambdaClient noRetries() {
        return terrarium.client(() -> LambdaClient.builder()
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())));
    }

    /** Invokes once the function's one environment is free (TooManyRequests while its extension still works). */
    private static InvokeResponse invokeWhenFree(LambdaClient lambda, String name) throws InterruptedException {
        long until = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                return lambda.invoke(b -> b.functionName(name));
            } catch (TooManyRequestsException busy) {
                if (System.currentTimeMillis() > until) {
                    throw busy;
                }
                Thread.sleep(20);
            }
        }
    }

    private static void awaitLines(Path log, int count) throws Exception {
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until && (!Files.exists(log) || lines(log).size() < count)) {
            Thread.sleep(20);
        }
    }

    /** The messages of the function's log group matching the pattern, once there are any (within 10 s). */
    private static List<String> awaitLog(CloudWatchLogsClient logs, String function, String pattern) throws Exception {
        long until = System.currentTimeMillis() + 10_000;
        List<String> found = List.of();
        while (System.currentTimeMillis() < until) {
            found = logLines(logs, function, pattern);
            if (!found.isEmpty()) {
                return found;
            }
            Thread.sleep(25);
        }
        return found;
    }

    private static List<String> logLines(CloudWatchLogsClient logs, String function, String pattern) {
        try {
            return logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/" + function).filterPattern(pattern))
                    .events().stream().map(FilteredLogEvent::message).toList();
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException notYet) {
            return List.of();
        }
    }

    @Test
    void functionWithoutExtensionsIsUnaffected() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        String layer = lambda.publishLayerVersion(b -> b.layerName("plain")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("python/x.py", "X = 1")))))
                .layerVersionArn();
        lambda.createFunction(b -> b.functionName("plain").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", APP)))));
        assertThat(lambda.invoke(b -> b.functionName("plain")).payload().asUtf8String()).startsWith("\"");
        assertThat(lambda.invoke(b -> b.functionName("plain")).functionError()).isNull();
    }

    private static List<String> lines(Path log) throws IOException {
        return Files.readAllLines(log);
    }

    private static String unquote(String json) {
        return json.substring(1, json.length() - 1);
    }
}
