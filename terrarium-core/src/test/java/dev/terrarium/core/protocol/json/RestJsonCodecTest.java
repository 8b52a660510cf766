package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestJsonCodecTest {
    private static final ServiceModel KITCHEN = Kitchen.model();
    private static final ServiceModel LAMBDA = Models.fromClasspath().model("lambda");
    private static final ServiceModel APIGW = Models.fromClasspath().model("apigateway");
    private static final RestJsonCodec CODEC = new RestJsonCodec();
    private static final ObjectMapper M = new ObjectMapper();

    private static HttpRequest request(String method, String path, String body, String... headerPairs) {
        Headers h = new Headers();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], headerPairs[i + 1]);
        }
        return HttpRequest.of(method, path, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static Struct parse(ServiceModel model, HttpRequest r) {
        Operation op = CODEC.resolveOperation(model, r);
        assertThat(op).as("operation of " + r).isNotNull();
        return CODEC.parseRequest(model, op, r);
    }

    @Test
    void bodyMembersComeFromJsonAndBoundMembersFromHttp() {
        Struct in = parse(KITCHEN, request("POST", "/", "{\"str_wire\": \"s\", \"Ts\": 1.5}"));
        assertThat(in.string("Str")).isEqualTo("s");
        assertThat(in.timestamp("Ts")).isEqualTo(Instant.ofEpochMilli(1500));
    }

    @Test
    void structurePayloadIsTheWholeBody() {
        Struct in = parse(KITCHEN, request("PUT", "/config", "{\"Int\": 3}", "X-Version", "7"));
        assertThat(in.struct("Config").get("Int")).isEqualTo(3);
        assertThat(in.get("Version")).isEqualTo(7L);
        assertThat(parse(KITCHEN, request("PUT", "/config", "")).has("Config")).isFalse();
    }

    @Test
    void streamingPayloadIsAStream() throws Exception {
        Struct in = parse(KITCHEN, request("PUT", "/files/b/dir/f.bin", "raw bytes", "Content-Length", "9",
                "Content-Type", "application/x-thing"));
        StreamingBody body = in.stream("Body");
        assertThat(body.length()).isEqualTo(9);
        assertThat(body.contentType()).isEqualTo("application/x-thing");
        assertThat(new String(body.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("raw bytes");
        assertThat(in.string("Path")).isEqualTo("dir/f.bin");
    }

    @Test
    void malformedBodiesAreSerializationExceptions() {
        for (String body : List.of("{", "[1]", "{\"Int\": \"x\"}")) {
            assertThatThrownBy(() -> parse(KITCHEN, request("POST", "/", body)))
                    .as(body)
                    .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("SerializationException"));
        }
        assertThatThrownBy(() -> parse(KITCHEN, request("PUT", "/config", "{\"Int\": []}")))
                .isInstanceOf(AwsException.class);
    }

    @Test
    void responsesBindHeadersStatusAndBody() throws Exception {
        Operation op = KITCHEN.operation("GetThing");
        HttpResponse r = CODEC.serializeResponse(KITCHEN, op, Struct.of("Status", 203, "ETag", "e1", "Name", "n",
                "Created", Instant.ofEpochMilli(1500), "Meta", Map.of("A", "b")), "rid");
        assertThat(r.status()).isEqualTo(203);
        assertThat(r.headers().get("ETag")).isEqualTo("e1");
        assertThat(r.headers().get("X-Meta-A")).isEqualTo("b");
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(r.headers().get("x-amzn-RequestId")).isEqualTo("rid");
        assertThat(r.bodyText()).isEqualTo("{\"Name\":\"n\",\"Created\":1.5}");
    }

    @Test
    void payloadResponses() throws Exception {
        HttpResponse stream = CODEC.serializeResponse(KITCHEN, KITCHEN.operation("GetFile"), Struct.of(
                "Body", new StreamingBody(new ByteArrayInputStream(new byte[]{1, 2, 3}), 3, null),
                "ContentType", "image/png"), "r");
        assertThat(stream.isStreamed()).isTrue();
        assertThat(stream.bodyLength()).isEqualTo(3);
        assertThat(stream.bodyStream().readAllBytes()).containsExactly(1, 2, 3);
        assertThat(stream.headers().get("Content-Type")).isEqualTo("image/png");

        HttpResponse text = CODEC.serializeResponse(KITCHEN, KITCHEN.operation("PutFile"), Struct.of("Text", "done"), "r");
        assertThat(text.status()).isEqualTo(201);
        assertThat(text.bodyText()).isEqualTo("done");
        assertThat(text.headers().get("Content-Type")).isEqualTo("text/plain");

        HttpResponse config = CODEC.serializeResponse(KITCHEN, KITCHEN.operation("PutConfig"),
                Struct.of("Config", Struct.of("Int", 1), "Version", 2L), "r");
        assertThat(config.bodyText()).isEqualTo("{\"Int\":1}");
        assertThat(config.headers().get("X-Version")).isEqualTo("2");

        HttpResponse none = CODEC.serializeResponse(KITCHEN, KITCHEN.operation("DeleteThing"), null, "r");
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body()).isEmpty();
    }

    @Test
    void errorsCarryTheTypeHeaderTheModelsMessageKeyAndBoundMembers() throws Exception {
        AwsException e = new AwsException("BadThing", "it broke").withFields(Struct.of("Reason", "r", "RetryAfter", "5"));
        HttpResponse r = CODEC.serializeError(KITCHEN, KITCHEN.operation("DoKitchen"), e, "rid");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("BadThing");
        assertThat(r.headers().get("Retry-After")).isEqualTo("5");
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
        JsonNode body = M.readTree(r.body());
        assertThat(body.toString()).isEqualTo("{\"Message\":\"it broke\",\"Reason\":\"r\"}");
    }

    @Test
    void unmodeledErrorsKeepTheirStatus() throws Exception {
        HttpResponse r = CODEC.serializeError(LAMBDA, null, AwsException.notImplemented("lambda", "Invoke"), "rid");
        assertThat(r.status()).isEqualTo(501);
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo("NotImplemented");
        assertThat(M.readTree(r.body()).get("message").asText()).contains("Invoke");
    }

    // ---- against botocore, the reference client ----

    @Test
    void parsesWhatBotocoreSends() {
        BotocoreBridge b = new BotocoreBridge();
        b.serialize("lambda", "rest-json", "Invoke", """
                {"FunctionName": "my-fn:prod", "Payload": "{\\"k\\": 1}", "Qualifier": "3", "InvocationType": "Event",
                 "ClientContext": "e30="}""");
        b.serialize("lambda", "rest-json", "CreateFunction", """
                {"FunctionName": "f", "Runtime": "python3.12", "Role": "arn:aws:iam::000000000000:role/r",
                 "Handler": "h.main", "Code": {"ZipFile": "PK..."}, "Timeout": 30,
                 "Environment": {"Variables": {"A": "1"}}, "Tags": {"t": "v"}}""");
        b.serialize("lambda", "rest-json", "ListFunctions", "{\"MaxItems\": 5, \"Marker\": \"a b/c\"}");
        b.serialize("apigateway", "rest-json", "GetResources", "{\"restApiId\": \"abc\", \"embed\": [\"methods\", \"x\"], \"limit\": 10}");
        b.serialize("apigateway", "rest-json", "PutMethod", """
                {"restApiId": "abc", "resourceId": "r 1", "httpMethod": "GET", "authorizationType": "NONE",
                 "requestParameters": {"method.request.path.id": true}}""");
        List<JsonNode> sent = b.run();

        Struct invoke = parse(LAMBDA, BotocoreBridge.toRequest(sent.get(0)));
        assertThat(invoke.string("FunctionName")).isEqualTo("my-fn:prod");
        assertThat(invoke.string("Qualifier")).isEqualTo("3");
        assertThat(invoke.string("InvocationType")).isEqualTo("Event");
        assertThat(invoke.string("ClientContext")).isEqualTo("e30=");
        assertThat(new String(invoke.blob("Payload"), StandardCharsets.UTF_8)).isEqualTo("{\"k\": 1}");

        Struct create = parse(LAMBDA, BotocoreBridge.toRequest(sent.get(1)));
        assertThat(create.string("Runtime")).isEqualTo("python3.12");
        assertThat(create.integer("Timeout")).isEqualTo(30);
        assertThat(create.struct("Code").blob("ZipFile")).isEqualTo("PK...".getBytes(StandardCharsets.UTF_8));
        assertThat(create.struct("Environment").map("Variables")).containsEntry("A", "1");

        Struct list = parse(LAMBDA, BotocoreBridge.toRequest(sent.get(2)));
        assertThat(list.integer("MaxItems")).isEqualTo(5);
        assertThat(list.string("Marker")).isEqualTo("a b/c");

        Struct resources = parse(APIGW, BotocoreBridge.toRequest(sent.get(3)));
        assertThat(resources.string("restApiId")).isEqualTo("abc");
        assertThat(resources.list("embed")).containsExactly("methods", "x");
        assertThat(resources.integer("limit")).isEqualTo(10);

        Struct putMethod = parse(APIGW, BotocoreBridge.toRequest(sent.get(4)));
        assertThat(putMethod.string("resourceId")).isEqualTo("r 1");
        assertThat(putMethod.string("authorizationType")).isEqualTo("NONE");
        assertThat(putMethod.map("requestParameters")).containsEntry("method.request.path.id", true);
    }

    @Test
    void botocoreReadsWhatWeAnswer() {
        BotocoreBridge b = new BotocoreBridge();
        b.parse("lambda", "rest-json", "Invoke", CODEC.serializeResponse(LAMBDA, LAMBDA.operation("Invoke"),
                Struct.of("StatusCode", 200, "FunctionError", "Unhandled", "ExecutedVersion", "$LATEST",
                        "Payload", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)), "r1"));
        b.parse("lambda", "rest-json", "GetFunction", CODEC.serializeResponse(LAMBDA, LAMBDA.operation("GetFunction"),
                Struct.of("Configuration", Struct.of("FunctionName", "f", "MemorySize", 128, "LastModified", "2024-01-01T00:00:00.000+0000"),
                        "Tags", Map.of("a", "b")), "r2"));
        b.parse("lambda", "rest-json", "GetFunction", CODEC.serializeError(LAMBDA, LAMBDA.operation("GetFunction"),
                new AwsException("ResourceNotFoundException", "Function not found: f").withFields(Struct.of("Type", "User")), "r3"));
        b.parse("apigateway", "rest-json", "CreateRestApi", CODEC.serializeError(APIGW, APIGW.operation("CreateRestApi"),
                new AwsException("LimitExceededException", "slow down").withFields(Struct.of("retryAfterSeconds", "7")), "r4"));
        b.parse("apigateway", "rest-json", "CreateRestApi", CODEC.serializeResponse(APIGW, APIGW.operation("CreateRestApi"),
                Struct.of("id", "abc", "name", "api", "createdDate", Instant.parse("2024-02-03T04:05:06Z")), "r5"));
        List<JsonNode> got = b.run();

        JsonNode invoke = got.get(0);
        assertThat(invoke.get("StatusCode").asInt()).isEqualTo(200);
        assertThat(invoke.get("FunctionError").asText()).isEqualTo("Unhandled");
        assertThat(invoke.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
        // a blob payload is the raw body (botocore hands it over as text here)
        assertThat(invoke.get("Payload").asText()).isEqualTo("{\"ok\":true}");

        assertThat(got.get(1).get("Configuration").get("MemorySize").asInt()).isEqualTo(128);
        assertThat(got.get(1).get("Tags").get("a").asText()).isEqualTo("b");

        JsonNode notFound = got.get(2);
        assertThat(notFound.get("Error").get("Code").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(notFound.get("Error").get("Message").asText()).isEqualTo("Function not found: f");
        assertThat(notFound.get("Type").asText()).isEqualTo("User");

        JsonNode limited = got.get(3);
        assertThat(limited.get("Error").get("Code").asText()).isEqualTo("LimitExceededException");
        assertThat(limited.get("retryAfterSeconds").asText()).isEqualTo("7");

        assertThat(got.get(4).get("createdDate").asText()).isEqualTo("2024-02-03T04:05:06+00:00");
    }
}
