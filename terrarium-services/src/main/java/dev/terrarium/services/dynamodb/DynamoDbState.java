package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.ServiceContext;

import java.util.Map;
import java.util.WeakHashMap;

/** State shared by the DynamoDB and DynamoDB Streams services of one server. */
public final class DynamoDbState {
    private static final Map<ServiceContext, DynamoDbState> BY_CONTEXT = new WeakHashMap<>();

    private final Tables tables = new Tables();
    private final Backups backups = new Backups();
    private final TransactionTokens tokens;
    private final TimeToLive ttl;
    private final Map<String, ReplicaGroup> globalTables = new java.util.concurrent.ConcurrentHashMap<>();

    private DynamoDbState(ServiceContext context) {
        this.tokens = new TransactionTokens(context.clock());
        this.ttl = new TimeToLive(tables, context.clock());
    }

    public static synchronized DynamoDbState of(ServiceContext context) {
        return BY_CONTEXT.computeIfAbsent(context, DynamoDbState::new);
    }

    public Tables tables() { return tables; }
    public Backups backups() { return backups; }
    public TransactionTokens tokens() { return tokens; }

    /** Legacy (2017.11.29) global tables by "account/name". */
    Map<String, ReplicaGroup> globalTables() { return globalTables; }

    /** Removes expired items (at most once a second of clock time); both services call it before they read. */
    public void expireItems() { ttl.sweepIfDue(); }

    /** Removes expired items now (after a virtual clock's advance). */
    public void expireItemsNow() { ttl.sweepNow(); }

    public void reset() {
        tables.clear();
        backups.clear();
        tokens.clear();
        globalTables.clear();
    }
}
