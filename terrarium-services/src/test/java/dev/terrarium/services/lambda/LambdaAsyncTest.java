package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionEventInvokeConfig;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Asynchronous invocation: retries, destinations, dead-letter queues and the event invoke configuration API. */
class LambdaAsyncTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    static final ObjectMapper JSON = new ObjectMapper();

    static final String HANDLER = """
            def handler(event, context):
                print("event", event)
                if event.get("fail"):
                    raise ValueError("boom: " + event["fail"])
                return {"ok": True, "got": event.get("n")}
            """;

    private LambdaClient lambda() {
        return terrarium.client(LambdaClient::builder);
    }

    private SqsClient sqs() {
        return terrarium.client(SqsClient::builder);
    }

    private void createFunction(LambdaClient lambda, String name, String dlq) {
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", HANDLER))))
                .deadLetterConfig(d -> d.targetArn(dlq)));
    }

    private String queue(SqsClient sqs, String name) {
        sqs.createQueue(b -> b.queueName(name));
        return "arn:aws:sqs:us-east-1:000000000000:" + name;
    }

    private static String url(String name) {
        return url(terrarium, name);
    }

    static String url(TerrariumExtension terrarium, String name) {
        return terrarium.endpoint() + "/000000000000/" + name;
    }

    /** Waits for n messages on a queue (or the timeout) and returns what arrived. */
    static List<Message> receive(SqsClient sqs, String name, int n, long timeoutMillis) throws InterruptedException {
        return receive(LambdaAsyncTest.terrarium, sqs, name, n, timeoutMillis, 1);
    }

    static List<Message> receive(TerrariumExtension terrarium, SqsClient sqs, String name, int n, long timeoutMillis, int wait) throws InterruptedException {
        List<Message> got = new ArrayList<>();
        long until = System.currentTimeMillis() + timeoutMillis;
        while (got.size() < n && System.currentTimeMillis() < until) {
            if (wait == 0) {
                Thread.sleep(100);
            }
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(url(terrarium, name)).maxNumberOfMessages(10).waitTimeSeconds(wait)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages());
        }
        return got;
    }

    private static void invokeEvent(LambdaClient lambda, String name, String payload) {
        var r = lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(payload)));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.payload().asByteArray()).isEmpty();
    }

    @Test
    void failedEventIsRetriedAndItsRecordGoesToTheFailureQueue() throws Exception {
        LambdaClient lambda = lambda();
        SqsClient sqs = sqs();
        String failures = queue(sqs, "failures");
        createFunction(lambda, "flaky", null);
        var put = lambda.putFunctionEventInvokeConfig(b -> b.functionName("flaky").maximumRetryAttempts(1)
                .destinationConfig(d -> d.onFailure(f -> f.destination(failures))));
        assertThat(put.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:flaky:$LATEST");
        assertThat(put.maximumRetryAttempts()).isEqualTo(1);
        assertThat(put.maximumEventAgeInSeconds()).isNull();

        invokeEvent(lambda, "flaky", "{\"fail\": \"always\", \"n\": 7}");
        List<Message> got = receive(sqs, "failures", 1, 15_000);
        assertThat(got).hasSize(1);
        JsonNode record = JSON.readTree(got.get(0).body());
        assertThat(record.path("version").asText()).isEqualTo("1.0");
        assertThat(record.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode context = record.path("requestContext");
        assertThat(context.path("requestId").asText()).matches("[0-9a-f-]{36}");
        assertThat(context.path("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:flaky:$LATEST");
        assertThat(context.path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(context.path("approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(record.path("requestPayload")).isEqualTo(JSON.readTree("{\"fail\": \"always\", \"n\": 7}"));
        assertThat(record.path("responseContext")).isEqualTo(JSON.readTree(
                "{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"}"));
        assertThat(record.path("responsePayload").path("errorMessage").asText()).isEqualTo("boom: always");
        assertThat(record.path("responsePayload").path("errorType").asText()).isEqualTo("ValueError");
        List<String> keys = new ArrayList<>();
        record.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("version", "timestamp", "requestContext", "requestPayload", "responseContext",
                "responsePayload");
    }

    @Test
    void defaultRetriesAreTwoSoTheEventRunsThreeTimes() throws Exception {
        LambdaClient lambda = lambda();
        SqsClient sqs = sqs();
        String failures = queue(sqs, "failures3");
        createFunction(lambda, "flaky3", null);
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("flaky3")
                .destinationConfig(d -> d.onFailure(f -> f.destination(failures))));
        invokeEvent(lambda, "flaky3", "{\"fail\": \"x\"}");
        List<Message> got = receive(sqs, "failures3", 1, 20_000);
        assertThat(got).hasSize(1);
        assertThat(JSON.readTree(got.get(0).body()).path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);
    }

    @Test
    void successRecordGoesToTheSuccessQueueWithTheResponse() throws Exception {
        LambdaClient lambda = lambda();
        SqsClient sqs = sqs();
        String ok = queue(sqs, "successes");
        createFunction(lambda, "fine", null);
        lambda.publishVersion(b -> b.functionName("fine"));
        lambda.createAlias(b -> b.functionName("fine").name("live").functionVersion("1"));
        var put = lambda.putFunctionEventInvokeConfig(b -> b.functionName("fine").qualifier("live")
                .maximumEventAgeInSeconds(120).destinationConfig(d -> d.onSuccess(s -> s.destination(ok))));
        assertThat(put.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:fine:live");

        invokeEvent(lambda, "fine:live", "{\"n\": 1}");
        List<Message> got = receive(sqs, "successes", 1, 15_000);
        assertThat(got).hasSize(1);
        JsonNode record = JSON.readTree(got.get(0).body());
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("Success");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.path("requestContext").path("functionArn").asText()).endsWith(":function:fine:live");
        assertThat(record.path("responseContext")).isEqualTo(JSON.readTree("{\"statusCode\":200,\"executedVersion\":\"1\"}"));
        assertThat(record.path("responsePayload")).isEqualTo(JSON.readTree("{\"ok\": true, \"got\": 1}"));

        // the unqualified function has no configuration of its own: no record for it
        invokeEvent(lambda, "fine", "{\"n\": 2}");
        assertThat(receive(sqs, "successes", 1, 2_500)).isEmpty();

        // the deprecated InvokeAsync queues an event the same way
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("fine").destinationConfig(d -> d.onSuccess(s -> s.destination(ok))));
        if (AwsCli.available()) {
            Path args = Files.createTempFile("invoke-args", ".json");
            Files.writeString(args, "{\"n\": 3}");
            AwsCli.Result r = AwsCli.run(terrarium, Map.of(), "lambda", "invoke-async", "--function-name", "fine",
                    "--invoke-args", args.toString());
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(JSON.readTree(r.stdout()).path("Status").asInt()).isEqualTo(202);
        } else {
            invokeEvent(lambda, "fine", "{\"n\": 3}");
        }
        got = receive(sqs, "successes", 1, 15_000);
        assertThat(got).hasSize(1);
        assertThat(JSON.readTree(got.get(0).body()).path("responsePayload").path("got").asInt()).isEqualTo(3);
    }

    @Test
    void deadLetterQueueGetsTheEventWithLambdasAttributes() throws Exception {
        LambdaClient lambda = lambda();
        SqsClient sqs = sqs();
        String dlq = queue(sqs, "dead");
        createFunction(lambda, "doomed", dlq);
        assertThat(lambda.getFunctionConfiguration(b -> b.functionName("doomed")).deadLetterConfig().targetArn()).isEqualTo(dlq);
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("doomed").maximumRetryAttempts(0));

        invokeEvent(lambda, "doomed", "{\"fail\": \"dlq\"}");
        List<Message> got = receive(sqs, "dead", 1, 15_000);
        assertThat(got).hasSize(1);
        Message m = got.get(0);
        assertThat(m.body()).isEqualTo("{\"fail\": \"dlq\"}");
        assertThat(m.messageAttributes().get("RequestID").stringValue()).matches("[0-9a-f-]{36}");
        assertThat(m.messageAttributes().get("ErrorCode").dataType()).isEqualTo("Number");
        assertThat(m.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("200");
        assertThat(m.messageAttributes().get("ErrorMessage").stringValue()).isEqualTo("boom: dlq");

        assertThat(lambda.updateFunctionConfiguration(b -> b.functionName("doomed").deadLetterConfig(d -> d.targetArn("")))
                .deadLetterConfig()).isNull();
        assertThatThrownBy(() -> lambda.updateFunctionConfiguration(b -> b.functionName("doomed")
                .deadLetterConfig(d -> d.targetArn("arn:aws:s3:::bucket")))).isInstanceOf(InvalidParameterValueException.class);
    }

    @Test
    void failureDestinationCanBeAnotherFunction() throws Exception {
        LambdaClient lambda = lambda();
        SqsClient sqs = sqs();
        String ok = queue(sqs, "relay");
        createFunction(lambda, "first", null);
        createFunction(lambda, "second", null);
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("first").maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:lambda:us-east-1:000000000000:function:second"))));
        // second gets first's failure record as its event (it has no "fail" member, so second succeeds)
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("second")
                .destinationConfig(d -> d.onSuccess(s -> s.destination(ok))));
        invokeEvent(lambda, "first", "{\"fail\": \"relay\"}");
        List<Message> got = receive(sqs, "relay", 1, 15_000);
        assertThat(got).hasSize(1);
        JsonNode record = JSON.readTree(got.get(0).body());
        assertThat(record.path("requestContext").path("functionArn").asText()).endsWith(":function:second:$LATEST");
        JsonNode firstRecord = record.path("requestPayload");
        assertThat(firstRecord.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(firstRecord.path("requestPayload").path("fail").asText()).isEqualTo("relay");
    }

    @Test
    void eventInvokeConfigApiValidatesAsLambdaDoes() {
        LambdaClient lambda = lambda();
        createFunction(lambda, "cfg", null);
        createFunction(lambda, "other", null);

        assertThatThrownBy(() -> lambda.getFunctionEventInvokeConfig(b -> b.functionName("cfg")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("The function arn:aws:lambda:us-east-1:000000000000:function:cfg:$LATEST doesn't have an EventInvokeConfig");
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg")))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("You must specify at least one of error handling or destination setting.");
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("nope").maximumRetryAttempts(1)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("The function doesn't exist.");
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg").qualifier("9").maximumRetryAttempts(1)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumRetryAttempts(3)))
                .isInstanceOf(LambdaException.class).satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumEventAgeInSeconds(59)))
                .isInstanceOf(LambdaException.class).satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg")
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:lambda:us-east-1:000000000000:function:cfg")))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("You can't specify the function as a destination for itself.");
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg")
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:lambda:us-east-1:000000000000:function:ghost")))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("The destination ARN arn:aws:lambda:us-east-1:000000000000:function:ghost is invalid.");
        assertThatThrownBy(() -> lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg")
                .destinationConfig(d -> d.onSuccess(f -> f.destination("arn:aws:s3:::bucket")))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:s3:::bucket), onFailure=null) is invalid.");
        assertThatThrownBy(() -> lambda.updateFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumRetryAttempts(1)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("doesn't have an EventInvokeConfig");

        lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumRetryAttempts(0).destinationConfig(d -> d
                .onSuccess(s -> s.destination("arn:aws:sns:us-east-1:000000000000:topic"))
                .onFailure(f -> f.destination("arn:aws:events:us-east-1:000000000000:event-bus/default"))));
        var updated = lambda.updateFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumEventAgeInSeconds(600));
        assertThat(updated.maximumRetryAttempts()).isEqualTo(0);
        assertThat(updated.maximumEventAgeInSeconds()).isEqualTo(600);
        assertThat(updated.destinationConfig().onSuccess().destination()).isEqualTo("arn:aws:sns:us-east-1:000000000000:topic");
        assertThat(updated.lastModified()).isNotNull();
        // Put replaces the whole configuration
        var replaced = lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumRetryAttempts(2));
        assertThat(replaced.maximumEventAgeInSeconds()).isNull();
        assertThat(replaced.destinationConfig().onSuccess().destination()).isNull();

        lambda.publishVersion(b -> b.functionName("cfg"));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("cfg").qualifier("1").maximumRetryAttempts(1));
        assertThat(lambda.listFunctionEventInvokeConfigs(b -> b.functionName("cfg")).functionEventInvokeConfigs())
                .extracting(FunctionEventInvokeConfig::functionArn)
                .containsExactlyInAnyOrder("arn:aws:lambda:us-east-1:000000000000:function:cfg:$LATEST",
                        "arn:aws:lambda:us-east-1:000000000000:function:cfg:1");
        var page = lambda.listFunctionEventInvokeConfigs(b -> b.functionName("cfg").maxItems(1));
        assertThat(page.functionEventInvokeConfigs()).hasSize(1);
        assertThat(page.nextMarker()).isNotNull();
        assertThat(lambda.listFunctionEventInvokeConfigs(b -> b.functionName("cfg").maxItems(1).marker(page.nextMarker()))
                .functionEventInvokeConfigs()).hasSize(1);
        assertThatThrownBy(() -> lambda.listFunctionEventInvokeConfigs(b -> b.functionName("nope")))
                .isInstanceOf(ResourceNotFoundException.class);

        lambda.deleteFunctionEventInvokeConfig(b -> b.functionName("cfg").qualifier("1"));
        assertThatThrownBy(() -> lambda.deleteFunctionEventInvokeConfig(b -> b.functionName("cfg").qualifier("1")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(lambda.getFunctionEventInvokeConfig(b -> b.functionName("cfg")).maximumRetryAttempts()).isEqualTo(2);
        assertThat(lambda.listFunctions().functions()).hasSize(2);
    }

    @Test
    void s3NotificationsInvokeTheFunctionAsynchronously() throws Exception {
        LambdaClient lambda = lambda();
        SqsClient sqs = sqs();
        String ok = queue(sqs, "from-s3");
        createFunction(lambda, "on-upload", null);
        // S3 checks that the function lets it invoke it before it stores the configuration
        lambda.addPermission(b -> b.functionName("on-upload").statementId("s3").action("lambda:InvokeFunction")
                .principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::uploads").sourceAccount("000000000000"));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("on-upload").destinationConfig(d -> d.onSuccess(s -> s.destination(ok))));
        try (software.amazon.awssdk.services.s3.S3Client s3 = terrarium.client(
                () -> software.amazon.awssdk.services.s3.S3Client.builder().forcePathStyle(true))) {
            s3.createBucket(b -> b.bucket("uploads"));
            s3.putBucketNotificationConfiguration(b -> b.bucket("uploads").notificationConfiguration(n -> n
                    .lambdaFunctionConfigurations(l -> l.lambdaFunctionArn("arn:aws:lambda:us-east-1:000000000000:function:on-upload")
                            .events(software.amazon.awssdk.services.s3.model.Event.S3_OBJECT_CREATED))));
            s3.putObject(b -> b.bucket("uploads").key("photo.jpg"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        }
        JsonNode event = null;
        long until = System.currentTimeMillis() + 15_000;
        while (event == null && System.currentTimeMillis() < until) {
            for (Message m : receive(sqs, "from-s3", 1, 1_000)) {
                JsonNode record = JSON.readTree(m.body()).path("requestPayload").path("Records").path(0);
                if (!record.isMissingNode()) {
                    event = record;
                }
            }
        }
        assertThat(event).as("an invocation record for the upload").isNotNull();
        assertThat(event.path("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(event.path("s3").path("object").path("key").asText()).isEqualTo("photo.jpg");
    }
}
