package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Log transformers: stored per log group (Put/Get/DeleteTransformer) with AWS's rules (1 to 20 processors,
 * the first a parser), and run by TestTransformer for these processors: parseJSON, parseKeyValue, csv,
 * addKeys, deleteKeys, copyValue, moveKeys, renameKeys, lowerCaseString, upperCaseString, trimString,
 * splitString, substituteString, typeConverter. Keys with dots name nested fields. Ingested events are
 * stored as sent: Terrarium does not keep a transformed copy of them.
 */
final class Transformers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PARSERS = Set.of("parseJSON", "parseKeyValue", "csv", "grok", "parseCloudfront",
            "parseRoute53", "parsePostgres", "parseVPC", "parseWAF", "parseToOCSF");

    private final LogStore store;

    Transformers(LogStore store) {
        this.store = store;
    }

    private static void check(List<Struct> processors) {
        if (processors.isEmpty() || processors.size() > 20) {
            throw LogsErrors.invalidParameter("A transformer must have between 1 and 20 processors.");
        }
        for (Struct p : processors) {
            if (p.names().size() != 1) {
                throw LogsErrors.invalidParameter("Each processor must set exactly one processor type.");
            }
        }
        String first = processors.get(0).names().iterator().next();
        if (!PARSERS.contains(first)) {
            throw LogsErrors.invalidParameter("The first processor in a transformer must be a parser, not " + first + ".");
        }
    }

    @AwsOperation("PutTransformer")
    public Struct putTransformer(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        List<Struct> config = in.structs("transformerConfig");
        check(config);
        Struct old = g.transformer;
        long now = store.now();
        g.transformer = Struct.of("logGroupIdentifier", in.string("logGroupIdentifier"),
                "creationTime", old == null ? now : old.longValue("creationTime"), "lastModifiedTime", now,
                "transformerConfig", config);
        return null;
    }

    @AwsOperation("GetTransformer")
    public Struct getTransformer(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        if (g.transformer == null) {
            throw new AwsException("ResourceNotFoundException", "No transformer found for log group " + g.name + ".");
        }
        return g.transformer;
    }

    @AwsOperation("DeleteTransformer")
    public Struct deleteTransformer(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        if (g.transformer == null) {
            throw new AwsException("ResourceNotFoundException", "No transformer found for log group " + g.name + ".");
        }
        g.transformer = null;
        return null;
    }

    @AwsOperation("TestTransformer")
    public Struct testTransformer(Call call, Struct in) {
        List<Struct> config = in.structs("transformerConfig");
        check(config);
        List<Struct> out = new ArrayList<>();
        List<String> messages = in.strings("logEventMessages");
        for (int i = 0; i < messages.size(); i++) {
            String transformed;
            try {
                transformed = JSON.writeValueAsString(transform(config, messages.get(i)));
            } catch (TransformFailed e) {
                transformed = null;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            out.add(Struct.of("eventNumber", (long) i + 1, "eventMessage", messages.get(i),
                    "transformedEventMessage", transformed));
        }
        return Struct.of("transformedLogs", out);
    }

    /** A processor that could not apply to an event (the event stays untransformed). */
    private static final class TransformFailed extends RuntimeException {
        TransformFailed() {
            super(null, null, false, false);
        }
    }

    static ObjectNode transform(List<Struct> processors, String message) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("@message", message);
        boolean parsed = false;
        for (Struct p : processors) {
            String type = p.names().iterator().next();
            doc = apply(type, p.struct(type), doc, parsed);
            parsed |= PARSERS.contains(type);
        }
        return doc;
    }

    /** Runs one processor on doc; returns the document after it (a parser may replace it). */
    private static ObjectNode apply(String type, Struct c, ObjectNode doc, boolean parsed) {
        {
            switch (type) {
                case "parseJSON" -> {
                    JsonNode source = get(doc, c.string("source", "@message"));
                    JsonNode value;
                    try {
                        value = source == null ? null : JSON.readTree(source.asText());
                    } catch (Exception e) {
                        throw new TransformFailed();
                    }
                    if (value == null || !value.isObject()) {
                        throw new TransformFailed();
                    }
                    return place(doc, c.string("destination"), (ObjectNode) value, parsed);
                }
                case "parseKeyValue" -> {
                    JsonNode source = get(doc, c.string("source", "@message"));
                    if (source == null) {
                        throw new TransformFailed();
                    }
                    ObjectNode kv = JsonNodeFactory.instance.objectNode();
                    String fd = c.string("fieldDelimiter", "&");
                    String kd = c.string("keyValueDelimiter", "=");
                    for (String pair : source.asText().split(java.util.regex.Pattern.quote(fd))) {
                        int at = pair.indexOf(kd);
                        String key = c.string("keyPrefix", "") + (at < 0 ? pair : pair.substring(0, at)).trim();
                        String value = at < 0 ? c.string("nonMatchValue") : pair.substring(at + kd.length());
                        if (!key.isEmpty() && value != null) {
                            kv.put(key, value);
                        }
                    }
                    return place(doc, c.string("destination"), kv, parsed);
                }
                case "csv" -> {
                    JsonNode source = get(doc, c.string("source", "@message"));
                    if (source == null) {
                        throw new TransformFailed();
                    }
                    String delimiter = c.string("delimiter", ",");
                    String[] values = source.asText().split(java.util.regex.Pattern.quote(delimiter), -1);
                    List<String> columns = c.strings("columns");
                    ObjectNode row = JsonNodeFactory.instance.objectNode();
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
                case "addKeys" -> c.structs("entries").forEach(e -> {
                    if (get(doc, e.string("key")) == null || e.bool("overwriteIfExists", false)) {
                        set(doc, e.string("key"), JsonNodeFactory.instance.textNode(e.string("value")));
                    }
                });
                case "deleteKeys" -> c.strings("withKeys").forEach(k -> remove(doc, k));
                case "copyValue", "moveKeys" -> {
                    boolean move = type.equals("moveKeys");
                    for (Struct e : c.structs("entries")) {
                        JsonNode v = get(doc, e.string("source"));
                        if (v != null && (get(doc, e.string("target")) == null || e.bool("overwriteIfExists", false))) {
                            set(doc, e.string("target"), v.deepCopy());
                            if (move) {
                                remove(doc, e.string("source"));
                            }
                        }
                    }
                }
                case "renameKeys" -> c.structs("entries").forEach(e -> {
                    JsonNode v = get(doc, e.string("key"));
                    if (v != null && (get(doc, e.string("renameTo")) == null || e.bool("overwriteIfExists", false))) {
                        remove(doc, e.string("key"));
                        set(doc, e.string("renameTo"), v);
                    }
                });
                case "lowerCaseString", "upperCaseString", "trimString" -> c.strings("withKeys").forEach(k -> {
                    JsonNode v = get(doc, k);
                    if (v != null && v.isTextual()) {
                        String s = type.equals("trimString") ? v.asText().trim() : type.equals("lowerCaseString")
                                ? v.asText().toLowerCase(Locale.ROOT) : v.asText().toUpperCase(Locale.ROOT);
                        set(doc, k, JsonNodeFactory.instance.textNode(s));
                    }
                });
                case "splitString" -> c.structs("entries").forEach(e -> {
                    JsonNode v = get(doc, e.string("source"));
                    if (v != null && v.isTextual()) {
                        var array = JsonNodeFactory.instance.arrayNode();
                        for (String part : v.asText().split(java.util.regex.Pattern.quote(e.string("delimiter")), -1)) {
                            array.add(part);
                        }
                        set(doc, e.string("source"), array);
                    }
                });
                case "substituteString" -> c.structs("entries").forEach(e -> {
                    JsonNode v = get(doc, e.string("source"));
                    if (v != null && v.isTextual()) {
                        set(doc, e.string("source"), JsonNodeFactory.instance.textNode(
                                v.asText().replaceAll(e.string("from"), e.string("to"))));
                    }
                });
                case "typeConverter" -> c.structs("entries").forEach(e -> {
                    JsonNode v = get(doc, e.string("key"));
                    if (v == null) {
                        return;
                    }
                    try {
                        JsonNode converted = switch (e.string("type")) {
                            case "integer" -> JsonNodeFactory.instance.numberNode(Long.parseLong(v.asText().trim()));
                            case "double" -> JsonNodeFactory.instance.numberNode(Double.parseDouble(v.asText().trim()));
                            case "boolean" -> JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(v.asText().trim()));
                            default -> JsonNodeFactory.instance.textNode(v.asText());
                        };
                        set(doc, e.string("key"), converted);
                    } catch (NumberFormatException ex) {
                        throw new TransformFailed();
                    }
                });
                default -> throw new AwsException("InvalidOperationException",
                        "The " + type + " processor is not supported by TestTransformer in Terrarium.");
            }
        }
        return doc;
    }

    /** Puts a parser's output at destination, or makes it the document when it is the first parser without one. */
    private static ObjectNode place(ObjectNode doc, String destination, ObjectNode value, boolean parsedBefore) {
        if (destination != null) {
            set(doc, destination, value);
            return doc;
        }
        if (!parsedBefore) {
            return value;
        }
        doc.setAll(value);
        return doc;
    }

    private static JsonNode get(ObjectNode doc, String path) {
        if (doc.has(path)) {
            return doc.get(path);
        }
        JsonNode v = doc;
        for (String part : path.split("\\.")) {
            v = v == null ? null : v.get(part);
        }
        return v;
    }

    private static void set(ObjectNode doc, String path, JsonNode value) {
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
