package dev.terrarium.core.service;

/**
 * An AWS service implementation: a class annotated {@link Service} whose {@link AwsOperation}
 * methods take (Call, Struct input) and return the output Struct (or null for an empty output).
 * It has a public constructor taking a {@link ServiceContext}, and is listed in
 * META-INF/services/dev.terrarium.core.service.AwsService.
 */
public interface AwsService {
    /** Forget all state (POST /_terrarium/reset). */
    default void reset() {
    }
}
