package dev.terrarium.services.logs;

import dev.terrarium.core.service.Daemons;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.EventStream;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * StartLiveTail: a session streaming the events ingested into some log groups as they arrive. The answer is an
 * event stream: first a sessionStart event echoing the session's criteria, then about once a second a
 * sessionUpdate with the events that matched since the last one (empty when none; at most 500, more are sampled;
 * at most 10 updates wait for a slow client). The session ends
 * when the client goes away, or after the session timeout (3 hours, as AWS; the system property
 * {@code terrarium.logs.liveTailSeconds} shortens it) with a SessionTimeoutException event.
 */
final class LiveTail implements LogStore.Ingestion, LogsService.Resettable {
    static final String TIMEOUT_PROPERTY = "terrarium.logs.liveTailSeconds";
    private static final long DEFAULT_TIMEOUT_SECONDS = 3 * 60 * 60;
    private static final int MAX_GROUPS = 10;
    private static final int MAX_SESSIONS = 15;
    private static final int MAX_RESULTS = 500;
    /** Updates held for a slow client, as AWS buffers them; beyond it the matches are sampled. */
    private static final int MAX_BUFFERED_UPDATES = 10;

    private final LogStore store;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Daemons.scheduled("logs-live-tail");

    LiveTail(LogStore store) {
        this.store = store;
        store.onIngestion(this);
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** One live tail session: what it follows, and the matches not yet sent. */
    private static final class Session {
        final String account;
        final String region;
        final Set<String> groupNames;
        final List<String> streamNames;
        final List<String> streamPrefixes;
        final FilterPattern filter;
        final EventStream events;
        final long deadline;
        final List<Struct> pending = new ArrayList<>();
        boolean sampled;

        Session(String account, String region, Set<String> groupNames, List<String> streamNames,
                List<String> streamPrefixes, FilterPattern filter, EventStream events, long deadline) {
            this.account = account;
            this.region = region;
            this.groupNames = groupNames;
            this.streamNames = streamNames;
            this.streamPrefixes = streamPrefixes;
            this.filter = filter;
            this.events = events;
            this.deadline = deadline;
        }

        boolean follows(LogGroup g, LogStream s) {
            if (!g.account.equals(account) || !g.region.equals(region) || !groupNames.contains(g.name)) {
                return false;
            }
            if (streamNames != null) {
                return streamNames.contains(s.name);
            }
            if (streamPrefixes != null) {
                return streamPrefixes.stream().anyMatch(s.name::startsWith);
            }
            return true;
        }
    }

    @AwsOperation("StartLiveTail")
    public Struct startLiveTail(Call call, Struct in) {
        List<String> ids = in.strings("logGroupIdentifiers");
        List<String> streamNames = in.strings("logStreamNames");
        List<String> prefixes = in.strings("logStreamNamePrefixes");
        if (ids.size() > MAX_GROUPS) {
            throw LogsErrors.invalidParameter("logGroupIdentifiers can contain at most " + MAX_GROUPS + " log groups.");
        }
        if (streamNames != null && prefixes != null && !streamNames.isEmpty() && !prefixes.isEmpty()) {
            throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.");
        }
        if ((nonEmpty(streamNames) || nonEmpty(prefixes)) && ids.size() != 1) {
            throw LogsErrors.invalidParameter(
                    "Only one log group can be specified when logStreamNames or logStreamNamePrefixes is provided.");
        }
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String id : ids) {
            if (id.endsWith("*")) {
                throw LogsErrors.invalidParameter("Log group ARNs in logGroupIdentifiers must not end with '*'.");
            }
            names.add(store.group(call, id).name);
        }
        String pattern = in.string("logEventFilterPattern");
        FilterPattern filter = FilterPattern.parse(pattern);
        long open = sessions.stream().filter(s -> s.account.equals(call.account()) && s.region.equals(call.region())).count();
        if (open >= MAX_SESSIONS) {
            throw new AwsException("LimitExceededException",
                    "You have exceeded the maximum number of concurrent Live Tail sessions (" + MAX_SESSIONS + ").");
        }
        EventStream events = new EventStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds());
        Session session = new Session(call.account(), call.region(), names, nonEmpty(streamNames) ? streamNames : null,
                nonEmpty(prefixes) ? prefixes : null, filter, events, deadline);
        Struct start = Struct.of("requestId", call.requestId(), "sessionId", UUID.randomUUID().toString(),
                "logGroupIdentifiers", ids);
        if (nonEmpty(streamNames)) {
            start.put("logStreamNames", streamNames);
        }
        if (nonEmpty(prefixes)) {
            start.put("logStreamNamePrefixes", prefixes);
        }
        start.put("logEventFilterPattern", pattern == null ? "" : pattern);
        events.emit("sessionStart", start);
        sessions.add(session);
        events.onClose(() -> sessions.remove(session));
        return Struct.of("responseStream", events);
    }

    private static boolean nonEmpty(List<String> l) {
        return l != null && !l.isEmpty();
    }

    private static long timeoutSeconds() {
        try {
            return Long.parseLong(System.getProperty(TIMEOUT_PROPERTY, Long.toString(DEFAULT_TIMEOUT_SECONDS)));
        } catch (NumberFormatException e) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
    }

    @Override
    public void ingested(LogGroup group, LogStream stream, List<LogEvent> batch) {
        for (Session s : sessions) {
            if (!s.follows(group, stream)) {
                continue;
            }
            synchronized (s) {
                for (LogEvent e : batch) {
                    String message = e.message(false);
                    if (!s.filter.matches(message)) {
                        continue;
                    }
                    if (s.pending.size() >= MAX_RESULTS) {
                        s.sampled = true;
                        continue;
                    }
                    s.pending.add(Struct.of("logStreamName", stream.name, "logGroupIdentifier", group.arn,
                            "message", message, "timestamp", e.timestamp(), "ingestionTime", e.ingestionTime()));
                }
            }
        }
    }

    /** Once a second: each session's update, or its end. */
    private void tick() {
        long now = System.nanoTime();
        for (Session s : sessions) {
            try {
                if (!s.events.isOpen()) {
                    sessions.remove(s);
                    continue;
                }
                if (now - s.deadline >= 0) {
                    sessions.remove(s);
                    s.events.fail(new AwsException("SessionTimeoutException", "Session timed out."));
                    continue;
                }
                if (s.events.pending() >= MAX_BUFFERED_UPDATES) {
                    continue; // a slow client: matches keep gathering (up to 500, then sampled)
                }
                List<Struct> results;
                boolean sampled;
                synchronized (s) {
                    results = new ArrayList<>(s.pending);
                    sampled = s.sampled;
                    s.pending.clear();
                    s.sampled = false;
                }
                s.events.emit("sessionUpdate", Struct.of("sessionMetadata", Struct.of("sampled", sampled),
                        "sessionResults", results));
            } catch (RuntimeException e) {
                sessions.remove(s);
                s.events.fail(new AwsException("SessionStreamingException", "The session stream failed."));
            }
        }
    }

    @Override
    public void reset() {
        for (Session s : sessions) {
            s.events.complete();
        }
        sessions.clear();
    }

    @Override
    public void close() {
        reset();
        ticker.shutdownNow();
    }
}
