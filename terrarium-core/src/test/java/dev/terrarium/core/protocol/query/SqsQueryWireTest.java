package dev.terrarium.core.protocol.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.testing.QueryEraBotocore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * SQS's old query wire (aws-sdk-java v1, boto2-era tools, curl scripts) through the overlay
 * tools/overlays/sqs.json: its parameter names (AttributeName.N, MessageAttribute.N.Name/Value...),
 * its flattened XML (repeated {@code <Message>}, {@code <Attribute><Name/><Value/></Attribute>}),
 * result wrappers, namespace and AWS.SimpleQueueService.* error codes. Examples follow the Amazon SQS
 * API Reference; "query-era botocore" is botocore driven by the overlaid model as the old SDKs were.
 */
class SqsQueryWireTest {
    static final ServiceModel SQS = Models.fromClasspath().model("sqs");
    static final String QUEUE = "https://sqs.us-east-2.amazonaws.com/123456789012/MyQueue";
    final AwsQueryCodec codec = new AwsQueryCodec();

    private static HttpRequest form(String... params) {
        String body = String.join("&", params) + "&QueueUrl=" + QUEUE.replace(":", "%3A").replace("/", "%2F")
                + "&Version=2012-11-05";
        Headers h = new Headers().add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        return HttpRequest.of("POST", "/", h, body.getBytes(StandardCharsets.UTF_8));
    }

    private Struct parse(HttpRequest request) {
        Operation op = codec.resolveOperation(SQS, request);
        assertThat(op).as("Action resolves").isNotNull();
        return codec.parseRequest(SQS, op, request);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String compact(String prettyXml) {
        return prettyXml.strip().replaceAll(">\\s+<", "><");
    }

    // ---- (1) requests as the old clients send them ----

    @Test
    void sendMessageWithMessageAndSystemAttributes() {
        Struct in = parse(form("Action=SendMessage", "MessageBody=This+is+a+test+message", "DelaySeconds=45",
                "MessageAttribute.1.Name=my_attribute_name_1",
                "MessageAttribute.1.Value.StringValue=my_attribute_value_1",
                "MessageAttribute.1.Value.DataType=String",
                "MessageAttribute.2.Name=my_attribute_name_2",
                "MessageAttribute.2.Value.BinaryValue=AAEC%2Fw%3D%3D",
                "MessageAttribute.2.Value.DataType=Binary",
                "MessageSystemAttribute.1.Name=AWSTraceHeader",
                "MessageSystemAttribute.1.Value.StringValue=Root%3D1-5759e988-bd862e3fe1be46a994272793",
                "MessageSystemAttribute.1.Value.DataType=String"));
        assertThat(in.string("QueueUrl")).isEqualTo(QUEUE);
        assertThat(in.string("MessageBody")).isEqualTo("This is a test message");
        assertThat(in.get("DelaySeconds")).isEqualTo(45);
        Map<String, Object> attrs = in.map("MessageAttributes");
        assertThat(attrs).containsOnlyKeys("my_attribute_name_1", "my_attribute_name_2");
        assertThat(attrs.get("my_attribute_name_1"))
                .isEqualTo(Struct.of("StringValue", "my_attribute_value_1", "DataType", "String"));
        assertThat(((Struct) attrs.get("my_attribute_name_2")).blob("BinaryValue")).containsExactly(0, 1, 2, 255);
        assertThat(in.map("MessageSystemAttributes")).containsOnlyKeys("AWSTraceHeader");
        assertThat(((Struct) in.map("MessageSystemAttributes").get("AWSTraceHeader")).string("StringValue"))
                .isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793");
    }

    @Test
    void receiveMessageWithAttributeNamesAndMessageAttributeNames() {
        Struct in = parse(form("Action=ReceiveMessage", "AttributeName.1=SentTimestamp",
                "AttributeName.2=ApproximateReceiveCount", "MessageAttributeName.1=my_attribute_name_1",
                "MessageAttributeName.2=my_attribute_name_2", "MaxNumberOfMessages=5", "VisibilityTimeout=15",
                "WaitTimeSeconds=10"));
        assertThat(in.list("AttributeNames")).containsExactly("SentTimestamp", "ApproximateReceiveCount");
        // AWS's model binds the newer MessageSystemAttributeNames to the same AttributeName.N parameters
        assertThat(in.list("MessageSystemAttributeNames")).containsExactly("SentTimestamp", "ApproximateReceiveCount");
        assertThat(in.list("MessageAttributeNames")).containsExactly("my_attribute_name_1", "my_attribute_name_2");
        assertThat(in.get("MaxNumberOfMessages")).isEqualTo(5);
        assertThat(in.get("VisibilityTimeout")).isEqualTo(15);
        assertThat(in.get("WaitTimeSeconds")).isEqualTo(10);
    }

    @Test
    void receiveMessageWithTheUnindexedAttributeNameOfTheApiReferenceExample() {
        Struct in = parse(form("Action=ReceiveMessage", "MaxNumberOfMessages=5", "VisibilityTimeout=15",
                "AttributeName=All"));
        assertThat(in.list("AttributeNames")).containsExactly("All");
        assertThat(in.get("MessageAttributeNames")).isNull();
        Struct empty = parse(form("Action=ReceiveMessage", "AttributeName="));
        assertThat(empty.list("AttributeNames")).isEmpty();
    }

    @Test
    void sendMessageBatchEntriesWithTheirOwnAttributes() {
        Struct in = parse(form("Action=SendMessageBatch",
                "SendMessageBatchRequestEntry.1.Id=test_msg_001",
                "SendMessageBatchRequestEntry.1.MessageBody=test%20message%20body%201",
                "SendMessageBatchRequestEntry.2.Id=test_msg_002",
                "SendMessageBatchRequestEntry.2.MessageBody=test%20message%20body%202",
                "SendMessageBatchRequestEntry.2.DelaySeconds=60",
                "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=test_attribute_name_1",
                "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=test_attribute_value_1",
                "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=String"));
        List<Struct> entries = in.structs("Entries");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0)).isEqualTo(Struct.of("Id", "test_msg_001", "MessageBody", "test message body 1"));
        assertThat(entries.get(1).get("DelaySeconds")).isEqualTo(60);
        assertThat(entries.get(1).map("MessageAttributes")).isEqualTo(Map.of("test_attribute_name_1",
                Struct.of("StringValue", "test_attribute_value_1", "DataType", "String")));
    }

    @Test
    void queueAttributesTagsPermissionsAndBatchEntries() {
        Struct create = parse(form("Action=CreateQueue", "QueueName=MyQueue", "Attribute.1.Name=DelaySeconds",
                "Attribute.1.Value=45", "Attribute.2.Name=VisibilityTimeout", "Attribute.2.Value=60",
                "Tag.1.Key=QueueType", "Tag.1.Value=Production"));
        assertThat(create.map("Attributes")).isEqualTo(map("DelaySeconds", "45", "VisibilityTimeout", "60"));
        assertThat(create.map("tags")).isEqualTo(map("QueueType", "Production"));

        Struct set = parse(form("Action=SetQueueAttributes", "Attribute.1.Name=MaximumMessageSize",
                "Attribute.1.Value=262144"));
        assertThat(set.map("Attributes")).isEqualTo(map("MaximumMessageSize", "262144"));

        Struct get = parse(form("Action=GetQueueAttributes", "AttributeName.1=VisibilityTimeout",
                "AttributeName.2=DelaySeconds"));
        assertThat(get.list("AttributeNames")).containsExactly("VisibilityTimeout", "DelaySeconds");

        Struct permission = parse(form("Action=AddPermission", "Label=MyLabel", "AWSAccountId.1=111122223333",
                "ActionName.1=SendMessage", "AWSAccountId.2=444455556666", "ActionName.2=ReceiveMessage"));
        assertThat(permission.list("AWSAccountIds")).containsExactly("111122223333", "444455556666");
        assertThat(permission.list("Actions")).containsExactly("SendMessage", "ReceiveMessage");

        Struct tag = parse(form("Action=TagQueue", "Tag.1.Key=Owner", "Tag.1.Value=Me"));
        assertThat(tag.map("Tags")).isEqualTo(map("Owner", "Me"));
        Struct untag = parse(form("Action=UntagQueue", "TagKey.1=Owner", "TagKey.2=QueueType"));
        assertThat(untag.list("TagKeys")).containsExactly("Owner", "QueueType");

        Struct visibility = parse(form("Action=ChangeMessageVisibilityBatch",
                "ChangeMessageVisibilityBatchRequestEntry.1.Id=change_visibility_msg_2",
                "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=gfk0T0R0waama4fVFffkjKzmhMCymjQvfTFk2LxT33G4ms5subrE0deLKWSscPU1oD3J9zgeS4PQQ3U30qOumIE6AdAv3w%2F%2Fa1IXW6AqaWhGsEPaLm3Vf6IiWqdM8u5imB%2BNTwj3tQRzOWdTOePjOjPcTpRxBtXix%2BEvwJOZUma9wabv%2BSw6ZHjwmNcVDx8dZXJhVp16Bksiox%2F",
                "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=45"));
        assertThat(visibility.structs("Entries")).singleElement()
                .satisfies(e -> assertThat(e.get("VisibilityTimeout")).isEqualTo(45))
                .satisfies(e -> assertThat(e.string("ReceiptHandle")).startsWith("gfk0T0R0waama4fVFffkjKzmhMCymjQvfTFk2LxT33G4ms5subrE0deLKWSscPU1oD3J9zgeS4PQQ3U30qOumIE6AdAv3w//a1"));

        Struct delete = parse(form("Action=DeleteMessageBatch", "DeleteMessageBatchRequestEntry.1.Id=msg1",
                "DeleteMessageBatchRequestEntry.1.ReceiptHandle=rh1", "DeleteMessageBatchRequestEntry.2.Id=msg2",
                "DeleteMessageBatchRequestEntry.2.ReceiptHandle=rh2"));
        assertThat(delete.structs("Entries")).containsExactly(Struct.of("Id", "msg1", "ReceiptHandle", "rh1"),
                Struct.of("Id", "msg2", "ReceiptHandle", "rh2"));
    }

    @Test
    void theJsonModelsNamesAreNotTheQueryWiresNames() {
        Struct in = parse(form("Action=ReceiveMessage", "AttributeNames.1=All", "MessageAttributeNames.member.1=x"));
        assertThat(in.get("AttributeNames")).isNull();
        assertThat(in.get("MessageAttributeNames")).isNull();
        Struct send = parse(form("Action=SendMessage", "MessageBody=b", "MessageAttributes.1.key=a",
                "MessageAttributes.1.value.StringValue=v", "MessageAttributes.1.value.DataType=String"));
        assertThat(send.get("MessageAttributes")).isNull();
    }

    @Test
    void badValuesAreInvalidParameterValue() {
        AwsException notANumber = catchThrowableOfType(AwsException.class,
                () -> parse(form("Action=ReceiveMessage", "MaxNumberOfMessages=ten")));
        assertThat(notANumber.code()).isEqualTo("InvalidParameterValue");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.getMessage()).contains("MaxNumberOfMessages");

        AwsException noName = catchThrowableOfType(AwsException.class, () -> parse(form("Action=SendMessage",
                "MessageBody=b", "MessageAttribute.1.Value.StringValue=v", "MessageAttribute.1.Value.DataType=String")));
        assertThat(noName.code()).isEqualTo("InvalidParameterValue");
        assertThat(noName.getMessage()).contains("MessageAttribute.1.Name");

        AwsException badBlob = catchThrowableOfType(AwsException.class, () -> parse(form("Action=SendMessage",
                "MessageBody=b", "MessageAttribute.1.Name=n", "MessageAttribute.1.Value.BinaryValue=%25%25",
                "MessageAttribute.1.Value.DataType=Binary")));
        assertThat(badBlob.code()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void queryEraBotocoreRequestsParseToTheirInput() {
        List<JsonNode> sent = new QueryEraBotocore()
                .serialize("sqs", "SendMessage", "{\"QueueUrl\":\"" + QUEUE + "\",\"MessageBody\":\"héllo <&> 😀\","
                        + "\"MessageAttributes\":{\"a\":{\"DataType\":\"String\",\"StringValue\":\"1\"},"
                        + "\"b\":{\"DataType\":\"Binary\",\"BinaryValue\":\"b64:AAEC\"}},"
                        + "\"MessageSystemAttributes\":{\"AWSTraceHeader\":{\"DataType\":\"String\",\"StringValue\":\"Root=1\"}}}")
                .serialize("sqs", "ReceiveMessage", "{\"QueueUrl\":\"" + QUEUE + "\",\"AttributeNames\":[\"All\"],"
                        + "\"MessageAttributeNames\":[\"a\",\"b.*\"],\"MaxNumberOfMessages\":10}")
                .serialize("sqs", "SendMessageBatch", "{\"QueueUrl\":\"" + QUEUE + "\",\"Entries\":["
                        + "{\"Id\":\"1\",\"MessageBody\":\"one\"},{\"Id\":\"2\",\"MessageBody\":\"two\",\"DelaySeconds\":3,"
                        + "\"MessageAttributes\":{\"k\":{\"DataType\":\"Number\",\"StringValue\":\"7\"}}}]}")
                .serialize("sqs", "CreateQueue", "{\"QueueName\":\"q\",\"Attributes\":{\"DelaySeconds\":\"5\"},"
                        + "\"tags\":{\"team\":\"a b\"}}")
                .run();
        String sendBody = sent.get(0).get("body").asText();
        assertThat(sendBody).contains("MessageAttribute.1.Name=a", "MessageAttribute.2.Value.BinaryValue=AAEC",
                "MessageSystemAttribute.1.Name=AWSTraceHeader");
        assertThat(sent.get(1).get("body").asText()).contains("AttributeName.1=All", "MessageAttributeName.2=b.%2A");
        assertThat(sent.get(2).get("body").asText()).contains("SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=k");
        assertThat(sent.get(3).get("body").asText()).contains("Attribute.1.Name=DelaySeconds", "Tag.1.Key=team");

        Struct send = parse(QueryEraBotocore.toRequest(sent.get(0)));
        assertThat(send.string("MessageBody")).isEqualTo("héllo <&> 😀");
        assertThat(send.map("MessageAttributes").get("a")).isEqualTo(Struct.of("DataType", "String", "StringValue", "1"));
        assertThat(((Struct) send.map("MessageAttributes").get("b")).blob("BinaryValue")).containsExactly(0, 1, 2);
        assertThat(send.map("MessageSystemAttributes")).containsOnlyKeys("AWSTraceHeader");
        Struct receive = parse(QueryEraBotocore.toRequest(sent.get(1)));
        assertThat(receive.list("AttributeNames")).containsExactly("All");
        assertThat(receive.list("MessageAttributeNames")).containsExactly("a", "b.*");
        assertThat(receive.get("MaxNumberOfMessages")).isEqualTo(10);
        Struct batch = parse(QueryEraBotocore.toRequest(sent.get(2)));
        assertThat(batch.structs("Entries")).extracting(e -> e.string("Id")).containsExactly("1", "2");
        assertThat(batch.structs("Entries").get(1).map("MessageAttributes"))
                .isEqualTo(Map.of("k", Struct.of("DataType", "Number", "StringValue", "7")));
        Struct create = parse(QueryEraBotocore.toRequest(sent.get(3)));
        assertThat(create.map("Attributes")).isEqualTo(map("DelaySeconds", "5"));
        assertThat(create.map("tags")).isEqualTo(map("team", "a b"));
    }

    // ---- (2) responses as AWS writes them ----

    /** The API Reference's ReceiveMessage example (with the namespace AWS puts on the wire). */
    @Test
    void receiveMessageIsTheDocumentedFlattenedXml() {
        Struct out = Struct.of("Messages", List.of(Struct.of(
                "MessageId", "5fea7756-0ea4-451a-a703-a558b933e274",
                "ReceiptHandle", "MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+CwLj1FjgXUv1uSj1gUPAWV66FU/WeR4mq2OKpEGYWbnLmpRCJVAyeMjeU5ZBdtcQ+QEauMZc8ZRv37sIW2iJKq3M9MFx1YvV11A2x/KSbkJ0=",
                "MD5OfBody", "fafb00f5732ab283681e124bf8747ed1",
                "Body", "This is a test message",
                "Attributes", map("SenderId", "195004372649", "SentTimestamp", "1238099229000",
                        "ApproximateReceiveCount", "5", "ApproximateFirstReceiveTimestamp", "1250700979248"))));
        HttpResponse r = codec.serializeResponse(SQS, SQS.operation("ReceiveMessage"), out,
                "b6633655-283d-45b4-aee4-4e84e0ae6afa");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(compact("""
                <ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">
                  <ReceiveMessageResult>
                    <Message>
                      <MessageId>5fea7756-0ea4-451a-a703-a558b933e274</MessageId>
                      <ReceiptHandle>MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+CwLj1FjgXUv1uSj1gUPAWV66FU/WeR4mq2OKpEGYWbnLmpRCJVAyeMjeU5ZBdtcQ+QEauMZc8ZRv37sIW2iJKq3M9MFx1YvV11A2x/KSbkJ0=</ReceiptHandle>
                      <MD5OfBody>fafb00f5732ab283681e124bf8747ed1</MD5OfBody>
                      <Body>This is a test message</Body>
                      <Attribute>
                        <Name>SenderId</Name>
                        <Value>195004372649</Value>
                      </Attribute>
                      <Attribute>
                        <Name>SentTimestamp</Name>
                        <Value>1238099229000</Value>
                      </Attribute>
                      <Attribute>
                        <Name>ApproximateReceiveCount</Name>
                        <Value>5</Value>
                      </Attribute>
                      <Attribute>
                        <Name>ApproximateFirstReceiveTimestamp</Name>
                        <Value>1250700979248</Value>
                      </Attribute>
                    </Message>
                  </ReceiveMessageResult>
                  <ResponseMetadata>
                    <RequestId>b6633655-283d-45b4-aee4-4e84e0ae6afa</RequestId>
                  </ResponseMetadata>
                </ReceiveMessageResponse>"""));
    }

    @Test
    void messageAttributesListsAndBatchResultsAsAwsWritesThem() {
        HttpResponse receive = codec.serializeResponse(SQS, SQS.operation("ReceiveMessage"), Struct.of("Messages", List.of(
                Struct.of("MessageId", "m1", "Body", "one"),
                Struct.of("MessageId", "m2", "Body", "two", "MD5OfMessageAttributes", "d41d8",
                        "MessageAttributes", map("my_attribute_name_1",
                                Struct.of("StringValue", "my_attribute_value_1", "DataType", "String"))))), "r1");
        assertThat(receive.bodyText()).contains("<ReceiveMessageResult><Message><MessageId>m1</MessageId><Body>one</Body>"
                + "</Message><Message><MessageId>m2</MessageId><Body>two</Body><MD5OfMessageAttributes>d41d8</MD5OfMessageAttributes>"
                + "<MessageAttribute><Name>my_attribute_name_1</Name><Value><StringValue>my_attribute_value_1</StringValue>"
                + "<DataType>String</DataType></Value></MessageAttribute></Message></ReceiveMessageResult>");

        HttpResponse list = codec.serializeResponse(SQS, SQS.operation("ListQueues"),
                Struct.of("QueueUrls", List.of(QUEUE, QUEUE + "2")), "r2");
        assertThat(list.bodyText()).contains("<ListQueuesResult><QueueUrl>" + QUEUE + "</QueueUrl><QueueUrl>" + QUEUE
                + "2</QueueUrl></ListQueuesResult>");

        HttpResponse attrs = codec.serializeResponse(SQS, SQS.operation("GetQueueAttributes"),
                Struct.of("Attributes", map("ReceiveMessageWaitTimeSeconds", "2", "VisibilityTimeout", "30")), "r3");
        assertThat(attrs.bodyText()).contains("<GetQueueAttributesResult><Attribute><Name>ReceiveMessageWaitTimeSeconds</Name>"
                + "<Value>2</Value></Attribute><Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>"
                + "</GetQueueAttributesResult>");

        HttpResponse batch = codec.serializeResponse(SQS, SQS.operation("SendMessageBatch"), Struct.of(
                "Successful", List.of(Struct.of("Id", "test_msg_001", "MessageId", "0a5231c7-8bff-4955-be2e-8dc7c50a25fa",
                        "MD5OfMessageBody", "0e024d309850c78cba5eabbeff7cae71")),
                "Failed", List.of(Struct.of("Id", "test_msg_002", "SenderFault", true,
                        "Code", "AWS.SimpleQueueService.InvalidBatchEntryId", "Message", "bad id"))), "r4");
        assertThat(batch.bodyText()).contains("<SendMessageBatchResult><SendMessageBatchResultEntry><Id>test_msg_001</Id>"
                + "<MessageId>0a5231c7-8bff-4955-be2e-8dc7c50a25fa</MessageId>"
                + "<MD5OfMessageBody>0e024d309850c78cba5eabbeff7cae71</MD5OfMessageBody></SendMessageBatchResultEntry>"
                + "<BatchResultErrorEntry><Id>test_msg_002</Id><SenderFault>true</SenderFault>"
                + "<Code>AWS.SimpleQueueService.InvalidBatchEntryId</Code><Message>bad id</Message></BatchResultErrorEntry>"
                + "</SendMessageBatchResult>");

        HttpResponse tags = codec.serializeResponse(SQS, SQS.operation("ListQueueTags"),
                Struct.of("Tags", map("QueueType", "Production")), "r5");
        assertThat(tags.bodyText()).contains("<ListQueueTagsResult><Tag><Key>QueueType</Key><Value>Production</Value>"
                + "</Tag></ListQueueTagsResult>");

        List<JsonNode> parsed = new QueryEraBotocore()
                .parse("sqs", "ReceiveMessage", receive).parse("sqs", "ListQueues", list)
                .parse("sqs", "GetQueueAttributes", attrs).parse("sqs", "SendMessageBatch", batch)
                .parse("sqs", "ListQueueTags", tags).run();
        assertThat(parsed.get(0).at("/Messages/1/MessageAttributes/my_attribute_name_1/StringValue").asText())
                .isEqualTo("my_attribute_value_1");
        assertThat(parsed.get(0).at("/Messages/0/Body").asText()).isEqualTo("one");
        assertThat(parsed.get(0).at("/ResponseMetadata/RequestId").asText()).isEqualTo("r1");
        assertThat(parsed.get(1).at("/QueueUrls/1").asText()).isEqualTo(QUEUE + "2");
        assertThat(parsed.get(2).at("/Attributes/VisibilityTimeout").asText()).isEqualTo("30");
        assertThat(parsed.get(3).at("/Successful/0/MessageId").asText()).isEqualTo("0a5231c7-8bff-4955-be2e-8dc7c50a25fa");
        assertThat(parsed.get(3).at("/Failed/0/SenderFault").asBoolean()).isTrue();
        assertThat(parsed.get(4).at("/Tags/QueueType").asText()).isEqualTo("Production");
    }

    @Test
    void operationsWithoutOutputAndEmptyResults() {
        HttpResponse purge = codec.serializeResponse(SQS, SQS.operation("PurgeQueue"), null, "r");
        assertThat(purge.bodyText()).isEqualTo("<PurgeQueueResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PurgeQueueResponse>");
        HttpResponse none = codec.serializeResponse(SQS, SQS.operation("ReceiveMessage"), Struct.of("Messages", List.of()), "r");
        assertThat(none.bodyText()).doesNotContain("<Message>").contains("ReceiveMessageResult");
        JsonNode parsed = new QueryEraBotocore().parse("sqs", "ReceiveMessage", none).run().get(0);
        assertThat(parsed.has("Messages")).isFalse();
    }

    @Test
    void errorsCarryTheQueryCodesAndStatuses() {
        HttpResponse missing = codec.serializeError(SQS, SQS.operation("GetQueueUrl"),
                new AwsException("QueueDoesNotExist", "The specified queue does not exist for this wsdl version."), "r1");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.bodyText()).isEqualTo("<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                + "<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
                + "<Message>The specified queue does not exist for this wsdl version.</Message></Error>"
                + "<RequestId>r1</RequestId></ErrorResponse>");

        HttpResponse purging = codec.serializeError(SQS, SQS.operation("PurgeQueue"),
                new AwsException("PurgeQueueInProgress", "Only one PurgeQueue operation on MyQueue is allowed every 60 seconds."), "r2");
        assertThat(purging.status()).isEqualTo(403);
        assertThat(purging.bodyText()).contains("<Code>AWS.SimpleQueueService.PurgeQueueInProgress</Code>");
        HttpResponse exists = codec.serializeError(SQS, SQS.operation("CreateQueue"), new AwsException("QueueNameExists", "x"), "r3");
        assertThat(exists.bodyText()).contains("<Code>QueueAlreadyExists</Code>");
        HttpResponse handle = codec.serializeError(SQS, SQS.operation("DeleteMessage"),
                new AwsException("ReceiptHandleIsInvalid", "The input receipt handle is invalid."), "r4");
        assertThat(handle.status()).isEqualTo(404);
        assertThat(handle.bodyText()).contains("<Code>ReceiptHandleIsInvalid</Code>");
        HttpResponse attribute = codec.serializeError(SQS, SQS.operation("GetQueueAttributes"),
                new AwsException("InvalidAttributeName", "Unknown Attribute Foo."), "r5");
        assertThat(attribute.status()).isEqualTo(400);
        assertThat(attribute.bodyText()).contains("<Type>Sender</Type><Code>InvalidAttributeName</Code>");
        HttpResponse tooMany = codec.serializeError(SQS, SQS.operation("SendMessageBatch"),
                new AwsException("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10."), "r6");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.bodyText()).contains("<Code>AWS.SimpleQueueService.TooManyEntriesInBatchRequest</Code>");

        List<JsonNode> parsed = new QueryEraBotocore().parse("sqs", "GetQueueUrl", missing)
                .parse("sqs", "PurgeQueue", purging).parse("sqs", "CreateQueue", exists)
                .parse("sqs", "DeleteMessage", handle).run();
        assertThat(parsed.get(0).at("/Error/Code").asText()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
        assertThat(parsed.get(0).at("/ModeledShape").asText()).isEqualTo("QueueDoesNotExist");
        assertThat(parsed.get(0).at("/ResponseMetadata/RequestId").asText()).isEqualTo("r1");
        assertThat(parsed.get(1).at("/ModeledShape").asText()).isEqualTo("PurgeQueueInProgress");
        assertThat(parsed.get(2).at("/ModeledShape").asText()).isEqualTo("QueueNameExists");
        assertThat(parsed.get(3).at("/ModeledShape").asText()).isEqualTo("ReceiptHandleIsInvalid");
    }
}
