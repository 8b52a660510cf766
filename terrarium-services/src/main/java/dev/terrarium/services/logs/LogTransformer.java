package dev.terrarium.services.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The processors of a log transformer, run on one event at a time: at ingestion into a group with a
 * transformer, and by TestTransformer. The event starts as {"@message": message}; the first parser without a
 * destination makes its output the document, later ones add to it; keys with dots name nested fields.
 * A processor that cannot apply to an event (a parser whose source does not parse, a conversion that fails)
 * leaves the whole event untransformed, stored as it was sent.
 * <p>
 * Built: parseJSON, grok ({@link Grok}), csv, parseKeyValue, parseVPC (the default version 2 format),
 * parseWAF, addKeys, deleteKeys, copyValue, moveKeys, renameKeys, listToMap, lowerCaseString,
 * upperCaseString, trimString, splitString, substituteString, typeConverter, dateTimeConverter. Not built
 * (refused with InvalidOperationException, never stored to be skipped): parseCloudfront, parseRoute53,
 * parsePostgres, parseToOCSF.
 */
final class LogTransformer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final Set<String> PARSERS = Set.of("parseJSON", "parseKeyValue", "csv", "grok", "parseCloudfront",
            "parseRoute53", "parsePostgres", "parseVPC", "parseWAF", "parseToOCSF");
    /** The parsers for AWS vended logs: first in the transformer, at most one, reading @message only. */
    private static final Set<String> VENDED = Set.of("parseCloudfront", "parseRoute53", "parsePostgres", "parseVPC",
            "parseWAF");
    private static final Set<String> NOT_BUILT = Set.of("parseCloudfront", "parseRoute53", "parsePostgres", "parseToOCSF");
    /** VPC flow logs' default (version 2) format, the fields parseVPC names; the numeric ones are stored as numbers. */
    private static final List<String> VPC_FIELDS = List.of("version", "account_id", "interface_id", "srcaddr", "dstaddr",
            "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log_status");
    private static final Set<String> VPC_NUMBERS = Set.of("version", "srcport", "dstport", "protocol", "packets", "bytes",
            "start", "end");
    private static final String DEFAULT_TARGET_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

    private LogTransformer() {
    }

    /** A processor that could not apply to an event (the event stays untransformed). */
    private static final class TransformFailed extends RuntimeException {
        TransformFailed() {
            super(null, null, false, false);
        }
    }

    /** AWS's rules for a transformer's processors (PutTransformer and TestTransformer check them alike). */
    static void check(List<Struct> processors) {
        if (processors.isEmpty() || processors.size() > 20) {
            throw LogsErrors.invalidParameter("A transformer must have between 1 and 20 processors.");
        }
        Map<String, Integer> counts = new HashMap<>();
        int parsers = 0;
        for (int i = 0; i < processors.size(); i++) {
            Struct p = processors.get(i);
            if (p.names().size() != 1) {
                throw LogsErrors.invalidParameter("Each processor must set exactly one processor type.");
            }
            String type = p.names().iterator().next();
            if (NOT_BUILT.contains(type)) {
                throw new AwsException("InvalidOperationException",
                        "The " + type + " processor is not supported by Terrarium.");
            }
            counts.merge(type, 1, Integer::sum);
            if (PARSERS.contains(type)) {
                parsers++;
            }
            Struct c = p.struct(type);
            if (VENDED.contains(type)) {
                if (i != 0) {
                    throw LogsErrors.invalidParameter("The " + type + " processor must be the first processor in a transformer.");
                }
                String source = c == null ? null : c.string("source");
                if (source != null && !source.equals("@message")) {
                    throw LogsErrors.invalidParameter("The " + type + " processor accepts only @message as its source.");
                }
            }
            if (type.equals("grok")) {
                Grok.compile(c.string("match"));
            }
            if (type.equals("dateTimeConverter")) {
                for (String pattern : c.strings("matchPatterns")) {
                    formatter(pattern, c.string("locale"));
                }
                formatter(c.string("targetFormat", DEFAULT_TARGET_FORMAT), null);
                zone(c.string("sourceTimezone"));
                zone(c.string("targetTimezone"));
            }
            if (type.equals("substituteString")) {
                for (Struct e : c.structs("entries")) {
                    try {
                        Pattern.compile(e.string("from"));
                    } catch (java.util.regex.PatternSyntaxException ex) {
                        throw LogsErrors.invalidParameter("Invalid regular expression in substituteString: " + e.string("from"));
                    }
                }
            }
            if (type.equals("listToMap") && c.bool("flatten", false) && c.string("flattenedElement") == null) {
                throw LogsErrors.invalidParameter("flattenedElement must be set when flatten is true.");
            }
        }
        String first = processors.get(0).names().iterator().next();
        if (!PARSERS.contains(first)) {
            throw LogsErrors.invalidParameter("The first processor in a transformer must be a parser, not " + first + ".");
        }
        if (parsers > 5) {
            throw LogsErrors.invalidParameter("A transformer can have at most 5 parser-type processors.");
        }
        for (String once : List.of("grok", "addKeys", "copyValue")) {
            if (counts.getOrDefault(once, 0) > 1) {
                throw LogsErrors.invalidParameter("A transformer can include only one " + once + " processor.");
            }
        }
        if (VENDED.stream().mapToInt(v -> counts.getOrDefault(v, 0)).sum() > 1) {
            throw LogsErrors.invalidParameter("A transformer can include only one parser for AWS vended logs.");
        }
    }

    // --- account-level transformer policies

    private static final Pattern PREFIX_CRITERIA = Pattern.compile(
            "^\\s*LogGroupNamePrefix\\s+IN\\s*\\[\\s*(\"[^\"]*\"(?:\\s*,\\s*\"[^\"]*\")*)\\s*]\\s*$");
    private static final Map<String, List<Struct>> POLICY_CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The processors of a TRANSFORMER_POLICY document: one JSON block {"transformerConfig": [processors]}.
     * Only parsed: the policy's owner checks them (against the model, then with {@link #check}) before storing.
     */
    static List<Struct> policyProcessors(String document) {
        List<Struct> cached = POLICY_CACHE.get(document);
        if (cached != null) {
            return cached;
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw LogsErrors.invalidParameter("The transformer policy document is not valid JSON.");
        }
        if (doc == null || !doc.path("transformerConfig").isArray()) {
            throw LogsErrors.invalidParameter("A transformer policy document must be {\"transformerConfig\": [processors]}.");
        }
        List<Struct> processors = new java.util.ArrayList<>();
        for (JsonNode p : doc.get("transformerConfig")) {
            if (!p.isObject()) {
                throw LogsErrors.invalidParameter("Each processor of a transformer policy must be a JSON object.");
            }
            processors.add((Struct) plain(p));
        }
        List<Struct> out = List.copyOf(processors);
        if (POLICY_CACHE.size() < 1000) {
            POLICY_CACHE.put(document, out);
        }
        return out;
    }

    private static Object plain(JsonNode v) {
        if (v.isObject()) {
            Struct s = new Struct();
            v.fields().forEachRemaining(f -> s.put(f.getKey(), plain(f.getValue())));
            return s;
        }
        if (v.isArray()) {
            List<Object> list = new java.util.ArrayList<>();
            v.forEach(item -> list.add(plain(item)));
            return list;
        }
        return v.isBoolean() ? (Object) v.booleanValue() : v.isIntegralNumber() ? (Object) v.longValue()
                : v.isNumber() ? (Object) v.doubleValue() : v.isNull() ? null : v.asText();
    }

    /** The log group name prefixes of a TRANSFORMER_POLICY's selectionCriteria (empty: every group). */
    static List<String> policyPrefixes(String selectionCriteria) {
        if (selectionCriteria == null || selectionCriteria.isBlank()) {
            return List.of();
        }
        java.util.regex.Matcher m = PREFIX_CRITERIA.matcher(selectionCriteria);
        if (!m.matches()) {
            throw LogsErrors.invalidParameter("The only selectionCriteria a transformer policy supports is "
                    + "LogGroupNamePrefix IN [\"prefix\", ...], not: " + selectionCriteria);
        }
        List<String> prefixes = new java.util.ArrayList<>();
        java.util.regex.Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
        while (q.find()) {
            prefixes.add(q.group(1));
        }
        if (prefixes.size() > 5) {
            throw LogsErrors.invalidParameter("A transformer policy's selectionCriteria can name at most 5 prefixes.");
        }
        return prefixes;
    }

    /** The transformed message (compact JSON), or null when a processor could not apply and the event stays as sent. */
    static String run(List<Struct> processors, String message) {
        try {
            return JSON.writeValueAsString(transform(processors, message));
        } catch (TransformFailed | IllegalArgumentException | IndexOutOfBoundsException e) {
            // a replacement naming a group the match lacks, and the like: the event stays as sent
            return null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode transform(List<Struct> processors, String message) {
        ObjectNode doc = NODES.objectNode();
        doc.put("@message", message);
        boolean parsed = false;
        for (Struct p : processors) {
            String type = p.names().iterator().next();
            Struct c = p.struct(type);
            doc = apply(type, c == null ? Struct.of() : c, doc, parsed);
            parsed |= PARSERS.contains(type);
        }
        return doc;
    }

    /** Runs one processor on doc; returns the document after it (a parser may replace it). */
    private static ObjectNode apply(String type, Struct c, ObjectNode doc, boolean parsed) {
        switch (type) {
            case "parseJSON" -> {
                return place(doc, c.string("destination"), parseObject(text(doc, c.string("source", "@message"))), parsed);
            }
            case "grok" -> {
                ObjectNode fields = Grok.compile(c.string("match")).match(text(doc, c.string("source", "@message")));
                if (fields == null) {
                    throw new TransformFailed();
                }
                return place(doc, null, fields, parsed);
            }
            case "parseKeyValue" -> {
                String source = text(doc, c.string("source", "@message"));
                ObjectNode kv = NODES.objectNode();
                String fd = c.string("fieldDelimiter", "&");
                String kd = c.string("keyValueDelimiter", "=");
                for (String pair : source.split(Pattern.quote(fd))) {
                    int at = pair.indexOf(kd);
                    String key = c.string("keyPrefix", "") + (at < 0 ? pair : pair.substring(0, at)).trim();
                    String value = at < 0 ? c.string("nonMatchValue") : pair.substring(at + kd.length());
                    if (!key.isEmpty() && value != null) {
                        set(kv, key, NODES.textNode(value), c.bool("overwriteIfExists", false));
                    }
                }
                return place(doc, c.string("destination"), kv, parsed);
            }
            case "csv" -> {
                String source = text(doc, c.string("source", "@message"));
                String delimiter = c.string("delimiter", ",");
                String[] values = source.split(Pattern.quote(delimiter), -1);
                List<String> columns = c.strings("columns");
                ObjectNode row = NODES.objectNode();
                String quote = c.string("quoteCharacter", "\"");
                for (int i = 0; i < values.length; i++) {
                    String v = values[i];
                    if (v.length() >= 2 && v.startsWith(quote) && v.endsWith(quote)) {
                        v = v.substring(1, v.length() - 1);
                    }
                    row.put(columns != null && i < columns.size() ? columns.get(i) : "column_" + (i + 1), v);
                }
                return place(doc, c.string("destination"), row, parsed);
            }
            case "parseVPC" -> {
                String[] values = text(doc, "@message").trim().split("\\s+");
                if (values.length != VPC_FIELDS.size()) {
                    throw new TransformFailed();
                }
                ObjectNode flow = NODES.objectNode();
                for (int i = 0; i < values.length; i++) {
                    String name = VPC_FIELDS.get(i);
                    flow.set(name, VPC_NUMBERS.contains(name) && values[i].matches("\\d+")
                            ? NODES.numberNode(Long.parseLong(values[i])) : NODES.textNode(values[i]));
                }
                return place(doc, null, flow, parsed);
            }
            case "parseWAF" -> {
                ObjectNode waf = parseObject(text(doc, "@message"));
                if (waf.get("httpRequest") instanceof ObjectNode request && request.get("headers") instanceof ArrayNode headers) {
                    ObjectNode byName = NODES.objectNode();
                    headers.forEach(h -> {
                        if (h.hasNonNull("name")) {
                            byName.set(h.get("name").asText(), h.path("value").deepCopy());
                        }
                    });
                    request.set("headers", byName);
                }
                return place(doc, null, waf, parsed);
            }
            case "addKeys" -> c.structs("entries").forEach(e ->
                    set(doc, e.string("key"), NODES.textNode(e.string("value")), e.bool("overwriteIfExists", false)));
            case "deleteKeys" -> c.strings("withKeys").forEach(k -> remove(doc, k));
            case "copyValue", "moveKeys" -> {
                for (Struct e : c.structs("entries")) {
                    JsonNode v = get(doc, e.string("source"));
                    if (v != null && set(doc, e.string("target"), v.deepCopy(), e.bool("overwriteIfExists", false))
                            && type.equals("moveKeys")) {
                        remove(doc, e.string("source"));
                    }
                }
            }
            case "renameKeys" -> c.structs("entries").forEach(e -> {
                JsonNode v = get(doc, e.string("key"));
                if (v != null && (get(doc, e.string("renameTo")) == null || e.bool("overwriteIfExists", false))) {
                    remove(doc, e.string("key"));
                    set(doc, e.string("renameTo"), v, true);
                }
            });
            case "listToMap" -> listToMap(c, doc);
            case "lowerCaseString", "upperCaseString", "trimString" -> c.strings("withKeys").forEach(k -> {
                JsonNode v = get(doc, k);
                if (v != null && v.isTextual()) {
                    String s = type.equals("trimString") ? v.asText().trim() : type.equals("lowerCaseString")
                            ? v.asText().toLowerCase(Locale.ROOT) : v.asText().toUpperCase(Locale.ROOT);
                    set(doc, k, NODES.textNode(s), true);
                }
            });
            case "splitString" -> c.structs("entries").forEach(e -> {
                JsonNode v = get(doc, e.string("source"));
                if (v != null && v.isTextual()) {
                    ArrayNode array = NODES.arrayNode();
                    for (String part : v.asText().split(Pattern.quote(e.string("delimiter")), -1)) {
                        array.add(part);
                    }
                    set(doc, e.string("source"), array, true);
                }
            });
            case "substituteString" -> c.structs("entries").forEach(e -> {
                JsonNode v = get(doc, e.string("source"));
                if (v != null && v.isTextual()) {
                    set(doc, e.string("source"), NODES.textNode(v.asText().replaceAll(e.string("from"), e.string("to"))), true);
                }
            });
            case "typeConverter" -> c.structs("entries").forEach(e -> {
                JsonNode v = get(doc, e.string("key"));
                if (v == null) {
                    return;
                }
                try {
                    JsonNode converted = switch (e.string("type")) {
                        case "integer" -> NODES.numberNode(Long.parseLong(v.asText().trim()));
                        case "double" -> NODES.numberNode(Double.parseDouble(v.asText().trim()));
                        case "boolean" -> NODES.booleanNode(Boolean.parseBoolean(v.asText().trim()));
                        default -> NODES.textNode(v.asText());
                    };
                    set(doc, e.string("key"), converted, true);
                } catch (NumberFormatException ex) {
                    throw new TransformFailed();
                }
            });
            case "dateTimeConverter" -> dateTime(c, doc);
            default -> throw new AwsException("InvalidOperationException",
                    "The " + type + " processor is not supported by Terrarium.");
        }
        return doc;
    }

    /**
     * listToMap: the objects of the source list keyed by their key field; the values are the objects (or their
     * valueKey field), as lists, or one of them (first or last) when flattened; at target, else at the root.
     */
    private static void listToMap(Struct c, ObjectNode doc) {
        JsonNode list = get(doc, c.string("source"));
        if (list == null || !list.isArray()) {
            throw new TransformFailed();
        }
        ObjectNode map = NODES.objectNode();
        boolean flatten = c.bool("flatten", false);
        boolean last = "last".equals(c.string("flattenedElement"));
        String valueKey = c.string("valueKey");
        for (JsonNode item : list) {
            JsonNode key = item.get(c.string("key"));
            if (key == null || key.isContainerNode()) {
                continue;
            }
            JsonNode value = valueKey == null ? item.deepCopy() : item.get(valueKey);
            if (value == null) {
                continue;
            }
            String k = key.asText();
            if (flatten) {
                if (last || !map.has(k)) {
                    map.set(k, value.deepCopy());
                }
            } else {
                (map.has(k) ? (ArrayNode) map.get(k) : map.putArray(k)).add(value.deepCopy());
            }
        }
        String target = c.string("target");
        if (target == null) {
            doc.setAll(map);
        } else {
            set(doc, target, map, true);
        }
    }

    /** dateTimeConverter: the source parsed by the first matching pattern, written at target in targetFormat. */
    private static void dateTime(Struct c, ObjectNode doc) {
        JsonNode v = get(doc, c.string("source"));
        if (v == null || v.isContainerNode()) {
            throw new TransformFailed();
        }
        ZoneId sourceZone = zone(c.string("sourceTimezone"));
        ZonedDateTime parsed = null;
        for (String pattern : c.strings("matchPatterns")) {
            try {
                TemporalAccessor t = formatter(pattern, c.string("locale")).parseBest(v.asText(), ZonedDateTime::from,
                        LocalDateTime::from, LocalDate::from);
                parsed = t instanceof ZonedDateTime z ? z : t instanceof LocalDateTime l ? l.atZone(sourceZone)
                        : ((LocalDate) t).atStartOfDay(sourceZone);
                break;
            } catch (DateTimeException e) {
                // try the next pattern
            }
        }
        if (parsed == null) {
            throw new TransformFailed();
        }
        String out = formatter(c.string("targetFormat", DEFAULT_TARGET_FORMAT), null)
                .format(parsed.withZoneSameInstant(zone(c.string("targetTimezone"))));
        set(doc, c.string("target"), NODES.textNode(out), true);
    }

    private static DateTimeFormatter formatter(String pattern, String locale) {
        try {
            return DateTimeFormatter.ofPattern(pattern, locale == null ? Locale.ROOT : Locale.forLanguageTag(locale));
        } catch (IllegalArgumentException e) {
            throw LogsErrors.invalidParameter("Invalid datetime pattern: " + pattern);
        }
    }

    private static ZoneId zone(String id) {
        try {
            return id == null ? ZoneId.of("UTC") : ZoneId.of(id);
        } catch (DateTimeException e) {
            throw LogsErrors.invalidParameter("Invalid timezone: " + id);
        }
    }

    private static ObjectNode parseObject(String text) {
        try {
            JsonNode value = JSON.readTree(text);
            if (value instanceof ObjectNode o) {
                return o;
            }
        } catch (JsonProcessingException e) {
            // not JSON
        }
        throw new TransformFailed();
    }

    /** The text of a field a parser reads (a missing field fails the event). */
    private static String text(ObjectNode doc, String path) {
        JsonNode source = get(doc, path);
        if (source == null || source.isNull()) {
            throw new TransformFailed();
        }
        return source.isContainerNode() ? source.toString() : source.asText();
    }

    /** Puts a parser's output at destination, or makes it the document when it is the first parser without one. */
    private static ObjectNode place(ObjectNode doc, String destination, ObjectNode value, boolean parsedBefore) {
        if (destination != null) {
            set(doc, destination, value, true);
            return doc;
        }
        if (!parsedBefore) {
            return value;
        }
        doc.setAll(value);
        return doc;
    }

    static JsonNode get(ObjectNode doc, String path) {
        if (doc.has(path)) {
            return doc.get(path);
        }
        JsonNode v = doc;
        for (String part : path.split("\\.")) {
            v = v == null ? null : v.get(part);
        }
        return v;
    }

    /** Sets path to value (making the objects on the way); an existing value stays unless overwrite. Returns whether it set. */
    static boolean set(ObjectNode doc, String path, JsonNode value, boolean overwrite) {
        if (!overwrite && get(doc, path) != null) {
            return false;
        }
        String[] parts = path.split("\\.");
        ObjectNode at = doc;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = at.get(parts[i]);
            if (!(next instanceof ObjectNode)) {
                next = at.putObject(parts[i]);
            }
            at = (ObjectNode) next;
        }
        at.set(parts[parts.length - 1], value);
        return true;
    }

    private static void remove(ObjectNode doc, String path) {
        if (doc.has(path)) {
            doc.remove(path);
            return;
        }
        String[] parts = path.split("\\.");
        JsonNode at = doc;
        for (int i = 0; i < parts.length - 1 && at != null; i++) {
            at = at.get(parts[i]);
        }
        if (at instanceof ObjectNode o) {
            o.remove(parts[parts.length - 1]);
        }
    }
}
