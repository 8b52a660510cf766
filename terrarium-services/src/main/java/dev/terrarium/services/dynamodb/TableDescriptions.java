package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;

/** A table as DescribeTable (and CreateTable, UpdateTable, DeleteTable) report it. */
final class TableDescriptions {
    private TableDescriptions() {
    }

    static List<Struct> keySchema(KeySchema k) {
        List<Struct> out = new ArrayList<>(2);
        out.add(Struct.of("AttributeName", k.hashName(), "KeyType", "HASH"));
        if (k.hasRange()) {
            out.add(Struct.of("AttributeName", k.rangeName(), "KeyType", "RANGE"));
        }
        return out;
    }

    static Struct describe(Table t, String status) {
        TableSettings s = t.settings();
        Struct d = Struct.of(
                "AttributeDefinitions", s.attributeDefinitions(),
                "TableName", t.name(),
                "KeySchema", keySchema(t.schema()),
                "TableStatus", status,
                "CreationDateTime", t.created(),
                "ProvisionedThroughput", throughput(s.provisionedThroughput),
                "TableSizeBytes", t.items().bytes(),
                "ItemCount", t.items().count(),
                "TableArn", t.arn(),
                "TableId", t.id());
        if ("PAY_PER_REQUEST".equals(s.billingMode) || s.billingModeChanged != null) {
            d.put("BillingModeSummary", Struct.of("BillingMode", s.billingMode,
                    "LastUpdateToPayPerRequestDateTime", s.billingModeChanged != null ? s.billingModeChanged : t.created()));
        }
        List<Struct> lsis = new ArrayList<>();
        List<Struct> gsis = new ArrayList<>();
        for (SecondaryIndex i : t.indexes()) {
            Struct x = Struct.of("IndexName", i.name(), "KeySchema", keySchema(i.schema()), "Projection", i.projection(),
                    "IndexSizeBytes", i.items().bytes(), "ItemCount", i.items().count(),
                    "IndexArn", t.arn() + "/index/" + i.name());
            if (i.global()) {
                x.put("IndexStatus", "ACTIVE").put("ProvisionedThroughput", throughput(i.provisionedThroughput()));
                if (s.onDemandThroughput != null) {
                    x.put("OnDemandThroughput", s.onDemandThroughput);
                }
                gsis.add(x);
            } else {
                lsis.add(x);
            }
        }
        if (!lsis.isEmpty()) {
            d.put("LocalSecondaryIndexes", lsis);
        }
        if (!gsis.isEmpty()) {
            d.put("GlobalSecondaryIndexes", gsis);
        }
        StreamLog stream = t.stream();
        if (s.streamSpecification != null) {
            d.put("StreamSpecification", s.streamSpecification);
        }
        if (stream != null) {
            d.put("LatestStreamLabel", stream.label()).put("LatestStreamArn", stream.arn());
        }
        if (s.sseSpecification != null && s.sseSpecification.bool("Enabled", false)) {
            String key = s.sseSpecification.string("KMSMasterKeyId");
            d.put("SSEDescription", Struct.of("Status", "ENABLED", "SSEType", "KMS", "KMSMasterKeyArn",
                    key != null && key.startsWith("arn:") ? key
                            : "arn:aws:kms:" + regionOf(t) + ":" + accountOf(t) + ":key/" + (key != null ? key : "aws/dynamodb")));
        }
        if (!"STANDARD".equals(s.tableClass)) {
            d.put("TableClassSummary", Struct.of("TableClass", s.tableClass));
        }
        if (s.onDemandThroughput != null) {
            d.put("OnDemandThroughput", s.onDemandThroughput);
        }
        ReplicaGroup group = t.replicaGroup();
        if (group != null && ReplicaGroup.CURRENT.equals(group.version())) {
            d.put("GlobalTableVersion", group.version()).put("Replicas", GlobalTables.describeReplicas(t, regionOf(t)));
        }
        d.put("DeletionProtectionEnabled", s.deletionProtection);
        return d;
    }

    static Struct throughput(Struct given) {
        long read = given == null ? 0 : given.longValue("ReadCapacityUnits");
        long write = given == null ? 0 : given.longValue("WriteCapacityUnits");
        return Struct.of("NumberOfDecreasesToday", 0L, "ReadCapacityUnits", read, "WriteCapacityUnits", write);
    }

    static String regionOf(Table t) { return t.arn().split(":")[3]; }

    static String accountOf(Table t) { return t.arn().split(":")[4]; }
}
