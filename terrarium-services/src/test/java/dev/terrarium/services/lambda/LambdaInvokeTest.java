package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaInvokeTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
    private static TestServer terrarium;
    private static LambdaClient lambda;
    private static CloudWatchLogsClient logs;

    static final String PYTHON = """
            import logging, os, time
            COUNT = 0
            def handler(event, context):
                global COUNT
                COUNT += 1
                print("hello from python", event.get("name"))
                logging.getLogger().warning("careful %s", event.get("name"))
                if event.get("set"):
                    return {1, 2}
                if event.get("fail"):
                    raise ValueError("boom: " + event["fail"])
                if event.get("sleep"):
                    time.sleep(event["sleep"])
                return {"greeting": "hi " + str(event.get("name")), "count": COUNT,
                        "env": os.environ.get("GREETING"), "fn": context.function_name,
                        "arn": context.invoked_function_arn, "remaining": context.get_remaining_time_in_millis(),
                        "region": os.environ["AWS_REGION"]}
            """;

    static final String NODE = """
            let count = 0;
            exports.handler = async (event, context) => {
              count++;
              console.log('hello from node', event.name);
              if (event.fail) throw new TypeError('node boom');
              return { greeting: 'hi ' + event.name, count, fn: context.functionName, version: process.env.AWS_LAMBDA_FUNCTION_VERSION };
            };
            """;

    static final String BASH = """
            #!/bin/bash
            set -euo pipefail
            API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
            while true; do
              HEADERS="$(mktemp)"
              EVENT=$(curl -sS -LD "$HEADERS" "$API/invocation/next")
              ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
              echo "bash got $EVENT"
              curl -sS -X POST "$API/invocation/$ID/response" -d "{\\"echo\\":$EVENT,\\"handler\\":\\"$_HANDLER\\"}" > /dev/null
            done
            """;

    @BeforeAll
    static void start() {
        terrarium = TestServer.start();
        lambda = terrarium.client(LambdaClient::builder);
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        logs.close();
        terrarium.close();
    }

    @BeforeEach
    void reset() {
        terrarium.reset();
    }

    static void create(String name, Runtime runtime, String handler, byte[] zip, int timeout) {
        lambda.createFunction(b -> b.functionName(name).runtime(runtime).role(ROLE).handler(handler).timeout(timeout)
                .environment(e -> e.variables(Map.of("GREETING", "hello")))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
    }

    static InvokeResponse invoke(String name, String payload) {
        return lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
    }

    static String log(InvokeResponse r) {
        return new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
    }

    @Test
    void pythonHandlerRunsWarmAndReportsErrorsAndLogs() {
        create("py", Runtime.PYTHON3_12, "app.handler", Zips.zip("app.py", PYTHON), 5);
        InvokeResponse first = lambda.invoke(b -> b.functionName("py").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"ann\"}")));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.functionError()).isNull();
        assertThat(first.executedVersion()).isEqualTo("$LATEST");
        String body = first.payload().asUtf8String();
        assertThat(body).contains("\"greeting\": \"hi ann\"", "\"count\": 1", "\"env\": \"hello\"", "\"fn\": \"py\"",
                "\"arn\": \"arn:aws:lambda:us-east-1:000000000000:function:py\"", "\"region\": \"us-east-1\"");
        String tail = log(first);
        assertThat(tail).contains("START RequestId: ", "hello from python ann", "END RequestId: ", "REPORT RequestId: ",
                "Duration: ", "Memory Size: 128 MB");
        assertThat(tail.indexOf("START")).isLessThan(tail.indexOf("hello from python")).isLessThan(tail.indexOf("END"));

        assertThat(invoke("py", "{\"name\":\"bob\"}").payload().asUtf8String()).as("warm environment reused").contains("\"count\": 2");
        assertThat(tail).containsPattern("\\[WARNING\\]\\t\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t[0-9a-f-]{36}\\tcareful ann");
        InvokeResponse unmarshallable = invoke("py", "{\"set\":true}");
        assertThat(unmarshallable.functionError()).isEqualTo("Unhandled");
        assertThat(unmarshallable.payload().asUtf8String()).contains("Runtime.MarshalError");

        InvokeResponse failed = lambda.invoke(b -> b.functionName("py").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"fail\":\"x\"}")));
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(failed.payload().asUtf8String()).contains("\"errorMessage\": \"boom: x\"", "\"errorType\": \"ValueError\"");
        assertThat(log(failed)).contains("[ERROR] ValueError: boom: x");

        List<FilteredLogEvent> events = logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/py")).events();
        assertThat(events).extracting(FilteredLogEvent::message).anyMatch(m -> m.startsWith("hello from python bob"));
        assertThat(events.get(0).logStreamName()).matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST\\][0-9a-f]{32}");
        assertThat(logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/py").filterPattern("REPORT")).events()).hasSize(4);
    }

    @Test
    void pythonImportErrorsAndTimeouts() {
        create("broken", Runtime.PYTHON3_12, "missing.handler", Zips.zip("app.py", PYTHON), 3);
        InvokeResponse r = invoke("broken", "{}");
        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(r.payload().asUtf8String()).contains("Runtime.ImportModuleError", "Unable to import module 'missing'");

        create("slow", Runtime.PYTHON3_12, "app.handler", Zips.zip("app.py", PYTHON), 1);
        long start = System.nanoTime();
        InvokeResponse timedOut = invoke("slow", "{\"sleep\": 5}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(timedOut.functionError()).isEqualTo("Unhandled");
        assertThat(timedOut.payload().asUtf8String()).contains("Task timed out after 1.00 seconds");
        assertThat(invoke("slow", "{\"name\":\"after\"}").payload().asUtf8String())
                .as("a fresh environment after the timeout").contains("\"count\": 1");
    }

    @Test
    void nodeHandler() {
        create("node", Runtime.NODEJS20_X, "index.handler", Zips.zip("index.js", NODE), 5);
        InvokeResponse r = lambda.invoke(b -> b.functionName("node").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"zed\"}")));
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asUtf8String()).contains("\"greeting\":\"hi zed\"", "\"count\":1", "\"fn\":\"node\"",
                "\"version\":\"$LATEST\"");
        assertThat(log(r)).contains("INFO\thello from node zed");
        assertThat(invoke("node", "{\"name\":\"again\"}").payload().asUtf8String()).contains("\"count\":2");
        InvokeResponse failed = invoke("node", "{\"fail\":true}");
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(failed.payload().asUtf8String()).contains("\"errorType\":\"TypeError\"", "node boom");
    }

    @Test
    void providedRuntimeRunsTheBashBootstrap() {
        create("sh", Runtime.PROVIDED_AL2023, "my.handler", Zips.zip("bootstrap", BASH), 5);
        InvokeResponse r = lambda.invoke(b -> b.functionName("sh").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"a\":1}")));
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asUtf8String()).isEqualTo("{\"echo\":{\"a\":1},\"handler\":\"my.handler\"}");
        assertThat(log(r)).contains("bash got {\"a\":1}");

        create("nobootstrap", Runtime.PROVIDED_AL2, "x", Zips.zip("other", "x"), 3);
        InvokeResponse missing = invoke("nobootstrap", "{}");
        assertThat(missing.functionError()).isEqualTo("Unhandled");
        assertThat(missing.payload().asUtf8String()).contains("Couldn't find valid bootstrap");
    }

    @Test
    void invocationTypesVersionsAndLimits() throws Exception {
        create("py", Runtime.PYTHON3_12, "app.handler", Zips.zip("app.py", PYTHON), 5);
        assertThat(lambda.invoke(b -> b.functionName("py").invocationType(InvocationType.DRY_RUN)).statusCode()).isEqualTo(204);
        InvokeResponse async = lambda.invoke(b -> b.functionName("py").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"async\"}")));
        assertThat(async.statusCode()).isEqualTo(202);
        long until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until && asyncLines().isEmpty()) {
            Thread.sleep(50);
        }
        assertThat(logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/py").filterPattern("\"hello from python async\""))
                .events()).hasSize(1);

        lambda.publishVersion(b -> b.functionName("py"));
        lambda.createAlias(b -> b.functionName("py").name("live").functionVersion("1"));
        InvokeResponse viaAlias = lambda.invoke(b -> b.functionName("py").qualifier("live"));
        assertThat(viaAlias.executedVersion()).isEqualTo("1");
        assertThat(viaAlias.payload().asUtf8String()).contains("function:py:live");

        assertThatThrownBy(() -> invoke("nope", "{}")).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> invoke("py", "not json")).isInstanceOf(InvalidRequestContentException.class);
        String big = "{\"x\":\"" + "a".repeat(6 * 1024 * 1024) + "\"}";
        assertThatThrownBy(() -> invoke("py", big)).isInstanceOf(RequestTooLargeException.class);

        lambda.putFunctionConcurrency(b -> b.functionName("py").reservedConcurrentExecutions(0));
        assertThatThrownBy(() -> invoke("py", "{}")).isInstanceOf(TooManyRequestsException.class);
    }

    private static List<FilteredLogEvent> asyncLines() {
        try {
            return logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/py").filterPattern("\"hello from python async\"")).events();
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException notYet) {
            return List.of();
        }
    }

    @Test
    void unsupportedRuntimeIsAClearError() {
        create("j", Runtime.RUBY3_3, "x.handler", Zips.zip("x.rb", "x"), 3);
        assertThatThrownBy(() -> invoke("j", "{}")).hasMessageContaining("ruby3.3 is not supported");
    }
}
