package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaFunctionsTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
    static final byte[] CODE = Zips.zip("app.py", "def handler(event, context):\n    return event\n");
    private static TestServer terrarium;
    private static LambdaClient lambda;

    @BeforeAll
    static void start() {
        terrarium = TestServer.start();
        lambda = terrarium.client(LambdaClient::builder);
    }

    @AfterAll
    static void stop() {
        lambda.close();
        terrarium.close();
    }

    @BeforeEach
    void reset() {
        terrarium.reset();
    }

    static CreateFunctionResponse create(String name, Consumer<CreateFunctionRequest.Builder> extra) {
        return lambda.createFunction(b -> {
            b.functionName(name).runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(CODE)));
            extra.accept(b);
        });
    }

    @Test
    void createAnswersPendingThenTheFunctionIsActive() {
        CreateFunctionResponse created = create("hello", b -> b.environment(e -> e.variables(Map.of("GREETING", "hi")))
                .timeout(10).memorySize(256).tags(Map.of("team", "a")));
        assertThat(created.state()).isEqualTo(State.PENDING);
        assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:hello");
        assertThat(created.version()).isEqualTo("$LATEST");
        assertThat(created.codeSize()).isEqualTo(CODE.length);
        assertThat(created.codeSha256()).hasSize(44);
        assertThat(created.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");

        GetFunctionResponse got = lambda.getFunction(b -> b.functionName("hello"));
        assertThat(got.configuration().state()).isEqualTo(State.ACTIVE);
        assertThat(got.configuration().lastUpdateStatusAsString()).isEqualTo("Successful");
        assertThat(got.configuration().environment().variables()).containsEntry("GREETING", "hi");
        assertThat(got.configuration().timeout()).isEqualTo(10);
        assertThat(got.configuration().memorySize()).isEqualTo(256);
        assertThat(got.configuration().loggingConfig().logGroup()).isEqualTo("/aws/lambda/hello");
        assertThat(got.tags()).containsEntry("team", "a");
        assertThat(got.code().location()).isNotBlank();
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName(created.functionArn())).handler()).isEqualTo("app.handler");
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("000000000000:function:hello")).runtime())
                .isEqualTo(Runtime.PYTHON3_12);
    }

    @Test
    void createRefusesDuplicatesBadZipsAndMissingRuntime() {
        create("f", b -> { });
        assertThatThrownBy(() -> create("f", b -> { })).isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("Function already exist: f");
        assertThatThrownBy(() -> create("g", b -> b.code(c -> c.zipFile(SdkBytes.fromUtf8String("not a zip")))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Could not unzip");
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("h").role(ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(CODE)))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Runtime and Handler");
        assertThatThrownBy(() -> create("bad name!", b -> { })).isInstanceOf(LambdaException.class)
                .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> create("r", b -> b.environment(e -> e.variables(Map.of("AWS_REGION", "x")))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("reserved keys");
        assertThatThrownBy(() -> create("t", b -> b.timeout(901))).isInstanceOf(LambdaException.class);
        assertThat(lambda.listFunctions().functions()).extracting(FunctionConfiguration::functionName).containsExactly("f");
    }

    @Test
    void unknownFunctionsAreResourceNotFound() {
        assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("nope")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
        assertThatThrownBy(() -> lambda.deleteFunction(b -> b.functionName("nope"))).isInstanceOf(ResourceNotFoundException.class);
        create("f", b -> { });
        assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("f").qualifier("7")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void updatesChangeLatestAndCheckRevisionIds() {
        CreateFunctionResponse created = create("f", b -> { });
        var updated = lambda.updateFunctionConfiguration(b -> b.functionName("f").timeout(30)
                .description("d").environment(e -> e.variables(Map.of("AB", "1"))));
        assertThat(updated.lastUpdateStatusAsString()).isEqualTo("InProgress");
        assertThat(updated.timeout()).isEqualTo(30);
        assertThat(updated.revisionId()).isNotEqualTo(created.revisionId());
        assertThatThrownBy(() -> lambda.updateFunctionConfiguration(b -> b.functionName("f").revisionId(created.revisionId())
                .timeout(5))).isInstanceOf(PreconditionFailedException.class);

        byte[] code2 = Zips.zip("app.py", "def handler(event, context):\n    return 2\n");
        var newCode = lambda.updateFunctionCode(b -> b.functionName("f").zipFile(SdkBytes.fromByteArray(code2)));
        assertThat(newCode.codeSha256()).isNotEqualTo(created.codeSha256());
        assertThat(newCode.timeout()).isEqualTo(30);
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("f")).lastUpdateStatusAsString()).isEqualTo("Successful");
        assertThatThrownBy(() -> lambda.updateFunctionCode(b -> b.functionName("f").zipFile(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(InvalidParameterValueException.class);
    }

    @Test
    void versionsAndAliases() {
        create("f", b -> { });
        var v1 = lambda.publishVersion(b -> b.functionName("f").description("first"));
        assertThat(v1.version()).isEqualTo("1");
        assertThat(v1.functionArn()).endsWith("function:f:1");
        assertThat(lambda.publishVersion(b -> b.functionName("f")).version()).as("unchanged $LATEST").isEqualTo("1");
        lambda.updateFunctionConfiguration(b -> b.functionName("f").timeout(9));
        var v2 = lambda.publishVersion(b -> b.functionName("f"));
        assertThat(v2.version()).isEqualTo("2");
        assertThat(v2.timeout()).isEqualTo(9);
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("f").qualifier("1")).timeout()).isEqualTo(3);
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("f:1")).version()).isEqualTo("1");
        assertThatThrownBy(() -> lambda.publishVersion(b -> b.functionName("f").codeSha256("wrong")))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThat(lambda.listVersionsByFunction(b -> b.functionName("f")).versions())
                .extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1", "2");

        var live = lambda.createAlias(b -> b.functionName("f").name("live").functionVersion("1")
                .routingConfig(r -> r.additionalVersionWeights(Map.of("2", 0.25))));
        assertThat(live.aliasArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:f:live");
        assertThat(live.routingConfig().additionalVersionWeights()).containsEntry("2", 0.25);
        assertThatThrownBy(() -> lambda.createAlias(b -> b.functionName("f").name("live").functionVersion("1")))
                .isInstanceOf(ResourceConflictException.class);
        assertThatThrownBy(() -> lambda.createAlias(b -> b.functionName("f").name("x").functionVersion("9")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("f").qualifier("live")).version()).isEqualTo("1");
        var moved = lambda.updateAlias(b -> b.functionName("f").name("live").functionVersion("2")
                .routingConfig(r -> r.additionalVersionWeights(Map.of())));
        assertThat(moved.functionVersion()).isEqualTo("2");
        assertThat(lambda.listAliases(b -> b.functionName("f")).aliases()).extracting(AliasConfiguration::name).containsExactly("live");
        assertThatThrownBy(() -> lambda.deleteFunction(b -> b.functionName("f").qualifier("2")))
                .isInstanceOf(ResourceConflictException.class);
        lambda.deleteFunction(b -> b.functionName("f").qualifier("1"));
        lambda.deleteAlias(b -> b.functionName("f").name("live"));
        assertThatThrownBy(() -> lambda.getAlias(b -> b.functionName("f").name("live"))).isInstanceOf(ResourceNotFoundException.class);
        lambda.deleteFunction(b -> b.functionName("f"));
        assertThat(lambda.listFunctions().functions()).isEmpty();
    }

    @Test
    void listFunctionsPages() {
        for (int i = 0; i < 5; i++) {
            create("fn" + i, b -> { });
        }
        lambda.publishVersion(b -> b.functionName("fn0"));
        List<String> names = new ArrayList<>();
        lambda.listFunctionsPaginator(b -> b.maxItems(2)).functions().forEach(f -> names.add(f.functionName()));
        assertThat(names).containsExactly("fn0", "fn1", "fn2", "fn3", "fn4");
        assertThat(lambda.listFunctions(b -> b.functionVersion("ALL")).functions()).hasSize(6);
        assertThatThrownBy(() -> lambda.listFunctions(b -> b.marker("bogus"))).isInstanceOf(InvalidParameterValueException.class);
    }

    @Test
    void tagsAndConcurrency() {
        String arn = create("f", b -> { }).functionArn();
        lambda.tagResource(b -> b.resource(arn).tags(Map.of("a", "1", "b", "2")));
        lambda.untagResource(b -> b.resource(arn).tagKeys("a"));
        assertThat(lambda.listTags(b -> b.resource(arn)).tags()).isEqualTo(Map.of("b", "2"));
        assertThatThrownBy(() -> lambda.listTags(b -> b.resource(arn + "x"))).isInstanceOf(ResourceNotFoundException.class);

        assertThat(lambda.getFunctionConcurrency(b -> b.functionName("f")).reservedConcurrentExecutions()).isNull();
        lambda.putFunctionConcurrency(b -> b.functionName("f").reservedConcurrentExecutions(5));
        assertThat(lambda.getFunction(b -> b.functionName("f")).concurrency().reservedConcurrentExecutions()).isEqualTo(5);
        assertThatThrownBy(() -> lambda.putFunctionConcurrency(b -> b.functionName("f").reservedConcurrentExecutions(950)))
                .isInstanceOf(InvalidParameterValueException.class);
        lambda.deleteFunctionConcurrency(b -> b.functionName("f"));
        assertThat(lambda.getFunctionConcurrency(b -> b.functionName("f")).reservedConcurrentExecutions()).isNull();
        assertThat(lambda.getAccountSettings().accountUsage().functionCount()).isEqualTo(1);
    }

    @Test
    void permissionsBuildTheResourcePolicy() {
        create("f", b -> { });
        assertThatThrownBy(() -> lambda.getPolicy(b -> b.functionName("f"))).isInstanceOf(ResourceNotFoundException.class);
        String statement = lambda.addPermission(b -> b.functionName("f").statementId("s3").action("lambda:InvokeFunction")
                .principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::bucket").sourceAccount("000000000000")).statement();
        assertThat(statement).contains("\"Sid\":\"s3\"", "\"Service\":\"s3.amazonaws.com\"",
                "\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:f\"", "\"AWS:SourceArn\":\"arn:aws:s3:::bucket\"");
        assertThatThrownBy(() -> lambda.addPermission(b -> b.functionName("f").statementId("s3").action("lambda:InvokeFunction")
                .principal("sns.amazonaws.com"))).isInstanceOf(ResourceConflictException.class);
        assertThatThrownBy(() -> lambda.addPermission(b -> b.functionName("f").statementId("bad").action("lambda:InvokeFunction")
                .principal("notaprincipal"))).isInstanceOf(InvalidParameterValueException.class);
        lambda.addPermission(b -> b.functionName("f").statementId("acct").action("lambda:InvokeFunction").principal("111122223333"));
        var policy = lambda.getPolicy(b -> b.functionName("f"));
        assertThat(policy.policy()).contains("\"Version\":\"2012-10-17\"", "arn:aws:iam::111122223333:root");
        assertThatThrownBy(() -> lambda.removePermission(b -> b.functionName("f").statementId("acct").revisionId("stale")))
                .isInstanceOf(PreconditionFailedException.class);
        lambda.removePermission(b -> b.functionName("f").statementId("acct").revisionId(policy.revisionId()));
        assertThatThrownBy(() -> lambda.removePermission(b -> b.functionName("f").statementId("acct")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(lambda.getPolicy(b -> b.functionName("f")).policy()).doesNotContain("111122223333");
    }

    @Test
    void codeComesFromS3() {
        try (software.amazon.awssdk.services.s3.S3Client s3 = terrarium.client(software.amazon.awssdk.services.s3.S3Client::builder,
                TestServer.TEST_CREDENTIALS)) {
            s3.createBucket(b -> b.bucket("code"));
            s3.putObject(b -> b.bucket("code").key("fns/app v1.zip"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(CODE));
            var created = lambda.createFunction(b -> b.functionName("from-s3").runtime(Runtime.PYTHON3_12).role(ROLE)
                    .handler("app.handler").code(c -> c.s3Bucket("code").s3Key("fns/app v1.zip")));
            assertThat(created.codeSize()).isEqualTo(CODE.length);
            assertThat(created.codeSha256()).isEqualTo(lambda.getFunction(b -> b.functionName("from-s3")).configuration().codeSha256());
            assertThatThrownBy(() -> lambda.updateFunctionCode(b -> b.functionName("from-s3").s3Bucket("code").s3Key("missing.zip")))
                    .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("NoSuchKey");
            assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("nobucket").runtime(Runtime.PYTHON3_12).role(ROLE)
                    .handler("app.handler").code(c -> c.s3Bucket("nope").s3Key("x.zip"))))
                    .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("NoSuchBucket");
        }
    }

    @Test
    void functionUrlConfigs() {
        create("f", b -> { });
        var created = lambda.createFunctionUrlConfig(b -> b.functionName("f").authType("NONE")
                .cors(c -> c.allowOrigins("*").allowMethods("GET")));
        assertThat(created.functionUrl()).matches("http://[0-9a-f]{32}\\.lambda-url\\.us-east-1\\.localhost:\\d+/");
        assertThat(created.functionArn()).endsWith(":function:f");
        assertThatThrownBy(() -> lambda.createFunctionUrlConfig(b -> b.functionName("f").authType("NONE")))
                .isInstanceOf(ResourceConflictException.class);
        assertThat(lambda.updateFunctionUrlConfig(b -> b.functionName("f").authType("AWS_IAM")).authTypeAsString()).isEqualTo("AWS_IAM");
        assertThat(lambda.getFunctionUrlConfig(b -> b.functionName("f")).cors().allowOrigins()).containsExactly("*");
        assertThat(lambda.listFunctionUrlConfigs(b -> b.functionName("f")).functionUrlConfigs()).hasSize(1);
        assertThatThrownBy(() -> lambda.createFunctionUrlConfig(b -> b.functionName("f").qualifier("1").authType("NONE")))
                .isInstanceOf(LambdaException.class);
        lambda.deleteFunctionUrlConfig(b -> b.functionName("f"));
        assertThatThrownBy(() -> lambda.getFunctionUrlConfig(b -> b.functionName("f"))).isInstanceOf(ResourceNotFoundException.class);
    }
}
