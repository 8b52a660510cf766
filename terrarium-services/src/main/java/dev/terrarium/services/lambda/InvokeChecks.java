package dev.terrarium.services.lambda;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;

/** What every way of invoking a function checks first, with Lambda's errors: the payload, then the version's state. */
final class InvokeChecks {
    private InvokeChecks() {
    }

    /** The payload to deliver ({} when none was sent): at most limit bytes of JSON. */
    static byte[] payload(byte[] payload, int limit) {
        if (payload == null || payload.length == 0) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        if (payload.length > limit) {
            throw new AwsException("RequestTooLargeException", "Request must be smaller than " + limit
                    + " bytes for the InvokeFunction operation").withFields(Struct.of("Type", "User"));
        }
        if (!Json.isJson(payload)) {
            throw new AwsException("InvalidRequestContentException",
                    "Could not parse request body into json: Could not parse payload into json").withFields(Struct.of("Type", "User"));
        }
        return payload;
    }

    /** The version must be Active and runnable here (its runtime found on this machine). */
    static void invocable(FunctionVersion v, Invoker invoker) {
        if (!"Active".equals(v.state)) {
            throw LambdaErrors.conflict("The operation cannot be performed at this time. The function is currently in the following state: " + v.state);
        }
        invoker.checkRunnable(v);
    }
}
