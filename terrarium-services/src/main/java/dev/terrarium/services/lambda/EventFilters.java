package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An event source mapping's FilterCriteria: Lambda's event filtering, the EventBridge pattern language
 * (exact values, prefix, suffix, equals-ignore-case, anything-but, numeric, exists, $or) applied to each
 * record; a record is sent to the function when any filter matches it (no filters: every record).
 */
final class EventFilters {
    private final List<JsonNode> patterns;
    private final List<String> sources;

    private EventFilters(List<JsonNode> patterns, List<String> sources) {
        this.patterns = patterns;
        this.sources = sources;
    }

    static final EventFilters NONE = new EventFilters(List.of(), List.of());

    /** Parses FilterCriteria.Filters[].Pattern; a pattern that is not a JSON object of matchers is refused as AWS does. */
    static EventFilters parse(dev.terrarium.core.service.Struct criteria) {
        if (criteria == null || criteria.structs("Filters") == null) {
            return NONE;
        }
        List<JsonNode> patterns = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (dev.terrarium.core.service.Struct f : criteria.structs("Filters")) {
            String text = f.string("Pattern");
            JsonNode p;
            try {
                p = text == null ? null : Json.MAPPER.readTree(text);
            } catch (Exception e) {
                p = null;
            }
            if (p == null || !p.isObject() || !valid(p)) {
                throw LambdaErrors.invalid("Invalid filter pattern definition.");
            }
            patterns.add(p);
            sources.add(text);
        }
        return new EventFilters(List.copyOf(patterns), List.copyOf(sources));
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The FilterCriteria structure as the API returns it (null when there are no filters). */
    dev.terrarium.core.service.Struct describe() {
        if (sources.isEmpty()) {
            return null;
        }
        return dev.terrarium.core.service.Struct.of("Filters",
                sources.stream().map(s -> dev.terrarium.core.service.Struct.of("Pattern", s)).toList());
    }

    boolean matches(JsonNode event) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (JsonNode p : patterns) {
            if (matchObject(p, event)) {
                return true;
            }
        }
        return false;
    }

    private static boolean valid(JsonNode pattern) {
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().equals("$or")) {
                if (!v.isArray() || v.isEmpty()) {
                    return false;
                }
                for (JsonNode alt : v) {
                    if (!alt.isObject() || !valid(alt)) {
                        return false;
                    }
                }
            } else if (v.isObject()) {
                if (!valid(v)) {
                    return false;
                }
            } else if (!v.isArray()) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchObject(JsonNode pattern, JsonNode event) {
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            if (e.getKey().equals("$or")) {
                boolean any = false;
                for (JsonNode alt : p) {
                    any |= matchObject(alt, event);
                }
                if (!any) {
                    return false;
                }
                continue;
            }
            JsonNode value = event == null || !event.isObject() ? null : event.get(e.getKey());
            if (p.isObject()) {
                if (value == null || !value.isObject() || !matchObject(p, value)) {
                    return false;
                }
            } else if (!matchValue(p, value)) {
                return false;
            }
        }
        return true;
    }

    /** One field against a list of matchers: any matcher matching the value (or any element of an array value). */
    private static boolean matchValue(JsonNode matchers, JsonNode value) {
        for (JsonNode m : matchers) {
            if (m.isObject() && m.has("exists")) {
                boolean wanted = m.get("exists").asBoolean();
                boolean present = value != null && !(value.isArray() && value.isEmpty());
                if (wanted == present) {
                    return true;
                }
                continue;
            }
            if (value == null) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode v : value) {
                    if (matchOne(m, v)) {
                        return true;
                    }
                }
            } else if (matchOne(m, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchOne(JsonNode m, JsonNode v) {
        if (!m.isObject()) {
            return equal(m, v);
        }
        if (m.has("prefix")) {
            JsonNode p = m.get("prefix");
            if (p.isObject() && p.has("equals-ignore-case")) {
                return v.isTextual() && v.asText().toLowerCase().startsWith(p.get("equals-ignore-case").asText().toLowerCase());
            }
            return v.isTextual() && v.asText().startsWith(p.asText());
        }
        if (m.has("suffix")) {
            JsonNode s = m.get("suffix");
            if (s.isObject() && s.has("equals-ignore-case")) {
                return v.isTextual() && v.asText().toLowerCase().endsWith(s.get("equals-ignore-case").asText().toLowerCase());
            }
            return v.isTextual() && v.asText().endsWith(s.asText());
        }
        if (m.has("equals-ignore-case")) {
            return v.isTextual() && v.asText().equalsIgnoreCase(m.get("equals-ignore-case").asText());
        }
        if (m.has("anything-but")) {
            JsonNode but = m.get("anything-but");
            if (but.isArray()) {
                for (JsonNode b : but) {
                    if (equal(b, v)) {
                        return false;
                    }
                }
                return true;
            }
            if (but.isObject()) {
                return !matchOne(but, v);
            }
            return !equal(but, v);
        }
        if (m.has("numeric")) {
            if (!v.isNumber()) {
                return false;
            }
            double x = v.asDouble();
            JsonNode ops = m.get("numeric");
            for (int i = 0; i + 1 < ops.size(); i += 2) {
                double bound = ops.get(i + 1).asDouble();
                boolean ok = switch (ops.get(i).asText()) {
                    case "=" -> x == bound;
                    case "<" -> x < bound;
                    case "<=" -> x <= bound;
                    case ">" -> x > bound;
                    case ">=" -> x >= bound;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean equal(JsonNode pattern, JsonNode v) {
        if (pattern.isNumber() && v.isNumber()) {
            return pattern.asDouble() == v.asDouble();
        }
        if (pattern.isNull()) {
            return v.isNull();
        }
        return pattern.equals(v);
    }

    /** The view of an SQS record filters see: its body parsed when it is a JSON object. */
    static JsonNode sqsView(Map<String, Object> record) {
        ObjectNode view = Json.MAPPER.valueToTree(record);
        JsonNode body = view.get("body");
        if (body != null && body.isTextual()) {
            try {
                JsonNode parsed = Json.MAPPER.readTree(body.asText());
                if (parsed != null && parsed.isObject()) {
                    view.set("body", parsed);
                }
            } catch (Exception e) {
                // a plain-text body is matched as a string
            }
        }
        return view;
    }
}
