package dev.terrarium.services.dynamodb;

import dev.terrarium.services.dynamodb.expressions.Condition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Query and Scan over a table or an index: items in key order, a page ending at Limit items evaluated or
 * 1 MB read, filtered after counting (as DynamoDB does), with the key to continue from.
 */
final class ItemReads {
    static final long MAX_PAGE_BYTES = 1024 * 1024;

    private ItemReads() {
    }

    /** One page: matching items, how many were evaluated, bytes read, and where the next page starts (or null). */
    record Page(List<Item> items, int scanned, long bytes, Map<String, AttributeValue> lastKey) {
    }

    /** Where a read reads: a table, or one of its indexes. */
    record Source(Table table, SecondaryIndex index) {
        SortedItems store() { return index == null ? table.items() : index.items(); }
        KeySchema schema() { return index == null ? table.schema() : index.schema(); }
    }

    static Page query(Source source, KeyCondition key, boolean forward, Integer limit,
                      Map<String, AttributeValue> startKey, Condition filter) {
        NavigableMap<SortedItems.SortKey, Item> view = source.store().partition(key.hash());
        if (key.low() != null) {
            view = view.tailMap(new SortedItems.SortKey(key.low(), null, key.lowInclusive() ? -1 : 1), true);
        }
        if (key.high() != null) {
            view = view.headMap(new SortedItems.SortKey(key.high(), null, key.highInclusive() ? 1 : -1), true);
        }
        if (startKey != null) {
            Start start = start(source, startKey);
            if (!start.hash().equals(key.hash())) {
                throw Errors.validation("The provided starting key is outside query boundaries based on provided conditions");
            }
            view = forward ? view.tailMap(start.sortKey(), false) : view.headMap(start.sortKey(), false);
        }
        if (!forward) {
            view = view.descendingMap();
        }
        Collector out = new Collector(source, limit, filter);
        KeySchema schema = source.schema();
        for (Item item : view.values()) {
            if (key.prefix() != null) {
                int position = key.position(item.get(schema.rangeName()));
                if (position != 0) {
                    if (forward) {
                        break;
                    }
                    continue;
                }
            }
            if (!out.add(item)) {
                return out.page(true);
            }
        }
        return out.page(false);
    }

    static Page scan(Source source, Integer limit, Map<String, AttributeValue> startKey, Condition filter,
                     Integer segment, Integer totalSegments) {
        Start start = startKey == null ? null : start(source, startKey);
        Collector out = new Collector(source, limit, filter);
        var partitions = source.store().partitionsFrom(start == null ? null : start.hash(), true);
        for (var p : partitions.entrySet()) {
            if (segment != null) {
                int s = segmentOf(p.getKey().value(), totalSegments);
                if (s < segment) {
                    continue;
                }
                if (s > segment) {
                    break;
                }
            }
            NavigableMap<SortedItems.SortKey, Item> items = p.getValue();
            if (start != null && p.getKey().value().equals(start.hash())) {
                items = items.tailMap(start.sortKey(), false);
            }
            for (Item item : items.values()) {
                if (!out.add(item)) {
                    return out.page(true);
                }
            }
        }
        return out.page(false);
    }

    /** Segments of a parallel scan are contiguous ranges of the partition hash space. */
    static int segmentOf(AttributeValue partition, int totalSegments) {
        long h = (long) PrimaryKey.partitionHash(partition) - Integer.MIN_VALUE;
        return (int) ((h * totalSegments) >>> 32);
    }

    private record Start(AttributeValue hash, SortedItems.SortKey sortKey) {
    }

    /** The position an ExclusiveStartKey stands for; it must hold the table's key (and the index's, on an index). */
    private static Start start(Source source, Map<String, AttributeValue> startKey) {
        KeySchema table = source.table().schema();
        try {
            PrimaryKey tableKey = table.keyOf(keyPart(startKey, table));
            if (source.index() == null) {
                if (startKey.size() != (table.hasRange() ? 2 : 1)) {
                    throw Errors.keyMismatch();
                }
                return new Start(tableKey.hash(), source.store().sortKey(tableKey, null));
            }
            PrimaryKey indexKey = source.index().schema().indexKeyOf(startKey);
            if (indexKey == null) {
                throw Errors.keyMismatch();
            }
            return new Start(indexKey.hash(), source.store().sortKey(indexKey, tableKey));
        } catch (dev.terrarium.core.service.AwsException e) {
            throw Errors.validation("The provided starting key is invalid: " + e.getMessage());
        }
    }

    private static Map<String, AttributeValue> keyPart(Map<String, AttributeValue> item, KeySchema schema) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        if (item.containsKey(schema.hashName())) {
            key.put(schema.hashName(), item.get(schema.hashName()));
        }
        if (schema.hasRange() && item.containsKey(schema.rangeName())) {
            key.put(schema.rangeName(), item.get(schema.rangeName()));
        }
        return key;
    }

    /** The key attributes that identify an item's position in the source: table key, plus index key on an index. */
    static Map<String, AttributeValue> positionOf(Source source, Item item) {
        Map<String, AttributeValue> key = keyPart(item.attributes(), source.table().schema());
        if (source.index() != null) {
            key.putAll(keyPart(item.attributes(), source.index().schema()));
        }
        return key;
    }

    /** Gathers a page, counting every item evaluated against Limit and the 1 MB cap. */
    private static final class Collector {
        private final Source source;
        private final Integer limit;
        private final Condition filter;
        private final List<Item> items = new ArrayList<>();
        private int scanned;
        private long bytes;
        private Item last;

        Collector(Source source, Integer limit, Condition filter) {
            this.source = source;
            this.limit = limit;
            this.filter = filter;
        }

        /** False when the page is full and reading must stop (the item was still counted). */
        boolean add(Item item) {
            if ((limit != null && scanned >= limit) || bytes >= MAX_PAGE_BYTES) {
                return false;
            }
            scanned++;
            bytes += item.size();
            last = item;
            if (filter == null || filter.test(item.attributes())) {
                items.add(item);
            }
            return true;
        }

        Page page(boolean more) {
            return new Page(items, scanned, bytes, more && last != null ? positionOf(source, last) : null);
        }
    }
}
