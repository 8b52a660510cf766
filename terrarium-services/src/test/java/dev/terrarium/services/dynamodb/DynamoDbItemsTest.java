package dev.terrarium.services.dynamodb;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeAction;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValueUpdate;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalOperator;
import software.amazon.awssdk.services.dynamodb.model.ExpectedAttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DynamoDbItemsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
    }

    @BeforeEach
    void reset() {
        createTable(ddb, "T", null);
        createTable(ddb, "R", ScalarAttributeType.N);
    }

    private static Map<String, AttributeValue> key(String pk) { return Map.of("pk", s(pk)); }

    @Test
    void putGetDeleteEveryType() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("a"));
        item.put("n", n("010.50"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromUtf8String("bin")));
        item.put("ss", AttributeValue.fromSs(List.of("x", "y")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("p"))));
        item.put("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromBool(true))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromNul(true), s(""))));
        ddb.putItem(b -> b.tableName("T").item(item));
        GetItemResponse got = ddb.getItem(b -> b.tableName("T").key(key("a")).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(got.item().get("n").n()).isEqualTo("10.5");
        assertThat(got.item().get("b").b().asUtf8String()).isEqualTo("bin");
        assertThat(got.item().get("ss").ss()).containsExactly("x", "y");
        assertThat(got.item().get("m").m().get("k").bool()).isTrue();
        assertThat(got.item().get("l").l().get(0).nul()).isTrue();
        assertThat(got.consumedCapacity().capacityUnits()).isEqualTo(1.0);
        assertThat(got.consumedCapacity().tableName()).isEqualTo("T");

        Map<String, AttributeValue> projected = ddb.getItem(b -> b.tableName("T").key(key("a"))
                .projectionExpression("#n, m.k").expressionAttributeNames(Map.of("#n", "n"))).item();
        assertThat(projected).containsOnlyKeys("n", "m");

        assertThat(ddb.deleteItem(b -> b.tableName("T").key(key("a")).returnValues(ReturnValue.ALL_OLD)).attributes())
                .containsKey("ss");
        assertThat(ddb.getItem(b -> b.tableName("T").key(key("a"))).hasItem()).isFalse();
    }

    @Test
    void keyAndItemValidation() {
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("other", s("x")))), "ValidationException",
                "One or more parameter values were invalid: Missing the key pk in the item");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", n("1")))), "ValidationException",
                "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("")))), "ValidationException",
                "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk");
        fails(() -> ddb.getItem(b -> b.tableName("T").key(Map.of("pk", s("a"), "x", s("b")))), "ValidationException",
                "The provided key element does not match the schema");
        fails(() -> ddb.getItem(b -> b.tableName("R").key(Map.of("pk", s("a")))), "ValidationException",
                "The provided key element does not match the schema");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "big", s("x".repeat(400 * 1024))))),
                "ValidationException", "Item size has exceeded the maximum allowed size");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "n", n("1e200")))),
                "ValidationException", "Number overflow. Attempting to store a number with magnitude larger than supported range");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "ss", AttributeValue.fromSs(List.of("a", "a"))))),
                "ValidationException", "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "e", AttributeValue.builder().build()))),
                "ValidationException", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"))).returnValues(ReturnValue.ALL_NEW)),
                "ValidationException", "Return values set to invalid value");
    }

    @Test
    void conditionsAndReturnValuesOnFailure() {
        ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "v", n("1"))));
        ConditionalCheckFailedException e = catchThrowableOfType(() -> ddb.putItem(b -> b.tableName("T")
                .item(Map.of("pk", s("a"), "v", n("2")))
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)),
                ConditionalCheckFailedException.class);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The conditional request failed");
        assertThat(e.item()).containsEntry("v", n("1"));

        PutItemResponse r = ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "v", n("2")))
                .conditionExpression("v = :one").expressionAttributeValues(Map.of(":one", n("1"))).returnValues(ReturnValue.ALL_OLD));
        assertThat(r.attributes()).containsEntry("v", n("1"));

        fails(() -> ddb.deleteItem(b -> b.tableName("T").key(key("a")).conditionExpression("v > :x")
                .expressionAttributeValues(Map.of(":x", n("5")))), "ConditionalCheckFailedException", "The conditional request failed");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(key("a")).conditionExpression("v = :x")
                        .expressionAttributeValues(Map.of(":x", n("5"), ":y", n("1")))),
                "ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(key("a")).conditionExpression("v = ")),
                "ValidationException", "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(key("a")).expressionAttributeValues(Map.of(":x", n("5")))),
                "ValidationException", "ExpressionAttributeValues can only be specified when using expressions");
        fails(() -> ddb.putItem(b -> b.tableName("T").item(key("a")).conditionExpression("v = :x")
                        .expressionAttributeValues(Map.of(":x", n("5")))
                        .expected(Map.of("v", ExpectedAttributeValue.builder().exists(false).build()))),
                "ValidationException", "Can not use both expression and non-expression parameters in the same request: "
                        + "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}");
    }

    @Test
    void updateExpressionsAndReturnValues() {
        UpdateItemResponse created = ddb.updateItem(b -> b.tableName("T").key(key("u"))
                .updateExpression("SET hits = if_not_exists(hits, :zero) + :one, tags = :tags, #l = :list")
                .expressionAttributeNames(Map.of("#l", "list"))
                .expressionAttributeValues(Map.of(":zero", n("0"), ":one", n("1"), ":tags", AttributeValue.fromSs(List.of("a")),
                        ":list", AttributeValue.fromL(List.of(n("1")))))
                .returnValues(ReturnValue.ALL_NEW));
        assertThat(created.attributes()).containsEntry("hits", n("1")).containsEntry("pk", s("u"));

        UpdateItemResponse updated = ddb.updateItem(b -> b.tableName("T").key(key("u"))
                .updateExpression("SET hits = hits + :five, #l = list_append(#l, :more) ADD tags :b REMOVE nothing")
                .expressionAttributeNames(Map.of("#l", "list"))
                .expressionAttributeValues(Map.of(":five", n("5"), ":more", AttributeValue.fromL(List.of(n("2"))),
                        ":b", AttributeValue.fromSs(List.of("b"))))
                .returnValues(ReturnValue.UPDATED_NEW));
        assertThat(updated.attributes()).containsOnlyKeys("hits", "list", "tags");
        assertThat(updated.attributes().get("hits").n()).isEqualTo("6");
        assertThat(updated.attributes().get("list").l()).hasSize(2);
        assertThat(updated.attributes().get("tags").ss()).containsExactly("a", "b");

        assertThat(ddb.updateItem(b -> b.tableName("T").key(key("u")).updateExpression("DELETE tags :a")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromSs(List.of("a", "b")))).returnValues(ReturnValue.UPDATED_OLD))
                .attributes().get("tags").ss()).containsExactly("a", "b");
        assertThat(ddb.getItem(b -> b.tableName("T").key(key("u"))).item()).doesNotContainKey("tags");

        fails(() -> ddb.updateItem(b -> b.tableName("T").key(key("u")).updateExpression("SET pk = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))),
                "ValidationException", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
        fails(() -> ddb.updateItem(b -> b.tableName("T").key(key("u")).updateExpression("SET a = ghost + :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))),
                "ValidationException", "The provided expression refers to an attribute that does not exist in the item");
        fails(() -> ddb.updateItem(b -> b.tableName("T").key(key("u")).updateExpression("SET a = :v ADD")
                        .expressionAttributeValues(Map.of(":v", n("1")))),
                "ValidationException", "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"ADD\"");
        fails(() -> ddb.updateItem(b -> b.tableName("T").key(key("u")).updateExpression("SET #a = :v")
                        .expressionAttributeValues(Map.of(":v", n("1")))),
                "ValidationException", "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; "
                        + "attribute name: #a");
    }

    @Test
    void legacyParameters() {
        ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "v", n("1"))));
        ddb.updateItem(b -> b.tableName("T").key(key("a"))
                .attributeUpdates(Map.of("v", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n("2")).build(),
                        "w", AttributeValueUpdate.builder().action(AttributeAction.PUT).value(s("x")).build()))
                .expected(Map.of("v", ExpectedAttributeValue.builder().value(n("1")).build())));
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName("T").key(key("a")).attributesToGet("v", "w")).item();
        assertThat(item).containsEntry("v", n("3")).containsEntry("w", s("x")).hasSize(2);
        fails(() -> ddb.deleteItem(b -> b.tableName("T").key(key("a"))
                        .expected(Map.of("w", ExpectedAttributeValue.builder().exists(false).build()))),
                "ConditionalCheckFailedException", "The conditional request failed");
        fails(() -> ddb.deleteItem(b -> b.tableName("T").key(key("a"))
                        .expected(Map.of("w", ExpectedAttributeValue.builder().build()))),
                "ValidationException", "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: w");
        fails(() -> ddb.deleteItem(b -> b.tableName("T").key(key("a"))
                        .expected(Map.of("w", ExpectedAttributeValue.builder().exists(true).build()))),
                "ValidationException", "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: w");
        fails(() -> ddb.deleteItem(b -> b.tableName("T").key(key("a")).conditionalOperator(ConditionalOperator.AND)),
                "ValidationException", "ConditionalOperator cannot be used without Filter or Expected");
        fails(() -> ddb.deleteItem(b -> b.tableName("T").key(key("a")).conditionalOperator(ConditionalOperator.AND)
                        .expected(Map.of("w", ExpectedAttributeValue.builder().exists(false).build()))),
                "ValidationException", "ConditionalOperator can only be used when Filter or Expected has two or more elements");
    }

    @Test
    void writeCapacityCountsKilobytes() {
        double units = ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s("a"), "d", s("x".repeat(2500))))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
        assertThat(units).isEqualTo(3.0);
        double read = ddb.getItem(b -> b.tableName("T").key(key("a")).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity().capacityUnits();
        assertThat(read).isEqualTo(0.5);
    }
}
