package dev.terrarium.core.auth;

import static dev.terrarium.core.auth.SdkSigning.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.terrarium.core.clock.VirtualClock;
import dev.terrarium.core.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.AwsS3V4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.auth.signer.params.AwsS3V4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/** The older signers of the SDK v2 `auth` module (still used by presigners and custom clients). */
@SuppressWarnings("deprecation")
class LegacySdkSignerTest {
    private static final AwsBasicCredentials TEST = AwsBasicCredentials.create("test", "test");
    private static final Clock SIGNING_CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final SigV4Verifier verifier = new SigV4Verifier(new CredentialStore("000000000000"),
            new VirtualClock(NOW), true, false);

    private static HttpRequest convert(SdkHttpFullRequest signed) {
        byte[] body = signed.contentStreamProvider().map(SdkSigning::readAll).orElse(new byte[0]);
        return SdkSigning.toHttpRequest(signed, body);
    }

    @Test
    void aws4SignerHeaderSignature() {
        byte[] body = "Action=ListQueues&Version=2012-11-05".getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://localhost:4566/"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .contentStreamProvider(() -> new java.io.ByteArrayInputStream(body)).build();
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request, Aws4SignerParams.builder()
                .awsCredentials(TEST).signingName("sqs").signingRegion(Region.US_EAST_1)
                .signingClockOverride(SIGNING_CLOCK).build());
        HttpRequest req = convert(signed);
        assertThat(verifier.authenticate(req, SigningDialect.STANDARD).verified()).isTrue();

        HttpRequest tampered = SdkSigning.withBody(req, "Action=DeleteQueue".getBytes(StandardCharsets.UTF_8));
        assertThat(catchThrowableOfType(() -> verifier.authenticate(tampered, SigningDialect.STANDARD),
                AuthException.class).code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void aws4SignerPresigned() {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15")).build();
        SdkHttpFullRequest signed = Aws4Signer.create().presign(request, Aws4PresignerParams.builder()
                .awsCredentials(TEST).signingName("sts").signingRegion(Region.US_EAST_1)
                .signingClockOverride(SIGNING_CLOCK).expirationTime(NOW.plusSeconds(900)).build());
        assertThat(verifier.authenticate(convert(signed), SigningDialect.STANDARD).signed().presigned()).isTrue();
    }

    @Test
    void s3V4SignerChunkedUpload() {
        byte[] body = new byte[200_000];
        java.util.Arrays.fill(body, (byte) 'x');
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("http://localhost:4566/bucket/key%20with%20spaces"))
                .putHeader("Content-Length", Integer.toString(body.length))
                .contentStreamProvider(() -> new java.io.ByteArrayInputStream(body)).build();
        SdkHttpFullRequest signed = AwsS3V4Signer.create().sign(request, AwsS3V4SignerParams.builder()
                .awsCredentials(TEST).signingName("s3").signingRegion(Region.US_EAST_1)
                .signingClockOverride(SIGNING_CLOCK).enableChunkedEncoding(true).enablePayloadSigning(true)
                .doubleUrlEncode(false) // as the S3 client configures it; the params default is true
                .build());
        HttpRequest req = convert(signed);
        assertThat(req.header("x-amz-content-sha256")).isEqualTo(SigV4Verifier.STREAMING_SIGNED);
        Authentication auth = verifier.authenticate(req, SigningDialect.S3);
        assertThat(auth.verified()).isTrue();
        assertThat(req.body()).isEqualTo(body);
    }
}
