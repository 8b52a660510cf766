package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streaming twin of {@link JsonShapeReader#readStruct(Shape, byte[])}: builds the Struct straight from
 * Jackson's tokens, guided by the shape, without the intermediate JsonNode tree (the request path's
 * largest allocation for awsJson). Same results and errors: members by wire name, unknown fields skipped,
 * nulls absent, SerializationException for a value of the wrong JSON type, trailing tokens refused.
 * Documents are still read as a tree (they have no shape to guide them).
 */
final class JsonStreamReader {
    /** Reads one document value from the middle of a body (the body's end is checked by the caller). */
    private static final ObjectReader DOCUMENTS = JsonShapeReader.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Each structure's member positions (model order) by wire name. */
    private static final Map<Shape, Map<String, Integer>> POSITIONS = new ConcurrentHashMap<>();
    private static final Map<Shape, Member[]> MEMBERS = new ConcurrentHashMap<>();

    private JsonStreamReader() {
    }

    static Struct readStruct(Shape shape, byte[] json) {
        if (json == null || json.length == 0) {
            return Struct.empty();
        }
        try (JsonParser p = JsonShapeReader.MAPPER.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) { // blank body
                return Struct.empty();
            }
            Struct out;
            AwsException wrongType = null;
            try {
                out = t == JsonToken.VALUE_NULL ? Struct.empty() : struct(p, shape, t);
            } catch (AwsException e) {
                // the tree reader parsed everything first: malformed JSON further on wins over a wrong type here
                wrongType = e;
                out = null;
                while (!p.getParsingContext().inRoot() && p.nextToken() != null) {
                    // read to the end of the root value
                }
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw JsonShapeReader.malformed("Could not parse the request body as JSON: Trailing token (of type "
                        + trailing + ") found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): "
                        + "not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
            }
            if (wrongType != null) {
                throw wrongType;
            }
            return out;
        } catch (JacksonException e) {
            throw JsonShapeReader.malformed("Could not parse the request body as JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw JsonShapeReader.malformed("Could not read the request body");
        }
    }

    /** The parser is on the value's first token (not null). */
    private static Object value(JsonParser p, Shape shape, String timestampFormat, JsonToken t) throws IOException {
        if (shape.document()) {
            JsonNode node = DOCUMENTS.readTree(p);
            return JsonShapeReader.document(node);
        }
        switch (shape.type()) {
            case STRUCTURE:
                return struct(p, shape, t);
            case LIST:
                return list(p, shape, t);
            case MAP:
                return map(p, shape, t);
            case STRING:
                if (t != JsonToken.VALUE_STRING) {
                    throw mismatch(p, t, "String");
                }
                return p.getText();
            case BOOLEAN:
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw mismatch(p, t, "Boolean");
                }
                return t == JsonToken.VALUE_TRUE;
            case BYTE:
                return (byte) integral(p, t, "Byte", Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SHORT:
                return (short) integral(p, t, "Short", Short.MIN_VALUE, Short.MAX_VALUE);
            case INTEGER:
                return (int) integral(p, t, "Integer", Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG:
                return integral(p, t, "Long", Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT:
                return (float) floating(p, t, "Float");
            case DOUBLE:
                return floating(p, t, "Double");
            case BIG_INTEGER:
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    throw mismatch(p, t, "BigInteger");
                }
                return p.getBigIntegerValue();
            case BIG_DECIMAL:
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    return new BigDecimal(p.getBigIntegerValue());
                }
                if (t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw mismatch(p, t, "BigDecimal");
                }
                return p.getDecimalValue();
            case BLOB:
                if (t != JsonToken.VALUE_STRING) {
                    throw mismatch(p, t, "Blob");
                }
                return JsonShapeReader.base64(p.getText());
            case TIMESTAMP:
                return timestamp(p, t, timestampFormat);
            default:
                throw new IllegalStateException("unknown shape type " + shape.type());
        }
    }

    private static Struct struct(JsonParser p, Shape shape, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw mismatch(p, t, "Structure");
        }
        Map<String, Integer> positions = POSITIONS.get(shape);
        if (positions == null) {
            positions = index(shape);
        }
        Member[] members = MEMBERS.get(shape);
        Struct out = new Struct();
        int last = -1;
        boolean inModelOrder = true;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            Integer position = positions.get(field);
            if (position == null) {
                p.skipChildren();
                continue;
            }
            Member m = members[position];
            // null means absent (and, as in the tree, a later duplicate replaces an earlier value)
            out.put(m.name(), v == JsonToken.VALUE_NULL ? null : value(p, m.shape(), m.timestampFormat(), v));
            if (position < last) {
                inModelOrder = false;
            }
            last = position;
        }
        if (shape.union() && out.size() > 1) {
            throw JsonShapeReader.malformed("Union " + shape.name() + " must have exactly one member set, found "
                    + out.size());
        }
        return inModelOrder || out.size() < 2 ? out : inModelOrder(out, members);
    }

    /** The members in model order, as the tree reader (which walks the model) gives them. */
    private static Struct inModelOrder(Struct read, Member[] members) {
        Struct out = new Struct();
        for (Member m : members) {
            out.put(m.name(), read.get(m.name()));
        }
        return out;
    }

    private static Map<String, Integer> index(Shape shape) {
        Map<String, Integer> positions = new HashMap<>();
        Member[] members = shape.members().values().toArray(new Member[0]);
        for (int i = 0; i < members.length; i++) {
            positions.putIfAbsent(members[i].wireName(), i);
        }
        MEMBERS.put(shape, members);
        POSITIONS.put(shape, positions);
        return positions;
    }

    private static List<Object> list(JsonParser p, Shape shape, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw mismatch(p, t, "List");
        }
        Member item = shape.listMember();
        Shape itemShape = item.shape();
        String format = item.timestampFormat();
        List<Object> out = new ArrayList<>();
        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
            if (x != JsonToken.VALUE_NULL) {
                out.add(value(p, itemShape, format, x));
            }
        }
        return out;
    }

    private static Map<String, Object> map(JsonParser p, Shape shape, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw mismatch(p, t, "Map");
        }
        Member value = shape.mapValue();
        Shape valueShape = value.shape();
        String format = value.timestampFormat();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                out.remove(key); // as in the tree: a later null replaces an earlier value
                continue;
            }
            out.put(key, value(p, valueShape, format, v));
        }
        return out;
    }

    private static long integral(JsonParser p, JsonToken t, String type, long min, long max) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw mismatch(p, t, type);
        }
        JsonParser.NumberType type0 = p.getNumberType();
        if (type0 == JsonParser.NumberType.INT || type0 == JsonParser.NumberType.LONG) {
            long n = p.getLongValue();
            if (n < min || n > max) {
                throw JsonShapeReader.malformed("Value " + n + " is out of range for " + type);
            }
            return n;
        }
        BigInteger n = p.getBigIntegerValue();
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw JsonShapeReader.malformed("Value " + n + " is out of range for " + type);
        }
        return n.longValue();
    }

    private static double floating(JsonParser p, JsonToken t, String type) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        Double special = t == JsonToken.VALUE_STRING ? JsonShapeReader.specialFloat(p.getText()) : null;
        if (special != null) {
            return special;
        }
        throw mismatch(p, t, type);
    }

    private static Instant timestamp(JsonParser p, JsonToken t, String format) throws IOException {
        String fmt = format == null ? Timestamps.UNIX : format;
        boolean number = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
        try {
            if (number) {
                if (!Timestamps.UNIX.equals(fmt)) {
                    throw mismatch(p, t, "Timestamp");
                }
                return Timestamps.parseEpochSeconds(p.getDecimalValue().toPlainString());
            }
            if (t == JsonToken.VALUE_STRING && !Timestamps.UNIX.equals(fmt)) {
                return Timestamps.parse(p.getText());
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw JsonShapeReader.malformed("Invalid timestamp: " + p.getText());
        }
        throw mismatch(p, t, "Timestamp");
    }

    /** The error for a value of the wrong JSON type; a container is skipped first (its tokens are consumed). */
    private static AwsException mismatch(JsonParser p, JsonToken t, String expected) {
        if (t == JsonToken.START_OBJECT) {
            return JsonShapeReader.malformed("Start of structure or map found where not expected.");
        }
        if (t == JsonToken.START_ARRAY) {
            return JsonShapeReader.malformed("Start of list found where not expected");
        }
        String kind = t == JsonToken.VALUE_STRING ? "STRING_VALUE"
                : t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT ? "NUMBER_VALUE"
                : t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE ? "BOOLEAN_VALUE" : "VALUE";
        return JsonShapeReader.malformed(kind + " cannot be converted to " + expected);
    }
}
