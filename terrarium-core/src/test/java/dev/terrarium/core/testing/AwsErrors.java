package dev.terrarium.core.testing;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Asserts that an SDK call fails as AWS fails it: an AwsServiceException with the given code, status and message. */
public final class AwsErrors {
    private AwsErrors() {
    }

    /** The call throws an AwsServiceException with this HTTP status and error code, whose message contains messagePart. */
    public static void assertFails(Runnable call, int status, String code, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOf(AwsServiceException.class).satisfies(e -> {
            AwsServiceException x = (AwsServiceException) e;
            assertThat(x.statusCode()).isEqualTo(status);
            assertThat(x.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(x.awsErrorDetails().errorMessage()).contains(messagePart);
        });
    }

    /** The call throws an AwsServiceException with this error code. */
    public static void assertFails(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode()).isEqualTo(code));
    }
}
