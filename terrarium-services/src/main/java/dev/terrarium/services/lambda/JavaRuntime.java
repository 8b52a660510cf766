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
    /** The version of com.amazonaws:aws-lambda-java-runtime-interface-client copied into the jar (terrarium-services/pom.xml). */
    static final String RIC_VERSION = "2.10.1";
    private static final List<String> JARS = List.of("aws-lambda-java-runtime-interface-client.jar",
            "aws-lambda-java-core.jar", "aws-lambda-java-serialization.jar", "utils-lite.jar");
    private static volatile Path jars;
    private static final Map<Integer, String> JAVAS = new ConcurrentHashMap<>();

    private JavaRuntime() {
    }

    static boolean handles(String runtime) {
        return runtime.matches("java(11|17|21|25)");
    }

    /** Checks that the runtime can run here (a JDK recent enough, the runtime's jars); the java launcher. */
    static List<String> check(String runtime) {
        jars();
        return List.of(java(runtime, Integer.parseInt(runtime.substring("java".length()))));
    }

    /** A class-data archive being recorded by this JVM (one at a time), or null. */
    private static final java.util.Set<Path> RECORDING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The command line: the JVM, Lambda's JVM options, the runtime's classpath and the RIC's main class with the
     * handler. The function's own code is not on the classpath: the RIC loads it from the working directory (the
     * package root and its lib/*.jar), as on Lambda; the layers' java/lib jars come after the runtime's.
     * Class-data sharing: the first environment of a JDK records the classes the runtime loaded (written when it
     * stops: environments of such a JVM stop with SIGTERM); later cold starts map that archive.
     */
    static List<String> command(String runtime, String handler, Path code, Path opt, Path tmp) {
        int major = Integer.parseInt(runtime.substring("java".length()));
        String java = java(runtime, major);
        Path ric = jars();
        List<String> classpath = new ArrayList<>();
        JARS.forEach(j -> classpath.add(ric.resolve(j).toString()));
        if (opt != null) {
            classpath.add(opt.resolve("java").resolve("lib").resolve("*").toString());
        }
        List<String> cmd = new ArrayList<>(List.of(java,
                // as Lambda's Java runtimes: a small heap, quick startup over peak performance
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Xlog:disable", "-Xlog:all=error:stderr",
                "-Djava.net.preferIPv4Stack=true", "-Dfile.encoding=UTF-8"));
        Path archive = ric.resolve("classes-" + Integer.toHexString(java.hashCode()) + "-" + version(Path.of(java)) + ".jsa");
        if (Files.isRegularFile(archive)) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
        } else if (opt == null && RECORDING.add(archive)) {
            cmd.add("-XX:ArchiveClassesAtExit=" + recording(archive));
        }
        if (tmp != null) {
            cmd.add("-Djava.io.tmpdir=" + tmp);
        }
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), MAIN, handler == null ? "" : handler));
        return cmd;
    }

    private static Path recording(Path archive) {
        return archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    }

    /** The archive a command records (its process must stop with SIGTERM for the JVM to write it), or null. */
    static Path recordedBy(List<String> command) {
        for (String a : command) {
            if (a.startsWith("-XX:ArchiveClassesAtExit=")) {
                String tmp = a.substring("-XX:ArchiveClassesAtExit=".length());
                return Path.of(tmp.substring(0, tmp.lastIndexOf(".jsa.") + 4));
            }
        }
        return null;
    }

    /** After a recording process exited: its archive, if complete, becomes the one later cold starts use. */
    static void recorded(Path archive) {
        Path tmp = recording(archive);
        try {
            if (Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // not recorded: the next environment records
        } finally {
            RECORDING.remove(archive);
        }
    }

    /**
     * The runtime's jars, copied from this jar's resources into a directory of the machine's temporary directory
     * that outlives this JVM (a class-data archive names its jars by path, size and time: the copies stay as they are).
     */
    static Path jars() {
        Path dir = jars;
        if (dir != null) {
            return dir;
        }
        synchronized (JavaRuntime.class) {
            if (jars == null) {
                try {
                    Path d = Path.of(System.getProperty("java.io.tmpdir"), "terrarium-lambda-java-" + RIC_VERSION + "-"
                            + System.getProperty("user.name", "user"));
                    Files.createDirectories(d);
                    for (String name : JARS) {
                        Path target = d.resolve(name);
                        try (InputStream in = JavaRuntime.class.getResourceAsStream("java/" + name)) {
                            if (in == null) {
                                throw unsupported("java", "this build lacks AWS's Java runtime interface client (" + name + ").");
                            }
                            byte[] bytes = in.readAllBytes();
                            if (!Files.isRegularFile(target) || Files.size(target) != bytes.length) {
                                Path tmp = Files.createTempFile(d, name, ".tmp");
                                Files.write(tmp, bytes);
                                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                                try (var old = Files.newDirectoryStream(d, "*.jsa")) {
                                    for (Path a : old) {
                                        Files.deleteIfExists(a); // recorded with other jars
                                    }
                                }
                            }
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
