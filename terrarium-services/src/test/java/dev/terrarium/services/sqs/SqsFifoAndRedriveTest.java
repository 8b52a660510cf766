package dev.terrarium.services.sqs;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.terrarium.services.sqs.SqsQueuesTest.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqsFifoAndRedriveTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        sqs = terrarium.client(SqsClient::builder);
    }

    private static void advance(int seconds) {
        terrarium.server().clock().advance(Duration.ofSeconds(seconds));
    }

    private static String fifo(String name, Map<String, String> attributes) {
        Map<String, String> a = new java.util.HashMap<>(attributes);
        a.put("FifoQueue", "true");
        return sqs.createQueue(b -> b.queueName(name).attributesWithStrings(a)).queueUrl();
    }

    private static List<Message> receive(String url, int max) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max).messageSystemAttributeNamesWithStrings("All"))
                .messages();
    }

    @Test
    void fifoDeliversInOrderPerGroupAndHoldsAGroupWhileInFlight() {
        String url = fifo("orders.fifo", Map.of());
        for (int i = 0; i < 3; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("a" + n).messageGroupId("A").messageDeduplicationId("a" + n));
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("b" + n).messageGroupId("B").messageDeduplicationId("b" + n));
        }
        List<Message> first = receive(url, 2);
        assertThat(first).extracting(Message::body).containsExactly("a0", "a1");
        List<Message> second = receive(url, 10);
        assertThat(second).extracting(Message::body).containsExactly("b0", "b1", "b2");
        assertThat(receive(url, 10)).isEmpty(); // both groups have messages in flight
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.get(0).receiptHandle()));
        assertThat(receive(url, 10)).isEmpty(); // a1 still in flight
        advance(30);
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("a1", "a2", "b0", "b1", "b2");
    }

    @Test
    void fifoSequenceNumbersGrowAndDeduplicationLastsFiveMinutes() {
        String url = fifo("dedup.fifo", Map.of());
        SendMessageResponse one = sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g").messageDeduplicationId("d"));
        SendMessageResponse dup = sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g").messageDeduplicationId("d"));
        assertThat(dup.messageId()).isEqualTo(one.messageId());
        assertThat(dup.sequenceNumber()).isEqualTo(one.sequenceNumber());
        assertThat(one.sequenceNumber()).hasSize(20);
        advance(301);
        SendMessageResponse later = sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g").messageDeduplicationId("d"));
        assertThat(later.messageId()).isNotEqualTo(one.messageId());
        assertThat(new java.math.BigInteger(later.sequenceNumber())).isGreaterThan(new java.math.BigInteger(one.sequenceNumber()));
        List<Message> got = receive(url, 10);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "g")
                .containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "d")
                .containsEntry(MessageSystemAttributeName.SEQUENCE_NUMBER, one.sequenceNumber());
    }

    @Test
    void contentBasedDeduplicationAndMessageGroupScope() {
        String url = fifo("content.fifo", Map.of("ContentBasedDeduplication", "true", "DeduplicationScope", "messageGroup",
                "FifoThroughputLimit", "perMessageGroupId"));
        String id1 = sqs.sendMessage(b -> b.queueUrl(url).messageBody("same").messageGroupId("g1")).messageId();
        assertThat(sqs.sendMessage(b -> b.queueUrl(url).messageBody("same").messageGroupId("g1")).messageId()).isEqualTo(id1);
        assertThat(sqs.sendMessage(b -> b.queueUrl(url).messageBody("same").messageGroupId("g2")).messageId()).isNotEqualTo(id1);
    }

    @Test
    void fifoOnlyRules() {
        String url = fifo("rules.fifo", Map.of());
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageDeduplicationId("d")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("MissingParameter"));
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"))
                .hasMessageContaining("ContentBasedDeduplication");
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g")
                .messageDeduplicationId("d").delaySeconds(5)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("FifoQueue", "false"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidAttributeValue"));
        assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("nofifo.fifo").attributesWithStrings(Map.of("FifoQueue", "false"))))
                .satisfies(e -> assertThat(errorCode(e)).isIn("InvalidParameterValue", "InvalidAttributeValue"));
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All")).attributesAsStrings())
                .containsEntry("FifoQueue", "true").containsEntry("ContentBasedDeduplication", "false")
                .containsEntry("DeduplicationScope", "queue").containsEntry("FifoThroughputLimit", "perQueue");
    }

    @Test
    void receiveRequestAttemptIdRepeatsTheSameReceive() {
        String url = fifo("attempt.fifo", Map.of());
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g").messageDeduplicationId("1"));
        Message first = sqs.receiveMessage(b -> b.queueUrl(url).receiveRequestAttemptId("try-1")).messages().get(0);
        Message again = sqs.receiveMessage(b -> b.queueUrl(url).receiveRequestAttemptId("try-1")).messages().get(0);
        assertThat(again.receiptHandle()).isEqualTo(first.receiptHandle());
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).receiveRequestAttemptId("try-2")).messages()).isEmpty();
    }

    @Test
    void maxReceiveCountMovesMessagesToTheDeadLetterQueueAndAMoveTaskBringsThemBack() throws Exception {
        String dlq = sqs.createQueue(b -> b.queueName("dlq")).queueUrl();
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:dlq";
        String src = sqs.createQueue(b -> b.queueName("src").attributesWithStrings(Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}", "VisibilityTimeout", "1"))).queueUrl();
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(src).attributeNamesWithStrings("RedrivePolicy")).attributesAsStrings())
                .containsEntry("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}");
        String id = sqs.sendMessage(b -> b.queueUrl(src).messageBody("poison")).messageId();
        assertThat(receive(src, 1)).hasSize(1);
        advance(1);
        assertThat(receive(src, 1)).hasSize(1);
        advance(1);
        assertThat(receive(src, 1)).isEmpty();
        List<Message> dead = receive(dlq, 1);
        assertThat(dead).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(id);
            assertThat(m.attributes()).containsEntry(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN,
                    "arn:aws:sqs:us-east-1:000000000000:src");
        });
        assertThat(sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls()).containsExactly(src);
        String src2 = sqs.createQueue(b -> b.queueName("src2").attributesWithStrings(Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}"))).queueUrl();
        var firstPage = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq).maxResults(1));
        assertThat(firstPage.queueUrls()).containsExactly(src);
        var secondPage = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq).maxResults(1).nextToken(firstPage.nextToken()));
        assertThat(secondPage.queueUrls()).containsExactly(src2);
        assertThat(secondPage.nextToken()).isNull();
        sqs.deleteQueue(b -> b.queueUrl(src2));
        sqs.changeMessageVisibility(b -> b.queueUrl(dlq).receiptHandle(dead.get(0).receiptHandle()).visibilityTimeout(0));

        String handle = sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn)).taskHandle();
        assertThat(handle).isNotBlank();
        ListMessageMoveTasksResultEntry task = null;
        for (int i = 0; i < 100; i++) {
            task = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().get(0);
            if (!task.status().equals("RUNNING")) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(task.status()).isEqualTo("COMPLETED");
        assertThat(task.approximateNumberOfMessagesMoved()).isEqualTo(1);
        assertThat(receive(src, 1)).extracting(Message::messageId).containsExactly(id);
        String moveHandle = handle;
        assertThatThrownBy(() -> sqs.cancelMessageMoveTask(b -> b.taskHandle(moveHandle)))
                .satisfies(e -> assertThat(errorCode(e)).isIn("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation"));
    }

    @Test
    void moveTaskNeedsADeadLetterQueue() {
        sqs.createQueue(b -> b.queueName("lonely"));
        assertThatThrownBy(() -> sqs.startMessageMoveTask(b -> b.sourceArn("arn:aws:sqs:us-east-1:000000000000:lonely")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.startMessageMoveTask(b -> b.sourceArn("arn:aws:sqs:us-east-1:000000000000:none")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ResourceNotFoundException"));
    }

    @Test
    void redriveRulesAreEnforced() {
        sqs.createQueue(b -> b.queueName("closed-dlq").attributesWithStrings(Map.of("RedriveAllowPolicy",
                "{\"redrivePermission\":\"denyAll\"}")));
        sqs.createQueue(b -> b.queueName("fifo-dlq.fifo").attributesWithStrings(Map.of("FifoQueue", "true")));
        String src = sqs.createQueue(b -> b.queueName("source")).queueUrl();
        for (String bad : List.of(
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:closed-dlq\",\"maxReceiveCount\":3}",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:fifo-dlq.fifo\",\"maxReceiveCount\":3}",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:missing\",\"maxReceiveCount\":3}",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:source\",\"maxReceiveCount\":0}")) {
            assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(src).attributesWithStrings(Map.of("RedrivePolicy", bad))))
                    .as(bad).satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidAttributeValue"));
        }
    }
}
