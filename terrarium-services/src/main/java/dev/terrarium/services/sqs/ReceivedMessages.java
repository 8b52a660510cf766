package dev.terrarium.services.sqs;

import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Messages of a ReceiveMessage output: each with the system and user attributes the receive asked for. */
final class ReceivedMessages {
    private final Set<String> systemNames;
    private final List<String> attributeNames;

    ReceivedMessages(List<String> attributeNames, List<String> systemAttributeNames, List<String> messageAttributeNames) {
        this.systemNames = new HashSet<>();
        if (attributeNames != null) {
            systemNames.addAll(attributeNames);
        }
        if (systemAttributeNames != null) {
            systemNames.addAll(systemAttributeNames);
        }
        this.attributeNames = messageAttributeNames;
    }

    Struct output(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Struct.empty();
        }
        List<Struct> messages = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            messages.add(message(d));
        }
        return Struct.of("Messages", messages);
    }

    private Struct message(Delivery d) {
        Message m = d.message();
        Struct out = Struct.of("MessageId", m.id, "ReceiptHandle", d.receiptHandle(), "MD5OfBody", m.bodyMd5, "Body", m.body);
        Map<String, String> system = systemAttributes(d);
        if (!system.isEmpty()) {
            out.put("Attributes", system);
        }
        Map<String, Struct> selected = MessageAttributes.select(m.attributes, attributeNames);
        if (!selected.isEmpty()) {
            out.put("MD5OfMessageAttributes", selected.size() == m.attributes.size() ? m.attributesMd5 : Md5.ofAttributes(selected));
            out.put("MessageAttributes", selected);
        }
        return out;
    }

    private Map<String, String> systemAttributes(Delivery d) {
        Map<String, String> out = new LinkedHashMap<>();
        if (systemNames.isEmpty()) {
            return out;
        }
        Message m = d.message();
        boolean all = systemNames.contains("All");
        put(out, all, "SenderId", m.senderId);
        put(out, all, "SentTimestamp", Long.toString(m.sentAt));
        put(out, all, "ApproximateReceiveCount", Integer.toString(d.receiveCount()));
        put(out, all, "ApproximateFirstReceiveTimestamp", Long.toString(d.firstReceivedAt()));
        put(out, all, "SequenceNumber", m.sequenceNumber);
        put(out, all, "MessageDeduplicationId", m.deduplicationId);
        put(out, all, "MessageGroupId", m.groupId);
        put(out, all, "AWSTraceHeader", m.traceHeader());
        put(out, all, "DeadLetterQueueSourceArn", m.deadLetterSourceArn);
        return out;
    }

    private void put(Map<String, String> out, boolean all, String name, String value) {
        if (value != null && (all || systemNames.contains(name))) {
            out.put(name, value);
        }
    }
}
