package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Object and bucket tag sets: the x-amz-tagging header form, the TagSet form, and S3's limits. */
final class ObjectTags {
    private ObjectTags() {}

    /** "k1=v1&k2=v2", URL-encoded, as x-amz-tagging carries it. */
    static Map<String, String> fromHeader(String header) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (header == null || header.isEmpty()) {
            return tags;
        }
        for (String pair : header.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (tags.put(k, v) != null) {
                throw invalidTag("Cannot provide multiple Tags with the same key");
            }
        }
        validate(tags, 10);
        return tags;
    }

    static Map<String, String> fromTagSet(List<Struct> tagSet, int max) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (tagSet != null) {
            for (Struct t : tagSet) {
                if (tags.put(t.string("Key"), t.string("Value", "")) != null) {
                    throw invalidTag("Cannot provide multiple Tags with the same key");
                }
            }
        }
        validate(tags, max);
        return tags;
    }

    static List<Object> toTagSet(Map<String, String> tags) {
        List<Object> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Struct.of("Key", k, "Value", v)));
        return out;
    }

    private static void validate(Map<String, String> tags, int max) {
        if (tags.size() > max) {
            throw new AwsException("BadRequest", "Object tags cannot be greater than " + max, 400);
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getKey().length() > 128) {
                throw invalidTag("The TagKey you have provided is invalid");
            }
            if (e.getValue().length() > 256) {
                throw invalidTag("The TagValue you have provided is invalid");
            }
        }
    }

    private static AwsException invalidTag(String message) {
        return new AwsException("InvalidTag", message, 400);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
