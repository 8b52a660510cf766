package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies stream: a server JVM limited to 48 MiB of heap takes and returns a 256 MiB object (SDK PUT
 * with aws-chunked signing and a CRC32 trailer; GET streamed back), bytes verified by MD5.
 */
class S3StreamingTest {
    private static final long SIZE = 256L * 1024 * 1024;

    @Test
    void objectFiveTimesTheHeapGoesInAndOutIntact() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(javaBin, "-Xmx48m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), HeapLimitedServer.class.getName())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PORT ")) {
                    port = Integer.parseInt(line.substring(5).trim());
                    break;
                }
            }
            assertThat(port).isPositive();
            Thread drain = new Thread(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException ignored) {
                    // the server went away
                }
            });
            drain.setDaemon(true);
            drain.start();
            try (S3Client s3 = S3Client.builder().forcePathStyle(true).region(Region.US_EAST_1)
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .credentialsProvider(StaticCredentialsProvider.create(TestServer.TEST_CREDENTIALS))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
                s3.createBucket(b -> b.bucket("big"));
                MessageDigest sent = MessageDigest.getInstance("MD5");
                s3.putObject(b -> b.bucket("big").key("blob").contentLength(SIZE),
                        RequestBody.fromContentProvider(() -> new Pattern(SIZE, sent), SIZE, "application/octet-stream"));
                assertThat(s3.headObject(b -> b.bucket("big").key("blob")).contentLength()).isEqualTo(SIZE);
                MessageDigest received = MessageDigest.getInstance("MD5");
                long total = 0;
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("big").key("blob"))) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        received.update(buf, 0, n);
                        total += n;
                    }
                }
                assertThat(total).isEqualTo(SIZE);
                assertThat(received.digest()).isEqualTo(sent.digest());
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** A deterministic, non-repeating-looking stream of bytes, digested as it is read. */
    private static final class Pattern extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long pos;
        private long state = 0x9E3779B97F4A7C15L;

        Pattern(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
            digest.reset();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            digest.update(b, off, n);
            pos += n;
            return n;
        }
    }
}
