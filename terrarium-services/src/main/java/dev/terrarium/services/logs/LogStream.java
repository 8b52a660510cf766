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
            storedBytes += size(e);
        }
        lastIngestionTime = now;
        return nextSequenceToken();
    }

    private static long size(LogEvent e) {
        return e.message().getBytes(StandardCharsets.UTF_8).length;
    }

    synchronized String nextSequenceToken() {
        sequence++;
        return String.format("%056d", sequence);
    }

    /** Drops the events older than retainedFrom (retention carried out); returns how many went. */
    synchronized int expire(long retainedFrom) {
        int n = 0;
        while (n < events.size() && events.get(n).timestamp() < retainedFrom) {
            storedBytes -= size(events.get(n));
            n++;
        }
        if (n > 0) {
            events.subList(0, n).clear();
        }
        return n;
    }

    /** Events with startTime <= timestamp < endTime (nulls are open ends), not older than the retention cut. */
    synchronized List<LogEvent> events(Long startTime, Long endTime, long retainedFrom) {
        expire(retainedFrom);
        List<LogEvent> out = new ArrayList<>();
        for (LogEvent e : events) {
            if ((startTime == null || e.timestamp() >= startTime) && (endTime == null || e.timestamp() < endTime)) {
                out.add(e);
            }
        }
        return out;
    }

    synchronized LogEvent event(String eventId) {
        for (LogEvent e : events) {
            if (e.eventId().equals(eventId)) {
                return e;
            }
        }
        return null;
    }

    synchronized Long firstEventTimestamp() { return events.isEmpty() ? null : events.get(0).timestamp(); }
    synchronized Long lastEventTimestamp() { return events.isEmpty() ? null : events.get(events.size() - 1).timestamp(); }
    synchronized Long lastIngestionTime() { return events.isEmpty() ? null : lastIngestionTime; }
    synchronized long storedBytes() { return storedBytes; }
}
