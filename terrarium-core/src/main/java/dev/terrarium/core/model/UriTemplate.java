package dev.terrarium.core.model;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A REST operation's requestUri ("/{Bucket}/{Key+}?uploads"): path segments with labels (greedy
 * when ending in '+') and required literal query parameters. Matches a raw request path and
 * extracts label values, percent-decoded.
 */
public final class UriTemplate {
    private final List<String> segments;
    private final Map<String, String> requiredQuery;
    private final int literalCount;

    private UriTemplate(List<String> segments, Map<String, String> requiredQuery) {
        this.segments = segments;
        this.requiredQuery = requiredQuery;
        this.literalCount = (int) segments.stream().filter(s -> !s.startsWith("{")).count();
    }

    public static UriTemplate parse(String requestUri) {
        String path = requestUri;
        Map<String, String> query = new LinkedHashMap<>();
        int q = requestUri.indexOf('?');
        if (q >= 0) {
            path = requestUri.substring(0, q);
            for (String pair : requestUri.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? null : pair.substring(eq + 1));
            }
        }
        return new UriTemplate(splitPath(path), query);
    }

    private static List<String> splitPath(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            parts.add(s);
        }
        if (!parts.isEmpty() && parts.get(0).isEmpty()) {
            parts.remove(0);
        }
        return parts;
    }

    /** Literal query keys (and values, or null for "any") this operation requires. */
    public Map<String, String> requiredQuery() { return requiredQuery; }

    /** How specific the template is, to choose between several that match: literals first, then query keys. */
    public int specificity() { return literalCount * 100 + requiredQuery.size() * 10 + segments.size(); }

    /**
     * Matches a raw (still percent-encoded) path. Returns the decoded labels, or null when it does not match.
     */
    public Map<String, String> match(String rawPath) {
        List<String> actual = splitPath(rawPath);
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        for (int s = 0; s < segments.size(); s++) {
            String seg = segments.get(s);
            if (seg.startsWith("{") && seg.endsWith("+}")) {
                String name = seg.substring(1, seg.length() - 2);
                int remainingTemplate = segments.size() - s - 1;
                int end = actual.size() - remainingTemplate;
                if (end <= i) {
                    return null;
                }
                String joined = String.join("/", actual.subList(i, end));
                if (joined.isEmpty()) {
                    return null;
                }
                labels.put(name, decode(joined));
                i = end;
            } else if (seg.startsWith("{") && seg.endsWith("}")) {
                if (i >= actual.size() || actual.get(i).isEmpty()) {
                    return null;
                }
                labels.put(seg.substring(1, seg.length() - 1), decode(actual.get(i)));
                i++;
            } else {
                if (i >= actual.size()) {
                    if (seg.isEmpty() && s == segments.size() - 1) {
                        continue;
                    }
                    return null;
                }
                if (!seg.equals(actual.get(i))) {
                    return null;
                }
                i++;
            }
        }
        if (i < actual.size()) {
            // a trailing empty segment ("/bucket/") still matches "/{Bucket}"
            if (i == actual.size() - 1 && actual.get(i).isEmpty()) {
                return labels;
            }
            return null;
        }
        return labels;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
