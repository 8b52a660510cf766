package dev.terrarium.services.dynamodb;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.util.ArrayList;
import java.util.List;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbTablesTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
    }

    @Test
    void createDescribeListDelete() {
        CreateTableResponse created = ddb.createTable(b -> b.tableName("Music")
                .attributeDefinitions(a -> a.attributeName("Artist").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("Song").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("Year").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("Artist").keyType(KeyType.HASH), k -> k.attributeName("Song").keyType(KeyType.RANGE))
                .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L))
                .localSecondaryIndexes(l -> l.indexName("ByYear")
                        .keySchema(k -> k.attributeName("Artist").keyType(KeyType.HASH), k -> k.attributeName("Year").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .globalSecondaryIndexes(g -> g.indexName("BySong").keySchema(k -> k.attributeName("Song").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L)))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))
                .tags(t -> t.key("team").value("audio")));
        TableDescription d = created.tableDescription();
        assertThat(d.tableStatus()).isEqualTo(TableStatus.CREATING);
        assertThat(d.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/Music");
        assertThat(d.latestStreamArn()).startsWith(d.tableArn() + "/stream/");

        TableDescription described = ddb.describeTable(b -> b.tableName("Music")).table();
        assertThat(described.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(described.keySchema()).hasSize(2);
        assertThat(described.provisionedThroughput().readCapacityUnits()).isEqualTo(5L);
        assertThat(described.localSecondaryIndexes().get(0).indexName()).isEqualTo("ByYear");
        assertThat(described.globalSecondaryIndexes().get(0).indexStatusAsString()).isEqualTo("ACTIVE");
        assertThat(described.itemCount()).isZero();
        ddb.waiter().waitUntilTableExists(b -> b.tableName("Music"));

        assertThat(ddb.listTagsOfResource(b -> b.resourceArn(d.tableArn())).tags()).singleElement()
                .satisfies(t -> assertThat(t.value()).isEqualTo("audio"));
        assertThat(ddb.listTables().tableNames()).containsExactly("Music");
        assertThat(ddb.deleteTable(b -> b.tableName("Music")).tableDescription().tableStatus()).isEqualTo(TableStatus.DELETING);
        assertThat(ddb.listTables().tableNames()).isEmpty();
    }

    @Test
    void tableErrorsAreAws() {
        createTable(ddb, "T", null);
        fails(() -> createTable(ddb, "T", null), "ResourceInUseException", "Table already exists: T");
        fails(() -> ddb.describeTable(b -> b.tableName("Nope")), "ResourceNotFoundException",
                "Requested resource not found: Table: Nope not found");
        fails(() -> ddb.deleteTable(b -> b.tableName("Nope")), "ResourceNotFoundException",
                "Requested resource not found: Table: Nope not found");
        fails(() -> ddb.getItem(b -> b.tableName("Nope").key(java.util.Map.of("pk", s("a")))), "ResourceNotFoundException",
                "Requested resource not found");
        fails(() -> ddb.createTable(b -> b.tableName("Bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("extra").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))),
                "ValidationException", "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                        + "match number of attributes defined in AttributeDefinitions");
        fails(() -> ddb.createTable(b -> b.tableName("Bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.RANGE))),
                "ValidationException", "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        fails(() -> ddb.createTable(b -> b.tableName("Bad")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))),
                "ValidationException", "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                        + "specified when BillingMode is PROVISIONED");
        fails(() -> ddb.createTable(b -> b.tableName("Bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))),
                "ValidationException", "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                        + "specified when BillingMode is PAY_PER_REQUEST");
        fails(() -> ddb.createTable(b -> b.tableName("Bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))),
                "ValidationException", "Attribute Name is duplicated: pk");
        fails(() -> ddb.createTable(b -> b.tableName("Bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .globalSecondaryIndexes(g -> g.indexName("byG").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.INCLUDE)))),
                "ValidationException", "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        fails(() -> ddb.createTable(b -> b.tableName("Bad").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .globalSecondaryIndexes(g -> g.indexName("byG").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("x", "x")))),
                "ValidationException", "One or more parameter values were invalid: Duplicate element in NonKeyAttributes: x");
        String arn = ddb.describeTable(b -> b.tableName("T")).table().tableArn();
        org.assertj.core.api.Assertions.assertThat(ddb.describeTable(b -> b.tableName(arn)).table().tableName()).isEqualTo("T");
    }

    @Test
    void listTablesPages() {
        for (int i = 0; i < 5; i++) {
            createTable(ddb, "table" + i, null);
        }
        List<String> names = new ArrayList<>();
        String start = null;
        int pages = 0;
        do {
            String from = start;
            ListTablesResponse page = ddb.listTables(b -> b.limit(2).exclusiveStartTableName(from));
            names.addAll(page.tableNames());
            start = page.lastEvaluatedTableName();
            pages++;
        } while (start != null);
        assertThat(names).containsExactly("table0", "table1", "table2", "table3", "table4");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void updateTableTtlTagsAndLimits() {
        createTable(ddb, "T", null);
        TableDescription updated = ddb.updateTable(b -> b.tableName("T").billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(3L).writeCapacityUnits(4L))
                .deletionProtectionEnabled(true)).tableDescription();
        assertThat(updated.provisionedThroughput().writeCapacityUnits()).isEqualTo(4L);
        assertThat(updated.deletionProtectionEnabled()).isTrue();
        fails(() -> ddb.deleteTable(b -> b.tableName("T")), "ValidationException",
                "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        fails(() -> ddb.updateTable(b -> b.tableName("T")), "ValidationException",
                "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
                        + "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
                        + "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required");

        assertThat(ddb.describeTimeToLive(b -> b.tableName("T")).timeToLiveDescription().timeToLiveStatus())
                .isEqualTo(TimeToLiveStatus.DISABLED);
        ddb.updateTimeToLive(b -> b.tableName("T").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        assertThat(ddb.describeTimeToLive(b -> b.tableName("T")).timeToLiveDescription().attributeName()).isEqualTo("expires");
        fails(() -> ddb.updateTimeToLive(b -> b.tableName("T").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires"))),
                "ValidationException", "TimeToLive is already enabled");
        fails(() -> ddb.updateTimeToLive(b -> b.tableName("T").timeToLiveSpecification(t -> t.enabled(true).attributeName("other"))),
                "ValidationException", "TimeToLive is active on a different AttributeName: current AttributeName is expires");

        String arn = updated.tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("a").value("1"), t -> t.key("b").value("2")));
        ddb.untagResource(b -> b.resourceArn(arn).tagKeys("a"));
        assertThat(ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags()).extracting(t -> t.key()).containsExactly("b");
        fails(() -> ddb.listTagsOfResource(b -> b.resourceArn(arn + "x")), "ResourceNotFoundException",
                "Requested resource not found: ResourcArn: " + arn + "x not found");

        assertThat(ddb.describeLimits().tableMaxReadCapacityUnits()).isEqualTo(40000L);
        assertThat(ddb.describeEndpoints().endpoints().get(0).address()).isEqualTo("dynamodb.us-east-1.amazonaws.com");
    }

    @Test
    void streamIndexAndKinesisErrorsAreAws() {
        fails(() -> ddb.createTable(b -> b.tableName("S").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)).streamSpecification(x -> x.streamEnabled(true))),
                "ValidationException", "One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required");
        fails(() -> ddb.createTable(b -> b.tableName("S").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .streamSpecification(x -> x.streamEnabled(false).streamViewType(StreamViewType.KEYS_ONLY))),
                "ValidationException", "One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified");
        createTable(ddb, "S", null);
        fails(() -> ddb.updateTable(b -> b.tableName("S").streamSpecification(x -> x.streamEnabled(false))),
                "ValidationException", "Table has no stream to disable: TableName: S");
        fails(() -> ddb.updateTable(b -> b.tableName("S").streamSpecification(x -> x.streamEnabled(true))),
                "ValidationException", "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required");
        ddb.updateTable(b -> b.tableName("S").streamSpecification(x -> x.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        fails(() -> ddb.updateTable(b -> b.tableName("S").streamSpecification(x -> x.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))),
                "ValidationException", "Table already has an enabled stream: TableName: S");
        fails(() -> ddb.updateTable(b -> b.tableName("S").streamSpecification(x -> x.streamEnabled(false).streamViewType(StreamViewType.KEYS_ONLY))),
                "ValidationException", "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified");

        ddb.updateTable(b -> b.tableName("S").attributeDefinitions(a -> a.attributeName("v").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byV").keySchema(k -> k.attributeName("v").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL)))));
        fails(() -> ddb.updateTable(b -> b.tableName("S").attributeDefinitions(a -> a.attributeName("v").attributeType(ScalarAttributeType.S))
                        .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byV").keySchema(k -> k.attributeName("v").keyType(KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.ALL))))),
                "ValidationException", "Attempting to create an index which already exists");

        fails(() -> ddb.disableKinesisStreamingDestination(b -> b.tableName("S").streamArn("arn:aws:kinesis:us-east-1:000000000000:stream/k")),
                "ValidationException", "Table is not in a valid state to enable Kinesis Streaming Destination: "
                        + "KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.");
        fails(() -> ddb.updateKinesisStreamingDestination(b -> b.tableName("S").streamArn("arn:aws:kinesis:us-east-1:000000000000:stream/k")
                        .updateKinesisStreamingConfiguration(c -> c.approximateCreationDateTimePrecision("MICROSECOND"))),
                "ValidationException", "Table is not in a valid state to enable Kinesis Streaming Destination: Kinesis streaming is not in "
                        + "ACTIVE state. Updates are only allowed in ACTIVE state. TableName: S, kdsArn: arn:aws:kinesis:us-east-1:000000000000:stream/k");
        String arn = ddb.describeTable(b -> b.tableName("S")).table().tableArn();
        fails(() -> ddb.putResourcePolicy(b -> b.resourceArn(arn).policy("{not json")),
                "ValidationException", "One or more parameter values were invalid: Invalid policy document: This policy contains invalid Json");
        fails(() -> ddb.createTable(b -> b.tableName("P").billingMode(BillingMode.PROVISIONED)
                        .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L))
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("g").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .globalSecondaryIndexes(g -> g.indexName("byG").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.ALL)))),
                "ValidationException", "One or more parameter values were invalid: ProvisionedThroughput is not specified for index: byG");
    }

    @Test
    void backupsPitrAndPolicies() {
        createTable(ddb, "Src", null);
        ddb.putItem(b -> b.tableName("Src").item(java.util.Map.of("pk", s("a"))));
        String backup = ddb.createBackup(b -> b.tableName("Src").backupName("nightly")).backupDetails().backupArn();
        assertThat(ddb.listBackups(b -> b.tableName("Src")).backupSummaries()).hasSize(1);
        ddb.restoreTableFromBackup(b -> b.backupArn(backup).targetTableName("Copy"));
        assertThat(ddb.getItem(b -> b.tableName("Copy").key(java.util.Map.of("pk", s("a")))).hasItem()).isTrue();
        ddb.deleteBackup(b -> b.backupArn(backup));
        fails(() -> ddb.describeBackup(b -> b.backupArn(backup)), "BackupNotFoundException", "Backup not found: " + backup);

        fails(() -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Src").targetTableName("Pitr").useLatestRestorableTime(true)),
                "PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'Src'");
        ddb.updateContinuousBackups(b -> b.tableName("Src").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        assertThat(ddb.describeContinuousBackups(b -> b.tableName("Src")).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("ENABLED");
        ddb.restoreTableToPointInTime(b -> b.sourceTableName("Src").targetTableName("Pitr").useLatestRestorableTime(true));
        assertThat(ddb.scan(b -> b.tableName("Pitr")).count()).isEqualTo(1);

        String arn = ddb.describeTable(b -> b.tableName("Src")).table().tableArn();
        fails(() -> ddb.getResourcePolicy(b -> b.resourceArn(arn)), "PolicyNotFoundException",
                "Resource-based policy not found for the provided ResourceArn: " + arn);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        String revision = ddb.putResourcePolicy(b -> b.resourceArn(arn).policy(policy)).revisionId();
        assertThat(ddb.getResourcePolicy(b -> b.resourceArn(arn)).policy()).isEqualTo(policy);
        assertThat(ddb.getResourcePolicy(b -> b.resourceArn(arn)).revisionId()).isEqualTo(revision);
        ddb.deleteResourcePolicy(b -> b.resourceArn(arn));
    }
}
