package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One table: its definition (mutable through UpdateTable), its items and indexes. Writes to one item are
 * atomic (a lock stripe per key); tables never share a lock.
 */
public final class Table {
    private static final int STRIPES = 64;

    private final String name;
    private final String arn;
    private final String id;
    private final KeySchema schema;
    private final Instant created;
    private final SortedItems items = new SortedItems(false);
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final Map<String, SecondaryIndex> indexes = new LinkedHashMap<>();
    /** The indexes as an immutable list, replaced on change, so that writes read it without locking. */
    private volatile List<SecondaryIndex> indexList = List.of();
    final TableSettings settings;
    private volatile StreamLog stream;
    /** What point-in-time recovery keeps while it is enabled (null otherwise). */
    private volatile PitrHistory pitrHistory;
    private volatile ReplicaGroup replicaGroup;
    /** Keys of items a TransactWriteItems is changing right now: other writes of them conflict, as on AWS. */
    private final java.util.Set<PrimaryKey> inTransaction = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Table(String name, String arn, String id, KeySchema schema, Instant created, TableSettings settings) {
        this.name = name;
        this.arn = arn;
        this.id = id;
        this.schema = schema;
        this.created = created;
        this.settings = settings;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public String name() { return name; }
    public String arn() { return arn; }
    public String id() { return id; }
    public KeySchema schema() { return schema; }
    public Instant created() { return created; }
    public TableSettings settings() { return settings; }
    public SortedItems items() { return items; }
    public StreamLog stream() { return stream; }
    public void stream(StreamLog log) { this.stream = log; }
    public PitrHistory pitrHistory() { return pitrHistory; }
    void pitrHistory(PitrHistory history) { this.pitrHistory = history; }

    public Collection<SecondaryIndex> indexes() { return indexList; }

    public synchronized SecondaryIndex index(String indexName) { return indexes.get(indexName); }

    /** Adds an index and fills it from the items already there (a GSI's backfill), each item under its lock. */
    public void addIndex(SecondaryIndex index) {
        synchronized (this) {
            indexes.put(index.name(), index);
            indexList = List.copyOf(indexes.values());
        }
        for (java.util.Iterator<Item> it = items.all(); it.hasNext(); ) {
            PrimaryKey key = schema.keyOfItem(it.next().attributes());
            ReentrantLock lock = lockOf(key);
            lock.lock();
            try {
                Item current = items.get(key);
                if (current != null) {
                    index.update(schema, key, null, current);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    public synchronized void removeIndex(String indexName) {
        indexes.remove(indexName);
        indexList = List.copyOf(indexes.values());
    }

    public Item get(PrimaryKey key) { return items.get(key); }

    /** The outcome of a write: the item before and after (either may be null). */
    public record Change(Item before, Item after) {
    }

    /**
     * Applies change to the current item of key atomically: it gets the stored item (or null) and returns the
     * new one (null deletes; the same instance leaves everything unchanged). It may throw to refuse the write.
     */
    public Change write(PrimaryKey key, Function<Item, Item> change, String userIdentity) {
        ReentrantLock lock = lockOf(key);
        Item before;
        Item after;
        lock.lock();
        try {
            if (!inTransaction.isEmpty() && inTransaction.contains(key)) {
                throw Errors.transactionConflict();
            }
            before = items.get(key);
            after = change.apply(before);
            if (after != before) {
                store(key, before, after, userIdentity);
            }
        } finally {
            lock.unlock();
        }
        if (after != before) {
            replicate(key, after);
        }
        return new Change(before, after);
    }

    /** The global table this table is a replica of, or null. */
    public ReplicaGroup replicaGroup() { return replicaGroup; }

    void replicaGroup(ReplicaGroup group) { this.replicaGroup = group; }

    /** Sends a change stored here to the other replicas of a global table (nothing for other tables). */
    void replicate(PrimaryKey key, Item after) {
        ReplicaGroup group = replicaGroup;
        if (group != null) {
            group.propagate(this, key, after);
        }
    }

    /** Stores a change replicated from another region's replica (without sending it on). */
    void applyReplicated(PrimaryKey key, Item after) {
        ReentrantLock lock = lockOf(key);
        lock.lock();
        try {
            Item before = items.get(key);
            if (before != after) {
                store(key, before, after, null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stores without locking: the caller holds the key's lock (transactions lock all their items first). */
    void store(PrimaryKey key, Item before, Item after, String userIdentity) {
        if (after != null) {
            for (SecondaryIndex index : indexes()) {
                index.check(after.attributes());
            }
            items.put(key, null, after);
        } else if (before != null) {
            items.remove(key, null);
        } else {
            return;
        }
        for (SecondaryIndex index : indexes()) {
            index.update(schema, key, before, after);
        }
        StreamLog log = stream;
        if (log != null) {
            log.append(schema, key, before, after, userIdentity);
        }
        PitrHistory history = pitrHistory;
        if (history != null) {
            history.record(key, before, after);
        }
    }

    /** Marks key as part of an ongoing transaction; false when another transaction has it. */
    boolean claim(PrimaryKey key) { return inTransaction.add(key); }

    void release(PrimaryKey key) { inTransaction.remove(key); }

    boolean claimed(PrimaryKey key) { return !inTransaction.isEmpty() && inTransaction.contains(key); }

    public ReentrantLock lockOf(PrimaryKey key) {
        return locks[Math.floorMod(key.hashCode(), STRIPES)];
    }

    public int lockIndex(PrimaryKey key) { return Math.floorMod(key.hashCode(), STRIPES); }

    ReentrantLock lock(int stripe) { return locks[stripe]; }

    /** Attribute definitions as given at creation, extended by indexes created later. */
    public List<Struct> attributeDefinitions() { return settings.attributeDefinitions(); }
}
