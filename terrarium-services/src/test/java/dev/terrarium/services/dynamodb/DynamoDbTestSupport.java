package dev.terrarium.services.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Helpers for DynamoDB tests through the SDK. */
final class DynamoDbTestSupport {
    private DynamoDbTestSupport() {
    }

    static AttributeValue s(String v) { return AttributeValue.fromS(v); }
    static AttributeValue n(String v) { return AttributeValue.fromN(v); }

    /** A pay-per-request table with a string hash key "pk" and, when given, a sort key "sk" of that type. */
    static void createTable(DynamoDbClient ddb, String name, ScalarAttributeType sortType) {
        ddb.createTable(b -> {
            b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
            if (sortType == null) {
                b.attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH));
            } else {
                b.attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("sk").attributeType(sortType))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE));
            }
        });
    }

    /** Runs the call, which must fail with this error code and exact message. */
    static DynamoDbException fails(Runnable call, String code, String message) {
        DynamoDbException e = catchThrowableOfType(call::run, DynamoDbException.class);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).as(e.awsErrorDetails().errorMessage()).isEqualTo(code);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        assertThat(e.statusCode()).isEqualTo(400);
        return e;
    }

}
