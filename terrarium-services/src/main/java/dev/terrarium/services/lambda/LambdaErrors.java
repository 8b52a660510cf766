package dev.terrarium.services.lambda;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

/** Lambda's errors, with the "Type" member AWS fills (User for the caller's mistakes). */
final class LambdaErrors {
    private LambdaErrors() {
    }

    static AwsException notFound(String what) {
        return new AwsException("ResourceNotFoundException", what).withFields(Struct.of("Type", "User"));
    }

    static AwsException functionNotFound(String arn) {
        return notFound("Function not found: " + arn);
    }

    static AwsException conflict(String message) {
        return new AwsException("ResourceConflictException", message).withFields(Struct.of("Type", "User"));
    }

    static AwsException invalid(String message) {
        return new AwsException("InvalidParameterValueException", message).withFields(Struct.of("Type", "User"));
    }

    static AwsException preconditionFailed() {
        return new AwsException("PreconditionFailedException",
                "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
                .withFields(Struct.of("Type", "User"));
    }

    static AwsException throttled(String reason) {
        return new AwsException("TooManyRequestsException", "Rate Exceeded.")
                .withFields(Struct.of("Type", "User", "Reason", reason));
    }
}
