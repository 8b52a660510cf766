package dev.terrarium.services.sqs;

import dev.terrarium.core.service.AwsException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes a queue is configured with (the settable ones), with SQS's defaults and the range
 * or value set of each. Values are kept as the strings SQS returns. Immutable: setting makes a copy.
 */
final class QueueAttributes {
    static final Set<String> READ_ONLY = Set.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn");
    static final Set<String> FIFO_ONLY = Set.of("FifoQueue", "ContentBasedDeduplication", "DeduplicationScope",
            "FifoThroughputLimit");
    static final List<String> SETTABLE = List.of("DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod",
            "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "Policy", "RedrivePolicy", "RedriveAllowPolicy",
            "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "FifoQueue",
            "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

    private final boolean fifo;
    private final Map<String, String> values;

    private QueueAttributes(boolean fifo, Map<String, String> values) {
        this.fifo = fifo;
        this.values = values;
    }

    static QueueAttributes defaults(boolean fifo) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("DelaySeconds", "0");
        v.put("MaximumMessageSize", "1048576");
        v.put("MessageRetentionPeriod", "345600");
        v.put("ReceiveMessageWaitTimeSeconds", "0");
        v.put("VisibilityTimeout", "30");
        v.put("SqsManagedSseEnabled", "true");
        if (fifo) {
            v.put("FifoQueue", "true");
            v.put("ContentBasedDeduplication", "false");
            v.put("DeduplicationScope", "queue");
            v.put("FifoThroughputLimit", "perQueue");
        }
        return new QueueAttributes(fifo, v);
    }

    /** These attributes with the given ones set (each checked); "" clears Policy, RedrivePolicy and KMS keys. */
    QueueAttributes with(Map<String, String> changes, boolean creating) {
        Map<String, String> v = new LinkedHashMap<>(values);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue();
            check(name, value, creating);
            if (value.isEmpty() && Set.of("Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId").contains(name)) {
                v.remove(name);
                continue;
            }
            v.put(name, canonical(name, value));
        }
        if (v.containsKey("KmsMasterKeyId") && changes.containsKey("KmsMasterKeyId")) {
            if ("true".equals(changes.get("SqsManagedSseEnabled"))) {
                throw SqsErrors.invalidAttributeValue("SqsManagedSseEnabled",
                        "You can use one type of server-side encryption (SSE) at one time.");
            }
            v.put("SqsManagedSseEnabled", "false");
            v.putIfAbsent("KmsDataKeyReusePeriodSeconds", "300");
        } else if ("true".equals(changes.get("SqsManagedSseEnabled"))) {
            v.remove("KmsMasterKeyId");
            v.remove("KmsDataKeyReusePeriodSeconds");
        }
        if (fifo && "perMessageGroupId".equals(v.get("FifoThroughputLimit")) && "queue".equals(v.get("DeduplicationScope"))) {
            throw SqsErrors.invalidAttributeValue("FifoThroughputLimit",
                    "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.");
        }
        return new QueueAttributes(fifo, v);
    }

    private void check(String name, String value, boolean creating) {
        if (READ_ONLY.contains(name) || !SETTABLE.contains(name) || (!fifo && FIFO_ONLY.contains(name) && !name.equals("FifoQueue"))) {
            throw SqsErrors.invalidAttributeName(name);
        }
        switch (name) {
            case "DelaySeconds" -> range(name, value, 0, 900);
            case "MaximumMessageSize" -> range(name, value, 1024, 1048576);
            case "MessageRetentionPeriod" -> range(name, value, 60, 1209600);
            case "ReceiveMessageWaitTimeSeconds" -> range(name, value, 0, 20);
            case "VisibilityTimeout" -> range(name, value, 0, 43200);
            case "KmsDataKeyReusePeriodSeconds" -> range(name, value, 60, 86400);
            case "SqsManagedSseEnabled", "ContentBasedDeduplication" -> bool(name, value);
            case "DeduplicationScope" -> oneOf(name, value, "messageGroup", "queue");
            case "FifoThroughputLimit" -> oneOf(name, value, "perQueue", "perMessageGroupId");
            case "FifoQueue" -> {
                bool(name, value);
                if (!creating) {
                    throw SqsErrors.invalidAttributeValue(name, "Modifying queue type is not supported.");
                }
                if (Boolean.parseBoolean(value) != fifo) {
                    throw SqsErrors.invalidAttributeValue(name, fifo
                            ? "The queue name of a FIFO queue must end with the .fifo suffix and FifoQueue must be true."
                            : "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                            + "must end with .fifo suffix and be 1 to 80 in length.");
                }
            }
            case "Policy" -> policy(value);
            case "RedrivePolicy" -> Redrive.parsePolicy(value);
            case "RedriveAllowPolicy" -> Redrive.parseAllowPolicy(value);
            default -> {
            }
        }
    }

    private static void range(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw SqsErrors.invalidAttributeValue(name);
            }
        } catch (NumberFormatException e) {
            throw SqsErrors.invalidAttributeValue(name);
        }
    }

    private static void bool(String name, String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw SqsErrors.invalidAttributeValue(name);
        }
    }

    private static void oneOf(String name, String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            throw SqsErrors.invalidAttributeValue(name);
        }
    }

    private static void policy(String value) {
        if (value.isEmpty()) {
            return;
        }
        try {
            if (!Redrive.JSON.readTree(value).isObject()) {
                throw SqsErrors.invalidAttributeValue("Policy");
            }
        } catch (java.io.IOException e) {
            throw new AwsException("InvalidAttributeValue", "Invalid value for the parameter Policy.");
        }
    }

    private static String canonical(String name, String value) {
        return switch (name) {
            case "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
                 "VisibilityTimeout", "KmsDataKeyReusePeriodSeconds" -> Integer.toString(Integer.parseInt(value.trim()));
            case "SqsManagedSseEnabled", "ContentBasedDeduplication", "FifoQueue" -> value.toLowerCase(java.util.Locale.ROOT);
            case "RedrivePolicy" -> Redrive.parsePolicy(value).toJson();
            default -> value;
        };
    }

    /** The first given attribute whose value differs from this queue's (for CreateQueue on an existing name), or null. */
    String firstDifference(Map<String, String> given) {
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (READ_ONLY.contains(e.getKey()) || !SETTABLE.contains(e.getKey())) {
                continue;
            }
            String mine = values.get(e.getKey());
            String theirs = e.getValue() == null || e.getValue().isEmpty() ? null : canonicalOrRaw(e.getKey(), e.getValue());
            if (!java.util.Objects.equals(mine, theirs)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String canonicalOrRaw(String name, String value) {
        try {
            return canonical(name, value);
        } catch (RuntimeException e) {
            return value;
        }
    }

    boolean fifo() { return fifo; }
    String get(String name) { return values.get(name); }
    Map<String, String> asMap() { return java.util.Collections.unmodifiableMap(values); }
    int integer(String name) { return Integer.parseInt(values.get(name)); }
    int delaySeconds() { return integer("DelaySeconds"); }
    int maximumMessageSize() { return integer("MaximumMessageSize"); }
    long retentionMillis() { return integer("MessageRetentionPeriod") * 1000L; }
    int receiveWaitSeconds() { return integer("ReceiveMessageWaitTimeSeconds"); }
    int visibilityTimeout() { return integer("VisibilityTimeout"); }
    boolean contentBasedDeduplication() { return "true".equals(values.get("ContentBasedDeduplication")); }
    boolean deduplicationPerGroup() { return "messageGroup".equals(values.get("DeduplicationScope")); }
    Redrive.Policy redrivePolicy() { return Redrive.parsePolicy(values.get("RedrivePolicy")); }
    Redrive.AllowPolicy redriveAllowPolicy() { return Redrive.parseAllowPolicy(values.get("RedriveAllowPolicy")); }
}
