package dev.terrarium.core.validation;

import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.ErrorResolver;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InputValidatorTest {
    private static final String ARN_PATTERN =
            "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+";
    private static Models models;

    @BeforeAll
    static void load() {
        models = Models.fromClasspath();
    }

    private static AwsException validate(String service, String operation, Struct input) {
        ServiceModel model = models.model(service);
        Shape shape = model.operation(operation).input();
        return InputValidator.forService(model.info()).validate(shape, input);
    }

    // ---- STS (awsQuery): ValidationError, messages as STS sends them

    @Test
    void stsEmptyArnsGiveFourErrorsAsAwsWordsThem() {
        // the message AWS answered (aws-runas issue 80), for RoleArn and PrincipalArn sent empty
        AwsException e = validate("sts", "AssumeRoleWithSAML",
                Struct.of("RoleArn", "", "PrincipalArn", "", "SAMLAssertion", "PHNhbWw+"));
        assertThat(e.code()).isEqualTo("ValidationError");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("4 validation errors detected: "
                + "Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + ARN_PATTERN + "; "
                + "Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; "
                + "Value '' at 'principalArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + ARN_PATTERN + "; "
                + "Value '' at 'principalArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
    }

    @Test
    void stsMissingRequiredMemberIsNotNull() {
        AwsException e = validate("sts", "AssumeRoleWithWebIdentity",
                Struct.of("RoleArn", "arn:aws:iam::123456789012:role/web", "RoleSessionName", "s1"));
        assertThat(e.code()).isEqualTo("ValidationError");
        assertThat(e.getMessage()).isEqualTo("1 validation error detected: Value null at 'webIdentityToken' "
                + "failed to satisfy constraint: Member must not be null");
    }

    @Test
    void stsPatternRangeAndNestedListMembers() {
        AwsException e = validate("sts", "AssumeRole", Struct.of(
                "RoleArn", "arn:aws:iam::123456789012:role/r",
                "RoleSessionName", "bedrock role",
                "DurationSeconds", 100,
                "Tags", List.of(Struct.of("Key", "team", "Value", "a"), Struct.of("Key", "env"))));
        assertThat(e.getMessage()).isEqualTo("3 validation errors detected: "
                + "Value 'bedrock role' at 'roleSessionName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\w+=,.@-]*; "
                + "Value '100' at 'durationSeconds' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 900; "
                + "Value null at 'tags.2.member.value' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void validInputIsNullIncludingCharactersBeyondTheBmp() {
        assertThat(validate("sts", "AssumeRole", Struct.of(
                "RoleArn", "arn:aws:iam::123456789012:role/caf\u00e9-\uD83D\uDE00", "RoleSessionName", "s@x.com",
                "DurationSeconds", 3600))).isNull();
        assertThat(validate("sts", "GetCallerIdentity", Struct.empty())).isNull();
        assertThat(validate("sts", "GetCallerIdentity", null)).isNull();
    }

    @Test
    void stringLengthCountsCodePoints() {
        // 40 emoji are 80 UTF-16 chars but 40 characters: within roleSessionName's max of 64 (only the pattern fails)
        AwsException within = validate("sts", "AssumeRole", Struct.of("RoleArn", "arn:aws:iam::123456789012:role/r",
                "RoleSessionName", "\uD83D\uDE00".repeat(40)));
        assertThat(within.getMessage()).startsWith("1 validation error detected: ")
                .contains("regular expression pattern").doesNotContain("length");
        AwsException over = validate("sts", "AssumeRole", Struct.of("RoleArn", "arn:aws:iam::123456789012:role/r",
                "RoleSessionName", "a".repeat(65)));
        assertThat(over.getMessage()).isEqualTo("1 validation error detected: Value '" + "a".repeat(65)
                + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64");
    }

    // ---- DynamoDB (awsJson1_0): ValidationException

    @Test
    void dynamodbMissingTableName() {
        ServiceModel dynamodb = models.model("dynamodb");
        AwsException e = InputValidator.validate(dynamodb, dynamodb.operation("Scan"), Struct.empty());
        assertThat(e.code()).isEqualTo("ValidationException");
        assertThat(e.getMessage()).isEqualTo("1 validation error detected: Value null at 'tableName' "
                + "failed to satisfy constraint: Member must not be null");
    }

    @Test
    void dynamodbSeveralErrorsInModelOrder() {
        AwsException e = validate("dynamodb", "Scan", Struct.of(
                "TableName", "t", "AttributesToGet", List.of(), "Limit", 0, "ReturnConsumedCapacity", "hi", "Segment", -1));
        assertThat(e.getMessage()).isEqualTo("4 validation errors detected: "
                + "Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1; "
                + "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; "
                + "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
                + "Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0");
    }

    @Test
    void dynamodbNestedStructuresInListsAndLowerCamelPaths() {
        AwsException e = validate("dynamodb", "CreateTable", Struct.of(
                "TableName", "orders",
                "KeySchema", List.of(Struct.of("AttributeName", "", "KeyType", "HASHY")),
                "ProvisionedThroughput", Struct.of("ReadCapacityUnits", 0L),
                "SSESpecification", Struct.of("SSEType", "DES")));
        assertThat(e.getMessage()).isEqualTo("5 validation errors detected: "
                + "Value '' at 'keySchema.1.member.attributeName' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 1; "
                + "Value 'HASHY' at 'keySchema.1.member.keyType' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [HASH, RANGE]; "
                + "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1; "
                + "Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: "
                + "Member must not be null; "
                + "Value 'DES' at 'sSESpecification.sSEType' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [AES256, KMS]");
    }

    @Test
    void dynamodbMapValueConstraintIsReportedOnTheMap() {
        // what DynamoDB answers for BatchWriteItem with an empty list of requests for a table
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("t", List.of());
        AwsException e = validate("dynamodb", "BatchWriteItem", Struct.of("RequestItems", items));
        assertThat(e.getMessage()).isEqualTo("1 validation error detected: Value '{t=[]}' at 'requestItems' "
                + "failed to satisfy constraint: Map value must satisfy constraint: "
                + "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
    }

    @Test
    void dynamodbMapOfListsOfStructuresIsWalked() {
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("t", List.of(Struct.of("PutRequest", Struct.empty())));
        AwsException e = validate("dynamodb", "BatchWriteItem", Struct.of("RequestItems", items));
        assertThat(e.getMessage()).isEqualTo("1 validation error detected: Value null at "
                + "'requestItems.t.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void idempotencyTokensAreFilled() {
        Shape shape = models.model("dynamodb").operation("TransactWriteItems").input();
        Struct in = Struct.of("TransactItems", List.of(Struct.of("ConditionCheck", Struct.of(
                "Key", Map.of(), "TableName", "t", "ConditionExpression", "attribute_exists(a)"))));
        assertThat(InputValidator.forService(models.info("dynamodb")).validate(shape, in)).isNull();
        assertThat(in.string("ClientRequestToken")).matches("[0-9a-f-]{36}");

        Struct given = Struct.of("ClientRequestToken", "mine");
        InputValidator.fillIdempotencyTokens(shape, given);
        assertThat(given.string("ClientRequestToken")).isEqualTo("mine");
        Struct empty = Struct.of("ClientRequestToken", "");
        InputValidator.fillIdempotencyTokens(shape, empty);
        assertThat(empty.string("ClientRequestToken")).hasSize(36);
    }

    // ---- Lambda (restJson1): ValidationException

    @Test
    void lambdaCollectionsEnumsRangesAndMissingMembers() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("_X", "1");
        AwsException e = validate("lambda", "CreateFunction", Struct.of(
                "FunctionName", "my-fn",
                "MemorySize", 64,
                "Architectures", List.of("sparc"),
                "Environment", Struct.of("Variables", vars),
                "Code", Struct.of("ZipFile", new byte[]{1})));
        assertThat(e.code()).isEqualTo("ValidationException");
        assertThat(e.getMessage()).isEqualTo("4 validation errors detected: "
                + "Value null at 'role' failed to satisfy constraint: Member must not be null; "
                + "Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128; "
                + "Value '{_X=1}' at 'environment.variables' failed to satisfy constraint: "
                + "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]; "
                + "Value '[sparc]' at 'architectures' failed to satisfy constraint: "
                + "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]");
    }

    @Test
    void lambdaUriMemberPattern() {
        AwsException e = validate("lambda", "GetFunction", Struct.of("FunctionName", "no spaces allowed"));
        assertThat(e.getMessage()).startsWith("1 validation error detected: Value 'no spaces allowed' at 'functionName' "
                + "failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:");
        assertThat(validate("lambda", "GetFunction",
                Struct.of("FunctionName", "arn:aws:lambda:us-east-1:123456789012:function:my-fn"))).isNull();
    }

    // ---- SQS and CloudWatch: missing parameters on their own

    @Test
    void sqsMissingParameter() {
        AwsException e = validate("sqs", "SendMessage", Struct.of("QueueUrl", "http://q"));
        assertThat(e.code()).isEqualTo("MissingParameter");
        assertThat(e.getMessage()).isEqualTo("The request must contain the parameter MessageBody.");

        AwsException nested = validate("sqs", "SendMessageBatch", Struct.of("QueueUrl", "http://q",
                "Entries", List.of(Struct.of("Id", "1", "MessageBody", "b"), Struct.of("Id", "2"))));
        assertThat(nested.getMessage()).isEqualTo("The request must contain the parameter Entries.2.MessageBody.");
    }

    @Test
    void sqsLeavesValueChecksToTheService() {
        assertThat(validate("sqs", "GetQueueAttributes",
                Struct.of("QueueUrl", "http://q", "AttributeNames", List.of("Bogus")))).isNull();
    }

    @Test
    void cloudwatchMissingParameterResolvesToItsModeledShape() {
        AwsException e = validate("cloudwatch", "PutMetricData", Struct.of("MetricData", List.of()));
        assertThat(e.code()).isEqualTo("MissingParameter");
        assertThat(e.getMessage()).isEqualTo("The parameter Namespace is required.");
        ErrorResolver.ResolvedError resolved = ErrorResolver.resolve(models.model("cloudwatch"), e);
        assertThat(resolved.shapeName()).isEqualTo("MissingRequiredParameterException");
        assertThat(resolved.status()).isEqualTo(400);
    }

    // ---- the policy itself

    @Test
    void stylesPerService() {
        assertThat(ValidationStyle.forService(models.info("sts"))).isEqualTo(ValidationStyle.QUERY);
        assertThat(ValidationStyle.forService(models.info("iam"))).isEqualTo(ValidationStyle.QUERY);
        assertThat(ValidationStyle.forService(models.info("dynamodb"))).isEqualTo(ValidationStyle.JSON);
        assertThat(ValidationStyle.forService(models.info("lambda"))).isEqualTo(ValidationStyle.JSON);
        assertThat(ValidationStyle.forService(models.info("sqs"))).isEqualTo(ValidationStyle.SQS);
        assertThat(ValidationStyle.forService(models.info("ec2"))).isEqualTo(ValidationStyle.EC2);
        assertThat(ValidationStyle.forService(models.info("cloudwatch"))).isEqualTo(ValidationStyle.CLOUDWATCH);
        assertThat(ValidationStyle.forService(models.info("cognito-idp")).constraintCode())
                .isEqualTo("InvalidParameterException");
        assertThat(validate("s3", "PutObject", Struct.empty())).isNull();
    }

    @Test
    void stylesCanBeAdjusted() {
        ServiceModel model = models.model("dynamodb");
        InputValidator custom = new InputValidator(ValidationStyle.JSON.withConstraintCode("InvalidParameterValue")
                .withMissingParameter("MissingParameter", "Missing %s"));
        AwsException e = custom.validate(model.operation("Scan").input(), Struct.empty());
        assertThat(e.code()).isEqualTo("MissingParameter");
        assertThat(e.getMessage()).isEqualTo("Missing TableName");
        AwsException c = custom.validate(model.operation("Scan").input(), Struct.of("TableName", "t", "Limit", 0));
        assertThat(c.code()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void valuesOfTheWrongJavaTypeAreNotACrash() {
        // a codec should not produce these, but validation must not throw on them either
        assertThat(validate("dynamodb", "Scan", Struct.of("TableName", 12, "Limit", "x", "AttributesToGet", "a")))
                .isNull();
    }
}
