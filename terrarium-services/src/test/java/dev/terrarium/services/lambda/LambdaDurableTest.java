package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CallbackTimeoutException;
import software.amazon.awssdk.services.lambda.model.DurableExecutionAlreadyStartedException;
import software.amazon.awssdk.services.lambda.model.Event;
import software.amazon.awssdk.services.lambda.model.EventType;
import software.amazon.awssdk.services.lambda.model.ExecutionStatus;
import software.amazon.awssdk.services.lambda.model.GetDurableExecutionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Durable functions run by AWS's durable execution SDK for JavaScript (installed from npm into
 * target/durable-sdk on first run, shipped to the function as a layer), driven through the SDK for Java.
 */
class LambdaDurableTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
    static final String SDK_VERSION = "2.4.0";

    @RegisterExtension
    static final TerrariumExtension terrarium =
            new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();

    static byte[] sdkLayer;

    static final String WORKFLOW = """
            const { withDurableExecution } = require('@aws/durable-execution-sdk-js');
            exports.handler = withDurableExecution(async (event, context) => {
              const greeting = await context.step('greet', async () => 'hello ' + event.name);
              await context.wait('pause', { hours: 1 });
              const [approval, callbackId] = await context.createCallback('approval', { timeout: { hours: 2 } });
              const answer = await approval;
              if (event.fail) throw new Error('workflow failed: ' + JSON.stringify(answer));
              return { greeting, answer };
            });
            """;

    static final String QUICK = """
            const { withDurableExecution } = require('@aws/durable-execution-sdk-js');
            exports.handler = withDurableExecution(async (event, context) => {
              const a = await context.step('one', async () => 1);
              const b = await context.step('two', async () => a + 1);
              return { sum: a + b, input: event };
            });
            """;

    static final String FLAKY = """
            const { withDurableExecution } = require('@aws/durable-execution-sdk-js');
            exports.handler = withDurableExecution(async (event, context) => {
              const value = await context.step('flaky', async () => {
                globalThis.attempts = (globalThis.attempts || 0) + 1;
                if (globalThis.attempts === 1) throw new Error('first attempt fails');
                return 'attempt ' + globalThis.attempts;
              }, { retryStrategy: (error, attempt) => attempt < 3
                    ? { shouldRetry: true, delay: { minutes: 10 } } : { shouldRetry: false } });
              return value;
            });
            """;

    @BeforeAll
    static void installSdk() throws Exception {
        Path dir = Path.of("target", "durable-sdk").toAbsolutePath();
        Path marker = dir.resolve("node_modules/@aws/durable-execution-sdk-js/package.json");
        if (!Files.exists(marker) || !Files.readString(marker).contains("\"version\": \"" + SDK_VERSION + "\"")) {
            Files.createDirectories(dir);
            Process npm;
            try {
                npm = new ProcessBuilder("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        dir.toString(), "@aws/durable-execution-sdk-js@" + SDK_VERSION)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("npm.log").toFile()).start();
            } catch (IOException e) {
                Assumptions.abort("npm is not installed: " + e.getMessage());
                return;
            }
            boolean done = npm.waitFor(180, TimeUnit.SECONDS);
            Assumptions.assumeTrue(done && npm.exitValue() == 0 && Files.exists(marker),
                    "npm could not install the durable execution SDK (see target/durable-sdk/npm.log)");
        }
        sdkLayer = zipTree(dir.resolve("node_modules"), "nodejs/node_modules/");
    }

    static byte[] zipTree(Path root, String prefix) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(root)) {
            zip.setLevel(1);
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                zip.putNextEntry(new ZipEntry(prefix + root.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, zip);
                zip.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return bytes.toByteArray();
    }

    LambdaClient lambda() {
        return terrarium.client(LambdaClient::builder);
    }

    /** Creates a durable Node function with the SDK layer; returns its qualified name (name:$LATEST). */
    String durable(LambdaClient lambda, String name, String code) {
        String layer = lambda.publishLayerVersion(b -> b.layerName("durable-sdk")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(sdkLayer)))).layerVersionArn();
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.NODEJS22_X).role(ROLE).handler("index.handler")
                .timeout(30).layers(layer)
                .durableConfig(d -> d.executionTimeout(86400).retentionPeriodInDays(7))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("index.js", code)))));
        return name + ":$LATEST";
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static List<Event> history(LambdaClient lambda, String arn) {
        return lambda.getDurableExecutionHistory(b -> b.durableExecutionArn(arn).includeExecutionData(true)).events();
    }

    static boolean has(List<Event> events, EventType type) {
        return events.stream().anyMatch(e -> e.eventType() == type);
    }

    @Test
    void synchronousInvokeRunsTheStepsAndAnswersTheResult() {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "quick", QUICK);
            assertThat(lambda.getFunctionConfiguration(b -> b.functionName("quick")).durableConfig().executionTimeout())
                    .isEqualTo(86400);
            InvokeResponse r = lambda.invoke(b -> b.functionName(fn).payload(SdkBytes.fromUtf8String("{\"x\":1}")));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.functionError()).isNull();
            assertThat(r.payload().asUtf8String()).isEqualTo("{\"sum\":3,\"input\":{\"x\":1}}");
            String arn = r.durableExecutionArn();
            assertThat(arn).startsWith("arn:aws:lambda:us-east-1:000000000000:function:quick:$LATEST/durable-execution/");

            GetDurableExecutionResponse got = lambda.getDurableExecution(b -> b.durableExecutionArn(arn));
            assertThat(got.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(got.result()).isEqualTo("{\"sum\":3,\"input\":{\"x\":1}}");
            assertThat(got.inputPayload()).isEqualTo("{\"x\":1}");
            assertThat(got.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:quick:$LATEST");
            assertThat(got.endTimestamp()).isNotNull();

            List<Event> events = history(lambda, arn);
            assertThat(events).extracting(Event::eventType).containsExactly(EventType.EXECUTION_STARTED,
                    EventType.STEP_STARTED, EventType.STEP_SUCCEEDED, EventType.STEP_STARTED, EventType.STEP_SUCCEEDED,
                    EventType.INVOCATION_COMPLETED, EventType.EXECUTION_SUCCEEDED);
            assertThat(events.get(2).name()).isEqualTo("one");
            assertThat(events.get(2).stepSucceededDetails().result().payload()).isEqualTo("1");
            assertThat(events.get(0).executionStartedDetails().input().payload()).isEqualTo("{\"x\":1}");
            // without IncludeExecutionData the payloads are left out
            Event plain = lambda.getDurableExecutionHistory(b -> b.durableExecutionArn(arn)).events().get(2);
            assertThat(plain.stepSucceededDetails().result().payload()).isNull();

            // a published version keeps its DurableConfig; its executions are listed by that qualifier
            lambda.publishVersion(b -> b.functionName("quick"));
            String v1 = lambda.invoke(b -> b.functionName("quick:1")).durableExecutionArn();
            assertThat(v1).startsWith("arn:aws:lambda:us-east-1:000000000000:function:quick:1/durable-execution/");
            assertThat(lambda.listDurableExecutionsByFunction(b -> b.functionName("quick").qualifier("1"))
                    .durableExecutions()).extracting(x -> x.durableExecutionArn()).containsExactly(v1);
            assertThat(lambda.listDurableExecutionsByFunction(b -> b.functionName("quick")).durableExecutions())
                    .extracting(x -> x.durableExecutionArn()).containsExactly(arn);

            // an unqualified durable function cannot be invoked
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("quick")))
                    .isInstanceOfSatisfying(InvalidParameterValueException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));
        }
    }

    @Test
    void waitResumesWhenTheClockAdvancesAndCallbackCompletesTheExecution() throws Exception {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "flow", WORKFLOW);
            InvokeResponse r = lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)
                    .durableExecutionName("order-1").payload(SdkBytes.fromUtf8String("{\"name\":\"ann\"}")));
            assertThat(r.statusCode()).isEqualTo(202);
            String arn = r.durableExecutionArn();
            assertThat(arn).contains("/durable-execution/order-1/");

            // the step ran, the wait started, the invocation ended PENDING: the execution waits on the clock
            await("the wait to start", () -> has(history(lambda, arn), EventType.INVOCATION_COMPLETED));
            List<Event> events = history(lambda, arn);
            assertThat(events).extracting(Event::eventType).containsExactly(EventType.EXECUTION_STARTED,
                    EventType.STEP_STARTED, EventType.STEP_SUCCEEDED, EventType.WAIT_STARTED,
                    EventType.INVOCATION_COMPLETED);
            assertThat(events.get(3).waitStartedDetails().duration()).isEqualTo(3600);
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).status())
                    .isEqualTo(ExecutionStatus.RUNNING);
            Thread.sleep(300);
            assertThat(history(lambda, arn)).hasSize(5);

            // the same name and input answers the same execution; another input is refused
            assertThat(lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)
                    .durableExecutionName("order-1").payload(SdkBytes.fromUtf8String("{\"name\":\"ann\"}")))
                    .durableExecutionArn()).isEqualTo(arn);
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)
                    .durableExecutionName("order-1").payload(SdkBytes.fromUtf8String("{\"name\":\"bob\"}"))))
                    .isInstanceOfSatisfying(DurableExecutionAlreadyStartedException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(409));

            terrarium.server().clock().advance(Duration.ofMinutes(61));
            await("the callback to start", () -> has(history(lambda, arn), EventType.CALLBACK_STARTED));
            events = history(lambda, arn);
            assertThat(events).extracting(Event::eventType).contains(EventType.WAIT_SUCCEEDED);
            String callbackId = events.stream().filter(e -> e.eventType() == EventType.CALLBACK_STARTED).findFirst()
                    .orElseThrow().callbackStartedDetails().callbackId();
            await("the second invocation to end", () -> history(lambda, arn).stream()
                    .filter(e -> e.eventType() == EventType.INVOCATION_COMPLETED).count() == 2);

            lambda.sendDurableExecutionCallbackHeartbeat(b -> b.callbackId(callbackId));
            lambda.sendDurableExecutionCallbackSuccess(b -> b.callbackId(callbackId)
                    .result(SdkBytes.fromUtf8String("{\"approved\":true}")));
            await("the execution to succeed", () -> lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).status()
                    == ExecutionStatus.SUCCEEDED);
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).result())
                    .as("createCallback's default serdes passes the callback's result through as text")
                    .isEqualTo("{\"greeting\":\"hello ann\",\"answer\":\"{\\\"approved\\\":true}\"}");
            events = history(lambda, arn);
            assertThat(events.get(events.size() - 1).eventType()).isEqualTo(EventType.EXECUTION_SUCCEEDED);
            assertThat(events).extracting(Event::eventType).contains(EventType.CALLBACK_SUCCEEDED);
            // the steps ran once: replays read the checkpointed result
            assertThat(events.stream().filter(e -> e.eventType() == EventType.STEP_STARTED).count()).isEqualTo(1);

            // a completed callback cannot be completed again
            assertThatThrownBy(() -> lambda.sendDurableExecutionCallbackSuccess(b -> b.callbackId(callbackId)))
                    .isInstanceOfSatisfying(InvalidParameterValueException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));

            assertThat(lambda.listDurableExecutionsByFunction(b -> b.functionName("flow")).durableExecutions())
                    .singleElement().satisfies(x -> {
                        assertThat(x.durableExecutionArn()).isEqualTo(arn);
                        assertThat(x.durableExecutionName()).isEqualTo("order-1");
                        assertThat(x.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
                    });
            assertThat(lambda.listDurableExecutionsByFunction(b -> b.functionName("flow")
                    .statuses(ExecutionStatus.RUNNING)).durableExecutions()).isEmpty();
        }
    }

    @Test
    void callbackFailureFailsTheExecutionAndStopEndsARunningOne() throws Exception {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "flow", WORKFLOW);
            String arn = lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"name\":\"cy\"}"))).durableExecutionArn();
            await("the wait to start", () -> has(history(lambda, arn), EventType.INVOCATION_COMPLETED));
            terrarium.server().clock().advance(Duration.ofHours(2));
            await("the callback to start", () -> has(history(lambda, arn), EventType.CALLBACK_STARTED));
            String callbackId = history(lambda, arn).stream().filter(e -> e.eventType() == EventType.CALLBACK_STARTED)
                    .findFirst().orElseThrow().callbackStartedDetails().callbackId();
            lambda.sendDurableExecutionCallbackFailure(b -> b.callbackId(callbackId)
                    .error(e -> e.errorType("Rejected").errorMessage("no approval")));
            await("the execution to fail", () -> lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).status()
                    == ExecutionStatus.FAILED);
            GetDurableExecutionResponse failed = lambda.getDurableExecution(b -> b.durableExecutionArn(arn));
            assertThat(failed.error().errorMessage()).contains("no approval");
            assertThat(history(lambda, arn)).extracting(Event::eventType)
                    .contains(EventType.CALLBACK_FAILED, EventType.EXECUTION_FAILED);

            // a second execution times its callback out, then one is stopped
            String second = lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"name\":\"di\"}"))).durableExecutionArn();
            await("the wait to start", () -> has(history(lambda, second), EventType.INVOCATION_COMPLETED));
            terrarium.server().clock().advance(Duration.ofHours(2));
            await("the callback to start", () -> has(history(lambda, second), EventType.CALLBACK_STARTED));
            String timedOut = history(lambda, second).stream().filter(e -> e.eventType() == EventType.CALLBACK_STARTED)
                    .findFirst().orElseThrow().callbackStartedDetails().callbackId();
            terrarium.server().clock().advance(Duration.ofHours(3));
            await("the callback to time out", () -> has(history(lambda, second), EventType.CALLBACK_TIMED_OUT));
            assertThatThrownBy(() -> lambda.sendDurableExecutionCallbackSuccess(b -> b.callbackId(timedOut)))
                    .isInstanceOfSatisfying(CallbackTimeoutException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));
            await("the execution to fail", () -> lambda.getDurableExecution(b -> b.durableExecutionArn(second))
                    .status() == ExecutionStatus.FAILED);

            String third = lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"name\":\"ed\"}"))).durableExecutionArn();
            await("the wait to start", () -> has(history(lambda, third), EventType.INVOCATION_COMPLETED));
            assertThat(lambda.stopDurableExecution(b -> b.durableExecutionArn(third)
                    .error(e -> e.errorMessage("enough"))).stopTimestamp()).isNotNull();
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(third)).status())
                    .isEqualTo(ExecutionStatus.STOPPED);
            assertThat(history(lambda, third).get(history(lambda, third).size() - 1).eventType())
                    .isEqualTo(EventType.EXECUTION_STOPPED);
            assertThatThrownBy(() -> lambda.stopDurableExecution(b -> b.durableExecutionArn(third)))
                    .isInstanceOf(InvalidParameterValueException.class);
            terrarium.server().clock().advance(Duration.ofHours(2));
            Thread.sleep(300);
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(third)).status())
                    .isEqualTo(ExecutionStatus.STOPPED);

            assertThat(lambda.listDurableExecutionsByFunction(b -> b.functionName("flow").reverseOrder(true)
                    .maxItems(2)).durableExecutions()).extracting(x -> x.durableExecutionArn())
                    .containsExactly(third, second);
        }
    }

    @Test
    void aFailedStepIsRetriedWhenItsRetryIsDueOnTheClock() throws Exception {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "flaky", FLAKY);
            String arn = lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT))
                    .durableExecutionArn();
            await("the first attempt to fail", () -> has(history(lambda, arn), EventType.INVOCATION_COMPLETED));
            Event failed = history(lambda, arn).stream().filter(e -> e.eventType() == EventType.STEP_FAILED)
                    .findFirst().orElseThrow();
            assertThat(failed.stepFailedDetails().error().payload().errorMessage()).isEqualTo("first attempt fails");
            assertThat(failed.stepFailedDetails().retryDetails().currentAttempt()).isEqualTo(1);
            assertThat(failed.stepFailedDetails().retryDetails().nextAttemptDelaySeconds()).isEqualTo(600);
            terrarium.server().clock().advance(Duration.ofMinutes(5));
            Thread.sleep(300);
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).status())
                    .as("the retry is not due yet").isEqualTo(ExecutionStatus.RUNNING);
            terrarium.server().clock().advance(Duration.ofMinutes(6));
            await("the retry to succeed", () -> lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).status()
                    == ExecutionStatus.SUCCEEDED);
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).result()).isEqualTo("\"attempt 2\"");
            Event succeeded = history(lambda, arn).stream().filter(e -> e.eventType() == EventType.STEP_SUCCEEDED)
                    .findFirst().orElseThrow();
            assertThat(succeeded.stepSucceededDetails().retryDetails().currentAttempt()).isEqualTo(2);
        }
    }

    static final String PARENT = """
            const { withDurableExecution } = require('@aws/durable-execution-sdk-js');
            exports.handler = withDurableExecution(async (event, context) => {
              const plain = await context.invoke('double', 'double', { n: 21 });
              const durable = await context.invoke('child', 'quick:$LATEST', { from: 'parent' });
              let missing;
              try { await context.invoke('missing', 'nope', {}); } catch (e) { missing = e.message; }
              return { plain, durable, missing };
            });
            """;

    @Test
    void chainedInvokesRunPlainAndDurableFunctions() throws Exception {
        try (LambdaClient lambda = lambda()) {
            durable(lambda, "quick", QUICK);
            lambda.createFunction(b -> b.functionName("double").runtime(Runtime.NODEJS22_X).role(ROLE)
                    .handler("index.handler").code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("index.js",
                            "exports.handler = async (e) => ({ doubled: e.n * 2 });\n")))));
            String fn = durable(lambda, "parent", PARENT);
            InvokeResponse r = lambda.invoke(b -> b.functionName(fn));
            assertThat(r.functionError()).isNull();
            assertThat(r.payload().asUtf8String()).contains("\"plain\":{\"doubled\":42}",
                    "\"durable\":{\"sum\":3,\"input\":{\"from\":\"parent\"}}", "Function not found");
            List<Event> events = history(lambda, r.durableExecutionArn());
            assertThat(events).extracting(Event::eventType).contains(EventType.CHAINED_INVOKE_STARTED,
                    EventType.CHAINED_INVOKE_SUCCEEDED, EventType.CHAINED_INVOKE_FAILED);
            String child = events.stream().filter(e -> e.eventType() == EventType.CHAINED_INVOKE_STARTED
                    && "child".equals(e.name())).findFirst().orElseThrow().chainedInvokeStartedDetails().durableExecutionArn();
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(child)).status())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void aSynchronousInvokeWaitsForTheWholeExecutionAndTimeoutsEndIt() throws Exception {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "flow", WORKFLOW);
            java.util.concurrent.CompletableFuture<InvokeResponse> sync = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> lambda.invoke(b -> b.functionName(fn).durableExecutionName("sync")
                            .payload(SdkBytes.fromUtf8String("{\"name\":\"fay\",\"fail\":true}"))));
            await("the execution to start", () -> !lambda.listDurableExecutionsByFunction(b -> b.functionName("flow"))
                    .durableExecutions().isEmpty());
            String arn = lambda.listDurableExecutionsByFunction(b -> b.functionName("flow")).durableExecutions().get(0)
                    .durableExecutionArn();
            await("the wait to start", () -> has(history(lambda, arn), EventType.INVOCATION_COMPLETED));
            assertThat(sync).isNotDone();
            terrarium.server().clock().advance(Duration.ofHours(1));
            await("the callback to start", () -> has(history(lambda, arn), EventType.CALLBACK_STARTED));
            String callbackId = history(lambda, arn).stream().filter(e -> e.eventType() == EventType.CALLBACK_STARTED)
                    .findFirst().orElseThrow().callbackStartedDetails().callbackId();
            lambda.sendDurableExecutionCallbackSuccess(b -> b.callbackId(callbackId).result(SdkBytes.fromUtf8String("7")));
            InvokeResponse r = sync.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.functionError()).isEqualTo("Unhandled");
            assertThat(r.durableExecutionArn()).isEqualTo(arn);
            assertThat(r.payload().asUtf8String()).contains("workflow failed: \\\"7\\\"");

            // ExecutionTimeout (here 2 hours) ends an execution that waits longer
            lambda.updateFunctionConfiguration(b -> b.functionName("flow").durableConfig(d -> d.executionTimeout(7200)));
            assertThat(lambda.getFunction(b -> b.functionName("flow")).configuration().durableConfig().executionTimeout())
                    .isEqualTo(7200);
            String slow = lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"name\":\"gus\"}"))).durableExecutionArn();
            await("the wait to start", () -> has(history(lambda, slow), EventType.INVOCATION_COMPLETED));
            terrarium.server().clock().advance(Duration.ofHours(1));
            await("the callback to start", () -> has(history(lambda, slow), EventType.CALLBACK_STARTED));
            terrarium.server().clock().advance(Duration.ofMinutes(61));
            await("the execution to time out", () -> lambda.getDurableExecution(b -> b.durableExecutionArn(slow))
                    .status() == ExecutionStatus.TIMED_OUT);
            assertThat(history(lambda, slow).get(history(lambda, slow).size() - 1).eventType())
                    .isEqualTo(EventType.EXECUTION_TIMED_OUT);
        }
    }

    @Test
    void aFunctionThatDoesNotAnswerADurableStatusFailsAfterThreeInvocations() throws Exception {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "plain", "exports.handler = async (e) => { throw new Error('not durable'); };\n");
            InvokeResponse r = lambda.invoke(b -> b.functionName(fn));
            assertThat(r.functionError()).isEqualTo("Unhandled");
            assertThat(r.payload().asUtf8String()).contains("not durable");
            List<Event> events = history(lambda, r.durableExecutionArn());
            assertThat(events.stream().filter(e -> e.eventType() == EventType.INVOCATION_COMPLETED))
                    .hasSize(3).allSatisfy(e -> assertThat(e.invocationCompletedDetails().error().payload().errorMessage())
                            .isEqualTo("not durable"));
            assertThat(events.get(events.size() - 1).eventType()).isEqualTo(EventType.EXECUTION_FAILED);
        }
    }

    static final String MANY = """
            const { withDurableExecution } = require('@aws/durable-execution-sdk-js');
            exports.handler = withDurableExecution(async (event, context) => {
              let total = 0;
              for (let i = 0; i < 120; i++) total += await context.step('s' + i, async () => i);
              await context.wait({ minutes: 5 });
              return total + await context.step('last', async () => 1000);
            });
            """;

    static final String RAW = """
            const { LambdaClient, CheckpointDurableExecutionCommand } = require('@aws-sdk/client-lambda');
            const client = new LambdaClient({});
            exports.handler = async (event) => {
              const arn = event.DurableExecutionArn;
              const req = { DurableExecutionArn: arn, CheckpointToken: event.CheckpointToken, ClientToken: 'c1',
                Updates: [{ Id: 's1', Type: 'STEP', Action: 'START', Name: 'raw' }] };
              const first = await client.send(new CheckpointDurableExecutionCommand(req));
              const again = await client.send(new CheckpointDurableExecutionCommand(req));
              let stale, bad;
              try { await client.send(new CheckpointDurableExecutionCommand({ ...req, ClientToken: 'c2' })); }
              catch (e) { stale = e.name + ': ' + e.message; }
              try { await client.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn,
                  CheckpointToken: first.CheckpointToken, Updates: [{ Id: 'w1', Type: 'WAIT', Action: 'RETRY' }] })); }
              catch (e) { bad = e.name + ': ' + e.message; }
              const done = await client.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn,
                CheckpointToken: first.CheckpointToken, Updates: [{ Id: 's1', Type: 'STEP', Action: 'SUCCEED', Payload: '"ok"' }] }));
              return { Status: 'SUCCEEDED', Result: JSON.stringify({ same: first.CheckpointToken === again.CheckpointToken,
                stale, bad, ops: done.NewExecutionState.Operations.map(o => o.Id + ':' + o.Status + ':' + o.StepDetails.Result) }) };
            };
            """;

    @Test
    void manyOperationsArePagedThroughGetDurableExecutionState() throws Exception {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "many", MANY);
            String arn = lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)).durableExecutionArn();
            await("the wait to start", () -> lambda.getDurableExecutionHistory(b -> b.durableExecutionArn(arn)
                    .reverseOrder(true).maxItems(1)).events().get(0).eventType() == EventType.INVOCATION_COMPLETED);
            assertThat(lambda.getDurableExecutionHistory(b -> b.durableExecutionArn(arn).reverseOrder(true).maxItems(2))
                    .events()).extracting(Event::eventType)
                    .containsExactly(EventType.INVOCATION_COMPLETED, EventType.WAIT_STARTED);
            terrarium.server().clock().advance(Duration.ofMinutes(5));
            await("the execution to succeed", () -> lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).status()
                    == ExecutionStatus.SUCCEEDED);
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).result()).isEqualTo("8140");
            List<Event> events = new java.util.ArrayList<>();
            String marker = null;
            do {
                String m = marker;
                var page = lambda.getDurableExecutionHistory(b -> b.durableExecutionArn(arn).maxItems(100).marker(m));
                events.addAll(page.events());
                marker = page.nextMarker();
            } while (marker != null);
            assertThat(events.stream().filter(e -> e.eventType() == EventType.STEP_STARTED)).hasSize(121);
            assertThat(events).extracting(Event::eventId).doesNotHaveDuplicates().hasSize(events.size());
        }
    }

    @Test
    void checkpointsFollowTheirTokensAndClientTokens() {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "raw", RAW);
            InvokeResponse r = lambda.invoke(b -> b.functionName(fn));
            assertThat(r.functionError()).isNull();
            String body = r.payload().asUtf8String();
            assertThat(body).contains("\"same\":true", "\"ops\":[\"s1:SUCCEEDED:\\\"ok\\\"\"]",
                    "\"stale\":\"InvalidParameterValueException: Invalid Checkpoint Token",
                    "\"bad\":\"InvalidParameterValueException: Invalid action RETRY for operation type WAIT.\"");
            List<Event> events = history(lambda, r.durableExecutionArn());
            assertThat(events.stream().filter(e -> e.eventType() == EventType.STEP_STARTED)).hasSize(1);
        }
    }

    static final String CONCURRENT = """
            const { withDurableExecution } = require('@aws/durable-execution-sdk-js');
            exports.handler = withDurableExecution(async (event, context) => {
              const squares = (await context.map('squares', [1, 2, 3],
                  async (ctx, item) => ctx.step('square', async () => item * item))).getResults();
              const both = (await context.parallel('both', [
                  async (ctx) => ctx.step('a', async () => 'A'),
                  async (ctx) => { await ctx.wait({ minutes: 1 }); return ctx.step('b', async () => 'B'); },
              ])).getResults();
              const child = await context.runInChildContext('child', async (ctx) => ctx.step('inner', async () => 'in'));
              const cb = await context.waitForCallback('approval', async (callbackId) => { globalThis.cb = callbackId; });
              return { squares, both, child, cb };
            });
            """;

    @Test
    void mapParallelChildContextsAndWaitForCallbackCheckpointContexts() throws Exception {
        try (LambdaClient lambda = lambda()) {
            String fn = durable(lambda, "concurrent", CONCURRENT);
            String arn = lambda.invoke(b -> b.functionName(fn).invocationType(InvocationType.EVENT)).durableExecutionArn();
            await("the parallel wait", () -> has(history(lambda, arn), EventType.WAIT_STARTED)
                    && has(history(lambda, arn), EventType.INVOCATION_COMPLETED));
            terrarium.server().clock().advance(Duration.ofMinutes(1));
            await("the callback to start", () -> has(history(lambda, arn), EventType.CALLBACK_STARTED));
            String callbackId = history(lambda, arn).stream().filter(e -> e.eventType() == EventType.CALLBACK_STARTED)
                    .findFirst().orElseThrow().callbackStartedDetails().callbackId();
            lambda.sendDurableExecutionCallbackSuccess(b -> b.callbackId(callbackId)
                    .result(SdkBytes.fromUtf8String("{\"ok\":1}")));
            await("the execution to succeed", () -> lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).status()
                    == ExecutionStatus.SUCCEEDED);
            assertThat(lambda.getDurableExecution(b -> b.durableExecutionArn(arn)).result()).isEqualTo(
                    "{\"squares\":[1,4,9],\"both\":[\"A\",\"B\"],\"child\":\"in\",\"cb\":\"{\\\"ok\\\":1}\"}");
            List<Event> events = history(lambda, arn);
            assertThat(events).extracting(Event::eventType).contains(EventType.CONTEXT_STARTED, EventType.CONTEXT_SUCCEEDED);
            assertThat(events).filteredOn(e -> e.eventType() == EventType.STEP_STARTED && "square".equals(e.name()))
                    .hasSize(3).allSatisfy(e -> assertThat(e.parentId()).isNotNull());
        }
    }

    @Test
    void errorsCarryAwsCodesAndStatuses() {
        try (LambdaClient lambda = lambda()) {
            String missing = "arn:aws:lambda:us-east-1:000000000000:function:nope:$LATEST/durable-execution/x/y";
            assertThatThrownBy(() -> lambda.getDurableExecution(b -> b.durableExecutionArn(missing)))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(404);
                        assertThat(e.awsErrorDetails().errorMessage()).contains(missing);
                    });
            assertThatThrownBy(() -> lambda.getDurableExecutionHistory(b -> b.durableExecutionArn(missing)))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> lambda.stopDurableExecution(b -> b.durableExecutionArn(missing)))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> lambda.checkpointDurableExecution(b -> b.durableExecutionArn(missing)
                    .checkpointToken("abc")))
                    .isInstanceOfSatisfying(InvalidParameterValueException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));
            assertThatThrownBy(() -> lambda.sendDurableExecutionCallbackSuccess(b -> b.callbackId("abcd")))
                    .isInstanceOf(InvalidParameterValueException.class);
            assertThatThrownBy(() -> lambda.getDurableExecution(b -> b.durableExecutionArn("not-an-arn")))
                    .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
            assertThatThrownBy(() -> lambda.listDurableExecutionsByFunction(b -> b.functionName("nope")))
                    .isInstanceOf(ResourceNotFoundException.class);

            String fn = durable(lambda, "quick", QUICK);
            String arn = lambda.invoke(b -> b.functionName(fn)).durableExecutionArn();
            // the execution is over: its last token is no longer valid
            assertThatThrownBy(() -> lambda.checkpointDurableExecution(b -> b.durableExecutionArn(arn)
                    .checkpointToken("abc")))
                    .isInstanceOfSatisfying(InvalidParameterValueException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));
            assertThatThrownBy(() -> lambda.getDurableExecutionState(b -> b.durableExecutionArn(arn)
                    .checkpointToken("abc")))
                    .isInstanceOfSatisfying(InvalidParameterValueException.class,
                            e -> assertThat(e.awsErrorDetails().errorMessage()).startsWith("Invalid Checkpoint Token"));
        }
    }
}
