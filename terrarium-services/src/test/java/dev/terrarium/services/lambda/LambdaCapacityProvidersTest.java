package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.CapacityProvider;
import software.amazon.awssdk.services.lambda.model.CapacityProviderConfig;
import software.amazon.awssdk.services.lambda.model.CapacityProviderPredefinedMetricType;
import software.amazon.awssdk.services.lambda.model.CapacityProviderScalingMode;
import software.amazon.awssdk.services.lambda.model.CapacityProviderState;
import software.amazon.awssdk.services.lambda.model.CreateCapacityProviderResponse;
import software.amazon.awssdk.services.lambda.model.FunctionVersionsByCapacityProviderListItem;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ListCapacityProvidersResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Lambda Managed Instances: capacity providers, functions attached to them and their scaling, through the SDK. */
class LambdaCapacityProvidersTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    static final String PROVIDER_ARN = "arn:aws:lambda:us-east-1:000000000000:capacity-provider:";
    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:";
    static final String OPERATOR = "arn:aws:iam::000000000000:role/LambdaOperator";

    private static CreateCapacityProviderResponse create(LambdaClient lambda, String name) {
        return lambda.createCapacityProvider(b -> b.capacityProviderName(name)
                .vpcConfig(v -> v.subnetIds("subnet-0a1b2c3d", "subnet-0e1f2a3b").securityGroupIds("sg-0123abcd"))
                .permissionsConfig(p -> p.capacityProviderOperatorRoleArn(OPERATOR)));
    }

    private static CapacityProviderConfig attachedTo(String provider) {
        return CapacityProviderConfig.builder().lambdaManagedInstancesCapacityProviderConfig(m -> m
                .capacityProviderArn(PROVIDER_ARN + provider).perExecutionEnvironmentMaxConcurrency(8)
                .executionEnvironmentMemoryGiBPerVCpu(4.0)).build();
    }

    private static void createFunction(LambdaClient lambda, String name, CapacityProviderConfig config) {
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").capacityProviderConfig(config)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py",
                        "def handler(e, c):\n    return {'echo': e}\n")))));
    }

    private static void assertError(LambdaException e, String code, int status, String message) {
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorMessage()).contains(message);
    }

    @Test
    void capacityProviderIsCreatedReadUpdatedListedAndDeleted() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        var created = lambda.createCapacityProvider(b -> b.capacityProviderName("fleet")
                .vpcConfig(v -> v.subnetIds("subnet-0a1b2c3d").securityGroupIds("sg-0123abcd", "sg-0456efab"))
                .permissionsConfig(p -> p.capacityProviderOperatorRoleArn(OPERATOR))
                .instanceRequirements(i -> i.architectures(Architecture.ARM64).allowedInstanceTypes("m7g.large", "c7g.xlarge"))
                .capacityProviderScalingConfig(s -> s.maxVCpuCount(64).scalingMode(CapacityProviderScalingMode.AUTO))
                .kmsKeyArn("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .tags(Map.of("team", "platform")));
        assertThat(created.sdkHttpResponse().statusCode()).isEqualTo(202);
        CapacityProvider p = created.capacityProvider();
        assertThat(p.capacityProviderArn()).isEqualTo(PROVIDER_ARN + "fleet");
        assertThat(p.state()).isEqualTo(CapacityProviderState.PENDING);
        assertThat(p.vpcConfig().subnetIds()).containsExactly("subnet-0a1b2c3d");
        assertThat(p.vpcConfig().securityGroupIds()).containsExactly("sg-0123abcd", "sg-0456efab");
        assertThat(p.permissionsConfig().capacityProviderOperatorRoleArn()).isEqualTo(OPERATOR);
        assertThat(p.instanceRequirements().architectures()).containsExactly(Architecture.ARM64);
        assertThat(p.instanceRequirements().allowedInstanceTypes()).containsExactly("m7g.large", "c7g.xlarge");
        assertThat(p.capacityProviderScalingConfig().maxVCpuCount()).isEqualTo(64);
        assertThat(p.kmsKeyArn()).endsWith(":key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(p.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");

        // Active from then on, by name or by ARN
        var got = lambda.getCapacityProvider(b -> b.capacityProviderName(PROVIDER_ARN + "fleet")).capacityProvider();
        assertThat(got.state()).isEqualTo(CapacityProviderState.ACTIVE);
        assertThat(got.vpcConfig()).isEqualTo(p.vpcConfig());
        assertThat(lambda.listTags(b -> b.resource(PROVIDER_ARN + "fleet")).tags()).isEqualTo(Map.of("team", "platform"));
        lambda.tagResource(b -> b.resource(PROVIDER_ARN + "fleet").tags(Map.of("env", "dev")));
        lambda.untagResource(b -> b.resource(PROVIDER_ARN + "fleet").tagKeys("team"));
        assertThat(lambda.listTags(b -> b.resource(PROVIDER_ARN + "fleet")).tags()).isEqualTo(Map.of("env", "dev"));

        var updated = lambda.updateCapacityProvider(b -> b.capacityProviderName("fleet")
                .capacityProviderScalingConfig(s -> s.maxVCpuCount(128).scalingMode(CapacityProviderScalingMode.MANUAL)
                        .scalingPolicies(t -> t.predefinedMetricType(
                                CapacityProviderPredefinedMetricType.LAMBDA_CAPACITY_PROVIDER_AVERAGE_CPU_UTILIZATION)
                                .targetValue(70.0))));
        assertThat(updated.sdkHttpResponse().statusCode()).isEqualTo(202);
        var scaling = lambda.getCapacityProvider(b -> b.capacityProviderName("fleet")).capacityProvider()
                .capacityProviderScalingConfig();
        assertThat(scaling.maxVCpuCount()).isEqualTo(128);
        assertThat(scaling.scalingMode()).isEqualTo(CapacityProviderScalingMode.MANUAL);
        assertThat(scaling.scalingPolicies()).singleElement().satisfies(t -> assertThat(t.targetValue()).isEqualTo(70.0));

        assertThat(lambda.listCapacityProviders(b -> b.state(CapacityProviderState.ACTIVE)).capacityProviders())
                .extracting(CapacityProvider::capacityProviderArn).containsExactly(PROVIDER_ARN + "fleet");
        assertThat(lambda.listCapacityProviders(b -> b.state(CapacityProviderState.FAILED)).capacityProviders()).isEmpty();

        var deleted = lambda.deleteCapacityProvider(b -> b.capacityProviderName("fleet"));
        assertThat(deleted.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(deleted.capacityProvider().state()).isEqualTo(CapacityProviderState.DELETING);
        assertThatThrownBy(() -> lambda.getCapacityProvider(b -> b.capacityProviderName("fleet")))
                .isInstanceOf(ResourceNotFoundException.class)
                .satisfies(e -> assertError((LambdaException) e, "ResourceNotFoundException", 404,
                        "Capacity provider not found: " + PROVIDER_ARN + "fleet"));
        assertThat(lambda.listCapacityProviders(b -> { }).capacityProviders()).isEmpty();
    }

    @Test
    void badInputAndMissingProvidersAreRefusedAsAwsDoes() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        create(lambda, "fleet");
        assertThatThrownBy(() -> create(lambda, "fleet")).isInstanceOf(ResourceConflictException.class)
                .satisfies(e -> assertError((LambdaException) e, "ResourceConflictException", 409,
                        "Capacity provider already exists: " + PROVIDER_ARN + "fleet"));
        // the operator role must be an IAM role ARN (the model's pattern)
        assertThatThrownBy(() -> lambda.createCapacityProvider(b -> b.capacityProviderName("other")
                .vpcConfig(v -> v.subnetIds("subnet-1").securityGroupIds("sg-1"))
                .permissionsConfig(p -> p.capacityProviderOperatorRoleArn("arn:aws:iam::000000000000:user/bob"))))
                .isInstanceOf(LambdaException.class)
                .satisfies(e -> assertError((LambdaException) e, "ValidationException", 400, "failed to satisfy constraint"));
        // at least one subnet, at most 16
        assertThatThrownBy(() -> lambda.createCapacityProvider(b -> b.capacityProviderName("other")
                .vpcConfig(v -> v.subnetIds(List.of()).securityGroupIds("sg-1"))
                .permissionsConfig(p -> p.capacityProviderOperatorRoleArn(OPERATOR))))
                .isInstanceOf(LambdaException.class)
                .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> lambda.createCapacityProvider(b -> b.capacityProviderName("bad name!")
                .vpcConfig(v -> v.subnetIds("subnet-1").securityGroupIds("sg-1"))
                .permissionsConfig(p -> p.capacityProviderOperatorRoleArn(OPERATOR))))
                .isInstanceOf(LambdaException.class)
                .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
        // Manual scaling needs its target tracking policies
        assertThatThrownBy(() -> lambda.updateCapacityProvider(b -> b.capacityProviderName("fleet")
                .capacityProviderScalingConfig(s -> s.scalingMode(CapacityProviderScalingMode.MANUAL))))
                .isInstanceOf(InvalidParameterValueException.class)
                .satisfies(e -> assertError((LambdaException) e, "InvalidParameterValueException", 400,
                        "ScalingPolicies must be provided when ScalingMode is Manual."));
        assertThatThrownBy(() -> lambda.updateCapacityProvider(b -> b.capacityProviderName("ghost")))
                .isInstanceOf(ResourceNotFoundException.class)
                .satisfies(e -> assertError((LambdaException) e, "ResourceNotFoundException", 404,
                        "Capacity provider not found: " + PROVIDER_ARN + "ghost"));
        assertThatThrownBy(() -> lambda.deleteCapacityProvider(b -> b.capacityProviderName("ghost")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.listFunctionVersionsByCapacityProvider(b -> b.capacityProviderName("ghost")))
                .isInstanceOf(ResourceNotFoundException.class);
        // another Region's ARN names nothing here
        assertThatThrownBy(() -> lambda.getCapacityProvider(b -> b.capacityProviderName(
                "arn:aws:lambda:eu-west-1:000000000000:capacity-provider:fleet")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.listCapacityProviders(b -> b.maxItems(51))).isInstanceOf(LambdaException.class)
                .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> lambda.listCapacityProviders(b -> b.marker("not-a-marker")))
                .isInstanceOf(InvalidParameterValueException.class);
        // a function cannot be attached to a provider that does not exist
        assertThatThrownBy(() -> createFunction(lambda, "orphan", attachedTo("ghost")))
                .isInstanceOf(InvalidParameterValueException.class)
                .satisfies(e -> assertError((LambdaException) e, "InvalidParameterValueException", 400,
                        "The capacity provider " + PROVIDER_ARN + "ghost does not exist."));
        assertThat(lambda.listFunctions().functions()).isEmpty();
        // the server is still answering
        assertThat(lambda.getCapacityProvider(b -> b.capacityProviderName("fleet")).capacityProvider().state())
                .isEqualTo(CapacityProviderState.ACTIVE);
    }

    @Test
    void listsArePagedWithMarkerAndMaxItems() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        for (int i = 0; i < 5; i++) {
            create(lambda, "p" + i);
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListCapacityProvidersResponse page = lambda.listCapacityProviders(b -> b.maxItems(2).marker(m));
            assertThat(page.capacityProviders()).hasSizeLessThanOrEqualTo(2);
            page.capacityProviders().forEach(p -> seen.add(p.capacityProviderArn()));
            marker = page.nextMarker();
            pages++;
        } while (marker != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(PROVIDER_ARN + "p0", PROVIDER_ARN + "p1", PROVIDER_ARN + "p2",
                PROVIDER_ARN + "p3", PROVIDER_ARN + "p4");
        // the SDK's paginator walks the same pages
        assertThat(lambda.listCapacityProvidersPaginator(b -> b.maxItems(2)).capacityProviders()).hasSize(5);
    }

    @Test
    void functionsOnAProviderAreListedScaledRunAndKeepItFromBeingDeleted() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        create(lambda, "fleet");
        create(lambda, "spare");
        createFunction(lambda, "managed", attachedTo("fleet"));
        createFunction(lambda, "plain", null);

        var config = lambda.getFunctionConfiguration(b -> b.functionName("managed")).capacityProviderConfig()
                .lambdaManagedInstancesCapacityProviderConfig();
        assertThat(config.capacityProviderArn()).isEqualTo(PROVIDER_ARN + "fleet");
        assertThat(config.perExecutionEnvironmentMaxConcurrency()).isEqualTo(8);
        assertThat(config.executionEnvironmentMemoryGiBPerVCpu()).isEqualTo(4.0);
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("plain")).capacityProviderConfig()).isNull();

        var published = lambda.publishVersion(b -> b.functionName("managed"));
        assertThat(published.capacityProviderConfig()).isEqualTo(lambda.getFunctionConfiguration(b -> b
                .functionName("managed")).capacityProviderConfig());
        // an attached function still runs as a local process, like every other function
        var invoked = lambda.invoke(b -> b.functionName("managed").qualifier("1")
                .payload(SdkBytes.fromUtf8String("{\"n\":1}")));
        assertThat(invoked.functionError()).isNull();
        assertThat(invoked.payload().asString(StandardCharsets.UTF_8)).isEqualTo("{\"echo\": {\"n\": 1}}");

        var versions = lambda.listFunctionVersionsByCapacityProvider(b -> b.capacityProviderName("fleet"));
        assertThat(versions.capacityProviderArn()).isEqualTo(PROVIDER_ARN + "fleet");
        assertThat(versions.functionVersions()).extracting(FunctionVersionsByCapacityProviderListItem::functionArn)
                .containsExactly(FUNCTION_ARN + "managed:$LATEST", FUNCTION_ARN + "managed:1");
        assertThat(versions.functionVersions()).extracting(FunctionVersionsByCapacityProviderListItem::state)
                .containsOnly(State.ACTIVE);
        var page = lambda.listFunctionVersionsByCapacityProvider(b -> b.capacityProviderName("fleet").maxItems(1));
        assertThat(page.functionVersions()).hasSize(1);
        assertThat(lambda.listFunctionVersionsByCapacityProvider(b -> b.capacityProviderName("fleet")
                .marker(page.nextMarker())).functionVersions()).extracting(FunctionVersionsByCapacityProviderListItem::functionArn)
                .containsExactly(FUNCTION_ARN + "managed:1");

        // scaling of the published version
        var put = lambda.putFunctionScalingConfig(b -> b.functionName("managed").qualifier("1")
                .functionScalingConfig(s -> s.minExecutionEnvironments(2).maxExecutionEnvironments(10)));
        assertThat(put.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(put.functionState()).isEqualTo(State.ACTIVE);
        var scaling = lambda.getFunctionScalingConfig(b -> b.functionName(FUNCTION_ARN + "managed").qualifier("1"));
        assertThat(scaling.functionArn()).isEqualTo(FUNCTION_ARN + "managed:1");
        assertThat(scaling.requestedFunctionScalingConfig().minExecutionEnvironments()).isEqualTo(2);
        assertThat(scaling.appliedFunctionScalingConfig().maxExecutionEnvironments()).isEqualTo(10);
        assertThatThrownBy(() -> lambda.putFunctionScalingConfig(b -> b.functionName("managed").qualifier("1")
                .functionScalingConfig(s -> s.minExecutionEnvironments(5).maxExecutionEnvironments(1))))
                .isInstanceOf(InvalidParameterValueException.class)
                .satisfies(e -> assertError((LambdaException) e, "InvalidParameterValueException", 400,
                        "MinExecutionEnvironments (5) must be less than or equal to MaxExecutionEnvironments (1)."));
        assertThatThrownBy(() -> lambda.getFunctionScalingConfig(b -> b.functionName("managed").qualifier("9")))
                .isInstanceOf(ResourceNotFoundException.class)
                .satisfies(e -> assertError((LambdaException) e, "ResourceNotFoundException", 404,
                        "Function not found: " + FUNCTION_ARN + "managed:9"));
        assertThatThrownBy(() -> lambda.getFunctionScalingConfig(b -> b.functionName("ghost").qualifier("1")))
                .isInstanceOf(ResourceNotFoundException.class);
        lambda.publishVersion(b -> b.functionName("plain"));
        assertThatThrownBy(() -> lambda.putFunctionScalingConfig(b -> b.functionName("plain").qualifier("1")
                .functionScalingConfig(s -> s.maxExecutionEnvironments(3))))
                .isInstanceOf(InvalidParameterValueException.class);

        // in use: the provider cannot be deleted until its function versions are gone
        assertThatThrownBy(() -> lambda.deleteCapacityProvider(b -> b.capacityProviderName("fleet")))
                .isInstanceOf(ResourceConflictException.class)
                .satisfies(e -> assertError((LambdaException) e, "ResourceConflictException", 409,
                        "cannot be deleted because it is used by 2 function version(s)"));
        // moving $LATEST to another provider leaves version 1 on the first
        lambda.updateFunctionConfiguration(b -> b.functionName("managed").capacityProviderConfig(attachedTo("spare")));
        assertThat(lambda.listFunctionVersionsByCapacityProvider(b -> b.capacityProviderName("spare")).functionVersions())
                .extracting(FunctionVersionsByCapacityProviderListItem::functionArn)
                .containsExactly(FUNCTION_ARN + "managed:$LATEST");
        assertThat(lambda.listFunctionVersionsByCapacityProvider(b -> b.capacityProviderName("fleet")).functionVersions())
                .extracting(FunctionVersionsByCapacityProviderListItem::functionArn)
                .containsExactly(FUNCTION_ARN + "managed:1");
        lambda.deleteFunction(b -> b.functionName("managed"));
        assertThat(lambda.listFunctionVersionsByCapacityProvider(b -> b.capacityProviderName("fleet")).functionVersions()).isEmpty();
        lambda.deleteCapacityProvider(b -> b.capacityProviderName("fleet"));
        lambda.deleteCapacityProvider(b -> b.capacityProviderName("spare"));
        assertThat(lambda.listCapacityProviders(b -> { }).capacityProviders()).isEmpty();
    }

    @Test
    void theAwsCliCreatesAndDescribesAProviderAsTheGuideShows() throws Exception {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        // the command of AWS's developer guide, "Capacity providers"
        AwsCli.Result created = AwsCli.run(terrarium, Map.of(), "lambda", "create-capacity-provider",
                "--capacity-provider-name", "my-capacity-provider",
                "--vpc-config", "SubnetIds=subnet-12345,subnet-67890,subnet-11111,SecurityGroupIds=sg-12345",
                "--permissions-config", "CapacityProviderOperatorRoleArn=arn:aws:iam::000000000000:role/MyOperatorRole",
                "--instance-requirements", "Architectures=x86_64",
                "--capacity-provider-scaling-config", "ScalingMode=Auto");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        JsonNode provider = new ObjectMapper().readTree(created.stdout()).path("CapacityProvider");
        assertThat(provider.path("CapacityProviderArn").asText()).isEqualTo(PROVIDER_ARN + "my-capacity-provider");
        assertThat(provider.path("VpcConfig").path("SubnetIds")).hasSize(3);
        assertThat(provider.path("InstanceRequirements").path("Architectures").get(0).asText()).isEqualTo("x86_64");

        AwsCli.Result listed = AwsCli.run(terrarium, Map.of(), "lambda", "list-capacity-providers");
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(new ObjectMapper().readTree(listed.stdout()).path("CapacityProviders").get(0).path("State").asText())
                .isEqualTo("Active");
        AwsCli.Result missing = AwsCli.run(terrarium, Map.of(), "lambda", "get-capacity-provider",
                "--capacity-provider-name", "nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("ResourceNotFoundException", "Capacity provider not found");
    }
}
