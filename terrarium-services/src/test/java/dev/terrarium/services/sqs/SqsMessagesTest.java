package dev.terrarium.services.sqs;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.terrarium.services.sqs.SqsQueuesTest.errorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages on a virtual clock: visibility, delays and retention move only when the test moves time. */
class SqsMessagesTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static SqsClient sqs;
    private String url;

    @BeforeAll
    static void start() {
        sqs = terrarium.client(SqsClient::builder);
    }

    @BeforeEach
    void queue() {
        url = sqs.createQueue(b -> b.queueName("q" + System.nanoTime())).queueUrl();
    }

    private static void advance(int seconds) {
        terrarium.server().clock().advance(Duration.ofSeconds(seconds));
    }

    private List<Message> receive(int max, String... attributes) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max).messageSystemAttributeNamesWithStrings(attributes)
                .messageAttributeNames("All")).messages();
    }

    @Test
    void sendReceiveDeleteWithDigestsTheSdkVerifies() {
        SendMessageResponse sent = sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello").messageAttributes(Map.of(
                "s", MessageAttributeValue.builder().dataType("String").stringValue("v").build(),
                "n", MessageAttributeValue.builder().dataType("Number.int").stringValue("42").build(),
                "b", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("\u0001\u0002")).build())));
        assertThat(sent.md5OfMessageBody()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(sent.md5OfMessageAttributes()).isNotNull();
        List<Message> got = receive(10, "All");
        assertThat(got).hasSize(1);
        Message m = got.get(0);
        assertThat(m.messageId()).isEqualTo(sent.messageId());
        assertThat(m.body()).isEqualTo("hello");
        assertThat(m.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
        assertThat(m.messageAttributes()).containsOnlyKeys("s", "n", "b");
        assertThat(m.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")
                .containsEntry(MessageSystemAttributeName.SENDER_ID, "000000000000")
                .containsKeys(MessageSystemAttributeName.SENT_TIMESTAMP, MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        advance(31);
        assertThat(receive(10)).isEmpty();
    }

    @Test
    void md5OfMessageAttributesIsAwsAlgorithm() {
        // from AWS's documented example, computed independently with botocore's own checker
        SendMessageResponse sent = sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "attr", MessageAttributeValue.builder().dataType("String").stringValue("value").build())));
        assertThat(sent.md5OfMessageAttributes()).isEqualTo(Md5.ofAttributes(Map.of("attr",
                dev.terrarium.core.service.Struct.of("DataType", "String", "StringValue", "value"))));
        assertThat(sent.md5OfMessageAttributes()).isEqualTo(ReferenceMd5.of("attr", "String", "value"));
    }

    @Test
    void onlyRequestedAttributesAreReturnedWithTheirDigest() {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "app.a", MessageAttributeValue.builder().dataType("String").stringValue("1").build(),
                "app.b", MessageAttributeValue.builder().dataType("String").stringValue("2").build(),
                "other", MessageAttributeValue.builder().dataType("String").stringValue("3").build())));
        Message m = sqs.receiveMessage(b -> b.queueUrl(url).messageAttributeNames("app.*")).messages().get(0);
        assertThat(m.messageAttributes()).containsOnlyKeys("app.a", "app.b");
        assertThat(m.attributes()).isEmpty();
    }

    @Test
    void traceHeaderIsASystemAttributeWithItsOwnDigest() {
        SendMessageResponse sent = sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageSystemAttributes(Map.of(
                MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                MessageSystemAttributeValue.builder().dataType("String").stringValue("Root=1-abc").build())));
        assertThat(sent.md5OfMessageSystemAttributes()).isNotNull();
        assertThat(receive(1, "AWSTraceHeader").get(0).attributes())
                .containsEntry(MessageSystemAttributeName.AWS_TRACE_HEADER, "Root=1-abc");
    }

    @Test
    void receivedMessageComesBackAfterItsVisibilityTimeout() {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("again"));
        Message first = receive(1).get(0);
        assertThat(receive(1)).isEmpty();
        advance(29);
        assertThat(receive(1)).isEmpty();
        advance(1);
        Message second = receive(1, "ApproximateReceiveCount").get(0);
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
        assertThat(second.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
        // the first receive's handle has expired: deleting with it deletes nothing
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
        assertThatThrownBy(() -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        advance(30);
        assertThat(receive(1)).hasSize(1);
    }

    @Test
    void changeMessageVisibilityMovesTheTimeout() {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("x"));
        Message m = receive(1).get(0);
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(100));
        advance(99);
        assertThat(receive(1)).isEmpty();
        advance(1);
        Message back = receive(1).get(0);
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(back.receiptHandle()).visibilityTimeout(0));
        assertThat(receive(1)).hasSize(1);
        assertThatThrownBy(() -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(back.receiptHandle()).visibilityTimeout(43201)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void visibilityOfAMessageNotInFlightCannotChange() {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("x"));
        Message m = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(5)).messages().get(0);
        advance(6);
        assertThatThrownBy(() -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(10)))
                .satisfies(e -> assertThat(errorCode(e)).isIn("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight"));
    }

    @Test
    void garbageReceiptHandleIsInvalid() {
        assertThatThrownBy(() -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle("garbage")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ReceiptHandleIsInvalid"));
        String other = sqs.createQueue(b -> b.queueName("other")).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(other).messageBody("x"));
        String handle = sqs.receiveMessage(b -> b.queueUrl(other)).messages().get(0).receiptHandle();
        assertThatThrownBy(() -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(handle)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ReceiptHandleIsInvalid"));
    }

    @Test
    void delaySecondsPerQueueAndPerMessage() {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("later").delaySeconds(10));
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributesAsStrings()).containsEntry("ApproximateNumberOfMessagesDelayed", "1");
        assertThat(receive(1)).isEmpty();
        advance(10);
        List<Message> later = receive(1);
        assertThat(later).extracting(Message::body).containsExactly("later");
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(later.get(0).receiptHandle()));
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("DelaySeconds", "60")));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("queue delay"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("own delay").delaySeconds(0));
        List<Message> own = receive(10);
        assertThat(own).extracting(Message::body).containsExactly("own delay");
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(own.get(0).receiptHandle()));
        advance(60);
        assertThat(receive(10)).extracting(Message::body).containsExactly("queue delay");
    }

    @Test
    void messagesOlderThanRetentionAreGone() {
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("MessageRetentionPeriod", "60")));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("old"));
        advance(61);
        assertThat(receive(1)).isEmpty();
    }

    private long[] counters() {
        return counters(url);
    }

    private long[] counters(String queueUrl) {
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("All"))
                .attributesAsStrings();
        return new long[] {Long.parseLong(a.get("ApproximateNumberOfMessages")),
                Long.parseLong(a.get("ApproximateNumberOfMessagesNotVisible")),
                Long.parseLong(a.get("ApproximateNumberOfMessagesDelayed"))};
    }

    @Test
    void countersAreExactOnceRetentionPasses() {
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("MessageRetentionPeriod", "60")));
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, 4)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m" + i).build()).toList()));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("delayed").delaySeconds(120));
        List<Message> inFlight = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2).visibilityTimeout(600))
                .messages();
        assertThat(inFlight).hasSize(2);
        advance(30);
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("young"));
        assertThat(counters()).containsExactly(3, 2, 1);

        advance(31); // the first five are past retention: visible, in flight (600 s to go) and delayed alike
        assertThat(counters()).containsExactly(1, 0, 0);
        // their receipt handles delete nothing and change nothing
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(inFlight.get(0).receiptHandle()));
        assertThatThrownBy(() -> sqs.changeMessageVisibility(b -> b.queueUrl(url)
                .receiptHandle(inFlight.get(1).receiptHandle()).visibilityTimeout(0)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThat(receive(10)).extracting(Message::body).containsExactly("young");
        assertThat(counters()).containsExactly(0, 1, 0);
        advance(601);
        assertThat(counters()).containsExactly(0, 0, 0);
        assertThat(receive(10)).isEmpty();
    }

    @Test
    void shorterRetentionAppliesToMessagesAlreadyQueued() {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("old"));
        receive(1);
        advance(120);
        assertThat(counters()).containsExactly(1, 0, 0);
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("MessageRetentionPeriod", "60")));
        assertThat(counters()).containsExactly(0, 0, 0);
    }

    @Test
    void fifoGroupMovesOnWhenItsFirstMessageExpiresInFlight() {
        String fifo = sqs.createQueue(b -> b.queueName("retention.fifo").attributesWithStrings(Map.of(
                "FifoQueue", "true", "ContentBasedDeduplication", "true", "MessageRetentionPeriod", "60"))).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(fifo).messageBody("first").messageGroupId("g"));
        advance(30);
        sqs.sendMessage(b -> b.queueUrl(fifo).messageBody("second").messageGroupId("g"));
        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(fifo).maxNumberOfMessages(1).visibilityTimeout(600))
                .messages();
        assertThat(got).extracting(Message::body).containsExactly("first");
        assertThat(counters(fifo)).containsExactly(1, 1, 0);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(fifo)).messages()).isEmpty(); // the group waits for "first"

        advance(31); // "first" is past retention while in flight: the group goes on
        assertThat(counters(fifo)).containsExactly(1, 0, 0);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(fifo)).messages()).extracting(Message::body).containsExactly("second");
    }

    @Test
    void parkedFifoReceiveGetsTheNextMessageWhenTheFirstExpiresInFlight() throws Exception {
        String fifo = sqs.createQueue(b -> b.queueName("retention-poll.fifo").attributesWithStrings(Map.of(
                "FifoQueue", "true", "ContentBasedDeduplication", "true", "MessageRetentionPeriod", "60"))).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(fifo).messageBody("first").messageGroupId("g"));
        sqs.receiveMessage(b -> b.queueUrl(fifo).visibilityTimeout(600));
        advance(30);
        sqs.sendMessage(b -> b.queueUrl(fifo).messageBody("second").messageGroupId("g"));
        advance(20);
        java.util.concurrent.CompletableFuture<List<Message>> parked = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(fifo).waitTimeSeconds(20)).messages());
        SqsService service = (SqsService) terrarium.server().registry().implementation("sqs").service();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (service.parkedReceives() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(parked).isNotDone();
        advance(11); // "first" passes retention at 60 s; the parked receive waits until 70 s
        assertThat(parked.get(5, java.util.concurrent.TimeUnit.SECONDS)).extracting(Message::body).containsExactly("second");
    }

    @Test
    void countersFollowTheMessages() {
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, 5)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m" + i).build()).toList()));
        receive(2);
        Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All")).attributesAsStrings();
        assertThat(a).containsEntry("ApproximateNumberOfMessages", "3").containsEntry("ApproximateNumberOfMessagesNotVisible", "2");
    }

    @Test
    void sendLimitsAndBadInput() {
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("MissingParameter"));
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("bad \u0001 char")))
                .satisfies(e -> assertThat(errorCode(e)).isIn("InvalidMessageContents", "AWS.SimpleQueueService.InvalidMessageContents"));
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(1048577))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(1048576)));
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").delaySeconds(901)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageDeduplicationId("d")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "n", MessageAttributeValue.builder().dataType("Number").stringValue("abc").build()))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "t", MessageAttributeValue.builder().dataType("Date").stringValue("abc").build()))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                "AWS.reserved", MessageAttributeValue.builder().dataType("String").stringValue("abc").build()))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        Map<String, MessageAttributeValue> eleven = new java.util.HashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("a" + i, MessageAttributeValue.builder().dataType("String").stringValue("v").build());
        }
        assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(eleven)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void receiveLimits() {
        assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(11)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(21)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(-1)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidParameterValue"));
    }

    @Test
    void batchesSendDeleteAndChangeVisibilityWithPerEntryFailures() {
        SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("ok").messageBody("fine").build(),
                SendMessageBatchRequestEntry.builder().id("bad").messageBody("x").delaySeconds(1000).build()));
        assertThat(sent.successful()).extracting(e -> e.id()).containsExactly("ok");
        assertThat(sent.failed()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("bad");
            assertThat(f.code()).isEqualTo("InvalidParameterValue");
            assertThat(f.senderFault()).isTrue();
        });
        Message m = receive(10).get(0);
        var changed = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
                ChangeMessageVisibilityBatchRequestEntry.builder().id("a").receiptHandle(m.receiptHandle()).visibilityTimeout(0).build(),
                ChangeMessageVisibilityBatchRequestEntry.builder().id("b").receiptHandle("junk").visibilityTimeout(0).build()));
        assertThat(changed.successful()).extracting(e -> e.id()).containsExactly("a");
        assertThat(changed.failed()).extracting(e -> e.code()).containsExactly("ReceiptHandleIsInvalid");
        Message again = receive(10).get(0);
        var deleted = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
                DeleteMessageBatchRequestEntry.builder().id("a").receiptHandle(again.receiptHandle()).build(),
                DeleteMessageBatchRequestEntry.builder().id("b").receiptHandle("junk").build()));
        assertThat(deleted.successful()).extracting(e -> e.id()).containsExactly("a");
        assertThat(deleted.failed()).extracting(e -> e.code()).containsExactly("ReceiptHandleIsInvalid");
    }

    @Test
    void batchRules() {
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(List.of())))
                .satisfies(e -> assertThat(errorCode(e)).isIn("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest"));
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, 11)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m").build()).toList())))
                .satisfies(e -> assertThat(errorCode(e)).isIn("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"));
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("same").messageBody("m").build(),
                SendMessageBatchRequestEntry.builder().id("same").messageBody("m").build())))
                .satisfies(e -> assertThat(errorCode(e)).isIn("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"));
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("bad id!").messageBody("m").build())))
                .satisfies(e -> assertThat(errorCode(e)).isIn("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId"));
        assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("a").messageBody("x".repeat(600_000)).build(),
                SendMessageBatchRequestEntry.builder().id("b").messageBody("x".repeat(600_000)).build())))
                .satisfies(e -> assertThat(errorCode(e)).isIn("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong"));
    }

    @Test
    void aDeletedMessageIsNeverDeliveredAgainAndNothingIsLost() {
        int n = 200;
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(SendMessageBatchRequestEntry.builder().id("e" + (i % 10)).messageBody("m" + i).build());
            if (batch.size() == 10) {
                List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
                sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
                batch.clear();
            }
        }
        Set<String> seen = new HashSet<>();
        List<Message> got;
        while (!(got = receive(10)).isEmpty()) {
            for (Message m : got) {
                assertThat(seen.add(m.body())).as("delivered twice: " + m.body()).isTrue();
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        assertThat(seen).hasSize(n);
        advance(3600);
        assertThat(receive(10)).isEmpty();
    }
}
