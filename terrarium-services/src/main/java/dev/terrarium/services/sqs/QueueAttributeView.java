package dev.terrarium.services.sqs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GetQueueAttributes: the configured attributes plus the computed ones (counters, timestamps, ARN). */
final class QueueAttributeView {
    private static final List<String> COMPUTED = List.of("ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp",
            "LastModifiedTimestamp", "QueueArn");

    private QueueAttributeView() {
    }

    static Map<String, String> of(Queue q, List<String> names, long now) {
        Map<String, String> out = new LinkedHashMap<>();
        if (names == null || names.isEmpty()) {
            return out;
        }
        for (String n : names) {
            if (!n.equals("All") && !COMPUTED.contains(n) && !QueueAttributes.SETTABLE.contains(n)) {
                throw SqsErrors.invalidAttributeName(n);
            }
        }
        boolean all = names.contains("All");
        long[] counts = null;
        for (String n : COMPUTED) {
            if (all || names.contains(n)) {
                if (counts == null && n.startsWith("Approximate")) {
                    counts = q.counts(now);
                }
                out.put(n, switch (n) {
                    case "ApproximateNumberOfMessages" -> Long.toString(counts[0]);
                    case "ApproximateNumberOfMessagesNotVisible" -> Long.toString(counts[1]);
                    case "ApproximateNumberOfMessagesDelayed" -> Long.toString(counts[2]);
                    case "CreatedTimestamp" -> Long.toString(q.createdAt / 1000);
                    case "LastModifiedTimestamp" -> Long.toString(q.lastModifiedAt() / 1000);
                    default -> q.arn;
                });
            }
        }
        for (Map.Entry<String, String> e : q.attributes().asMap().entrySet()) {
            if (all || names.contains(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
