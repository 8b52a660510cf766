package dev.terrarium.core.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real `aws` CLI against a test server, with test/test credentials and us-east-1. */
public final class AwsCli {
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private AwsCli() {
    }

    public static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, "aws").canExecute()) {
                return true;
            }
        }
        return false;
    }

    public static Result run(TerrariumExtension terrarium, Map<String, String> env, String... args) {
        return run(terrarium.testServer(), env, args);
    }

    public static Result run(TestServer server, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add("aws");
        command.add("--endpoint-url");
        command.add(server.endpoint().toString());
        command.add("--output");
        command.add("json");
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.put("AWS_ACCESS_KEY_ID", "test");
        e.put("AWS_SECRET_ACCESS_KEY", "test");
        e.put("AWS_DEFAULT_REGION", "us-east-1");
        e.remove("AWS_SESSION_TOKEN");
        e.remove("AWS_PROFILE");
        e.put("AWS_CONFIG_FILE", "/dev/null");
        e.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        e.putAll(env);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("aws " + String.join(" ", args) + " timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e1) {
            throw new IllegalStateException("cannot run aws", e1);
        } catch (InterruptedException e2) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e2);
        }
    }
}
