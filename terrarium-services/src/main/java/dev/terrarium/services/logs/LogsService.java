package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Amazon CloudWatch Logs: groups, streams, events, filters, retention and tags. */
@Service("logs")
public final class LogsService implements AwsService {
    private static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
            545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    private static final long BATCH_BYTES = 1_048_576;
    private static final int EVENT_OVERHEAD = 26;
    private static final long DAY = 86_400_000L;

    private final LogStore store;

    public LogsService(ServiceContext context) {
        this.store = new LogStore(context.clock());
    }

    /** Where other services (Lambda) write their logs, so that the Logs API reads them. */
    public LogStore logStore() {
        return store;
    }

    @Override
    public void reset() {
        store.clear();
    }

    private long now() { return store.clock().millis(); }

    // --- groups

    @AwsOperation("CreateLogGroup")
    public Struct createLogGroup(Call call, Struct in) {
        Map<String, String> tags = in.stringMap("tags");
        LogGroup g = store.createGroup(call.account(), call.region(), in.string("logGroupName"),
                in.string("logGroupClass", "STANDARD"));
        if (tags != null) {
            g.tags.put(tags, "InvalidParameterException");
        }
        return null;
    }

    @AwsOperation("DeleteLogGroup")
    public Struct deleteLogGroup(Call call, Struct in) {
        if (store.groups(call.account(), call.region()).remove(in.string("logGroupName")) == null) {
            throw LogsErrors.groupNotFound();
        }
        return null;
    }

    @AwsOperation("DescribeLogGroups")
    public Struct describeLogGroups(Call call, Struct in) {
        String prefix = in.string("logGroupNamePrefix");
        String pattern = in.string("logGroupNamePattern");
        if (prefix != null && pattern != null) {
            throw LogsErrors.invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        List<String> identifiers = in.strings("logGroupIdentifiers");
        List<LogGroup> matching = new ArrayList<>();
        for (LogGroup g : store.groups(call.account(), call.region()).values()) {
            if ((prefix == null || g.name.startsWith(prefix))
                    && (pattern == null || g.name.toLowerCase().contains(pattern.toLowerCase()))
                    && (identifiers == null || identifiers.contains(g.name) || identifiers.contains(g.arn))
                    && (in.string("logGroupClass") == null || in.string("logGroupClass").equals(g.logGroupClass))) {
                matching.add(g);
            }
        }
        Pagination.Page<LogGroup> page = Pagination.page(matching, LogGroup::name, in.string("nextToken"),
                in.integer("limit", 50), LogsErrors::invalidToken);
        return Struct.of("logGroups", page.items().stream().map(this::describe).toList(), "nextToken", page.nextToken());
    }

    private Struct describe(LogGroup g) {
        return Struct.of("logGroupName", g.name, "creationTime", g.creationTime, "retentionInDays", g.retentionInDays,
                "metricFilterCount", 0, "arn", g.arn + ":*", "logGroupArn", g.arn, "storedBytes", g.storedBytes(),
                "logGroupClass", g.logGroupClass);
    }

    @AwsOperation("PutRetentionPolicy")
    public Struct putRetentionPolicy(Call call, Struct in) {
        int days = in.integer("retentionInDays");
        if (!RETENTION_DAYS.contains(days)) {
            throw LogsErrors.invalidParameter("1 validation error detected: Value '" + days
                    + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: "
                    + RETENTION_DAYS.stream().sorted().toList());
        }
        group(call, in.string("logGroupName")).retentionInDays = days;
        return null;
    }

    @AwsOperation("DeleteRetentionPolicy")
    public Struct deleteRetentionPolicy(Call call, Struct in) {
        group(call, in.string("logGroupName")).retentionInDays = null;
        return null;
    }

    // --- tags

    @AwsOperation("TagLogGroup")
    public Struct tagLogGroup(Call call, Struct in) {
        group(call, in.string("logGroupName")).tags.put(in.stringMap("tags"), "InvalidParameterException");
        return null;
    }

    @AwsOperation("UntagLogGroup")
    public Struct untagLogGroup(Call call, Struct in) {
        group(call, in.string("logGroupName")).tags.remove(in.strings("tags"));
        return null;
    }

    @AwsOperation("ListTagsLogGroup")
    public Struct listTagsLogGroup(Call call, Struct in) {
        return Struct.of("tags", group(call, in.string("logGroupName")).tags.asMap());
    }

    @AwsOperation("TagResource")
    public Struct tagResource(Call call, Struct in) {
        groupByArn(call, in.string("resourceArn")).tags.put(in.stringMap("tags"), "InvalidParameterException");
        return null;
    }

    @AwsOperation("UntagResource")
    public Struct untagResource(Call call, Struct in) {
        groupByArn(call, in.string("resourceArn")).tags.remove(in.strings("tagKeys"));
        return null;
    }

    @AwsOperation("ListTagsForResource")
    public Struct listTagsForResource(Call call, Struct in) {
        return Struct.of("tags", groupByArn(call, in.string("resourceArn")).tags.asMap());
    }

    private LogGroup groupByArn(Call call, String arn) {
        String prefix = LogStore.groupArn(call.account(), call.region(), "");
        if (arn == null || !arn.startsWith(prefix)) {
            throw LogsErrors.invalidParameter("Invalid resource arn: " + arn);
        }
        String name = arn.substring(prefix.length());
        return group(call, name.endsWith(":*") ? name.substring(0, name.length() - 2) : name);
    }

    // --- streams

    @AwsOperation("CreateLogStream")
    public Struct createLogStream(Call call, Struct in) {
        store.createStream(group(call, in.string("logGroupName")), in.string("logStreamName"));
        return null;
    }

    @AwsOperation("DeleteLogStream")
    public Struct deleteLogStream(Call call, Struct in) {
        if (group(call, in.string("logGroupName")).streams.remove(in.string("logStreamName")) == null) {
            throw LogsErrors.streamNotFound();
        }
        return null;
    }

    @AwsOperation("DescribeLogStreams")
    public Struct describeLogStreams(Call call, Struct in) {
        LogGroup g = group(call, groupName(in));
        String prefix = in.string("logStreamNamePrefix");
        boolean byTime = "LastEventTime".equals(in.string("orderBy"));
        if (byTime && prefix != null) {
            throw LogsErrors.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        List<LogStream> streams = new ArrayList<>();
        for (LogStream s : g.streams.values()) {
            if (prefix == null || s.name.startsWith(prefix)) {
                streams.add(s);
            }
        }
        Comparator<LogStream> order = byTime
                ? Comparator.comparing((LogStream s) -> s.lastEventTimestamp() == null ? Long.MIN_VALUE : s.lastEventTimestamp())
                        .thenComparing(s -> s.name)
                : Comparator.comparing(s -> s.name);
        streams.sort(in.bool("descending", false) ? order.reversed() : order);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            keys.add(String.format("%08d", i));
        }
        Pagination.Page<String> page = Pagination.page(keys, k -> k, in.string("nextToken"), in.integer("limit", 50),
                LogsErrors::invalidToken);
        List<Struct> out = new ArrayList<>();
        for (String k : page.items()) {
            LogStream s = streams.get(Integer.parseInt(k));
            out.add(Struct.of("logStreamName", s.name, "creationTime", s.creationTime,
                    "firstEventTimestamp", s.firstEventTimestamp(), "lastEventTimestamp", s.lastEventTimestamp(),
                    "lastIngestionTime", s.lastIngestionTime(), "arn", s.arn, "storedBytes", 0L));
        }
        return Struct.of("logStreams", out, "nextToken", page.nextToken());
    }

    // --- events

    @AwsOperation("PutLogEvents")
    public Struct putLogEvents(Call call, Struct in) {
        LogGroup g = group(call, in.string("logGroupName"));
        LogStream s = g.streams.get(in.string("logStreamName"));
        if (s == null) {
            throw LogsErrors.streamNotFound();
        }
        List<Struct> events = in.structs("logEvents");
        long now = now();
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
            if (size + EVENT_OVERHEAD > 1_048_576) {
                throw LogsErrors.invalidParameter("Log event too large: " + size + " bytes exceeds limit of 1048550");
            }
            bytes += size + EVENT_OVERHEAD;
            if (ts > now + 2 * 3_600_000L) {
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
        if (events.get(events.size() - 1).longValue("timestamp") - events.get(0).longValue("timestamp") > DAY) {
            throw LogsErrors.invalidParameter(
                    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        // Since January 2023 AWS ignores sequenceToken (any or none is accepted) but still returns one.
        String token = s.append(accepted, now);
        Struct rejected = tooNewStart == null && tooOldEnd == null && expiredEnd == null ? null
                : Struct.of("tooNewLogEventStartIndex", tooNewStart, "tooOldLogEventEndIndex", tooOldEnd,
                "expiredLogEventEndIndex", expiredEnd);
        return Struct.of("nextSequenceToken", token, "rejectedLogEventsInfo", rejected);
    }

    @AwsOperation("GetLogEvents")
    public Struct getLogEvents(Call call, Struct in) {
        LogGroup g = group(call, groupName(in));
        LogStream s = g.streams.get(in.string("logStreamName"));
        if (s == null) {
            throw LogsErrors.streamNotFound();
        }
        List<LogEvent> events = s.events(in.longValue("startTime"), in.longValue("endTime"), g.retainedFrom(now()));
        int limit = in.integer("limit", 10_000);
        int n = events.size();
        int start;
        int end;
        String token = in.string("nextToken");
        if (token != null) {
            int position = position(token, n);
            if (token.startsWith("f/")) {
                start = position;
                end = Math.min(n, start + limit);
            } else {
                end = position;
                start = Math.max(0, end - limit);
            }
        } else if (in.bool("startFromHead", false)) {
            start = 0;
            end = Math.min(n, limit);
        } else {
            end = n;
            start = Math.max(0, n - limit);
        }
        end = trimToBytes(events, start, end);
        List<Struct> out = new ArrayList<>();
        for (LogEvent e : events.subList(start, end)) {
            out.add(Struct.of("timestamp", e.timestamp(), "message", e.message(), "ingestionTime", e.ingestionTime()));
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
    private static int trimToBytes(List<LogEvent> events, int start, int end) {
        long bytes = 0;
        for (int i = start; i < end; i++) {
            bytes += events.get(i).message().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
            if (bytes > BATCH_BYTES) {
                return Math.max(start + 1, i);
            }
        }
        return end;
    }

    @AwsOperation("FilterLogEvents")
    public Struct filterLogEvents(Call call, Struct in) {
        LogGroup g = group(call, groupName(in));
        List<String> names = in.strings("logStreamNames");
        String prefix = in.string("logStreamNamePrefix");
        if (names != null && prefix != null) {
            throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        FilterPattern pattern = FilterPattern.parse(in.string("filterPattern"));
        record Hit(LogStream stream, LogEvent event, String key) {
        }
        List<Hit> hits = new ArrayList<>();
        List<Struct> searched = new ArrayList<>();
        long retainedFrom = g.retainedFrom(now());
        for (LogStream s : g.streams.values()) {
            if ((names != null && !names.contains(s.name)) || (prefix != null && !s.name.startsWith(prefix))) {
                continue;
            }
            searched.add(Struct.of("logStreamName", s.name, "searchedCompletely", true));
            for (LogEvent e : s.events(in.longValue("startTime"), in.longValue("endTime"), retainedFrom)) {
                if (pattern.matches(e.message())) {
                    hits.add(new Hit(s, e, String.format("%020d/%s", e.timestamp(), e.eventId())));
                }
            }
        }
        hits.sort(Comparator.comparing(Hit::key));
        Pagination.Page<Hit> page = Pagination.page(hits, Hit::key, in.string("nextToken"), in.integer("limit", 10_000),
                LogsErrors::invalidToken);
        List<Struct> out = new ArrayList<>();
        for (Hit h : page.items()) {
            out.add(Struct.of("logStreamName", h.stream.name, "timestamp", h.event.timestamp(), "message", h.event.message(),
                    "ingestionTime", h.event.ingestionTime(), "eventId", h.event.eventId()));
        }
        return Struct.of("events", out, "searchedLogStreams", searched, "nextToken", page.nextToken());
    }

    // --- helpers

    private LogGroup group(Call call, String name) {
        return store.requireGroup(call.account(), call.region(), name);
    }

    /** logGroupName or logGroupIdentifier (a name or an ARN), exactly one of them. */
    private static String groupName(Struct in) {
        String name = in.string("logGroupName");
        String id = in.string("logGroupIdentifier");
        if (name != null && id != null) {
            throw LogsErrors.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (name == null && id == null) {
            throw LogsErrors.invalidParameter("Should provide either logGroupName or logGroupIdentifier.");
        }
        if (id != null && id.startsWith("arn:")) {
            int at = id.indexOf(":log-group:");
            String rest = at < 0 ? id : id.substring(at + ":log-group:".length());
            return rest.endsWith(":*") ? rest.substring(0, rest.length() - 2) : rest;
        }
        return name != null ? name : id;
    }
}
