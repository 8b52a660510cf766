package dev.terrarium.services.sqs;

import dev.terrarium.core.service.Struct;

import java.util.Map;

/** A message to send, its content checked. delaySeconds is null when the sender gave none. */
record SendRequest(String body, Map<String, Struct> attributes, Map<String, Struct> systemAttributes,
                   Integer delaySeconds, String groupId, String deduplicationId, String senderId) {
}
