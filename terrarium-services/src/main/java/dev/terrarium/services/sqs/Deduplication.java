package dev.terrarium.services.sqs;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FIFO deduplication: a message with a deduplication id seen in the last five minutes (per queue, or
 * per message group with DeduplicationScope=messageGroup) is accepted but not delivered again;
 * the sender gets the first message's id and sequence number. Called under the queue's lock.
 */
final class Deduplication {
    static final long WINDOW_MILLIS = 5 * 60 * 1000L;

    record Sent(String messageId, String sequenceNumber, long expiresAt) {
    }

    private final LinkedHashMap<String, Sent> seen = new LinkedHashMap<>();

    /** ContentBasedDeduplication's id: the SHA-256 of the body. */
    static String contentId(String body) {
        try {
            return Md5.hex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(boolean perGroup, String groupId, String deduplicationId) {
        return perGroup ? groupId + '\u0000' + deduplicationId : deduplicationId;
    }

    /** The earlier send within the window, or null. */
    Sent find(String key, long now) {
        prune(now);
        return seen.get(key);
    }

    void remember(String key, String messageId, String sequenceNumber, long now) {
        seen.put(key, new Sent(messageId, sequenceNumber, now + WINDOW_MILLIS));
    }

    void clear() {
        seen.clear();
    }

    private void prune(long now) {
        Iterator<Map.Entry<String, Sent>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().expiresAt() > now) {
                break; // insertion order is expiry order
            }
            it.remove();
        }
    }
}
