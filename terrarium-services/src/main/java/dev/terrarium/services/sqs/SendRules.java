package dev.terrarium.services.sqs;

import dev.terrarium.core.service.Struct;

import java.util.Map;
import java.util.regex.Pattern;

/** Turns the members of a SendMessage (or a batch entry) into a checked SendRequest for a queue. */
final class SendRules {
    private static final Pattern GROUP_OR_DEDUP_ID = Pattern.compile("[\\p{Alnum}\\p{Punct}]{1,128}");

    private SendRules() {
    }

    static SendRequest check(Queue q, String senderId, String body, Integer delaySeconds, Map<String, Object> rawAttributes,
                             Map<String, Object> rawSystemAttributes, String groupId, String deduplicationId) {
        MessageBody.check(body);
        Map<String, Struct> attributes = MessageAttributes.user(rawAttributes);
        Map<String, Struct> system = MessageAttributes.system(rawSystemAttributes);
        int max = q.attributes().maximumMessageSize();
        if (size(body, attributes) > max) {
            throw SqsErrors.invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than "
                    + max + " bytes.");
        }
        if (delaySeconds != null && (delaySeconds < 0 || delaySeconds > 900)) {
            throw SqsErrors.invalidParameter("DelaySeconds", delaySeconds, "DelaySeconds must be >= 0 and <= 900.");
        }
        if (groupId != null && !GROUP_OR_DEDUP_ID.matcher(groupId).matches()) {
            throw SqsErrors.invalidParameter("MessageGroupId", groupId, "MessageGroupId can only include alphanumeric and "
                    + "punctuation characters. 1 to 128 in length.");
        }
        if (deduplicationId != null && !GROUP_OR_DEDUP_ID.matcher(deduplicationId).matches()) {
            throw SqsErrors.invalidParameter("MessageDeduplicationId", deduplicationId, "MessageDeduplicationId can only "
                    + "include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
        if (q.fifo) {
            if (delaySeconds != null && delaySeconds != 0) {
                throw SqsErrors.notForThisQueueType("DelaySeconds", delaySeconds);
            }
            if (groupId == null) {
                throw SqsErrors.missingParameter("MessageGroupId");
            }
            if (deduplicationId == null && !q.attributes().contentBasedDeduplication()) {
                throw SqsErrors.invalidParameter("The queue should either have ContentBasedDeduplication enabled or "
                        + "MessageDeduplicationId provided explicitly");
            }
        } else if (deduplicationId != null) {
            throw SqsErrors.notForThisQueueType("MessageDeduplicationId", deduplicationId);
        }
        return new SendRequest(body, attributes, system, q.fifo ? null : delaySeconds, groupId, deduplicationId, senderId);
    }

    static int size(String body, Map<String, Struct> attributes) {
        return MessageAttributes.utf8(body) + MessageAttributes.size(attributes);
    }
}
