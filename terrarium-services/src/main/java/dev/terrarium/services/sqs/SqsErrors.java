package dev.terrarium.services.sqs;

import dev.terrarium.core.service.AwsException;

/** SQS's errors, worded as SQS words them. Modeled ones use the model's shape name; the codec maps the query code. */
final class SqsErrors {
    private SqsErrors() {
    }

    static AwsException queueDoesNotExist() {
        return new AwsException("QueueDoesNotExist", "The specified queue does not exist.");
    }

    static AwsException invalidAddress(String url) {
        return new AwsException("InvalidAddress", "The address " + url + " is not valid for this endpoint.");
    }

    static AwsException invalidParameter(String message) {
        return new AwsException("InvalidParameterValue", message, 400);
    }

    /** "Value v for parameter P is invalid. Reason: r" */
    static AwsException invalidParameter(String parameter, Object value, String reason) {
        return invalidParameter("Value " + value + " for parameter " + parameter + " is invalid. Reason: " + reason);
    }

    static AwsException missingParameter(String parameter) {
        return new AwsException("MissingParameter", "The request must contain the parameter " + parameter + ".", 400);
    }

    static AwsException invalidAttributeName(String name) {
        return new AwsException("InvalidAttributeName", "Unknown Attribute " + name + ".");
    }

    static AwsException invalidAttributeValue(String name) {
        return new AwsException("InvalidAttributeValue", "Invalid value for the parameter " + name + ".");
    }

    static AwsException invalidAttributeValue(String name, String reason) {
        return new AwsException("InvalidAttributeValue", "Invalid value for the parameter " + name + ". Reason: " + reason);
    }

    static AwsException receiptHandleIsInvalid(String handle) {
        return new AwsException("ReceiptHandleIsInvalid",
                "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }

    static AwsException notForThisQueueType(String parameter, Object value) {
        return invalidParameter(parameter, value, "The request include parameter that is not valid for this queue type.");
    }

    static AwsException resourceNotFound(String message) {
        return new AwsException("ResourceNotFoundException", message);
    }
}
