package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DynamoDB Streams event source mappings: records in order, filters, retries, bisection, partial batch responses. */
class LambdaDynamoDbStreamTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Prints each batch and record; fails a batch holding a "bad" item, or reports it with ReportBatchItemFailures. */
    static final String HANDLER = """
            import json, os
            def handler(event, context):
                recs = event["Records"]
                ids = [r["dynamodb"]["Keys"]["id"]["S"] for r in recs]
                print("batch " + ",".join(ids))
                for r in recs:
                    print("record " + json.dumps(r))
                bad = [r for r in recs if r["dynamodb"].get("NewImage", {}).get("bad")]
                if bad and os.environ.get("MODE") == "report":
                    return {"batchItemFailures": [{"itemIdentifier": r["dynamodb"]["SequenceNumber"]} for r in bad]}
                if bad:
                    raise RuntimeError("bad item " + ",".join(b["dynamodb"]["Keys"]["id"]["S"] for b in bad))
                return {"batchItemFailures": []}
            """;

    private String table(DynamoDbClient ddb, String name) {
        ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        return ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
    }

    private void function(LambdaClient lambda, String name, String mode) {
        lambda.createFunction(b -> b.functionName(name).runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").environment(e -> e.variables(Map.of("MODE", mode)))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", HANDLER)))));
    }

    private static void put(DynamoDbClient ddb, String table, String id, boolean bad) {
        ddb.putItem(b -> b.tableName(table).item(bad
                ? Map.of("id", AttributeValue.fromS(id), "bad", AttributeValue.fromBool(true))
                : Map.of("id", AttributeValue.fromS(id), "n", AttributeValue.fromN("1"))));
    }

    private static List<String> lines(CloudWatchLogsClient logs, String function, String prefix) {
        try {
            List<String> out = new ArrayList<>();
            String token = null;
            do {
                String t = token;
                var page = logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/" + function).nextToken(t));
                page.events().stream().map(FilteredLogEvent::message).filter(l -> l.startsWith(prefix)).forEach(out::add);
                token = page.nextToken();
            } while (token != null);
            return out;
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException e) {
            return List.of();
        }
    }

    private static List<String> waitFor(CloudWatchLogsClient logs, String function, String prefix, int n) throws InterruptedException {
        long until = System.currentTimeMillis() + 20_000;
        List<String> got = lines(logs, function, prefix);
        while (got.size() < n && System.currentTimeMillis() < until) {
            Thread.sleep(100);
            got = lines(logs, function, prefix);
        }
        return got;
    }

    @Test
    void itemsWrittenToTheTableReachTheFunctionInOrderAsAwsShapesThem() throws Exception {
        DynamoDbClient ddb = terrarium.client(DynamoDbClient::builder);
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        String stream = table(ddb, "orders");
        function(lambda, "watcher", "fail");

        for (int i = 1; i <= 5; i++) {
            put(ddb, "orders", "o" + i, false);
        }
        ddb.updateItem(b -> b.tableName("orders").key(Map.of("id", AttributeValue.fromS("o1")))
                .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromN("2"))));
        ddb.deleteItem(b -> b.tableName("orders").key(Map.of("id", AttributeValue.fromS("o2"))));
        // written before the mapping exists, so the batches do not depend on timing: TRIM_HORIZON reads them all
        var created = lambda.createEventSourceMapping(b -> b.functionName("watcher").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(3));
        assertThat(created.startingPositionAsString()).isEqualTo("TRIM_HORIZON");
        assertThat(created.batchSize()).isEqualTo(3);
        assertThat(created.maximumRetryAttempts()).isEqualTo(-1);
        assertThat(created.maximumRecordAgeInSeconds()).isEqualTo(-1);
        assertThat(created.bisectBatchOnFunctionError()).isFalse();
        assertThat(created.parallelizationFactor()).isEqualTo(1);
        assertThat(created.state()).isEqualTo("Creating");

        List<String> records = waitFor(logs, "watcher", "record ", 7);
        assertThat(records).hasSize(7);
        List<JsonNode> parsed = new ArrayList<>();
        for (String r : records) {
            parsed.add(JSON.readTree(r.substring("record ".length())));
        }
        assertThat(parsed).extracting(r -> r.path("eventName").asText())
                .containsExactly("INSERT", "INSERT", "INSERT", "INSERT", "INSERT", "MODIFY", "REMOVE");
        assertThat(parsed).extracting(r -> r.path("dynamodb").path("Keys").path("id").path("S").asText())
                .containsExactly("o1", "o2", "o3", "o4", "o5", "o1", "o2");
        for (int i = 1; i < parsed.size(); i++) {
            assertThat(parsed.get(i).path("dynamodb").path("SequenceNumber").asText())
                    .isGreaterThan(parsed.get(i - 1).path("dynamodb").path("SequenceNumber").asText());
        }
        JsonNode modify = parsed.get(5);
        List<String> keys = new ArrayList<>();
        modify.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb",
                "eventSourceARN");
        assertThat(modify.path("eventVersion").asText()).isEqualTo("1.1");
        assertThat(modify.path("eventSource").asText()).isEqualTo("aws:dynamodb");
        assertThat(modify.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(modify.path("eventSourceARN").asText()).isEqualTo(stream);
        JsonNode data = modify.path("dynamodb");
        assertThat(data.path("ApproximateCreationDateTime").isNumber()).isTrue();
        assertThat(data.path("OldImage").path("n").path("N").asText()).isEqualTo("1");
        assertThat(data.path("NewImage").path("n").path("N").asText()).isEqualTo("2");
        assertThat(data.path("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(data.path("SizeBytes").asLong()).isPositive();
        assertThat(lines(logs, "watcher", "batch ")).containsExactly("batch o1,o2,o3", "batch o4,o5,o1", "batch o2");

        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("watcher").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST))).isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("provided mapping already exists");
        long until = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < until
                && !"OK".equals(lambda.getEventSourceMapping(b -> b.uuid(created.uuid())).lastProcessingResult())) {
            Thread.sleep(50);
        }
        var got = lambda.getEventSourceMapping(b -> b.uuid(created.uuid()));
        assertThat(got.state()).isEqualTo("Enabled");
        assertThat(got.lastProcessingResult()).isEqualTo("OK");
    }

    @Test
    void failingBatchIsBisectedRetriedAndTheBadRecordGoesToTheFailureQueue() throws Exception {
        DynamoDbClient ddb = terrarium.client(DynamoDbClient::builder);
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        SqsClient sqs = terrarium.client(SqsClient::builder);
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        String stream = table(ddb, "jobs");
        sqs.createQueue(b -> b.queueName("stream-failures"));
        function(lambda, "bisector", "fail");
        put(ddb, "jobs", "a", false);
        put(ddb, "jobs", "b", false);
        put(ddb, "jobs", "poison", true);
        put(ddb, "jobs", "d", false);
        lambda.createEventSourceMapping(b -> b.functionName("bisector").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).batchSize(10).bisectBatchOnFunctionError(true)
                .maximumRetryAttempts(1)
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:stream-failures"))));

        List<Message> failures = LambdaAsyncTest.receive(terrarium, sqs, "stream-failures", 1, 20_000, 1);
        assertThat(failures).hasSize(1);
        JsonNode record = JSON.readTree(failures.get(0).body());
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(record.path("requestContext").path("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:bisector");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.path("version").asText()).isEqualTo("1.0");
        JsonNode info = record.path("DDBStreamBatchInfo");
        assertThat(info.path("batchSize").asInt()).isEqualTo(1);
        assertThat(info.path("streamArn").asText()).isEqualTo(stream);
        assertThat(info.path("startSequenceNumber").asText()).isEqualTo(info.path("endSequenceNumber").asText());
        assertThat(info.path("shardId").asText()).startsWith("shardId-");
        assertThat(info.path("approximateArrivalOfFirstRecord").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        List<String> batches = waitFor(logs, "bisector", "batch ", 6);
        assertThat(batches).containsExactly("batch a,b,poison,d", "batch a,b", "batch poison,d", "batch poison",
                "batch poison", "batch d");
    }

    @Test
    void reportedItemFailureIsRetriedFromThatRecordOn() throws Exception {
        DynamoDbClient ddb = terrarium.client(DynamoDbClient::builder);
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        SqsClient sqs = terrarium.client(SqsClient::builder);
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        String stream = table(ddb, "partial");
        sqs.createQueue(b -> b.queueName("partial-failures"));
        function(lambda, "reporter", "report");
        put(ddb, "partial", "a", false);
        put(ddb, "partial", "bad", true);
        put(ddb, "partial", "c", false);
        lambda.createEventSourceMapping(b -> b.functionName("reporter").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).maximumRetryAttempts(1)
                .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES)
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:partial-failures"))));
        List<Message> failures = LambdaAsyncTest.receive(terrarium, sqs, "partial-failures", 1, 20_000, 1);
        assertThat(failures).hasSize(1);
        JsonNode record = JSON.readTree(failures.get(0).body());
        assertThat(record.path("DDBStreamBatchInfo").path("batchSize").asInt()).isEqualTo(2);
        assertThat(record.path("responseContext").has("functionError")).isFalse();
        assertThat(lines(logs, "reporter", "batch ")).containsExactly("batch a,bad,c", "batch bad,c");
    }

    @Test
    void filtersLatestAndValidation() throws Exception {
        DynamoDbClient ddb = terrarium.client(DynamoDbClient::builder);
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        CloudWatchLogsClient logs = terrarium.client(CloudWatchLogsClient::builder);
        String stream = table(ddb, "filtered");
        function(lambda, "picky", "fail");
        put(ddb, "filtered", "before", false);

        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("picky").eventSourceArn(stream)))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("picky").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.AT_TIMESTAMP)))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Unsupported starting position for arn type: " + stream);
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("picky")
                .eventSourceArn("arn:aws:dynamodb:us-east-1:000000000000:table/ghost/stream/2024-01-01T00:00:00.000")
                .startingPosition(EventSourcePosition.LATEST))).isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("picky").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST)
                .destinationConfig(d -> d.onSuccess(s -> s.destination("arn:aws:sqs:us-east-1:000000000000:q")))))
                .isInstanceOf(InvalidParameterValueException.class)
                .hasMessageContaining("Unsupported DestinationConfig parameter for given event source mapping type.");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("picky").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST).filterCriteria(f -> f.filters(p -> p.pattern("not json")))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Invalid filter pattern definition.");
        assertThatThrownBy(() -> lambda.createEventSourceMapping(b -> b.functionName("picky").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST).maximumRecordAgeInSeconds(10)))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThat(lambda.listEventSourceMappings(b -> b.eventSourceArn(stream)).eventSourceMappings()).isEmpty();

        String pattern = "{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"NewImage\": {\"id\": {\"S\": [{\"prefix\": \"keep\"}]}}}}";
        var created = lambda.createEventSourceMapping(b -> b.functionName("picky").eventSourceArn(stream)
                .startingPosition(EventSourcePosition.LATEST).parallelizationFactor(4).batchSize(1)
                .filterCriteria(f -> f.filters(p -> p.pattern(pattern))));
        assertThat(created.filterCriteria().filters().get(0).pattern()).isEqualTo(pattern);
        assertThat(created.parallelizationFactor()).isEqualTo(4);
        put(ddb, "filtered", "keep-1", false);
        put(ddb, "filtered", "drop-1", false);
        ddb.deleteItem(b -> b.tableName("filtered").key(Map.of("id", AttributeValue.fromS("keep-1"))));
        put(ddb, "filtered", "keep-2", false);
        waitFor(logs, "picky", "batch ", 2);
        Thread.sleep(300);
        assertThat(lines(logs, "picky", "batch ")).containsExactly("batch keep-1", "batch keep-2");

        var updated = lambda.updateEventSourceMapping(b -> b.uuid(created.uuid()).batchSize(500).maximumRetryAttempts(3)
                .bisectBatchOnFunctionError(true));
        assertThat(updated.batchSize()).isEqualTo(500);
        assertThat(updated.maximumRetryAttempts()).isEqualTo(3);
        assertThat(updated.bisectBatchOnFunctionError()).isTrue();
        assertThat(updated.startingPositionAsString()).isEqualTo("LATEST");
        assertThat(lambda.deleteEventSourceMapping(b -> b.uuid(created.uuid())).state()).isEqualTo("Deleting");
    }
}
