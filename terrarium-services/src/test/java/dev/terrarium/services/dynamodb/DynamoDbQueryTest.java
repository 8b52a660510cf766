package dev.terrarium.services.dynamodb;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ComparisonOperator;
import software.amazon.awssdk.services.dynamodb.model.Condition;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbQueryTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
    }

    /** Orders(customer S, seq N), LSI ByTotal (customer, price N, KEYS_ONLY), GSI ByStatus (status S, seq N, INCLUDE price). */
    @BeforeEach
    void reset() {
        ddb.createTable(b -> b.tableName("Orders").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("customer").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("seq").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("price").attributeType(ScalarAttributeType.N),
                        a -> a.attributeName("status").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("customer").keyType(KeyType.HASH), k -> k.attributeName("seq").keyType(KeyType.RANGE))
                .localSecondaryIndexes(l -> l.indexName("ByTotal")
                        .keySchema(k -> k.attributeName("customer").keyType(KeyType.HASH), k -> k.attributeName("price").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .globalSecondaryIndexes(g -> g.indexName("ByStatus")
                        .keySchema(k -> k.attributeName("status").keyType(KeyType.HASH), k -> k.attributeName("seq").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("price"))));
        for (int i = 1; i <= 12; i++) {
            int seq = i;
            ddb.putItem(b -> b.tableName("Orders").item(Map.of("customer", s(seq % 2 == 0 ? "alice" : "bob"), "seq", n(String.valueOf(seq)),
                    "price", n(String.valueOf(100 - seq)), "status", s(seq % 3 == 0 ? "open" : "done"), "note", s("n" + seq))));
        }
    }

    private static List<String> seqs(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("seq").n()).toList();
    }

    @Test
    void queryOrdersBySortKeyNumerically() {
        QueryResponse r = ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c AND seq BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":c", s("alice"), ":lo", n("2"), ":hi", n("10"))));
        assertThat(seqs(r.items())).containsExactly("2", "4", "6", "8", "10");
        assertThat(r.count()).isEqualTo(5);
        QueryResponse back = ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c AND seq > :lo")
                .expressionAttributeValues(Map.of(":c", s("alice"), ":lo", n("6"))).scanIndexForward(false));
        assertThat(seqs(back.items())).containsExactly("12", "10", "8");
    }

    @Test
    void limitAndFilterCountScannedItemsAndPagesContinue() {
        QueryResponse first = ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c")
                .filterExpression("#s = :open").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":c", s("alice"), ":open", s("open"))).limit(3));
        assertThat(first.scannedCount()).isEqualTo(3);
        assertThat(seqs(first.items())).containsExactly("6");
        assertThat(first.lastEvaluatedKey()).containsOnlyKeys("customer", "seq").containsEntry("seq", n("6"));
        QueryResponse second = ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c")
                .expressionAttributeValues(Map.of(":c", s("alice"))).exclusiveStartKey(first.lastEvaluatedKey()));
        assertThat(seqs(second.items())).containsExactly("8", "10", "12");
        assertThat(second.lastEvaluatedKey()).isEmpty();

        QueryResponse count = ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c")
                .expressionAttributeValues(Map.of(":c", s("bob"))).select(Select.COUNT));
        assertThat(count.count()).isEqualTo(6);
        assertThat(count.items()).isEmpty();
    }

    @Test
    void indexQueriesUseTheirProjection() {
        QueryResponse open = ddb.query(b -> b.tableName("Orders").indexName("ByStatus").keyConditionExpression("#s = :o")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":o", s("open"))));
        assertThat(seqs(open.items())).containsExactly("3", "6", "9", "12");
        assertThat(open.items().get(0)).containsOnlyKeys("customer", "seq", "status", "price");
        assertThat(open.lastEvaluatedKey()).isEmpty();

        QueryResponse byTotal = ddb.query(b -> b.tableName("Orders").indexName("ByTotal").keyConditionExpression("customer = :c AND price < :t")
                .expressionAttributeValues(Map.of(":c", s("bob"), ":t", n("94"))));
        assertThat(byTotal.items()).extracting(i -> i.get("price").n()).containsExactly("89", "91", "93");
        assertThat(byTotal.items().get(0)).containsOnlyKeys("customer", "seq", "price");
        QueryResponse full = ddb.query(b -> b.tableName("Orders").indexName("ByTotal").keyConditionExpression("customer = :c AND price < :t")
                .expressionAttributeValues(Map.of(":c", s("bob"), ":t", n("94"))).select(Select.ALL_ATTRIBUTES).limit(1));
        assertThat(full.items().get(0)).containsKey("note");
        assertThat(full.lastEvaluatedKey()).containsOnlyKeys("customer", "seq", "price");

        ddb.updateItem(b -> b.tableName("Orders").key(Map.of("customer", s("alice"), "seq", n("12")))
                .updateExpression("SET #s = :d").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":d", s("done"))));
        ddb.deleteItem(b -> b.tableName("Orders").key(Map.of("customer", s("bob"), "seq", n("3"))));
        QueryResponse after = ddb.query(b -> b.tableName("Orders").indexName("ByStatus").keyConditionExpression("#s = :o")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":o", s("open"))));
        assertThat(seqs(after.items())).containsExactly("6", "9");

        fails(() -> ddb.query(b -> b.tableName("Orders").indexName("ByStatus").keyConditionExpression("#s = :o")
                        .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":o", s("open"))).consistentRead(true)),
                "ValidationException", "Consistent reads are not supported on global secondary indexes");
        fails(() -> ddb.query(b -> b.tableName("Orders").indexName("Nope").keyConditionExpression("customer = :c")
                        .expressionAttributeValues(Map.of(":c", s("bob")))),
                "ValidationException", "The table does not have the specified index: Nope");
        fails(() -> ddb.putItem(b -> b.tableName("Orders").item(Map.of("customer", s("x"), "seq", n("1"), "status", n("1")))),
                "ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key status Expected: S "
                        + "Actual: N IndexName: ByStatus");
    }

    @Test
    void indexCreatedLaterIsBackfilledAndDeletedIndexesGo() {
        ddb.updateTable(b -> b.tableName("Orders")
                .attributeDefinitions(a -> a.attributeName("note").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("ByNote")
                        .keySchema(k -> k.attributeName("note").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
        QueryResponse r = ddb.query(b -> b.tableName("Orders").indexName("ByNote").keyConditionExpression("note = :n")
                .expressionAttributeValues(Map.of(":n", s("n7"))));
        assertThat(r.items()).singleElement().satisfies(i -> assertThat(i).containsOnlyKeys("customer", "seq", "note"));
        assertThat(ddb.describeTable(b -> b.tableName("Orders")).table().globalSecondaryIndexes()).hasSize(2);
        ddb.updateTable(b -> b.tableName("Orders").globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("ByNote"))));
        fails(() -> ddb.query(b -> b.tableName("Orders").indexName("ByNote").keyConditionExpression("note = :n")
                        .expressionAttributeValues(Map.of(":n", s("n7")))),
                "ValidationException", "The table does not have the specified index: ByNote");
    }

    @Test
    void keyConditionErrors() {
        fails(() -> ddb.query(b -> b.tableName("Orders").keyConditionExpression("seq = :v").expressionAttributeValues(Map.of(":v", n("1")))),
                "ValidationException", "Query condition missed key schema element: customer");
        fails(() -> ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c OR seq = :v")
                        .expressionAttributeValues(Map.of(":c", s("a"), ":v", n("1")))),
                "ValidationException", "Invalid operator used in KeyConditionExpression: OR");
        fails(() -> ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c AND seq <> :v")
                        .expressionAttributeValues(Map.of(":c", s("a"), ":v", n("1")))),
                "ValidationException", "Invalid operator used in KeyConditionExpression: <>");
        fails(() -> ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c AND seq.x = :v")
                        .expressionAttributeValues(Map.of(":c", s("a"), ":v", n("1")))),
                "ValidationException", "KeyConditionExpressions cannot have conditions on nested attributes");
        fails(() -> ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c AND size(seq) = :v")
                        .expressionAttributeValues(Map.of(":c", s("a"), ":v", n("1")))),
                "ValidationException", "KeyConditionExpressions cannot contain nested operations");
        fails(() -> ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c AND seq = note")
                        .expressionAttributeValues(Map.of(":c", s("a")))),
                "ValidationException", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        fails(() -> ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c")
                        .expressionAttributeValues(Map.of(":c", n("1")))),
                "ValidationException", "One or more parameter values were invalid: Condition parameter type does not match schema type");
        fails(() -> ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c AND note = :v")
                        .expressionAttributeValues(Map.of(":c", s("a"), ":v", s("1")))),
                "ValidationException", "Query condition missed key schema element: seq");
    }

    @Test
    void legacyKeyConditionsAndQueryFilter() {
        QueryResponse r = ddb.query(b -> b.tableName("Orders")
                .keyConditions(Map.of("customer", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("bob")).build(),
                        "seq", Condition.builder().comparisonOperator(ComparisonOperator.LE).attributeValueList(n("5")).build()))
                .queryFilter(Map.of("status", Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(s("done")).build())));
        assertThat(seqs(r.items())).containsExactly("1", "5");
        assertThat(r.scannedCount()).isEqualTo(3);
    }

    @Test
    void scanPagesAndParallelSegmentsCoverEveryItemOnce() {
        List<String> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = ddb.scan(b -> b.tableName("Orders").limit(5).exclusiveStartKey(from));
            page.items().forEach(i -> all.add(i.get("customer").s() + i.get("seq").n()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        assertThat(all).hasSize(12).doesNotHaveDuplicates();

        Set<String> segmented = new HashSet<>();
        int total = 0;
        for (int seg = 0; seg < 4; seg++) {
            int segment = seg;
            List<Map<String, AttributeValue>> items = ddb.scan(b -> b.tableName("Orders").segment(segment).totalSegments(4)).items();
            items.forEach(i -> segmented.add(i.get("customer").s() + i.get("seq").n()));
            total += items.size();
        }
        assertThat(total).isEqualTo(12);
        assertThat(segmented).hasSize(12);
        fails(() -> ddb.scan(b -> b.tableName("Orders").segment(4).totalSegments(4)), "ValidationException",
                "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4");

        ScanResponse filtered = ddb.scan(b -> b.tableName("Orders").filterExpression("price >= :t AND contains(note, :one)")
                .expressionAttributeValues(Map.of(":t", n("90"), ":one", s("1"))).projectionExpression("note"));
        assertThat(filtered.items()).extracting(i -> i.get("note").s()).containsExactlyInAnyOrder("n1", "n10");
        assertThat(filtered.scannedCount()).isEqualTo(12);
    }

    @Test
    void pagesStopAtOneMegabyte() {
        String big = "x".repeat(300 * 1024);
        for (int i = 0; i < 5; i++) {
            int seq = i;
            ddb.putItem(b -> b.tableName("Orders").item(Map.of("customer", s("big"), "seq", n(String.valueOf(seq)), "blob", s(big))));
        }
        QueryResponse page = ddb.query(b -> b.tableName("Orders").keyConditionExpression("customer = :c")
                .expressionAttributeValues(Map.of(":c", s("big"))));
        assertThat(page.count()).isEqualTo(4);
        assertThat(page.lastEvaluatedKey()).containsEntry("seq", n("3"));
    }
}
