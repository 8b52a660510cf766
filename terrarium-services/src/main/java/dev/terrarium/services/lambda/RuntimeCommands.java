package dev.terrarium.services.lambda;

import dev.terrarium.core.service.AwsException;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * How each runtime starts as a local process: provided.* runs the package's bootstrap, Python and
 * Node run Terrarium's small bootstraps (resources of this jar) on the interpreter found on the PATH.
 */
final class RuntimeCommands {
    private static RuntimeCommands shared;
    private final Path bootstraps;

    /** One per JVM: the bootstraps are the same for every server. */
    static synchronized RuntimeCommands shared() {
        if (shared == null) {
            shared = new RuntimeCommands();
        }
        return shared;
    }

    private RuntimeCommands() {
        try {
            bootstraps = Files.createTempDirectory("terrarium-lambda-runtimes-");
            DeploymentPackage.deleteOnExit(bootstraps);
            for (String name : List.of("bootstrap.py", "bootstrap.cjs")) {
                try (InputStream in = RuntimeCommands.class.getResourceAsStream(name)) {
                    Files.copy(in, bootstraps.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line for a runtime, or InvalidRuntimeException when it cannot run here. */
    List<String> command(String runtime, Path code) {
        if (runtime.startsWith("provided")) {
            return List.of(code.resolve("bootstrap").toString());
        }
        if (runtime.startsWith("python3")) {
            return List.of(python(runtime), "-u", bootstraps.resolve("bootstrap.py").toString());
        }
        if (runtime.startsWith("nodejs")) {
            return List.of(onPath("node", "nodejs"), bootstraps.resolve("bootstrap.cjs").toString());
        }
        if (JavaRuntime.handles(runtime)) {
            return JavaRuntime.check(runtime); // the invoker builds the command (JavaRuntime.command)
        }
        throw unsupported(runtime, "Terrarium runs provided.*, python3.x, nodejs and java functions as local processes.");
    }

    private final java.util.Map<String, String> pythons = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The real interpreter behind python3.x or python3 on the PATH: version managers (pyenv) put shims
     * there that need the caller's whole environment, which a function's process does not get.
     */
    private String python(String runtime) {
        return pythons.computeIfAbsent(runtime, r -> {
            for (String name : List.of(r, "python3")) {
                String candidate = onPathOrNull(name);
                String real = candidate == null ? null : realInterpreter(candidate);
                if (real != null) {
                    return real;
                }
            }
            throw unsupported(r, "No working " + r + " or python3 interpreter was found on the PATH.");
        });
    }

    private static String realInterpreter(String candidate) {
        try {
            Process p = new ProcessBuilder(candidate, "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out)) ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String onPathOrNull(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String onPath(String... names) {
        String path = System.getenv("PATH");
        for (String name : names) {
            for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw unsupported(names[0], "No " + String.join(" or ", names) + " interpreter was found on the PATH.");
    }

    private static AwsException unsupported(String runtime, String why) {
        return new AwsException("InvalidRuntimeException", "The runtime parameter of " + runtime
                + " is not supported here: " + why).withFields(dev.terrarium.core.service.Struct.of("Type", "User"));
    }
}
