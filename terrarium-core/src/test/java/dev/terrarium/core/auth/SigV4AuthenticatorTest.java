package dev.terrarium.core.auth;

import static dev.terrarium.core.auth.SdkSigning.NOW;
import static dev.terrarium.core.auth.SdkSigning.TEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.terrarium.core.clock.VirtualClock;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceInfo;
import org.junit.jupiter.api.Test;

class SigV4AuthenticatorTest {
    private final SigV4Authenticator authenticator = new SigV4Authenticator(
            new SigV4Verifier(new CredentialStore("000000000000"), new VirtualClock(NOW), true, false));

    private static ServiceInfo info(String service) {
        return Models.fromClasspath().info(service);
    }

    @Test
    void scopeAndDialectFollowTheService() {
        HttpRequest s3 = SdkSigning.sign(SdkSigning.request("GET", "http://localhost:4566/bucket/a%20b"), null, "s3",
                "eu-west-1", TEST, r -> { });
        assertThat(authenticator.scopeService(s3)).isEqualTo("s3");
        assertThat(authenticator.scopeRegion(s3)).isEqualTo("eu-west-1");
        assertThat(authenticator.authenticate(s3, info("s3"), false).accountId()).isEqualTo("000000000000");

        HttpRequest tampered = SdkSigning.withPathAndQuery(s3, "/bucket/a%20c");
        AuthException e = catchThrowableOfType(() -> authenticator.authenticate(tampered, info("s3"), false),
                AuthException.class);
        assertThat(e.getMessage()).isEqualTo(SigV4Errors.S3_SIGNATURE_MISMATCH_MESSAGE);
        AuthException sqs = catchThrowableOfType(() -> authenticator.authenticate(tampered, info("sqs"), false),
                AuthException.class);
        assertThat(sqs.getMessage()).isEqualTo(SigV4Errors.SIGNATURE_MISMATCH_MESSAGE);
    }
}
