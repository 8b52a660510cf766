package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.testing.QueryEraBotocore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQS on its JSON wire with the overlay: the x-amzn-query-error header carries AWS's query code
 * (AWS.SimpleQueueService.NonExistentQueue;Sender), the real botocore client raises the modeled
 * exception for it, and none of the overlay's query-only names leak into the JSON wire.
 */
class SqsQueryCompatibleErrorsTest {
    static final ServiceModel SQS = Models.fromClasspath().model("sqs");
    static final AwsJsonCodec JSON10 = new AwsJsonCodec(Protocol.AWS_JSON_1_0);
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void queueDoesNotExistHasItsQueryCodeInTheHeader() throws Exception {
        HttpResponse r = JSON10.serializeError(SQS, SQS.operation("GetQueueUrl"),
                new AwsException("QueueDoesNotExist", "The specified queue does not exist."), "r1");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.headers().get("x-amzn-query-error")).isEqualTo("AWS.SimpleQueueService.NonExistentQueue;Sender");
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("QueueDoesNotExist");
        JsonNode body = MAPPER.readTree(r.body());
        assertThat(body.get("__type").asText()).isEqualTo("com.amazonaws.sqs#QueueDoesNotExist");

        JsonNode raised = new QueryEraBotocore()
                .clientError("sqs", "get_queue_url", "{\"QueueName\":\"nope\"}", r).run().get(0);
        assertThat(raised.get("exception").asText()).isEqualTo("QueueDoesNotExist");
        assertThat(raised.at("/error/Code").asText()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
        assertThat(raised.at("/error/QueryErrorCode").asText()).isEqualTo("QueueDoesNotExist");
        assertThat(raised.at("/error/Type").asText()).isEqualTo("Sender");
        assertThat(raised.at("/error/Message").asText()).isEqualTo("The specified queue does not exist.");
    }

    /** Every modeled SQS error, through the current botocore client (its JSON model, no overlay). */
    @Test
    void everySqsErrorReachesTheClientAsItsModeledException() {
        QueryEraBotocore botocore = new QueryEraBotocore();
        List<Shape> errors = SQS.shapes().values().stream().filter(Shape::exception)
                .sorted((a, b) -> a.name().compareTo(b.name())).toList();
        assertThat(errors).hasSizeGreaterThanOrEqualTo(28);
        for (Shape error : errors) {
            HttpResponse r = JSON10.serializeError(SQS, SQS.operation("SendMessage"),
                    new AwsException(error.name(), "boom " + error.name()), "r");
            String code = error.error().code();
            assertThat(r.headers().get("x-amzn-query-error")).as(error.name()).isEqualTo(code + ";Sender");
            assertThat(r.status()).as(error.name()).isEqualTo(error.error().httpStatusCode());
            botocore.clientError("sqs", "send_message", "{\"QueueUrl\":\"http://q\",\"MessageBody\":\"b\"}", r);
        }
        List<JsonNode> raised = botocore.run();
        for (int i = 0; i < errors.size(); i++) {
            Shape error = errors.get(i);
            JsonNode got = raised.get(i);
            assertThat(got.get("exception").asText()).as(error.name()).isEqualTo(error.name());
            assertThat(got.at("/error/Code").asText()).as(error.name()).isEqualTo(error.error().code());
            assertThat(got.at("/status").asInt()).as(error.name()).isEqualTo(error.error().httpStatusCode());
        }
    }

    @Test
    void theDocumentedCodesAndStatuses() {
        Map<String, String> codes = Map.of(
                "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue 400",
                "QueueNameExists", "QueueAlreadyExists 400",
                "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress 403",
                "OverLimit", "OverLimit 403",
                "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid 404",
                "InvalidAttributeName", "InvalidAttributeName 400",
                "KmsAccessDenied", "KMS.AccessDeniedException 400",
                "RequestThrottled", "RequestThrottled 403",
                "InvalidAddress", "InvalidAddress 404",
                "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest 400");
        codes.forEach((shape, expected) -> {
            Shape s = SQS.shape(shape);
            assertThat(s.error().code() + " " + s.error().httpStatusCode()).as(shape).isEqualTo(expected);
            assertThat(s.error().senderFault()).as(shape).isTrue();
        });
        // a service may also throw the query code itself
        assertThat(SQS.errorShape("AWS.SimpleQueueService.NonExistentQueue")).isSameAs(SQS.shape("QueueDoesNotExist"));
    }

    @Test
    void theJsonWireKeepsTheJsonNames() throws Exception {
        String body = "{\"QueueUrl\":\"http://q\",\"MessageBody\":\"b\",\"MessageAttributes\":{\"a\":"
                + "{\"DataType\":\"String\",\"StringValue\":\"v\"}},\"MessageAttribute\":{\"x\":{\"DataType\":\"String\"}}}";
        Headers h = new Headers().add("X-Amz-Target", "AmazonSQS.SendMessage")
                .add("Content-Type", "application/x-amz-json-1.0");
        HttpRequest req = HttpRequest.of("POST", "/", h, body.getBytes(StandardCharsets.UTF_8));
        Struct in = JSON10.parseRequest(SQS, JSON10.resolveOperation(SQS, req), req);
        assertThat(in.map("MessageAttributes")).containsOnlyKeys("a");

        Struct receive = JSON10.parseRequest(SQS, SQS.operation("ReceiveMessage"), HttpRequest.of("POST", "/", h,
                "{\"QueueUrl\":\"q\",\"AttributeNames\":[\"All\"],\"AttributeName\":[\"x\"]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(receive.list("AttributeNames")).containsExactly("All");
        assertThat(receive.get("MessageSystemAttributeNames")).isNull();

        HttpResponse r = JSON10.serializeResponse(SQS, SQS.operation("ReceiveMessage"), Struct.of("Messages", List.of(
                Struct.of("MessageId", "m1", "Attributes", Map.of("SenderId", "AIDA"),
                        "MessageAttributes", Map.of("a", Struct.of("StringValue", "v", "DataType", "String"))))), "r");
        JsonNode out = MAPPER.readTree(r.body());
        assertThat(out.fieldNames()).toIterable().containsExactly("Messages");
        JsonNode msg = out.get("Messages").get(0);
        assertThat(msg.fieldNames()).toIterable().containsExactly("MessageId", "Attributes", "MessageAttributes");
        assertThat(msg.at("/Attributes/SenderId").asText()).isEqualTo("AIDA");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("\"Message\"", "\"Attribute\"", "Name");
    }
}
