package dev.terrarium.services.dynamodb;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * boto3's Table resource, conditions builder, batch writer and paginator; a global table's replica and an export
 * to S3, run by python3 against Terrarium.
 */
class DynamoDbBoto3Test {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();

    @Test
    void boto3TableResource() throws Exception {
        run("boto3_table.py");
    }

    @Test
    void boto3GlobalTableAndExport() throws Exception {
        run("boto3_global.py");
    }

    private void run(String resource) throws Exception {
        Assumptions.assumeTrue(hasBoto3(), "python3 with boto3 is not installed");
        Path script = Files.createTempFile("boto3_", ".py");
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder("python3", script.toString(), terrarium.endpoint().toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output.trim()).as(output).endsWith("OK");
        assertThat(p.exitValue()).isZero();
        Files.deleteIfExists(script);
    }

    private static boolean hasBoto3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import boto3").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
