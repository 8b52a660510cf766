package dev.terrarium.services.logs;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All log groups of one Terrarium, per account and region, held by the Logs service; other services
 * (Lambda) reach it through {@link LogsService#logStore()} to write into the groups the Logs API reads.
 * Every accepted batch, from either side, goes to the {@link Ingestion} listeners (subscription and
 * metric filters, live tails).
 */
public final class LogStore {
    /** Told about each batch of events accepted into a stream, after it is stored. */
    interface Ingestion {
        void ingested(LogGroup group, LogStream stream, List<LogEvent> events);
    }

    private final Clock clock;
    private final AtomicLong eventIds = new AtomicLong();
    private final Map<String, ConcurrentSkipListMap<String, LogGroup>> groups = new ConcurrentHashMap<>();
    private final List<Ingestion> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentSkipListMap<String, Struct>> records = new ConcurrentHashMap<>();

    LogStore(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() { return clock; }

    long now() { return clock.millis(); }

    void onIngestion(Ingestion listener) {
        listeners.add(listener);
    }

    ConcurrentSkipListMap<String, LogGroup> groups(String account, String region) {
        return groups.computeIfAbsent(account + "/" + region, k -> new ConcurrentSkipListMap<>());
    }

    static String groupArn(String account, String region, String name) {
        return "arn:aws:logs:" + region + ":" + account + ":log-group:" + name;
    }

    LogGroup createGroup(String account, String region, String name, String logGroupClass) {
        LogGroup g = new LogGroup(account, region, name, groupArn(account, region, name), now(), logGroupClass);
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

    /** The group of a logGroupName, or of a logGroupIdentifier (a name or an ARN). */
    LogGroup group(Call call, String nameOrArn) {
        return requireGroup(call.account(), call.region(), nameOf(nameOrArn));
    }

    /** logGroupName or logGroupIdentifier (a name or an ARN), exactly one of them, as the group. */
    LogGroup group(Call call, Struct in) {
        String name = in.string("logGroupName");
        String id = in.string("logGroupIdentifier");
        if (name != null && id != null) {
            throw LogsErrors.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (name == null && id == null) {
            throw LogsErrors.invalidParameter("Should provide either logGroupName or logGroupIdentifier.");
        }
        return group(call, name != null ? name : id);
    }

    /** A group's name from its name or ARN (with or without the trailing :*). */
    static String nameOf(String nameOrArn) {
        if (nameOrArn != null && nameOrArn.startsWith("arn:")) {
            int at = nameOrArn.indexOf(":log-group:");
            String rest = at < 0 ? nameOrArn : nameOrArn.substring(at + ":log-group:".length());
            return rest.endsWith(":*") ? rest.substring(0, rest.length() - 2) : rest;
        }
        return nameOrArn;
    }

    LogStream requireStream(LogGroup g, String name) {
        LogStream s = name == null ? null : g.streams.get(name);
        if (s == null) {
            throw LogsErrors.streamNotFound();
        }
        return s;
    }

    LogStream createStream(LogGroup g, String name) {
        LogStream s = new LogStream(name, g.arn + ":log-stream:" + name, now());
        if (g.streams.putIfAbsent(name, s) != null) {
            throw new AwsException("ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        return s;
    }

    /** Stores a batch in a stream and tells the listeners; returns the stream's next sequence token. */
    String append(LogGroup g, LogStream s, List<LogEvent> events) {
        events = masked(g, transformed(g, events));
        String token = s.append(events, now());
        if (!events.isEmpty()) {
            for (Ingestion l : listeners) {
                l.ingested(g, s, events);
            }
        }
        return token;
    }

    /**
     * The events as the group's transformer rewrites them (each keeps the event as sent); as sent without one.
     * The group's own transformer wins over an account-level TRANSFORMER_POLICY that covers the group.
     */
    private List<LogEvent> transformed(LogGroup g, List<LogEvent> events) {
        List<Struct> processors = transformerOf(g);
        if (processors == null) {
            return events;
        }
        List<LogEvent> out = new ArrayList<>(events.size());
        for (LogEvent e : events) {
            String transformed = LogTransformer.run(processors, e.message());
            out.add(transformed == null ? e : e.transformedTo(transformed));
        }
        return out;
    }

    private List<Struct> transformerOf(LogGroup g) {
        Struct own = g.transformer;
        if (own != null) {
            return own.structs("transformerConfig");
        }
        if (!"STANDARD".equals(g.logGroupClass)) {
            return null;
        }
        for (Struct p : records(Policies.ACCOUNT_POLICIES, g.account, g.region).values()) {
            if ("TRANSFORMER_POLICY".equals(p.string("policyType"))) {
                List<String> prefixes = LogTransformer.policyPrefixes(p.string("selectionCriteria"));
                if (prefixes.isEmpty() || prefixes.stream().anyMatch(g.name::startsWith)) {
                    return LogTransformer.policyProcessors(p.string("policyDocument"));
                }
            }
        }
        return null;
    }

    /** The events with the masking of the group's and the account's data protection policies applied. */
    private List<LogEvent> masked(LogGroup g, List<LogEvent> events) {
        List<DataProtection> policies = new ArrayList<>();
        Struct own = g.dataProtectionPolicy;
        if (own != null) {
            policies.add(DataProtection.of(own.string("policyDocument")));
        }
        for (Struct p : records(Policies.ACCOUNT_POLICIES, g.account, g.region).values()) {
            if ("DATA_PROTECTION_POLICY".equals(p.string("policyType"))) {
                policies.add(DataProtection.of(p.string("policyDocument")));
            }
        }
        if (policies.isEmpty()) {
            return events;
        }
        List<LogEvent> out = new ArrayList<>(events.size());
        for (LogEvent e : events) {
            LogEvent m = masked(policies, e);
            out.add(e.original() == null ? m : m.withOriginal(masked(policies, e.original())));
        }
        return out;
    }

    private static LogEvent masked(List<DataProtection> policies, LogEvent e) {
        String masked = null;
        for (DataProtection d : policies) {
            String m = d.mask(masked == null ? e.message() : masked);
            masked = m == null ? masked : m;
        }
        return masked == null ? e : e.withMasked(masked);
    }

    /**
     * Writes lines as one batch to a stream, creating the group and stream when missing (as Lambda's
     * execution role does with logs:CreateLogGroup / CreateLogStream). Each line is one event at now.
     */
    public void write(String account, String region, String group, String stream, List<String> lines) {
        long now = now();
        LogGroup g = groups(account, region).computeIfAbsent(group,
                n -> new LogGroup(account, region, n, groupArn(account, region, n), now, "STANDARD"));
        LogStream s = g.streams.computeIfAbsent(stream, n -> new LogStream(n, g.arn + ":log-stream:" + n, now));
        append(g, s, lines.stream().map(l -> new LogEvent(now, l, now, nextEventId())).toList());
    }

    /** Carries out every group's retention policy at now (run when the clock advances). */
    void expireAll() {
        long now = now();
        for (Map<String, LogGroup> scope : groups.values()) {
            scope.values().forEach(g -> g.expire(now));
        }
    }

    /** All groups of every scope (for sweeps). */
    List<LogGroup> allGroups() {
        List<LogGroup> out = new ArrayList<>();
        groups.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /** AWS's event ids are 56-digit decimal strings. */
    String nextEventId() {
        return String.format("%056d", eventIds.incrementAndGet());
    }

    /**
     * The stored records of one kind (resource policies, destinations, query definitions, deliveries...)
     * in one account and region, by their key.
     */
    ConcurrentSkipListMap<String, Struct> records(String kind, String account, String region) {
        return records.computeIfAbsent(kind + "/" + account + "/" + region, k -> new ConcurrentSkipListMap<>());
    }

    void clear() {
        groups.clear();
        records.clear();
    }
}
