package dev.terrarium.services.dynamodb;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Global tables: version 2019.11.21 (UpdateTable's ReplicaUpdates make a replica of the table in another
 * region of this server) and the legacy 2017.11.29 operations (CreateGlobalTable and friends, over tables
 * the caller made in each region). Replicas are real tables of their region: readable, writable, and every
 * write replicates to the others. Also the replica auto scaling settings (state kept, as AWS reports it).
 */
public final class GlobalTables {
    private final DynamoDbState state;
    private final Tables tables;
    private final Clock clock;

    GlobalTables(DynamoDbState state, Clock clock) {
        this.state = state;
        this.tables = state.tables();
        this.clock = clock;
    }

    // ---- version 2019.11.21: UpdateTable ReplicaUpdates

    /** AWS's text when ReplicaUpdates names the region of the table being updated. */
    static final String LOCAL_REGION = "Cannot add, delete, or update the local region through ReplicaUpdates. "
            + "Use CreateTable, DeleteTable, or UpdateTable as required.";

    /** AWS's text when ReplicaUpdates updates or deletes a region that is not a replica of the table. */
    static AwsException notInGroup(String region) {
        return Errors.validation("Update global table operation failed because one or more replicas were not part of the global table. "
                + "Please retry the request without these replicas: [" + region + "].");
    }

    /** Applies UpdateTable's ReplicaUpdates to t (Create, Update and Delete of replicas in other regions). */
    void replicaUpdates(Call call, Table t, List<Struct> updates, boolean strong) {
        ReplicaGroup group = t.replicaGroup();
        long createsOrDeletes = updates.stream().filter(u -> u.has("Create") || u.has("Delete")).count();
        if (createsOrDeletes > 1 && !strong) {
            throw Errors.validation("Update table operation with more than one create or delete replica actions not allowed");
        }
        if (group != null && ReplicaGroup.LEGACY.equals(group.version())) {
            throw Errors.validation("Table " + t.name() + " is already a global table of version " + ReplicaGroup.LEGACY
                    + "; use UpdateGlobalTable to change its replicas");
        }
        for (Struct u : updates) {
            if (u.isEmpty()) {
                throw Errors.validation("There are no actions specified in the Replica Update Action of the request.");
            }
            if (u.size() > 1) {
                throw Errors.validation("Update table operation with more than one type of replica actions not allowed.");
            }
            Struct create = u.struct("Create");
            Struct delete = u.struct("Delete");
            Struct update = u.struct("Update");
            Struct action = create != null ? create : delete != null ? delete : update;
            if (action != null && call.region().equals(action.string("RegionName"))) {
                throw Errors.validation(LOCAL_REGION);
            }
            if (create != null) {
                group = t.replicaGroup();
                if (group == null) {
                    group = new ReplicaGroup(t.name(), call.account(), ReplicaGroup.CURRENT, clock.now());
                    enableReplicationStream(t);
                    group.add(call.region(), t);
                }
                String region = create.string("RegionName");
                if (group.replica(region) != null || tables.find(call.account(), region, t.name()) != null) {
                    throw Errors.validation("Failed to create a the new replica of table with name: ‘" + t.name()
                            + "’ because one or more replicas already existed as tables.");
                }
                Table replica = copyOf(t, call.account(), region);
                if (create.string("TableClassOverride") != null) {
                    replica.settings.tableClass = create.string("TableClassOverride");
                }
                if (create.string("KMSMasterKeyId") != null) {
                    replica.settings.sseSpecification = Struct.of("Enabled", true, "SSEType", "KMS",
                            "KMSMasterKeyId", create.string("KMSMasterKeyId"));
                }
                tables.add(call.account(), region, replica);
                group.add(region, replica);
            } else if (delete != null) {
                String region = delete.string("RegionName");
                if (group == null || group.replica(region) == null) {
                    throw notInGroup(region);
                }
                Table replica = group.replica(region);
                group.remove(region);
                tables.remove(call.account(), region, replica.name());
                if (group.regions().size() == 1) {
                    group.remove(call.region());
                }
            } else if (update != null) {
                String region = update.string("RegionName");
                Table replica = group == null ? null : group.replica(region);
                if (replica == null) {
                    throw notInGroup(region);
                }
                if (update.string("TableClassOverride") != null) {
                    replica.settings.tableClass = update.string("TableClassOverride");
                }
                if (update.struct("ProvisionedThroughputOverride") != null) {
                    Struct o = update.struct("ProvisionedThroughputOverride");
                    Struct current = replica.settings.provisionedThroughput;
                    replica.settings.provisionedThroughput = Struct.of(
                            "ReadCapacityUnits", o.longValue("ReadCapacityUnits"),
                            "WriteCapacityUnits", current == null ? 0L : current.longValue("WriteCapacityUnits"));
                }
            }
        }
    }

    /** The other replicas of a 2019.11.21 global table t belongs to (none for other tables). */
    private static List<Table> otherReplicas(Table t) {
        ReplicaGroup g = t.replicaGroup();
        if (g == null || !ReplicaGroup.CURRENT.equals(g.version())) {
            return List.of();
        }
        List<Table> out = new ArrayList<>(g.replicas());
        out.remove(t);
        return out;
    }

    /** An UpdateTable's index changes made on one replica, made on the others too (as AWS keeps replicas alike). */
    static void propagateIndexUpdates(Table t, Struct in) {
        for (Table r : otherReplicas(t)) {
            if (in.has("AttributeDefinitions")) {
                r.settings.addAttributeDefinitions(in.structs("AttributeDefinitions"));
            }
            List<Struct> updates = in.structs("GlobalSecondaryIndexUpdates");
            for (Struct u : updates == null ? List.<Struct>of() : updates) {
                if (u.has("Create")) {
                    SecondaryIndex i = t.index(u.struct("Create").string("IndexName"));
                    if (i != null && r.index(i.name()) == null) {
                        r.addIndex(new SecondaryIndex(i.name(), i.global(), i.schema(), i.projection(), i.provisionedThroughput()));
                    }
                } else if (u.has("Delete")) {
                    r.removeIndex(u.struct("Delete").string("IndexName"));
                } else if (u.has("Update") && r.index(u.struct("Update").string("IndexName")) != null
                        && u.struct("Update").has("ProvisionedThroughput")) {
                    r.index(u.struct("Update").string("IndexName")).provisionedThroughput(u.struct("Update").struct("ProvisionedThroughput"));
                }
            }
        }
    }

    /** UpdateTimeToLive on one replica applies to all. */
    static void propagateTimeToLive(Table t) {
        for (Table r : otherReplicas(t)) {
            r.settings.ttlAttribute = t.settings.ttlAttribute;
            r.settings.ttlEnabled = t.settings.ttlEnabled;
        }
    }

    /** Replication needs a NEW_AND_OLD_IMAGES stream; one is enabled if the table has none. */
    private void enableReplicationStream(Table t) {
        StreamLog stream = t.stream();
        if (stream != null && stream.enabled()) {
            if (!"NEW_AND_OLD_IMAGES".equals(stream.viewType())) {
                throw Errors.validation("One or more parameter values were invalid: Table must have DynamoDB Streams enabled "
                        + "with StreamViewType set to NEW_AND_OLD_IMAGES");
            }
            return;
        }
        Struct spec = Struct.of("StreamEnabled", true, "StreamViewType", "NEW_AND_OLD_IMAGES");
        t.stream(new StreamLog(t.arn(), t.name(), TableDescriptions.regionOf(t), "NEW_AND_OLD_IMAGES", clock));
        t.settings.streamSpecification = spec;
    }

    /** A replica of source in region: its definition, indexes, stream and items. */
    private Table copyOf(Table source, String account, String region) {
        TableSettings from = source.settings;
        TableSettings s = new TableSettings();
        s.attributeDefinitions = from.attributeDefinitions;
        s.billingMode = from.billingMode;
        s.provisionedThroughput = from.provisionedThroughput;
        s.billingModeChanged = from.billingModeChanged;
        s.sseSpecification = from.sseSpecification;
        s.tableClass = from.tableClass;
        s.ttlAttribute = from.ttlAttribute;
        s.ttlEnabled = from.ttlEnabled;
        s.onDemandThroughput = from.onDemandThroughput;
        s.streamSpecification = Struct.of("StreamEnabled", true, "StreamViewType", "NEW_AND_OLD_IMAGES");
        String arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + source.name();
        Table target = new Table(source.name(), arn, UUID.randomUUID().toString(), source.schema(), clock.now(), s);
        for (SecondaryIndex i : source.indexes()) {
            target.addIndex(new SecondaryIndex(i.name(), i.global(), i.schema(), i.projection(), i.provisionedThroughput()));
        }
        for (Iterator<Item> it = source.items().all(); it.hasNext(); ) {
            Item item = it.next();
            target.write(target.schema().keyOfItem(item.attributes()), old -> item, null);
        }
        target.stream(new StreamLog(arn, source.name(), region, "NEW_AND_OLD_IMAGES", clock));
        return target;
    }

    /** DescribeTable's Replicas member: the other regions of a 2019.11.21 global table. */
    static List<Struct> describeReplicas(Table t, String ownRegion) {
        ReplicaGroup group = t.replicaGroup();
        List<Struct> out = new ArrayList<>();
        if (group == null || !ReplicaGroup.CURRENT.equals(group.version())) {
            return out;
        }
        for (String region : group.regions()) {
            if (region.equals(ownRegion)) {
                continue;
            }
            Table r = group.replica(region);
            Struct d = Struct.of("RegionName", region, "ReplicaStatus", "ACTIVE");
            if (r != null && !"STANDARD".equals(r.settings.tableClass)) {
                d.put("ReplicaTableClassSummary", Struct.of("TableClass", r.settings.tableClass));
            }
            out.add(d);
        }
        return out;
    }

    /** Deleting a replica's table takes it out of its global table. */
    static void tableDeleted(Table t, String region) {
        ReplicaGroup group = t.replicaGroup();
        if (group != null) {
            group.remove(region);
            if (ReplicaGroup.CURRENT.equals(group.version()) && group.regions().size() == 1) {
                group.remove(group.regions().get(0));
            }
        }
    }

    // ---- version 2017.11.29 (legacy)

    private static String key(String account, String name) { return account + "/" + name; }

    private ReplicaGroup legacy(Call call, String name) {
        return legacy(call, name, "Global table not found: ");
    }

    /** The *GlobalTableSettings operations answer a missing global table without the "Global table not found: " prefix. */
    private ReplicaGroup legacy(Call call, String name, String prefix) {
        ReplicaGroup g = state.globalTables().get(key(call.account(), name));
        if (g == null) {
            throw new AwsException("GlobalTableNotFoundException", prefix + "Global table with name: '" + name + "' does not exist.");
        }
        return g;
    }

    /** A table that may join a legacy global table: there, empty, with a NEW_AND_OLD_IMAGES stream, in no other group. */
    private Table joinable(Call call, String name, String region) {
        Table t = tables.find(call.account(), region, name);
        if (t == null) {
            throw new AwsException("TableNotFoundException", "Table not found: " + name + " in region " + region);
        }
        StreamLog stream = t.stream();
        if (stream == null || !stream.enabled() || !"NEW_AND_OLD_IMAGES".equals(stream.viewType())) {
            throw Errors.validation("One or more parameter values were invalid: Table " + name + " in region " + region
                    + " must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES");
        }
        if (t.items().count() > 0) {
            throw Errors.validation("One or more parameter values were invalid: Table " + name + " in region " + region + " is not empty");
        }
        if (t.replicaGroup() != null) {
            throw new AwsException("ReplicaAlreadyExistsException", "Replica already exists in region " + region);
        }
        return t;
    }

    private static Struct description(ReplicaGroup g, String status) {
        List<Object> replicas = new ArrayList<>();
        for (String region : g.regions()) {
            replicas.add(Struct.of("RegionName", region, "ReplicaStatus", "ACTIVE"));
        }
        return Struct.of("ReplicationGroup", replicas, "GlobalTableArn", "arn:aws:dynamodb::" + g.account() + ":global-table/" + g.name(),
                "CreationDateTime", g.created(), "GlobalTableStatus", status, "GlobalTableName", g.name());
    }

    @AwsOperation("CreateGlobalTable")
    public Struct createGlobalTable(Call call, Struct in) {
        String name = in.string("GlobalTableName");
        synchronized (state.globalTables()) {
            if (state.globalTables().containsKey(key(call.account(), name))) {
                throw new AwsException("GlobalTableAlreadyExistsException", "Global table with this name already exists");
            }
            List<Table> members = new ArrayList<>();
            List<String> regions = new ArrayList<>();
            for (Struct r : in.structs("ReplicationGroup")) {
                String region = r.string("RegionName");
                if (regions.contains(region)) {
                    throw Errors.validation("One or more parameter values were invalid: Duplicate region " + region + " in replication group");
                }
                regions.add(region);
                members.add(joinable(call, name, region));
            }
            ReplicaGroup g = new ReplicaGroup(name, call.account(), ReplicaGroup.LEGACY, clock.now());
            for (int i = 0; i < members.size(); i++) {
                g.add(regions.get(i), members.get(i));
            }
            state.globalTables().put(key(call.account(), name), g);
            return Struct.of("GlobalTableDescription", description(g, "CREATING"));
        }
    }

    @AwsOperation("DescribeGlobalTable")
    public Struct describeGlobalTable(Call call, Struct in) {
        return Struct.of("GlobalTableDescription", description(legacy(call, in.string("GlobalTableName")), "ACTIVE"));
    }

    @AwsOperation("UpdateGlobalTable")
    public Struct updateGlobalTable(Call call, Struct in) {
        synchronized (state.globalTables()) {
            ReplicaGroup g = legacy(call, in.string("GlobalTableName"));
            for (Struct u : in.structs("ReplicaUpdates")) {
                Struct create = u.struct("Create");
                Struct delete = u.struct("Delete");
                if (create != null) {
                    String region = create.string("RegionName");
                    if (g.replica(region) != null) {
                        throw new AwsException("ReplicaAlreadyExistsException", "Replica already exists in region " + region);
                    }
                    g.add(region, joinable(call, g.name(), region));
                } else if (delete != null) {
                    String region = delete.string("RegionName");
                    if (g.replica(region) == null) {
                        throw new AwsException("ReplicaNotFoundException", "Replica not found in region " + region);
                    }
                    g.remove(region);
                }
            }
            return Struct.of("GlobalTableDescription", description(g, "UPDATING"));
        }
    }

    @AwsOperation("ListGlobalTables")
    public Struct listGlobalTables(Call call, Struct in) {
        String start = in.string("ExclusiveStartGlobalTableName");
        String region = in.string("RegionName");
        int limit = in.integer("Limit", 100);
        List<ReplicaGroup> groups = new ArrayList<>();
        for (Map.Entry<String, ReplicaGroup> e : state.globalTables().entrySet()) {
            ReplicaGroup g = e.getValue();
            if (g.account().equals(call.account()) && (start == null || g.name().compareTo(start) > 0)
                    && (region == null || g.replica(region) != null)) {
                groups.add(g);
            }
        }
        groups.sort((a, b) -> a.name().compareTo(b.name()));
        String last = null;
        if (groups.size() > limit) {
            groups = groups.subList(0, limit);
            last = groups.get(limit - 1).name();
        }
        List<Object> out = new ArrayList<>();
        for (ReplicaGroup g : groups) {
            List<Object> replicas = new ArrayList<>();
            g.regions().forEach(r -> replicas.add(Struct.of("RegionName", r)));
            out.add(Struct.of("GlobalTableName", g.name(), "ReplicationGroup", replicas));
        }
        return Struct.of("GlobalTables", out, "LastEvaluatedGlobalTableName", last);
    }

    @AwsOperation("DescribeGlobalTableSettings")
    public Struct describeGlobalTableSettings(Call call, Struct in) {
        return settings(legacy(call, in.string("GlobalTableName"), ""));
    }

    @AwsOperation("UpdateGlobalTableSettings")
    public Struct updateGlobalTableSettings(Call call, Struct in) {
        ReplicaGroup g = legacy(call, in.string("GlobalTableName"), "");
        String billing = in.string("GlobalTableBillingMode");
        Long write = in.longValue("GlobalTableProvisionedWriteCapacityUnits");
        for (Struct u : orEmpty(in.structs("ReplicaSettingsUpdate"))) {
            if (g.replica(u.string("RegionName")) == null) {
                throw new AwsException("ReplicaNotFoundException", "Replica not found in region " + u.string("RegionName"));
            }
        }
        for (Table t : g.replicas()) {
            if (billing != null) {
                t.settings.billingMode = billing;
                if ("PAY_PER_REQUEST".equals(billing)) {
                    t.settings.provisionedThroughput = null;
                }
            }
            if (write != null) {
                Struct current = t.settings.provisionedThroughput;
                t.settings.provisionedThroughput = Struct.of("ReadCapacityUnits", current == null ? 0L : current.longValue("ReadCapacityUnits"),
                        "WriteCapacityUnits", write);
            }
        }
        for (Struct u : orEmpty(in.structs("ReplicaSettingsUpdate"))) {
            Table t = g.replica(u.string("RegionName"));
            Long read = u.longValue("ReplicaProvisionedReadCapacityUnits");
            if (read != null) {
                Struct current = t.settings.provisionedThroughput;
                t.settings.provisionedThroughput = Struct.of("ReadCapacityUnits", read,
                        "WriteCapacityUnits", current == null ? 0L : current.longValue("WriteCapacityUnits"));
            }
            if (u.string("ReplicaTableClass") != null) {
                t.settings.tableClass = u.string("ReplicaTableClass");
            }
        }
        return settings(g);
    }

    private static Struct settings(ReplicaGroup g) {
        List<Object> replicas = new ArrayList<>();
        for (String region : g.regions()) {
            Table t = g.replica(region);
            Struct throughput = TableDescriptions.throughput(t.settings.provisionedThroughput);
            Struct r = Struct.of("RegionName", region, "ReplicaStatus", "ACTIVE",
                    "ReplicaBillingModeSummary", Struct.of("BillingMode", t.settings.billingMode),
                    "ReplicaProvisionedReadCapacityUnits", throughput.longValue("ReadCapacityUnits"),
                    "ReplicaProvisionedWriteCapacityUnits", throughput.longValue("WriteCapacityUnits"));
            List<Object> indexes = new ArrayList<>();
            for (SecondaryIndex i : t.indexes()) {
                if (i.global()) {
                    Struct it = TableDescriptions.throughput(i.provisionedThroughput());
                    indexes.add(Struct.of("IndexName", i.name(), "IndexStatus", "ACTIVE",
                            "ProvisionedReadCapacityUnits", it.longValue("ReadCapacityUnits"),
                            "ProvisionedWriteCapacityUnits", it.longValue("WriteCapacityUnits")));
                }
            }
            if (!indexes.isEmpty()) {
                r.put("ReplicaGlobalSecondaryIndexSettings", indexes);
            }
            if (!"STANDARD".equals(t.settings.tableClass)) {
                r.put("ReplicaTableClassSummary", Struct.of("TableClass", t.settings.tableClass));
            }
            replicas.add(r);
        }
        return Struct.of("GlobalTableName", g.name(), "ReplicaSettings", replicas);
    }

    // ---- replica auto scaling (state kept)

    @AwsOperation("DescribeTableReplicaAutoScaling")
    public Struct describeTableReplicaAutoScaling(Call call, Struct in) {
        Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
        if (t.replicaGroup() == null) {
            throw new AwsException("ResourceNotFoundException", "Global table with name: " + t.name() + " does not exist.");
        }
        return Struct.of("TableAutoScalingDescription", autoScaling(t, call.region()));
    }

    @AwsOperation("UpdateTableReplicaAutoScaling")
    public Struct updateTableReplicaAutoScaling(Call call, Struct in) {
        Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
        List<Table> replicas = replicasOf(t, call.region());
        for (Struct u : orEmpty(in.structs("ReplicaUpdates"))) {
            String region = u.string("RegionName");
            if (replicas.stream().noneMatch(r -> TableDescriptions.regionOf(r).equals(region))) {
                throw Errors.validation("One or more parameter values were invalid: Replica in region " + region
                        + " does not exist for table " + t.name());
            }
        }
        Struct write = in.struct("ProvisionedWriteCapacityAutoScalingUpdate");
        for (Table r : replicas) {
            if (write != null) {
                r.settings.autoScaling.put("write", scaling(write));
            }
            for (Struct gsi : orEmpty(in.structs("GlobalSecondaryIndexUpdates"))) {
                Struct w = gsi.struct("ProvisionedWriteCapacityAutoScalingUpdate");
                if (w != null) {
                    r.settings.autoScaling.put("index-write/" + gsi.string("IndexName"), scaling(w));
                }
            }
        }
        for (Struct u : orEmpty(in.structs("ReplicaUpdates"))) {
            Table r = replicas.stream().filter(x -> TableDescriptions.regionOf(x).equals(u.string("RegionName"))).findFirst().orElseThrow();
            Struct read = u.struct("ReplicaProvisionedReadCapacityAutoScalingUpdate");
            if (read != null) {
                r.settings.autoScaling.put("read", scaling(read));
            }
            for (Struct gsi : orEmpty(u.structs("ReplicaGlobalSecondaryIndexUpdates"))) {
                Struct rr = gsi.struct("ProvisionedReadCapacityAutoScalingUpdate");
                if (rr != null) {
                    r.settings.autoScaling.put("index-read/" + gsi.string("IndexName"), scaling(rr));
                }
            }
        }
        return Struct.of("TableAutoScalingDescription", autoScaling(t, call.region()));
    }

    /** The table itself and, for a global table, its replicas in the other regions. */
    private static List<Table> replicasOf(Table t, String region) {
        ReplicaGroup g = t.replicaGroup();
        return g == null ? List.of(t) : g.replicas();
    }

    /** AutoScalingSettingsUpdate -> AutoScalingSettingsDescription. */
    private static Struct scaling(Struct update) {
        Struct d = Struct.of("MinimumUnits", update.longValue("MinimumUnits"), "MaximumUnits", update.longValue("MaximumUnits"),
                "AutoScalingDisabled", update.bool("AutoScalingDisabled", false), "AutoScalingRoleArn", update.string("AutoScalingRoleArn"));
        Struct policy = update.struct("ScalingPolicyUpdate");
        if (policy != null) {
            d.put("ScalingPolicies", List.of(Struct.of("PolicyName", policy.string("PolicyName"),
                    "TargetTrackingScalingPolicyConfiguration", policy.struct("TargetTrackingScalingPolicyConfiguration"))));
        }
        return d;
    }

    private static Struct autoScaling(Table t, String region) {
        List<Object> replicas = new ArrayList<>();
        for (Table r : replicasOf(t, region)) {
            Map<String, Struct> a = r.settings.autoScaling;
            Struct d = Struct.of("RegionName", TableDescriptions.regionOf(r), "ReplicaStatus", "ACTIVE",
                    "ReplicaProvisionedReadCapacityAutoScalingSettings", a.get("read"),
                    "ReplicaProvisionedWriteCapacityAutoScalingSettings", a.get("write"));
            List<Object> indexes = new ArrayList<>();
            for (SecondaryIndex i : r.indexes()) {
                if (i.global()) {
                    indexes.add(Struct.of("IndexName", i.name(), "IndexStatus", "ACTIVE",
                            "ProvisionedReadCapacityAutoScalingSettings", a.get("index-read/" + i.name()),
                            "ProvisionedWriteCapacityAutoScalingSettings", a.get("index-write/" + i.name())));
                }
            }
            if (!indexes.isEmpty()) {
                d.put("GlobalSecondaryIndexes", indexes);
            }
            replicas.add(d);
        }
        return Struct.of("TableName", t.name(), "TableStatus", "ACTIVE", "Replicas", replicas);
    }

    private static <T> List<T> orEmpty(List<T> list) { return list == null ? List.of() : list; }
}
