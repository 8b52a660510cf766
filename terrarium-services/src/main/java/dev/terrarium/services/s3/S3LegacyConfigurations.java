package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;

/**
 * The older forms of two bucket configurations, kept by S3 for old clients: PutBucketLifecycle /
 * GetBucketLifecycle (rules with one prefix and one transition) and PutBucketNotification /
 * GetBucketNotification (one queue, topic and function). Each is turned into the current configuration,
 * so the rules run and the events flow exactly as for the current operations, and read back in the old form.
 */
final class S3LegacyConfigurations {
    private final S3State s3;
    private final S3BucketConfigurations current;

    S3LegacyConfigurations(S3State s3, S3BucketConfigurations current) {
        this.s3 = s3;
        this.current = current;
    }

    @AwsOperation("PutBucketLifecycle")
    public Struct putBucketLifecycle(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Struct legacy = in.struct("LifecycleConfiguration");
        List<Struct> rules = legacy == null ? null : legacy.structs("Rules");
        if (rules == null) {
            throw S3Errors.malformedXml();
        }
        List<Object> converted = new ArrayList<>();
        for (Struct r : rules) {
            Struct rule = r.copy();
            moveToList(rule, "Transition", "Transitions");
            moveToList(rule, "NoncurrentVersionTransition", "NoncurrentVersionTransitions");
            if (rule.get("Prefix") == null) {
                rule.put("Prefix", "");
            }
            converted.add(rule);
        }
        Struct config = Struct.of("Rules", converted);
        Lifecycle.validate(config);
        b.configs.put(Lifecycle.CONFIG, config);
        return null;
    }

    @AwsOperation("GetBucketLifecycle")
    public Struct getBucketLifecycle(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Object stored = b.configs.get(Lifecycle.CONFIG);
        if (!(stored instanceof Struct config)) {
            throw new dev.terrarium.core.service.AwsException("NoSuchLifecycleConfiguration",
                    "The lifecycle configuration does not exist", 404).withFields(Struct.of("BucketName", b.name));
        }
        List<Object> rules = new ArrayList<>();
        for (Struct r : config.structs("Rules")) {
            Struct rule = r.copy();
            Struct filter = rule.struct("Filter");
            rule.put("Filter", null);
            if (rule.get("Prefix") == null) {
                Struct and = filter == null ? null : filter.struct("And");
                String prefix = and != null ? and.string("Prefix") : filter == null ? null : filter.string("Prefix");
                rule.put("Prefix", prefix == null ? "" : prefix);
            }
            firstOf(rule, "Transitions", "Transition");
            firstOf(rule, "NoncurrentVersionTransitions", "NoncurrentVersionTransition");
            rules.add(rule);
        }
        return Struct.of("Rules", rules);
    }

    @AwsOperation("PutBucketNotification")
    public Struct putBucketNotification(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Struct legacy = in.struct("NotificationConfiguration");
        if (legacy == null) {
            throw S3Errors.malformedXml();
        }
        Struct config = new Struct();
        convert(legacy.struct("QueueConfiguration"), "Queue", "QueueArn", "QueueConfigurations", config);
        convert(legacy.struct("TopicConfiguration"), "Topic", "TopicArn", "TopicConfigurations", config);
        convert(legacy.struct("CloudFunctionConfiguration"), "CloudFunction", "LambdaFunctionArn",
                "LambdaFunctionConfigurations", config);
        Notifications.validate(config);
        current.checkDestinations(b, config);
        Notifications.assignIds(config);
        b.configs.put(Notifications.CONFIG, config);
        return null;
    }

    @AwsOperation("GetBucketNotification")
    public Struct getBucketNotification(Call call, Struct in) {
        Bucket b = s3.bucket(call, in);
        Object stored = b.configs.get(Notifications.CONFIG);
        Struct out = new Struct();
        if (stored instanceof Struct config) {
            back(config, "QueueConfigurations", "QueueArn", "QueueConfiguration", "Queue", out);
            back(config, "TopicConfigurations", "TopicArn", "TopicConfiguration", "Topic", out);
            back(config, "LambdaFunctionConfigurations", "LambdaFunctionArn", "CloudFunctionConfiguration",
                    "CloudFunction", out);
        }
        return out;
    }

    private static void moveToList(Struct rule, String single, String list) {
        Object one = rule.get(single);
        rule.put(single, null);
        if (one != null) {
            rule.put(list, List.of(one));
        }
    }

    private static void firstOf(Struct rule, String list, String single) {
        Object many = rule.get(list);
        rule.put(list, null);
        if (many instanceof List<?> l && !l.isEmpty()) {
            rule.put(single, l.get(0));
        }
    }

    /** A deprecated destination (one Event or several Events) as a current configuration entry. */
    private static void convert(Struct legacy, String arnMember, String currentArn, String currentList, Struct out) {
        if (legacy == null) {
            return;
        }
        List<String> events = new ArrayList<>();
        if (legacy.strings("Events") != null) {
            events.addAll(legacy.strings("Events"));
        }
        if (legacy.string("Event") != null && !events.contains(legacy.string("Event"))) {
            events.add(legacy.string("Event"));
        }
        Struct entry = Struct.of("Id", legacy.string("Id"), currentArn, legacy.string(arnMember),
                "Events", new ArrayList<Object>(events));
        out.put(currentList, List.of(entry));
    }

    private static void back(Struct config, String list, String arn, String legacyName, String legacyArn, Struct out) {
        List<Struct> entries = config.structs(list);
        if (entries == null || entries.isEmpty()) {
            return;
        }
        Struct first = entries.get(0);
        out.put(legacyName, Struct.of("Id", first.string("Id"), "Events", first.strings("Events") == null ? null
                : new ArrayList<Object>(first.strings("Events")), legacyArn, first.string(arn)));
    }
}
