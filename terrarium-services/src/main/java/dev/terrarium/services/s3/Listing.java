package dev.terrarium.services.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * One page of a bucket's keys after a marker, with prefix and delimiter rolled up into common
 * prefixes, in S3's order. Entries are live objects or common prefixes (Strings).
 */
final class Listing {
    record Page(List<S3Object> objects, List<String> commonPrefixes, boolean truncated, String last) {
    }

    private Listing() {}

    static Page live(NavigableMap<String, KeyHistory> keys, String prefix, String delimiter, String after,
                     int maxKeys) {
        String p = prefix == null ? "" : prefix;
        String d = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        List<S3Object> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        boolean truncated = false;
        int count = 0;
        String lastPrefix = null;
        for (Map.Entry<String, KeyHistory> e : tail(keys, p, after).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(p)) {
                if (KeyOrder.INSTANCE.compare(key, p) > 0) {
                    break;
                }
                continue;
            }
            S3Object live = e.getValue().live();
            if (live == null) {
                continue;
            }
            String cp = commonPrefix(key, p, d);
            if (cp != null && (cp.equals(lastPrefix) || cp.equals(after))) {
                continue;
            }
            if (count == maxKeys) {
                truncated = true;
                break;
            }
            count++;
            if (cp != null) {
                prefixes.add(cp);
                lastPrefix = cp;
                last = cp;
            } else {
                objects.add(live);
                last = key;
            }
        }
        return new Page(objects, prefixes, truncated, last);
    }

    /** The keys after the marker (exclusive), starting no earlier than the prefix. */
    static NavigableMap<String, KeyHistory> tail(NavigableMap<String, KeyHistory> keys, String prefix, String after) {
        if (after != null && !after.isEmpty() && KeyOrder.INSTANCE.compare(after, prefix) >= 0) {
            return keys.tailMap(after, false);
        }
        return prefix.isEmpty() ? keys : keys.tailMap(prefix, true);
    }

    /** The key's common prefix under this prefix and delimiter, or null. */
    static String commonPrefix(String key, String prefix, String delimiter) {
        if (delimiter == null) {
            return null;
        }
        int i = key.indexOf(delimiter, prefix.length());
        return i < 0 ? null : key.substring(0, i + delimiter.length());
    }
}
