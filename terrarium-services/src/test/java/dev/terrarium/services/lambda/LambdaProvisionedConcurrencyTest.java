package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Provisioned concurrency: environments initialized ahead of the invocations, kept warm, used without a cold start. */
class LambdaProvisionedConcurrencyTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    @RegisterExtension
    static TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();

    /** Each init appends "type pid version" to $INIT_LOG; the handler answers its init type, pid and invocation count. */
    static final String APP = """
            import os, time
            INIT_TYPE = os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]
            if os.environ.get("FAIL_PROVISIONED") and INIT_TYPE == "provisioned-concurrency":
                raise Exception("Intentional failure upon provisioned concurrency initialization")
            with open(os.environ["INIT_LOG"], "a") as f:
                f.write(INIT_TYPE + " " + str(os.getpid()) + " " + os.environ["AWS_LAMBDA_FUNCTION_VERSION"] + "\\n")
            print("init done in", INIT_TYPE)
            COUNT = 0
            def handler(event, context):
                global COUNT
                COUNT += 1
                if "mark" in event:
                    open(event["mark"], "w").close()
                time.sleep(event.get("sleep", 0))
                return {"type": INIT_TYPE, "pid": os.getpid(), "count": COUNT}
            """;

    private LambdaClient lambda;

    private void deploy(Path initLog, Map<String, String> extra) {
        lambda = terrarium.client(LambdaClient::builder);
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("INIT_LOG", initLog.toString());
        lambda.createFunction(b -> b.functionName("pc").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .environment(e -> e.variables(env)).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", APP)))));
        lambda.publishVersion(b -> b.functionName("pc"));
        lambda.createAlias(b -> b.functionName("pc").name("live").functionVersion("1"));
    }

    private GetProvisionedConcurrencyConfigResponse awaitConfig(String qualifier,
                                                                Predicate<GetProvisionedConcurrencyConfigResponse> done)
            throws InterruptedException {
        long until = System.currentTimeMillis() + 15_000;
        GetProvisionedConcurrencyConfigResponse got;
        do {
            got = lambda.getProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier(qualifier));
            if (done.test(got)) {
                return got;
            }
            Thread.sleep(25);
        } while (System.currentTimeMillis() < until);
        return got;
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static String report(InvokeResponse r) {
        String log = new String(Base64.getDecoder().decode(r.logResult()));
        return log.lines().filter(l -> l.startsWith("REPORT ")).findFirst().orElseThrow();
    }

    private static Map<String, Object> answer(InvokeResponse r) {
        return Json.object(r.payload().asByteArray());
    }

    @Test
    void firstInvokeAfterReadyHasNoInit(@TempDir Path dir) throws Exception {
        Path inits = dir.resolve("inits.log");
        deploy(inits, Map.of());

        var put = lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("live")
                .provisionedConcurrentExecutions(2));
        assertThat(put.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.IN_PROGRESS);
        assertThat(put.allocatedProvisionedConcurrentExecutions()).isZero();
        assertThat(put.availableProvisionedConcurrentExecutions()).isZero();

        var ready = awaitConfig("live", c -> c.status() == ProvisionedConcurrencyStatusEnum.READY);
        assertThat(ready.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
        assertThat(ready.allocatedProvisionedConcurrentExecutions()).isEqualTo(2);
        assertThat(ready.availableProvisionedConcurrentExecutions()).isEqualTo(2);
        assertThat(ready.statusReason()).isNull();
        // both environments ran their init before any invocation, as provisioned-concurrency
        List<String> initialized = lines(inits);
        assertThat(initialized).hasSize(2).allMatch(l -> l.startsWith("provisioned-concurrency "));
        List<Long> pids = initialized.stream().map(l -> Long.parseLong(l.split(" ")[1])).toList();

        InvokeResponse first = lambda.invoke(b -> b.functionName("pc").qualifier("live").logType(LogType.TAIL));
        Map<String, Object> a = answer(first);
        assertThat(a.get("type")).isEqualTo("provisioned-concurrency");
        assertThat(((Number) a.get("pid")).longValue()).isIn(pids);
        assertThat(((Number) a.get("count")).intValue()).isEqualTo(1);
        assertThat(report(first)).doesNotContain("Init Duration");
        assertThat(first.executedVersion()).isEqualTo("1");
        assertThat(lines(inits)).hasSize(2); // no init happened for the invocation

        // the unqualified function has no provisioned concurrency: a cold, on-demand start with its init duration
        InvokeResponse onDemand = lambda.invoke(b -> b.functionName("pc").logType(LogType.TAIL));
        assertThat(answer(onDemand).get("type")).isEqualTo("on-demand");
        assertThat(report(onDemand)).containsPattern("\tInit Duration: \\d+\\.\\d\\d ms");
        assertThat(lines(inits)).hasSize(3).last().asString().startsWith("on-demand ");

        // the init output of a provisioned environment is in its log stream, written when its init was done
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        List<FilteredLogEvent> initLines = logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/pc")
                .filterPattern("\"init done in provisioned-concurrency\"")).events();
        assertThat(initLines).hasSize(2);
        assertThat(initLines.stream().map(FilteredLogEvent::logStreamName).distinct()).hasSize(2)
                .allMatch(s -> s.contains("[1]"));
    }

    @Test
    void busyProvisionedEnvironmentsSpillOverToOnDemandOnes(@TempDir Path dir) throws Exception {
        Path inits = dir.resolve("inits.log");
        deploy(inits, Map.of());
        lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("1").provisionedConcurrentExecutions(1));
        assertThat(awaitConfig("1", c -> c.status() == ProvisionedConcurrencyStatusEnum.READY).status())
                .isEqualTo(ProvisionedConcurrencyStatusEnum.READY);

        LambdaClient other = terrarium.client(LambdaClient::builder);
        Path mark = dir.resolve("running");
        CompletableFuture<InvokeResponse> slow = CompletableFuture.supplyAsync(() -> other.invoke(b -> b.functionName("pc")
                .qualifier("1").payload(SdkBytes.fromUtf8String("{\"sleep\": 1.0, \"mark\": \"" + mark + "\"}"))));
        long until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until && !Files.exists(mark)) {
            Thread.sleep(20);
        }
        // the one provisioned environment is busy: this invocation gets an on-demand one
        Map<String, Object> meanwhile = answer(lambda.invoke(b -> b.functionName("pc").qualifier("1")));
        assertThat(meanwhile.get("type")).isEqualTo("on-demand");
        assertThat(answer(slow.join()).get("type")).isEqualTo("provisioned-concurrency");
        // once it is free again, the provisioned environment is taken first
        Map<String, Object> after = answer(lambda.invoke(b -> b.functionName("pc").qualifier("1")));
        assertThat(after.get("type")).isEqualTo("provisioned-concurrency");
        assertThat(((Number) after.get("count")).intValue()).isEqualTo(2);
        // an alias naming the version does not use the version's provisioned environments
        assertThat(answer(lambda.invoke(b -> b.functionName("pc").qualifier("live"))).get("type")).isEqualTo("on-demand");
    }

    @Test
    void anEnvironmentThatDiesIsReplacedAndDeleteStopsThem(@TempDir Path dir) throws Exception {
        Path inits = dir.resolve("inits.log");
        deploy(inits, Map.of());
        lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("live").provisionedConcurrentExecutions(2));
        awaitConfig("live", c -> c.status() == ProvisionedConcurrencyStatusEnum.READY);
        List<Long> pids = lines(inits).stream().map(l -> Long.parseLong(l.split(" ")[1])).toList();
        assertThat(pids).hasSize(2);

        // an environment's process goes away: Lambda keeps the allocation by initializing another one
        ProcessHandle.of(pids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until && lines(inits).size() < 3) {
            Thread.sleep(20);
        }
        assertThat(lines(inits)).hasSize(3).last().asString().startsWith("provisioned-concurrency ");
        var again = awaitConfig("live", c -> c.allocatedProvisionedConcurrentExecutions() == 2);
        assertThat(again.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
        assertThat(again.allocatedProvisionedConcurrentExecutions()).isEqualTo(2);

        // shrinking stops the surplus one; deleting stops all of them
        List<Long> live = new ArrayList<>(List.of(pids.get(1), Long.parseLong(lines(inits).get(2).split(" ")[1])));
        lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("live").provisionedConcurrentExecutions(1));
        assertThat(awaitConfig("live", c -> c.status() == ProvisionedConcurrencyStatusEnum.READY)
                .allocatedProvisionedConcurrentExecutions()).isEqualTo(1);
        // the surplus process is stopped after the count drops: wait for it to be gone
        until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until && live.stream().filter(LambdaProvisionedConcurrencyTest::alive).count() > 1) {
            Thread.sleep(20);
        }
        assertThat(live.stream().filter(LambdaProvisionedConcurrencyTest::alive)).hasSize(1);
        lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("live"));
        until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until && live.stream().anyMatch(LambdaProvisionedConcurrencyTest::alive)) {
            Thread.sleep(20);
        }
        assertThat(live).noneMatch(LambdaProvisionedConcurrencyTest::alive);
        assertThatThrownBy(() -> lambda.getProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("live")))
                .isInstanceOf(ProvisionedConcurrencyConfigNotFoundException.class);
        assertThat(answer(lambda.invoke(b -> b.functionName("pc").qualifier("live"))).get("type")).isEqualTo("on-demand");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void anInitFailureFailsTheAllocation(@TempDir Path dir) throws Exception {
        deploy(dir.resolve("inits.log"), Map.of("FAIL_PROVISIONED", "1"));
        lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("live").provisionedConcurrentExecutions(1));
        var failed = awaitConfig("live", c -> c.status() != ProvisionedConcurrencyStatusEnum.IN_PROGRESS);
        assertThat(failed.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.FAILED);
        assertThat(failed.statusReason()).isEqualTo("FUNCTION_ERROR_INIT_FAILURE");
        assertThat(failed.allocatedProvisionedConcurrentExecutions()).isZero();
        assertThat(lambda.listProvisionedConcurrencyConfigs(b -> b.functionName("pc")).provisionedConcurrencyConfigs())
                .singleElement().satisfies(c -> {
                    assertThat(c.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.FAILED);
                    assertThat(c.statusReason()).isEqualTo("FUNCTION_ERROR_INIT_FAILURE");
                });
        // the function still runs on demand (its init only fails as provisioned-concurrency)
        assertThat(answer(lambda.invoke(b -> b.functionName("pc").qualifier("live"))).get("type")).isEqualTo("on-demand");
    }

    @Test
    void aWeightedAliasSplitsItsEnvironmentsBetweenItsVersions(@TempDir Path dir) throws Exception {
        Path inits = dir.resolve("inits.log");
        deploy(inits, Map.of());
        lambda.updateFunctionConfiguration(b -> b.functionName("pc").description("v2"));
        lambda.publishVersion(b -> b.functionName("pc"));
        lambda.updateAlias(b -> b.functionName("pc").name("live").functionVersion("1")
                .routingConfig(r -> r.additionalVersionWeights(Map.of("2", 0.5))));
        lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("live").provisionedConcurrentExecutions(4));
        var ready = awaitConfig("live", c -> c.status() == ProvisionedConcurrencyStatusEnum.READY);
        assertThat(ready.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
        assertThat(ready.allocatedProvisionedConcurrentExecutions()).isEqualTo(4);
        // two environments of each version, by the alias's weights
        assertThat(lines(inits).stream().map(l -> l.split(" ")[0] + " v" + l.split(" ")[2]))
                .containsExactlyInAnyOrder("provisioned-concurrency v1", "provisioned-concurrency v1",
                        "provisioned-concurrency v2", "provisioned-concurrency v2");
        for (int i = 0; i < 6; i++) {
            InvokeResponse r = lambda.invoke(b -> b.functionName("pc").qualifier("live"));
            assertThat(answer(r).get("type")).isEqualTo("provisioned-concurrency");
            assertThat(r.executedVersion()).isIn("1", "2");
        }
        assertThat(lines(inits)).hasSize(4);

        // the whole alias on version 2 again: its environments are all of version 2
        lambda.updateAlias(b -> b.functionName("pc").name("live").functionVersion("2").routingConfig(r -> r.additionalVersionWeights(Map.of())));
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until && lines(inits).size() < 6) {
            Thread.sleep(20);
        }
        assertThat(lines(inits)).hasSize(6);
        assertThat(lines(inits).subList(4, 6)).allMatch(l -> l.endsWith(" 2"));
        assertThat(awaitConfig("live", c -> c.status() == ProvisionedConcurrencyStatusEnum.READY)
                .allocatedProvisionedConcurrentExecutions()).isEqualTo(4);
    }

    @Test
    void pointingTheAliasElsewhereReplacesItsEnvironments(@TempDir Path dir) throws Exception {
        Path inits = dir.resolve("inits.log");
        deploy(inits, Map.of());
        lambda.putProvisionedConcurrencyConfig(b -> b.functionName("pc").qualifier("live").provisionedConcurrentExecutions(1));
        awaitConfig("live", c -> c.status() == ProvisionedConcurrencyStatusEnum.READY);
        lambda.updateFunctionConfiguration(b -> b.functionName("pc").description("v2"));
        lambda.publishVersion(b -> b.functionName("pc"));
        lambda.updateAlias(b -> b.functionName("pc").name("live").functionVersion("2"));
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until && lines(inits).size() < 2) {
            Thread.sleep(20);
        }
        awaitConfig("live", c -> c.status() == ProvisionedConcurrencyStatusEnum.READY);
        InvokeResponse r = lambda.invoke(b -> b.functionName("pc").qualifier("live"));
        assertThat(r.executedVersion()).isEqualTo("2");
        assertThat(answer(r).get("type")).isEqualTo("provisioned-concurrency");
        long oldPid = Long.parseLong(lines(inits).get(0).split(" ")[1]);
        until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until && alive(oldPid)) {
            Thread.sleep(20);
        }
        assertThat(alive(oldPid)).isFalse();
    }
}
