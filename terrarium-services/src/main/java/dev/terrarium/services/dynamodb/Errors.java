package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.AwsException;

/** DynamoDB's errors, with AWS's exact message texts. */
public final class Errors {
    private Errors() {
    }

    public static AwsException validation(String message) {
        return new AwsException("ValidationException", message, 400);
    }

    public static AwsException invalidParameter(String detail) {
        return validation("One or more parameter values were invalid: " + detail);
    }

    public static AwsException keyMismatch() {
        return validation("The provided key element does not match the schema");
    }

    public static AwsException resourceNotFound() {
        return new AwsException("ResourceNotFoundException", "Requested resource not found");
    }

    public static AwsException tableNotFound(String table) {
        return new AwsException("ResourceNotFoundException", "Requested resource not found: Table: " + table + " not found");
    }

    public static AwsException resourceInUse(String message) {
        return new AwsException("ResourceInUseException", message);
    }

    public static AwsException conditionFailed() {
        return new AwsException("ConditionalCheckFailedException", "The conditional request failed");
    }

    public static final String TRANSACTION_ONGOING = "Transaction is ongoing for the item";

    /** A single-item write of an item a transaction is changing. */
    public static AwsException transactionConflict() {
        return new AwsException("TransactionConflictException", TRANSACTION_ONGOING);
    }

    public static AwsException itemTooLarge() {
        return validation("Item size has exceeded the maximum allowed size");
    }
}
