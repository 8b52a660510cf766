package dev.terrarium.core.protocol;

import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.AwsException;

/**
 * Turns a service's AwsException into what goes on the wire, with the model's help: the error
 * shape (when modeled), its wire code (the query "code" of the error trait, else the shape
 * name), the HTTP status and whether the sender is at fault.
 */
public final class ErrorResolver {
    private ErrorResolver() {
    }

    /** shapeName is the model's exception shape name (or the thrown code when unmodeled). */
    public record ResolvedError(String shapeName, String queryCode, int status, boolean senderFault, Shape shape) {
    }

    public static ResolvedError resolve(ServiceModel model, AwsException e) {
        Shape shape = model == null ? null : model.errorShape(e.code());
        if (shape == null) {
            int status = e.status() != 0 ? e.status() : 400;
            return new ResolvedError(e.code(), e.code(), status, status < 500 && e.senderFault(), null);
        }
        int status = e.status() != 0 ? e.status()
                : shape.error() != null ? shape.error().httpStatusCode() : 400;
        String queryCode = shape.error() != null && shape.error().code() != null ? shape.error().code() : shape.name();
        boolean sender = shape.error() != null ? shape.error().senderFault() : status < 500;
        return new ResolvedError(shape.name(), queryCode, status, sender, shape);
    }
}
