package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.PublishLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaLayersTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    @RegisterExtension
    static TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();

    private LambdaClient lambda() {
        return terrarium.client(LambdaClient::builder);
    }

    private static PublishLayerVersionResponse publish(LambdaClient lambda, String name, byte[] zip, Runtime... runtimes) {
        return lambda.publishLayerVersion(b -> b.layerName(name).description("d " + name)
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))).compatibleRuntimes(runtimes).licenseInfo("MIT"));
    }

    @Test
    void publishGetListAndDeleteLayerVersions() {
        LambdaClient lambda = lambda();
        byte[] zip = Zips.zip("python/util.py", "X = 1");
        PublishLayerVersionResponse v1 = publish(lambda, "util", zip, Runtime.PYTHON3_12);
        assertThat(v1.version()).isEqualTo(1L);
        assertThat(v1.layerArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:layer:util");
        assertThat(v1.layerVersionArn()).isEqualTo(v1.layerArn() + ":1");
        assertThat(v1.content().codeSize()).isEqualTo(zip.length);
        assertThat(v1.content().codeSha256()).hasSize(44);
        assertThat(v1.content().location()).startsWith("http");
        assertThat(v1.compatibleRuntimes()).containsExactly(Runtime.PYTHON3_12);
        assertThat(v1.licenseInfo()).isEqualTo("MIT");
        assertThat(v1.createdDate()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        PublishLayerVersionResponse v2 = lambda.publishLayerVersion(b -> b.layerName("util")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))).compatibleRuntimes(Runtime.NODEJS20_X)
                .compatibleArchitectures(Architecture.ARM64));
        assertThat(v2.version()).isEqualTo(2L);
        publish(lambda, "other", zip, Runtime.PYTHON3_12);

        GetLayerVersionResponse got = lambda.getLayerVersion(b -> b.layerName("util").versionNumber(1L));
        assertThat(got.layerVersionArn()).isEqualTo(v1.layerVersionArn());
        assertThat(got.description()).isEqualTo("d util");
        assertThat(lambda.getLayerVersion(b -> b.layerName(v1.layerArn()).versionNumber(2L)).version()).isEqualTo(2L);
        assertThat(lambda.getLayerVersionByArn(b -> b.arn(v2.layerVersionArn())).compatibleArchitectures())
                .containsExactly(Architecture.ARM64);

        assertThat(lambda.listLayerVersions(b -> b.layerName("util")).layerVersions())
                .extracting(l -> l.version()).containsExactly(2L, 1L);
        assertThat(lambda.listLayerVersions(b -> b.layerName("util").compatibleRuntime(Runtime.PYTHON3_12)).layerVersions())
                .extracting(l -> l.version()).containsExactly(1L);
        assertThat(lambda.listLayerVersions(b -> b.layerName("util").compatibleArchitecture(Architecture.ARM64))
                .layerVersions()).extracting(l -> l.version()).containsExactly(2L);
        assertThat(lambda.listLayerVersions(b -> b.layerName("nothing")).layerVersions()).isEmpty();
        var page = lambda.listLayerVersions(b -> b.layerName("util").maxItems(1));
        assertThat(page.layerVersions()).hasSize(1);
        assertThat(lambda.listLayerVersions(b -> b.layerName("util").marker(page.nextMarker())).layerVersions())
                .extracting(l -> l.version()).containsExactly(1L);

        assertThat(lambda.listLayers().layers()).extracting(l -> l.layerName() + ":" + l.latestMatchingVersion().version())
                .containsExactly("other:1", "util:2");
        assertThat(lambda.listLayers(b -> b.compatibleRuntime(Runtime.PYTHON3_12)).layers())
                .extracting(l -> l.layerName() + ":" + l.latestMatchingVersion().version())
                .containsExactly("other:1", "util:1");
        assertThat(lambda.listLayers(b -> b.compatibleRuntime(Runtime.JAVA21)).layers()).isEmpty();

        lambda.deleteLayerVersion(b -> b.layerName("util").versionNumber(2L));
        lambda.deleteLayerVersion(b -> b.layerName("util").versionNumber(2L)); // idempotent, as in AWS
        assertThatThrownBy(() -> lambda.getLayerVersion(b -> b.layerName("util").versionNumber(2L)))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The resource you requested does not exist.");
                });
        assertThat(publish(lambda, "util", zip).version()).as("numbers are not reused").isEqualTo(3L);
        assertThatThrownBy(() -> lambda.getLayerVersionByArn(b -> b.arn(v1.layerArn() + ":9")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void badContentIsRefused() {
        LambdaClient lambda = lambda();
        assertThatThrownBy(() -> lambda.publishLayerVersion(b -> b.layerName("x")
                .content(c -> c.zipFile(SdkBytes.fromUtf8String("not a zip")))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> lambda.publishLayerVersion(b -> b.layerName("x").content(c -> c.s3Bucket("nope").s3Key("k"))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class,
                        e -> assertThat(e.getMessage()).contains("NoSuchBucket"));
        assertThatThrownBy(() -> lambda.publishLayerVersion(b -> b.layerName("bad name!")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("a", "b"))))))
                .isInstanceOf(LambdaException.class).extracting(e -> ((LambdaException) e).statusCode()).isEqualTo(400);
        assertThat(lambda.listLayers().layers()).isEmpty();
    }

    @Test
    void contentFromS3() {
        LambdaClient lambda = lambda();
        S3Client s3 = terrarium.client(S3Client::builder);
        s3.createBucket(b -> b.bucket("layers"));
        byte[] zip = Zips.zip("python/fromS3.py", "V = 's3'");
        s3.putObject(b -> b.bucket("layers").key("l.zip"), RequestBody.fromBytes(zip));
        var v = lambda.publishLayerVersion(b -> b.layerName("s3layer").content(c -> c.s3Bucket("layers").s3Key("l.zip")));
        assertThat(v.content().codeSize()).isEqualTo(zip.length);

        // a version of the object (S3ObjectVersion), read from S3 directly: not the latest one
        s3.putBucketVersioning(b -> b.bucket("layers").versioningConfiguration(c -> c.status("Enabled")));
        String first = s3.putObject(b -> b.bucket("layers").key("v.zip"), RequestBody.fromBytes(zip)).versionId();
        byte[] bigger = Zips.zip("python/fromS3.py", "V = 's3, second version, a little longer'");
        s3.putObject(b -> b.bucket("layers").key("v.zip"), RequestBody.fromBytes(bigger));
        var old = lambda.publishLayerVersion(b -> b.layerName("s3layer")
                .content(c -> c.s3Bucket("layers").s3Key("v.zip").s3ObjectVersion(first)));
        assertThat(old.version()).isEqualTo(2L);
        assertThat(old.content().codeSize()).isEqualTo(zip.length);
        assertThat(old.content().codeSha256()).isEqualTo(v.content().codeSha256());
        var latest = lambda.publishLayerVersion(b -> b.layerName("s3layer").content(c -> c.s3Bucket("layers").s3Key("v.zip")));
        assertThat(latest.content().codeSize()).isEqualTo(bigger.length);

        assertThatThrownBy(() -> lambda.publishLayerVersion(b -> b.layerName("s3layer")
                .content(c -> c.s3Bucket("layers").s3Key("missing.zip"))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .startsWith("Error occurred while GetObject. S3 Error Code: NoSuchKey."));
        assertThatThrownBy(() -> lambda.publishLayerVersion(b -> b.layerName("s3layer")
                .content(c -> c.s3Bucket("layers").s3Key("v.zip").s3ObjectVersion("nosuchversion"))))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThat(lambda.listLayerVersions(b -> b.layerName("s3layer")).layerVersions()).hasSize(3);
    }

    @Test
    void permissionsOfALayerVersion() {
        LambdaClient lambda = lambda();
        publish(lambda, "shared", Zips.zip("python/shared.py", "WHO = 'shared'"), Runtime.PYTHON3_12);
        assertThatThrownBy(() -> lambda.getLayerVersionPolicy(b -> b.layerName("shared").versionNumber(1L)))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("No policy is associated with the given resource."));
        var added = lambda.addLayerVersionPermission(b -> b.layerName("shared").versionNumber(1L).statementId("acct")
                .action("lambda:GetLayerVersion").principal("111122223333"));
        assertThat(added.statement()).contains("\"Sid\":\"acct\"", "\"AWS\":\"arn:aws:iam::111122223333:root\"",
                "\"Action\":\"lambda:GetLayerVersion\"", "layer:shared:1");
        assertThatThrownBy(() -> lambda.addLayerVersionPermission(b -> b.layerName("shared").versionNumber(1L)
                .statementId("acct").action("lambda:GetLayerVersion").principal("*")))
                .isInstanceOfSatisfying(ResourceConflictException.class, e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThatThrownBy(() -> lambda.addLayerVersionPermission(b -> b.layerName("shared").versionNumber(1L)
                .statementId("s2").action("lambda:GetLayerVersion").principal("*").revisionId("stale")))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> lambda.addLayerVersionPermission(b -> b.layerName("shared").versionNumber(1L)
                .statementId("s2").action("lambda:InvokeFunction").principal("*")))
                .isInstanceOf(LambdaException.class).extracting(e -> ((LambdaException) e).statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> lambda.addLayerVersionPermission(b -> b.layerName("shared").versionNumber(7L)
                .statementId("s2").action("lambda:GetLayerVersion").principal("*")))
                .isInstanceOf(ResourceNotFoundException.class);
        lambda.addLayerVersionPermission(b -> b.layerName("shared").versionNumber(1L).statementId("org")
                .action("lambda:GetLayerVersion").principal("*").organizationId("o-abcdefghij"));
        var policy = lambda.getLayerVersionPolicy(b -> b.layerName("shared").versionNumber(1L));
        assertThat(policy.policy()).contains("\"Version\":\"2012-10-17\"", "\"Sid\":\"acct\"", "\"Sid\":\"org\"",
                "\"aws:PrincipalOrgID\":\"o-abcdefghij\"");
        assertThat(policy.revisionId()).isNotBlank();

        // the account granted uses the layer in its own function; another account may not
        LambdaClient other = terrarium.client(LambdaClient::builder, AwsBasicCredentials.create("111122223333", "x"));
        String arn = "arn:aws:lambda:us-east-1:000000000000:layer:shared:1";
        other.createFunction(b -> b.functionName("user").runtime(Runtime.PYTHON3_12).handler("app.handler")
                .role("arn:aws:iam::111122223333:role/r").layers(arn)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py",
                        "import shared\ndef handler(e, c):\n    return shared.WHO\n")))));
        assertThat(other.invoke(b -> b.functionName("user")).payload().asUtf8String()).isEqualTo("\"shared\"");

        lambda.removeLayerVersionPermission(b -> b.layerName("shared").versionNumber(1L).statementId("acct"));
        lambda.removeLayerVersionPermission(b -> b.layerName("shared").versionNumber(1L).statementId("org"));
        assertThatThrownBy(() -> lambda.removeLayerVersionPermission(b -> b.layerName("shared").versionNumber(1L)
                .statementId("acct"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> other.updateFunctionConfiguration(b -> b.functionName("user").layers(arn)))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                });
    }

    @Test
    void functionLayersAreValidated() {
        LambdaClient lambda = lambda();
        byte[] zip = Zips.zip("python/m.py", "");
        List<String> arns = IntStream.range(0, 6).mapToObj(i -> publish(lambda, "l" + i, zip).layerVersionArn()).toList();
        String missing = "arn:aws:lambda:us-east-1:000000000000:layer:l0:9";
        byte[] code = Zips.zip("app.py", "def handler(e, c):\n    return 1\n");
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("f").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("app.handler").layers(arns).code(c -> c.zipFile(SdkBytes.fromByteArray(code)))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Cannot reference more than 5 layers."));
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("f").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("app.handler").layers(missing).code(c -> c.zipFile(SdkBytes.fromByteArray(code)))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Layer version " + missing + " does not exist."));
        String v2 = publish(lambda, "l0", zip).layerVersionArn();
        assertThatThrownBy(() -> lambda.createFunction(b -> b.functionName("f").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("app.handler").layers(arns.get(0), v2).code(c -> c.zipFile(SdkBytes.fromByteArray(code)))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .startsWith("Two different versions of the same layer are not allowed"));
        assertThat(lambda.listFunctions().functions()).isEmpty();

        var created = lambda.createFunction(b -> b.functionName("f").runtime(Runtime.PYTHON3_12).role(ROLE)
                .handler("app.handler").layers(arns.subList(0, 5)).code(c -> c.zipFile(SdkBytes.fromByteArray(code))));
        assertThat(created.layers()).extracting(l -> l.arn()).containsExactlyElementsOf(arns.subList(0, 5));
        assertThat(created.layers().get(0).codeSize()).isEqualTo(zip.length);
        var updated = lambda.updateFunctionConfiguration(b -> b.functionName("f").layers(arns.get(5)));
        assertThat(updated.layers()).extracting(l -> l.arn()).containsExactly(arns.get(5));
        assertThat(lambda.getFunction(b -> b.functionName("f")).configuration().layers()).hasSize(1);
        assertThat(lambda.updateFunctionConfiguration(b -> b.functionName("f").layers(List.of())).layers()).isEmpty();
    }

    @Test
    void pythonImportsFromLayersInOrder() {
        LambdaClient lambda = lambda();
        String first = publish(lambda, "py-a", Zips.zip("python/greet.py", "WHO = 'a'\n",
                "python/lib/python3.12/site-packages/sitepkg/__init__.py", "NAME = 'site'\n",
                "bin/tool", "#!/bin/sh\necho tool\n")).layerVersionArn();
        String second = publish(lambda, "py-b", Zips.zip("python/greet.py", "WHO = 'b'\n")).layerVersionArn();
        lambda.createFunction(b -> b.functionName("py").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(first, second).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", """
                        import os, subprocess, greet, sitepkg
                        def handler(event, context):
                            tool = subprocess.run(["tool"], capture_output=True, text=True).stdout.strip()
                            return {"who": greet.WHO, "site": sitepkg.NAME, "tool": tool,
                                    "opt": os.path.isdir(os.environ["TERRARIUM_LAMBDA_OPT"] + "/python")}
                        """)))));
        assertThat(lambda.invoke(b -> b.functionName("py")).payload().asUtf8String())
                .isEqualTo("{\"who\": \"b\", \"site\": \"site\", \"tool\": \"tool\", \"opt\": true}");
    }

    @Test
    void nodeRequiresFromALayer() {
        LambdaClient lambda = lambda();
        String layer = publish(lambda, "node-lib", Zips.zip(
                "nodejs/node_modules/leftpad/index.js", "module.exports = (s, n) => String(s).padStart(n, '*');\n",
                "nodejs/node20/node_modules/versioned/index.js", "module.exports = 'v20';\n")).layerVersionArn();
        lambda.createFunction(b -> b.functionName("js").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .layers(layer).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("index.js", """
                        const leftpad = require('leftpad');
                        const versioned = require('versioned');
                        exports.handler = async () => ({ padded: leftpad('x', 3), versioned });
                        """)))));
        assertThat(lambda.invoke(b -> b.functionName("js")).payload().asUtf8String())
                .isEqualTo("{\"padded\":\"**x\",\"versioned\":\"v20\"}");
    }

    @Test
    void aCustomRuntimeComesFromALayer() {
        LambdaClient lambda = lambda();
        String runtime = publish(lambda, "runtime", Zips.zip("bootstrap", """
                #!/bin/sh
                API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
                while true; do
                  H="$(mktemp)"
                  curl -sS -D "$H" -o /dev/null "$API/invocation/next"
                  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$H" | tr -d '[:space:]' | cut -d: -f2)
                  curl -sS -X POST "$API/invocation/$ID/response" -d "\\"$(cat "$LAMBDA_TASK_ROOT/$_HANDLER")\\"" > /dev/null
                done
                """)).layerVersionArn();
        lambda.createFunction(b -> b.functionName("custom").runtime(Runtime.PROVIDED_AL2023).role(ROLE).handler("data.txt")
                .layers(runtime).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("data.txt", "from the package")))));
        assertThat(lambda.invoke(b -> b.functionName("custom")).payload().asUtf8String()).isEqualTo("\"from the package\"");
    }
}
