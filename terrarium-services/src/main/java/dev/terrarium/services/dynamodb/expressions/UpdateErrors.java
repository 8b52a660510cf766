package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.Errors;

/** Errors raised while applying an update to an item (not while parsing it). */
final class UpdateErrors {
    private UpdateErrors() {
    }

    static AttributeValue present(AttributeValue v) {
        if (v == null) {
            throw Errors.validation("The provided expression refers to an attribute that does not exist in the item");
        }
        return v;
    }

    static AwsException incorrectDataType() {
        return Errors.validation("An operand in the update expression has an incorrect data type");
    }

    static AwsException invalidPath() {
        return Errors.validation("The document path provided in the update expression is invalid for update");
    }
}
