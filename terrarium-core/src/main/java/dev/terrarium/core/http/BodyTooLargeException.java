package dev.terrarium.core.http;

/**
 * A request body bigger than the limit set on its {@link HttpRequest}; thrown by {@link HttpRequest#body()}
 * before more than limit + 1 bytes were read (or none, when Content-Length already says so).
 */
public final class BodyTooLargeException extends RuntimeException {
    private final long limit;

    public BodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes", null, false, false);
        this.limit = limit;
    }

    public long limit() { return limit; }
}
