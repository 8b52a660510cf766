package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvalidRuntimeException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PackageType Image functions, run through a fake Docker engine (FakeDockerEngine: its "containers" are local
 * processes given the container's environment), and without any Docker engine.
 */
class LambdaImageTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
    static final String IMAGE = "terrarium-test/echo:1";

    /** What the image's /lambda-entrypoint.sh would do with AWS_LAMBDA_RUNTIME_API set: run a runtime client. */
    static final String ENTRYPOINT = """
            HANDLER="$1"
            API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
            echo "container init handler=$HANDLER"
            COUNT=0
            while true; do
              HEADERS="$(mktemp)"
              EVENT=$(curl -sS -LD "$HEADERS" "$API/invocation/next")
              ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
              rm -f "$HEADERS"
              COUNT=$((COUNT+1))
              echo "container got $EVENT"
              case "$EVENT" in *sleep*) sleep 5;; esac
              curl -sS -X POST "$API/invocation/$ID/response" -d "{\\"count\\":$COUNT,\\"handler\\":\\"$HANDLER\\",\\"greeting\\":\\"$GREETING\\",\\"fn\\":\\"$AWS_LAMBDA_FUNCTION_NAME\\",\\"dir\\":\\"$PWD\\",\\"event\\":$EVENT}" > /dev/null
            done
            """;

    private static TestServer terrarium;
    private static LambdaClient lambda;
    private static CloudWatchLogsClient logs;
    private static Path script;
    private FakeDockerEngine docker;

    @BeforeAll
    static void start() throws IOException {
        terrarium = TestServer.start();
        lambda = terrarium.client(LambdaClient::builder);
        logs = terrarium.client(CloudWatchLogsClient::builder);
        script = Files.createTempFile("fake-image-entrypoint-", ".sh");
        Files.writeString(script, ENTRYPOINT);
    }

    @AfterAll
    static void stop() throws IOException {
        lambda.close();
        logs.close();
        terrarium.close();
        Files.deleteIfExists(script);
    }

    @BeforeEach
    void reset() {
        terrarium.reset();
    }

    @AfterEach
    void closeDocker() throws IOException {
        terrarium.reset();
        System.clearProperty("terrarium.docker.host");
        if (docker != null) {
            docker.close();
        }
    }

    private void useDocker(FakeDockerEngine engine) {
        docker = engine;
        engine.publish(IMAGE, script, "app.handler");
        System.setProperty("terrarium.docker.host", engine.endpoint());
    }

    private static CreateFunctionResponse createImage(String name, int timeout) {
        return lambda.createFunction(b -> b.functionName(name).packageType(PackageType.IMAGE).role(ROLE).timeout(timeout)
                .memorySize(256).environment(e -> e.variables(Map.of("GREETING", "hello")))
                .code(c -> c.imageUri(IMAGE)));
    }

    private static InvokeResponse invoke(String name, String payload) {
        return lambda.invoke(b -> b.functionName(name).logType(LogType.TAIL).payload(SdkBytes.fromUtf8String(payload)));
    }

    private static String log(InvokeResponse r) {
        return new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
    }

    @Test
    void imageFunctionRunsInAContainerWarmWithLogsTimeoutsAndOverrides() throws Exception {
        useDocker(FakeDockerEngine.unix());
        CreateFunctionResponse created = createImage("img", 1);
        assertThat(created.packageType()).isEqualTo(PackageType.IMAGE);
        assertThat(created.runtime()).isNull();
        assertThat(created.handler()).isNull();
        assertThat(created.codeSize()).isZero();
        assertThat(created.codeSha256()).matches("[0-9a-f]{64}");
        assertThat(created.imageConfigResponse()).isNull();
        assertThat(docker.pulls).as("creating a function pulls nothing").isEmpty();

        InvokeResponse first = invoke("img", "{\"a\":1}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.functionError()).isNull();
        assertThat(first.payload().asUtf8String()).isEqualTo("{\"count\":1,\"handler\":\"app.handler\",\"greeting\":\"hello\","
                + "\"fn\":\"img\",\"dir\":\"" + Path.of("").toAbsolutePath() + "\",\"event\":{\"a\":1}}");
        String tail = log(first);
        assertThat(tail).contains("START RequestId: ", "container init handler=app.handler", "container got {\"a\":1}",
                "END RequestId: ", "REPORT RequestId: ", "Memory Size: 256 MB");
        assertThat(tail.indexOf("START")).isLessThan(tail.indexOf("container got")).isLessThan(tail.indexOf("END"));

        assertThat(invoke("img", "{\"a\":2}").payload().asUtf8String()).as("the warm container is reused")
                .startsWith("{\"count\":2,");
        assertThat(docker.pulls).containsExactly(IMAGE);
        assertThat(docker.created).hasSize(1);
        FakeDockerEngine.Container c = docker.created.get(0);
        assertThat(c.name).startsWith("terrarium-lambda-img-");
        assertThat(c.config.get("Image")).isEqualTo(IMAGE);
        assertThat(c.env()).contains("GREETING=hello", "AWS_LAMBDA_FUNCTION_NAME=img", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
                "LAMBDA_TASK_ROOT=/var/task", "AWS_REGION=us-east-1");
        assertThat(c.env()).anyMatch(e -> e.matches("AWS_LAMBDA_RUNTIME_API=127\\.0\\.0\\.1:\\d+"));
        assertThat(c.env()).as("nothing of this machine's environment")
                .noneMatch(e -> e.startsWith("PATH=") || e.startsWith("TMPDIR=") || e.startsWith("HOME=") || e.startsWith("_HANDLER="));
        assertThat(c.config).doesNotContainKeys("Entrypoint", "Cmd", "WorkingDir");
        assertThat(c.hostConfig()).containsEntry("NetworkMode", "host").containsEntry("Memory", 256 * 1024 * 1024);

        GetFunctionResponse got = lambda.getFunction(b -> b.functionName("img"));
        assertThat(got.code().imageUri()).isEqualTo(IMAGE);
        assertThat(got.code().repositoryType()).isEqualTo("ECR");
        assertThat(got.code().location()).isNull();
        assertThat(got.code().resolvedImageUri()).as("learned from the engine").matches("terrarium-test/echo@sha256:[0-9a-f]{64}");
        assertThat(got.configuration().packageType()).isEqualTo(PackageType.IMAGE);

        // a timeout kills and removes the container; the next invocation gets a new one, the image is not pulled again
        long start = System.nanoTime();
        InvokeResponse timedOut = invoke("img", "{\"sleep\":5}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(timedOut.functionError()).isEqualTo("Unhandled");
        assertThat(timedOut.payload().asUtf8String()).contains("Task timed out after 1.00 seconds");
        assertThat(docker.calls).contains("DELETE /containers/" + c.id + "?force=true&v=true");
        assertThat(docker.containers).doesNotContainKey(c.id);
        assertThat(c.process.isAlive()).isFalse();
        assertThat(invoke("img", "{\"a\":3}").payload().asUtf8String()).startsWith("{\"count\":1,");
        assertThat(docker.created).hasSize(2);
        assertThat(docker.pulls).hasSize(1);

        List<FilteredLogEvent> events = logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/img")).events();
        assertThat(events).extracting(FilteredLogEvent::message).anyMatch(m -> m.startsWith("container got {\"a\":2}"))
                .anyMatch(m -> m.contains("Task timed out after 1.00 seconds"));

        // ImageConfig overrides CMD and WORKDIR (and ENTRYPOINT); the new configuration runs in a new container
        Path workDir = Files.createTempDirectory("image-workdir-");
        var updated = lambda.updateFunctionConfiguration(b -> b.functionName("img").imageConfig(i -> i
                .entryPoint("/bin/bash", script.toString()).command("other.handler").workingDirectory(workDir.toString())));
        assertThat(updated.imageConfigResponse().imageConfig().command()).containsExactly("other.handler");
        assertThat(updated.imageConfigResponse().imageConfig().workingDirectory()).isEqualTo(workDir.toString());
        assertThat(invoke("img", "{}").payload().asUtf8String())
                .contains("\"handler\":\"other.handler\"", "\"dir\":\"" + workDir.toRealPath() + "\"");
        FakeDockerEngine.Container overridden = docker.created.get(docker.created.size() - 1);
        assertThat(overridden.config).containsEntry("Cmd", List.of("other.handler"))
                .containsEntry("Entrypoint", List.of("/bin/bash", script.toString()))
                .containsEntry("WorkingDir", workDir.toString());
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("img")).imageConfigResponse().imageConfig().entryPoint())
                .containsExactly("/bin/bash", script.toString());

        terrarium.reset();
        assertThat(docker.running()).as("every container is removed on reset").isEmpty();
        assertThat(docker.containers).isEmpty();
        Files.deleteIfExists(workDir);
    }

    @Test
    void dockerOverTcpAndAnImageThatCannotBePulled() throws Exception {
        useDocker(FakeDockerEngine.tcp());
        createImage("tcp", 3);
        InvokeResponse ok = invoke("tcp", "{\"b\":1}");
        assertThat(ok.functionError()).isNull();
        assertThat(ok.payload().asUtf8String()).startsWith("{\"count\":1,").endsWith("\"event\":{\"b\":1}}");

        lambda.createFunction(b -> b.functionName("missing").packageType(PackageType.IMAGE).role(ROLE)
                .code(c -> c.imageUri("terrarium-test/nothing:2")));
        InvokeResponse missing = invoke("missing", "{}");
        assertThat(missing.statusCode()).isEqualTo(200);
        assertThat(missing.functionError()).isEqualTo("Unhandled");
        assertThat(missing.payload().asUtf8String()).contains("Docker could not provide image terrarium-test/nothing:2",
                "pull access denied for terrarium-test/nothing");
        assertThat(docker.pulls).containsExactly(IMAGE, "terrarium-test/nothing:2");

        // a new image: UpdateFunctionCode takes ImageUri and keeps the ImageConfig
        String before = lambda.getFunction(b -> b.functionName("tcp")).configuration().codeSha256();
        docker.publish("terrarium-test/echo:2", script, "v2.handler");
        var updated = lambda.updateFunctionCode(b -> b.functionName("tcp").imageUri("terrarium-test/echo:2"));
        assertThat(updated.codeSha256()).isNotEqualTo(before);
        assertThat(lambda.getFunction(b -> b.functionName("tcp")).code().imageUri()).isEqualTo("terrarium-test/echo:2");
        assertThat(invoke("tcp", "{}").payload().asUtf8String()).contains("\"handler\":\"v2.handler\"", "\"count\":1,");

        // a published version and an alias run in their own container; an Event invocation too, logged
        String version = lambda.publishVersion(b -> b.functionName("tcp")).version();
        lambda.createAlias(b -> b.functionName("tcp").name("live").functionVersion(version));
        InvokeResponse viaAlias = lambda.invoke(b -> b.functionName("tcp").qualifier("live")
                .payload(SdkBytes.fromUtf8String("{\"via\":\"alias\"}")));
        assertThat(viaAlias.executedVersion()).isEqualTo(version);
        assertThat(viaAlias.payload().asUtf8String()).contains("\"handler\":\"v2.handler\"", "\"event\":{\"via\":\"alias\"}");
        assertThat(docker.created.get(docker.created.size() - 1).env()).contains("AWS_LAMBDA_FUNCTION_VERSION=" + version);
        assertThat(lambda.invoke(b -> b.functionName("tcp").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"async\":1}"))).statusCode()).isEqualTo(202);
        long deadline = System.currentTimeMillis() + 5000;
        List<FilteredLogEvent> got = List.of();
        while (got.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            got = logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/tcp").filterPattern("\"container got\" async")).events();
        }
        assertThat(got).as("the Event invocation ran in a container").hasSize(1);
    }

    /** A runtime that answers right after it printed, as AWS's runtime interface clients do. */
    static final String PYTHON_RUNTIME = """
            import json, os, urllib.request
            api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
            while True:
                with urllib.request.urlopen(api + "/invocation/next") as r:
                    rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                    event = json.loads(r.read())
                print("py container says", json.dumps(event), flush=True)
                answer = urllib.request.Request(api + "/invocation/" + rid + "/response", method="POST",
                                                data=json.dumps({"ok": event}).encode())
                urllib.request.urlopen(answer).read()
            """;

    @Test
    void outputRelayedLateByTheEngineStaysWithItsInvocation() throws Exception {
        useDocker(FakeDockerEngine.unix());
        Process which = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        String python = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(which.waitFor() == 0 && !python.isEmpty(), "no python3");
        Path runtime = Files.createTempFile("fake-image-runtime-", ".py");
        Files.writeString(runtime, PYTHON_RUNTIME);
        docker.publish("terrarium-test/py:1", List.of(python, "-u", runtime.toString()));
        docker.logDelayMillis = 5;
        lambda.createFunction(b -> b.functionName("py").packageType(PackageType.IMAGE).role(ROLE)
                .code(c -> c.imageUri("terrarium-test/py:1")));
        for (int i = 0; i < 5; i++) {
            String payload = "{\"i\": " + i + "}";
            InvokeResponse r = invoke("py", payload);
            assertThat(r.payload().asUtf8String()).isEqualTo("{\"ok\": " + payload + "}");
            assertThat(log(r)).as("invocation " + i).contains("py container says " + payload);
        }
        Files.deleteIfExists(runtime);
    }

    @Test
    void theAwsCliDeploysAndInvokesAnImageFunction() throws Exception {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        useDocker(FakeDockerEngine.unix());
        AwsCli.Result created = AwsCli.run(terrarium, Map.of(), "lambda", "create-function", "--function-name", "cli-img",
                "--package-type", "Image", "--code", "ImageUri=" + IMAGE, "--role", ROLE,
                "--image-config", "Command=cli.handler");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(created.stdout()).contains("\"PackageType\": \"Image\"", "\"cli.handler\"");
        assertThat(AwsCli.run(terrarium, Map.of(), "lambda", "wait", "function-active-v2", "--function-name", "cli-img")
                .exitCode()).isZero();
        Path out = Files.createTempFile("cli-img-", ".json");
        AwsCli.Result invoked = AwsCli.run(terrarium, Map.of(), "lambda", "invoke", "--function-name", "cli-img",
                "--payload", "{\"n\": 7}", out.toString());
        assertThat(invoked.exitCode()).as(invoked.stderr()).isZero();
        assertThat(Files.readString(out)).contains("\"handler\":\"cli.handler\"", "\"event\":{\"n\": 7}");
        AwsCli.Result got = AwsCli.run(terrarium, Map.of(), "lambda", "get-function", "--function-name", "cli-img");
        assertThat(got.stdout()).contains("\"ImageUri\": \"" + IMAGE + "\"", "\"RepositoryType\": \"ECR\"");
        Files.deleteIfExists(out);
    }

    @Test
    void withoutDockerFunctionsAreCreatedAndInvocationsFailClearly() {
        System.setProperty("terrarium.docker.host", "unix:///nonexistent/terrarium-test/docker.sock");
        CreateFunctionResponse created = createImage("nodocker", 3);
        assertThat(created.stateAsString()).isIn("Pending", "Active");
        assertThat(lambda.getFunction(b -> b.functionName("nodocker")).configuration().stateAsString()).isEqualTo("Active");

        for (InvocationType type : List.of(InvocationType.REQUEST_RESPONSE, InvocationType.EVENT)) {
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("nodocker").invocationType(type)))
                    .isInstanceOfSatisfying(InvalidRuntimeException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(502);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRuntimeException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("Docker is not available",
                                "unix:///nonexistent/terrarium-test/docker.sock", "DOCKER_HOST");
                    });
        }
        assertThat(lambda.listFunctions().functions()).extracting(f -> f.functionName()).contains("nodocker");

        System.setProperty("terrarium.docker.host", "ssh://user@host");
        assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("nodocker")))
                .isInstanceOfSatisfying(InvalidRuntimeException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .contains("Docker endpoint must be unix://PATH or tcp://HOST:PORT, not ssh://user@host"));
    }

    @Test
    void imageParametersAreCheckedAsLambdaDoes() {
        System.setProperty("terrarium.docker.host", "unix:///nonexistent/terrarium-test/docker.sock");
        expectInvalid(() -> lambda.createFunction(b -> b.functionName("x").packageType(PackageType.IMAGE).role(ROLE)
                        .handler("app.handler").code(c -> c.imageUri(IMAGE))),
                "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.");
        expectInvalid(() -> lambda.createFunction(b -> b.functionName("x").packageType(PackageType.IMAGE).role(ROLE)
                        .runtime(Runtime.PYTHON3_12).code(c -> c.imageUri(IMAGE))),
                "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.");
        expectInvalid(() -> lambda.createFunction(b -> b.functionName("x").packageType(PackageType.IMAGE).role(ROLE)
                        .layers("arn:aws:lambda:us-east-1:000000000000:layer:l:1").code(c -> c.imageUri(IMAGE))),
                "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.");
        expectInvalid(() -> lambda.createFunction(b -> b.functionName("x").packageType(PackageType.IMAGE).role(ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("a", "b"))))),
                "Please don't provide ZipFile or S3Bucket/S3Key when the intended function PackageType is Image");
        expectInvalid(() -> lambda.createFunction(b -> b.functionName("x").packageType(PackageType.IMAGE).role(ROLE)
                .code(c -> c.imageUri(""))), "Please provide ImageUri when PackageType is Image.");
        expectInvalid(() -> lambda.createFunction(b -> b.functionName("x").packageType(PackageType.IMAGE).role(ROLE)
                .code(c -> c.imageUri("Not A Valid/Image::"))), "Source image Not A Valid/Image:: is not valid.");
        expectInvalid(() -> lambda.createFunction(b -> b.functionName("x").role(ROLE).runtime(Runtime.PYTHON3_12)
                        .handler("a.b").code(c -> c.imageUri(IMAGE))),
                "Please don't provide ImageUri or ImageConfig when the intended function PackageType is Zip.");
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("x").packageType(PackageType.IMAGE).role(ROLE)
                .code(c -> c.imageUri(IMAGE)).imageConfig(i -> i.workingDirectory("/" + "d".repeat(1000)))))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("workingDirectory", "1000");
                });
        assertThat(lambda.listFunctions().functions()).isEmpty();

        createImage("img", 3);
        expectInvalid(() -> lambda.updateFunctionCode(b -> b.functionName("img").zipFile(SdkBytes.fromByteArray(Zips.zip("a", "b")))),
                "Please provide ImageUri when updating a function with packageType Image.");
        expectInvalid(() -> lambda.updateFunctionConfiguration(b -> b.functionName("img").handler("a.b")),
                "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.");
        lambda.createFunction(b -> b.functionName("zip").role(ROLE).runtime(Runtime.PYTHON3_12).handler("a.b")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("a.py", "x = 1")))));
        expectInvalid(() -> lambda.updateFunctionCode(b -> b.functionName("zip").imageUri(IMAGE)),
                "Please don't provide ImageUri when updating a function with packageType Zip.");
        expectInvalid(() -> lambda.updateFunctionConfiguration(b -> b.functionName("zip").imageConfig(i -> i.command("x"))),
                "ImageConfig is only supported for functions with PackageType Image.");
        assertThat(lambda.getFunction(b -> b.functionName("img")).code().imageUri()).isEqualTo(IMAGE);
    }

    private static void expectInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(InvalidParameterValueException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).startsWith(message);
        });
    }
}
