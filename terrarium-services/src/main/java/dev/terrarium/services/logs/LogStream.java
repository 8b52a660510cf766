package dev.terrarium.services.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A log stream: events kept in timestamp order (stable for equal timestamps). Guarded by its own lock. */
public final class LogStream {
    final String name;
    final String arn;
    final long creationTime;
    private final List<LogEvent> events = new ArrayList<>();
    private long storedBytes;
    private long lastIngestionTime;
    private long sequence;

    LogStream(String name, String arn, long creationTime) {
        this.name = name;
        this.arn = arn;
        this.creationTime = creationTime;
    }

    public String name() { return name; }

    synchronized String append(List<LogEvent> batch, long now) {
        for (LogEvent e : batch) {
            int at = events.size();
            while (at > 0 && events.get(at - 1).timestamp() > e.timestamp()) {
                at--;
            }
            events.add(at, e);
            storedBytes += e.message().getBytes(StandardCharsets.UTF_8).length;
        }
        lastIngestionTime = now;
        return nextSequenceToken();
    }

    synchronized String nextSequenceToken() {
        sequence++;
        return String.format("%056d", sequence);
    }

    /** Events with startTime <= timestamp < endTime (nulls are open ends), not older than the retention cut. */
    synchronized List<LogEvent> events(Long startTime, Long endTime, long retainedFrom) {
        List<LogEvent> out = new ArrayList<>();
        for (LogEvent e : events) {
            if (e.timestamp() >= retainedFrom && (startTime == null || e.timestamp() >= startTime)
                    && (endTime == null || e.timestamp() < endTime)) {
                out.add(e);
            }
        }
        return out;
    }

    synchronized Long firstEventTimestamp() { return events.isEmpty() ? null : events.get(0).timestamp(); }
    synchronized Long lastEventTimestamp() { return events.isEmpty() ? null : events.get(events.size() - 1).timestamp(); }
    synchronized Long lastIngestionTime() { return events.isEmpty() ? null : lastIngestionTime; }
    synchronized long storedBytes() { return storedBytes; }
}
