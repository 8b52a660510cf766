package dev.terrarium.services.logs;

/**
 * One stored log event: its own timestamp, the message, when it was ingested, a unique id, the message as a
 * data protection policy masked it at ingestion (null when nothing was masked), and, when the group's
 * transformer rewrote the message, the event as it was sent (null when it was stored as sent).
 */
public record LogEvent(long timestamp, String message, long ingestionTime, String eventId, String masked,
                       LogEvent original) {
    public LogEvent(long timestamp, String message, long ingestionTime, String eventId) {
        this(timestamp, message, ingestionTime, eventId, null, null);
    }

    /** The message as a reader sees it: masked unless unmask is asked (with logs:Unmask). */
    public String message(boolean unmask) {
        return unmask || masked == null ? message : masked;
    }

    LogEvent withMasked(String maskedMessage) {
        return new LogEvent(timestamp, message, ingestionTime, eventId, maskedMessage, original);
    }

    /** This event stored as transformed (the message the transformer produced), keeping this one as the original. */
    LogEvent transformedTo(String transformedMessage) {
        return new LogEvent(timestamp, transformedMessage, ingestionTime, eventId, null, this);
    }

    LogEvent withOriginal(LogEvent sent) {
        return new LogEvent(timestamp, message, ingestionTime, eventId, masked, sent);
    }

    /** The event as it was sent, before the transformer (itself when it was not transformed). */
    LogEvent asIngested() {
        return original == null ? this : original;
    }

    /** The version a metric or subscription filter reads: the transformed one only when the filter asks for it. */
    LogEvent forFilter(boolean applyOnTransformedLogs) {
        return applyOnTransformedLogs ? this : asIngested();
    }
}
