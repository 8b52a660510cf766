package dev.terrarium.services.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The tables of every account and region. */
public final class Tables {
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, Table>> byScope = new ConcurrentHashMap<>();

    private ConcurrentSkipListMap<String, Table> scope(String account, String region) {
        return byScope.computeIfAbsent(account + "/" + region, k -> new ConcurrentSkipListMap<>());
    }

    /** The table of that name, or of that ARN (every TableName member also takes the table's ARN). */
    public Table find(String account, String region, String name) {
        if (name != null && name.startsWith("arn:")) {
            String[] parts = name.split(":", 6);
            if (parts.length == 6 && parts[5].startsWith("table/")) {
                return find(parts[4], parts[3], parts[5].substring(6).split("/")[0]);
            }
            return null;
        }
        ConcurrentSkipListMap<String, Table> s = byScope.get(account + "/" + region);
        return s == null || name == null ? null : s.get(name);
    }

    /** A table for a data-plane call: unknown tables are "Requested resource not found". */
    public Table require(String account, String region, String name) {
        Table t = find(account, region, name);
        if (t == null) {
            throw Errors.resourceNotFound();
        }
        return t;
    }

    /** A table for a control-plane call, whose message names the table. */
    public Table describe(String account, String region, String name) {
        Table t = find(account, region, name);
        if (t == null) {
            throw Errors.tableNotFound(name);
        }
        return t;
    }

    /** Adds the table, or answers null when one of that name exists. */
    public Table add(String account, String region, Table table) {
        return scope(account, region).putIfAbsent(table.name(), table) == null ? table : null;
    }

    public void remove(String account, String region, String name) {
        scope(account, region).remove(name);
    }

    public List<Table> list(String account, String region) {
        return new ArrayList<>(scope(account, region).values());
    }

    /** Tables of all scopes (for TTL sweeps and streams lookups). */
    public List<Table> all() {
        List<Table> out = new ArrayList<>();
        byScope.values().forEach(s -> out.addAll(s.values()));
        return out;
    }

    public void clear() { byScope.clear(); }
}
