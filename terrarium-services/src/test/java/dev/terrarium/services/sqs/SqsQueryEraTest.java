package dev.terrarium.services.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.testing.QueryEraBotocore;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQS's old query wire end to end, as the SDKs and scripts of that era use it: form posts signed with
 * SigV4 to the queue URL's path (the SQS API Reference's examples), requests written by botocore's
 * QuerySerializer over the overlaid model and responses read back by its QueryParser
 * ({@link QueryEraBotocore}), and the AWS.SimpleQueueService.* codes in XML ErrorResponses.
 */
class SqsQueryEraTest {
    private static final String NS = "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private String path;

    record Reply(int status, String body, String contentType) {
        /** As the core's HttpResponse, for QueryEraBotocore.parse. */
        dev.terrarium.core.http.HttpResponse forBotocore() {
            return dev.terrarium.core.http.HttpResponse.of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @BeforeEach
    void queue() {
        Reply created = post("/", "Action=CreateQueue&QueueName=MyQueue&Attribute.1.Name=VisibilityTimeout"
                + "&Attribute.1.Value=40&Version=2012-11-05");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).contains("<CreateQueueResponse " + NS)
                .contains("<QueueUrl>" + terrarium.endpoint() + "/000000000000/MyQueue</QueueUrl>");
        path = "/000000000000/MyQueue";
    }

    /** A form POST signed as the SDK for Java v2 signs (the old SDKs signed the same way). */
    private static Reply post(String path, String form) {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        URI uri = terrarium.endpoint().resolve(path);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("test", "test"))
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sqs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Reply action(String action, String... params) {
        return post(path, "Action=" + action + "&Version=2012-11-05" + (params.length == 0 ? "" : "&" + String.join("&", params)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The request body botocore's QuerySerializer writes for these parameters over the overlaid model. */
    private static String serialized(String operation, String paramsJson) {
        return new QueryEraBotocore().serialize("sqs", operation, paramsJson).run().get(0).get("body").asText();
    }

    private static JsonNode parsed(String operation, Reply reply) {
        return new QueryEraBotocore().parse("sqs", operation, reply.forBotocore()).run().get(0);
    }

    // ---- requests written by query-era botocore, answers read by its parser

    @Test
    void sendMessageWithMessageAttributesAsBotocoreWroteIt() {
        String form = serialized("SendMessage", """
                {"QueueUrl": "%s", "MessageBody": "This is a test message",
                 "MessageAttributes": {
                   "my_attribute_name_1": {"DataType": "String", "StringValue": "my_attribute_value_1"},
                   "my_attribute_name_2": {"DataType": "Number", "StringValue": "12"}},
                 "MessageSystemAttributes": {
                   "AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}}}
                """.formatted(terrarium.endpoint() + path));
        assertThat(form).contains("MessageAttribute.1.Name=my_attribute_name_1")
                .contains("MessageAttribute.2.Value.DataType=Number").contains("MessageSystemAttribute.1.Name=AWSTraceHeader");

        Reply sent = post(path, form);
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.contentType()).startsWith("text/xml");
        assertThat(sent.body()).contains("<SendMessageResponse " + NS).contains("<SendMessageResult>")
                .contains("<ResponseMetadata><RequestId>");
        JsonNode out = parsed("SendMessage", sent);
        assertThat(out.path("MD5OfMessageBody").asText()).isEqualTo("fafb00f5732ab283681e124bf8747ed1");
        String expectedAttributesMd5 = md5Of2("my_attribute_name_1", "String", "my_attribute_value_1",
                "my_attribute_name_2", "Number", "12");
        assertThat(out.path("MD5OfMessageAttributes").asText()).isEqualTo(expectedAttributesMd5);
        assertThat(out.path("MD5OfMessageSystemAttributes").asText())
                .isEqualTo(ReferenceMd5.of("AWSTraceHeader", "String", "Root=1-5759e988-bd862e3fe1be46a994272793"));
        assertThat(out.path("MessageId").asText()).matches("[0-9a-f-]{36}");

        Reply received = post(path, serialized("ReceiveMessage", """
                {"QueueUrl": "%s", "MessageAttributeNames": ["All"], "AttributeNames": ["All"]}
                """.formatted(terrarium.endpoint() + path)));
        JsonNode m = parsed("ReceiveMessage", received).path("Messages").get(0);
        assertThat(m.path("MessageId").asText()).isEqualTo(out.path("MessageId").asText());
        assertThat(m.path("Body").asText()).isEqualTo("This is a test message");
        assertThat(m.path("MD5OfMessageAttributes").asText()).isEqualTo(expectedAttributesMd5);
        assertThat(m.path("MessageAttributes").path("my_attribute_name_2").path("StringValue").asText()).isEqualTo("12");
        assertThat(m.path("Attributes").path("AWSTraceHeader").asText()).isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793");
        assertThat(m.path("Attributes").path("ApproximateReceiveCount").asText()).isEqualTo("1");
    }

    private static String md5Of2(String n1, String t1, String v1, String n2, String t2, String v2) {
        // Two string attributes, names sorted: AWS digests the concatenation of each one's encoding.
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (String[] a : new String[][] {{n1, t1, v1}, {n2, t2, v2}}) {
                for (int i = 0; i < 3; i++) {
                    if (i == 2) {
                        out.write(1);
                    }
                    byte[] b = a[i].getBytes(StandardCharsets.UTF_8);
                    out.write(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
                    out.write(b);
                }
            }
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(out.toByteArray()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- raw form posts as the SQS API Reference shows them

    @Test
    void receiveMessageWithAttributeNameN() {
        action("SendMessage", "MessageBody=" + enc("hello query"),
                "MessageAttribute.1.Name=color", "MessageAttribute.1.Value.DataType=String",
                "MessageAttribute.1.Value.StringValue=blue",
                "MessageAttribute.2.Name=size", "MessageAttribute.2.Value.DataType=Number",
                "MessageAttribute.2.Value.StringValue=3");
        Reply r = action("ReceiveMessage", "MaxNumberOfMessages=5", "VisibilityTimeout=15",
                "AttributeName.1=SentTimestamp", "AttributeName.2=ApproximateReceiveCount",
                "MessageAttributeName.1=color");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String xml = r.body().replaceAll(">\\s+<", "><");
        assertThat(xml).contains("<ReceiveMessageResponse " + NS).contains("<ReceiveMessageResult><Message>")
                .contains("<Body>hello query</Body>")
                .contains("<MD5OfBody>" + Md5.ofBody("hello query") + "</MD5OfBody>")
                .contains("<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>")
                .contains("<Attribute><Name>SentTimestamp</Name><Value>")
                .doesNotContain("<Name>ApproximateFirstReceiveTimestamp</Name>")
                .contains("<MessageAttribute><Name>color</Name><Value><StringValue>blue</StringValue>"
                        + "<DataType>String</DataType></Value></MessageAttribute>")
                .doesNotContain("<Name>size</Name>")
                .contains("<MD5OfMessageAttributes>" + ReferenceMd5.of("color", "String", "blue") + "</MD5OfMessageAttributes>");
        // in flight for 15 s: a second receive finds nothing, an empty result
        String empty = action("ReceiveMessage").body().replaceAll(">\\s+<", "><");
        assertThat(empty).contains("<ReceiveMessageResult/>").doesNotContain("<Message>");
    }

    @Test
    void batchesWithEntriesN() {
        Reply sent = action("SendMessageBatch",
                "SendMessageBatchRequestEntry.1.Id=test_msg_001",
                "SendMessageBatchRequestEntry.1.MessageBody=test%20message%20body%201",
                "SendMessageBatchRequestEntry.2.Id=test_msg_002",
                "SendMessageBatchRequestEntry.2.MessageBody=test%20message%20body%202",
                "SendMessageBatchRequestEntry.2.DelaySeconds=60",
                "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=test_attribute_name_1",
                "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=test_attribute_value_1",
                "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=String",
                "SendMessageBatchRequestEntry.3.Id=too_late",
                "SendMessageBatchRequestEntry.3.MessageBody=x",
                "SendMessageBatchRequestEntry.3.DelaySeconds=901");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        String xml = sent.body().replaceAll(">\\s+<", "><");
        assertThat(xml).contains("<SendMessageBatchResponse " + NS).contains("<SendMessageBatchResult>")
                .contains("<SendMessageBatchResultEntry><Id>test_msg_001</Id>")
                .contains("<MD5OfMessageAttributes>"
                        + ReferenceMd5.of("test_attribute_name_1", "String", "test_attribute_value_1") + "</MD5OfMessageAttributes>")
                .containsPattern("<BatchResultErrorEntry><Id>too_late</Id>.*<SenderFault>true</SenderFault>.*</BatchResultErrorEntry>")
                .contains("<Code>InvalidParameterValue</Code>");
        JsonNode out = parsed("SendMessageBatch", sent);
        assertThat(out.path("Successful").findValuesAsText("Id")).containsExactly("test_msg_001", "test_msg_002");
        assertThat(out.path("Failed").get(0).path("SenderFault").asBoolean()).isTrue();

        String handle = parsed("ReceiveMessage", action("ReceiveMessage")).path("Messages").get(0).path("ReceiptHandle").asText();
        Reply deleted = action("DeleteMessageBatch",
                "DeleteMessageBatchRequestEntry.1.Id=msg1",
                "DeleteMessageBatchRequestEntry.1.ReceiptHandle=" + enc(handle),
                "DeleteMessageBatchRequestEntry.2.Id=msg2",
                "DeleteMessageBatchRequestEntry.2.ReceiptHandle=gibberish");
        JsonNode d = parsed("DeleteMessageBatch", deleted);
        assertThat(d.path("Successful").findValuesAsText("Id")).containsExactly("msg1");
        assertThat(d.path("Failed").get(0).path("Id").asText()).isEqualTo("msg2");
        assertThat(d.path("Failed").get(0).path("Code").asText()).isEqualTo("ReceiptHandleIsInvalid");

        Reply counts = action("GetQueueAttributes", "AttributeName.1=ApproximateNumberOfMessages",
                "AttributeName.2=ApproximateNumberOfMessagesDelayed", "AttributeName.3=ApproximateNumberOfMessagesNotVisible");
        assertThat(counts.body().replaceAll(">\\s+<", "><"))
                .contains("<Attribute><Name>ApproximateNumberOfMessages</Name><Value>0</Value></Attribute>")
                .contains("<Attribute><Name>ApproximateNumberOfMessagesDelayed</Name><Value>1</Value></Attribute>")
                .contains("<Attribute><Name>ApproximateNumberOfMessagesNotVisible</Name><Value>0</Value></Attribute>");
    }

    // ---- errors: XML ErrorResponse with the query-era codes

    private record ExpectedError(Reply reply, String code, String modeledShape) {
    }

    private final List<ExpectedError> errors = new java.util.ArrayList<>();

    /** Checks the XML now; what query-era botocore reads from it is checked by {@link #botocoreReadsTheErrors()}. */
    private void assertError(Reply r, int status, String code, String modeledShape) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("text/xml");
        String xml = r.body().replaceAll(">\\s+<", "><");
        assertThat(xml).contains("<ErrorResponse " + NS).contains("<Error><Type>Sender</Type><Code>" + code + "</Code>")
                .contains("<RequestId>");
        errors.add(new ExpectedError(r, code, modeledShape));
    }

    /** One python run for all the errors of a test: the code botocore's QueryParser reads, and the modeled exception. */
    private void botocoreReadsTheErrors() {
        QueryEraBotocore botocore = new QueryEraBotocore();
        errors.forEach(e -> botocore.parse("sqs", "SendMessage", e.reply().forBotocore()));
        List<JsonNode> parsed = botocore.run();
        for (int i = 0; i < errors.size(); i++) {
            ExpectedError e = errors.get(i);
            assertThat(parsed.get(i).path("Error").path("Code").asText()).isEqualTo(e.code());
            if (e.modeledShape() != null) {
                assertThat(parsed.get(i).path("ModeledShape").asText()).as(e.code()).isEqualTo(e.modeledShape());
            }
        }
    }

    @Test
    void queueDoesNotExistOnEveryPath() {
        assertError(post("/000000000000/NoSuchQueue", "Action=SendMessage&Version=2012-11-05&MessageBody=x"),
                400, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist");
        assertError(post("/", "Action=GetQueueUrl&Version=2012-11-05&QueueName=NoSuchQueue"),
                400, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist");
        assertError(post("/", "Action=ReceiveMessage&Version=2012-11-05&QueueUrl="
                + enc(terrarium.endpoint() + "/000000000000/NoSuchQueue")), 400, "AWS.SimpleQueueService.NonExistentQueue",
                "QueueDoesNotExist");
        botocoreReadsTheErrors();
    }

    @Test
    void batchErrorsCarryTheirQueryCodes() {
        assertError(action("SendMessageBatch", "SendMessageBatchRequestEntry.1.Id=same",
                        "SendMessageBatchRequestEntry.1.MessageBody=a", "SendMessageBatchRequestEntry.2.Id=same",
                        "SendMessageBatchRequestEntry.2.MessageBody=b"),
                400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "BatchEntryIdsNotDistinct");
        String eleven = IntStream.rangeClosed(1, 11)
                .mapToObj(i -> "SendMessageBatchRequestEntry." + i + ".Id=e" + i + "&SendMessageBatchRequestEntry." + i
                        + ".MessageBody=m").collect(Collectors.joining("&"));
        assertError(action("SendMessageBatch", eleven),
                400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "TooManyEntriesInBatchRequest");
        // botocore's query serializer writes an empty list as the bare prefix
        assertError(action("SendMessageBatch", "SendMessageBatchRequestEntry="),
                400, "AWS.SimpleQueueService.EmptyBatchRequest", "EmptyBatchRequest");
        assertError(action("DeleteMessageBatch", "DeleteMessageBatchRequestEntry.1.Id=bad%20id",
                        "DeleteMessageBatchRequestEntry.1.ReceiptHandle=x"),
                400, "AWS.SimpleQueueService.InvalidBatchEntryId", "InvalidBatchEntryId");
        botocoreReadsTheErrors();
    }

    @Test
    void otherErrorsAsTheQueryWireNamesThem() {
        action("PurgeQueue");
        assertError(action("PurgeQueue"), 403, "AWS.SimpleQueueService.PurgeQueueInProgress", "PurgeQueueInProgress");
        assertError(action("DeleteMessage", "ReceiptHandle=not-a-handle"), 404, "ReceiptHandleIsInvalid",
                "ReceiptHandleIsInvalid");
        assertError(post("/", "Action=CreateQueue&Version=2012-11-05&QueueName=MyQueue"
                        + "&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=41"),
                400, "QueueAlreadyExists", "QueueNameExists");
        assertError(action("SendMessage", "MessageBody=bad%01char"), 400, "InvalidMessageContents", null);
        assertError(action("SendMessage"), 400, "MissingParameter", null);
        assertError(action("ReceiveMessage", "MaxNumberOfMessages=11"), 400, "InvalidParameterValue", null);
        assertError(action("GetQueueAttributes", "AttributeName.1=NoSuchAttribute"), 400, "InvalidAttributeName", null);
        assertError(action("NoSuchAction"), 400, "InvalidAction", null);
        botocoreReadsTheErrors();
    }
}
