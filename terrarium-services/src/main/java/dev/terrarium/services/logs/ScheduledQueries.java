package dev.terrarium.services.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Daemons;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;
import dev.terrarium.services.s3.S3Service;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scheduled queries: Logs Insights queries (CWLI) run on a {@link ScheduleExpression} against the core clock,
 * each run recorded in the query's history and its results delivered to its S3 destination through the S3
 * service. Runs happen when their time comes: a timer checks every second of real time, and every advance
 * of a virtual clock runs what became due before the advance returns (each missed time once, in order, at
 * most {@value #MAX_CATCH_UP} per query per advance: the latest ones). A run at time T queries
 * [T - startTimeOffset, T); without an offset, the time since the previous run (or since the schedule began).
 * The results land at {prefix}/{name}/{yyyy/MM/dd/HH/mm of T}/{queryId}.json as one JSON document (Terrarium's
 * layout: AWS documents JSON files at the prefix but not their naming). Times (schedule start and end, history
 * range) are epoch milliseconds like the rest of the Logs API; an Update replaces the whole configuration and
 * restarts the schedule from its time (a rate counts again from then).
 */
final class ScheduledQueries implements LogsService.Resettable {
    static final int MAX_CATCH_UP = 1000;
    /** The runs a scheduled query remembers (the oldest go first). */
    static final int MAX_HISTORY = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern S3_URI = Pattern.compile("^s3://([a-z0-9][.\\-a-z0-9]{1,61}[a-z0-9])(?:/(.*))?$");
    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/mm").withZone(ZoneOffset.UTC);

    /** One scheduled query: its configuration (as Get returns it), its schedule, and its history. */
    private static final class Scheduled {
        final String arn;
        final String account;
        final String region;
        final String name;
        final long creationTime;
        final Tags tags = new Tags();
        final List<Struct> history = new ArrayList<>();
        Struct config;
        ScheduleExpression schedule;
        ZoneId zone;
        long lastUpdatedTime;
        Long lastTriggeredTime;
        String lastExecutionStatus;
        /** When the schedule began (rates count from it), the next trigger time, and the last one (or the beginning). */
        long anchor;
        long nextRun;
        long previousRun;

        Scheduled(String arn, String account, String region, String name, long creationTime) {
            this.arn = arn;
            this.account = account;
            this.region = region;
            this.name = name;
            this.creationTime = creationTime;
        }
    }

    private final LogStore store;
    private final Insights insights;
    private final Peers peers;
    private final Clock clock;
    private final Map<String, ConcurrentSkipListMap<String, Scheduled>> queries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Daemons.scheduled("logs-scheduled-queries");
    private final AutoCloseable advances;

    ScheduledQueries(LogStore store, Insights insights, ServiceContext context) {
        this.store = store;
        this.insights = insights;
        this.peers = context.peers();
        this.clock = context.clock();
        this.advances = clock.onAdvance(this::runDue);
        if (!clock.isVirtual()) {
            timer.scheduleWithFixedDelay(this::runDueQuietly, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void reset() {
        synchronized (this) {
            queries.clear();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            advances.close();
        } catch (Exception ignored) {
            // nothing to release
        }
    }

    private ConcurrentSkipListMap<String, Scheduled> scope(String account, String region) {
        return queries.computeIfAbsent(account + "/" + region, k -> new ConcurrentSkipListMap<>());
    }

    private static AwsException invalid(String message) {
        return new AwsException("ValidationException", message);
    }

    private static AwsException notFound(String identifier) {
        return new AwsException("ResourceNotFoundException", "Scheduled query " + identifier + " does not exist.");
    }

    // --- operations

    @AwsOperation("CreateScheduledQuery")
    public Struct createScheduledQuery(Call call, Struct in) {
        String name = in.string("name");
        Map<String, String> tags = in.stringMap("tags");
        synchronized (this) {
            ConcurrentSkipListMap<String, Scheduled> scope = scope(call.account(), call.region());
            if (scope.containsKey(name)) {
                throw new AwsException("ConflictException", "A scheduled query named " + name + " already exists.");
            }
            long now = store.now();
            Scheduled q = new Scheduled("arn:aws:logs:" + call.region() + ":" + call.account() + ":scheduled-query:"
                    + UUID.randomUUID(), call.account(), call.region(), name, now);
            configure(call, q, in, now);
            if (tags != null) {
                q.tags.put(tags, "ValidationException");
            }
            scope.put(name, q);
            return Struct.of("scheduledQueryArn", q.arn, "state", q.config.string("state"));
        }
    }

    @AwsOperation("UpdateScheduledQuery")
    public Struct updateScheduledQuery(Call call, Struct in) {
        synchronized (this) {
            Scheduled q = find(call, in.string("identifier"));
            configure(call, q, in, store.now());
            return describe(q);
        }
    }

    @AwsOperation("GetScheduledQuery")
    public Struct getScheduledQuery(Call call, Struct in) {
        synchronized (this) {
            return describe(find(call, in.string("identifier")));
        }
    }

    @AwsOperation("DeleteScheduledQuery")
    public Struct deleteScheduledQuery(Call call, Struct in) {
        synchronized (this) {
            Scheduled q = find(call, in.string("identifier"));
            scope(call.account(), call.region()).remove(q.name);
            return null;
        }
    }

    @AwsOperation("ListScheduledQueries")
    public Struct listScheduledQueries(Call call, Struct in) {
        String state = in.string("state");
        List<Struct> summaries = new ArrayList<>();
        synchronized (this) {
            for (Scheduled q : scope(call.account(), call.region()).values()) {
                Struct c = q.config;
                if (state == null || state.equals(c.string("state"))) {
                    summaries.add(Struct.of("scheduledQueryArn", q.arn, "name", q.name, "state", c.string("state"),
                            "lastTriggeredTime", q.lastTriggeredTime, "lastExecutionStatus", q.lastExecutionStatus,
                            "scheduleExpression", c.string("scheduleExpression"), "timezone", c.string("timezone"),
                            "destinationConfiguration", c.get("destinationConfiguration"),
                            "creationTime", q.creationTime, "lastUpdatedTime", q.lastUpdatedTime));
                }
            }
        }
        Pagination.Page<Struct> page = Pagination.page(summaries, s -> s.string("name"), in.string("nextToken"),
                in.integer("maxResults", 1000), () -> invalid("The specified nextToken is invalid."));
        return Struct.of("scheduledQueries", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("GetScheduledQueryHistory")
    public Struct getScheduledQueryHistory(Call call, Struct in) {
        long start = in.longValue("startTime");
        long end = in.longValue("endTime");
        if (end < start) {
            throw invalid("endTime must not be before startTime.");
        }
        List<String> statuses = in.strings("executionStatuses");
        List<Struct> records = new ArrayList<>();
        Scheduled q;
        synchronized (this) {
            q = find(call, in.string("identifier"));
            for (Struct r : q.history) {
                long t = r.longValue("triggeredTimestamp");
                if (t >= start && t <= end && (statuses == null || statuses.contains(r.string("executionStatus")))) {
                    records.add(r);
                }
            }
        }
        // newest first; the key orders them so and stays unique
        List<Struct> newestFirst = new ArrayList<>(records);
        java.util.Collections.reverse(newestFirst);
        Pagination.Page<Struct> page = Pagination.page(newestFirst,
                r -> String.format("%020d/%s", Long.MAX_VALUE - r.longValue("triggeredTimestamp"), r.string("queryId")),
                in.string("nextToken"), in.integer("maxResults", 1000), () -> invalid("The specified nextToken is invalid."));
        return Struct.of("name", q.name, "scheduledQueryArn", q.arn, "triggerHistory", page.items(),
                "nextToken", page.nextToken());
    }

    /** A scheduled query's tags (TagResource and its kin address it by ARN). */
    Tags tags(Call call, String arn) {
        synchronized (this) {
            return find(call, arn).tags;
        }
    }

    // --- configuration

    private Scheduled find(Call call, String identifier) {
        ConcurrentSkipListMap<String, Scheduled> scope = scope(call.account(), call.region());
        Scheduled q = identifier == null ? null : scope.get(identifier);
        if (q == null && identifier != null && identifier.startsWith("arn:")) {
            q = scope.values().stream().filter(s -> s.arn.equals(identifier)).findFirst().orElse(null);
        }
        if (q == null) {
            throw notFound(identifier);
        }
        return q;
    }

    /** Checks a Create or Update request (PUT semantics: what it leaves out is unset) and applies it to q. */
    private void configure(Call call, Scheduled q, Struct in, long now) {
        String language = in.string("queryLanguage");
        if (!language.equals("CWLI")) {
            throw invalid("Terrarium runs scheduled queries in the CWLI language only, not " + language + ".");
        }
        try {
            InsightsQuery.parse(in.string("queryString"));
        } catch (AwsException e) {
            throw invalid("The query string is not valid: " + e.getMessage());
        }
        List<String> groups = in.strings("logGroupIdentifiers");
        if (groups == null || groups.isEmpty()) {
            throw invalid("A CWLI scheduled query must name the log groups it queries in logGroupIdentifiers.");
        }
        for (String g : groups) {
            if (store.groups(call.account(), call.region()).get(LogStore.nameOf(g)) == null) {
                throw new AwsException("ResourceNotFoundException", "Log group '" + LogStore.nameOf(g) + "' does not exist.");
            }
        }
        ScheduleExpression schedule;
        try {
            schedule = ScheduleExpression.parse(in.string("scheduleExpression"));
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid schedule expression " + in.string("scheduleExpression") + ": " + e.getMessage() + ".");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(in.string("timezone", "UTC"));
        } catch (DateTimeException e) {
            throw invalid("Invalid timezone: " + in.string("timezone") + ".");
        }
        Long offset = in.longValue("startTimeOffset");
        if (offset != null && offset < 0) {
            throw invalid("startTimeOffset must not be negative.");
        }
        Long startTime = in.longValue("scheduleStartTime");
        Long endTime = in.longValue("scheduleEndTime");
        if (startTime != null && endTime != null && endTime <= startTime) {
            throw invalid("scheduleEndTime must be after scheduleStartTime.");
        }
        role(in.string("executionRoleArn"), "executionRoleArn");
        Struct destination = in.struct("destinationConfiguration");
        if (destination != null) {
            Struct s3 = destination.struct("s3Configuration");
            if (!S3_URI.matcher(s3.string("destinationIdentifier")).matches()) {
                throw invalid("Invalid S3 destination: " + s3.string("destinationIdentifier") + ".");
            }
            role(s3.string("roleArn"), "s3Configuration.roleArn");
        }
        String state = in.string("state", "ENABLED");
        q.config = Struct.of("scheduledQueryArn", q.arn, "name", q.name, "description", in.string("description"),
                "queryLanguage", language, "queryString", in.string("queryString"), "logGroupIdentifiers", groups,
                "scheduleExpression", in.string("scheduleExpression"), "timezone", zone.getId(),
                "startTimeOffset", offset, "destinationConfiguration", destination, "state", state,
                "scheduleStartTime", startTime, "scheduleEndTime", endTime,
                "executionRoleArn", in.string("executionRoleArn"));
        q.schedule = schedule;
        q.zone = zone;
        q.lastUpdatedTime = now;
        long anchor = startTime != null ? Math.max(startTime, now) : now;
        q.anchor = anchor;
        q.previousRun = anchor;
        q.nextRun = schedule.next(anchor - (startTime != null && startTime >= now ? 1 : 0), anchor, zone);
    }

    private static void role(String arn, String member) {
        if (arn == null || !arn.matches("arn:aws[\\w-]*:iam::\\d{12}:role/.+")) {
            throw invalid("Invalid " + member + ": " + arn + ". It must be the ARN of an IAM role.");
        }
    }

    private Struct describe(Scheduled q) {
        Struct out = q.config.copy();
        out.put("lastTriggeredTime", q.lastTriggeredTime);
        out.put("lastExecutionStatus", q.lastExecutionStatus);
        out.put("creationTime", q.creationTime);
        out.put("lastUpdatedTime", q.lastUpdatedTime);
        return out;
    }

    // --- running

    private void runDueQuietly() {
        try {
            runDue();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ScheduledQueries.class).warn("scheduled query sweep failed", e);
        }
    }

    /** Runs every enabled scheduled query whose trigger time has come, in trigger order per query. */
    synchronized void runDue() {
        long now = clock.millis();
        for (Map<String, Scheduled> scope : queries.values()) {
            for (Scheduled q : scope.values()) {
                if (!"ENABLED".equals(q.config.string("state"))) {
                    continue;
                }
                Long end = q.config.longValue("scheduleEndTime");
                Deque<Long> due = new ArrayDeque<>();
                long t = q.nextRun;
                while (t <= now && (end == null || t <= end)) {
                    due.addLast(t);
                    if (due.size() > MAX_CATCH_UP) {
                        q.previousRun = due.removeFirst();
                    }
                    t = q.schedule.next(t, q.anchor, q.zone);
                }
                q.nextRun = t;
                for (long at : due) {
                    execute(q, at);
                }
            }
        }
    }

    private void execute(Scheduled q, long at) {
        Struct c = q.config;
        Long offset = c.longValue("startTimeOffset");
        long from = offset == null ? q.previousRun : at - offset * 1000;
        q.previousRun = at;
        q.lastTriggeredTime = at;
        List<LogGroup> groups = new ArrayList<>();
        String missing = null;
        for (String id : c.strings("logGroupIdentifiers")) {
            LogGroup g = store.groups(q.account, q.region).get(LogStore.nameOf(id));
            if (g == null) {
                missing = LogStore.nameOf(id);
                break;
            }
            groups.add(g);
        }
        Struct record;
        if (missing != null) {
            record = Struct.of("queryId", null, "executionStatus", "Failed", "triggeredTimestamp", at,
                    "errorMessage", "Log group '" + missing + "' does not exist.", "destinations", List.of());
        } else {
            Insights.Query run = insights.runNow(q.account, q.region, c.string("executionRoleArn"), c.string("queryString"),
                    InsightsQuery.parse(c.string("queryString")), groups, from, at);
            boolean complete = run.status.equals("Complete");
            List<Struct> destinations = new ArrayList<>();
            Struct d = c.struct("destinationConfiguration");
            if (complete && d != null) {
                destinations.add(deliver(q, d.struct("s3Configuration"), run, from, at));
            }
            record = Struct.of("queryId", run.id, "executionStatus", complete ? "Complete" : "Failed",
                    "triggeredTimestamp", at, "errorMessage", complete ? null : "The query failed.",
                    "destinations", destinations);
        }
        q.lastExecutionStatus = record.string("executionStatus");
        q.history.add(record);
        if (q.history.size() > MAX_HISTORY) {
            q.history.remove(0);
        }
    }

    /** Writes a run's results to the S3 destination; the history's destination entry says how it went. */
    private Struct deliver(Scheduled q, Struct s3Config, Insights.Query run, long from, long at) {
        String uri = s3Config.string("destinationIdentifier");
        Matcher m = S3_URI.matcher(uri);
        m.matches();
        String bucket = m.group(1);
        String prefix = m.group(2) == null ? "" : m.group(2);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        String key = prefix + q.name + "/" + KEY_TIME.format(Instant.ofEpochMilli(at)) + "/" + run.id + ".json";
        S3Service s3 = peers.find("s3", S3Service.class);
        String owner = s3Config.string("ownerAccountId");
        if (s3 == null || s3.bucketRegion(bucket) == null) {
            return Struct.of("destinationType", "S3", "destinationIdentifier", uri, "status", "CLIENT_ERROR",
                    "errorMessage", "The bucket " + bucket + " does not exist.");
        }
        if (owner != null && !owner.equals(q.account)) {
            return Struct.of("destinationType", "S3", "destinationIdentifier", uri, "status", "CLIENT_ERROR",
                    "errorMessage", "Terrarium delivers only to buckets of the scheduled query's own account.");
        }
        try {
            s3.putObjectBytes(bucket, key, document(q, run, from, at), "application/json");
        } catch (RuntimeException e) {
            return Struct.of("destinationType", "S3", "destinationIdentifier", uri, "status", "FAILED",
                    "errorMessage", String.valueOf(e.getMessage()));
        }
        return Struct.of("destinationType", "S3", "destinationIdentifier", uri, "status", "COMPLETE",
                "processedIdentifier", "s3://" + bucket + "/" + key);
    }

    private static byte[] document(Scheduled q, Insights.Query run, long from, long at) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("scheduledQueryArn", q.arn);
        doc.put("scheduledQueryName", q.name);
        doc.put("queryId", run.id);
        doc.put("queryString", run.queryString);
        doc.put("triggeredTimestamp", at);
        doc.put("startTime", from);
        doc.put("endTime", at);
        doc.put("recordsMatched", run.result.recordsMatched());
        ArrayNode results = doc.putArray("results");
        for (List<Map.Entry<String, String>> row : run.result.rows()) {
            ObjectNode r = results.addObject();
            row.forEach(f -> r.put(f.getKey(), f.getValue()));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
