package dev.terrarium.core.protocol.cbor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.Struct;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CBOR document into the value of a shape (Struct, List, Map, scalars), as the Smithy
 * rpcv2Cbor protocol encodes them: structures and maps as CBOR maps, blobs as byte strings,
 * timestamps as tag 1 epoch seconds, big numbers as bignums (tags 2/3) or decimal fractions (tag 4).
 * Definite and indefinite lengths are both accepted; unknown members are skipped; nulls in a
 * structure mean "absent". Anything that does not fit the shape throws {@link CborFormatException}.
 */
final class CborShapeReader {
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private CborShapeReader() {
    }

    /** The structure in body, or an empty Struct when body is empty. */
    static Struct readStruct(byte[] body, Shape shape) {
        if (body.length == 0) {
            return Struct.empty();
        }
        try (JsonParser p = Cbor.FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return Struct.empty();
            }
            Object value = shape == null ? readDocument(p) : read(p, shape, "");
            if (p.nextToken() != null) {
                throw new CborFormatException("Unexpected data after the end of the CBOR body");
            }
            if (shape == null) {
                if (value != null && !(value instanceof Map)) {
                    throw new CborFormatException("Expected a CBOR map as the request body");
                }
                return Struct.empty();
            }
            return value == null ? Struct.empty() : (Struct) value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CborFormatException c) {
                throw c;
            }
            throw new CborFormatException("Malformed CBOR: " + firstLine(e.getMessage()));
        }
    }

    /** The value at the parser's current token, or null for CBOR null/undefined. */
    private static Object read(JsonParser p, Shape shape, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (shape.document()) {
            return readDocument(p);
        }
        return switch (shape.type()) {
            case STRUCTURE -> readStructure(p, shape, path);
            case LIST -> readList(p, shape, path);
            case MAP -> readMap(p, shape, path);
            case STRING -> {
                expect(t == JsonToken.VALUE_STRING, "a text string", path, t);
                yield p.getText();
            }
            case BOOLEAN -> {
                expect(t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE, "a boolean", path, t);
                yield t == JsonToken.VALUE_TRUE;
            }
            case BYTE, SHORT, INTEGER, LONG -> readInteger(p, shape, path);
            case BIG_INTEGER -> {
                expect(t == JsonToken.VALUE_NUMBER_INT, "an integer", path, t);
                yield p.getBigIntegerValue();
            }
            case FLOAT -> {
                expectNumber(t, path);
                yield p.getFloatValue();
            }
            case DOUBLE -> {
                expectNumber(t, path);
                yield p.getDoubleValue();
            }
            case BIG_DECIMAL -> {
                expectNumber(t, path);
                yield t == JsonToken.VALUE_NUMBER_INT ? new BigDecimal(p.getBigIntegerValue()) : p.getDecimalValue();
            }
            case BLOB -> {
                expect(t == JsonToken.VALUE_EMBEDDED_OBJECT, "a byte string", path, t);
                Object embedded = p.getEmbeddedObject();
                if (!(embedded instanceof byte[] bytes)) {
                    throw mismatch("a byte string", path, t);
                }
                yield bytes;
            }
            case TIMESTAMP -> readTimestamp(p, path);
        };
    }

    private static Struct readStructure(JsonParser p, Shape shape, String path) throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, "a map", path, p.currentToken());
        Struct struct = new Struct();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            p.nextToken();
            Member member = memberFor(shape, name);
            if (member == null) {
                p.skipChildren();
                continue;
            }
            Object value = read(p, member.shape(), join(path, member.name()));
            if (value != null) {
                struct.put(member.name(), value);
            }
        }
        return struct;
    }

    /** Smithy names members by their model name; botocore writes locationName when there is one. */
    private static Member memberFor(Shape shape, String wireName) {
        Member m = shape.member(wireName);
        if (m != null) {
            return m;
        }
        for (Member candidate : shape.members().values()) {
            if (wireName.equals(candidate.locationName())) {
                return candidate;
            }
        }
        return null;
    }

    private static List<Object> readList(JsonParser p, Shape shape, String path) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, "an array", path, p.currentToken());
        List<Object> list = new ArrayList<>();
        Shape element = shape.listMember().shape();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            list.add(read(p, element, path + "[" + list.size() + "]"));
        }
        return list;
    }

    private static Map<String, Object> readMap(JsonParser p, Shape shape, String path) throws IOException {
        expect(p.currentToken() == JsonToken.START_OBJECT, "a map", path, p.currentToken());
        Map<String, Object> map = new LinkedHashMap<>();
        Shape valueShape = shape.mapValue().shape();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            p.nextToken();
            map.put(key, read(p, valueShape, join(path, key)));
        }
        return map;
    }

    private static Object readInteger(JsonParser p, Shape shape, String path) throws IOException {
        JsonToken t = p.currentToken();
        expect(t == JsonToken.VALUE_NUMBER_INT, "an integer", path, t);
        BigInteger v = p.getBigIntegerValue();
        return switch (shape.type()) {
            case BYTE -> (byte) inRange(v, BigInteger.valueOf(Byte.MIN_VALUE), BigInteger.valueOf(Byte.MAX_VALUE), path);
            case SHORT -> (short) inRange(v, BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE), path);
            case INTEGER -> (int) inRange(v, INT_MIN, INT_MAX, path);
            default -> inRange(v, LONG_MIN, LONG_MAX, path);
        };
    }

    private static long inRange(BigInteger v, BigInteger min, BigInteger max, String path) {
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new CborFormatException("Value " + v + " is out of range for " + describe(path));
        }
        return v.longValue();
    }

    /** Tag 1 over an integer or a float; an untagged number is taken as epoch seconds too. */
    private static Instant readTimestamp(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        expectNumber(t, path);
        int tag = p instanceof CBORParser c ? c.getCurrentTag() : -1;
        if (tag != -1 && tag != Cbor.TAG_EPOCH_SECONDS) {
            throw new CborFormatException("Unsupported CBOR tag " + tag + " for timestamp " + describe(path));
        }
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return Instant.ofEpochSecond(p.getLongValue());
            }
            double seconds = p.getDoubleValue();
            if (!Double.isFinite(seconds)) {
                throw new CborFormatException("Timestamp " + describe(path) + " is not a finite number");
            }
            return Timestamps.fromEpochSeconds(seconds);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw new CborFormatException("Timestamp " + describe(path) + " is out of range");
        }
    }

    /** A document: plain Map/List/String/Number/Boolean/null tree (byte strings as byte[]). */
    private static Object readDocument(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String key = p.currentName();
                    p.nextToken();
                    map.put(key, readDocument(p));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    list.add(readDocument(p));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_EMBEDDED_OBJECT -> {
                return p.getEmbeddedObject();
            }
            default -> throw new CborFormatException("Unexpected CBOR item " + t);
        }
    }

    private static void expectNumber(JsonToken t, String path) {
        expect(t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT, "a number", path, t);
    }

    private static void expect(boolean ok, String what, String path, JsonToken got) {
        if (!ok) {
            throw mismatch(what, path, got);
        }
    }

    private static CborFormatException mismatch(String what, String path, JsonToken got) {
        return new CborFormatException("Expected " + what + " for " + describe(path) + " but found " + kind(got));
    }

    private static String kind(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "a map";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a text string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a float";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_EMBEDDED_OBJECT -> "a byte string";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private static String describe(String path) {
        return path.isEmpty() ? "the input" : "'" + path + "'";
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable body";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
