package dev.terrarium.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.terrarium.core.clock.VirtualClock;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The signatures AWS publishes in its SigV4 documentation and test suite, verified by our side. */
class AwsPublishedExamplesTest {
    private static final String DOC_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String DOC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant DOC_TIME = Instant.parse("2013-05-24T00:00:00Z");

    private CredentialStore store;

    @BeforeEach
    void setUp() {
        store = new CredentialStore("000000000000");
        store.register(new Credential(DOC_KEY, DOC_SECRET, null, Identity.root("111122223333", DOC_KEY), null));
        store.register(new Credential("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null,
                Identity.root("444455556666", "AKIDEXAMPLE"), null));
    }

    private SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(store, new VirtualClock(now), true, false);
    }

    @Test
    void signingKeyOfTheSigV4Documentation() {
        byte[] key = SigV4Crypto.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
        assertThat(SigV4Crypto.hex(key)).isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
    }

    @Test
    void testSuiteGetVanilla() {
        HttpRequest req = HttpRequest.of("GET", "/", new Headers()
                .add("Host", "example.amazonaws.com")
                .add("X-Amz-Date", "20150830T123600Z")
                .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                        + " SignedHeaders=host;x-amz-date, "
                        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), null);
        Authentication auth = verifierAt(Instant.parse("2015-08-30T12:36:00Z"))
                .authenticate(req, SigningDialect.STANDARD);
        assertThat(auth.verified()).isTrue();
        assertThat(auth.identity().accountId()).isEqualTo("444455556666");
    }

    @Test
    void s3GetObjectExample() {
        HttpRequest req = HttpRequest.of("GET", "/test.txt", new Headers()
                .add("Host", "examplebucket.s3.amazonaws.com")
                .add("Range", "bytes=0-9")
                .add("x-amz-content-sha256", SigV4Crypto.EMPTY_SHA256)
                .add("x-amz-date", "20130524T000000Z")
                .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                        + "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
                        + "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"), null);
        assertThat(verifierAt(DOC_TIME).verify(req, SigningDialect.S3).accountId()).isEqualTo("111122223333");
    }

    @Test
    void s3PresignedUrlExample() {
        HttpRequest req = HttpRequest.of("GET", "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                + "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&"
                + "X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
                + "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
                new Headers().add("Host", "examplebucket.s3.amazonaws.com"), null);
        assertThat(verifierAt(DOC_TIME.plusSeconds(86_400)).authenticate(req, SigningDialect.S3).verified()).isTrue();
        AuthException e = catchThrowableOfType(
                () -> verifierAt(DOC_TIME.plusSeconds(86_401)).authenticate(req, SigningDialect.S3),
                AuthException.class);
        assertThat(e.code()).isEqualTo("AccessDenied");
        assertThat(e.getMessage()).isEqualTo("Request has expired");
    }

    /** The chunked upload of the S3 documentation: 66560 bytes of 'a' in chunks of 65536, 1024 and 0. */
    static byte[] exampleChunkedBody(boolean corrupt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] sizes = {65536, 1024, 0};
        String[] signatures = {"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
                "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
                "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"};
        for (int i = 0; i < 3; i++) {
            out.writeBytes((Integer.toHexString(sizes[i]) + ";chunk-signature=" + signatures[i] + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] data = new byte[sizes[i]];
            Arrays.fill(data, (byte) 'a');
            if (corrupt && sizes[i] == 1024) {
                data[10] = 'b';
            }
            out.writeBytes(data);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    static HttpRequest exampleChunkedRequest(byte[] body) {
        return HttpRequest.of("PUT", "/examplebucket/chunkObject.txt", new Headers()
                .add("Host", "s3.amazonaws.com")
                .add("x-amz-date", "20130524T000000Z")
                .add("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                        + "aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
                        + "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature="
                        + "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
                .add("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                .add("Content-Encoding", "aws-chunked")
                .add("x-amz-decoded-content-length", "66560")
                .add("Content-Length", "66824"), body);
    }

    @Test
    void s3ChunkedUploadExample() {
        byte[] body = exampleChunkedBody(false);
        assertThat(body).hasSize(66824);
        HttpRequest req = exampleChunkedRequest(body);
        Authentication auth = verifierAt(DOC_TIME).authenticate(req, SigningDialect.S3);
        byte[] decoded = req.body();
        assertThat(decoded).hasSize(66560).containsOnly((byte) 'a');
        assertThat(auth.chunkedBody().isFinished()).isTrue();
    }

    @Test
    void s3ChunkedUploadExampleTampered() {
        HttpRequest req = exampleChunkedRequest(exampleChunkedBody(true));
        verifierAt(DOC_TIME).authenticate(req, SigningDialect.S3);
        AuthException e = catchThrowableOfType(req::body, AuthException.class);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.status()).isEqualTo(403);
    }
}
