package dev.terrarium.services.dynamodb;

import java.util.Iterator;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Items of a table or index as DynamoDB lays them out: partitions in hash order, items of a partition
 * by sort key (then, in an index, by the table key, since index keys need not be unique).
 * Thread-safe; writers of one item are serialised by the table's item locks.
 */
public final class SortedItems {

    /** Position inside a partition; bias -1/+1 makes a bound just before/after every item with that sort value. */
    public record SortKey(AttributeValue range, PrimaryKey tableKey, int bias) implements Comparable<SortKey> {
        @Override
        public int compareTo(SortKey o) {
            if (range != null && o.range != null) {
                int c = ValueOrder.compare(range, o.range);
                if (c != 0) {
                    return c;
                }
            }
            if (bias != o.bias) {
                return Integer.compare(bias, o.bias);
            }
            if (tableKey == null || o.tableKey == null) {
                return tableKey == null ? (o.tableKey == null ? 0 : -1) : 1;
            }
            return tableKey.compareTo(o.tableKey);
        }
    }

    /** A partition's value with its hash computed once, not at every comparison of a skip-list search. */
    public record PartitionKey(AttributeValue value, int hash) implements Comparable<PartitionKey> {
        public PartitionKey(AttributeValue value) {
            this(value, PrimaryKey.partitionHash(value));
        }

        @Override
        public int compareTo(PartitionKey o) {
            int c = Integer.compare(hash, o.hash);
            return c != 0 ? c : ValueOrder.compare(value, o.value);
        }
    }

    private final ConcurrentSkipListMap<PartitionKey, ConcurrentSkipListMap<SortKey, Item>> partitions =
            new ConcurrentSkipListMap<>();
    private final boolean index;
    /** A table's items by key too, for point reads in one hash lookup (an index's keys are not unique: none). */
    private final java.util.concurrent.ConcurrentHashMap<PrimaryKey, Item> byKey;
    private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    public SortedItems(boolean index) {
        this.index = index;
        this.byKey = index ? null : new java.util.concurrent.ConcurrentHashMap<>();
    }

    public SortKey sortKey(PrimaryKey key, PrimaryKey tableKey) {
        return new SortKey(key.range(), index ? tableKey : null, 0);
    }

    /** Stores item under key; writers of one key are serialised by the caller (the table's item locks). */
    public void put(PrimaryKey key, PrimaryKey tableKey, Item item) {
        Item previous = partitions.computeIfAbsent(new PartitionKey(key.hash()), k -> new ConcurrentSkipListMap<>())
                .put(sortKey(key, tableKey), item);
        if (byKey != null) {
            byKey.put(key, item);
        }
        if (previous == null) {
            count.incrementAndGet();
        }
        bytes.addAndGet(item.size() - (previous == null ? 0 : previous.size()));
    }

    public void remove(PrimaryKey key, PrimaryKey tableKey) {
        ConcurrentSkipListMap<SortKey, Item> p = partitions.get(new PartitionKey(key.hash()));
        if (p != null) {
            Item previous = p.remove(sortKey(key, tableKey));
            if (byKey != null) {
                byKey.remove(key);
            }
            if (previous != null) {
                count.decrementAndGet();
                bytes.addAndGet(-previous.size());
            }
        }
    }

    public Item get(PrimaryKey key) {
        if (byKey != null) {
            return byKey.get(key);
        }
        ConcurrentSkipListMap<SortKey, Item> p = partitions.get(new PartitionKey(key.hash()));
        return p == null ? null : p.get(sortKey(key, null));
    }

    /** The items of one partition, in sort order (empty map when there is none). */
    public NavigableMap<SortKey, Item> partition(AttributeValue hash) {
        ConcurrentSkipListMap<SortKey, Item> p = partitions.get(new PartitionKey(hash));
        return p == null ? new ConcurrentSkipListMap<>() : p;
    }

    /** Partitions from a given one (inclusive or not), in scan order. */
    public NavigableMap<PartitionKey, ConcurrentSkipListMap<SortKey, Item>> partitionsFrom(AttributeValue hash, boolean inclusive) {
        return hash == null ? partitions : partitions.tailMap(new PartitionKey(hash), inclusive);
    }

    public long count() { return count.get(); }

    public long bytes() { return bytes.get(); }

    public Iterator<Item> all() {
        return partitions.values().stream().flatMap(p -> p.values().stream()).iterator();
    }

    public void clear() {
        partitions.clear();
        if (byKey != null) {
            byKey.clear();
        }
        count.set(0);
        bytes.set(0);
    }

    public boolean isIndex() { return index; }
}
