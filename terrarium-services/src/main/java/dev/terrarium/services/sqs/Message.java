package dev.terrarium.services.sqs;

import dev.terrarium.core.service.Struct;

import java.util.Comparator;
import java.util.Map;

/**
 * One message in a queue. Its content never changes; its delivery state (visible-at time, receive
 * count, current receipt handle) changes only under its queue's lock.
 */
final class Message {
    /** The order in which timed messages (delayed or in flight) become visible. */
    static final Comparator<Message> BY_VISIBLE_AT =
            Comparator.comparingLong((Message m) -> m.visibleAt).thenComparingLong(m -> m.seq);
    /** Oldest first (the order retention removes them in); seq is unique within a queue. */
    static final Comparator<Message> BY_SENT_AT =
            Comparator.comparingLong((Message m) -> m.sentAt).thenComparingLong(m -> m.seq);

    final String id;
    final String body;
    final String bodyMd5;
    final Map<String, Struct> attributes;
    final String attributesMd5;
    final Map<String, Struct> systemAttributes;
    final String systemAttributesMd5;
    final long sentAt;
    final String senderId;
    final String groupId;
    final String deduplicationId;
    final String sequenceNumber;
    final String deadLetterSourceArn;
    final long seq;

    long visibleAt;
    int receiveCount;
    long firstReceivedAt;
    long receivedAt;
    String receiptHandle;
    boolean gone;

    Message(String id, String body, String bodyMd5, Map<String, Struct> attributes, String attributesMd5,
            Map<String, Struct> systemAttributes, String systemAttributesMd5, long sentAt, String senderId,
            String groupId, String deduplicationId, String sequenceNumber, String deadLetterSourceArn, long seq) {
        this.id = id;
        this.body = body;
        this.bodyMd5 = bodyMd5;
        this.attributes = attributes;
        this.attributesMd5 = attributesMd5;
        this.systemAttributes = systemAttributes;
        this.systemAttributesMd5 = systemAttributesMd5;
        this.sentAt = sentAt;
        this.senderId = senderId;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.sequenceNumber = sequenceNumber;
        this.deadLetterSourceArn = deadLetterSourceArn;
        this.seq = seq;
    }

    /** The same content, arriving in another queue (dead-letter moves and move tasks keep id and sent time). */
    Message movedTo(long newSeq, String newSequenceNumber, String sourceArn) {
        return new Message(id, body, bodyMd5, attributes, attributesMd5, systemAttributes, systemAttributesMd5, sentAt,
                senderId, groupId, deduplicationId, newSequenceNumber, sourceArn, newSeq);
    }

    boolean inFlight(long now) {
        return receiveCount > 0 && visibleAt > now && receiptHandle != null;
    }

    String traceHeader() {
        Struct t = systemAttributes.get("AWSTraceHeader");
        return t == null ? null : t.string("StringValue");
    }
}
