package dev.terrarium.core.routing;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.AwsException;

/**
 * How big a request body that is read into memory may be (streaming payloads, S3's object bodies,
 * are never read whole and have no limit here), and the error AWS answers beyond it.
 */
public final class BodyLimits {
    /** Generous next to AWS's own limits (SQS 256 KiB, DynamoDB 16 MB per request, API Gateway 10 MB). */
    public static final long DEFAULT_MAX_BYTES = HttpRequest.DEFAULT_MAX_BODY_BYTES;
    /** Lambda takes a deployment package inline, base64 in JSON: 50 MB zipped, about 67 MB on the wire. */
    public static final long LAMBDA_MAX_BYTES = 70L * 1024 * 1024;

    private BodyLimits() {
    }

    public static long forService(String service) {
        return "lambda".equals(service) ? LAMBDA_MAX_BYTES : DEFAULT_MAX_BYTES;
    }

    /**
     * The error for a body over the limit: S3's MaxMessageLengthExceeded (400); the operation's own
     * modeled 413 error where it has one (Lambda's RequestTooLargeException); else RequestEntityTooLarge (413).
     */
    public static AwsException tooLarge(ServiceModel model, Operation operation, long limit) {
        if (model != null && "s3".equals(model.name())) {
            return new AwsException("MaxMessageLengthExceeded", "Your request was too big.", 400);
        }
        String message = "Request body exceeds the maximum size of " + limit + " bytes";
        if (operation != null) {
            for (Shape error : operation.errors()) {
                if (error.error() != null && error.error().httpStatusCode() == 413) {
                    return new AwsException(error.name(), message, 413);
                }
            }
        }
        return new AwsException("RequestEntityTooLarge", message, 413);
    }
}
