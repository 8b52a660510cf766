package dev.terrarium.core.service;

/**
 * An AWS service implementation: a class annotated {@link Service} whose {@link AwsOperation}
 * methods take (Call, Struct input) and return the output Struct (or null for an empty output),
 * or a CompletionStage of it for an operation that waits without holding a thread (long polls).
 * It has a public constructor taking a {@link ServiceContext}, and is listed in
 * META-INF/services/dev.terrarium.core.service.AwsService.
 */
public interface AwsService {
    /** The instances of the classes named in {@link Service#groups()}, one per class. Default: none. */
    default java.util.List<Object> operationGroups() {
        return java.util.List.of();
    }

    /** Stops the service's own threads and timers when the server stops. Default: nothing. */
    default void close() {
    }

    /** Forget all state (POST /_terrarium/reset). */
    default void reset() {
    }

    /**
     * Called before the input is validated, to fill members the wire carries outside the model
     * (SQS's query requests posted to a queue URL carry QueueUrl in the path). Default: nothing.
     */
    default void completeInput(String operation, dev.terrarium.core.http.HttpRequest request, Struct input) {
    }
}
