package dev.terrarium.core.auth;

import static dev.terrarium.core.auth.SdkSigning.NOW;
import static dev.terrarium.core.auth.SdkSigning.TEST;
import static dev.terrarium.core.auth.SdkSigning.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.terrarium.core.clock.VirtualClock;
import dev.terrarium.core.http.HttpRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** aws-chunked bodies exactly as the SDK for Java v2 encodes them for S3 uploads. */
class AwsChunkedSdkTest {
    private static final byte[] BODY = new byte[300_000]; // three chunks of the SDK's 128 KiB and a partial one

    static {
        new Random(42).nextBytes(BODY);
    }

    private SigV4Verifier verifier;

    @BeforeEach
    void setUp() {
        verifier = new SigV4Verifier(new CredentialStore("000000000000"), new VirtualClock(NOW), true, false);
    }

    private static HttpRequest put(byte[] body, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> props) {
        return put("http", body, props);
    }

    /** The SDK signs payloads over plain http whatever it is told; unsigned payloads need https. */
    private static HttpRequest put(String scheme, byte[] body,
                                   Consumer<SignRequest.Builder<AwsCredentialsIdentity>> props) {
        return SdkSigning.sign(request("PUT", scheme + "://localhost:4566/bucket/big%20object")
                        .putHeader("Content-Type", "application/octet-stream"),
                body, "s3", "us-east-1", TEST, r -> {
                    r.putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true);
                    props.accept(r);
                });
    }

    private static HttpRequest signedChunks() {
        return put(BODY, r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    }

    private static HttpRequest signedChunksWithTrailer() {
        return put(BODY, r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));
    }

    private static HttpRequest unsignedChunksWithTrailer() {
        return put("https", BODY, r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32C));
    }

    private byte[] verifyAndRead(HttpRequest req) throws Exception {
        Authentication auth = verifier.authenticate(req, SigningDialect.S3);
        assertThat(auth.verified()).isTrue();
        assertThat(auth.chunkedBody()).isNotNull();
        try (InputStream in = req.bodyStream()) {
            return in.readAllBytes();
        }
    }

    private AuthException readFails(HttpRequest req) {
        verifier.authenticate(req, SigningDialect.S3);
        return catchThrowableOfType(req::body, AuthException.class);
    }

    /** Flips one byte of the encoded body at the first occurrence of the marker (plus offset). */
    private static HttpRequest tamper(HttpRequest req, String marker, int offset) {
        byte[] encoded = req.body().clone();
        int at = indexOf(encoded, marker.getBytes(StandardCharsets.US_ASCII)) + offset;
        encoded[at] = (byte) (encoded[at] == '0' ? '1' : '0');
        return SdkSigning.withBody(req, encoded);
    }

    private static int indexOf(byte[] data, byte[] marker) {
        outer:
        for (int i = 0; i <= data.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("marker not found");
    }

    @Test
    void signedChunksDecode() throws Exception {
        HttpRequest req = signedChunks();
        assertThat(req.header("x-amz-content-sha256")).isEqualTo(SigV4Verifier.STREAMING_SIGNED);
        assertThat(req.header("x-amz-decoded-content-length")).isEqualTo("300000");
        assertThat(new String(req.body(), 0, 100, StandardCharsets.US_ASCII)).startsWith("20000;chunk-signature=");
        req = SdkSigning.withBody(req, req.body());

        assertThat(verifyAndRead(req)).isEqualTo(BODY);
        assertThat(req.header("content-encoding")).isNull();
        assertThat(req.header("content-length")).isEqualTo("300000");
    }

    @Test
    void signedChunksWithChecksumTrailer() throws Exception {
        HttpRequest req = signedChunksWithTrailer();
        assertThat(req.header("x-amz-content-sha256")).isEqualTo(SigV4Verifier.STREAMING_SIGNED_TRAILER);
        assertThat(req.header("x-amz-trailer")).isEqualTo("x-amz-checksum-crc32");
        Authentication auth = verifier.authenticate(req, SigningDialect.S3);
        assertThat(req.bodyStream().readAllBytes()).isEqualTo(BODY);
        assertThat(auth.chunkedBody().isFinished()).isTrue();
        assertThat(auth.chunkedBody().trailers()).containsOnlyKeys("x-amz-checksum-crc32");
        assertThat(auth.chunkedBody().trailer("x-amz-checksum-crc32")).isEqualTo(Checksums.crc32(BODY));
    }

    @Test
    void unsignedChunksWithChecksumTrailer() throws Exception {
        HttpRequest req = unsignedChunksWithTrailer();
        assertThat(req.header("x-amz-content-sha256")).isEqualTo(SigV4Verifier.STREAMING_UNSIGNED_TRAILER);
        Authentication auth = verifier.authenticate(req, SigningDialect.S3);
        assertThat(req.bodyStream().readAllBytes()).isEqualTo(BODY);
        assertThat(auth.chunkedBody().trailer("x-amz-checksum-crc32c")).isEqualTo(Checksums.crc32c(BODY));
    }

    @Test
    void tamperedChunkDataFails() {
        HttpRequest req = signedChunks();
        // the first byte of the second chunk's data
        byte[] encoded = req.body();
        int second = indexOf(Arrays.copyOfRange(encoded, 10, encoded.length), "\r\n20000;".getBytes()) + 10;
        int dataStart = second + 2 + "20000;chunk-signature=".length() + 64 + 2;
        encoded = encoded.clone();
        encoded[dataStart] ^= 1;
        AuthException e = readFails(SdkSigning.withBody(req, encoded));
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.status()).isEqualTo(403);
        assertThat((String) e.fields().get("StringToSign")).startsWith("AWS4-HMAC-SHA256-PAYLOAD\n20250101T120000Z\n");
    }

    @Test
    void tamperedChunkSignatureFails() {
        AuthException e = readFails(tamper(signedChunks(), "chunk-signature=", "chunk-signature=".length()));
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void tamperedSeedSignatureFailsBeforeTheBody() {
        HttpRequest req = signedChunks();
        String auth = req.header("Authorization");
        HttpRequest bad = SdkSigning.withHeader(req, "Authorization",
                auth.substring(0, auth.length() - 1) + (auth.endsWith("0") ? "1" : "0"));
        AuthException e = catchThrowableOfType(() -> verifier.authenticate(bad, SigningDialect.S3),
                AuthException.class);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void tamperedSignedTrailerFails() {
        HttpRequest req = signedChunksWithTrailer();
        String text = new String(req.body(), StandardCharsets.ISO_8859_1);
        int at = text.indexOf("x-amz-checksum-crc32:") + "x-amz-checksum-crc32:".length();
        byte[] encoded = req.body().clone();
        encoded[at] = (byte) (encoded[at] == 'A' ? 'B' : 'A');
        AuthException e = readFails(SdkSigning.withBody(req, encoded));
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat((String) e.fields().get("StringToSign")).startsWith("AWS4-HMAC-SHA256-TRAILER\n");
    }

    @Test
    void wrongUnsignedTrailerChecksumIsBadDigest() {
        HttpRequest req = unsignedChunksWithTrailer();
        String text = new String(req.body(), StandardCharsets.ISO_8859_1);
        int at = text.indexOf("x-amz-checksum-crc32c:") + "x-amz-checksum-crc32c:".length();
        byte[] encoded = req.body().clone();
        encoded[at] = (byte) (encoded[at] == 'A' ? 'B' : 'A');
        AuthException e = readFails(SdkSigning.withBody(req, encoded));
        assertThat(e.code()).isEqualTo("BadDigest");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("The CRC32C you specified did not match the calculated checksum.");
    }

    @Test
    void unsignedChunkDataTamperingIsCaughtByTheChecksum() {
        HttpRequest req = unsignedChunksWithTrailer();
        byte[] encoded = req.body().clone();
        encoded[10] ^= 1; // inside the first chunk's data
        AuthException e = readFails(SdkSigning.withBody(req, encoded));
        assertThat(e.code()).isEqualTo("BadDigest");
    }

    @Test
    void truncatedBodyIsIncomplete() {
        HttpRequest req = signedChunks();
        byte[] encoded = Arrays.copyOf(req.body(), 200_000);
        AuthException e = readFails(SdkSigning.withBody(req, encoded));
        assertThat(e.code()).isEqualTo("IncompleteBody");
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void decodedLengthMustMatch() {
        HttpRequest req = SdkSigning.withHeader(unsignedChunksWithTrailer(), "x-amz-decoded-content-length", "299999");
        // the header is signed: changing it breaks the seed signature
        assertThat(catchThrowableOfType(() -> verifier.authenticate(req, SigningDialect.S3), AuthException.class)
                .code()).isEqualTo("SignatureDoesNotMatch");
        SigV4Verifier relaxed = new SigV4Verifier(new CredentialStore("000000000000"), new VirtualClock(NOW), false,
                false);
        relaxed.authenticate(req, SigningDialect.S3);
        assertThat(catchThrowableOfType(req::body, AuthException.class).code()).isEqualTo("IncompleteBody");
    }

    @Test
    void unknownKeysStillGetTheirBodyDecoded() throws Exception {
        HttpRequest req = SdkSigning.sign(request("PUT", "http://localhost:4566/bucket/k"), BODY, "s3",
                "us-east-1", AwsCredentialsIdentity.create("AKIAUNKNOWN", "x"),
                r -> r.putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        Authentication auth = verifier.authenticate(req, SigningDialect.S3);
        assertThat(auth.verified()).isFalse();
        assertThat(req.body()).isEqualTo(BODY);
    }

    @Test
    void singleByteReadsDecodeToo() throws Exception {
        HttpRequest req = unsignedChunksWithTrailer();
        verifier.authenticate(req, SigningDialect.S3);
        InputStream in = req.bodyStream();
        byte[] out = new byte[BODY.length];
        for (int i = 0; i < out.length; i++) {
            int c = in.read();
            assertThat(c).isNotNegative();
            out[i] = (byte) c;
        }
        assertThat(in.read()).isEqualTo(-1);
        assertThat(out).isEqualTo(BODY);
    }
}
