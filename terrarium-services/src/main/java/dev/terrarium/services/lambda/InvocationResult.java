package dev.terrarium.services.lambda;

import java.nio.charset.StandardCharsets;

/** What an invocation ended with: the payload, and for a failure Lambda's FunctionError ("Unhandled"). */
record InvocationResult(byte[] payload, String functionError, String status) {
    static InvocationResult success(byte[] payload) {
        return new InvocationResult(payload, null, null);
    }

    static InvocationResult error(byte[] payload) {
        return new InvocationResult(payload, "Unhandled", "error");
    }

    static InvocationResult error(String errorType, String message) {
        String body = "{\"errorMessage\":" + Json.quote(message) + ",\"errorType\":" + Json.quote(errorType) + "}";
        return new InvocationResult(body.getBytes(StandardCharsets.UTF_8), "Unhandled", "error");
    }

    static InvocationResult timeout(String message) {
        String body = "{\"errorMessage\":" + Json.quote(message) + "}";
        return new InvocationResult(body.getBytes(StandardCharsets.UTF_8), "Unhandled", "timeout");
    }
}
