package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Writing and reading events: PutLogEvents, GetLogEvents, FilterLogEvents. */
final class LogEvents {
    static final long BATCH_BYTES = 1_048_576;
    static final int EVENT_OVERHEAD = 26;
    private static final long DAY = 86_400_000L;
    private static final long TWO_HOURS = 2 * 3_600_000L;

    private final LogStore store;

    LogEvents(LogStore store) {
        this.store = store;
    }

    /**
     * The rules AWS states: at most 10,000 events (the model) and 1,048,576 bytes counting 26 bytes per event;
     * events in chronological order; events more than 2 hours ahead, more than 14 days old or older than the
     * retention are rejected (reported in rejectedLogEventsInfo) while the others are stored; the valid ones
     * may span at most 24 hours; the sequence token is ignored.
     */
    @AwsOperation("PutLogEvents")
    public Struct putLogEvents(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupName"));
        LogStream s = store.requireStream(g, in.string("logStreamName"));
        List<Struct> events = in.structs("logEvents");
        long now = store.now();
        long bytes = 0;
        Integer tooNewStart = null;
        Integer tooOldEnd = null;
        Integer expiredEnd = null;
        long retainedFrom = g.retainedFrom(now);
        List<LogEvent> accepted = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Struct e = events.get(i);
            long ts = e.longValue("timestamp");
            String message = e.string("message");
            if (i > 0 && ts < events.get(i - 1).longValue("timestamp")) {
                throw LogsErrors.invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }
            int size = message.getBytes(StandardCharsets.UTF_8).length;
            if (size + EVENT_OVERHEAD > BATCH_BYTES) {
                throw LogsErrors.invalidParameter("Log event too large: " + (size + EVENT_OVERHEAD)
                        + " bytes exceeds limit of " + BATCH_BYTES);
            }
            bytes += size + EVENT_OVERHEAD;
            if (ts > now + TWO_HOURS) {
                tooNewStart = tooNewStart == null ? i : tooNewStart;
            } else if (ts < now - 14 * DAY) {
                tooOldEnd = i + 1;
            } else if (ts < retainedFrom) {
                expiredEnd = i + 1;
            } else {
                accepted.add(new LogEvent(ts, message, now, store.nextEventId()));
            }
        }
        if (bytes > BATCH_BYTES) {
            throw LogsErrors.invalidParameter("Upload too large: " + bytes + " bytes exceeds limit of " + BATCH_BYTES);
        }
        if (!accepted.isEmpty() && accepted.get(accepted.size() - 1).timestamp() - accepted.get(0).timestamp() > DAY) {
            throw LogsErrors.invalidParameter(
                    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        String token = store.append(g, s, accepted);
        Struct rejected = tooNewStart == null && tooOldEnd == null && expiredEnd == null ? null
                : Struct.of("tooNewLogEventStartIndex", tooNewStart, "tooOldLogEventEndIndex", tooOldEnd,
                "expiredLogEventEndIndex", expiredEnd);
        return Struct.of("nextSequenceToken", token, "rejectedLogEventsInfo", rejected);
    }

    /**
     * Pages through one stream. Without a token: the newest events (or the oldest with startFromHead).
     * nextForwardToken continues after the page, nextBackwardToken before it; at either end the token
     * handed back is the one given, which is how clients know to stop.
     */
    @AwsOperation("GetLogEvents")
    public Struct getLogEvents(Call call, Struct in) {
        LogGroup g = store.group(call, in);
        LogStream s = store.requireStream(g, in.string("logStreamName"));
        List<LogEvent> events = s.events(in.longValue("startTime"), in.longValue("endTime"), g.retainedFrom(store.now()));
        int limit = in.integer("limit", 10_000);
        int n = events.size();
        int start;
        int end;
        String token = in.string("nextToken");
        boolean forward;
        if (token != null) {
            int position = position(token, n);
            forward = token.startsWith("f/");
            if (forward) {
                start = position;
                end = Math.min(n, start + limit);
            } else {
                end = position;
                start = Math.max(0, end - limit);
            }
        } else if (in.bool("startFromHead", false)) {
            forward = true;
            start = 0;
            end = Math.min(n, limit);
        } else {
            forward = false;
            end = n;
            start = Math.max(0, n - limit);
        }
        if (forward) {
            end = trimForward(events, start, end);
        } else {
            start = trimBackward(events, start, end);
        }
        List<Struct> out = new ArrayList<>();
        boolean unmask = in.bool("unmask", false);
        for (LogEvent e : events.subList(start, end)) {
            out.add(Struct.of("timestamp", e.timestamp(), "message", e.message(unmask), "ingestionTime", e.ingestionTime()));
        }
        return Struct.of("events", out, "nextForwardToken", String.format("f/%056d", end),
                "nextBackwardToken", String.format("b/%056d", start));
    }

    private static int position(String token, int size) {
        if ((token.startsWith("f/") || token.startsWith("b/")) && token.length() > 2) {
            try {
                long p = Long.parseLong(token.substring(2));
                return (int) Math.min(p, size);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw LogsErrors.invalidToken();
    }

    /** Responses carry at most 1 MB of events. */
    private static int trimForward(List<LogEvent> events, int start, int end) {
        long bytes = 0;
        for (int i = start; i < end; i++) {
            bytes += events.get(i).message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
            if (bytes > BATCH_BYTES) {
                return Math.max(start + 1, i);
            }
        }
        return end;
    }

    private static int trimBackward(List<LogEvent> events, int start, int end) {
        long bytes = 0;
        for (int i = end - 1; i >= start; i--) {
            bytes += events.get(i).message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
            if (bytes > BATCH_BYTES) {
                return Math.min(end - 1, i + 1);
            }
        }
        return start;
    }

    @AwsOperation("FilterLogEvents")
    public Struct filterLogEvents(Call call, Struct in) {
        LogGroup g = store.group(call, in);
        List<String> names = in.strings("logStreamNames");
        String prefix = in.string("logStreamNamePrefix");
        if (names != null && prefix != null) {
            throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        FilterPattern pattern = FilterPattern.parse(in.string("filterPattern"));
        boolean unmask = in.bool("unmask", false);
        record Hit(LogStream stream, LogEvent event, String key) {
        }
        List<Hit> hits = new ArrayList<>();
        long retainedFrom = g.retainedFrom(store.now());
        for (LogStream s : g.streams.values()) {
            if ((names != null && !names.contains(s.name)) || (prefix != null && !s.name.startsWith(prefix))) {
                continue;
            }
            for (LogEvent e : s.events(in.longValue("startTime"), in.longValue("endTime"), retainedFrom)) {
                if (pattern.matches(e.message(unmask))) {
                    hits.add(new Hit(s, e, String.format("%020d/%s", e.timestamp(), e.eventId())));
                }
            }
        }
        hits.sort(Comparator.comparing(Hit::key));
        Pagination.Page<Hit> page = Pagination.page(hits, Hit::key, in.string("nextToken"), in.integer("limit", 10_000),
                LogsErrors::invalidToken);
        List<Struct> out = new ArrayList<>();
        for (Hit h : page.items()) {
            out.add(Struct.of("logStreamName", h.stream.name, "timestamp", h.event.timestamp(), "message", h.event.message(unmask),
                    "ingestionTime", h.event.ingestionTime(), "eventId", h.event.eventId()));
        }
        // searchedLogStreams is deprecated: AWS returns it empty
        return Struct.of("events", out, "searchedLogStreams", List.of(), "nextToken", page.nextToken());
    }
}
