package dev.terrarium.services.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AWS_LAMBDA_EXEC_WRAPPER: for the managed runtimes that support wrapper scripts (Python, Node.js, Java here), the
 * runtime starts as {@code wrapper <runtime command line...>}, and the wrapper (usually in a layer: /opt/wrapper) ends
 * with {@code exec "$@"} after changing the environment or the arguments. /opt and /var/task in the variable mean
 * the environment's own directories. OS-only runtimes (provided.*) ignore it, as on Lambda.
 */
final class ExecWrapper {
    static final String VARIABLE = "AWS_LAMBDA_EXEC_WRAPPER";

    private ExecWrapper() {
    }

    static boolean supports(String runtime) {
        return runtime.startsWith("python") || runtime.startsWith("nodejs") || JavaRuntime.handles(runtime);
    }

    /** The command wrapped, or as it is when no wrapper is set; InvalidEntrypoint when the wrapper cannot run. */
    static List<String> wrap(List<String> command, Map<String, String> env, String runtime, Path code, Path opt) {
        String wrapper = env.get(VARIABLE);
        if (wrapper == null || wrapper.isEmpty() || !supports(runtime)) {
            return command;
        }
        Path file = local(wrapper, code, opt);
        if (file == null || !Files.isRegularFile(file)) {
            throw LambdaErrors.invalid("fork/exec " + wrapper + ": no such file or directory");
        }
        if (!Files.isExecutable(file) && !file.toFile().setExecutable(true)) {
            throw LambdaErrors.invalid("fork/exec " + wrapper + ": permission denied");
        }
        List<String> wrapped = new ArrayList<>();
        wrapped.add(file.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    /** Where a path of the Lambda file system is in this environment (null: /opt without layers). */
    private static Path local(String path, Path code, Path opt) {
        if (path.equals("/opt") || path.startsWith("/opt/")) {
            return opt == null ? null : opt.resolve(path.substring("/opt".length()).replaceFirst("^/", ""));
        }
        if (path.equals("/var/task") || path.startsWith("/var/task/")) {
            return code.resolve(path.substring("/var/task".length()).replaceFirst("^/", ""));
        }
        return Path.of(path);
    }
}
