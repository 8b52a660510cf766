package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.events.EventBus;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.events.MetricDatum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric filters: stored per log group (at most 100), tried with TestMetricFilter, and run on every
 * ingested batch: each matching event becomes a CloudWatch data point published on the events bus
 * ({@link MetricDatum}), valued by a constant or a value the pattern extracts ($.latency, $bytes).
 */
final class MetricFilters implements LogStore.Ingestion {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FILTERS = 100;

    private final LogStore store;
    private final EventBus bus;

    MetricFilters(LogStore store, EventBus bus) {
        this.store = store;
        this.bus = bus;
        store.onIngestion(this);
    }

    @AwsOperation("PutMetricFilter")
    public Struct putMetricFilter(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupName"));
        String name = in.string("filterName");
        FilterPattern.parse(in.string("filterPattern"));
        List<Struct> transformations = in.structs("metricTransformations");
        for (Struct t : transformations) {
            checkTransformation(t);
        }
        synchronized (g.metricFilters) {
            if (!g.metricFilters.containsKey(name) && g.metricFilters.size() >= MAX_FILTERS) {
                throw new AwsException("LimitExceededException", "Resource limit exceeded.");
            }
            g.metricFilters.put(name, Struct.of("filterName", name, "filterPattern", in.string("filterPattern"),
                    "metricTransformations", transformations, "creationTime", store.now(), "logGroupName", g.name,
                    "applyOnTransformedLogs", in.bool("applyOnTransformedLogs", false),
                    "fieldSelectionCriteria", in.string("fieldSelectionCriteria"),
                    "emitSystemFieldDimensions", in.strings("emitSystemFieldDimensions")));
        }
        return null;
    }

    private static void checkTransformation(Struct t) {
        String value = t.string("metricValue");
        if (!value.startsWith("$") && !isNumber(value)) {
            throw LogsErrors.invalidParameter("Invalid metric value: " + value
                    + ". The metric value must be a number or a field of the filter pattern ($...).");
        }
        Map<String, String> dimensions = t.stringMap("dimensions");
        if (dimensions != null && !dimensions.isEmpty()) {
            if (t.doubleValue("defaultValue") != null) {
                throw LogsErrors.invalidParameter("Dimensions and defaultValue are mutually exclusive.");
            }
            if (dimensions.size() > 3) {
                throw new AwsException("LimitExceededException", "A metric filter can have at most 3 dimensions.");
            }
            for (String v : dimensions.values()) {
                if (!v.startsWith("$")) {
                    throw LogsErrors.invalidParameter("Invalid dimension value: " + v
                            + ". A dimension value must be a field of the filter pattern ($...).");
                }
            }
        }
    }

    @AwsOperation("DescribeMetricFilters")
    public Struct describeMetricFilters(Call call, Struct in) {
        String prefix = in.string("filterNamePrefix");
        String metricName = in.string("metricName");
        String namespace = in.string("metricNamespace");
        if ((metricName == null) != (namespace == null)) {
            throw LogsErrors.invalidParameter("metricName and metricNamespace must be specified together.");
        }
        if (prefix != null && in.string("logGroupName") == null) {
            throw LogsErrors.invalidParameter("filterNamePrefix requires logGroupName.");
        }
        List<LogGroup> groups = in.string("logGroupName") != null ? List.of(store.group(call, in.string("logGroupName")))
                : List.copyOf(store.groups(call.account(), call.region()).values());
        List<Struct> matching = new ArrayList<>();
        for (LogGroup g : groups) {
            for (Struct f : g.metricFilters.values()) {
                Struct t = f.structs("metricTransformations").get(0);
                if ((prefix == null || f.string("filterName").startsWith(prefix))
                        && (metricName == null || (metricName.equals(t.string("metricName"))
                        && namespace.equals(t.string("metricNamespace"))))) {
                    matching.add(f);
                }
            }
        }
        Pagination.Page<Struct> page = Pagination.page(matching, f -> f.string("logGroupName") + "\u0000" + f.string("filterName"),
                in.string("nextToken"), in.integer("limit", 50), LogsErrors::invalidToken);
        return Struct.of("metricFilters", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("DeleteMetricFilter")
    public Struct deleteMetricFilter(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupName"));
        if (g.metricFilters.remove(in.string("filterName")) == null) {
            throw new AwsException("ResourceNotFoundException", "The specified metric filter does not exist.");
        }
        return null;
    }

    @AwsOperation("TestMetricFilter")
    public Struct testMetricFilter(Call call, Struct in) {
        FilterPattern pattern = FilterPattern.parse(in.string("filterPattern"));
        List<String> messages = in.strings("logEventMessages");
        List<Struct> matches = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Map<String, String> values = pattern.extract(messages.get(i));
            if (values != null) {
                matches.add(Struct.of("eventNumber", (long) i + 1, "eventMessage", messages.get(i),
                        "extractedValues", new LinkedHashMap<>(values)));
            }
        }
        return Struct.of("matches", matches);
    }

    // --- publishing

    @Override
    public void ingested(LogGroup group, LogStream stream, List<LogEvent> events) {
        for (Struct f : group.metricFilters.values()) {
            FilterPattern pattern = FilterPattern.cached(f.string("filterPattern"));
            Struct t = f.structs("metricTransformations").get(0);
            boolean any = false;
            boolean transformed = f.bool("applyOnTransformedLogs", false);
            for (LogEvent ingested : events) {
                LogEvent e = ingested.forFilter(transformed);
                Map<String, String> values = pattern.extract(e.message());
                if (values == null) {
                    continue;
                }
                Double value = value(t.string("metricValue"), values, e.message());
                if (value == null) {
                    continue;
                }
                Map<String, String> dimensions = new LinkedHashMap<>();
                Map<String, String> wanted = t.stringMap("dimensions");
                if (wanted != null) {
                    wanted.forEach((k, ref) -> {
                        String v = lookup(ref, values, e.message());
                        if (v != null) {
                            dimensions.put(k, v);
                        }
                    });
                }
                any = true;
                bus.publish(MetricDatum.TOPIC, new MetricDatum(group.account, group.region, t.string("metricNamespace"),
                        t.string("metricName"), value, t.string("unit"), dimensions, e.timestamp()));
            }
            Double fallback = t.doubleValue("defaultValue");
            if (!any && fallback != null) {
                bus.publish(MetricDatum.TOPIC, new MetricDatum(group.account, group.region, t.string("metricNamespace"),
                        t.string("metricName"), fallback, t.string("unit"), Map.of(), events.get(0).timestamp()));
            }
        }
    }

    /** A metric value: a constant, or a field the pattern extracted (non-numeric values publish nothing). */
    static Double value(String metricValue, Map<String, String> extracted, String message) {
        String text = metricValue.startsWith("$") ? lookup(metricValue, extracted, message) : metricValue;
        return text != null && isNumber(text) ? Double.valueOf(text) : null;
    }

    private static String lookup(String ref, Map<String, String> extracted, String message) {
        String v = extracted.get(ref);
        if (v == null && ref.startsWith("$.")) {
            try {
                JsonNode node = FilterPattern.select(JSON.readTree(message), ref);
                v = node == null || node.isContainerNode() || node.isNull() ? null : node.asText();
            } catch (Exception e) {
                return null;
            }
        }
        return v;
    }

    private static boolean isNumber(String s) {
        return s.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    }
}
