package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Struct;

import java.time.Instant;

/**
 * A function's (or version's, or alias's) asynchronous invocation settings: retries, maximum event age and
 * the OnSuccess/OnFailure destinations. Null members are unset (AWS's defaults apply: 2 retries, 6 hours).
 */
record EventInvokeConfig(Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds, String onSuccess,
                         String onFailure, Instant lastModified) {
    static final int DEFAULT_RETRIES = 2;
    static final int DEFAULT_MAX_AGE_SECONDS = 21600;

    int retries() {
        return maximumRetryAttempts == null ? DEFAULT_RETRIES : maximumRetryAttempts;
    }

    int maxAgeSeconds() {
        return maximumEventAgeInSeconds == null ? DEFAULT_MAX_AGE_SECONDS : maximumEventAgeInSeconds;
    }

    /** The FunctionEventInvokeConfig structure for the function version or alias ARN it belongs to. */
    Struct describe(String functionArn) {
        return Struct.of("LastModified", lastModified, "FunctionArn", functionArn,
                "MaximumRetryAttempts", maximumRetryAttempts, "MaximumEventAgeInSeconds", maximumEventAgeInSeconds,
                "DestinationConfig", Struct.of(
                        "OnSuccess", onSuccess == null ? Struct.empty() : Struct.of("Destination", onSuccess),
                        "OnFailure", onFailure == null ? Struct.empty() : Struct.of("Destination", onFailure)));
    }
}
