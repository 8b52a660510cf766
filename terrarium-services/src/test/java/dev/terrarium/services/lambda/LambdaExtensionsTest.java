package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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

        String first = unquote(lambda.invoke(b -> b.functionName("ext")).payload().asUtf8String());
        String second = unquote(lambda.invoke(b -> b.functionName("ext")).payload().asUtf8String());
        assertThat(first).isNotEqualTo(second);
        // The invocation completes only once the extension asked for its next event: both lines are there already.
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

    @Test
    void extensionOverrunningTheTimeoutResetsTheEnvironment() {
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
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            var r = lambda.invoke(b -> b.functionName("slow").logType(LogType.TAIL));
            long ms = (System.nanoTime() - start) / 1_000_000;
            // the runtime's answer stands; the environment is reset, so the next invoke starts a new one
            assertThat(r.functionError()).isNull();
            assertThat(r.payload().asUtf8String()).startsWith("\"");
            assertThat(new String(java.util.Base64.getDecoder().decode(r.logResult()))).contains("Task timed out after 1.00 seconds");
            assertThat(ms).isBetween(900L, 5000L);
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
