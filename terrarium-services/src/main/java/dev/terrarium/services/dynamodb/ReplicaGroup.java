package dev.terrarium.services.dynamodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The replicas of one global table: tables of the same name and account in several regions of this server.
 * A write stored in one replica is applied to every other one right after (outside the writer's lock, so
 * two regions writing at once never deadlock; the later replication wins, as AWS's last writer wins).
 */
public final class ReplicaGroup {
    public static final String CURRENT = "2019.11.21";
    public static final String LEGACY = "2017.11.29";

    private final String name;
    private final String account;
    private final String version;
    private final Instant created;
    private final Map<String, Table> byRegion = new ConcurrentSkipListMap<>();

    ReplicaGroup(String name, String account, String version, Instant created) {
        this.name = name;
        this.account = account;
        this.version = version;
        this.created = created;
    }

    public String name() { return name; }
    public String account() { return account; }
    public String version() { return version; }
    public Instant created() { return created; }

    public List<String> regions() { return new ArrayList<>(byRegion.keySet()); }

    public Table replica(String region) { return byRegion.get(region); }

    public List<Table> replicas() { return new ArrayList<>(byRegion.values()); }

    void add(String region, Table table) {
        byRegion.put(region, table);
        table.replicaGroup(this);
    }

    void remove(String region) {
        Table t = byRegion.remove(region);
        if (t != null) {
            t.replicaGroup(null);
        }
    }

    /** Applies a change stored in one replica to the others. */
    void propagate(Table from, PrimaryKey key, Item after) {
        for (Table t : byRegion.values()) {
            if (t != from) {
                t.applyReplicated(key, after);
            }
        }
    }
}
