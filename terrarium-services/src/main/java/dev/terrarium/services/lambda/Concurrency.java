package dev.terrarium.services.lambda;

/** Lambda's concurrency limits. */
final class Concurrency {
    static final int ACCOUNT_LIMIT = 1000;
    static final int UNRESERVED_MINIMUM = 100;

    private Concurrency() {
    }
}
