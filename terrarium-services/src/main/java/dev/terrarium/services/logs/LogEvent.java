package dev.terrarium.services.logs;

/** One stored log event: its own timestamp, the message, when it was ingested, and a unique id. */
public record LogEvent(long timestamp, String message, long ingestionTime, String eventId) {
}
