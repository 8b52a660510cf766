package dev.terrarium.core.conformance;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the botocore scripts under tools/conformance (python3 with botocore must be installed). */
final class Botocore {
    static final Path TOOLS = findTools();
    static final Path WORK = Path.of("target", "conformance");

    private Botocore() {
    }

    private static Path findTools() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("tools").resolve("conformance");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    static void assumeAvailable() {
        assumeTrue(TOOLS != null, "tools/conformance not found");
        assumeTrue(pythonHasBotocore(), "python3 with botocore is not installed");
    }

    private static Boolean available;

    private static synchronized boolean pythonHasBotocore() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import botocore").redirectErrorStream(true).start();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    /** The directory of the model resources the codecs use (so botocore works from the very same models). */
    static Path modelsDir() {
        try {
            return Path.of(Botocore.class.getResource("/models/index.json").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The request cases for these wires: the script's output, cached under target/conformance by a hash of
     * the script and its arguments (the script is deterministic).
     */
    static synchronized Path requestCases(List<String> args) throws IOException, InterruptedException {
        Path script = TOOLS.resolve("botocore_requests.py");
        String key = sha256(Files.readString(script) + "|" + String.join(" ", args)).substring(0, 16);
        Path out = WORK.resolve("requests-" + key + ".jsonl");
        if (!Files.exists(out)) {
            Files.createDirectories(WORK);
            Path tmp = WORK.resolve("requests-" + key + ".tmp");
            List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
            cmd.addAll(args);
            run(cmd, null, tmp);
            Files.move(tmp, out);
        }
        return out;
    }

    /** Runs the responses script over a file of cases and returns its result lines file. */
    static Path checkResponses(Path cases) throws IOException, InterruptedException {
        Path script = TOOLS.resolve("botocore_responses.py");
        Path out = cases.resolveSibling(cases.getFileName().toString().replace(".jsonl", "-results.jsonl"));
        run(List.of("python3", script.toString(), "--models", modelsDir().toString()), cases, out);
        return out;
    }

    private static void run(List<String> cmd, Path stdin, Path stdout) throws IOException, InterruptedException {
        File err = WORK.resolve("python-stderr.txt").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(err);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + cmd + "\n"
                    + Files.readString(err.toPath(), StandardCharsets.UTF_8));
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
