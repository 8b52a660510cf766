package dev.terrarium.services.dynamodb;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * ClientRequestToken idempotency of TransactWriteItems: the same token with the same request within
 * 10 minutes answers the first result without writing again; with another request it is refused; while the
 * first is still running, a repeat is TransactionInProgressException. A failed transaction keeps no token.
 */
public final class TransactionTokens {
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private record Entry(String account, int requestHash, Instant at, Struct result) {
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    TransactionTokens(Clock clock) {
        this.clock = clock;
    }

    public Struct run(String account, String token, int requestHash, Supplier<Struct> transaction) {
        if (token == null) {
            return transaction.get();
        }
        String key = account + "/" + token;
        Entry running = new Entry(account, requestHash, clock.now(), null);
        synchronized (this) {
            Instant now = clock.now();
            entries.values().removeIf(e -> e.result() != null && e.at().plus(WINDOW).isBefore(now));
            Entry known = entries.get(key);
            if (known != null) {
                if (known.requestHash() != requestHash) {
                    throw new AwsException("IdempotentParameterMismatchException",
                            "Request parameters do not match the request parameters of the previous request with the same client request token");
                }
                if (known.result() == null) {
                    throw new AwsException("TransactionInProgressException",
                            "Transaction from previous request is still in progress");
                }
                return known.result();
            }
            entries.put(key, running);
        }
        try {
            Struct result = transaction.get();
            entries.put(key, new Entry(account, requestHash, clock.now(), result));
            return result;
        } catch (RuntimeException e) {
            // a transaction that failed leaves no token behind: the same request may be tried again
            entries.remove(key, running);
            throw e;
        }
    }

    void clear() { entries.clear(); }
}
