package dev.terrarium.services.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Receipt handles name one receive of one message in one incarnation of a queue: the queue's id,
 * the message id and the receive number, with a check so that a handle made up or altered is told
 * apart from one that has merely expired.
 */
final class ReceiptHandles {
    private ReceiptHandles() {
    }

    record Decoded(String queueId, String messageId, int receive) {
    }

    static String issue(String queueId, String messageId, int receive) {
        String body = queueId + " " + messageId + " " + receive;
        String text = body + " " + Integer.toHexString(check(body));
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The handle's parts, or null when it is not a handle Terrarium made. */
    static Decoded decode(String handle) {
        if (handle == null || handle.isEmpty() || handle.length() > 1024) {
            return null;
        }
        try {
            String text = new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8);
            String[] parts = text.split(" ");
            if (parts.length != 4) {
                return null;
            }
            String body = parts[0] + " " + parts[1] + " " + parts[2];
            if (!Integer.toHexString(check(body)).equals(parts[3])) {
                return null;
            }
            return new Decoded(parts[0], parts[1], Integer.parseInt(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int check(String body) {
        return body.hashCode() * 0x9E3779B1 ^ 0x5ca1ab1e;
    }
}
