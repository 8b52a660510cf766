package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CodeSigningConfigNotFoundException;
import software.amazon.awssdk.services.lambda.model.CodeSigningPolicy;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.RecursiveLoop;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateRuntimeOn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** State Lambda stores and reports: provisioned concurrency, code signing, recursion and runtime management, states. */
class LambdaSettingsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

    private LambdaClient lambdaWithFunction(String name) {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py",
                        "def handler(e, c):\n    return e\n")))));
        return lambda;
    }

    @Test
    void provisionedConcurrencyIsAllocatedForVersionsAndAliases() throws InterruptedException {
        LambdaClient lambda = lambdaWithFunction("warm");
        lambda.publishVersion(b -> b.functionName("warm"));
        lambda.createAlias(b -> b.functionName("warm").name("live").functionVersion("1"));

        assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("$LATEST")
                .provisionedConcurrentExecutions(2))).isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("7")
                .provisionedConcurrentExecutions(2))).isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: " + ARN + "warm:7");
        assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("ghost")
                .provisionedConcurrentExecutions(2))).isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Cannot find alias arn: " + ARN + "warm:ghost");
        assertThatThrownBy(() -> lambda.getProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("live")))
                .isInstanceOf(ProvisionedConcurrencyConfigNotFoundException.class)
                .hasMessageContaining("No Provisioned Concurrency Config found for this function");

        var put = lambda.putProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("live").provisionedConcurrentExecutions(3));
        assertThat(put.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.IN_PROGRESS);
        assertThat(put.requestedProvisionedConcurrentExecutions()).isEqualTo(3);
        assertThat(put.allocatedProvisionedConcurrentExecutions()).isZero();
        assertThat(put.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        // the three environments initialize in the background: READY once they all have
        var got = lambda.getProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("live"));
        for (long until = System.currentTimeMillis() + 15_000; got.status() == ProvisionedConcurrencyStatusEnum.IN_PROGRESS
                && System.currentTimeMillis() < until; ) {
            Thread.sleep(25);
            got = lambda.getProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("live"));
        }
        assertThat(got.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
        assertThat(got.availableProvisionedConcurrentExecutions()).isEqualTo(3);
        assertThat(got.allocatedProvisionedConcurrentExecutions()).isEqualTo(3);
        assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("1")
                .provisionedConcurrentExecutions(1))).isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("Version is pointed by a Provisioned Concurrency alias");

        var list = lambda.listProvisionedConcurrencyConfigs(b -> b.functionName("warm")).provisionedConcurrencyConfigs();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).functionArn()).isEqualTo(ARN + "warm:live");
        assertThat(list.get(0).status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);

        lambda.putFunctionConcurrency(b -> b.functionName("warm").reservedConcurrentExecutions(2));
        assertThatThrownBy(() -> lambda.putProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("live")
                .provisionedConcurrentExecutions(3))).isInstanceOf(InvalidParameterValueException.class);
        lambda.deleteFunctionConcurrency(b -> b.functionName("warm"));

        lambda.deleteProvisionedConcurrencyConfig(b -> b.functionName("warm").qualifier("live"));
        assertThat(lambda.listProvisionedConcurrencyConfigs(b -> b.functionName("warm")).provisionedConcurrencyConfigs()).isEmpty();
        assertThatThrownBy(() -> lambda.listProvisionedConcurrencyConfigs(b -> b.functionName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
        // a provisioned function still runs
        assertThat(lambda.invoke(b -> b.functionName("warm:live").payload(SdkBytes.fromUtf8String("{\"a\":1}"))).payload().asUtf8String())
                .isEqualTo("{\"a\": 1}");
    }

    @Test
    void codeSigningConfigsAreStoredAndAttachedToFunctions() {
        LambdaClient lambda = lambdaWithFunction("signed");
        String profile = "arn:aws:signer:us-east-1:000000000000:/signing-profiles/p/abcdef1234";
        var created = lambda.createCodeSigningConfig(b -> b.description("strict")
                .allowedPublishers(p -> p.signingProfileVersionArns(profile))
                .codeSigningPolicies(p -> p.untrustedArtifactOnDeployment(CodeSigningPolicy.ENFORCE))).codeSigningConfig();
        assertThat(created.codeSigningConfigId()).matches("csc-[0-9a-f]{17}");
        assertThat(created.codeSigningConfigArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:code-signing-config:"
                + created.codeSigningConfigId());
        assertThat(created.codeSigningPolicies().untrustedArtifactOnDeployment()).isEqualTo(CodeSigningPolicy.ENFORCE);
        assertThat(created.allowedPublishers().signingProfileVersionArns()).containsExactly(profile);
        String arn = created.codeSigningConfigArn();

        var defaults = lambda.createCodeSigningConfig(b -> b.allowedPublishers(p -> p.signingProfileVersionArns(profile)))
                .codeSigningConfig();
        assertThat(defaults.codeSigningPolicies().untrustedArtifactOnDeployment()).isEqualTo(CodeSigningPolicy.WARN);
        assertThat(lambda.listCodeSigningConfigs(b -> { }).codeSigningConfigs()).hasSize(2);
        assertThat(lambda.updateCodeSigningConfig(b -> b.codeSigningConfigArn(arn).description("relaxed")).codeSigningConfig()
                .description()).isEqualTo("relaxed");
        assertThat(lambda.getCodeSigningConfig(b -> b.codeSigningConfigArn(arn)).codeSigningConfig().description()).isEqualTo("relaxed");

        assertThat(lambda.getFunctionCodeSigningConfig(b -> b.functionName("signed")).codeSigningConfigArn()).isNull();
        assertThatThrownBy(() -> lambda.putFunctionCodeSigningConfig(b -> b.functionName("signed")
                .codeSigningConfigArn("arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0000000000000000a")))
                .isInstanceOf(CodeSigningConfigNotFoundException.class);
        var attached = lambda.putFunctionCodeSigningConfig(b -> b.functionName("signed").codeSigningConfigArn(arn));
        assertThat(attached.functionName()).isEqualTo("signed");
        assertThat(lambda.getFunctionCodeSigningConfig(b -> b.functionName("signed")).codeSigningConfigArn()).isEqualTo(arn);
        assertThat(lambda.listFunctionsByCodeSigningConfig(b -> b.codeSigningConfigArn(arn)).functionArns())
                .containsExactly(ARN + "signed");
        assertThatThrownBy(() -> lambda.deleteCodeSigningConfig(b -> b.codeSigningConfigArn(arn)))
                .isInstanceOf(ResourceConflictException.class);
        lambda.createFunction(b -> b.functionName("signed-at-birth").runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").codeSigningConfigArn(arn)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", "def handler(e, c):\n    return e\n")))));
        assertThat(lambda.listFunctionsByCodeSigningConfig(b -> b.codeSigningConfigArn(arn)).functionArns())
                .containsExactly(ARN + "signed", ARN + "signed-at-birth");
        lambda.deleteFunction(b -> b.functionName("signed-at-birth"));
        lambda.deleteFunctionCodeSigningConfig(b -> b.functionName("signed"));
        assertThat(lambda.listFunctionsByCodeSigningConfig(b -> b.codeSigningConfigArn(arn)).functionArns()).isEmpty();
        lambda.deleteCodeSigningConfig(b -> b.codeSigningConfigArn(arn));
        assertThatThrownBy(() -> lambda.getCodeSigningConfig(b -> b.codeSigningConfigArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("The Lambda code signing configuration " + arn + " can not be found.");
    }

    @Test
    void recursionAndRuntimeManagementSettings() {
        LambdaClient lambda = lambdaWithFunction("loop");
        assertThat(lambda.getFunctionRecursionConfig(b -> b.functionName("loop")).recursiveLoop()).isEqualTo(RecursiveLoop.TERMINATE);
        assertThat(lambda.putFunctionRecursionConfig(b -> b.functionName("loop").recursiveLoop(RecursiveLoop.ALLOW)).recursiveLoop())
                .isEqualTo(RecursiveLoop.ALLOW);
        assertThat(lambda.getFunctionRecursionConfig(b -> b.functionName("loop")).recursiveLoop()).isEqualTo(RecursiveLoop.ALLOW);
        assertThatThrownBy(() -> lambda.getFunctionRecursionConfig(b -> b.functionName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);

        var initial = lambda.getRuntimeManagementConfig(b -> b.functionName("loop"));
        assertThat(initial.updateRuntimeOn()).isEqualTo(UpdateRuntimeOn.AUTO);
        assertThat(initial.runtimeVersionArn()).isNull();
        assertThat(initial.functionArn()).isEqualTo(ARN + "loop");
        String version = "arn:aws:lambda:us-east-1::runtime:" + "ab".repeat(32);
        assertThatThrownBy(() -> lambda.putRuntimeManagementConfig(b -> b.functionName("loop").updateRuntimeOn(UpdateRuntimeOn.MANUAL)))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> lambda.putRuntimeManagementConfig(b -> b.functionName("loop")
                .updateRuntimeOn(UpdateRuntimeOn.AUTO).runtimeVersionArn(version))).isInstanceOf(InvalidParameterValueException.class);
        var put = lambda.putRuntimeManagementConfig(b -> b.functionName("loop").updateRuntimeOn(UpdateRuntimeOn.MANUAL)
                .runtimeVersionArn(version));
        assertThat(put.functionArn()).isEqualTo(ARN + "loop");
        assertThat(put.runtimeVersionArn()).isEqualTo(version);
        var got = lambda.getRuntimeManagementConfig(b -> b.functionName("loop"));
        assertThat(got.updateRuntimeOn()).isEqualTo(UpdateRuntimeOn.MANUAL);
        assertThat(got.runtimeVersionArn()).isEqualTo(version);
        assertThat(lambda.putRuntimeManagementConfig(b -> b.functionName("loop").updateRuntimeOn(UpdateRuntimeOn.FUNCTION_UPDATE))
                .runtimeVersionArn()).isNull();
        assertThatThrownBy(() -> lambda.getRuntimeManagementConfig(b -> b.functionName("loop").qualifier("3")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void statesGoFromPendingToActiveAndUpdatesFromInProgressToSuccessfulForTheWaiters() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        var created = lambda.createFunction(b -> b.functionName("stateful").runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", "def handler(e, c):\n    return 1\n")))));
        assertThat(created.state()).isEqualTo(State.PENDING);
        assertThat(created.stateReasonCodeAsString()).isEqualTo("Creating");
        assertThat(lambda.waiter().waitUntilFunctionExists(b -> b.functionName("stateful")).matched().response()).isPresent();
        var active = lambda.waiter().waitUntilFunctionActiveV2(b -> b.functionName("stateful")).matched().response().orElseThrow();
        assertThat(active.configuration().state()).isEqualTo(State.ACTIVE);
        assertThat(lambda.waiter().waitUntilFunctionActive(b -> b.functionName("stateful")).matched().response().orElseThrow().state())
                .isEqualTo(State.ACTIVE);

        var updating = lambda.updateFunctionConfiguration(b -> b.functionName("stateful").timeout(10));
        assertThat(updating.lastUpdateStatus()).isEqualTo(LastUpdateStatus.IN_PROGRESS);
        var updated = lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("stateful")).matched().response().orElseThrow();
        assertThat(updated.configuration().lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);
        assertThat(updated.configuration().timeout()).isEqualTo(10);
        assertThat(lambda.waiter().waitUntilFunctionUpdated(b -> b.functionName("stateful")).matched().response().orElseThrow()
                .lastUpdateStatus()).isEqualTo(LastUpdateStatus.SUCCESSFUL);

        var version = lambda.publishVersion(b -> b.functionName("stateful"));
        var published = lambda.waiter().waitUntilPublishedVersionActive(b -> b.functionName("stateful").qualifier(version.version()))
                .matched().response().orElseThrow();
        assertThat(published.state()).isEqualTo(State.ACTIVE);
    }
}
