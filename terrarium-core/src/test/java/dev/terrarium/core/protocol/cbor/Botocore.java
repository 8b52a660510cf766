package dev.terrarium.core.protocol.cbor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a python3 script that uses botocore (the reference client) and reads the JSON it prints. */
final class Botocore {
    private static Boolean available;

    private Botocore() {
    }

    static synchronized void assumeAvailable() {
        if (available == null) {
            try {
                available = exec("import botocore; print('{}')").isObject();
            } catch (RuntimeException e) {
                available = false;
            }
        }
        Assumptions.assumeTrue(available, "python3 with botocore is not installed");
    }

    static JsonNode run(String script) {
        assumeAvailable();
        return exec(script);
    }

    private static JsonNode exec(String script) {
        try {
            Process p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("python3 failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return new ObjectMapper().readTree(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
