package dev.terrarium.services.dynamodb;

import java.util.LinkedHashMap;
import java.util.Map;

/** The key of an item in a table or an index: partition value and, when the schema has one, sort value. */
public record PrimaryKey(AttributeValue hash, AttributeValue range) implements Comparable<PrimaryKey> {

    /** The order partitions are stored and scanned in: by a hash of the partition value, as DynamoDB does. */
    public static int partitionHash(AttributeValue v) {
        int h = v.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    @Override
    public int compareTo(PrimaryKey o) {
        int c = comparePartitions(hash, o.hash);
        if (c != 0) {
            return c;
        }
        if (range == null || o.range == null) {
            return range == null ? (o.range == null ? 0 : -1) : 1;
        }
        return ValueOrder.compare(range, o.range);
    }

    static int comparePartitions(AttributeValue a, AttributeValue b) {
        int c = Integer.compare(partitionHash(a), partitionHash(b));
        return c != 0 ? c : ValueOrder.compare(a, b);
    }

    public Map<String, AttributeValue> asItem(KeySchema schema) {
        Map<String, AttributeValue> m = new LinkedHashMap<>(4);
        m.put(schema.hashName(), hash);
        if (schema.rangeName() != null) {
            m.put(schema.rangeName(), range);
        }
        return m;
    }
}
