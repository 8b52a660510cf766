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

    private DynamoDbState(ServiceContext context) {
        this.tokens = new TransactionTokens(context.clock());
    }

    public static synchronized DynamoDbState of(ServiceContext context) {
        return BY_CONTEXT.computeIfAbsent(context, DynamoDbState::new);
    }

    public Tables tables() { return tables; }
    public Backups backups() { return backups; }
    public TransactionTokens tokens() { return tokens; }

    public void reset() {
        tables.clear();
        backups.clear();
        tokens.clear();
    }
}
