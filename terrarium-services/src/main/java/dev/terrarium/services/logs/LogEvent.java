package dev.terrarium.services.logs;

/**
 * One stored log event: its own timestamp, the message, when it was ingested, a unique id, and the message
 * as a data protection policy masked it at ingestion (null when nothing was masked).
 */
public record LogEvent(long timestamp, String message, long ingestionTime, String eventId, String masked) {
    public LogEvent(long timestamp, String message, long ingestionTime, String eventId) {
        this(timestamp, message, ingestionTime, eventId, null);
    }

    /** The message as a reader sees it: masked unless unmask is asked (with logs:Unmask). */
    public String message(boolean unmask) {
        return unmask || masked == null ? message : masked;
    }

    LogEvent withMasked(String maskedMessage) {
        return new LogEvent(timestamp, message, ingestionTime, eventId, maskedMessage);
    }
}
