package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaSqsMappingTest {
    private static TestServer terrarium;
    private static LambdaClient lambda;
    private static SqsClient sqs;
    private static CloudWatchLogsClient logs;

    static final String HANDLER = """
            def handler(event, context):
                failures = []
                for r in event["Records"]:
                    print("got", r["body"], r["eventSource"], r["messageAttributes"].get("kind", {}).get("stringValue"))
                    if "fail" in r["body"]:
                        failures.append({"itemIdentifier": r["messageId"]})
                return {"batchItemFailures": failures}
            """;

    @BeforeAll
    static void start() {
        terrarium = TestServer.start();
        lambda = terrarium.client(LambdaClient::builder);
        sqs = terrarium.client(SqsClient::builder);
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    @AfterAll
    static void stop() {
        terrarium.reset();
        lambda.close();
        sqs.close();
        logs.close();
        terrarium.close();
    }

    @Test
    void sqsBatchesInvokeTheFunctionAndOnlyFailedItemsStay() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("jobs").attributesWithStrings(Map.of("VisibilityTimeout", "30"))).queueUrl();
        String arn = "arn:aws:sqs:us-east-1:000000000000:jobs";
        lambda.createFunction(b -> b.functionName("worker").runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", HANDLER)))));

        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("nope").eventSourceArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("worker").eventSourceArn(arn).batchSize(50)))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("worker")
                .eventSourceArn("arn:aws:kinesis:us-east-1:000000000000:stream/s"))).isInstanceOf(InvalidParameterValueException.class);

        for (String body : List.of("one", "two", "please fail", "three")) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageAttributes(Map.of("kind",
                    software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String").stringValue("job").build())));
        }
        var created = lambda.createEventSourceMapping(b -> b.functionName("worker").eventSourceArn(arn).batchSize(10)
                .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
        assertThat(created.state()).isEqualTo("Creating");
        assertThat(created.functionArn()).endsWith(":function:worker");

        long until = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < until && visible(url) + inFlight(url) != 1) {
            Thread.sleep(100);
        }
        List<String> all = logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/worker")).events()
                .stream().map(FilteredLogEvent::message).toList();
        assertThat(visible(url) + inFlight(url)).as("only the failed message stays; log: %s", all).isEqualTo(1);
        List<String> lines = all.stream().filter(l -> l.startsWith("got")).toList();
        assertThat(lines).contains("got one aws:sqs job", "got two aws:sqs job", "got please fail aws:sqs job", "got three aws:sqs job");

        assertThat(lambda.getEventSourceMapping(b -> b.uuid(created.uuid())).state()).isEqualTo("Enabled");
        assertThat(lambda.listEventSourceMappings(b -> b.functionName("worker")).eventSourceMappings()).hasSize(1);
        assertThat(lambda.updateEventSourceMapping(b -> b.uuid(created.uuid()).enabled(false)).state()).isEqualTo("Disabled");
        assertThat(lambda.deleteEventSourceMapping(b -> b.uuid(created.uuid())).state()).isEqualTo("Deleting");
        assertThatThrownBy(() -> lambda.getEventSourceMapping(b -> b.uuid(created.uuid()))).isInstanceOf(ResourceNotFoundException.class);
    }

    private static int visible(String url) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static int inFlight(String url) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
