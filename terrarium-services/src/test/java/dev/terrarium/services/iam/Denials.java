package dev.terrarium.services.iam;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The assertion of enforcement tests: a call refused by IAM, as AWS answers it. */
public final class Denials {
    private Denials() {
    }

    /** The call fails with 403 AccessDenied (or AccessDeniedException) whose message contains each part. */
    public static void denied(Runnable call, String... messageParts) {
        assertThatThrownBy(call::run).isInstanceOf(AwsServiceException.class).satisfies(e -> {
            AwsServiceException x = (AwsServiceException) e;
            assertThat(x.statusCode()).isEqualTo(403);
            assertThat(x.awsErrorDetails().errorCode()).isIn("AccessDenied", "AccessDeniedException");
            for (String part : messageParts) {
                assertThat(x.awsErrorDetails().errorMessage()).contains(part);
            }
        });
    }
}
