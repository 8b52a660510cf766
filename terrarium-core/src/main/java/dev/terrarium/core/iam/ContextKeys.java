package dev.terrarium.core.iam;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The condition keys of a request (aws:SourceIp, aws:username, s3:prefix, aws:TagKeys...), each
 * with one or more string values. Key names are case-insensitive, as in AWS.
 */
public final class ContextKeys {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();

    public ContextKeys put(String key, String value) {
        return value == null ? this : put(key, List.of(value));
    }

    public ContextKeys put(String key, List<String> vals) {
        if (vals == null) {
            return this;
        }
        String k = key.toLowerCase(Locale.ROOT);
        values.put(k, List.copyOf(vals));
        names.put(k, key);
        return this;
    }

    /** The values of a key, or null when the request does not have it. */
    public List<String> get(String key) {
        return values.get(key.toLowerCase(Locale.ROOT));
    }

    public String first(String key) {
        List<String> v = get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public boolean has(String key) { return values.containsKey(key.toLowerCase(Locale.ROOT)); }

    /** Keys as they were named, with their values, for traces and authorization messages. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(names.get(k), v));
        return Collections.unmodifiableMap(out);
    }
}
