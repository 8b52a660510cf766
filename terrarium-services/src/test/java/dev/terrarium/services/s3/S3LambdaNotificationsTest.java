package dev.terrarium.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.terrarium.services.s3.S3TestSupport.code;
import static dev.terrarium.services.s3.S3TestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Lambda destinations of bucket notifications: S3 refuses a function that does not exist or whose resource policy
 * does not let s3.amazonaws.com invoke it for the bucket, and invokes an allowed one asynchronously with its event.
 */
class S3LambdaNotificationsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000000";
    private static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
    private static final AtomicReference<String> LAST_BODY = new AtomicReference<>();
    private static S3Client s3;
    private static LambdaClient lambda;
    private static SqsClient sqs;

    @BeforeAll
    static void clients() {
        // the XML error's ArgumentNameN/ArgumentValueN are not in S3Exception: the last response body is kept
        s3 = terrarium.client(() -> S3Client.builder().forcePathStyle(true).overrideConfiguration(o -> o
                .addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                                         ExecutionAttributes attributes) {
                        return context.responseBody().map(in -> {
                            try {
                                byte[] bytes = in.readAllBytes();
                                LAST_BODY.set(new String(bytes, StandardCharsets.UTF_8));
                                return new ByteArrayInputStream(bytes);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                    }
                })));
        lambda = terrarium.client(LambdaClient::builder);
        sqs = terrarium.client(SqsClient::builder);
    }

    private static String arn(String function) {
        return "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + function;
    }

    private static void createFunction(String name) {
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip("app.py",
                        "def handler(event, context):\n    return {\"ok\": True}\n")))));
    }

    private static byte[] zip(String name, String content) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void allowS3(String function, String statement, String sourceBucket) {
        lambda.addPermission(b -> b.functionName(function).statementId(statement).action("lambda:InvokeFunction")
                .principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::" + sourceBucket).sourceAccount(ACCOUNT));
    }

    private static void notifyFunction(String bucket, String functionArn) {
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .lambdaFunctionConfigurations(l -> l.id("to-function").lambdaFunctionArn(functionArn)
                        .events(Event.S3_OBJECT_CREATED).filter(f -> f.key(k -> k.filterRules(
                                r -> r.name("suffix").value(".jpg")))))));
    }

    private static String body(Throwable e) {
        assertThat(e).isInstanceOf(S3Exception.class);
        return LAST_BODY.get();
    }

    private static void assertNotAuthorized(Throwable e, int n, String functionArn) {
        assertThat(code(e)).isEqualTo("InvalidArgument");
        assertThat(status(e)).isEqualTo(400);
        assertThat(((S3Exception) e).awsErrorDetails().errorMessage())
                .isEqualTo("Unable to validate the following destination configurations");
        assertThat(body(e)).contains("<ArgumentName" + n + ">" + functionArn + ", null</ArgumentName" + n + ">")
                .contains("<ArgumentValue" + n + ">Not authorized to invoke function [" + functionArn + "]</ArgumentValue"
                        + n + ">");
    }

    @Test
    void aFunctionThatDoesNotExistOrDoesNotAllowS3IsRefused() {
        s3.createBucket(b -> b.bucket("pics"));
        assertThatThrownBy(() -> notifyFunction("pics", arn("missing")))
                .satisfies(e -> assertNotAuthorized(e, 1, arn("missing")));

        createFunction("thumbs");
        assertThatThrownBy(() -> notifyFunction("pics", arn("thumbs")))
                .satisfies(e -> assertNotAuthorized(e, 1, arn("thumbs")));
        // allowed for another bucket, or for another service: still refused
        allowS3("thumbs", "other-bucket", "not-pics");
        lambda.addPermission(b -> b.functionName("thumbs").statementId("sns").action("lambda:InvokeFunction")
                .principal("sns.amazonaws.com"));
        assertThatThrownBy(() -> notifyFunction("pics", arn("thumbs")))
                .satisfies(e -> assertNotAuthorized(e, 1, arn("thumbs")));
        // an alias that does not exist
        allowS3("thumbs", "pics", "pics");
        assertThatThrownBy(() -> notifyFunction("pics", arn("thumbs:live")))
                .satisfies(e -> assertNotAuthorized(e, 1, arn("thumbs:live")));
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("pics")).lambdaFunctionConfigurations()).isEmpty();

        notifyFunction("pics", arn("thumbs"));
        List<LambdaFunctionConfiguration> stored = s3.getBucketNotificationConfiguration(b -> b.bucket("pics"))
                .lambdaFunctionConfigurations();
        assertThat(stored).singleElement().satisfies(c -> {
            assertThat(c.lambdaFunctionArn()).isEqualTo(arn("thumbs"));
            assertThat(c.id()).isEqualTo("to-function");
        });
    }

    @Test
    void failuresAreListedAcrossDestinationKindsAndValidationCanBeSkipped() {
        s3.createBucket(b -> b.bucket("mixed"));
        String queue = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":no-such-queue";
        assertThatThrownBy(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("mixed").notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(queue).events(Event.S3_OBJECT_CREATED))
                .lambdaFunctionConfigurations(l -> l.lambdaFunctionArn(arn("gone")).events(Event.S3_OBJECT_REMOVED)))))
                .satisfies(e -> assertThat(body(e)).contains("<ArgumentName1>" + queue + "</ArgumentName1>")
                        .contains("<ArgumentValue1>The destination queue does not exist</ArgumentValue1>"))
                .satisfies(e -> assertNotAuthorized(e, 2, arn("gone")));

        s3.putBucketNotificationConfiguration(b -> b.bucket("mixed").skipDestinationValidation(true)
                .notificationConfiguration(n -> n.lambdaFunctionConfigurations(l -> l.lambdaFunctionArn(arn("gone"))
                        .events(Event.S3_OBJECT_REMOVED))));
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("mixed")).lambdaFunctionConfigurations())
                .singleElement().satisfies(c -> {
                    assertThat(c.lambdaFunctionArn()).isEqualTo(arn("gone"));
                    // S3 names a destination sent without an Id: the base64 of a random UUID
                    assertThat(new String(java.util.Base64.getDecoder().decode(c.id()), StandardCharsets.US_ASCII))
                            .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
                });
        // events for a function that does not exist are dropped; S3 keeps working
        s3.deleteObject(b -> b.bucket("mixed").key("anything"));
    }

    @Test
    void theLegacyPutBucketNotificationChecksItsCloudFunctionToo() {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        s3.createBucket(b -> b.bucket("legacy"));
        createFunction("old-style");
        String config = "{\"CloudFunctionConfiguration\":{\"Id\":\"cf\",\"CloudFunction\":\"" + arn("old-style")
                + "\",\"Events\":[\"s3:ObjectCreated:*\"]}}";
        AwsCli.Result refused = AwsCli.run(terrarium, Map.of(), "s3api", "put-bucket-notification", "--bucket", "legacy",
                "--notification-configuration", config);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("InvalidArgument")
                .contains("Unable to validate the following destination configurations");
        allowS3("old-style", "s3", "legacy");
        AwsCli.Result stored = AwsCli.run(terrarium, Map.of(), "s3api", "put-bucket-notification", "--bucket", "legacy",
                "--notification-configuration", config);
        assertThat(stored.exitCode()).as(stored.stderr()).isZero();
        assertThat(s3.getBucketNotificationConfiguration(b -> b.bucket("legacy")).lambdaFunctionConfigurations())
                .extracting(LambdaFunctionConfiguration::lambdaFunctionArn).containsExactly(arn("old-style"));
    }

    @Test
    void anAllowedFunctionIsInvokedAsynchronouslyWithTheS3Event() throws Exception {
        sqs.createQueue(b -> b.queueName("invocations"));
        createFunction("on-photo");
        allowS3("on-photo", "s3", "photos");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("on-photo").destinationConfig(d -> d.onSuccess(
                s -> s.destination("arn:aws:sqs:us-east-1:" + ACCOUNT + ":invocations"))));
        s3.createBucket(b -> b.bucket("photos"));
        notifyFunction("photos", arn("on-photo"));

        s3.putObject(b -> b.bucket("photos").key("notes.txt"), RequestBody.fromString("filtered out"));
        // S3 invokes as s3.amazonaws.com: without the permission any more, the event is not delivered
        lambda.removePermission(b -> b.functionName("on-photo").statementId("s3"));
        s3.putObject(b -> b.bucket("photos").key("dog.jpg"), RequestBody.fromString("woof"));
        allowS3("on-photo", "s3-again", "photos");
        var put = s3.putObject(b -> b.bucket("photos").key("cat 1.jpg"), RequestBody.fromString("meow"));

        List<JsonNode> records = new ArrayList<>();
        long until = System.currentTimeMillis() + 20_000;
        String url = terrarium.endpoint() + "/" + ACCOUNT + "/invocations";
        while (records.stream().noneMatch(r -> r.at("/s3/object/key").asText().equals("cat+1.jpg"))
                && System.currentTimeMillis() < until) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10))
                    .messages()) {
                JsonNode invocation = JSON.readTree(m.body());
                assertThat(invocation.at("/requestContext/functionArn").asText()).isEqualTo(arn("on-photo") + ":$LATEST");
                assertThat(invocation.at("/requestContext/condition").asText()).isEqualTo("Success");
                invocation.path("requestPayload").path("Records").forEach(records::add);
            }
        }
        assertThat(records).as("the function was invoked with the upload's event").hasSize(1);
        JsonNode r = records.get(0);
        assertThat(r.path("eventVersion").asText()).isEqualTo("2.1");
        assertThat(r.path("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(r.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(r.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(r.path("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(r.at("/s3/s3SchemaVersion").asText()).isEqualTo("1.0");
        assertThat(r.at("/s3/configurationId").asText()).isEqualTo("to-function");
        assertThat(r.at("/s3/bucket/name").asText()).isEqualTo("photos");
        assertThat(r.at("/s3/bucket/arn").asText()).isEqualTo("arn:aws:s3:::photos");
        assertThat(r.at("/s3/object/key").asText()).isEqualTo("cat+1.jpg");
        assertThat(r.at("/s3/object/size").asLong()).isEqualTo(4);
        assertThat(r.at("/s3/object/eTag").asText()).isEqualTo(put.eTag().replace("\"", ""));
        assertThat(r.at("/s3/object/sequencer").asText()).isNotEmpty();
        assertThat(r.at("/responseElements/x-amz-request-id").asText()).isNotEmpty();
    }
}
