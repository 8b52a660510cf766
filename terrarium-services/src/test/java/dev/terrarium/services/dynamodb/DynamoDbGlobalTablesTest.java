package dev.terrarium.services.dynamodb;

import dev.terrarium.core.testing.TerrariumExtension;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalTableDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

import java.util.Map;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbGlobalTablesTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static DynamoDbClient east;
    private static DynamoDbClient west;
    private static DynamoDbStreamsClient westStreams;

    @BeforeAll
    static void start() {
        east = terrarium.client(DynamoDbClient::builder);
        west = terrarium.track(DynamoDbClient.builder().endpointOverride(terrarium.testServer().endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(TestServer.TEST_CREDENTIALS))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build());
        westStreams = terrarium.track(DynamoDbStreamsClient.builder().endpointOverride(terrarium.testServer().endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(TestServer.TEST_CREDENTIALS))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build());
    }

    private static Map<String, AttributeValue> key(String pk) { return Map.of("pk", s(pk)); }

    @Test
    void replicaUpdatesMakeAReplicaInAnotherRegionAndWritesReplicateBothWays() {
        createTable(east, "G", null);
        east.putItem(b -> b.tableName("G").item(Map.of("pk", s("before"), "v", n("1"))));
        TableDescription updated = east.updateTable(b -> b.tableName("G")
                .replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1")))).tableDescription();
        assertThat(updated.globalTableVersion()).isEqualTo("2019.11.21");
        assertThat(updated.replicas()).extracting(ReplicaDescription::regionName).containsExactly("eu-west-1");
        assertThat(updated.streamSpecification().streamViewTypeAsString()).isEqualTo("NEW_AND_OLD_IMAGES");

        TableDescription replica = west.describeTable(b -> b.tableName("G")).table();
        assertThat(replica.tableArn()).isEqualTo("arn:aws:dynamodb:eu-west-1:000000000000:table/G");
        assertThat(replica.replicas()).extracting(ReplicaDescription::regionName).containsExactly("us-east-1");
        assertThat(west.listTables().tableNames()).containsExactly("G");
        assertThat(west.getItem(b -> b.tableName("G").key(key("before"))).item()).containsEntry("v", n("1"));

        east.putItem(b -> b.tableName("G").item(Map.of("pk", s("e"), "v", n("2"))));
        assertThat(west.getItem(b -> b.tableName("G").key(key("e"))).item()).containsEntry("v", n("2"));
        west.updateItem(b -> b.tableName("G").key(key("e")).updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", n("3"))));
        assertThat(east.getItem(b -> b.tableName("G").key(key("e"))).item()).containsEntry("v", n("3"));
        west.deleteItem(b -> b.tableName("G").key(key("before")));
        assertThat(east.getItem(b -> b.tableName("G").key(key("before"))).hasItem()).isFalse();
        east.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(p -> p.tableName("G").item(key("tx"))).build()));
        east.batchWriteItem(b -> b.requestItems(Map.of("G", java.util.List.of(
                software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(key("batch"))).build()))));
        assertThat(west.scan(b -> b.tableName("G")).items()).extracting(i -> i.get("pk").s())
                .containsExactlyInAnyOrder("e", "tx", "batch");

        String westStream = replica.latestStreamArn();
        String shard = westStreams.describeStream(b -> b.streamArn(westStream)).streamDescription().shards().get(0).shardId();
        String it = westStreams.getShardIterator(b -> b.streamArn(westStream).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThat(westStreams.getRecords(b -> b.shardIterator(it)).records()).as("replicated writes are in the replica's stream")
                .hasSizeGreaterThanOrEqualTo(5);

        east.updateTable(b -> b.tableName("G").attributeDefinitions(a -> a.attributeName("v").attributeType(ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byV").keySchema(k -> k.attributeName("v").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType("ALL")))));
        assertThat(west.query(b -> b.tableName("G").indexName("byV").keyConditionExpression("v = :v")
                .expressionAttributeValues(Map.of(":v", n("3")))).items()).as("the index exists in the replica, backfilled")
                .extracting(i -> i.get("pk").s()).containsExactly("e");
        east.updateTimeToLive(b -> b.tableName("G").timeToLiveSpecification(t -> t.enabled(true).attributeName("exp")));
        assertThat(west.describeTimeToLive(b -> b.tableName("G")).timeToLiveDescription().attributeName()).isEqualTo("exp");

        fails(() -> east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1")))),
                "ValidationException", "Failed to create a the new replica of table with name: \u2018G\u2019 because one or more replicas already existed as tables.");
        fails(() -> east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.delete(c -> c.regionName("ap-south-1")))),
                "ValidationException", "Update global table operation failed because one or more replicas were not part of the global table. "
                        + "Please retry the request without these replicas: [ap-south-1].");
        fails(() -> east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.update(c -> c.regionName("ap-south-1")))),
                "ValidationException", "Update global table operation failed because one or more replicas were not part of the global table. "
                        + "Please retry the request without these replicas: [ap-south-1].");
        for (String local : new String[] {"create", "delete"}) {
            fails(() -> east.updateTable(b -> b.tableName("G").replicaUpdates(u -> {
                if (local.equals("create")) {
                    u.create(c -> c.regionName("us-east-1"));
                } else {
                    u.delete(c -> c.regionName("us-east-1"));
                }
            })), "ValidationException", "Cannot add, delete, or update the local region through ReplicaUpdates. "
                    + "Use CreateTable, DeleteTable, or UpdateTable as required.");
        }
        fails(() -> east.updateTable(b -> b.tableName("G").replicaUpdates(u -> { })),
                "ValidationException", "There are no actions specified in the Replica Update Action of the request.");
        fails(() -> east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.create(c -> c.regionName("ap-south-1")),
                        u -> u.create(c -> c.regionName("us-west-2")))),
                "ValidationException", "Update table operation with more than one create or delete replica actions not allowed");
        fails(() -> east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.create(c -> c.regionName("ap-south-1"))
                        .delete(c -> c.regionName("eu-west-1")))),
                "ValidationException", "Update table operation with more than one type of replica actions not allowed.");
        fails(() -> east.updateTable(b -> b.tableName("G").deletionProtectionEnabled(true)
                        .replicaUpdates(u -> u.delete(c -> c.regionName("eu-west-1")))),
                "ValidationException", "Replica modification must be the only operation in the request");
        assertThat(east.describeTable(b -> b.tableName("G")).table().deletionProtectionEnabled())
                .as("nothing of a refused request applied").isFalse();

        east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.delete(c -> c.regionName("eu-west-1"))));
        assertThat(west.listTables().tableNames()).isEmpty();
        assertThat(east.describeTable(b -> b.tableName("G")).table().globalTableVersion()).isNull();
        east.putItem(b -> b.tableName("G").item(key("alone")));
    }

    @Test
    void aReplicaCannotReplaceATableOfItsRegion() {
        createTable(east, "G", null);
        createTable(west, "G", null);
        fails(() -> east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1")))),
                "ValidationException", "Failed to create a the new replica of table with name: \u2018G\u2019 because one or more replicas already existed as tables.");
        west.deleteTable(b -> b.tableName("G"));
        east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1"))));
        west.deleteTable(b -> b.tableName("G"));
        assertThat(east.describeTable(b -> b.tableName("G")).table().replicas()).as("deleting the replica's table leaves the group").isEmpty();
    }

    @Test
    void replicaAutoScalingSettingsAreKept() {
        createTable(east, "G", null);
        east.updateTable(b -> b.tableName("G").replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1"))));
        var d = east.updateTableReplicaAutoScaling(b -> b.tableName("G")
                .provisionedWriteCapacityAutoScalingUpdate(w -> w.minimumUnits(5L).maximumUnits(50L)
                        .scalingPolicyUpdate(p -> p.policyName("w").targetTrackingScalingPolicyConfiguration(t -> t.targetValue(70.0))))
                .replicaUpdates(r -> r.regionName("eu-west-1").replicaProvisionedReadCapacityAutoScalingUpdate(u -> u.minimumUnits(1L).maximumUnits(10L))))
                .tableAutoScalingDescription();
        assertThat(d.replicas()).hasSize(2);
        var westReplica = east.describeTableReplicaAutoScaling(b -> b.tableName("G")).tableAutoScalingDescription().replicas().stream()
                .filter(r -> r.regionName().equals("eu-west-1")).findFirst().orElseThrow();
        assertThat(westReplica.replicaProvisionedReadCapacityAutoScalingSettings().maximumUnits()).isEqualTo(10L);
        assertThat(westReplica.replicaProvisionedWriteCapacityAutoScalingSettings().scalingPolicies().get(0)
                .targetTrackingScalingPolicyConfiguration().targetValue()).isEqualTo(70.0);
        fails(() -> east.describeTableReplicaAutoScaling(b -> b.tableName("Nope")), "ResourceNotFoundException",
                "Requested resource not found: Table: Nope not found");
        createTable(east, "Regional", null);
        fails(() -> east.describeTableReplicaAutoScaling(b -> b.tableName("Regional")), "ResourceNotFoundException",
                "Global table with name: Regional does not exist.");
    }

    private static void streamTable(DynamoDbClient ddb) {
        ddb.createTable(b -> b.tableName("Leg").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .streamSpecification(sp -> sp.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
    }

    @Test
    void legacyGlobalTablesJoinTablesOfEachRegion() {
        streamTable(east);
        fails(() -> east.createGlobalTable(b -> b.globalTableName("Leg").replicationGroup(r -> r.regionName("us-east-1"), r -> r.regionName("eu-west-1"))),
                "TableNotFoundException", "Table not found: Leg in region eu-west-1");
        streamTable(west);
        GlobalTableDescription created = east.createGlobalTable(b -> b.globalTableName("Leg")
                .replicationGroup(r -> r.regionName("us-east-1"), r -> r.regionName("eu-west-1"))).globalTableDescription();
        assertThat(created.globalTableArn()).isEqualTo("arn:aws:dynamodb::000000000000:global-table/Leg");
        assertThat(created.replicationGroup()).hasSize(2);
        fails(() -> east.createGlobalTable(b -> b.globalTableName("Leg").replicationGroup(r -> r.regionName("us-east-1"))),
                "GlobalTableAlreadyExistsException", "Global table with this name already exists");

        west.putItem(b -> b.tableName("Leg").item(key("w")));
        assertThat(east.getItem(b -> b.tableName("Leg").key(key("w"))).hasItem()).isTrue();
        assertThat(east.describeGlobalTable(b -> b.globalTableName("Leg")).globalTableDescription().globalTableStatusAsString()).isEqualTo("ACTIVE");
        assertThat(east.listGlobalTables(b -> b.regionName("eu-west-1")).globalTables()).extracting(g -> g.globalTableName()).containsExactly("Leg");
        assertThat(east.listGlobalTables(b -> b.regionName("ap-south-1")).globalTables()).isEmpty();

        var settings = east.updateGlobalTableSettings(b -> b.globalTableName("Leg").globalTableBillingMode("PROVISIONED")
                .globalTableProvisionedWriteCapacityUnits(7L)
                .replicaSettingsUpdate(r -> r.regionName("eu-west-1").replicaProvisionedReadCapacityUnits(3L)));
        assertThat(settings.replicaSettings()).hasSize(2);
        var westSettings = east.describeGlobalTableSettings(b -> b.globalTableName("Leg")).replicaSettings().stream()
                .filter(r -> r.regionName().equals("eu-west-1")).findFirst().orElseThrow();
        assertThat(westSettings.replicaProvisionedReadCapacityUnits()).isEqualTo(3L);
        assertThat(westSettings.replicaProvisionedWriteCapacityUnits()).isEqualTo(7L);

        fails(() -> east.updateGlobalTable(b -> b.globalTableName("Leg").replicaUpdates(u -> u.create(c -> c.regionName("eu-west-1")))),
                "ReplicaAlreadyExistsException", "Replica already exists in region eu-west-1");
        east.updateGlobalTable(b -> b.globalTableName("Leg").replicaUpdates(u -> u.delete(c -> c.regionName("eu-west-1"))));
        east.putItem(b -> b.tableName("Leg").item(key("only-east")));
        assertThat(west.getItem(b -> b.tableName("Leg").key(key("only-east"))).hasItem()).isFalse();
        fails(() -> east.updateGlobalTable(b -> b.globalTableName("Leg").replicaUpdates(u -> u.delete(c -> c.regionName("eu-west-1")))),
                "ReplicaNotFoundException", "Replica not found in region eu-west-1");
        fails(() -> east.describeGlobalTable(b -> b.globalTableName("Nope")), "GlobalTableNotFoundException",
                "Global table not found: Global table with name: 'Nope' does not exist.");
        fails(() -> east.describeGlobalTableSettings(b -> b.globalTableName("Nope")), "GlobalTableNotFoundException",
                "Global table with name: 'Nope' does not exist.");
        fails(() -> east.updateGlobalTableSettings(b -> b.globalTableName("Nope").globalTableBillingMode("PAY_PER_REQUEST")),
                "GlobalTableNotFoundException", "Global table with name: 'Nope' does not exist.");
    }
}
