package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads JSON into model values by shape: a structure becomes a Struct keyed by member name (found on
 * the wire under its locationName/jsonName), timestamps become Instants (epoch seconds unless the model
 * says otherwise), blobs are base64-decoded, numbers keep their exact value for bigDecimal/bigInteger.
 * JSON of the wrong type is a SerializationException (400), as AWS answers it; nulls mean "absent".
 */
public final class JsonShapeReader {
    public static final String SERIALIZATION_EXCEPTION = "SerializationException";

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private JsonShapeReader() {
    }

    /** Parses JSON text; an empty (or blank) body is {}. Malformed JSON is a SerializationException. */
    public static JsonNode parse(byte[] json) {
        if (json == null || isBlank(json)) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            return node == null ? MAPPER.createObjectNode() : node;
        } catch (JacksonException e) {
            throw malformed("Could not parse the request body as JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed("Could not read the request body");
        }
    }

    /**
     * The whole body as a structure of this shape (null shape: an empty Struct, the body is ignored).
     * Read by streaming ({@link JsonStreamReader}), with no JsonNode tree in between.
     */
    public static Struct readStruct(Shape shape, byte[] json) {
        if (shape == null) {
            return Struct.empty();
        }
        return JsonStreamReader.readStruct(shape, json);
    }

    /** The same through a JsonNode tree: what the streaming reader must agree with (tests). */
    static Struct readStructTree(Shape shape, byte[] json) {
        if (shape == null) {
            return Struct.empty();
        }
        return readStruct(shape, parse(json), m -> true);
    }

    /** The members of shape accepted by filter (restJson: those in the body) read from a JSON object. */
    public static Struct readStruct(Shape shape, JsonNode node, Predicate<Member> filter) {
        if (node == null || node.isNull()) {
            return Struct.empty();
        }
        if (!node.isObject()) {
            throw mismatch(node, "Structure");
        }
        Struct out = new Struct();
        int set = 0;
        for (Member m : shape.members().values()) {
            if (!filter.test(m)) {
                continue;
            }
            JsonNode v = node.get(m.wireName());
            if (v == null || v.isNull()) {
                continue;
            }
            out.put(m.name(), readValue(m.shape(), m.timestampFormat(), v));
            set++;
        }
        if (shape.union() && set > 1) {
            throw malformed("Union " + shape.name() + " must have exactly one member set, found " + set);
        }
        return out;
    }

    /** The value of one member (or list element / map value) of this shape; never null for a non-null node. */
    public static Object readValue(Shape shape, String timestampFormat, JsonNode v) {
        if (shape.document()) {
            return document(v);
        }
        return switch (shape.type()) {
            case STRUCTURE -> readStruct(shape, v, m -> true);
            case LIST -> list(shape, v);
            case MAP -> map(shape, v);
            case STRING -> {
                if (!v.isTextual()) {
                    throw mismatch(v, "String");
                }
                yield v.textValue();
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    throw mismatch(v, "Boolean");
                }
                yield v.booleanValue();
            }
            case BYTE -> (byte) integral(v, "Byte", Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SHORT -> (short) integral(v, "Short", Short.MIN_VALUE, Short.MAX_VALUE);
            case INTEGER -> (int) integral(v, "Integer", Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> integral(v, "Long", Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT -> (float) floating(v, "Float");
            case DOUBLE -> floating(v, "Double");
            case BIG_INTEGER -> {
                if (!v.isIntegralNumber()) {
                    throw mismatch(v, "BigInteger");
                }
                yield v.bigIntegerValue();
            }
            case BIG_DECIMAL -> {
                if (!v.isNumber()) {
                    throw mismatch(v, "BigDecimal");
                }
                yield v.isIntegralNumber() ? new BigDecimal(v.bigIntegerValue()) : v.decimalValue();
            }
            case BLOB -> {
                if (!v.isTextual()) {
                    throw mismatch(v, "Blob");
                }
                yield base64(v.textValue());
            }
            case TIMESTAMP -> timestamp(v, timestampFormat);
        };
    }

    /** A document as plain Java: LinkedHashMap, ArrayList, String, Boolean, Number (exact) or null. */
    public static Object document(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                m.put(e.getKey(), document(e.getValue()));
            }
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>(v.size());
            v.forEach(x -> l.add(document(x)));
            return l;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        return v.asText();
    }

    private static List<Object> list(Shape shape, JsonNode v) {
        if (!v.isArray()) {
            throw mismatch(v, "List");
        }
        Member item = shape.listMember();
        List<Object> out = new ArrayList<>(v.size());
        for (JsonNode x : v) {
            if (!x.isNull()) {
                out.add(readValue(item.shape(), item.timestampFormat(), x));
            }
        }
        return out;
    }

    private static Map<String, Object> map(Shape shape, JsonNode v) {
        if (!v.isObject()) {
            throw mismatch(v, "Map");
        }
        Member value = shape.mapValue();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), readValue(value.shape(), value.timestampFormat(), e.getValue()));
            }
        }
        return out;
    }

    private static long integral(JsonNode v, String type, long min, long max) {
        if (!v.isIntegralNumber()) {
            throw mismatch(v, type);
        }
        BigInteger n = v.bigIntegerValue();
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw malformed("Value " + n + " is out of range for " + type);
        }
        return n.longValue();
    }

    private static double floating(JsonNode v, String type) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        Double special = v.isTextual() ? specialFloat(v.textValue()) : null;
        if (special != null) {
            return special;
        }
        throw mismatch(v, type);
    }

    /** The strings AWS's JSON protocols use for the floats JSON cannot write; null for any other text. */
    static Double specialFloat(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return null;
        }
    }

    private static Instant timestamp(JsonNode v, String format) {
        String fmt = format == null ? Timestamps.UNIX : format;
        try {
            if (v.isNumber()) {
                if (!Timestamps.UNIX.equals(fmt)) {
                    throw mismatch(v, "Timestamp");
                }
                return Timestamps.parseEpochSeconds(v.decimalValue().toPlainString());
            }
            if (v.isTextual() && !Timestamps.UNIX.equals(fmt)) {
                return Timestamps.parse(v.textValue());
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw malformed("Invalid timestamp: " + v.asText());
        }
        throw mismatch(v, "Timestamp");
    }

    static byte[] base64(String text) {
        try {
            return Base64.getMimeDecoder().decode(strictBase64(text));
        } catch (IllegalArgumentException e) {
            throw malformed("Invalid base64 value");
        }
    }

    /** The MIME decoder skips garbage silently; AWS rejects it, so check the alphabet first. */
    private static String strictBase64(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n' || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("bad base64");
            }
        }
        return text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? text.replace('-', '+').replace('_', '/') : text;
    }

    private static AwsException mismatch(JsonNode got, String expected) {
        if (got.isObject()) {
            return malformed("Start of structure or map found where not expected.");
        }
        if (got.isArray()) {
            return malformed("Start of list found where not expected");
        }
        String kind = got.isTextual() ? "STRING_VALUE" : got.isNumber() ? "NUMBER_VALUE"
                : got.isBoolean() ? "BOOLEAN_VALUE" : "VALUE";
        return malformed(kind + " cannot be converted to " + expected);
    }

    public static AwsException malformed(String message) {
        return new AwsException(SERIALIZATION_EXCEPTION, message, 400);
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return false;
            }
        }
        return true;
    }
}
