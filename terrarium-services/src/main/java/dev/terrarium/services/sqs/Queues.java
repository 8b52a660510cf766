package dev.terrarium.services.sqs;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.service.AwsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Every queue, per account and region, by name; and the names deleted in the last minute. */
final class Queues {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final long RECREATE_DELAY_MILLIS = 60_000;

    private record Namespace(Map<String, Queue> queues, Map<String, Long> deletedAt) {
        Namespace() {
            this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();

    private Namespace namespace(String account, String region) {
        return namespaces.computeIfAbsent(account + "/" + region, k -> new Namespace());
    }

    static void checkName(String name, boolean fifo) {
        String base = fifo && name.endsWith(".fifo") ? name.substring(0, name.length() - 5) : name;
        if (!NAME.matcher(base).matches() || name.length() > 80) {
            throw SqsErrors.invalidParameter("Can only include alphanumeric characters, hyphens, or underscores. "
                    + "1 to 80 in length");
        }
        if (fifo != name.endsWith(".fifo")) {
            throw SqsErrors.invalidParameter(fifo
                    ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                    + "must end with .fifo suffix and be 1 to 80 in length."
                    : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }

    /**
     * The queue of that name: created with the given attributes, or the existing one when its
     * attributes match (QueueNameExists when they differ).
     */
    Queue create(String account, String region, String name, Map<String, String> attributes, long now) {
        boolean fifo = "true".equalsIgnoreCase(attributes.get("FifoQueue")) || name.endsWith(".fifo");
        checkName(name, fifo);
        Namespace ns = namespace(account, region);
        Queue existing = ns.queues().get(name);
        if (existing != null) {
            return requireSameAttributes(existing, attributes);
        }
        Long deleted = ns.deletedAt().get(name);
        if (deleted != null && now - deleted < RECREATE_DELAY_MILLIS && now >= deleted) {
            throw new AwsException("QueueDeletedRecently", "You must wait 60 seconds after deleting a queue before you "
                    + "can create another with the same name.");
        }
        QueueAttributes a = QueueAttributes.defaults(fifo).with(attributes, true);
        Queue created = new Queue(this, account, region, name, a, now);
        if (a.redrivePolicy() != null) {
            checkDeadLetterTarget(created, a.redrivePolicy());
        }
        Queue raced = ns.queues().putIfAbsent(name, created);
        if (raced != null) {
            return requireSameAttributes(raced, attributes);
        }
        ns.deletedAt().remove(name);
        return created;
    }

    private static Queue requireSameAttributes(Queue existing, Map<String, String> attributes) {
        String differing = existing.attributes().firstDifference(attributes);
        if (differing != null) {
            throw new AwsException("QueueNameExists", "A queue already exists with the same name and a different value "
                    + "for attribute " + differing);
        }
        return existing;
    }

    /** The dead-letter queue a redrive policy names must exist, be of the same type and allow this source. */
    void checkDeadLetterTarget(Queue source, Redrive.Policy policy) {
        Queue dlq = byArn(policy.deadLetterTargetArn());
        if (dlq == null || !dlq.account.equals(source.account) || !dlq.region.equals(source.region)) {
            throw SqsErrors.invalidAttributeValue("RedrivePolicy", "Dead letter target does not exist.");
        }
        if (dlq.fifo != source.fifo) {
            throw SqsErrors.invalidAttributeValue("RedrivePolicy", "Dead-letter queue must be same type of queue as the "
                    + "source.");
        }
        if (!dlq.attributes().redriveAllowPolicy().allows(source.arn)) {
            throw SqsErrors.invalidAttributeValue("RedrivePolicy", "Queue " + source.arn + " is not allowed to use "
                    + dlq.arn + " as its dead-letter queue by the RedriveAllowPolicy of " + dlq.name + ".");
        }
    }

    Queue find(String account, String region, String name) {
        Namespace ns = namespaces.get(account + "/" + region);
        return ns == null ? null : ns.queues().get(name);
    }

    Queue require(String account, String region, String name) {
        Queue q = find(account, region, name);
        if (q == null) {
            throw SqsErrors.queueDoesNotExist();
        }
        return q;
    }

    Queue byArn(String arn) {
        Arn a = Arn.parse(arn);
        if (a == null || !"sqs".equals(a.service())) {
            return null;
        }
        return find(a.account(), a.region(), a.resource());
    }

    void delete(Queue q, long now) {
        Namespace ns = namespace(q.account, q.region);
        if (ns.queues().remove(q.name, q)) {
            ns.deletedAt().put(q.name, now);
            q.markDeleted(now);
        }
    }

    /** The queues of one account and region, sorted by name. */
    List<Queue> list(String account, String region) {
        Namespace ns = namespaces.get(account + "/" + region);
        List<Queue> out = ns == null ? new ArrayList<>() : new ArrayList<>(ns.queues().values());
        out.sort((a, b) -> a.name.compareTo(b.name));
        return out;
    }

    List<Queue> all() {
        List<Queue> out = new ArrayList<>();
        namespaces.values().forEach(ns -> out.addAll(ns.queues().values()));
        return out;
    }

    void clear() {
        namespaces.values().forEach(ns -> ns.queues().values().forEach(q -> q.markDeleted(Long.MAX_VALUE)));
        namespaces.clear();
    }
}
