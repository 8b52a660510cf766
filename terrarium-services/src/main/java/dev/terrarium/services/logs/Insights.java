package dev.terrarium.services.logs;

import dev.terrarium.core.service.Daemons;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * CloudWatch Logs Insights: StartQuery runs an {@link InsightsQuery} over the chosen groups' events in the
 * time range (Scheduled, then Running, then Complete or Failed, on a worker thread); GetQueryResults,
 * StopQuery, DescribeQueries; saved query definitions; GetLogRecord (by @ptr) and GetLogGroupFields.
 */
final class Insights implements LogsService.Resettable {
    static final String DEFINITIONS = "query-definition";
    private static final int MAX_RUNNING = 30;

    /** One query: what was asked, its status, and its result once complete. */
    static final class Query {
        final String id;
        final String account;
        final String region;
        final String queryString;
        final List<String> groups;
        final long createTime;
        final String userIdentity;
        volatile String status = "Scheduled";
        volatile InsightsQuery.Result result;
        volatile long scanned;
        volatile long bytes;
        volatile long duration;

        Query(String id, String account, String region, String queryString, List<String> groups, long createTime,
              String userIdentity) {
            this.id = id;
            this.account = account;
            this.region = region;
            this.queryString = queryString;
            this.groups = groups;
            this.createTime = createTime;
            this.userIdentity = userIdentity;
        }
    }

    private final LogStore store;
    private final Map<String, Query> queries = new ConcurrentHashMap<>();
    private final ExecutorService runner = Daemons.single("logs-insights");

    Insights(LogStore store) {
        this.store = store;
    }

    @Override
    public void reset() {
        queries.clear();
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }

    // --- queries

    @AwsOperation("StartQuery")
    public Struct startQuery(Call call, Struct in) {
        String language = in.string("queryLanguage", "CWLI");
        if (!language.equals("CWLI")) {
            throw LogsErrors.invalidParameter("Terrarium runs queries in the CWLI language only, not " + language + ".");
        }
        List<LogGroup> groups = queriedGroups(call, in);
        long start = in.longValue("startTime");
        long end = in.longValue("endTime");
        if (end < start) {
            throw LogsErrors.invalidParameter("End time should not be before the start time");
        }
        InsightsQuery parsed = InsightsQuery.parse(in.string("queryString"));
        long running = queries.values().stream().filter(q -> q.account.equals(call.account())
                && (q.status.equals("Scheduled") || q.status.equals("Running"))).count();
        if (running >= MAX_RUNNING) {
            throw new AwsException("LimitExceededException", "Account maximum query concurrency limit of ["
                    + MAX_RUNNING + "] reached.");
        }
        Query q = new Query(UUID.randomUUID().toString(), call.account(), call.region(), in.string("queryString"),
                groups.stream().map(LogGroup::name).toList(), store.now(), call.identity().arn());
        queries.put(q.id, q);
        int limit = in.integer("limit", 10_000);
        runner.execute(() -> run(q, parsed, groups, start * 1000, (end + 1) * 1000, limit));
        return Struct.of("queryId", q.id);
    }

    private List<LogGroup> queriedGroups(Call call, Struct in) {
        List<String> names = new ArrayList<>();
        int given = 0;
        if (in.string("logGroupName") != null) {
            names.add(in.string("logGroupName"));
            given++;
        }
        if (in.strings("logGroupNames") != null) {
            names.addAll(in.strings("logGroupNames"));
            given++;
        }
        if (in.strings("logGroupIdentifiers") != null) {
            names.addAll(in.strings("logGroupIdentifiers"));
            given++;
        }
        if (given != 1) {
            throw LogsErrors.invalidParameter(given == 0
                    ? "Query must specify log groups using logGroupName, logGroupNames or logGroupIdentifiers."
                    : "logGroupName, logGroupNames and logGroupIdentifiers are mutually exclusive parameters.");
        }
        List<LogGroup> groups = new ArrayList<>();
        for (String n : names) {
            LogGroup g = store.groups(call.account(), call.region()).get(LogStore.nameOf(n));
            if (g == null) {
                throw new AwsException("ResourceNotFoundException", "Log group '" + LogStore.nameOf(n) + "' does not exist");
            }
            groups.add(g);
        }
        return groups;
    }

    private void run(Query q, InsightsQuery parsed, List<LogGroup> groups, long from, long to, int limit) {
        if (!q.status.equals("Scheduled")) {
            return;
        }
        q.status = "Running";
        long began = System.nanoTime();
        try {
            List<InsightsQuery.Row> rows = records(q.account, q.region, groups, from, to);
            q.scanned = rows.size();
            q.bytes = rows.stream().mapToLong(r -> ((String) r.get("@message")).getBytes(StandardCharsets.UTF_8).length).sum();
            InsightsQuery.Result result = parsed.run(rows, limit);
            q.duration = (System.nanoTime() - began) / 1_000_000;
            if (q.status.equals("Running")) {
                q.result = result;
                q.status = "Complete";
            }
        } catch (RuntimeException e) {
            q.status = "Failed";
        }
    }

    /**
     * Runs a query now, on the caller's thread (a scheduled query's execution), over [from, to) in epoch
     * millis. It is kept like a started one: GetQueryResults and DescribeQueries see it by its id.
     */
    Query runNow(String account, String region, String identity, String queryString, InsightsQuery parsed,
                 List<LogGroup> groups, long from, long to) {
        Query q = new Query(UUID.randomUUID().toString(), account, region, queryString,
                groups.stream().map(LogGroup::name).toList(), store.now(), identity);
        queries.put(q.id, q);
        run(q, parsed, groups, from, to, 10_000);
        return q;
    }

    private List<InsightsQuery.Row> records(String account, String region, List<LogGroup> groups, long from, long to) {
        List<InsightsQuery.Row> rows = new ArrayList<>();
        long now = store.now();
        for (LogGroup g : groups) {
            for (LogStream s : g.streams.values()) {
                for (LogEvent e : s.events(from, to, g.retainedFrom(now))) {
                    rows.add(InsightsQuery.record(account, g, s, e, pointer(account, region, g.name, s.name, e.eventId())));
                }
            }
        }
        rows.sort(Comparator.comparing(r -> (Long) r.get("@timestamp")));
        return rows;
    }

    @AwsOperation("GetQueryResults")
    public Struct getQueryResults(Call call, Struct in) {
        Query q = query(call, in.string("queryId"));
        List<List<Struct>> results = new ArrayList<>();
        InsightsQuery.Result result = q.result;
        if (result != null) {
            for (List<Map.Entry<String, String>> row : result.rows()) {
                results.add(row.stream().map(f -> Struct.of("field", f.getKey(), "value", f.getValue())).toList());
            }
        }
        Struct statistics = Struct.of("recordsMatched", result == null ? 0.0 : (double) result.recordsMatched(),
                "recordsScanned", (double) q.scanned, "estimatedRecordsSkipped", 0.0, "bytesScanned", (double) q.bytes,
                "estimatedBytesSkipped", 0.0, "logGroupsScanned", (double) q.groups.size());
        return Struct.of("queryLanguage", "CWLI", "results", results, "statistics", statistics, "status", q.status);
    }

    @AwsOperation("StopQuery")
    public Struct stopQuery(Call call, Struct in) {
        Query q = query(call, in.string("queryId"));
        synchronized (q) {
            if (q.status.equals("Scheduled") || q.status.equals("Running")) {
                q.status = "Cancelled";
                return Struct.of("success", true);
            }
        }
        return Struct.of("success", false);
    }

    private Query query(Call call, String id) {
        Query q = id == null ? null : queries.get(id);
        if (q == null || !q.account.equals(call.account()) || !q.region.equals(call.region())) {
            throw new AwsException("ResourceNotFoundException", "Query does not exist.");
        }
        return q;
    }

    @AwsOperation("ListLogGroupsForQuery")
    public Struct listLogGroupsForQuery(Call call, Struct in) {
        Query q = query(call, in.string("queryId"));
        List<String> arns = q.groups.stream().map(n -> LogStore.groupArn(q.account, q.region, n)).toList();
        Pagination.Page<String> page = Pagination.page(arns, a -> a, in.string("nextToken"), in.integer("maxResults", 50),
                LogsErrors::invalidToken);
        return Struct.of("logGroupIdentifiers", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("DescribeQueries")
    public Struct describeQueries(Call call, Struct in) {
        String group = in.string("logGroupName");
        String status = in.string("status");
        List<Query> matching = queries.values().stream()
                .filter(q -> q.account.equals(call.account()) && q.region.equals(call.region()))
                .filter(q -> group == null || q.groups.contains(group))
                .filter(q -> status == null || status.equals(q.status))
                .sorted(Comparator.comparingLong((Query q) -> -q.createTime).thenComparing(q -> q.id)).toList();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < matching.size(); i++) {
            keys.add(String.format("%08d", i));
        }
        Pagination.Page<String> page = Pagination.page(keys, k -> k, in.string("nextToken"), in.integer("maxResults", 1000),
                LogsErrors::invalidToken);
        List<Struct> out = new ArrayList<>();
        for (String k : page.items()) {
            Query q = matching.get(Integer.parseInt(k));
            out.add(Struct.of("queryLanguage", "CWLI", "queryId", q.id, "queryString", q.queryString, "status", q.status,
                    "createTime", q.createTime, "logGroupName", q.groups.isEmpty() ? null : q.groups.get(0),
                    "queryDuration", q.duration, "bytesScanned", (double) q.bytes, "userIdentity", q.userIdentity));
        }
        return Struct.of("queries", out, "nextToken", page.nextToken());
    }

    // --- query definitions

    @AwsOperation("PutQueryDefinition")
    public Struct putQueryDefinition(Call call, Struct in) {
        Map<String, Struct> definitions = store.records(DEFINITIONS, call.account(), call.region());
        String id = in.string("queryDefinitionId");
        if (id != null && !definitions.containsKey(id)) {
            throw new AwsException("ResourceNotFoundException", "Query definition does not exist.");
        }
        if (id == null) {
            id = UUID.randomUUID().toString();
        }
        InsightsQuery.parse(in.string("queryString"));
        definitions.put(id, Struct.of("queryLanguage", in.string("queryLanguage", "CWLI"), "queryDefinitionId", id,
                "name", in.string("name"), "queryString", in.string("queryString"), "lastModified", store.now(),
                "logGroupNames", in.strings("logGroupNames"), "parameters", in.list("parameters")));
        return Struct.of("queryDefinitionId", id);
    }

    @AwsOperation("DescribeQueryDefinitions")
    public Struct describeQueryDefinitions(Call call, Struct in) {
        String prefix = in.string("queryDefinitionNamePrefix");
        String language = in.string("queryLanguage");
        List<Struct> matching = store.records(DEFINITIONS, call.account(), call.region()).values().stream()
                .filter(d -> prefix == null || d.string("name").startsWith(prefix))
                .filter(d -> language == null || language.equals(d.string("queryLanguage")))
                .sorted(Comparator.comparing((Struct d) -> d.string("name")).thenComparing(d -> d.string("queryDefinitionId")))
                .toList();
        Pagination.Page<Struct> page = Pagination.page(matching, d -> d.string("name") + "\u0000" + d.string("queryDefinitionId"),
                in.string("nextToken"), in.integer("maxResults", 1000), LogsErrors::invalidToken);
        return Struct.of("queryDefinitions", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("DeleteQueryDefinition")
    public Struct deleteQueryDefinition(Call call, Struct in) {
        if (store.records(DEFINITIONS, call.account(), call.region()).remove(in.string("queryDefinitionId")) == null) {
            throw new AwsException("ResourceNotFoundException", "Query definition does not exist.");
        }
        return Struct.of("success", true);
    }

    // --- records and fields

    static String pointer(String account, String region, String group, String stream, String eventId) {
        String raw = String.join("\u0000", account, region, group, stream, eventId);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @AwsOperation("GetLogRecord")
    public Struct getLogRecord(Call call, Struct in) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(in.string("logRecordPointer")), StandardCharsets.UTF_8)
                    .split("\u0000", -1);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 5) {
            throw LogsErrors.invalidParameter("The log record pointer is not valid.");
        }
        if (!parts[0].equals(call.account()) || !parts[1].equals(call.region())) {
            throw new AwsException("ResourceNotFoundException", "The log record does not exist.");
        }
        LogGroup g = store.groups(parts[0], parts[1]).get(parts[2]);
        LogStream s = g == null ? null : g.streams.get(parts[3]);
        LogEvent e = s == null ? null : s.event(parts[4]);
        if (e == null || e.timestamp() < g.retainedFrom(store.now())) {
            throw new AwsException("ResourceNotFoundException", "The log record does not exist.");
        }
        InsightsQuery.Row row = InsightsQuery.record(parts[0], g, s, e, null, in.bool("unmask", false));
        Map<String, String> record = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (v != null) {
                record.put(k, k.equals("@timestamp") || k.equals("@ingestionTime") ? String.valueOf(v)
                        : InsightsQuery.format(k, v));
            }
        });
        record.put("@logStreamArn", s.arn);
        return Struct.of("logRecord", record);
    }

    /** Fields of the events in the 15 minutes before now, or the 8 minutes either side of time (epoch seconds). */
    @AwsOperation("GetLogGroupFields")
    public Struct getLogGroupFields(Call call, Struct in) {
        LogGroup g = store.group(call, in);
        Long time = in.longValue("time");
        long from = time == null ? store.now() - 15 * 60_000L : time * 1000 - 8 * 60_000L;
        long to = time == null ? store.now() + 1 : time * 1000 + 8 * 60_000L;
        List<InsightsQuery.Row> rows = records(call.account(), call.region(), List.of(g), from, to);
        List<Struct> fields = new ArrayList<>();
        if (!rows.isEmpty()) {
            for (Map.Entry<String, Long> f : InsightsQuery.fieldPercentages(rows)) {
                fields.add(Struct.of("name", f.getKey(), "percent", f.getValue()));
            }
        }
        return Struct.of("logGroupFields", fields);
    }
}
