package dev.terrarium.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static S3Client s3;
    private static SqsClient sqs;
    private String queueUrl;
    private String queueArn;

    @BeforeAll
    static void start() {
        s3 = S3TestSupport.pathStyle(terrarium);
        sqs = terrarium.client(SqsClient::builder);
    }

    @BeforeEach
    void setUp() {
        s3.createBucket(b -> b.bucket("events"));
        queueUrl = sqs.createQueue(b -> b.queueName("s3-events")).queueUrl();
        queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
    }

    private void configure(QueueConfiguration... configs) {
        s3.putBucketNotificationConfiguration(b -> b.bucket("events").notificationConfiguration(n ->
                n.queueConfigurations(configs)));
    }

    private QueueConfiguration queue(String id, String prefix, String suffix, Event... events) {
        return QueueConfiguration.builder().id(id).queueArn(queueArn).events(events)
                .filter(f -> f.key(k -> k.filterRules(r -> r.name(FilterRuleName.PREFIX).value(prefix),
                        r -> r.name(FilterRuleName.SUFFIX).value(suffix)))).build();
    }

    /** Receives until n messages came or a quiet second passed. */
    private List<JsonNode> receive(int n) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        long end = System.currentTimeMillis() + 5000;
        while (out.size() < n && System.currentTimeMillis() < end) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                out.add(JSON.readTree(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return out;
    }

    @Test
    void testEventThenObjectCreatedWithAwsRecordShape() throws Exception {
        configure(queue("uploads", "in/", ".txt", Event.S3_OBJECT_CREATED));
        JsonNode test = receive(1).get(0);
        assertThat(test.get("Event").asText()).isEqualTo("s3:TestEvent");
        assertThat(test.get("Service").asText()).isEqualTo("Amazon S3");
        assertThat(test.get("Bucket").asText()).isEqualTo("events");

        s3.putObject(b -> b.bucket("events").key("in/a b.txt"), RequestBody.fromString("hello"));
        s3.putObject(b -> b.bucket("events").key("in/skip.bin"), RequestBody.fromString("x"));
        s3.putObject(b -> b.bucket("events").key("out/skip.txt"), RequestBody.fromString("x"));
        s3.copyObject(b -> b.sourceBucket("events").sourceKey("in/a b.txt").destinationBucket("events")
                .destinationKey("in/copy.txt"));
        List<JsonNode> got = receive(2);
        assertThat(got).hasSize(2);
        JsonNode record = got.get(0).get("Records").get(0);
        assertThat(record.get("eventVersion").asText()).isEqualTo("2.1");
        assertThat(record.get("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(record.get("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(record.get("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(record.get("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(record.at("/s3/configurationId").asText()).isEqualTo("uploads");
        assertThat(record.at("/s3/bucket/name").asText()).isEqualTo("events");
        assertThat(record.at("/s3/bucket/arn").asText()).isEqualTo("arn:aws:s3:::events");
        assertThat(record.at("/s3/object/key").asText()).isEqualTo("in%2Fa+b.txt");
        assertThat(record.at("/s3/object/size").asLong()).isEqualTo(5);
        assertThat(record.at("/s3/object/eTag").asText()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(record.at("/responseElements/x-amz-request-id").asText()).isNotEmpty();
        assertThat(got.get(1).at("/Records/0/eventName").asText()).isEqualTo("ObjectCreated:Copy");
        assertThat(receive(1)).isEmpty();
    }

    @Test
    void removalsAndMultipartAndLifecycle() throws Exception {
        configure(queue("all", "", "", Event.S3_OBJECT_REMOVED, Event.S3_OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD,
                Event.fromValue("s3:LifecycleExpiration:*")));
        receive(1); // the test event
        s3.putObject(b -> b.bucket("events").key("k"), RequestBody.fromString("v"));
        s3.deleteObject(b -> b.bucket("events").key("k"));
        JsonNode deleted = receive(1).get(0).at("/Records/0");
        assertThat(deleted.get("eventName").asText()).isEqualTo("ObjectRemoved:Delete");
        assertThat(deleted.at("/s3/object/size").isMissingNode()).isTrue();

        String id = s3.createMultipartUpload(b -> b.bucket("events").key("mp")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket("events").key("mp").uploadId(id).partNumber(1),
                RequestBody.fromString("part")).eTag();
        s3.completeMultipartUpload(b -> b.bucket("events").key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertThat(receive(1).get(0).at("/Records/0/eventName").asText())
                .isEqualTo("ObjectCreated:CompleteMultipartUpload");

        s3.putBucketLifecycleConfiguration(b -> b.bucket("events").lifecycleConfiguration(c -> c.rules(r -> r
                .id("x").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("")).expiration(e -> e.days(1)))));
        terrarium.server().clock().advance(java.time.Duration.ofDays(3));
        JsonNode expired = receive(1).get(0).at("/Records/0");
        assertThat(expired.get("eventName").asText()).isEqualTo("LifecycleExpiration:Delete");
        assertThat(expired.at("/userIdentity/principalId").asText()).isEqualTo("s3.amazonaws.com");
    }

    @Test
    void versionedDeletesReportDeleteMarkers() throws Exception {
        s3.putBucketVersioning(b -> b.bucket("events").versioningConfiguration(v -> v.status("Enabled")));
        configure(queue("rm", "", "", Event.S3_OBJECT_REMOVED));
        receive(1);
        s3.putObject(b -> b.bucket("events").key("k"), RequestBody.fromString("v"));
        s3.deleteObject(b -> b.bucket("events").key("k"));
        JsonNode r = receive(1).get(0).at("/Records/0");
        assertThat(r.get("eventName").asText()).isEqualTo("ObjectRemoved:DeleteMarkerCreated");
        assertThat(r.at("/s3/object/versionId").asText()).isNotEmpty();
    }

    @Test
    void badConfigurationsAreRefusedAndStoredOnesReturned() {
        assertThatThrownBy(() -> s3.putBucketNotificationConfiguration(b -> b.bucket("events")
                .notificationConfiguration(n -> n.queueConfigurations(q -> q.queueArn(queueArn)
                        .events(Event.fromValue("s3:Nope"))))))
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
        configure(queue("c", "p/", ".s", Event.S3_OBJECT_CREATED_PUT));
        QueueConfiguration stored = s3.getBucketNotificationConfiguration(b -> b.bucket("events"))
                .queueConfigurations().get(0);
        assertThat(stored.queueArn()).isEqualTo(queueArn);
        assertThat(stored.events()).containsExactly(Event.S3_OBJECT_CREATED_PUT);
        assertThat(stored.filter().key().filterRules()).hasSize(2);
    }
}
