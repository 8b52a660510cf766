package dev.terrarium.services.logs;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * All log groups of one Terrarium, per account and region, held by the Logs service; other services
 * (Lambda) reach it through {@link LogsService#logStore()} to write into the groups the Logs API reads.
 */
public final class LogStore {
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong eventIds = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, ConcurrentSkipListMap<String, LogGroup>> groups = new ConcurrentHashMap<>();

    LogStore(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() { return clock; }

    ConcurrentSkipListMap<String, LogGroup> groups(String account, String region) {
        return groups.computeIfAbsent(account + "/" + region, k -> new ConcurrentSkipListMap<>());
    }

    static String groupArn(String account, String region, String name) {
        return "arn:aws:logs:" + region + ":" + account + ":log-group:" + name;
    }

    LogGroup createGroup(String account, String region, String name, String logGroupClass) {
        LogGroup g = new LogGroup(name, groupArn(account, region, name), clock.millis(), logGroupClass);
        if (groups(account, region).putIfAbsent(name, g) != null) {
            throw new AwsException("ResourceAlreadyExistsException", "The specified log group already exists");
        }
        return g;
    }

    LogGroup requireGroup(String account, String region, String name) {
        LogGroup g = name == null ? null : groups(account, region).get(name);
        if (g == null) {
            throw LogsErrors.groupNotFound();
        }
        return g;
    }

    LogStream createStream(LogGroup g, String name) {
        LogStream s = new LogStream(name, g.arn + ":log-stream:" + name, clock.millis());
        if (g.streams.putIfAbsent(name, s) != null) {
            throw new AwsException("ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        return s;
    }

    /**
     * Writes lines as one batch to a stream, creating the group and stream when missing (as Lambda's
     * execution role does with logs:CreateLogGroup / CreateLogStream). Each line is one event at now.
     */
    public void write(String account, String region, String group, String stream, List<String> lines) {
        long now = clock.millis();
        LogGroup g = groups(account, region).computeIfAbsent(group,
                n -> new LogGroup(n, groupArn(account, region, n), now, "STANDARD"));
        LogStream s = g.streams.computeIfAbsent(stream, n -> new LogStream(n, g.arn + ":log-stream:" + n, now));
        s.append(lines.stream().map(l -> new LogEvent(now, l, now, nextEventId())).toList(), now);
    }

    /** AWS's event ids are 56-digit decimal strings. */
    String nextEventId() {
        return String.format("%056d", eventIds.incrementAndGet());
    }

    void clear() {
        groups.clear();
    }
}
