package dev.terrarium.core.protocol.cbor;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the value of a shape as rpcv2Cbor CBOR: definite-length maps and arrays, members by
 * their model name, float shapes as float32 and double shapes as float64, timestamps as tag 1
 * over float64 epoch seconds, blobs as byte strings, big numbers as bignums / decimal fractions.
 * Members of a Struct that the shape does not know are left out.
 */
final class CborShapeWriter {
    private final CBORGenerator gen;

    private CborShapeWriter(CBORGenerator gen) {
        this.gen = gen;
    }

    static byte[] write(Struct value, Shape shape) {
        return write(gen -> new CborShapeWriter(gen).writeStruct(value, shape, List.of()));
    }

    /** An error body: "__type" first, then the message (when there is one), then the modeled fields. */
    static byte[] writeError(String type, String messageKey, String message, Struct fields, Shape shape) {
        Struct rest = fields.copy();
        List<Map.Entry<String, Object>> head = new ArrayList<>();
        head.add(Map.entry("__type", type));
        if (message != null && !message.isEmpty()) {
            head.add(Map.entry(messageKey, message));
            rest.put(messageKey, null);
        }
        return write(gen -> new CborShapeWriter(gen).writeStruct(rest, shape, head));
    }

    private interface Body {
        void writeTo(CBORGenerator gen) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (CBORGenerator gen = Cbor.FACTORY.createGenerator(out)) {
            body.writeTo(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A structure, preceded by extra string entries (for error bodies). */
    private void writeStruct(Struct value, Shape shape, List<Map.Entry<String, Object>> extra) throws IOException {
        List<Member> present = new ArrayList<>();
        for (Member m : shape == null ? List.<Member>of() : shape.members().values()) {
            if (value.get(m.name()) != null) {
                present.add(m);
            }
        }
        gen.writeStartObject(value, extra.size() + present.size());
        for (Map.Entry<String, Object> e : extra) {
            gen.writeFieldName(e.getKey());
            gen.writeString(String.valueOf(e.getValue()));
        }
        for (Member m : present) {
            gen.writeFieldName(m.name());
            writeValue(value.get(m.name()), m.shape());
        }
        gen.writeEndObject();
    }

    private void writeValue(Object v, Shape shape) throws IOException {
        if (v == null) {
            gen.writeNull();
            return;
        }
        if (shape.document()) {
            writeDocument(v);
            return;
        }
        switch (shape.type()) {
            case STRUCTURE -> writeStruct(asStruct(v, shape), shape, List.of());
            case LIST -> {
                List<?> list = (List<?>) v;
                gen.writeStartArray(list, list.size());
                for (Object item : list) {
                    writeValue(item, shape.listMember().shape());
                }
                gen.writeEndArray();
            }
            case MAP -> {
                Map<?, ?> map = (Map<?, ?>) v;
                gen.writeStartObject(map, map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    gen.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(e.getValue(), shape.mapValue().shape());
                }
                gen.writeEndObject();
            }
            case STRING -> gen.writeString(v.toString());
            case BOOLEAN -> gen.writeBoolean(v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString()));
            case BYTE, SHORT, INTEGER, LONG -> gen.writeNumber(number(v).longValue());
            case BIG_INTEGER -> gen.writeNumber(v instanceof BigInteger b ? b : new BigDecimal(v.toString()).toBigIntegerExact());
            case FLOAT -> gen.writeNumber(number(v).floatValue());
            case DOUBLE -> gen.writeNumber(number(v).doubleValue());
            case BIG_DECIMAL -> gen.writeNumber(v instanceof BigDecimal b ? b : new BigDecimal(v.toString()));
            case BLOB -> gen.writeBinary(bytes(v));
            case TIMESTAMP -> {
                gen.writeTag(Cbor.TAG_EPOCH_SECONDS);
                gen.writeNumber(Timestamps.epochSeconds((Instant) v).doubleValue());
            }
        }
    }

    private static Struct asStruct(Object v, Shape shape) {
        if (v instanceof Struct s) {
            return s;
        }
        throw new IllegalArgumentException("value of " + shape.name() + " is a " + v.getClass().getSimpleName()
                + ", not a Struct");
    }

    private static Number number(Object v) {
        if (v instanceof Number n) {
            return n;
        }
        return new BigDecimal(v.toString());
    }

    private static byte[] bytes(Object v) throws IOException {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof StreamingBody s) {
            try (InputStream in = s.stream()) {
                return in.readAllBytes();
            }
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("blob value is a " + v.getClass().getSimpleName());
    }

    private void writeDocument(Object v) throws IOException {
        if (v == null) {
            gen.writeNull();
        } else if (v instanceof Map<?, ?> map) {
            gen.writeStartObject(map, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                gen.writeFieldName(String.valueOf(e.getKey()));
                writeDocument(e.getValue());
            }
            gen.writeEndObject();
        } else if (v instanceof List<?> list) {
            gen.writeStartArray(list, list.size());
            for (Object item : list) {
                writeDocument(item);
            }
            gen.writeEndArray();
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            gen.writeNumber(d);
        } else if (v instanceof BigInteger i) {
            gen.writeNumber(i);
        } else if (v instanceof Double || v instanceof Float) {
            gen.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            gen.writeNumber(n.longValue());
        } else if (v instanceof byte[] b) {
            gen.writeBinary(b);
        } else {
            gen.writeString(v.toString());
        }
    }
}
