package dev.terrarium.services.dynamodb;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Table lifecycle and settings: create, update, delete, TTL, backups, policies, insights, Kinesis destinations. */
final class ControlPlane {
    private final DynamoDbState state;
    private final Tables tables;
    private final Clock clock;

    ControlPlane(DynamoDbState state, Clock clock) {
        this.state = state;
        this.tables = state.tables();
        this.clock = clock;
    }

    Struct createTable(Call call, Struct in) {
        String name = in.string("TableName");
        List<Struct> definitions = in.structs("AttributeDefinitions");
        KeySchema schema = TableDefinitions.keySchema(in.structs("KeySchema"), definitions, "keySchema");
        String billing = in.string("BillingMode", "PROVISIONED");
        TableDefinitions.checkBilling(billing, in.struct("ProvisionedThroughput"));
        List<KeySchema> schemas = new ArrayList<>(List.of(schema));
        List<SecondaryIndex> indexes = new ArrayList<>();
        Set<String> indexNames = new HashSet<>();
        for (Struct lsi : orEmpty(in.structs("LocalSecondaryIndexes"))) {
            String indexName = lsi.string("IndexName");
            KeySchema ks = TableDefinitions.keySchema(lsi.structs("KeySchema"), definitions, "localSecondaryIndexes.member.keySchema");
            if (!schema.hasRange()) {
                throw Errors.invalidParameter("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
            }
            if (!ks.hashName().equals(schema.hashName())) {
                throw Errors.invalidParameter("Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                        + indexName + ". index hash key: " + ks.hashName() + ", table hash key: " + schema.hashName());
            }
            if (!ks.hasRange()) {
                throw Errors.invalidParameter("Index KeySchema does not have a range key for index: " + indexName);
            }
            indexes.add(newIndex(lsi, ks, false, indexNames));
            schemas.add(ks);
        }
        for (Struct gsi : orEmpty(in.structs("GlobalSecondaryIndexes"))) {
            KeySchema ks = TableDefinitions.keySchema(gsi.structs("KeySchema"), definitions, "globalSecondaryIndexes.member.keySchema");
            checkIndexBilling(billing, gsi, true);
            indexes.add(newIndex(gsi, ks, true, indexNames));
            schemas.add(ks);
        }
        TableDefinitions.checkDefinitions(definitions, schemas);
        TableSettings settings = new TableSettings();
        settings.attributeDefinitions = List.copyOf(definitions);
        settings.billingMode = billing;
        settings.provisionedThroughput = in.struct("ProvisionedThroughput");
        settings.sseSpecification = in.struct("SSESpecification");
        settings.tableClass = in.string("TableClass", "STANDARD");
        settings.deletionProtection = in.bool("DeletionProtectionEnabled", false);
        settings.onDemandThroughput = in.struct("OnDemandThroughput");
        settings.warmThroughput = in.struct("WarmThroughput");
        settings.resourcePolicy = in.string("ResourcePolicy");
        if (settings.resourcePolicy != null) {
            settings.resourcePolicyRevision = String.valueOf(clock.millis());
        }
        if (in.has("Tags")) {
            settings.tags.put(Tags.fromList(in.structs("Tags"), "Key", "Value"), "ValidationException");
        }
        String arn = "arn:aws:dynamodb:" + call.region() + ":" + call.account() + ":table/" + name;
        Table table = new Table(name, arn, UUID.randomUUID().toString(), schema, clock.now(), settings);
        indexes.forEach(table::addIndex);
        applyStreamSpecification(table, in.struct("StreamSpecification"), call.region(), true);
        if (tables.add(call.account(), call.region(), table) == null) {
            throw Errors.resourceInUse("Table already exists: " + name);
        }
        return TableDescriptions.describe(table, "CREATING");
    }

    private static SecondaryIndex newIndex(Struct spec, KeySchema ks, boolean global, Set<String> names) {
        String indexName = spec.string("IndexName");
        if (!names.add(indexName)) {
            throw Errors.invalidParameter("Duplicate index name: " + indexName);
        }
        Struct projection = spec.struct("Projection");
        TableDefinitions.checkProjection(projection, indexName);
        return new SecondaryIndex(indexName, global, ks, projection == null ? Struct.of("ProjectionType", "ALL") : projection,
                spec.struct("ProvisionedThroughput"));
    }

    private static void checkIndexBilling(String billing, Struct gsi, boolean creating) {
        String indexName = gsi.string("IndexName");
        if ("PAY_PER_REQUEST".equals(billing) && gsi.has("ProvisionedThroughput")) {
            throw Errors.invalidParameter("ProvisionedThroughput should not be specified for index: " + indexName
                    + " when BillingMode is PAY_PER_REQUEST");
        }
        if (!"PAY_PER_REQUEST".equals(billing) && !gsi.has("ProvisionedThroughput")) {
            throw Errors.invalidParameter(creating ? "ProvisionedThroughput is not specified for index: " + indexName
                    : "ProvisionedThroughput must be specified for index: " + indexName);
        }
    }

    private void applyStreamSpecification(Table table, Struct spec, String region, boolean creating) {
        if (spec == null) {
            return;
        }
        boolean enabled = spec.bool("StreamEnabled", false);
        if (enabled) {
            if (spec.string("StreamViewType") == null) {
                throw Errors.invalidParameter(creating ? "Table is being created with a stream enabled, UpdateViewType is required"
                        : "If stream is being enabled then UpdateViewType is required");
            }
            StreamLog current = table.stream();
            if (current != null && current.enabled()) {
                throw Errors.validation("Table already has an enabled stream: TableName: " + table.name());
            }
            table.stream(new StreamLog(table.arn(), table.name(), region, spec.string("StreamViewType"), clock));
            table.settings.streamSpecification = spec;
        } else {
            if (spec.has("StreamViewType")) {
                throw Errors.invalidParameter(creating ? "Table is being created with a stream disabled, UpdateViewType should not be specified"
                        : "If stream is being disabled, then UpdateViewType must not be specified");
            }
            StreamLog current = table.stream();
            if (creating) {
                return;
            }
            if (current == null || !current.enabled()) {
                throw Errors.validation("Table has no stream to disable: TableName: " + table.name());
            }
            current.disable();
            table.settings.streamSpecification = null;
        }
    }

    Struct listTables(Call call, String exclusiveStart, int limit) {
        List<String> names = new ArrayList<>();
        for (Table t : tables.list(call.account(), call.region())) {
            if (exclusiveStart == null || t.name().compareTo(exclusiveStart) > 0) {
                names.add(t.name());
            }
        }
        Struct out = new Struct();
        if (names.size() > limit) {
            names = names.subList(0, limit);
            out.put("LastEvaluatedTableName", names.get(names.size() - 1));
        }
        return out.put("TableNames", new ArrayList<Object>(names));
    }

    Struct deleteTable(Call call, String name) {
        Table t = tables.describe(call.account(), call.region(), name);
        if (t.settings().deletionProtection()) {
            throw Errors.validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        }
        Struct description = TableDescriptions.describe(t, "DELETING");
        tables.remove(call.account(), call.region(), t.name());
        GlobalTables.tableDeleted(t, call.region());
        return description;
    }

    Struct updateTable(Call call, Struct in) {
        Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
        TableSettings s = t.settings;
        boolean changed = false;
        if (in.has("AttributeDefinitions")) {
            s.addAttributeDefinitions(in.structs("AttributeDefinitions"));
        }
        String billing = in.string("BillingMode");
        if (billing != null) {
            if ("PROVISIONED".equals(billing) && !in.has("ProvisionedThroughput") && !"PROVISIONED".equals(s.billingMode)) {
                throw Errors.invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
            }
            if (!billing.equals(s.billingMode)) {
                s.billingModeChanged = clock.now();
            }
            s.billingMode = billing;
            if ("PAY_PER_REQUEST".equals(billing)) {
                s.provisionedThroughput = null;
            }
            changed = true;
        }
        Struct throughput = in.struct("ProvisionedThroughput");
        if (throughput != null) {
            if ("PAY_PER_REQUEST".equals(s.billingMode)) {
                throw Errors.invalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            Struct current = s.provisionedThroughput;
            if (current != null && billing == null && current.longValue("ReadCapacityUnits").equals(throughput.longValue("ReadCapacityUnits"))
                    && current.longValue("WriteCapacityUnits").equals(throughput.longValue("WriteCapacityUnits"))) {
                throw Errors.validation("The provisioned throughput for the table will not change. The requested value equals the current value. "
                        + "Current ReadCapacityUnits provisioned for the table: " + current.longValue("ReadCapacityUnits")
                        + ". Requested ReadCapacityUnits: " + throughput.longValue("ReadCapacityUnits")
                        + ". Current WriteCapacityUnits provisioned for the table: " + current.longValue("WriteCapacityUnits")
                        + ". Requested WriteCapacityUnits: " + throughput.longValue("WriteCapacityUnits")
                        + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
            }
            s.provisionedThroughput = throughput;
            changed = true;
        }
        for (Struct u : orEmpty(in.structs("GlobalSecondaryIndexUpdates"))) {
            updateIndex(t, u);
            changed = true;
        }
        if (in.has("StreamSpecification")) {
            applyStreamSpecification(t, in.struct("StreamSpecification"), call.region(), false);
            changed = true;
        }
        if (in.has("SSESpecification")) {
            s.sseSpecification = in.struct("SSESpecification");
            changed = true;
        }
        if (in.has("TableClass")) {
            s.tableClass = in.string("TableClass");
            changed = true;
        }
        if (in.has("DeletionProtectionEnabled")) {
            s.deletionProtection = in.bool("DeletionProtectionEnabled");
            changed = true;
        }
        if (in.has("OnDemandThroughput")) {
            s.onDemandThroughput = in.struct("OnDemandThroughput");
            changed = true;
        }
        if (in.has("WarmThroughput") || in.has("ReplicaUpdates") || in.has("MultiRegionConsistency")) {
            changed = true;
        }
        if (!changed) {
            throw Errors.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
                    + "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
                    + "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required");
        }
        return TableDescriptions.describe(t, "ACTIVE");
    }

    private void updateIndex(Table t, Struct update) {
        if (update.has("Create")) {
            Struct c = update.struct("Create");
            String name = c.string("IndexName");
            if (t.index(name) != null) {
                throw Errors.validation("Attempting to create an index which already exists");
            }
            KeySchema ks = TableDefinitions.keySchema(c.structs("KeySchema"), t.attributeDefinitions(), "globalSecondaryIndexUpdates.member.create.keySchema");
            if (ks.hashType() == null || (ks.hasRange() && ks.rangeType() == null)) {
                throw Errors.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                        + ks.hashName() + (ks.hasRange() ? ", " + ks.rangeName() : "") + "]");
            }
            checkIndexBilling(t.settings().billingMode(), c, false);
            Set<String> names = new HashSet<>();
            t.addIndex(newIndex(c, ks, true, names));
        } else if (update.has("Update")) {
            Struct u = update.struct("Update");
            SecondaryIndex index = t.index(u.string("IndexName"));
            if (index == null || !index.global()) {
                throw new AwsException("ResourceNotFoundException", "Requested resource not found: Index: " + u.string("IndexName") + " not found");
            }
            if (u.has("ProvisionedThroughput")) {
                index.provisionedThroughput(u.struct("ProvisionedThroughput"));
            }
        } else if (update.has("Delete")) {
            String name = update.struct("Delete").string("IndexName");
            SecondaryIndex index = t.index(name);
            if (index == null || !index.global()) {
                throw new AwsException("ResourceNotFoundException", "Requested resource not found: Index: " + name + " not found");
            }
            t.removeIndex(name);
        }
    }

    // ---- ARNs

    Table tableOfArn(Call call, String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        if (parts.length != 6 || !"dynamodb".equals(parts[2]) || !parts[5].startsWith("table/")) {
            throw Errors.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }
        String name = parts[5].substring("table/".length()).split("/")[0];
        Table t = tables.find(parts[4], parts[3], name);
        if (t == null || !parts[4].equals(call.account())) {
            throw new AwsException("ResourceNotFoundException", "Requested resource not found: ResourcArn: " + arn + " not found");
        }
        return t;
    }

    // ---- TTL

    Struct updateTimeToLive(Call call, Struct in) {
        Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
        Struct spec = in.struct("TimeToLiveSpecification");
        boolean enable = spec.bool("Enabled", false);
        TableSettings s = t.settings;
        if (enable && s.ttlEnabled && !spec.string("AttributeName").equals(s.ttlAttribute)) {
            throw Errors.validation("TimeToLive is active on a different AttributeName: current AttributeName is " + s.ttlAttribute);
        }
        if (enable && s.ttlEnabled) {
            throw Errors.validation("TimeToLive is already enabled");
        }
        if (!enable && !s.ttlEnabled) {
            throw Errors.validation("TimeToLive is already disabled");
        }
        if (!enable && !spec.string("AttributeName").equals(s.ttlAttribute)) {
            throw Errors.validation("The attribute name provided does not match the TTL attribute name for table");
        }
        s.ttlEnabled = enable;
        s.ttlAttribute = spec.string("AttributeName");
        return Struct.of("Enabled", enable, "AttributeName", spec.string("AttributeName"));
    }

    Struct describeTimeToLive(Call call, String name) {
        Table t = tables.describe(call.account(), call.region(), name);
        TableSettings s = t.settings;
        return s.ttlEnabled ? Struct.of("TimeToLiveStatus", "ENABLED", "AttributeName", s.ttlAttribute)
                : Struct.of("TimeToLiveStatus", "DISABLED");
    }

    // ---- continuous backups and backups

    private Table tableForBackup(Call call, String name) {
        Table t = tables.find(call.account(), call.region(), name);
        if (t == null) {
            throw new AwsException("TableNotFoundException", "Table not found: " + name);
        }
        return t;
    }

    Struct continuousBackups(Call call, String name) {
        Table t = tableForBackup(call, name);
        TableSettings s = t.settings;
        Struct pitr = Struct.of("PointInTimeRecoveryStatus", s.pointInTimeRecovery ? "ENABLED" : "DISABLED");
        if (s.pointInTimeRecovery) {
            Instant now = clock.now();
            Instant earliest = PitrHistory.earliestRestorable(t, now);
            pitr.put("EarliestRestorableDateTime", earliest == null ? s.pitrEnabledAt : earliest).put("LatestRestorableDateTime", now)
                    .put("RecoveryPeriodInDays", s.recoveryPeriodInDays == null ? 35 : s.recoveryPeriodInDays);
        }
        return Struct.of("ContinuousBackupsStatus", "ENABLED", "PointInTimeRecoveryDescription", pitr);
    }

    Struct updateContinuousBackups(Call call, Struct in) {
        Table t = tableForBackup(call, in.string("TableName"));
        Struct spec = in.struct("PointInTimeRecoverySpecification");
        boolean enable = spec.bool("PointInTimeRecoveryEnabled", false);
        if (enable && !t.settings.pointInTimeRecovery) {
            PitrHistory history = new PitrHistory(clock);
            t.settings.pitrEnabledAt = history.enabledAt();
            t.pitrHistory(history);
        } else if (!enable) {
            t.pitrHistory(null);
        }
        t.settings.pointInTimeRecovery = enable;
        t.settings.recoveryPeriodInDays = spec.integer("RecoveryPeriodInDays");
        return continuousBackups(call, t.name());
    }

    Struct createBackup(Call call, String tableName, String backupName) {
        Table t = tableForBackup(call, tableName);
        Instant now = clock.now();
        String arn = t.arn() + "/backup/" + String.format("%017d", now.toEpochMilli()) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        List<Item> items = new ArrayList<>();
        for (Iterator<Item> it = t.items().all(); it.hasNext(); ) {
            items.add(it.next());
        }
        long bytes = items.stream().mapToLong(Item::size).sum();
        Backups.Backup b = new Backups.Backup(arn, backupName, call.account(), call.region(), t,
                TableDescriptions.describe(t, "ACTIVE"), items, now, bytes);
        state.backups().add(b);
        return backupDetails(b, "AVAILABLE");
    }

    private static Struct backupDetails(Backups.Backup b, String status) {
        return Struct.of("BackupArn", b.arn(), "BackupName", b.name(), "BackupSizeBytes", b.bytes(),
                "BackupStatus", status, "BackupType", "USER", "BackupCreationDateTime", b.created());
    }

    private static Struct backupDescription(Backups.Backup b, String status) {
        Struct d = b.tableDescription();
        Struct source = Struct.of("TableName", d.get("TableName"), "TableId", d.get("TableId"), "TableArn", d.get("TableArn"),
                "TableSizeBytes", b.bytes(), "KeySchema", d.get("KeySchema"), "TableCreationDateTime", d.get("CreationDateTime"),
                "ProvisionedThroughput", Struct.of("ReadCapacityUnits", ((Struct) d.get("ProvisionedThroughput")).get("ReadCapacityUnits"),
                        "WriteCapacityUnits", ((Struct) d.get("ProvisionedThroughput")).get("WriteCapacityUnits")),
                "ItemCount", (long) b.items().size(),
                "BillingMode", d.has("BillingModeSummary") ? ((Struct) d.get("BillingModeSummary")).get("BillingMode") : "PROVISIONED");
        return Struct.of("BackupDetails", backupDetails(b, status), "SourceTableDetails", source,
                "SourceTableFeatureDetails", Struct.empty());
    }

    private Backups.Backup backup(String arn) {
        Backups.Backup b = state.backups().find(arn);
        if (b == null) {
            throw new AwsException("BackupNotFoundException", "Backup not found: " + arn);
        }
        return b;
    }

    Struct describeBackup(String arn) { return backupDescription(backup(arn), "AVAILABLE"); }

    Struct deleteBackup(String arn) {
        Backups.Backup b = backup(arn);
        state.backups().remove(arn);
        return backupDescription(b, "DELETED");
    }

    Struct listBackups(Call call, Struct in) {
        List<Object> summaries = new ArrayList<>();
        String table = in.string("TableName");
        for (Backups.Backup b : state.backups().list(call.account(), call.region())) {
            if (table != null && !table.equals(b.source().name())) {
                continue;
            }
            summaries.add(Struct.of("TableName", b.source().name(), "TableId", b.source().id(), "TableArn", b.source().arn(),
                    "BackupArn", b.arn(), "BackupName", b.name(), "BackupCreationDateTime", b.created(),
                    "BackupStatus", "AVAILABLE", "BackupType", "USER", "BackupSizeBytes", b.bytes()));
        }
        return Struct.of("BackupSummaries", summaries);
    }

    Struct restoreFromBackup(Call call, Struct in) {
        Backups.Backup b = backup(in.string("BackupArn"));
        return restore(call, b.source(), b.items(), in.string("TargetTableName"));
    }

    Struct restoreToPointInTime(Call call, Struct in) {
        String sourceName = in.string("SourceTableName");
        if (sourceName == null && in.string("SourceTableArn") != null) {
            String arn = in.string("SourceTableArn");
            sourceName = arn.substring(arn.indexOf("table/") + 6);
        }
        Table source = tables.find(call.account(), call.region(), sourceName);
        if (source == null) {
            throw new AwsException("SourceTableNotFoundException", "Source table not found: " + sourceName);
        }
        if (!source.settings.pointInTimeRecovery) {
            throw new AwsException("PointInTimeRecoveryUnavailableException",
                    "Point in time recovery is not enabled for table '" + sourceName + "'");
        }
        Instant now = clock.now();
        Instant at = in.bool("UseLatestRestorableTime", false) || in.timestamp("RestoreDateTime") == null
                ? now : in.timestamp("RestoreDateTime");
        Instant earliest = PitrHistory.earliestRestorable(source, now);
        if (earliest == null || at.isBefore(earliest) || at.isAfter(now)) {
            throw new AwsException("InvalidRestoreTimeException",
                    "RestoreDateTime must be within EarliestRestorableDateTime and LatestRestorableDateTime");
        }
        return restore(call, source, PitrHistory.itemsAt(source, at), in.string("TargetTableName"));
    }

    /** A new table with the source's definition and the given items. */
    private Struct restore(Call call, Table source, List<Item> items, String targetName) {
        if (tables.find(call.account(), call.region(), targetName) != null) {
            throw new AwsException("TableAlreadyExistsException", "Table already exists: " + targetName);
        }
        TableSettings s = new TableSettings();
        s.attributeDefinitions = source.attributeDefinitions();
        s.billingMode = source.settings.billingMode;
        s.provisionedThroughput = source.settings.provisionedThroughput;
        String arn = "arn:aws:dynamodb:" + call.region() + ":" + call.account() + ":table/" + targetName;
        Table target = new Table(targetName, arn, UUID.randomUUID().toString(), source.schema(), clock.now(), s);
        for (SecondaryIndex i : source.indexes()) {
            target.addIndex(new SecondaryIndex(i.name(), i.global(), i.schema(), i.projection(), i.provisionedThroughput()));
        }
        for (Item item : items) {
            PrimaryKey key = target.schema().keyOfItem(item.attributes());
            target.write(key, old -> item, null);
        }
        if (tables.add(call.account(), call.region(), target) == null) {
            throw new AwsException("TableAlreadyExistsException", "Table already exists: " + targetName);
        }
        return TableDescriptions.describe(target, "ACTIVE")
                .put("RestoreSummary", Struct.of("SourceTableArn", source.arn(), "RestoreDateTime", clock.now(), "RestoreInProgress", false));
    }

    // ---- resource policies

    Struct putResourcePolicy(Call call, Struct in) {
        Table t = tableOfArn(call, in.string("ResourceArn"));
        String expected = in.string("ExpectedRevisionId");
        if (expected != null && !expected.equals(t.settings.resourcePolicyRevision)) {
            throw new AwsException("PolicyNotFoundException", "A policy with the given revision ID does not exist for the provided ResourceArn: "
                    + in.string("ResourceArn"));
        }
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(in.string("Policy"));
        } catch (Exception e) {
            throw Errors.invalidParameter("Invalid policy document: This policy contains invalid Json");
        }
        t.settings.resourcePolicy = in.string("Policy");
        t.settings.resourcePolicyRevision = String.valueOf(Math.max(clock.millis(), revision(t) + 1));
        return Struct.of("RevisionId", t.settings.resourcePolicyRevision);
    }

    private static long revision(Table t) {
        return t.settings.resourcePolicyRevision == null ? 0 : Long.parseLong(t.settings.resourcePolicyRevision);
    }

    Struct getResourcePolicy(Call call, String arn) {
        Table t = tableOfArn(call, arn);
        if (t.settings.resourcePolicy == null) {
            throw new AwsException("PolicyNotFoundException", "Resource-based policy not found for the provided ResourceArn: " + arn);
        }
        return Struct.of("Policy", t.settings.resourcePolicy, "RevisionId", t.settings.resourcePolicyRevision);
    }

    Struct deleteResourcePolicy(Call call, Struct in) {
        Table t = tableOfArn(call, in.string("ResourceArn"));
        if (t.settings.resourcePolicy == null) {
            throw new AwsException("PolicyNotFoundException", "Resource-based policy not found for the provided ResourceArn: "
                    + in.string("ResourceArn"));
        }
        String expected = in.string("ExpectedRevisionId");
        if (expected != null && !expected.equals(t.settings.resourcePolicyRevision)) {
            throw new AwsException("PolicyNotFoundException", "A policy with the given revision ID does not exist for the provided ResourceArn: "
                    + in.string("ResourceArn"));
        }
        t.settings.resourcePolicy = null;
        String revision = String.valueOf(Math.max(clock.millis(), revision(t) + 1));
        t.settings.resourcePolicyRevision = null;
        return Struct.of("RevisionId", revision);
    }

    // ---- contributor insights and Kinesis destinations (state kept)

    Struct describeContributorInsights(Call call, String tableName, String indexName) {
        Table t = tables.describe(call.account(), call.region(), tableName);
        String status = indexName == null ? t.settings.contributorInsights
                : t.settings.indexContributorInsights.getOrDefault(indexName, "DISABLED");
        return Struct.of("TableName", tableName, "IndexName", indexName, "ContributorInsightsStatus", status);
    }

    Struct updateContributorInsights(Call call, Struct in) {
        Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
        String indexName = in.string("IndexName");
        if (indexName != null && t.index(indexName) == null) {
            throw new AwsException("ResourceNotFoundException", "Requested resource not found: Index: " + indexName + " not found");
        }
        String status = "ENABLE".equals(in.string("ContributorInsightsAction")) ? "ENABLED" : "DISABLED";
        if (indexName == null) {
            t.settings.contributorInsights = status;
        } else {
            t.settings.indexContributorInsights.put(indexName, status);
        }
        return Struct.of("TableName", t.name(), "IndexName", indexName, "ContributorInsightsStatus", status);
    }

    Struct listContributorInsights(Call call, String tableName) {
        List<Object> out = new ArrayList<>();
        for (Table t : tables.list(call.account(), call.region())) {
            if (tableName != null && !tableName.equals(t.name())) {
                continue;
            }
            out.add(Struct.of("TableName", t.name(), "ContributorInsightsStatus", t.settings.contributorInsights));
            for (Map.Entry<String, String> e : t.settings.indexContributorInsights.entrySet()) {
                out.add(Struct.of("TableName", t.name(), "IndexName", e.getKey(), "ContributorInsightsStatus", e.getValue()));
            }
        }
        return Struct.of("ContributorInsightsSummaries", out);
    }

    Struct kinesisDestination(Call call, Struct in, String status) {
        Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
        String streamArn = in.string("StreamArn");
        if ("DISABLED".equals(status) && !t.settings.kinesisDestinations.containsKey(streamArn)) {
            throw Errors.validation("Table is not in a valid state to enable Kinesis Streaming Destination: "
                    + "KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.");
        }
        Struct config = in.struct("EnableKinesisStreamingConfiguration");
        t.settings.kinesisDestinations.put(streamArn, Struct.of("StreamArn", streamArn, "DestinationStatus", status,
                "ApproximateCreationDateTimePrecision", config == null ? "MILLISECOND"
                        : config.string("ApproximateCreationDateTimePrecision", "MILLISECOND")));
        return Struct.of("TableName", t.name(), "StreamArn", streamArn, "DestinationStatus", status.equals("ACTIVE") ? "ENABLING" : "DISABLING",
                "EnableKinesisStreamingConfiguration", config);
    }

    Struct updateKinesisDestination(Call call, Struct in) {
        Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
        Struct d = t.settings.kinesisDestinations.get(in.string("StreamArn"));
        if (d == null) {
            throw Errors.validation("Table is not in a valid state to enable Kinesis Streaming Destination: Kinesis streaming is not in ACTIVE state. "
                    + "Updates are only allowed in ACTIVE state. TableName: " + t.name() + ", kdsArn: " + in.string("StreamArn"));
        }
        Struct config = in.struct("UpdateKinesisStreamingConfiguration");
        if (config != null && config.has("ApproximateCreationDateTimePrecision")) {
            d.put("ApproximateCreationDateTimePrecision", config.string("ApproximateCreationDateTimePrecision"));
        }
        return Struct.of("TableName", t.name(), "StreamArn", in.string("StreamArn"), "DestinationStatus", "UPDATING",
                "UpdateKinesisStreamingConfiguration", config);
    }

    Struct describeKinesisDestinations(Call call, String tableName) {
        Table t = tables.describe(call.account(), call.region(), tableName);
        return Struct.of("TableName", tableName, "KinesisDataStreamDestinations", new ArrayList<Object>(t.settings.kinesisDestinations.values()));
    }

    private static <T> List<T> orEmpty(List<T> list) { return list == null ? List.of() : list; }
}
