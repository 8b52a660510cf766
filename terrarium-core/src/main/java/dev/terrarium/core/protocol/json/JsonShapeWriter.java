package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes model values as JSON by shape: structure members under their locationName/jsonName,
 * timestamps as epoch seconds (fractional milliseconds) unless the model says otherwise, blobs in
 * base64, non-finite floats as "NaN"/"Infinity"/"-Infinity", big numbers exactly, documents as they are.
 * A value that does not fit its shape is a service bug and becomes InternalFailure, not a crash.
 */
public final class JsonShapeWriter {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private JsonShapeWriter() {
    }

    /** A whole structure as a JSON object ({} for a null value or shape). */
    public static byte[] write(Shape shape, Struct value) {
        return write(shape, value, m -> true);
    }

    /** Only the members accepted by filter (restJson: the body members). */
    public static byte[] write(Shape shape, Struct value, Predicate<Member> filter) {
        return generate(g -> {
            if (shape == null || value == null) {
                g.writeStartObject();
                g.writeEndObject();
            } else {
                writeStruct(g, shape, value, filter);
            }
        });
    }

    /** One value of this shape as a JSON document (restJson structure/document payloads). */
    public static byte[] writeValue(Shape shape, Object value) {
        return generate(g -> writeValue(g, shape, null, value, shape.name()));
    }

    public interface Body {
        void writeTo(JsonGenerator g) throws IOException;
    }

    /** Runs a writer against a fresh generator and returns the bytes. */
    public static byte[] generate(Body body) {
        // segments that grow without copying what is written (a 100-item Query answer is ~30 KB), joined once
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.writeTo(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static void writeStruct(JsonGenerator g, Shape shape, Object value, Predicate<Member> filter)
            throws IOException {
        g.writeStartObject();
        writeMembers(g, shape, value, filter);
        g.writeEndObject();
    }

    /** The fields of a structure, without the braces (to add fields beside them, e.g. __type). */
    public static void writeMembers(JsonGenerator g, Shape shape, Object value, Predicate<Member> filter)
            throws IOException {
        if (value instanceof Struct s && s.size() <= 1 && shape.members().size() > 1) {
            // a union value (DynamoDB's AttributeValue) or a near-empty structure: look up its one member
            // rather than every member of the shape; with one member there is no order to keep
            if (s.size() == 1) {
                String name = s.names().iterator().next();
                Member m = shape.member(name);
                Object v = s.get(name);
                if (m != null && filter.test(m)) {
                    g.writeFieldName(m.wireName());
                    value(g, m.shape(), m.timestampFormat(), v, new Path(shape.name(), ".", m.name()));
                }
            }
            return;
        }
        for (Member m : shape.members().values()) {
            if (!filter.test(m)) {
                continue;
            }
            Object v = memberValue(value, m.name(), shape);
            if (v != null) {
                g.writeFieldName(m.wireName());
                value(g, m.shape(), m.timestampFormat(), v, new Path(shape.name(), ".", m.name()));
            }
        }
    }

    public static void writeValue(JsonGenerator g, Shape shape, String timestampFormat, Object v, String path)
            throws IOException {
        value(g, shape, timestampFormat, v, path);
    }

    /**
     * Where a value sits ("Shape.Member[]{}"), for the error when it does not fit its shape: spelled out only
     * then, not for every value written.
     */
    private record Path(Object parent, String separator, String segment) {
        @Override
        public String toString() { return parent + separator + (segment == null ? "" : segment); }
    }

    /** path: a String or a {@link Path}, turned into text only for an error. */
    private static void value(JsonGenerator g, Shape shape, String timestampFormat, Object v, Object path)
            throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        if (shape.document()) {
            writeDocument(g, v);
            return;
        }
        switch (shape.type()) {
            case STRUCTURE -> writeStruct(g, shape, v, m -> true);
            case LIST -> {
                Member item = shape.listMember();
                g.writeStartArray();
                Path itemPath = new Path(path, "[]", null);
                for (Object x : elements(v, path)) {
                    value(g, item.shape(), item.timestampFormat(), x, itemPath);
                }
                g.writeEndArray();
            }
            case MAP -> {
                if (!(v instanceof Map<?, ?> map)) {
                    throw wrongType(path, "a Map", v);
                }
                Member value = shape.mapValue();
                Path valuePath = new Path(path, "{}", null);
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getValue() != null) {
                        g.writeFieldName(String.valueOf(e.getKey() instanceof Enum<?> en ? en.name() : e.getKey()));
                        value(g, value.shape(), value.timestampFormat(), e.getValue(), valuePath);
                    }
                }
                g.writeEndObject();
            }
            case STRING -> g.writeString(v instanceof Enum<?> e ? e.name() : v.toString());
            case BOOLEAN -> g.writeBoolean(bool(v, path));
            case BYTE, SHORT, INTEGER, LONG -> g.writeNumber(integral(v, path));
            case FLOAT, DOUBLE -> writeFloating(g, floating(v, path));
            case BIG_INTEGER -> g.writeNumber(bigInteger(v, path));
            case BIG_DECIMAL -> g.writeNumber(bigDecimal(v, path));
            case BLOB -> g.writeString(Base64.getEncoder().encodeToString(bytes(v, path)));
            case TIMESTAMP -> {
                Instant t = instant(v, path);
                String fmt = timestampFormat == null ? Timestamps.UNIX : timestampFormat;
                if (Timestamps.UNIX.equals(fmt)) {
                    g.writeNumber(Timestamps.epochSeconds(t));
                } else {
                    g.writeString(Timestamps.format(t, fmt));
                }
            }
        }
    }

    /** A document value: Map/List/String/Number/Boolean/null trees (or a Jackson tree), written as is. */
    public static void writeDocument(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof JsonNode n) {
            JsonShapeReader.MAPPER.writeTree(g, n);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeDocument(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Struct s) {
            writeDocument(g, s.asMap());
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object x : c) {
                writeDocument(g, x);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Double || v instanceof Float) {
            writeFloating(g, ((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else {
            g.writeString(v.toString());
        }
    }

    private static void writeFloating(JsonGenerator g, double d) throws IOException {
        if (Double.isNaN(d)) {
            g.writeString("NaN");
        } else if (Double.isInfinite(d)) {
            g.writeString(d > 0 ? "Infinity" : "-Infinity");
        } else {
            g.writeNumber(d);
        }
    }

    private static Object memberValue(Object container, String name, Shape shape) {
        if (container instanceof Struct s) {
            return s.get(name);
        }
        if (container instanceof Map<?, ?> m) {
            return m.get(name);
        }
        throw wrongType(shape.name(), "a Struct", container);
    }

    private static Iterable<?> elements(Object v, Object path) {
        if (v instanceof Collection<?> c) {
            return c;
        }
        if (v instanceof Object[] a) {
            return java.util.Arrays.asList(a);
        }
        throw wrongType(path, "a List", v);
    }

    static boolean bool(Object v, Object path) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw wrongType(path, "a Boolean", v);
    }

    static long integral(Object v, Object path) {
        try {
            if (v instanceof Number n) {
                return n instanceof BigDecimal || n instanceof BigInteger ? new BigDecimal(n.toString()).longValueExact()
                        : n.longValue();
            }
            if (v instanceof String s) {
                return Long.parseLong(s.trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // falls through to the type error
        }
        throw wrongType(path, "an integral number", v);
    }

    static double floating(Object v, Object path) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                // falls through
            }
        }
        throw wrongType(path, "a number", v);
    }

    static BigInteger bigInteger(Object v, Object path) {
        try {
            if (v instanceof BigInteger b) {
                return b;
            }
            if (v instanceof Number || v instanceof String) {
                return new BigDecimal(v.toString().trim()).toBigIntegerExact();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // falls through
        }
        throw wrongType(path, "an integer", v);
    }

    static BigDecimal bigDecimal(Object v, Object path) {
        try {
            if (v instanceof BigDecimal b) {
                return b;
            }
            if (v instanceof Number || v instanceof String) {
                return new BigDecimal(v.toString().trim());
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw wrongType(path, "a decimal", v);
    }

    static byte[] bytes(Object v, Object path) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof ByteBuffer bb) {
            ByteBuffer copy = bb.duplicate();
            byte[] b = new byte[copy.remaining()];
            copy.get(b);
            return b;
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof StreamingBody sb) {
            try {
                return sb.stream().readAllBytes();
            } catch (IOException e) {
                throw AwsException.internal("cannot read the streaming value of " + path);
            }
        }
        throw wrongType(path, "bytes", v);
    }

    static Instant instant(Object v, Object path) {
        if (v instanceof Instant t) {
            return t;
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        try {
            if (v instanceof TemporalAccessor ta) {
                return Instant.from(ta);
            }
            if (v instanceof Number n) {
                return Timestamps.parseEpochSeconds(n.toString());
            }
            if (v instanceof String s) {
                return Timestamps.parse(s);
            }
        } catch (RuntimeException e) {
            // falls through
        }
        throw wrongType(path, "a timestamp", v);
    }

    static AwsException wrongType(Object path, String expected, Object got) {
        return AwsException.internal("Terrarium could not serialize " + path + ": expected " + expected + ", got "
                + (got == null ? "null" : got.getClass().getSimpleName()));
    }
}
