package dev.terrarium.services.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.events.EventBus;
import dev.terrarium.core.protocol.xml.RestXmlCodec;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.events.LambdaInvoke;
import dev.terrarium.services.events.SnsPublish;
import dev.terrarium.services.events.SqsSend;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * Bucket notifications: the configuration checked on Put, and S3's event records (eventVersion 2.1)
 * published on the events bus to each matching queue, topic or function, with prefix/suffix filters.
 */
final class Notifications {
    static final String CONFIG = "Notification";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);
    private static final Set<String> EVENTS = Set.of("s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*",
            "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
            "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
            "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post",
            "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:Replication:*",
            "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
            "s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
            "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
            "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:LifecycleTransition", "s3:IntelligentTiering",
            "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put");
    /** The three destination kinds: configuration list member, its ARN member. */
    private static final String[] QUEUES = {"QueueConfigurations", "QueueArn"};
    private static final String[] TOPICS = {"TopicConfigurations", "TopicArn"};
    private static final String[] FUNCTIONS = {"LambdaFunctionConfigurations", "LambdaFunctionArn"};
    private static final List<String[]> KINDS = List.of(QUEUES, TOPICS, FUNCTIONS);
    private static final List<String[]> TEST_EVENT_KINDS = List.of(QUEUES, TOPICS);

    private final EventBus bus;
    private final BiPredicate<String, Bucket> mayInvoke;
    private final AtomicLong sequencer = new AtomicLong(System.nanoTime() & 0xFFFFFFFFFFFFL);

    /**
     * mayInvoke: whether a function (by ARN) lets S3 invoke it for a bucket now; S3 invokes as s3.amazonaws.com,
     * so an event for a function whose permission was removed (or never given, with SkipDestinationValidation)
     * is not delivered.
     */
    Notifications(EventBus bus, BiPredicate<String, Bucket> mayInvoke) {
        this.bus = bus;
        this.mayInvoke = mayInvoke;
    }

    /** What happened to which version, for the record's s3.object. */
    record Change(String key, Long size, String etag, String versionId) {
        static Change of(S3Object o, boolean versioned) {
            return new Change(o.key, o.deleteMarker ? null : o.size(),
                    o.etag == null ? null : o.etag.replace("\"", ""), versioned ? o.versionId : null);
        }
    }

    /** Who caused it, for userIdentity, requestParameters and responseElements. */
    record Cause(String principalId, String sourceIp, String requestId) {
        static final Cause LIFECYCLE = new Cause("s3.amazonaws.com", "s3.amazonaws.com", null);
    }

    static void validate(Struct config) {
        if (config == null) {
            return;
        }
        for (String[] kind : KINDS) {
            List<Struct> configs = config.structs(kind[0]);
            for (Struct c : configs == null ? List.<Struct>of() : configs) {
                if (c.string(kind[1]) == null || c.strings("Events") == null || c.strings("Events").isEmpty()) {
                    throw S3Errors.malformedXml();
                }
                for (String e : c.strings("Events")) {
                    if (!EVENTS.contains(e)) {
                        throw S3Errors.invalidArgument("The event is not supported for notifications", e, e);
                    }
                }
                for (Struct rule : filterRules(c)) {
                    String name = rule.string("Name");
                    if (name == null || !(name.equalsIgnoreCase("prefix") || name.equalsIgnoreCase("suffix"))) {
                        throw S3Errors.invalidArgument("filter rule name must be either prefix or suffix",
                                "FilterRule.Name", name);
                    }
                }
            }
        }
    }

    /**
     * Gives each destination without an Id one, as S3 does ("If you don't provide one, Amazon S3 will assign an
     * ID"): the base64 of a random UUID, which the events' configurationId then carries.
     */
    static void assignIds(Struct config) {
        for (String[] kind : KINDS) {
            List<Struct> configs = config == null ? null : config.structs(kind[0]);
            for (Struct c : configs == null ? List.<Struct>of() : configs) {
                String id = c.string("Id");
                if (id == null || id.isEmpty()) {
                    c.put("Id", java.util.Base64.getEncoder().encodeToString(
                            java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII)));
                }
            }
        }
    }

    /** s3:TestEvent to every queue and topic of a configuration just stored (S3 does not invoke functions with it). */
    void testEvent(Bucket b, Struct config, String requestId, Instant now) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("Service", "Amazon S3");
        event.put("Event", "s3:TestEvent");
        event.put("Time", EVENT_TIME.format(now.truncatedTo(ChronoUnit.MILLIS)));
        event.put("Bucket", b.name);
        event.put("RequestId", requestId);
        event.put("HostId", RestXmlCodec.hostId(requestId));
        String body = json(event);
        for (String[] kind : TEST_EVENT_KINDS) {
            List<Struct> configs = config == null ? null : config.structs(kind[0]);
            for (Struct c : configs == null ? List.<Struct>of() : configs) {
                send(kind[0], c.string(kind[1]), body, "Amazon S3 Notification");
            }
        }
    }

    /** Publishes eventName (e.g. ObjectCreated:Put) to the destinations whose events and filters match. */
    void publish(Bucket b, String eventName, Change change, Cause cause, String region, Instant now) {
        Object stored = b.configs.get(CONFIG);
        if (!(stored instanceof Struct config) || config.asMap().isEmpty()) {
            return;
        }
        for (String[] kind : KINDS) {
            List<Struct> configs = config.structs(kind[0]);
            for (Struct c : configs == null ? List.<Struct>of() : configs) {
                if (selects(c, eventName, change.key()) && (kind != FUNCTIONS || mayInvoke.test(c.string(kind[1]), b))) {
                    String body = json(Map.of("Records", List.of(record(b, c.string("Id"), eventName, change, cause,
                            region, now))));
                    send(kind[0], c.string(kind[1]), body, "Amazon S3 Notification");
                }
            }
        }
    }

    private void send(String kind, String arn, String body, String subject) {
        switch (kind) {
            case "QueueConfigurations" -> bus.publish(SqsSend.TOPIC, new SqsSend(arn, body, "AIDAJDPLRKLG7UEXAMPLE"));
            case "TopicConfigurations" -> bus.publish(SnsPublish.TOPIC, new SnsPublish(arn, body, subject));
            default -> bus.publish(LambdaInvoke.TOPIC, new LambdaInvoke(arn, body));
        }
    }

    private static boolean selects(Struct c, String eventName, String key) {
        boolean eventMatches = false;
        for (String e : c.strings("Events")) {
            String pattern = e.startsWith("s3:") ? e.substring(3) : e;
            if (pattern.equals(eventName) || (pattern.endsWith(":*")
                    && eventName.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                eventMatches = true;
                break;
            }
        }
        if (!eventMatches) {
            return false;
        }
        for (Struct rule : filterRules(c)) {
            String value = rule.string("Value", "");
            boolean prefix = "prefix".equalsIgnoreCase(rule.string("Name"));
            if (prefix ? !key.startsWith(value) : !key.endsWith(value)) {
                return false;
            }
        }
        return true;
    }

    private static List<Struct> filterRules(Struct c) {
        Struct filter = c.struct("Filter");
        Struct key = filter == null ? null : filter.struct("Key");
        List<Struct> rules = key == null ? null : key.structs("FilterRules");
        return rules == null ? List.of() : rules;
    }

    private Map<String, Object> record(Bucket b, String configurationId, String eventName, Change change, Cause cause,
                                       String region, Instant now) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", URLEncoder.encode(change.key(), StandardCharsets.UTF_8));
        if (change.size() != null) {
            object.put("size", change.size());
        }
        if (change.etag() != null) {
            object.put("eTag", change.etag());
        }
        if (change.versionId() != null) {
            object.put("versionId", change.versionId());
        }
        object.put("sequencer", String.format("%016X", sequencer.incrementAndGet()));
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId == null ? "" : configurationId);
        s3.put("bucket", Map.of("name", b.name, "ownerIdentity", Map.of("principalId", Owners.canonicalId(b.account)),
                "arn", "arn:aws:s3:::" + b.name));
        s3.put("object", object);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("eventVersion", "2.1");
        r.put("eventSource", "aws:s3");
        r.put("awsRegion", region);
        r.put("eventTime", EVENT_TIME.format(now.truncatedTo(ChronoUnit.MILLIS)));
        r.put("eventName", eventName);
        r.put("userIdentity", Map.of("principalId", cause.principalId()));
        r.put("requestParameters", Map.of("sourceIPAddress", cause.sourceIp()));
        Map<String, Object> response = new LinkedHashMap<>();
        if (cause.requestId() != null) {
            response.put("x-amz-request-id", cause.requestId());
            response.put("x-amz-id-2", RestXmlCodec.hostId(cause.requestId()));
        }
        r.put("responseElements", response);
        r.put("s3", s3);
        return r;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
