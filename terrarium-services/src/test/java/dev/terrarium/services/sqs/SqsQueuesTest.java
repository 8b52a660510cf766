package dev.terrarium.services.sqs;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqsQueuesTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        sqs = terrarium.client(SqsClient::builder);
    }

    static String errorCode(Throwable t) {
        return ((SqsException) t).awsErrorDetails().errorCode();
    }

    @Test
    void createQueueAnswersUrlWithHostAccountAndName() {
        String url = sqs.createQueue(b -> b.queueName("orders")).queueUrl();
        assertThat(url).isEqualTo(terrarium.endpoint() + "/000000000000/orders");
        assertThat(sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl()).isEqualTo(url);
    }

    @Test
    void createQueueIsIdempotentWithSameAttributesAndRefusesDifferentOnes() {
        String url = sqs.createQueue(b -> b.queueName("q").attributesWithStrings(Map.of("VisibilityTimeout", "45"))).queueUrl();
        assertThat(sqs.createQueue(b -> b.queueName("q").attributesWithStrings(Map.of("VisibilityTimeout", "45"))).queueUrl())
                .isEqualTo(url);
        assertThat(sqs.createQueue(b -> b.queueName("q")).queueUrl()).isEqualTo(url);
        assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("q").attributesWithStrings(Map.of("VisibilityTimeout", "46"))))
                .satisfies(e -> assertThat(errorCode(e)).isIn("QueueNameExists", "QueueAlreadyExists"))
                .hasMessageContaining("VisibilityTimeout");
    }

    @Test
    void badQueueNamesAreRefused() {
        assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("has space")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("x".repeat(81))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("plain").attributesWithStrings(Map.of("FifoQueue", "true"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void unknownQueueIsQueueDoesNotExist() {
        assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("nope"))).isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(terrarium.endpoint() + "/000000000000/nope").messageBody("x")))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void getQueueUrlOfAnotherAccountsQueue() {
        try (SqsClient other = terrarium.client(SqsClient::builder, AwsBasicCredentials.create("111122223333", "x"))) {
            String url = other.createQueue(b -> b.queueName("shared")).queueUrl();
            assertThat(url).endsWith("/111122223333/shared");
            assertThat(sqs.getQueueUrl(b -> b.queueName("shared").queueOwnerAWSAccountId("111122223333")).queueUrl()).isEqualTo(url);
            assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("shared"))).isInstanceOf(QueueDoesNotExistException.class);
        }
    }

    @Test
    void listQueuesByPrefixAndInPages() {
        for (String n : List.of("a1", "a2", "a3", "b1")) {
            sqs.createQueue(b -> b.queueName(n));
        }
        assertThat(sqs.listQueues().queueUrls()).hasSize(4);
        assertThat(sqs.listQueues(b -> b.queueNamePrefix("a")).queueUrls()).hasSize(3).allMatch(u -> u.contains("/a"));
        var first = sqs.listQueues(b -> b.maxResults(2));
        assertThat(first.queueUrls()).hasSize(2);
        assertThat(first.nextToken()).isNotNull();
        var second = sqs.listQueues(b -> b.maxResults(2).nextToken(first.nextToken()));
        assertThat(second.queueUrls()).hasSize(2).doesNotContainAnyElementsOf(first.queueUrls());
        assertThat(second.nextToken()).isNull();
        assertThat(sqs.listQueuesPaginator(b -> b.maxResults(1)).queueUrls()).hasSize(4);
        assertThatThrownBy(() -> sqs.listQueues(b -> b.maxResults(1).nextToken("garbage")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.listQueues(b -> b.maxResults(1001)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void deletedQueueIsGoneAndItsNameWaitsSixtySeconds() {
        String url = sqs.createQueue(b -> b.queueName("gone")).queueUrl();
        sqs.deleteQueue(b -> b.queueUrl(url));
        assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("gone"))).isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> sqs.deleteQueue(b -> b.queueUrl(url))).isInstanceOf(QueueDoesNotExistException.class);
        assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("gone")))
                .satisfies(e -> assertThat(errorCode(e)).isIn("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently"));
    }

    @Test
    void defaultAttributesAsAws() {
        String url = sqs.createQueue(b -> b.queueName("attrs")).queueUrl();
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributesAsStrings();
        assertThat(a).containsEntry("VisibilityTimeout", "30").containsEntry("DelaySeconds", "0")
                .containsEntry("MaximumMessageSize", "1048576").containsEntry("MessageRetentionPeriod", "345600")
                .containsEntry("ReceiveMessageWaitTimeSeconds", "0").containsEntry("SqsManagedSseEnabled", "true")
                .containsEntry("ApproximateNumberOfMessages", "0").containsEntry("ApproximateNumberOfMessagesNotVisible", "0")
                .containsEntry("ApproximateNumberOfMessagesDelayed", "0")
                .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:000000000000:attrs")
                .containsKeys("CreatedTimestamp", "LastModifiedTimestamp")
                .doesNotContainKeys("FifoQueue", "ContentBasedDeduplication", "RedrivePolicy");
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url)).attributes()).isEmpty();
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributesAsStrings()).containsOnlyKeys("QueueArn");
    }

    @Test
    void setQueueAttributesChecksEveryValue() {
        String url = sqs.createQueue(b -> b.queueName("set")).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("VisibilityTimeout", "60",
                "DelaySeconds", "5", "MaximumMessageSize", "2048", "MessageRetentionPeriod", "60",
                "ReceiveMessageWaitTimeSeconds", "20", "Policy", "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
                "KmsMasterKeyId", "alias/aws/sqs", "KmsDataKeyReusePeriodSeconds", "600")));
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All")).attributesAsStrings();
        assertThat(a).containsEntry("VisibilityTimeout", "60").containsEntry("DelaySeconds", "5")
                .containsEntry("MaximumMessageSize", "2048").containsEntry("ReceiveMessageWaitTimeSeconds", "20")
                .containsEntry("KmsMasterKeyId", "alias/aws/sqs").containsEntry("SqsManagedSseEnabled", "false")
                .containsEntry("KmsDataKeyReusePeriodSeconds", "600").containsKey("Policy");
        for (Map<String, String> bad : List.of(Map.of("VisibilityTimeout", "43201"), Map.of("DelaySeconds", "-1"),
                Map.of("MaximumMessageSize", "1023"), Map.of("MessageRetentionPeriod", "1209601"),
                Map.of("ReceiveMessageWaitTimeSeconds", "21"), Map.of("VisibilityTimeout", "ten"),
                Map.of("Policy", "not json"), Map.of("RedrivePolicy", "{\"maxReceiveCount\":3}"),
                Map.of("SqsManagedSseEnabled", "maybe"))) {
            assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(bad)))
                    .as(bad.toString()).satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidAttributeValue"));
        }
        assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("Color", "red"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidAttributeName"));
        assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("QueueArn", "x"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidAttributeName"));
        assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("ContentBasedDeduplication", "true"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidAttributeName"));
        assertThatThrownBy(() -> sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("Nope")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidAttributeName"));
    }

    @Test
    void tagsOnCreateAndAfter() {
        String url = sqs.createQueue(b -> b.queueName("tagged").tags(Map.of("team", "a"))).queueUrl();
        sqs.tagQueue(b -> b.queueUrl(url).tags(Map.of("env", "dev", "team", "b")));
        assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags()).isEqualTo(Map.of("team", "b", "env", "dev"));
        sqs.untagQueue(b -> b.queueUrl(url).tagKeys("team"));
        assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags()).isEqualTo(Map.of("env", "dev"));
        assertThatThrownBy(() -> sqs.tagQueue(b -> b.queueUrl(url).tags(Map.of("aws:x", "y"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void permissionsEditThePolicy() {
        String url = sqs.createQueue(b -> b.queueName("perm")).queueUrl();
        sqs.addPermission(b -> b.queueUrl(url).label("l1").awsAccountIds("111122223333").actions("SendMessage"));
        String policy = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.POLICY))
                .attributesAsStrings().get("Policy");
        assertThat(policy).contains("\"Sid\":\"l1\"").contains("arn:aws:iam::111122223333:root").contains("SQS:SendMessage");
        assertThatThrownBy(() -> sqs.addPermission(b -> b.queueUrl(url).label("l1").awsAccountIds("111122223333").actions("SendMessage")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        sqs.removePermission(b -> b.queueUrl(url).label("l1"));
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributes()).isEmpty();
        assertThatThrownBy(() -> sqs.removePermission(b -> b.queueUrl(url).label("l1")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void missingRequiredParameterIsMissingParameter() {
        assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName(null)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("MissingParameter"));
    }

    @Test
    void malformedQueueUrlIsInvalidAddress() {
        assertThatThrownBy(() -> sqs.purgeQueue(b -> b.queueUrl("http://127.0.0.1/not-a-queue-url")))
                .satisfies(e -> assertThat(errorCode(e)).isIn("InvalidAddress", "AWS.SimpleQueueService.InvalidAddress"));
    }

    @Test
    void purgeEmptiesAndOnlyOncePerMinute() {
        String url = sqs.createQueue(b -> b.queueName("purge")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("x"));
        sqs.purgeQueue(b -> b.queueUrl(url));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
        assertThatThrownBy(() -> sqs.purgeQueue(b -> b.queueUrl(url)))
                .satisfies(e -> assertThat(errorCode(e)).isIn("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress"));
    }
}
