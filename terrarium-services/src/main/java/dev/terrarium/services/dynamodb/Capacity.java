package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consumed capacity as AWS computes it: reads in 4 KB units (half for eventually consistent reads),
 * writes in 1 KB units of the larger of the old and new item, transactions twice that; at least one unit.
 */
public final class Capacity {
    private final String tableName;
    private final boolean read;
    private double table;
    private final Map<String, Double> localIndexes = new LinkedHashMap<>();
    private final Map<String, Double> globalIndexes = new LinkedHashMap<>();

    public Capacity(String tableName, boolean read) {
        this.tableName = tableName;
        this.read = read;
    }

    public static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    public static double writeUnits(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    public Capacity addTable(double units) {
        table += units;
        return this;
    }

    public Capacity addIndex(SecondaryIndex index, double units) {
        (index.global() ? globalIndexes : localIndexes).merge(index.name(), units, Double::sum);
        return this;
    }

    /**
     * Index writes a change caused, as AWS counts them: an entry added or removed is one write of its
     * projected size; an entry whose index key changed is two (delete and put); an entry whose key stayed
     * is one write when a projected attribute changed, none otherwise.
     */
    public Capacity addIndexWrites(Table t, Table.Change change, double multiplier) {
        for (SecondaryIndex i : t.indexes()) {
            Item was = change.before() == null || i.schema().indexKeyOf(change.before().attributes()) == null
                    ? null : i.project(t.schema(), change.before());
            Item is = change.after() == null || i.schema().indexKeyOf(change.after().attributes()) == null
                    ? null : i.project(t.schema(), change.after());
            double units = 0;
            if (was != null && is != null) {
                boolean sameKey = i.schema().indexKeyOf(was.attributes()).equals(i.schema().indexKeyOf(is.attributes()));
                if (!sameKey) {
                    units = writeUnits(was.size()) + writeUnits(is.size());
                } else if (!was.attributes().equals(is.attributes())) {
                    units = writeUnits(is.size());
                }
            } else if (was != null) {
                units = writeUnits(was.size());
            } else if (is != null) {
                units = writeUnits(is.size());
            }
            if (units > 0) {
                addIndex(i, units * multiplier);
            }
        }
        return this;
    }

    public double total() {
        double t = table;
        for (double v : localIndexes.values()) {
            t += v;
        }
        for (double v : globalIndexes.values()) {
            t += v;
        }
        return t;
    }

    /** The ConsumedCapacity member for ReturnConsumedCapacity TOTAL or INDEXES (null for NONE). */
    public Struct report(String mode) {
        if (mode == null || "NONE".equals(mode)) {
            return null;
        }
        Struct s = Struct.of("TableName", tableName, "CapacityUnits", total(),
                read ? "ReadCapacityUnits" : "WriteCapacityUnits", total());
        if ("INDEXES".equals(mode)) {
            s.put("Table", units(table));
            if (!localIndexes.isEmpty()) {
                s.put("LocalSecondaryIndexes", unitsMap(localIndexes));
            }
            if (!globalIndexes.isEmpty()) {
                s.put("GlobalSecondaryIndexes", unitsMap(globalIndexes));
            }
        }
        return s;
    }

    private Struct units(double v) {
        return Struct.of("CapacityUnits", v, read ? "ReadCapacityUnits" : "WriteCapacityUnits", v);
    }

    private Map<String, Object> unitsMap(Map<String, Double> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, units(v)));
        return out;
    }
}
