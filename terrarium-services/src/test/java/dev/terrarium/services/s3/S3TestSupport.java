package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Clients and raw HTTP for S3 tests. */
final class S3TestSupport {
    private S3TestSupport() {}

    /** The S3 error code of an {@code S3Exception}. */
    static String code(Throwable t) {
        return ((S3Exception) t).awsErrorDetails().errorCode();
    }

    static int status(Throwable t) {
        return ((S3Exception) t).statusCode();
    }

    static S3Client pathStyle(TerrariumExtension server) {
        return server.client(() -> S3Client.builder().forcePathStyle(true));
    }

    static S3Client pathStyle(TerrariumExtension server, AwsCredentials credentials) {
        return server.client(() -> S3Client.builder().forcePathStyle(true), credentials);
    }

    static S3Client inRegion(TerrariumExtension server, String region) {
        return server.track(S3Client.builder().forcePathStyle(true).endpointOverride(server.endpoint())
                .region(Region.of(region))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
                        .create(TestServer.TEST_CREDENTIALS))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .build());
    }

    /** A raw HTTP/1.1 exchange with any Host header (virtual-host style needs names no resolver knows). */
    record Raw(int status, String head, byte[] body) {
        String text() { return new String(body, StandardCharsets.UTF_8); }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    static Raw raw(TerrariumExtension server, String method, String host, String pathAndQuery, byte[] body,
                   String... headers) {
        try (Socket s = new Socket("127.0.0.1", server.server().port())) {
            OutputStream out = s.getOutputStream();
            StringBuilder req = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\nConnection: close\r\n");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            if (body != null) {
                req.append("Content-Length: ").append(body.length).append("\r\n");
            }
            req.append("\r\n");
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if ("chunked".equalsIgnoreCase(new Raw(0, head, rest).header("Transfer-Encoding"))) {
                rest = dechunk(rest);
            }
            int status = Integer.parseInt(head.substring(9, 12));
            return new Raw(status, head, rest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(chunked);
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return out.toByteArray();
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            in.read();
            in.read();
        }
    }
}
