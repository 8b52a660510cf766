package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The limits and arithmetic of the "Behaviour that must be AWS's" list that other classes do not cover. */
class DynamoDbLimitsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
    }

    private static Map<String, AttributeValue> key(String pk) { return Map.of("pk", s(pk)); }

    private static Table table(String name) {
        DynamoDbService service = (DynamoDbService) terrarium.server().registry().implementation("dynamodb").service();
        return service.state().tables().all().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void batchGetItemAnswersAtMostSixteenMegabytesAndReturnsTheRestAsUnprocessedKeys() {
        createTable(ddb, "Big", null);
        String blob = "x".repeat(390 * 1024);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            ddb.putItem(b -> b.tableName("Big").item(Map.of("pk", s("k" + keys.size()), "blob", s(blob))));
            keys.add(key("k" + keys.size()));
        }
        BatchGetItemResponse first = ddb.batchGetItem(b -> b.requestItems(Map.of("Big", software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                .keys(keys).consistentRead(true).build())));
        int got = first.responses().get("Big").size();
        assertThat(got).as("16 MB / ~390 KB").isEqualTo(42);
        assertThat(first.unprocessedKeys().get("Big").keys()).hasSize(45 - got);
        assertThat(first.unprocessedKeys().get("Big").consistentRead()).isTrue();
        BatchGetItemResponse rest = ddb.batchGetItem(b -> b.requestItems(first.unprocessedKeys()));
        assertThat(rest.responses().get("Big")).hasSize(45 - got);
        assertThat(rest.unprocessedKeys()).isEmpty();

        BatchGetItemResponse projected = ddb.batchGetItem(b -> b.requestItems(Map.of("Big", software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                .keys(keys).projectionExpression("pk").build())));
        assertThat(projected.responses().get("Big")).as("the limit counts what is returned").hasSize(45);
    }

    @Test
    void transactionsAreLimitedToFourMegabytes() {
        createTable(ddb, "T", null);
        String blob = "x".repeat(390 * 1024);
        List<TransactWriteItem> items = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String pk = "k" + i;
            items.add(TransactWriteItem.builder().put(p -> p.tableName("T").item(Map.of("pk", s(pk), "blob", s(blob)))).build());
        }
        fails(() -> ddb.transactWriteItems(b -> b.transactItems(items)), "ValidationException",
                "Transaction request size has exceeded the maximum allowed size of 4 MB");
        ddb.transactWriteItems(b -> b.transactItems(items.subList(0, 10)));

        List<TransactWriteItem> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            String pk = "m" + i;
            many.add(TransactWriteItem.builder().put(p -> p.tableName("T").item(Map.of("pk", s(pk)))).build());
        }
        var tooMany = catchThrowableOfType(() -> ddb.transactWriteItems(b -> b.transactItems(many)),
                software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class);
        assertThat(tooMany.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(tooMany.awsErrorDetails().errorMessage()).startsWith("1 validation error detected: Value '[")
                .endsWith("at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100");
        ddb.transactWriteItems(b -> b.transactItems(many.subList(0, 100)));
        assertThat(ddb.scanPaginator(b -> b.tableName("T").select("COUNT")).stream().mapToInt(r -> r.count()).sum())
                .isEqualTo(110);
    }

    @Test
    void itemsOfAnOngoingTransactionConflict() {
        createTable(ddb, "T", null);
        ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("busy"), "v", n("1"))));
        Table t = table("T");
        PrimaryKey busy = t.schema().keyOf(AttributeValues.fromWire(Map.of("pk", (Object) dev.terrarium.core.service.Struct.of("S", "busy"))));
        assertThat(t.claim(busy)).isTrue();
        try {
            fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("busy")))), "TransactionConflictException",
                    "Transaction is ongoing for the item");
            fails(() -> ddb.updateItem(b -> b.tableName("T").key(key("busy")).updateExpression("SET v = :v")
                    .expressionAttributeValues(Map.of(":v", n("2")))), "TransactionConflictException", "Transaction is ongoing for the item");
            assertThat(ddb.getItem(b -> b.tableName("T").key(key("busy"))).item().get("v").n())
                    .as("plain reads see the committed item").isEqualTo("1");

            TransactionCanceledException e = catchThrowableOfType(() -> ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName("T").item(Map.of("pk", s("free")))).build(),
                    TransactWriteItem.builder().delete(d -> d.tableName("T").key(key("busy"))).build())),
                    TransactionCanceledException.class);
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]");
            assertThat(e.cancellationReasons()).extracting(r -> r.code()).containsExactly("None", "TransactionConflict");
            assertThat(e.cancellationReasons().get(1).message()).isEqualTo("Transaction is ongoing for the item");
            assertThat(ddb.getItem(b -> b.tableName("T").key(key("free"))).hasItem()).as("nothing written").isFalse();

            TransactionCanceledException get = catchThrowableOfType(() -> ddb.transactGetItems(b -> b.transactItems(
                    i -> i.get(g -> g.tableName("T").key(key("busy"))))), TransactionCanceledException.class);
            assertThat(get.cancellationReasons()).extracting(r -> r.code()).containsExactly("TransactionConflict");
        } finally {
            t.release(busy);
        }
        ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("busy"), "v", n("3"))));
        assertThat(t.claimed(busy)).isFalse();
    }

    @Test
    void clientRequestTokensLastTenMinutesOfClockTime() {
        createTable(ddb, "T", null);
        TransactWriteItem add = TransactWriteItem.builder().update(u -> u.tableName("T").key(key("c"))
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", n("1")))).build();
        TransactWriteItem other = TransactWriteItem.builder().update(u -> u.tableName("T").key(key("c"))
                .updateExpression("ADD n :two").expressionAttributeValues(Map.of(":two", n("2")))).build();
        ddb.transactWriteItems(b -> b.clientRequestToken("tok").transactItems(add));
        terrarium.server().clock().advance(Duration.ofMinutes(9));
        ddb.transactWriteItems(b -> b.clientRequestToken("tok").transactItems(add));
        fails(() -> ddb.transactWriteItems(b -> b.clientRequestToken("tok").transactItems(other)),
                "IdempotentParameterMismatchException",
                "Request parameters do not match the request parameters of the previous request with the same client request token");
        assertThat(ddb.getItem(b -> b.tableName("T").key(key("c"))).item().get("n").n()).isEqualTo("1");
        terrarium.server().clock().advance(Duration.ofMinutes(2));
        ddb.transactWriteItems(b -> b.clientRequestToken("tok").transactItems(other));
        assertThat(ddb.getItem(b -> b.tableName("T").key(key("c"))).item().get("n").n()).as("the token expired").isEqualTo("3");
    }

    @Test
    void aFailedTransactionKeepsNoTokenAndARunningOneRefusesItsRepeat() {
        createTable(ddb, "T", null);
        TransactWriteItem guarded = TransactWriteItem.builder().put(p -> p.tableName("T").item(key("g"))
                .conditionExpression("attribute_exists(pk)")).build();
        catchThrowableOfType(() -> ddb.transactWriteItems(b -> b.clientRequestToken("t2").transactItems(guarded)),
                TransactionCanceledException.class);
        ddb.putItem(b -> b.tableName("T").item(key("g")));
        ddb.transactWriteItems(b -> b.clientRequestToken("t2").transactItems(guarded));

        TransactionTokens tokens = new TransactionTokens(new dev.terrarium.core.clock.VirtualClock(java.time.Instant.EPOCH));
        dev.terrarium.core.service.AwsException nested = catchThrowableOfType(() -> tokens.run("a", "t", 1,
                () -> tokens.run("a", "t", 1, dev.terrarium.core.service.Struct::empty)), dev.terrarium.core.service.AwsException.class);
        assertThat(nested.code()).isEqualTo("TransactionInProgressException");
        assertThat(nested.getMessage()).isEqualTo("Transaction from previous request is still in progress");
        assertThat(tokens.run("a", "t", 1, () -> dev.terrarium.core.service.Struct.of("n", 1))).isEqualTo(dev.terrarium.core.service.Struct.of("n", 1));
        assertThat(tokens.run("a", "t", 1, () -> dev.terrarium.core.service.Struct.of("n", 2))).as("the first answer again")
                .isEqualTo(dev.terrarium.core.service.Struct.of("n", 1));
    }

    @Test
    void keySizeLimitsAreAwsBytes() {
        createTable(ddb, "T", ScalarAttributeType.S);
        String twoByteChars = "é".repeat(1024);
        ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s(twoByteChars), "sk", s("x".repeat(1024)))));
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s(twoByteChars + "a"), "sk", s("x")))), "ValidationException",
                "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
        fails(() -> ddb.getItem(b -> b.tableName("T").key(Map.of("pk", s("a"), "sk", s("x".repeat(1025))))), "ValidationException",
                "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s(""), "sk", s("x")))), "ValidationException",
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk");
        ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "sk", s("x"), "empty", s(""),
                "emptyList", AttributeValue.fromL(List.of()), "emptyMap", AttributeValue.fromM(Map.of()))));
        assertThat(ddb.getItem(b -> b.tableName("T").key(Map.of("pk", s("a"), "sk", s("x")))).item().get("empty").s()).isEmpty();
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "sk", s("x"), "set", AttributeValue.fromSs(List.of())))),
                "ValidationException", "One or more parameter values were invalid: An string set  may not be empty");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "sk", s("x"), "set", AttributeValue.fromNs(List.of("1", "1.0"))))),
                "ValidationException", "Input collection contains duplicates");
    }

    @Test
    void itemSizeLimitIsFourHundredKilobytesOfNamesAndValues() {
        createTable(ddb, "T", null);
        int room = 400 * 1024 - "pk".length() - 1 - "blob".length();
        ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "blob", s("x".repeat(room)))));
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "blob", s("x".repeat(room + 1))))),
                "ValidationException", "Item size has exceeded the maximum allowed size");
        fails(() -> ddb.updateItem(b -> b.tableName("T").key(key("a")).updateExpression("SET more = :v")
                        .expressionAttributeValues(Map.of(":v", s("y")))),
                "ValidationException", "Item size to update has exceeded the maximum allowed size");
    }

    @Test
    void consumedCapacityCountsIndexWritesAsAws() {
        ddb.createTable(b -> b.tableName("G").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .globalSecondaryIndexes(i -> i.indexName("byG").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("shown"))));
        ConsumedCapacity put = ddb.putItem(b -> b.tableName("G").item(Map.of("pk", s("a"), "g", s("1"), "shown", s("x"), "extra", s("y")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity();
        assertThat(put.capacityUnits()).isEqualTo(2.0);
        assertThat(put.table().capacityUnits()).isEqualTo(1.0);
        assertThat(put.globalSecondaryIndexes().get("byG").capacityUnits()).isEqualTo(1.0);

        ConsumedCapacity moved = update("SET g = :v", s("2"));
        assertThat(moved.globalSecondaryIndexes().get("byG").capacityUnits()).as("key change: delete and put").isEqualTo(2.0);
        assertThat(moved.capacityUnits()).isEqualTo(3.0);
        ConsumedCapacity hidden = update("SET extra = :v", s("z"));
        assertThat(hidden.globalSecondaryIndexes()).as("attribute not projected: no index write").isNullOrEmpty();
        assertThat(hidden.capacityUnits()).isEqualTo(1.0);
        ConsumedCapacity shown = update("SET shown = :v", s("z"));
        assertThat(shown.globalSecondaryIndexes().get("byG").capacityUnits()).isEqualTo(1.0);
        ConsumedCapacity total = ddb.updateItem(b -> b.tableName("G").key(key("a")).updateExpression("REMOVE g")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity();
        assertThat(total.capacityUnits()).isEqualTo(2.0);
        assertThat(total.table()).as("TOTAL has no breakdown").isNull();

        List<ConsumedCapacity> tx = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("G").item(Map.of("pk", s("b"), "g", s("1")))).build())).consumedCapacity();
        assertThat(tx.get(0).table().capacityUnits()).as("transactions count twice").isEqualTo(2.0);
        assertThat(tx.get(0).globalSecondaryIndexes().get("byG").capacityUnits()).isEqualTo(2.0);

        double eventual = ddb.getItem(b -> b.tableName("G").key(key("b")).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity().capacityUnits();
        assertThat(eventual).isEqualTo(0.5);
        double query = ddb.query(b -> b.tableName("G").indexName("byG").keyConditionExpression("g = :g")
                .expressionAttributeValues(Map.of(":g", s("1"))).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES))
                .consumedCapacity().globalSecondaryIndexes().get("byG").capacityUnits();
        assertThat(query).isEqualTo(0.5);
    }

    private static ConsumedCapacity update(String expression, AttributeValue value) {
        return ddb.updateItem(b -> b.tableName("G").key(key("a")).updateExpression(expression)
                .expressionAttributeValues(Map.of(":v", value)).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).consumedCapacity();
    }

    @Test
    void itemCollectionMetricsOnlyForTablesWithLocalIndexes() {
        ddb.createTable(b -> b.tableName("L").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("l").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .localSecondaryIndexes(i -> i.indexName("byL").keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("l").keyType(KeyType.RANGE)).projection(p -> p.projectionType(ProjectionType.ALL))));
        createTable(ddb, "Plain", null);
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s("p"), "sk", s("1"), "l", s("x")));
        var metrics = ddb.putItem(b -> b.tableName("L").item(item).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE))
                .itemCollectionMetrics();
        assertThat(metrics.itemCollectionKey()).containsExactly(Map.entry("pk", s("p")));
        assertThat(metrics.sizeEstimateRangeGB()).containsExactly(0.0, 1.0);
        assertThat(ddb.putItem(b -> b.tableName("Plain").item(key("p")).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE))
                .itemCollectionMetrics()).isNull();
        var batch = ddb.batchWriteItem(b -> b.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE).requestItems(Map.of(
                "L", List.of(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                        .putRequest(p -> p.item(Map.of("pk", s("q"), "sk", s("1")))).build()),
                "Plain", List.of(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                        .putRequest(p -> p.item(key("q"))).build())))).itemCollectionMetrics();
        assertThat(batch).containsOnlyKeys("L");
        assertThat(batch.get("L").get(0).itemCollectionKey()).containsExactly(Map.entry("pk", s("q")));
        var tx = ddb.transactWriteItems(b -> b.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE).transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("L").item(Map.of("pk", s("r"), "sk", s("1")))).build(),
                TransactWriteItem.builder().put(p -> p.tableName("Plain").item(key("r"))).build())).itemCollectionMetrics();
        assertThat(tx).containsOnlyKeys("L");
    }

    @Test
    void ttlSweepRunsOnTheClockAdvanceItself() {
        ddb.createTable(b -> b.tableName("E").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .streamSpecification(sp -> sp.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
        ddb.updateTimeToLive(b -> b.tableName("E").timeToLiveSpecification(t -> t.enabled(true).attributeName("ttl")));
        long now = terrarium.server().clock().now().getEpochSecond();
        ddb.putItem(b -> b.tableName("E").item(Map.of("pk", s("a"), "ttl", n(String.valueOf(now + 30)))));
        Table t = table("E");
        assertThat(t.items().count()).isEqualTo(1);
        terrarium.server().clock().advance(Duration.ofMinutes(1));
        assertThat(t.items().count()).as("deleted by the advance, before any call").isZero();
        List<StreamLog.StreamRecord> records = t.stream().read(t.stream().firstSequence(), 10);
        assertThat(records).hasSize(2);
        assertThat(records.get(1).wire().struct("userIdentity").string("Type")).isEqualTo("Service");
        assertThat(records.get(1).wire().struct("userIdentity").string("PrincipalId")).isEqualTo("dynamodb.amazonaws.com");
    }
}
