package dev.terrarium.services.sqs;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Message attributes and message system attributes: SQS's rules for names, types and values, and their size. */
final class MessageAttributes {
    static final int MAX_ATTRIBUTES = 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-.]{1,256}");

    private MessageAttributes() {
    }

    /** Checked user attributes (a copy, in name order as given), or an empty map. */
    static Map<String, Struct> user(Map<String, Object> raw) {
        Map<String, Struct> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        if (raw.size() > MAX_ATTRIBUTES) {
            throw SqsErrors.invalidParameter("Number of message attributes [" + raw.size()
                    + "] exceeds the allowed maximum [" + MAX_ATTRIBUTES + "].");
        }
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String name = e.getKey();
            checkName(name);
            Struct value = (Struct) e.getValue();
            check(name, value, "message (user)");
            out.put(name, value.copy());
        }
        return out;
    }

    /** Checked system attributes: only AWSTraceHeader, a String. */
    static Map<String, Struct> system(Map<String, Object> raw) {
        Map<String, Struct> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            Struct value = (Struct) e.getValue();
            if (!"AWSTraceHeader".equals(e.getKey())) {
                throw SqsErrors.invalidParameter("Message system attribute name '" + e.getKey() + "' is invalid.");
            }
            if (!"String".equals(value.string("DataType")) || value.string("StringValue") == null) {
                throw SqsErrors.invalidParameter("Message system attribute '" + e.getKey()
                        + "' must be of type String with a non-empty StringValue.");
            }
            out.put(e.getKey(), value.copy());
        }
        return out;
    }

    private static void checkName(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (!NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || lower.startsWith("aws.") || lower.startsWith("amazon.")) {
            throw SqsErrors.invalidParameter("Message (user) attribute name '" + name + "' is invalid.");
        }
    }

    private static void check(String name, Struct value, String kind) {
        String type = value.string("DataType");
        if (type == null || type.isEmpty()) {
            throw SqsErrors.invalidParameter("The message attribute '" + name + "' must contain a non-empty message attribute type.");
        }
        String base = baseType(type);
        if (base == null || type.length() > 256) {
            throw SqsErrors.invalidParameter("The message attribute '" + name
                    + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
        }
        boolean hasString = value.string("StringValue") != null;
        boolean hasBinary = value.blob("BinaryValue") != null;
        if (value.list("StringListValues") != null && !value.list("StringListValues").isEmpty()
                || value.list("BinaryListValues") != null && !value.list("BinaryListValues").isEmpty()) {
            throw new AwsException("UnsupportedOperation", "Message attribute list values in SendMessage operation are not supported.");
        }
        if (base.equals("Binary") ? !hasBinary || value.blob("BinaryValue").length == 0
                : !hasString || value.string("StringValue").isEmpty()) {
            throw SqsErrors.invalidParameter("The message attribute '" + name
                    + "' must contain non-empty message attribute value for message attribute type '" + base + "'.");
        }
        if (base.equals("Binary") && hasString || !base.equals("Binary") && hasBinary) {
            throw SqsErrors.invalidParameter("The message attribute '" + name + "' with type '" + base
                    + "' must use field '" + (base.equals("Binary") ? "Binary" : "String") + "'.");
        }
        if (base.equals("Number")) {
            try {
                BigDecimal n = new BigDecimal(value.string("StringValue").trim());
                if (n.precision() - n.scale() > 126 || n.scale() > 127) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw SqsErrors.invalidParameter("Can't cast the value of " + kind + " attribute '" + name + "' to a number.");
            }
        }
        if (hasString && !MessageBody.validCharacters(value.string("StringValue"))) {
            throw new AwsException("InvalidMessageContents", "Invalid characters found in the message attribute '" + name + "'.");
        }
    }

    /** String, Number or Binary for "Number.float"-style custom types; null for anything else. */
    static String baseType(String type) {
        for (String base : List.of("String", "Number", "Binary")) {
            if (type.equals(base) || type.startsWith(base + ".") && type.length() > base.length() + 1) {
                return base;
            }
        }
        return null;
    }

    /** Bytes the attributes count toward the message size: names, types and values. */
    static int size(Map<String, Struct> attributes) {
        int size = 0;
        for (Map.Entry<String, Struct> e : attributes.entrySet()) {
            Struct v = e.getValue();
            size += utf8(e.getKey()) + utf8(v.string("DataType"));
            size += v.string("StringValue") != null ? utf8(v.string("StringValue"))
                    : v.blob("BinaryValue") != null ? v.blob("BinaryValue").length : 0;
        }
        return size;
    }

    /** The raw attributes of a request as a map for {@link #size}, before they are checked. */
    static Map<String, Struct> sizeView(Map<String, Object> raw) {
        Map<String, Struct> out = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach((k, v) -> {
                if (v instanceof Struct s) {
                    out.put(k, s);
                }
            });
        }
        return out;
    }

    static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The attributes a receive asked for: "All", ".*", "prefix.*" or exact names. */
    static Map<String, Struct> select(Map<String, Struct> attributes, List<String> names) {
        if (attributes.isEmpty() || names == null || names.isEmpty()) {
            return Map.of();
        }
        Map<String, Struct> out = new LinkedHashMap<>();
        for (String want : names) {
            if (want.equals("All") || want.equals(".*")) {
                return attributes;
            }
        }
        for (Map.Entry<String, Struct> e : attributes.entrySet()) {
            for (String want : names) {
                if (want.endsWith(".*") ? e.getKey().startsWith(want.substring(0, want.length() - 1)) : e.getKey().equals(want)) {
                    out.put(e.getKey(), e.getValue());
                    break;
                }
            }
        }
        return out;
    }
}
