package dev.terrarium.core.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resource tags with AWS's common rules (key 1-128 and value 0-256 characters of letters, digits,
 * spaces and _.:/=+-@, the reserved aws: prefix, at most 50 per resource), convertible between the
 * two wire forms services use: a list of {Key, Value} structures and a plain map.
 */
public final class Tags {
    public static final int MAX_TAGS = 50;
    private static final Pattern ALLOWED = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$");

    private final Map<String, String> tags = new LinkedHashMap<>();

    public Map<String, String> asMap() { return java.util.Collections.unmodifiableMap(tags); }
    public int size() { return tags.size(); }
    public String get(String key) { return tags.get(key); }

    /** Tags from a [{Key, Value}] list (member names given, since some services use "key"/"value" or "TagKey"). */
    public static Map<String, String> fromList(List<Struct> list, String keyMember, String valueMember) {
        Map<String, String> out = new LinkedHashMap<>();
        if (list != null) {
            for (Struct s : list) {
                out.put(s.string(keyMember), s.string(valueMember, ""));
            }
        }
        return out;
    }

    public static List<Struct> toList(Map<String, String> tags, String keyMember, String valueMember) {
        List<Struct> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(Struct.of(keyMember, k, valueMember, v)));
        return out;
    }

    /** Adds or overwrites tags after checking AWS's rules; errorCode is the service's code for a bad tag. */
    public void put(Map<String, String> newTags, String errorCode) {
        for (Map.Entry<String, String> e : newTags.entrySet()) {
            check(e.getKey(), e.getValue(), errorCode);
        }
        Map<String, String> merged = new LinkedHashMap<>(tags);
        merged.putAll(newTags);
        if (merged.size() > MAX_TAGS) {
            throw new AwsException(errorCode, "The number of tags exceeds the limit of " + MAX_TAGS + " tags.", 400);
        }
        tags.clear();
        tags.putAll(merged);
    }

    public void remove(List<String> keys) {
        if (keys != null) {
            keys.forEach(tags::remove);
        }
    }

    static void check(String key, String value, String errorCode) {
        if (key == null || key.isEmpty() || key.length() > 128) {
            throw new AwsException(errorCode, "Tag keys must be between 1 and 128 characters in length.", 400);
        }
        if (value != null && value.length() > 256) {
            throw new AwsException(errorCode, "Tag values must be at most 256 characters in length.", 400);
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw new AwsException(errorCode, "Tag keys beginning with aws: are reserved for AWS use.", 400);
        }
        if (!ALLOWED.matcher(key).matches() || (value != null && !ALLOWED.matcher(value).matches())) {
            throw new AwsException(errorCode, "Tags may only contain Unicode letters, digits, white space, "
                    + "or these symbols: _ . : / = + - @", 400);
        }
    }
}
