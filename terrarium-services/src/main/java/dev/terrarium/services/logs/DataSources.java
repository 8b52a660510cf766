package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Data sources: the categories log groups belong to. For custom logs AWS takes them from the log group tags
 * {@code cw:datasource:name} and {@code cw:datasource:type}, and so does Terrarium (it sends no AWS vended
 * logs, which AWS categorizes itself; a group without those tags belongs to no data source).
 * ListAggregateLogGroupSummaries counts the groups per data source; GetLogFields lists the fields found in
 * the stored events of a data source's groups (the newest {@value #FIELD_SCAN} events), with their JSON types:
 * string, long, double, boolean, array (with its element type) and struct (with its fields).
 */
final class DataSources {
    static final String NAME_TAG = "cw:datasource:name";
    static final String TYPE_TAG = "cw:datasource:type";
    static final int FIELD_SCAN = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LogStore store;

    DataSources(LogStore store) {
        this.store = store;
    }

    /** Whether a group matches ListLogGroups' and ListAggregateLogGroupSummaries' dataSources filters. */
    static boolean matches(LogGroup g, List<Struct> filters) {
        if (filters == null || filters.isEmpty()) {
            return true;
        }
        String name = g.tags.get(NAME_TAG);
        String type = g.tags.get(TYPE_TAG);
        if (name == null) {
            return false;
        }
        // filters of the same dimension are ORed, the two dimensions ANDed
        boolean anyName = false;
        boolean nameOk = false;
        boolean anyType = false;
        boolean typeOk = false;
        for (Struct f : filters) {
            anyName = true;
            nameOk |= f.string("name").equals(name);
            if (f.string("type") != null) {
                anyType = true;
                typeOk |= f.string("type").equals(type);
            }
        }
        return (!anyName || nameOk) && (!anyType || typeOk);
    }

    static Pattern namePattern(String regex) {
        try {
            return regex == null ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw LogsErrors.invalidParameter("Invalid logGroupNamePattern: " + regex);
        }
    }

    @AwsOperation("ListAggregateLogGroupSummaries")
    public Struct listAggregateLogGroupSummaries(Call call, Struct in) {
        if ("DATA_SOURCE_NAME_TYPE_AND_FORMAT".equals(in.string("groupBy"))) {
            throw new AwsException("ValidationException",
                    "Terrarium does not know the format of a data source: group by DATA_SOURCE_NAME_AND_TYPE.");
        }
        Pattern pattern = namePattern(in.string("logGroupNamePattern"));
        String logGroupClass = in.string("logGroupClass");
        List<Struct> filters = in.structs("dataSources");
        Map<String, Integer> counts = new TreeMap<>();
        for (LogGroup g : store.groups(call.account(), call.region()).values()) {
            String name = g.tags.get(NAME_TAG);
            if (name == null || (pattern != null && !pattern.matcher(g.name).find())
                    || (logGroupClass != null && !logGroupClass.equals(g.logGroupClass)) || !matches(g, filters)) {
                continue;
            }
            String type = g.tags.get(TYPE_TAG);
            counts.merge(name + "\u0000" + (type == null ? "" : type), 1, Integer::sum);
        }
        List<String> keys = new ArrayList<>(counts.keySet());
        Pagination.Page<String> page = Pagination.page(keys, k -> k, in.string("nextToken"), in.integer("limit", 50),
                LogsErrors::invalidToken);
        List<Struct> out = new ArrayList<>();
        for (String k : page.items()) {
            String[] parts = k.split("\u0000", -1);
            List<Struct> ids = new ArrayList<>();
            ids.add(Struct.of("key", "dataSource.Name", "value", parts[0]));
            if (!parts[1].isEmpty()) {
                ids.add(Struct.of("key", "dataSource.Type", "value", parts[1]));
            }
            out.add(Struct.of("logGroupCount", counts.get(k), "groupingIdentifiers", ids));
        }
        return Struct.of("aggregateLogGroupSummaries", out, "nextToken", page.nextToken());
    }

    @AwsOperation("GetLogFields")
    public Struct getLogFields(Call call, Struct in) {
        String name = in.string("dataSourceName");
        String type = in.string("dataSourceType");
        List<LogGroup> groups = new ArrayList<>();
        for (LogGroup g : store.groups(call.account(), call.region()).values()) {
            if (name.equals(g.tags.get(NAME_TAG)) && type.equals(g.tags.get(TYPE_TAG))) {
                groups.add(g);
            }
        }
        if (groups.isEmpty()) {
            throw new AwsException("ResourceNotFoundException",
                    "No log group belongs to the data source " + name + " of type " + type + ".");
        }
        Field root = new Field();
        root.type = "struct";
        root.put("@message", "string");
        int scanned = 0;
        long now = store.now();
        for (LogGroup g : groups) {
            for (LogStream s : g.streams.values()) {
                List<LogEvent> events = s.events(null, null, g.retainedFrom(now));
                for (int i = events.size() - 1; i >= 0 && scanned < FIELD_SCAN; i--, scanned++) {
                    String m = events.get(i).message(false).trim();
                    if (m.startsWith("{")) {
                        try {
                            root.merge(JSON.readTree(m));
                        } catch (Exception notJson) {
                            // a message that only looks like JSON has no fields beyond @message
                        }
                    }
                }
            }
        }
        return Struct.of("logFields", root.list());
    }

    /** A discovered field's type: a JSON type, with an array's element and a struct's fields. */
    private static final class Field {
        String type;
        Field element;
        final Map<String, Field> fields = new LinkedHashMap<>();

        void put(String name, String type) {
            Field f = new Field();
            f.type = type;
            fields.put(name, f);
        }

        /** Widens this field with one more value: objects add fields, long with double is double, other clashes string. */
        void merge(JsonNode v) {
            if (v == null || v.isNull()) {
                return;
            }
            String t = v.isObject() ? "struct" : v.isArray() ? "array" : v.isBoolean() ? "boolean"
                    : v.isIntegralNumber() ? "long" : v.isNumber() ? "double" : "string";
            if (type == null) {
                type = t;
            } else if (!type.equals(t)) {
                type = (type.equals("long") && t.equals("double")) || (type.equals("double") && t.equals("long"))
                        ? "double" : "string";
                element = null;
                fields.clear();
                return;
            }
            if (type.equals("struct")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    fields.computeIfAbsent(e.getKey(), k -> new Field()).merge(e.getValue());
                }
            } else if (type.equals("array")) {
                for (JsonNode item : v) {
                    (element == null ? element = new Field() : element).merge(item);
                }
            }
        }

        Struct asType() {
            List<Struct> nested = fields.isEmpty() || !type.equals("struct") ? null : list();
            return Struct.of("type", type, "element", element == null || element.type == null ? null : element.asType(),
                    "fields", nested);
        }

        List<Struct> list() {
            List<Struct> out = new ArrayList<>();
            fields.forEach((n, f) -> {
                if (f.type != null) {
                    out.add(Struct.of("logFieldName", n, "logFieldType", f.asType()));
                }
            });
            return out;
        }
    }
}
