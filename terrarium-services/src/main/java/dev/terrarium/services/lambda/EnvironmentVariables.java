package dev.terrarium.services.lambda;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks a function's environment variables against Lambda's rules (names, reserved keys, 4 KB total). */
final class EnvironmentVariables {
    private static final Set<String> RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    private EnvironmentVariables() {
    }

    static Map<String, String> check(Map<String, String> variables) {
        if (variables == null) {
            return new LinkedHashMap<>();
        }
        Set<String> reserved = new TreeSet<>();
        int size = 0;
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (!e.getKey().matches("[a-zA-Z]([a-zA-Z0-9_])+")) {
                throw LambdaErrors.invalid("1 validation error detected: Value at 'environment.variables' failed to satisfy "
                        + "constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: "
                        + "[a-zA-Z]([a-zA-Z0-9_])+]");
            }
            if (RESERVED.contains(e.getKey())) {
                reserved.add(e.getKey());
            }
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length);
        }
        if (!reserved.isEmpty()) {
            throw LambdaErrors.invalid("Lambda was unable to configure your environment variables because the environment "
                    + "variables you have provided contains reserved keys that are currently not supported for modification. "
                    + "Reserved keys used in this request: " + String.join(",", List.copyOf(reserved)));
        }
        if (size > 4096) {
            throw LambdaErrors.invalid("Lambda was unable to configure your environment variables because the environment "
                    + "variables you have provided exceeded the 4KB limit. String measured: " + size);
        }
        return new LinkedHashMap<>(variables);
    }
}
