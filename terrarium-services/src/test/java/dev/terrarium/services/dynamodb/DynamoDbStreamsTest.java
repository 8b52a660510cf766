package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoDbStreamsTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static DynamoDbClient ddb;
    private static DynamoDbStreamsClient streams;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
        streams = terrarium.client(DynamoDbStreamsClient::builder);
    }

    private static String createStreamTable(StreamViewType view) {
        return ddb.createTable(b -> b.tableName("Events").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(view))).tableDescription().latestStreamArn();
    }

    private static List<Record> readAll(String streamArn) {
        StreamDescription d = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription();
        String shard = d.shards().get(0).shardId();
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return streams.getRecords(b -> b.shardIterator(iterator)).records();
    }

    @Test
    void everyChangeIsARecordWithTheTablesViewType() {
        String arn = createStreamTable(StreamViewType.NEW_AND_OLD_IMAGES);
        ddb.putItem(b -> b.tableName("Events").item(Map.of("pk", s("a"), "v", n("1"))));
        ddb.updateItem(b -> b.tableName("Events").key(Map.of("pk", s("a"))).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", n("2"))));
        ddb.deleteItem(b -> b.tableName("Events").key(Map.of("pk", s("a"))));

        assertThat(streams.listStreams(b -> b.tableName("Events")).streams()).singleElement()
                .satisfies(st -> assertThat(st.streamArn()).isEqualTo(arn));
        List<Record> records = readAll(arn);
        assertThat(records).extracting(Record::eventName)
                .containsExactly(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE);
        assertThat(records.get(1).dynamodb().oldImage()).containsEntry("v", n("1"));
        assertThat(records.get(1).dynamodb().newImage()).containsEntry("v", n("2"));
        assertThat(records.get(2).dynamodb().keys()).containsEntry("pk", s("a"));
        assertThat(records.get(0).dynamodb().sequenceNumber()).isLessThan(records.get(1).dynamodb().sequenceNumber());
        assertThat(records.get(0).eventSource()).isEqualTo("aws:dynamodb");
    }

    @Test
    void iteratorsFollowNewRecordsAndKeysOnlyViewsHaveNoImages() {
        String arn = createStreamTable(StreamViewType.KEYS_ONLY);
        String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().get(0).shardId();
        String latest = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.LATEST))
                .shardIterator();
        GetRecordsResponse empty = streams.getRecords(b -> b.shardIterator(latest));
        assertThat(empty.records()).isEmpty();
        ddb.putItem(b -> b.tableName("Events").item(Map.of("pk", s("b"), "v", n("1"))));
        GetRecordsResponse next = streams.getRecords(b -> b.shardIterator(empty.nextShardIterator()));
        assertThat(next.records()).singleElement().satisfies(r -> {
            assertThat(r.dynamodb().newImage()).isEmpty();
            assertThat(r.dynamodb().keys()).containsEntry("pk", s("b"));
        });
        String seq = next.records().get(0).dynamodb().sequenceNumber();
        String after = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(seq)).shardIterator();
        assertThat(streams.getRecords(b -> b.shardIterator(after)).records()).isEmpty();

        assertThatThrownBy(() -> streams.describeStream(b -> b.streamArn(arn + "x")))
                .hasMessageContaining("Requested resource not found: Stream: " + arn + "x not found");
    }

    @Test
    void ttlDeletesExpiredItemsOnTheClockAsTheService() {
        String arn = createStreamTable(StreamViewType.OLD_IMAGE);
        ddb.updateTimeToLive(b -> b.tableName("Events").timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        long now = terrarium.server().clock().now().getEpochSecond();
        ddb.putItem(b -> b.tableName("Events").item(Map.of("pk", s("soon"), "expires", n(String.valueOf(now + 60)))));
        ddb.putItem(b -> b.tableName("Events").item(Map.of("pk", s("later"), "expires", n(String.valueOf(now + 3600)))));
        ddb.putItem(b -> b.tableName("Events").item(Map.of("pk", s("never"), "expires", s("not a number"))));
        assertThat(ddb.scan(b -> b.tableName("Events")).count()).isEqualTo(3);

        terrarium.server().clock().advance(Duration.ofMinutes(5));
        assertThat(readAll(arn)).as("expiry shows in the stream without a DynamoDB call").hasSize(4);
        assertThat(ddb.scan(b -> b.tableName("Events")).items()).extracting(i -> i.get("pk").s())
                .containsExactlyInAnyOrder("later", "never");
        Record removal = readAll(arn).get(3);
        assertThat(removal.eventName()).isEqualTo(OperationType.REMOVE);
        assertThat(removal.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
        assertThat(removal.userIdentity().type()).isEqualTo("Service");
        assertThat(removal.dynamodb().oldImage()).containsEntry("pk", s("soon"));
    }

    @Test
    void disablingTheStreamClosesTheShard() {
        String arn = createStreamTable(StreamViewType.NEW_IMAGE);
        ddb.putItem(b -> b.tableName("Events").item(Map.of("pk", s("a"))));
        ddb.updateTable(b -> b.tableName("Events").streamSpecification(s -> s.streamEnabled(false)));
        StreamDescription d = streams.describeStream(b -> b.streamArn(arn)).streamDescription();
        assertThat(d.streamStatusAsString()).isEqualTo("DISABLED");
        assertThat(d.shards().get(0).sequenceNumberRange().endingSequenceNumber()).isNotNull();
        ddb.putItem(b -> b.tableName("Events").item(Map.of("pk", s("b"))));
        assertThat(readAll(arn)).hasSize(1);
    }
}
