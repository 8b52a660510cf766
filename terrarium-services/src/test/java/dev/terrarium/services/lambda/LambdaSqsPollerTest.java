package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQS poller reads queues directly from the SQS service: batches and windows, binary attributes, redrive of failures. */
class LambdaSqsPollerTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();

    static final String HANDLER = """
            def handler(event, context):
                bodies = [r["body"] for r in event["Records"]]
                print("batch", len(bodies), ",".join(bodies))
                for r in event["Records"]:
                    b = r["messageAttributes"].get("bin")
                    if b:
                        print("bin", b["binaryValue"], b["dataType"])
                if any("fail" in b for b in bodies):
                    raise RuntimeError("failing batch")
                return {}
            """;

    private List<String> lines(CloudWatchLogsClient logs, String function, String prefix) {
        try {
            return logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/" + function)).events().stream()
                    .map(FilteredLogEvent::message).filter(l -> l.startsWith(prefix)).toList();
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException e) {
            return List.of();
        }
    }

    private void createFunction(LambdaClient lambda, String name) {
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", HANDLER)))));
    }

    @Test
    void batchingWindowGathersMoreThanTenMessagesIntoOneBatch() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        SqsClient sqs = terrarium.client(SqsClient::builder);
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        String url = sqs.createQueue(b -> b.queueName("many")).queueUrl();
        createFunction(lambda, "gatherer");
        for (int from = 0; from < 25; from += 10) {
            int start = from;
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(start, Math.min(25, start + 10))
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("m" + i)
                            .messageAttributes(i == 0 ? Map.of("bin", MessageAttributeValue.builder().dataType("Binary")
                                    .binaryValue(SdkBytes.fromUtf8String("hi")).build()) : Map.of()).build()).toList()));
        }
        lambda.createEventSourceMapping(b -> b.functionName("gatherer").eventSourceArn("arn:aws:sqs:us-east-1:000000000000:many")
                .batchSize(100).maximumBatchingWindowInSeconds(1));
        long until = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < until && lines(logs, "gatherer", "batch").isEmpty()) {
            Thread.sleep(100);
        }
        List<String> batches = lines(logs, "gatherer", "batch");
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).startsWith("batch 25 ");
        assertThat(lines(logs, "gatherer", "bin")).containsExactly("bin aGk= Binary");
        until = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < until && count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) > 0) {
            Thread.sleep(50);
        }
        assertThat(count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isZero();
    }

    @Test
    void failingBatchReturnsAfterItsVisibilityTimeoutAndIsRedrivenToTheDeadLetterQueue() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        SqsClient sqs = terrarium.client(SqsClient::builder);
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        String dlq = sqs.createQueue(b -> b.queueName("poison-dlq")).queueUrl();
        String url = sqs.createQueue(b -> b.queueName("poison").attributesWithStrings(Map.of("VisibilityTimeout", "1",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:poison-dlq\",\"maxReceiveCount\":\"2\"}")))
                .queueUrl();
        createFunction(lambda, "victim");
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("please fail"));
        lambda.createEventSourceMapping(b -> b.functionName("victim").eventSourceArn("arn:aws:sqs:us-east-1:000000000000:poison")
                .batchSize(1));
        long until = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < until && count(sqs, dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0) {
            Thread.sleep(100);
        }
        assertThat(count(sqs, dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo(1);
        assertThat(lines(logs, "victim", "batch")).containsExactly("batch 1 please fail", "batch 1 please fail");
    }

    private static int count(SqsClient sqs, String url, QueueAttributeName name) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name));
    }

    @Test
    void filterCriteriaSendOnlyMatchingMessagesAndDeleteTheRest() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        SqsClient sqs = terrarium.client(SqsClient::builder);
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        String url = sqs.createQueue(b -> b.queueName("filtered")).queueUrl();
        createFunction(lambda, "choosy");
        for (String body : List.of("{\"kind\": \"keep\", \"n\": 5}", "{\"kind\": \"drop\"}", "plain text",
                "{\"kind\": \"keep\", \"n\": 50}")) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
        var created = lambda.createEventSourceMapping(b -> b.functionName("choosy")
                .eventSourceArn("arn:aws:sqs:us-east-1:000000000000:filtered").batchSize(10)
                .filterCriteria(f -> f.filters(p -> p.pattern("{\"body\": {\"kind\": [\"keep\"], \"n\": [{\"numeric\": [\"<\", 10]}]}}"),
                        p -> p.pattern("{\"body\": [{\"prefix\": \"plain\"}]}"))));
        assertThat(created.filterCriteria().filters()).hasSize(2);
        long until = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < until && (count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + count(sqs, url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) > 0)) {
            Thread.sleep(100);
        }
        Thread.sleep(200);
        List<String> bodies = lines(logs, "choosy", "batch").stream().flatMap(l -> java.util.Arrays.stream(l.split(" ", 3)[2].split(",(?=\\{|plain)"))).toList();
        assertThat(bodies).containsExactlyInAnyOrder("{\"kind\": \"keep\", \"n\": 5}", "plain text");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("choosy")
                .eventSourceArn("arn:aws:sqs:us-east-1:000000000000:filtered")))
                .isInstanceOf(software.amazon.awssdk.services.lambda.model.ResourceConflictException.class);
    }
}
