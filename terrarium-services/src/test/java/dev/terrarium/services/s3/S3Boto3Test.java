package dev.terrarium.services.s3;

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
 * boto3 against S3 (boto3_s3.py): the resource API, upload_file/download_file with multipart, presigned
 * GET/PUT/POST, paginators and error codes.
 */
class S3Boto3Test {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();

    @Test
    void boto3ResourceTransfersPresignedAndPaginators() throws Exception {
        Assumptions.assumeTrue(hasBoto3(), "python3 with boto3 and requests is not installed");
        Path script = Files.createTempFile("boto3_s3", ".py");
        try (InputStream in = getClass().getResourceAsStream("boto3_s3.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder("python3", script.toString(), terrarium.endpoint().toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(output.trim()).as(output).endsWith("OK");
            assertThat(p.exitValue()).isZero();
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static boolean hasBoto3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import boto3, requests").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
