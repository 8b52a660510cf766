package dev.terrarium.core.protocol.query;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The flat key/value parameters of a query-protocol request: the URL query string and, for a POST,
 * the form-encoded body. Sorted, so that all keys under a prefix ("Tags.member.") are one range.
 */
public final class QueryParams {
    private final NavigableMap<String, String> params;

    private QueryParams(NavigableMap<String, String> params) {
        this.params = params;
    }

    public static QueryParams of(HttpRequest request) {
        TreeMap<String, String> all = new TreeMap<>();
        addFirstValues(all, request.query());
        addFirstValues(all, request.formParams());
        return new QueryParams(all);
    }

    /** The model operation the request's Action= names, or null. */
    public static Operation operation(ServiceModel model, HttpRequest request) {
        String action = action(request);
        return action == null ? null : model.operation(action);
    }

    /** The Action= parameter of a query request (query string or form body), or null. */
    public static String action(HttpRequest request) {
        return of(request).get("Action");
    }

    public static QueryParams of(Map<String, String> flat) {
        return new QueryParams(new TreeMap<>(flat));
    }


    private static void addFirstValues(Map<String, String> into, Map<String, List<String>> multi) {
        multi.forEach((k, values) -> {
            if (!values.isEmpty()) {
                into.putIfAbsent(k, values.get(0));
            }
        });
    }

    public String get(String key) { return params.get(key); }

    public boolean has(String key) { return params.containsKey(key); }

    /** Every key that starts with {@code prefix + "."}, with its value. */
    public SortedMap<String, String> under(String prefix) {
        // '/' is the character after '.', so this range holds exactly the keys beginning "prefix."
        return params.subMap(prefix + ".", true, prefix + "/", false);
    }

    public boolean hasUnder(String prefix) { return !under(prefix).isEmpty(); }

    public Map<String, String> asMap() { return params; }

    @Override
    public String toString() { return params.toString(); }
}
