package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Amazon CloudWatch Logs. This class holds log groups and streams (with retention, deletion protection,
 * KMS keys and tags); the other operations live in their groups: {@link LogEvents} (put, get, filter),
 * {@link SubscriptionFilters}, {@link MetricFilters}, {@link Insights} (queries and query definitions),
 * {@link Policies} (resource, account, data protection and index policies, destinations), {@link Transformers},
 * {@link Deliveries} (delivery sources, destinations, deliveries), {@link ExportTasks}, {@link AnomalyDetectors},
 * {@link LookupTables}, {@link LiveTail} (StartLiveTail sessions streaming new events),
 * {@link ScheduledQueries} (Insights queries run on a schedule, results to S3) and {@link DataSources} (the
 * categories of log groups, from their cw:datasource tags).
 */
@Service(value = "logs", groups = {LogEvents.class, SubscriptionFilters.class, MetricFilters.class, Insights.class,
        Policies.class, Transformers.class, Deliveries.class, ExportTasks.class, AnomalyDetectors.class,
        LookupTables.class, LiveTail.class, ScheduledQueries.class, DataSources.class})
public final class LogsService implements AwsService, dev.terrarium.core.iam.IamResourceProvider {
    private static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
            545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private final LogStore store;
    private final dev.terrarium.core.events.EventBus events;
    private final List<Object> groups;
    private final AutoCloseable retentionSweep;
    private final ScheduledQueries scheduledQueries;

    public LogsService(ServiceContext context) {
        this.store = new LogStore(context.clock());
        this.events = context.events();
        SubscriptionFilters subscriptions = new SubscriptionFilters(store, context);
        MetricFilters metrics = new MetricFilters(store, context.events());
        Insights insights = new Insights(store);
        this.scheduledQueries = new ScheduledQueries(store, insights, context);
        this.groups = List.of(new LogEvents(store), subscriptions, metrics, insights,
                new Policies(store, () -> context.models().model("logs").operation("TestTransformer").input()), new Transformers(store), new Deliveries(store), new ExportTasks(store, context),
                new AnomalyDetectors(store), new LookupTables(store), new LiveTail(store),
                scheduledQueries, new DataSources(store));
        this.retentionSweep = context.clock().onAdvance(store::expireAll);
    }

    /** The log group a call names. */
    @Override
    public String resourceArn(Call call, Struct in) {
        String group = in.string("logGroupName");
        return group == null ? null : "arn:aws:logs:" + call.region() + ":" + call.account() + ":log-group:" + group;
    }

    /** Where other services (Lambda) write their logs, so that the Logs API reads them. */
    public LogStore logStore() {
        return store;
    }

    /** The events bus deliveries go out on (tests listen on it for the Kinesis, Firehose and metric topics). */
    dev.terrarium.core.events.EventBus events() {
        return events;
    }

    @Override
    public List<Object> operationGroups() {
        return groups;
    }

    @Override
    public void reset() {
        store.clear();
        for (Object g : groups) {
            if (g instanceof Resettable r) {
                r.reset();
            }
        }
    }

    @Override
    public void close() {
        try {
            retentionSweep.close();
        } catch (Exception ignored) {
            // nothing to release
        }
        for (Object g : groups) {
            if (g instanceof Resettable r) {
                r.close();
            }
        }
    }

    /** An operation group with state of its own beyond the log groups. */
    interface Resettable {
        void reset();

        default void close() {
        }
    }

    // --- log groups

    @AwsOperation("CreateLogGroup")
    public Struct createLogGroup(Call call, Struct in) {
        Map<String, String> tags = in.stringMap("tags");
        LogGroup g = store.createGroup(call.account(), call.region(), in.string("logGroupName"),
                in.string("logGroupClass", "STANDARD"));
        if (tags != null) {
            g.tags.put(tags, "InvalidParameterException");
        }
        g.kmsKeyId = in.string("kmsKeyId");
        g.deletionProtection = in.bool("deletionProtectionEnabled", false);
        return null;
    }

    @AwsOperation("DeleteLogGroup")
    public Struct deleteLogGroup(Call call, Struct in) {
        LogGroup g = store.requireGroup(call.account(), call.region(), in.string("logGroupName"));
        if (g.deletionProtection) {
            throw new AwsException("ValidationException",
                    "Cannot delete log group with deletion protection enabled. Disable deletion protection first.", 400);
        }
        store.groups(call.account(), call.region()).remove(g.name, g);
        return null;
    }

    @AwsOperation("PutLogGroupDeletionProtection")
    public Struct putLogGroupDeletionProtection(Call call, Struct in) {
        store.group(call, in.string("logGroupIdentifier")).deletionProtection = in.bool("deletionProtectionEnabled");
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
        if (identifiers != null && (prefix != null || pattern != null)) {
            throw LogsErrors.invalidParameter("logGroupIdentifiers is mutually exclusive with logGroupNamePrefix and logGroupNamePattern.");
        }
        List<LogGroup> matching = new ArrayList<>();
        for (LogGroup g : store.groups(call.account(), call.region()).values()) {
            if ((prefix == null || g.name.startsWith(prefix))
                    && (pattern == null || g.name.toLowerCase().contains(pattern.toLowerCase()))
                    && (identifiers == null || identifiers.stream().map(LogStore::nameOf).anyMatch(g.name::equals))
                    && (in.string("logGroupClass") == null || in.string("logGroupClass").equals(g.logGroupClass))) {
                matching.add(g);
            }
        }
        Pagination.Page<LogGroup> page = Pagination.page(matching, LogGroup::name, in.string("nextToken"),
                in.integer("limit", 50), LogsErrors::invalidToken);
        long now = store.now();
        return Struct.of("logGroups", page.items().stream().map(g -> describe(g, now)).toList(), "nextToken", page.nextToken());
    }

    private static Struct describe(LogGroup g, long now) {
        g.expire(now);
        return Struct.of("logGroupName", g.name, "creationTime", g.creationTime, "retentionInDays", g.retentionInDays,
                "metricFilterCount", g.metricFilters.size(), "arn", g.arn + ":*", "storedBytes", g.storedBytes(),
                "kmsKeyId", g.kmsKeyId,
                "dataProtectionStatus", g.dataProtectionPolicy == null ? null : "ACTIVATED",
                "logGroupClass", g.logGroupClass, "logGroupArn", g.arn, "deletionProtectionEnabled", g.deletionProtection,
                "bearerTokenAuthenticationEnabled", g.bearerTokenAuthentication);
    }

    @AwsOperation("ListLogGroups")
    public Struct listLogGroups(Call call, Struct in) {
        Pattern pattern = DataSources.namePattern(in.string("logGroupNamePattern"));
        String logGroupClass = in.string("logGroupClass");
        List<Struct> dataSources = in.structs("dataSources");
        List<LogGroup> matching = new ArrayList<>();
        for (LogGroup g : store.groups(call.account(), call.region()).values()) {
            if ((pattern == null || pattern.matcher(g.name).find())
                    && (logGroupClass == null || logGroupClass.equals(g.logGroupClass))
                    && DataSources.matches(g, dataSources)) {
                matching.add(g);
            }
        }
        Pagination.Page<LogGroup> page = Pagination.page(matching, LogGroup::name, in.string("nextToken"),
                in.integer("limit", 50), LogsErrors::invalidToken);
        return Struct.of("logGroups", page.items().stream().map(g -> Struct.of("logGroupName", g.name,
                "logGroupArn", g.arn, "logGroupClass", g.logGroupClass)).toList(), "nextToken", page.nextToken());
    }

    @AwsOperation("PutRetentionPolicy")
    public Struct putRetentionPolicy(Call call, Struct in) {
        int days = in.integer("retentionInDays");
        if (!RETENTION_DAYS.contains(days)) {
            throw LogsErrors.invalidParameter("1 validation error detected: Value '" + days
                    + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: "
                    + RETENTION_DAYS.stream().sorted().toList());
        }
        LogGroup g = store.group(call, in.string("logGroupName"));
        g.retentionInDays = days;
        g.expire(store.now());
        return null;
    }

    @AwsOperation("DeleteRetentionPolicy")
    public Struct deleteRetentionPolicy(Call call, Struct in) {
        store.group(call, in.string("logGroupName")).retentionInDays = null;
        return null;
    }

    @AwsOperation("AssociateKmsKey")
    public Struct associateKmsKey(Call call, Struct in) {
        String key = in.string("kmsKeyId");
        if (!key.startsWith("arn:") || !key.contains(":kms:") || !key.contains(":key/")) {
            throw LogsErrors.invalidParameter("Specified KMS key ARN is not valid: " + key);
        }
        if (in.string("resourceIdentifier") != null) {
            if (in.string("logGroupName") != null) {
                throw LogsErrors.invalidParameter("logGroupName and resourceIdentifier are mutually exclusive parameters.");
            }
            return null; // a query results key: AWS keeps it for the query results of the account
        }
        store.group(call, in.string("logGroupName")).kmsKeyId = key;
        return null;
    }

    @AwsOperation("DisassociateKmsKey")
    public Struct disassociateKmsKey(Call call, Struct in) {
        if (in.string("resourceIdentifier") != null) {
            return null;
        }
        store.group(call, in.string("logGroupName")).kmsKeyId = null;
        return null;
    }

    // --- tags

    @AwsOperation("TagLogGroup")
    public Struct tagLogGroup(Call call, Struct in) {
        store.group(call, in.string("logGroupName")).tags.put(in.stringMap("tags"), "InvalidParameterException");
        return null;
    }

    @AwsOperation("UntagLogGroup")
    public Struct untagLogGroup(Call call, Struct in) {
        store.group(call, in.string("logGroupName")).tags.remove(in.strings("tags"));
        return null;
    }

    @AwsOperation("ListTagsLogGroup")
    public Struct listTagsLogGroup(Call call, Struct in) {
        return Struct.of("tags", store.group(call, in.string("logGroupName")).tags.asMap());
    }

    @AwsOperation("TagResource")
    public Struct tagResource(Call call, Struct in) {
        taggable(call, in.string("resourceArn")).put(in.stringMap("tags"), "InvalidParameterException");
        return null;
    }

    @AwsOperation("UntagResource")
    public Struct untagResource(Call call, Struct in) {
        taggable(call, in.string("resourceArn")).remove(in.strings("tagKeys"));
        return null;
    }

    @AwsOperation("ListTagsForResource")
    public Struct listTagsForResource(Call call, Struct in) {
        return Struct.of("tags", taggable(call, in.string("resourceArn")).asMap());
    }

    /** The tags of a log group or of a scheduled query, by ARN. */
    private Tags taggable(Call call, String arn) {
        if (arn != null && arn.startsWith("arn:aws:logs:" + call.region() + ":" + call.account() + ":scheduled-query:")) {
            return scheduledQueries.tags(call, arn);
        }
        return groupByArn(call, arn).tags;
    }

    private LogGroup groupByArn(Call call, String arn) {
        String prefix = LogStore.groupArn(call.account(), call.region(), "");
        if (arn == null || !arn.startsWith(prefix)) {
            throw LogsErrors.invalidParameter("Invalid resource arn: " + arn);
        }
        return store.group(call, arn);
    }

    // --- log streams

    @AwsOperation("CreateLogStream")
    public Struct createLogStream(Call call, Struct in) {
        store.createStream(store.group(call, in.string("logGroupName")), in.string("logStreamName"));
        return null;
    }

    @AwsOperation("DeleteLogStream")
    public Struct deleteLogStream(Call call, Struct in) {
        if (store.group(call, in.string("logGroupName")).streams.remove(in.string("logStreamName")) == null) {
            throw LogsErrors.streamNotFound();
        }
        return null;
    }

    @AwsOperation("DescribeLogStreams")
    public Struct describeLogStreams(Call call, Struct in) {
        LogGroup g = store.group(call, in);
        g.expire(store.now());
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
            // storedBytes of a stream is deprecated and always 0 on AWS
            out.add(Struct.of("logStreamName", s.name, "creationTime", s.creationTime,
                    "firstEventTimestamp", s.firstEventTimestamp(), "lastEventTimestamp", s.lastEventTimestamp(),
                    "lastIngestionTime", s.lastIngestionTime(), "arn", s.arn, "storedBytes", 0L));
        }
        return Struct.of("logStreams", out, "nextToken", page.nextToken());
    }
}
