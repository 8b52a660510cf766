package dev.terrarium.core.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** HTTP headers: case-insensitive names, several values each, insertion order kept. */
public final class Headers {
    private final Map<String, List<String>> byLowerName = new LinkedHashMap<>();
    private final Map<String, String> originalNames = new LinkedHashMap<>();

    public Headers add(String name, String value) {
        return add(name.toLowerCase(Locale.ROOT), name, value);
    }

    /** add(name, value) when the lower-cased name is known already (Jetty keeps it for common headers). */
    public Headers add(String lowerName, String name, String value) {
        String key = lowerName;
        originalNames.putIfAbsent(key, name);
        byLowerName.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        return this;
    }

    public Headers set(String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        originalNames.put(key, name);
        List<String> values = new ArrayList<>(1);
        values.add(value);
        byLowerName.put(key, values);
        return this;
    }

    public void remove(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        byLowerName.remove(key);
        originalNames.remove(key);
    }

    /** The first value, or null. */
    public String get(String name) {
        List<String> values = byLowerName.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> all(String name) {
        List<String> values = byLowerName.get(name.toLowerCase(Locale.ROOT));
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    public boolean has(String name) { return byLowerName.containsKey(name.toLowerCase(Locale.ROOT)); }

    /** Lower-cased names. */
    public Set<String> names() { return Collections.unmodifiableSet(byLowerName.keySet()); }

    /** The name as first given (for responses). */
    public String originalName(String lowerName) { return originalNames.getOrDefault(lowerName, lowerName); }

    public boolean isEmpty() { return byLowerName.isEmpty(); }

    @Override
    public String toString() { return byLowerName.toString(); }
}
