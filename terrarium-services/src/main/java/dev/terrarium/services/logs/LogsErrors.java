package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsException;

/** CloudWatch Logs errors as AWS words them. */
final class LogsErrors {
    private LogsErrors() {
    }

    static AwsException invalidParameter(String message) {
        return new AwsException("InvalidParameterException", message);
    }

    static AwsException groupNotFound() {
        return new AwsException("ResourceNotFoundException", "The specified log group does not exist.");
    }

    static AwsException streamNotFound() {
        return new AwsException("ResourceNotFoundException", "The specified log stream does not exist.");
    }

    static AwsException invalidToken() {
        return invalidParameter("The specified nextToken is invalid.");
    }
}
