package dev.terrarium.services.dynamodb;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DynamoDbBatchTransactionTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
    }

    @BeforeEach
    void reset() {
        createTable(ddb, "A", null);
        createTable(ddb, "B", null);
    }

    private static Map<String, AttributeValue> key(String pk) { return Map.of("pk", s(pk)); }

    private static WriteRequest put(String pk) {
        return WriteRequest.builder().putRequest(p -> p.item(Map.of("pk", s(pk), "v", n("1")))).build();
    }

    @Test
    void batchWriteThenBatchGet() {
        List<WriteRequest> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            writes.add(put("k" + i));
        }
        assertThat(ddb.batchWriteItem(b -> b.requestItems(Map.of("A", writes, "B", List.of(put("only"))))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity()).hasSize(2);
        ddb.batchWriteItem(b -> b.requestItems(Map.of("A", List.of(WriteRequest.builder().deleteRequest(d -> d.key(key("k0"))).build()))));

        BatchGetItemResponse got = ddb.batchGetItem(b -> b.requestItems(Map.of(
                "A", KeysAndAttributes.builder().keys(key("k0"), key("k1"), key("k2")).projectionExpression("pk").build(),
                "B", KeysAndAttributes.builder().keys(key("only")).build())));
        assertThat(got.responses().get("A")).hasSize(2).allSatisfy(i -> assertThat(i).containsOnlyKeys("pk"));
        assertThat(got.responses().get("B")).hasSize(1);
        assertThat(got.unprocessedKeys()).isEmpty();
    }

    @Test
    void batchErrors() {
        List<WriteRequest> tooMany = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            tooMany.add(put("k" + i));
        }
        fails(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of("A", tooMany, "B", tooMany))), "ValidationException",
                "Too many items requested for the BatchWriteItem call");
        fails(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of("A", List.of(put("x"), put("x"))))), "ValidationException",
                "Provided list of item keys contains duplicates");
        fails(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of("A", List.of(WriteRequest.builder().build())))), "ValidationException",
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        fails(() -> ddb.batchGetItem(b -> b.requestItems(Map.of("A", KeysAndAttributes.builder().keys(key("x"), key("x")).build()))),
                "ValidationException", "Provided list of item keys contains duplicates");
        fails(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of("Nope", List.of(put("x"))))), "ResourceNotFoundException",
                "Requested resource not found");
        assertThat(ddb.scan(b -> b.tableName("A")).count()).isZero();
    }

    @Test
    void transactionsAreAllOrNothingWithReasonsInOrder() {
        ddb.putItem(b -> b.tableName("A").item(Map.of("pk", s("acct"), "balance", n("10"))));
        TransactionCanceledException e = catchThrowableOfType(() -> ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("B").item(key("log"))).build(),
                TransactWriteItem.builder().update(u -> u.tableName("A").key(key("acct"))
                        .updateExpression("SET balance = balance - :amt").conditionExpression("balance >= :amt")
                        .expressionAttributeValues(Map.of(":amt", n("50")))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build())),
                TransactionCanceledException.class);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
        assertThat(e.cancellationReasons()).extracting(r -> r.code()).containsExactly("None", "ConditionalCheckFailed");
        assertThat(e.cancellationReasons().get(1).item()).containsEntry("balance", n("10"));
        assertThat(ddb.getItem(b -> b.tableName("B").key(key("log"))).hasItem()).isFalse();

        TransactWriteItemsResponse ok = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("B").item(key("log"))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("A").key(key("acct")).conditionExpression("attribute_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName("A").key(key("other")).updateExpression("SET v = :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))).build()));
        assertThat(ok.consumedCapacity()).extracting(c -> c.capacityUnits()).containsExactlyInAnyOrder(2.0, 4.0);
        TransactGetItemsResponse got = ddb.transactGetItems(b -> b.transactItems(
                t -> t.get(g -> g.tableName("B").key(key("log"))), t -> t.get(g -> g.tableName("A").key(key("none")))));
        assertThat(got.responses().get(0).item()).containsEntry("pk", s("log"));
        assertThat(got.responses().get(1).hasItem()).isFalse();

        fails(() -> ddb.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName("B").item(key("x"))).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName("B").key(key("x"))).build())),
                "ValidationException", "Transaction request cannot include multiple operations on one item");
    }

    @Test
    void clientRequestTokenMakesTransactionsIdempotent() {
        TransactWriteItem add = TransactWriteItem.builder().update(u -> u.tableName("A").key(key("c"))
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", n("1")))).build();
        ddb.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(add));
        ddb.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(add));
        assertThat(ddb.getItem(b -> b.tableName("A").key(key("c"))).item().get("n").n()).isEqualTo("1");
        fails(() -> ddb.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName("B").item(key("x"))).build())),
                "IdempotentParameterMismatchException",
                "Request parameters do not match the request parameters of the previous request with the same client request token");
    }

    @Test
    void concurrentUpdatesOfOneItemAreAtomic() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(pool.submit(() -> ddb.updateItem(b -> b.tableName("A").key(key("counter"))
                        .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", n("1"))))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ddb.getItem(b -> b.tableName("A").key(key("counter"))).item().get("n").n()).isEqualTo("200");
    }
}
