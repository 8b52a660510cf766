package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Daemons;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Amazon DynamoDB: tables, items, queries, batches and transactions. */
@Service(value = "dynamodb", groups = {GlobalTables.class, ExportsAndImports.class})
public final class DynamoDbService implements AwsService, dev.terrarium.core.iam.IamResourceProvider {
    private final DynamoDbState state;
    private final Tables tables;
    private final ControlPlane control;
    private final Batches batches;
    private final Transactions transactions;
    private final Partiql partiql;
    private final GlobalTables globalTables;
    private final ExportsAndImports exportsAndImports;

    public DynamoDbService(ServiceContext context) {
        this.state = DynamoDbState.of(context);
        this.tables = state.tables();
        this.control = new ControlPlane(state, context.clock());
        this.batches = new Batches(tables);
        this.transactions = new Transactions(tables, state.tokens());
        this.partiql = new Partiql(tables, transactions);
        this.globalTables = new GlobalTables(state, context.clock());
        this.exportsAndImports = new ExportsAndImports(tables, control, context.clock(), context.peers());
        this.advances = context.clock().onAdvance(state::expireItemsNow);
        if (!context.clock().isVirtual()) {
            ttlTimer = Daemons.scheduled("terrarium-dynamodb-ttl");
            ttlTimer.scheduleWithFixedDelay(this::expireQuietly, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private final AutoCloseable advances;

    /** The table a call names, by name or ARN. */
    @Override
    public String resourceArn(Call call, Struct in) {
        String table = in.string("TableName");
        if (table == null) {
            return null;
        }
        return table.startsWith("arn:") ? table : "arn:aws:dynamodb:" + call.region() + ":" + call.account() + ":table/" + table;
    }
    private java.util.concurrent.ScheduledExecutorService ttlTimer;

    private void expireQuietly() {
        try {
            state.expireItems();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DynamoDbService.class).debug("TTL sweep failed", e);
        }
    }

    DynamoDbState state() { return state; }

    @Override
    public List<Object> operationGroups() {
        return List.of(globalTables, exportsAndImports);
    }

    @Override
    public void close() {
        if (ttlTimer != null) {
            ttlTimer.shutdownNow();
        }
        try {
            advances.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(DynamoDbService.class).debug("clock listener close failed", e);
        }
    }

    @Override
    public void reset() {
        state.reset();
        exportsAndImports.clear();
    }

    /** Expired items are removed before any call sees them, as a TTL sweep on the core clock. */
    private Table table(Call call, String name) {
        state.expireItems();
        return tables.require(call.account(), call.region(), name);
    }

    // ---- tables

    @AwsOperation("CreateTable")
    public Struct createTable(Call call, Struct in) {
        return Struct.of("TableDescription", control.createTable(call, in));
    }

    @AwsOperation("DescribeTable")
    public Struct describeTable(Call call, Struct in) {
        Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
        return Struct.of("Table", TableDescriptions.describe(t, "ACTIVE"));
    }

    @AwsOperation("ListTables")
    public Struct listTables(Call call, Struct in) {
        return control.listTables(call, in.string("ExclusiveStartTableName"), in.integer("Limit", 100));
    }

    @AwsOperation("DeleteTable")
    public Struct deleteTable(Call call, Struct in) {
        return Struct.of("TableDescription", control.deleteTable(call, in.string("TableName")));
    }

    /** What may accompany ReplicaUpdates: AWS refuses replica changes mixed with other table changes. */
    private static final java.util.Set<String> REPLICA_UPDATE_MEMBERS =
            java.util.Set.of("TableName", "ReplicaUpdates", "MultiRegionConsistency");

    @AwsOperation("UpdateTable")
    public Struct updateTable(Call call, Struct in) {
        if (in.has("ReplicaUpdates") && in.asMap().keySet().stream().anyMatch(m -> !REPLICA_UPDATE_MEMBERS.contains(m))) {
            throw Errors.validation("Replica modification must be the only operation in the request");
        }
        Struct description = control.updateTable(call, in);
        if (in.has("GlobalSecondaryIndexUpdates") || in.has("AttributeDefinitions")) {
            GlobalTables.propagateIndexUpdates(tables.describe(call.account(), call.region(), in.string("TableName")), in);
        }
        if (in.has("ReplicaUpdates")) {
            Table t = tables.describe(call.account(), call.region(), in.string("TableName"));
            globalTables.replicaUpdates(call, t, in.structs("ReplicaUpdates"), "STRONG".equals(in.string("MultiRegionConsistency")));
            description = TableDescriptions.describe(t, "UPDATING");
        }
        return Struct.of("TableDescription", description);
    }

    @AwsOperation("DescribeLimits")
    public Struct describeLimits(Call call, Struct in) {
        return Struct.of("AccountMaxReadCapacityUnits", 80000L, "AccountMaxWriteCapacityUnits", 80000L,
                "TableMaxReadCapacityUnits", 40000L, "TableMaxWriteCapacityUnits", 40000L);
    }

    @AwsOperation("DescribeEndpoints")
    public Struct describeEndpoints(Call call, Struct in) {
        return Struct.of("Endpoints", List.of(Struct.of("Address", "dynamodb." + call.region() + ".amazonaws.com",
                "CachePeriodInMinutes", 1440L)));
    }

    // ---- tags, TTL, backups, policies and other table settings

    @AwsOperation("TagResource")
    public Struct tagResource(Call call, Struct in) {
        control.tableOfArn(call, in.string("ResourceArn")).settings().tags
                .put(dev.terrarium.core.service.Tags.fromList(in.structs("Tags"), "Key", "Value"), "ValidationException");
        return null;
    }

    @AwsOperation("UntagResource")
    public Struct untagResource(Call call, Struct in) {
        control.tableOfArn(call, in.string("ResourceArn")).settings().tags.remove(in.strings("TagKeys"));
        return null;
    }

    @AwsOperation("ListTagsOfResource")
    public Struct listTagsOfResource(Call call, Struct in) {
        Table t = control.tableOfArn(call, in.string("ResourceArn"));
        return Struct.of("Tags", dev.terrarium.core.service.Tags.toList(t.settings().tags.asMap(), "Key", "Value"));
    }

    @AwsOperation("UpdateTimeToLive")
    public Struct updateTimeToLive(Call call, Struct in) {
        Struct specification = control.updateTimeToLive(call, in);
        GlobalTables.propagateTimeToLive(tables.describe(call.account(), call.region(), in.string("TableName")));
        return Struct.of("TimeToLiveSpecification", specification);
    }

    @AwsOperation("DescribeTimeToLive")
    public Struct describeTimeToLive(Call call, Struct in) {
        return Struct.of("TimeToLiveDescription", control.describeTimeToLive(call, in.string("TableName")));
    }

    @AwsOperation("DescribeContinuousBackups")
    public Struct describeContinuousBackups(Call call, Struct in) {
        return Struct.of("ContinuousBackupsDescription", control.continuousBackups(call, in.string("TableName")));
    }

    @AwsOperation("UpdateContinuousBackups")
    public Struct updateContinuousBackups(Call call, Struct in) {
        return Struct.of("ContinuousBackupsDescription", control.updateContinuousBackups(call, in));
    }

    @AwsOperation("CreateBackup")
    public Struct createBackup(Call call, Struct in) {
        return Struct.of("BackupDetails", control.createBackup(call, in.string("TableName"), in.string("BackupName")));
    }

    @AwsOperation("DescribeBackup")
    public Struct describeBackup(Call call, Struct in) {
        return Struct.of("BackupDescription", control.describeBackup(in.string("BackupArn")));
    }

    @AwsOperation("ListBackups")
    public Struct listBackups(Call call, Struct in) {
        return control.listBackups(call, in);
    }

    @AwsOperation("DeleteBackup")
    public Struct deleteBackup(Call call, Struct in) {
        return Struct.of("BackupDescription", control.deleteBackup(in.string("BackupArn")));
    }

    @AwsOperation("RestoreTableFromBackup")
    public Struct restoreTableFromBackup(Call call, Struct in) {
        return Struct.of("TableDescription", control.restoreFromBackup(call, in));
    }

    @AwsOperation("RestoreTableToPointInTime")
    public Struct restoreTableToPointInTime(Call call, Struct in) {
        return Struct.of("TableDescription", control.restoreToPointInTime(call, in));
    }

    @AwsOperation("PutResourcePolicy")
    public Struct putResourcePolicy(Call call, Struct in) {
        return control.putResourcePolicy(call, in);
    }

    @AwsOperation("GetResourcePolicy")
    public Struct getResourcePolicy(Call call, Struct in) {
        return control.getResourcePolicy(call, in.string("ResourceArn"));
    }

    @AwsOperation("DeleteResourcePolicy")
    public Struct deleteResourcePolicy(Call call, Struct in) {
        return control.deleteResourcePolicy(call, in);
    }

    @AwsOperation("DescribeContributorInsights")
    public Struct describeContributorInsights(Call call, Struct in) {
        return control.describeContributorInsights(call, in.string("TableName"), in.string("IndexName"));
    }

    @AwsOperation("UpdateContributorInsights")
    public Struct updateContributorInsights(Call call, Struct in) {
        return control.updateContributorInsights(call, in);
    }

    @AwsOperation("ListContributorInsights")
    public Struct listContributorInsights(Call call, Struct in) {
        return control.listContributorInsights(call, in.string("TableName"));
    }

    @AwsOperation("EnableKinesisStreamingDestination")
    public Struct enableKinesisStreamingDestination(Call call, Struct in) {
        return control.kinesisDestination(call, in, "ACTIVE");
    }

    @AwsOperation("DisableKinesisStreamingDestination")
    public Struct disableKinesisStreamingDestination(Call call, Struct in) {
        return control.kinesisDestination(call, in, "DISABLED");
    }

    @AwsOperation("UpdateKinesisStreamingDestination")
    public Struct updateKinesisStreamingDestination(Call call, Struct in) {
        return control.updateKinesisDestination(call, in);
    }

    @AwsOperation("DescribeKinesisStreamingDestination")
    public Struct describeKinesisStreamingDestination(Call call, Struct in) {
        return control.describeKinesisDestinations(call, in.string("TableName"));
    }

    // ---- items

    @AwsOperation("PutItem")
    public Struct putItem(Call call, Struct in) {
        ItemWrites.checkReturnValues(in.string("ReturnValues"), "NONE", "ALL_OLD");
        RequestExpressions expressions = RequestExpressions.parse(in);
        Table table = table(call, in.string("TableName"));
        Item item = ItemWrites.newItem(table, in.map("Item"));
        PrimaryKey key = table.schema().keyOfItem(item.attributes());
        Table.Change change = table.write(key, ItemWrites.put(item, expressions, ItemWrites.returnOldOnFailure(in)), null);
        return writeOutput(in, table, key, change, null);
    }

    @AwsOperation("GetItem")
    public Struct getItem(Call call, Struct in) {
        RequestExpressions expressions = RequestExpressions.parse(in);
        Table table = table(call, in.string("TableName"));
        PrimaryKey key = table.schema().keyOf(AttributeValues.fromWire(in.map("Key")));
        Item item = table.get(key);
        boolean consistent = in.bool("ConsistentRead", false);
        Capacity capacity = new Capacity(table.name(), true)
                .addTable(Capacity.readUnits(item == null ? 0 : item.size(), consistent));
        return Struct.of("Item", item == null ? null : Responses.project(item, expressions.projection()),
                "ConsumedCapacity", capacity.report(in.string("ReturnConsumedCapacity")));
    }

    @AwsOperation("UpdateItem")
    public Struct updateItem(Call call, Struct in) {
        RequestExpressions expressions = RequestExpressions.parse(in);
        Table table = table(call, in.string("TableName"));
        PrimaryKey key = table.schema().keyOf(AttributeValues.fromWire(in.map("Key")));
        Table.Change change = table.write(key,
                ItemWrites.update(table, key, expressions, ItemWrites.returnOldOnFailure(in)), null);
        return writeOutput(in, table, key, change, expressions);
    }

    @AwsOperation("DeleteItem")
    public Struct deleteItem(Call call, Struct in) {
        ItemWrites.checkReturnValues(in.string("ReturnValues"), "NONE", "ALL_OLD");
        RequestExpressions expressions = RequestExpressions.parse(in);
        Table table = table(call, in.string("TableName"));
        PrimaryKey key = table.schema().keyOf(AttributeValues.fromWire(in.map("Key")));
        Table.Change change = table.write(key, ItemWrites.delete(expressions, ItemWrites.returnOldOnFailure(in)), null);
        return writeOutput(in, table, key, change, null);
    }

    private Struct writeOutput(Struct in, Table table, PrimaryKey key, Table.Change change, RequestExpressions expressions) {
        long size = Math.max(change.before() == null ? 0 : change.before().size(), change.after() == null ? 0 : change.after().size());
        Capacity capacity = new Capacity(table.name(), false).addTable(Capacity.writeUnits(size)).addIndexWrites(table, change, 1);
        return Struct.of(
                "Attributes", ItemWrites.returnValues(in.string("ReturnValues"), change,
                        expressions == null ? null : expressions.update()),
                "ConsumedCapacity", capacity.report(in.string("ReturnConsumedCapacity")),
                "ItemCollectionMetrics", Responses.itemCollectionMetrics(in, table, key));
    }

    // ---- queries

    @AwsOperation("Query")
    public Struct query(Call call, Struct in) {
        RequestExpressions expressions = RequestExpressions.parse(in);
        Table table = table(call, in.string("TableName"));
        ItemReads.Source source = Responses.source(table, in);
        KeyCondition key = KeyCondition.of(expressions.keyCondition(), source.schema());
        ItemReads.Page page = ItemReads.query(source, key, in.bool("ScanIndexForward", true), in.integer("Limit"),
                AttributeValues.fromWire(in.map("ExclusiveStartKey")), expressions.filter());
        return Responses.page(in, source, page, expressions.projection());
    }

    @AwsOperation("Scan")
    public Struct scan(Call call, Struct in) {
        RequestExpressions expressions = RequestExpressions.parse(in);
        Table table = table(call, in.string("TableName"));
        ItemReads.Source source = Responses.source(table, in);
        Integer segment = in.integer("Segment");
        Integer total = in.integer("TotalSegments");
        Responses.checkSegments(segment, total);
        ItemReads.Page page = ItemReads.scan(source, in.integer("Limit"), AttributeValues.fromWire(in.map("ExclusiveStartKey")),
                expressions.filter(), segment, total);
        return Responses.page(in, source, page, expressions.projection());
    }

    // ---- batches and transactions

    @AwsOperation("BatchGetItem")
    public Struct batchGetItem(Call call, Struct in) {
        state.expireItems();
        return batches.get(call, in);
    }

    @AwsOperation("BatchWriteItem")
    public Struct batchWriteItem(Call call, Struct in) {
        state.expireItems();
        return batches.write(call, in);
    }

    @AwsOperation("TransactGetItems")
    public Struct transactGetItems(Call call, Struct in) {
        state.expireItems();
        return transactions.get(call, in);
    }

    @AwsOperation("TransactWriteItems")
    public Struct transactWriteItems(Call call, Struct in) {
        state.expireItems();
        return transactions.write(call, in);
    }


    // ---- PartiQL

    @AwsOperation("ExecuteStatement")
    public Struct executeStatement(Call call, Struct in) {
        state.expireItems();
        return partiql.execute(call, in);
    }

    @AwsOperation("BatchExecuteStatement")
    public Struct batchExecuteStatement(Call call, Struct in) {
        state.expireItems();
        return partiql.batch(call, in);
    }

    @AwsOperation("ExecuteTransaction")
    public Struct executeTransaction(Call call, Struct in) {
        state.expireItems();
        return partiql.transaction(call, in);
    }
}
