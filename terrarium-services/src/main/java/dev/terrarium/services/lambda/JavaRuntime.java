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

    /** Archives being written or that could not be (no retry before a restart). */
    private static final java.util.Set<Path> DUMPING = ConcurrentHashMap.newKeySet();

    /**
     * The command line: the JVM, Lambda's JVM options, the runtime's classpath and the RIC's main class with the
     * handler. The function's own code is not on the classpath: the RIC loads it from the working directory (the
     * package root and its lib/*.jar), as on Lambda; the layers' java/lib jars come after the runtime's.
     * Class-data sharing: the JDK's archive of the runtime's classes (see {@link #prepare}) when it is there.
     */
    static List<String> command(String runtime, String handler, Path code, Path opt, Path tmp) {
        int major = Integer.parseInt(runtime.substring("java".length()));
        String java = java(runtime, major);
        List<String> cmd = new ArrayList<>(List.of(java,
                // Lambda's own options for its Java runtimes: quick startup over peak performance, a small heap
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=error:stderr",
                "-Djava.net.preferIPv4Stack=true", "-Dfile.encoding=UTF-8"));
        if (version(Path.of(java)) >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // the RIC loads its JNI library
        }
        Path archive = archive(java);
        if (Files.isRegularFile(archive)) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
        } else {
            dump(java, archive); // for the next cold starts
        }
        if (tmp != null) {
            cmd.add("-Djava.io.tmpdir=" + tmp);
        }
        List<String> classpath = classpath();
        if (opt != null) {
            classpath.add(opt.resolve("java").resolve("lib").resolve("*").toString());
        }
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), MAIN, handler == null ? "" : handler));
        return cmd;
    }

    /** The runtime's classpath (an archive is valid for it and any classpath it begins). */
    private static List<String> classpath() {
        Path ric = jars();
        List<String> classpath = new ArrayList<>();
        JARS.forEach(j -> classpath.add(ric.resolve(j).toString()));
        return classpath;
    }

    private static Path archive(String java) {
        return jars().resolve("cds-" + Integer.toHexString(java.hashCode()) + "-" + version(Path.of(java)) + ".jsa");
    }

    /**
     * When a function of this runtime becomes Active (as Lambda prepares a function's environment while it is
     * Pending): starts writing the JDK's class-data archive if it has none yet, so that cold starts, the first one
     * included when it comes a moment later, map it.
     */
    static void prepare(String runtime) {
        try {
            String java = java(runtime, Integer.parseInt(runtime.substring("java".length())));
            Path archive = archive(java);
            if (!Files.isRegularFile(archive)) {
                dump(java, archive);
            }
        } catch (RuntimeException e) {
            // no JDK: Invoke answers why
        }
    }

    /**
     * Writes, in the background, a static class-data archive (-Xshare:dump) of the classes the runtime interface
     * client loads to run a POJO handler (the list shipped with it: java-classlist.txt, recorded with
     * -XX:DumpLoadedClassList, Jackson included): JDK and runtime classes then come mapped, not loaded and verified.
     */
    private static void dump(String java, Path archive) {
        if (!DUMPING.add(archive)) {
            return;
        }
        Thread t = new Thread(() -> {
            Path tmp = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Path list = archive.resolveSibling("classlist-" + RIC_VERSION + ".txt");
            try (InputStream in = JavaRuntime.class.getResourceAsStream("java-classlist.txt")) {
                if (in == null) {
                    return;
                }
                if (!Files.isRegularFile(list)) {
                    Path l = Files.createTempFile(list.getParent(), "classlist", ".tmp");
                    Files.write(l, in.readAllBytes());
                    Files.move(l, list, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                Process p = new ProcessBuilder(java, "-Xshare:dump", "-XX:SharedClassListFile=" + list,
                        "-XX:SharedArchiveFile=" + tmp, "-Xlog:disable", "-cp", String.join(File.pathSeparator, classpath()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0 && Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                    Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                // no archive: cold starts load the classes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temporary file
                }
            }
        }, "lambda-java-cds");
        t.setDaemon(true);
        t.start();
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
