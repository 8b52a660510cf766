package dev.terrarium.services.lambda;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The java11/java17/java21 runtimes: AWS's runtime interface client (com.amazonaws:aws-lambda-java-runtime-interface-client,
 * shipped in this jar as resources) runs the function's handler on a JDK of this machine, as Lambda's Java runtimes do.
 * The classpath is Lambda's: the package root, its lib/*.jar, the layers' java/lib/*.jar, then the runtime's jars.
 * The JDK: JAVA_HOME's or the java on the PATH when it is recent enough for the runtime, else the newest under
 * /usr/lib/jvm (or /Library/Java/JavaVirtualMachines) that is.
 */
final class JavaRuntime {
    static final String MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final List<String> JARS = List.of("aws-lambda-java-runtime-interface-client.jar",
            "aws-lambda-java-core.jar", "aws-lambda-java-serialization.jar", "utils-lite.jar");
    private static volatile Path jars;
    private static final Map<Integer, String> JAVAS = new ConcurrentHashMap<>();

    private JavaRuntime() {
    }

    static boolean handles(String runtime) {
        return runtime.matches("java(11|17|21|25)");
    }

    /** The command line: the JVM, Lambda's JVM options, the classpath and the RIC's main class with the handler. */
    static List<String> command(String runtime, String handler, Path code, Path opt, Path tmp) {
        int major = Integer.parseInt(runtime.substring("java".length()));
        String java = java(runtime, major);
        Path ric = jars();
        List<String> classpath = new ArrayList<>();
        classpath.add(code.toString());
        classpath.add(code.resolve("lib").resolve("*").toString());
        if (opt != null) {
            classpath.add(opt.resolve("java").resolve("lib").resolve("*").toString());
        }
        JARS.forEach(j -> classpath.add(ric.resolve(j).toString()));
        List<String> cmd = new ArrayList<>(List.of(java,
                // as Lambda's Java runtimes: a small heap, quick startup over peak performance
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Djava.net.preferIPv4Stack=true", "-Dfile.encoding=UTF-8"));
        if (tmp != null) {
            cmd.add("-Djava.io.tmpdir=" + tmp);
        }
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), MAIN, handler == null ? "" : handler));
        return cmd;
    }

    /** The runtime's jars, copied once per JVM from this jar's resources into a temporary directory. */
    static Path jars() {
        Path dir = jars;
        if (dir != null) {
            return dir;
        }
        synchronized (JavaRuntime.class) {
            if (jars == null) {
                try {
                    Path d = Files.createTempDirectory("terrarium-lambda-java-");
                    DeploymentPackage.deleteOnExit(d);
                    for (String name : JARS) {
                        try (InputStream in = JavaRuntime.class.getResourceAsStream("java/" + name)) {
                            if (in == null) {
                                throw unsupported("java", "this build lacks AWS's Java runtime interface client (" + name + ").");
                            }
                            Files.copy(in, d.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                    jars = d;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return jars;
        }
    }

    private static String java(String runtime, int major) {
        return JAVAS.computeIfAbsent(major, m -> {
            List<Path> candidates = new ArrayList<>();
            String home = System.getenv("JAVA_HOME");
            if (home != null) {
                candidates.add(Path.of(home, "bin", "java"));
            }
            String path = System.getenv("PATH");
            for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
                candidates.add(Path.of(d, "java"));
            }
            candidates.add(Path.of(System.getProperty("java.home"), "bin", "java"));
            for (Path root : List.of(Path.of("/usr/lib/jvm"), Path.of("/Library/Java/JavaVirtualMachines"))) {
                if (Files.isDirectory(root)) {
                    try (Stream<Path> s = Files.list(root)) {
                        s.sorted().forEach(p -> {
                            candidates.add(p.resolve("bin").resolve("java"));
                            candidates.add(p.resolve("Contents").resolve("Home").resolve("bin").resolve("java"));
                        });
                    } catch (IOException ignored) {
                        // nothing found there
                    }
                }
            }
            for (Path c : candidates) {
                if (Files.isExecutable(c) && version(c) >= m) {
                    return c.toString();
                }
            }
            throw unsupported(runtime, "No Java " + m + " or later was found (JAVA_HOME, the PATH, /usr/lib/jvm).");
        });
    }

    /** The major version of a java launcher, from its JDK's release file. */
    private static int version(Path java) {
        try {
            Path release = java.toRealPath().getParent().getParent().resolve("release");
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String first = v.startsWith("1.") ? v.substring(2) : v;
                    return Integer.parseInt(first.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a JDK layout we know
        }
        return 0;
    }

    private static AwsException unsupported(String runtime, String why) {
        return new AwsException("InvalidRuntimeException", "The runtime parameter of " + runtime
                + " is not supported here: " + why).withFields(Struct.of("Type", "User"));
    }
}
