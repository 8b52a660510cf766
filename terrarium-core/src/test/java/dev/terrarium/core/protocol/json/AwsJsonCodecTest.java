package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsJsonCodecTest {
    private static final Models MODELS = Models.fromClasspath();
    private static final ServiceModel SQS = MODELS.model("sqs");
    private static final ServiceModel DDB = MODELS.model("dynamodb");
    private static final ServiceModel LOGS = MODELS.model("logs");
    private static final ServiceModel CW = MODELS.model("cloudwatch");
    private static final AwsJsonCodec JSON10 = new AwsJsonCodec(Protocol.AWS_JSON_1_0);
    private static final AwsJsonCodec JSON11 = new AwsJsonCodec(Protocol.AWS_JSON_1_1);
    private static final ObjectMapper M = new ObjectMapper();

    private static HttpRequest post(String target, String body) {
        Headers h = new Headers();
        if (target != null) {
            h.add("X-Amz-Target", target);
        }
        h.add("Content-Type", "application/x-amz-json-1.0");
        return HttpRequest.of("POST", "/", h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse r) throws Exception {
        return M.readTree(r.body());
    }

    @Test
    void resolvesTheOperationFromTheTarget() {
        assertThat(JSON10.resolveOperation(SQS, post("AmazonSQS.SendMessage", "{}")).name()).isEqualTo("SendMessage");
        assertThat(JSON11.resolveOperation(LOGS, post("Logs_20140328.PutLogEvents", "{}")).name()).isEqualTo("PutLogEvents");
        assertThat(JSON10.resolveOperation(CW, post("GraniteServiceVersion20100801.PutMetricData", "")).name())
                .isEqualTo("PutMetricData");
    }

    @Test
    void unknownOrMismatchedTargetsResolveToNothing() {
        assertThat(JSON10.resolveOperation(SQS, post("AmazonSQS.Nope", "{}"))).isNull();
        assertThat(JSON10.resolveOperation(SQS, post("DynamoDB_20120810.SendMessage", "{}"))).isNull();
        assertThat(JSON10.resolveOperation(SQS, post("SendMessage", "{}"))).isNull();
        assertThat(JSON10.resolveOperation(SQS, post(".SendMessage", "{}"))).isNull();
        assertThat(JSON10.resolveOperation(SQS, post(null, "{}"))).isNull();
    }

    @Test
    void unknownOperationErrorIsShapedLikeAws() throws Exception {
        HttpResponse r = JSON10.serializeError(SQS, null, AwsJsonCodec.unknownOperation(), "rid");
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("__type").asText()).isEqualTo("com.amazon.coral.service#UnknownOperationException");
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("UnknownOperationException");
    }

    @Test
    void parsesTheBodyByTheInputShape() {
        Operation op = DDB.operation("GetItem");
        Struct in = JSON10.parseRequest(DDB, op, post("DynamoDB_20120810.GetItem",
                "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"a\"}},\"ConsistentRead\":true}"));
        assertThat(in.string("TableName")).isEqualTo("t");
        assertThat(in.bool("ConsistentRead")).isTrue();
        assertThat(((Struct) in.map("Key").get("pk")).string("S")).isEqualTo("a");
    }

    @Test
    void emptyBodyIsAnEmptyObject() {
        Operation op = SQS.operation("ListQueues");
        assertThat(JSON10.parseRequest(SQS, op, post("AmazonSQS.ListQueues", "")).isEmpty()).isTrue();
    }

    @Test
    void malformedOrMistypedBodiesAreSerializationExceptions() {
        Operation op = SQS.operation("SendMessage");
        for (String body : List.of("{", "[]", "{\"QueueUrl\": 5}", "{\"DelaySeconds\": \"5\"}", "not json")) {
            assertThatThrownBy(() -> JSON10.parseRequest(SQS, op, post("AmazonSQS.SendMessage", body)))
                    .as(body)
                    .isInstanceOfSatisfying(AwsException.class, e -> {
                        assertThat(e.code()).isEqualTo("SerializationException");
                        assertThat(e.status()).isEqualTo(400);
                    });
        }
    }

    @Test
    void serializationExceptionGoesOutAsCoralDoesIt() throws Exception {
        AwsException e = JsonShapeReader.malformed("Start of list found where not expected");
        HttpResponse r = JSON11.serializeError(LOGS, LOGS.operation("PutLogEvents"), e, "r1");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(json(r).get("__type").asText()).isEqualTo("com.amazon.coral.service#SerializationException");
        assertThat(json(r).get("message").asText()).isEqualTo("Start of list found where not expected");
    }

    @Test
    void responsesCarryContentTypeRequestIdAndTheOutput() throws Exception {
        Operation op = SQS.operation("SendMessage");
        HttpResponse r = JSON10.serializeResponse(SQS, op, Struct.of("MessageId", "m-1", "MD5OfMessageBody", "abc"), "req-1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/x-amz-json-1.0");
        assertThat(r.headers().get("x-amzn-RequestId")).isEqualTo("req-1");
        assertThat(r.bodyText()).isEqualTo("{\"MD5OfMessageBody\":\"abc\",\"MessageId\":\"m-1\"}");
    }

    @Test
    void operationWithoutOutputAnswersAnEmptyObject() {
        HttpResponse r = JSON10.serializeResponse(SQS, SQS.operation("DeleteQueue"), null, "r");
        assertThat(r.bodyText()).isEqualTo("{}");
    }

    @Test
    void dynamoDbResponsesCarryTheirCrc32() {
        HttpResponse r = JSON10.serializeResponse(DDB, DDB.operation("ListTables"), Struct.of("TableNames", List.of("a")), "r");
        CRC32 crc = new CRC32();
        crc.update(r.body());
        assertThat(r.headers().get("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
    }

    @Test
    void sqsErrorsCarryTheQueryErrorHeaderAndNamespacedType() throws Exception {
        HttpResponse r = JSON10.serializeError(SQS, SQS.operation("GetQueueUrl"),
                new AwsException("QueueDoesNotExist", "The specified queue does not exist."), "r");
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("__type").asText()).isEqualTo("com.amazonaws.sqs#QueueDoesNotExist");
        assertThat(json(r).get("message").asText()).isEqualTo("The specified queue does not exist.");
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("QueueDoesNotExist");
        assertThat(r.headers().get("x-amzn-query-error")).isEqualTo("AWS.SimpleQueueService.NonExistentQueue;Sender");
    }

    @Test
    void serverFaultsAreReceiverFaults() {
        HttpResponse r = JSON10.serializeError(SQS, null, AwsException.internal("boom"), "r");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.headers().get("x-amzn-query-error")).isEqualTo("InternalFailure;Receiver");
    }

    @Test
    void nonQueryCompatibleServicesSendNoQueryErrorHeader() throws Exception {
        HttpResponse r = JSON11.serializeError(LOGS, null, new AwsException("ResourceNotFoundException", "gone"), "r");
        assertThat(r.headers().has("x-amzn-query-error")).isFalse();
        assertThat(json(r).get("__type").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(json(r).get("message").asText()).isEqualTo("gone");
    }

    @Test
    void cloudWatchSendsQueryCodesOnlyInQueryMode() throws Exception {
        AwsException e = new AwsException("DashboardInvalidInputError", "bad dashboard")
                .withFields(Struct.of("dashboardValidationMessages", List.of(Struct.of("DataPath", "/x", "Message", "m"))));
        HttpRequest queryMode = post("GraniteServiceVersion20100801.PutDashboard", "{}");
        queryMode.headers().add("x-amzn-query-mode", "true");
        HttpResponse r = JSON10.serializeError(CW, CW.operation("PutDashboard"), e, "r", queryMode);
        assertThat(r.headers().get("x-amzn-query-error")).isEqualTo("InvalidParameterInput;Sender");
        assertThat(json(r).get("__type").asText()).isEqualTo("DashboardInvalidInputError");
        assertThat(json(r).get("dashboardValidationMessages").get(0).get("DataPath").asText()).isEqualTo("/x");

        HttpResponse plain = JSON10.serializeError(CW, CW.operation("PutDashboard"), e, "r",
                post("GraniteServiceVersion20100801.PutDashboard", "{}"));
        assertThat(plain.headers().has("x-amzn-query-error")).isFalse();
    }

    @Test
    void messageKeyFollowsTheModel() throws Exception {
        HttpResponse r = JSON10.serializeError(CW, null, new AwsException("ConflictException", "busy"), "r");
        assertThat(r.status()).isEqualTo(409);
        assertThat(json(r).has("Message")).isTrue();
        assertThat(json(r).has("message")).isFalse();
    }

    @Test
    void modeledErrorMembersAreSerialized() throws Exception {
        AwsException e = new AwsException("ConditionalCheckFailedException", "The conditional request failed")
                .withFields(Struct.of("Item", Map.of("pk", Struct.of("S", "a"))));
        HttpResponse r = JSON10.serializeError(DDB, DDB.operation("PutItem"), e, "r");
        JsonNode n = json(r);
        assertThat(n.get("__type").asText()).isEqualTo("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
        assertThat(n.get("Item").get("pk").get("S").asText()).isEqualTo("a");
    }

    @Test
    void onlyJsonProtocolsAreAccepted() {
        assertThatThrownBy(() -> new AwsJsonCodec(Protocol.REST_JSON_1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- against botocore, the reference client ----

    @Test
    void parsesWhatBotocoreSends() {
        BotocoreBridge b = new BotocoreBridge();
        b.serialize("sqs", "json", "SendMessage", """
                {"QueueUrl": "http://localhost:4566/000000000000/q", "MessageBody": "héllo", "DelaySeconds": 5,
                 "MessageAttributes": {"bin": {"DataType": "Binary", "BinaryValue": "AAEC"},
                                       "s": {"DataType": "String", "StringValue": "v"}}}""");
        b.serialize("dynamodb", "json", "PutItem", """
                {"TableName": "t", "Item": {"pk": {"S": "a"}, "n": {"N": "1.5"}, "b": {"B": "xyz"},
                 "l": {"L": [{"NULL": true}, {"BOOL": false}]}}}""");
        b.serialize("cloudwatch", "json", "PutMetricData", """
                {"Namespace": "ns", "MetricData": [{"MetricName": "m", "Timestamp": "2024-01-02T03:04:05.678Z",
                 "Value": 1.25, "Values": [1.0, 2.0], "Dimensions": [{"Name": "d", "Value": "v"}]}]}""");
        List<JsonNode> sent = b.run();

        HttpRequest sqsReq = BotocoreBridge.toRequest(sent.get(0));
        assertThat(sqsReq.header("x-amzn-query-mode")).isEqualTo("true");
        Operation send = JSON10.resolveOperation(SQS, sqsReq);
        Struct in = JSON10.parseRequest(SQS, send, sqsReq);
        assertThat(in.string("MessageBody")).isEqualTo("héllo");
        assertThat(in.integer("DelaySeconds")).isEqualTo(5);
        Struct bin = (Struct) in.map("MessageAttributes").get("bin");
        assertThat(bin.blob("BinaryValue")).isEqualTo("AAEC".getBytes(StandardCharsets.UTF_8));

        HttpRequest ddbReq = BotocoreBridge.toRequest(sent.get(1));
        Struct item = JSON10.parseRequest(DDB, JSON10.resolveOperation(DDB, ddbReq), ddbReq);
        assertThat(((Struct) item.map("Item").get("b")).blob("B")).isEqualTo("xyz".getBytes(StandardCharsets.UTF_8));
        assertThat(((Struct) item.map("Item").get("n")).string("N")).isEqualTo("1.5");

        HttpRequest cwReq = BotocoreBridge.toRequest(sent.get(2));
        Operation put = JSON10.resolveOperation(CW, cwReq);
        assertThat(put.name()).isEqualTo("PutMetricData");
        Struct datum = JSON10.parseRequest(CW, put, cwReq).structs("MetricData").get(0);
        // botocore sends whole epoch seconds (it drops the milliseconds)
        assertThat(datum.timestamp("Timestamp")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(datum.doubleValue("Value")).isEqualTo(1.25);
        assertThat(datum.list("Values")).containsExactly(1.0, 2.0);
    }

    @Test
    void botocoreReadsWhatWeAnswer() {
        BotocoreBridge b = new BotocoreBridge();
        Struct message = Struct.of("MessageId", "m1", "Body", "b",
                "Attributes", Map.of("SentTimestamp", "1"),
                "MessageAttributes", Map.of("bin", Struct.of("DataType", "Binary", "BinaryValue", new byte[]{0, 1, 2})));
        b.parse("sqs", "json", "ReceiveMessage",
                JSON10.serializeResponse(SQS, SQS.operation("ReceiveMessage"), Struct.of("Messages", List.of(message)), "r1"));
        Instant created = Instant.parse("2024-05-06T07:08:09.123Z");
        b.parse("dynamodb", "json", "DescribeTable", JSON10.serializeResponse(DDB, DDB.operation("DescribeTable"),
                Struct.of("Table", Struct.of("TableName", "t", "CreationDateTime", created, "ItemCount", 3L)), "r2"));
        b.parse("sqs", "json", "GetQueueUrl", JSON10.serializeError(SQS, SQS.operation("GetQueueUrl"),
                new AwsException("QueueDoesNotExist", "no such queue"), "r3"));
        b.parse("dynamodb", "json", "PutItem", JSON10.serializeError(DDB, DDB.operation("PutItem"),
                new AwsException("ConditionalCheckFailedException", "failed"), "r4"));
        b.parse("cloudwatch", "json", "PutMetricData", JSON10.serializeResponse(CW, CW.operation("PutMetricData"), null, "r5"));
        List<JsonNode> got = b.run();

        JsonNode msg = got.get(0).get("Messages").get(0);
        assertThat(msg.get("MessageId").asText()).isEqualTo("m1");
        assertThat(msg.get("MessageAttributes").get("bin").get("BinaryValue").get("$bytes").asText()).isEqualTo("AAEC");
        JsonNode table = got.get(1).get("Table");
        assertThat(table.get("CreationDateTime").asText()).isEqualTo("2024-05-06T07:08:09.123000+00:00");
        assertThat(table.get("ItemCount").asLong()).isEqualTo(3);
        JsonNode sqsError = got.get(2).get("Error");
        assertThat(sqsError.get("Code").asText()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
        assertThat(sqsError.get("QueryErrorCode").asText()).isEqualTo("QueueDoesNotExist");
        assertThat(sqsError.get("Type").asText()).isEqualTo("Sender");
        assertThat(sqsError.get("Message").asText()).isEqualTo("no such queue");
        assertThat(got.get(3).get("Error").get("Code").asText()).isEqualTo("ConditionalCheckFailedException");
        assertThat(got.get(4).isEmpty()).isTrue();
    }
}
