package dev.terrarium.services.lambda;

/** Receives a streamed response as the runtime sends it: its content type first, then each chunk. */
@FunctionalInterface
interface ResponseSink {
    /** The Content-Type the function gave its stream (before the first chunk). */
    default void contentType(String type) {
    }

    void chunk(byte[] bytes);
}
