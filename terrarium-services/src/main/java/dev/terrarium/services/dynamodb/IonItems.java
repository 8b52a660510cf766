package dev.terrarium.services.dynamodb;

import com.amazon.ion.IonException;
import com.amazon.ion.IonReader;
import com.amazon.ion.IonType;
import com.amazon.ion.IonWriter;
import com.amazon.ion.system.IonReaderBuilder;
import com.amazon.ion.system.IonTextWriterBuilder;
import com.amazon.ion.system.IonWriterBuilder;
import dev.terrarium.core.service.Struct;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Items as Amazon Ion text, the ION format of table exports and imports. Each export line is an Ion version
 * marker and one struct ({@code $ion_1_0 {Item:{...}}}); DynamoDB's types map to Ion's as AWS documents:
 * S string, N decimal, B blob, BOOL bool, NULL null, M struct, L list, and the sets lists annotated
 * {@code $dynamodb_SS}, {@code $dynamodb_NS}, {@code $dynamodb_BS}.
 */
final class IonItems {
    static final String SS = "$dynamodb_SS";
    static final String NS = "$dynamodb_NS";
    static final String BS = "$dynamodb_BS";

    private static final IonTextWriterBuilder TEXT = IonTextWriterBuilder.standard()
            .withInitialIvmHandling(IonWriterBuilder.InitialIvmHandling.ENSURE).immutable();
    private static final IonReaderBuilder READER = IonReaderBuilder.standard().immutable();

    private IonItems() {
    }

    /**
     * One export line, without its newline: the version marker and a struct whose members are items (Item, or
     * Metadata, Keys, NewImage, OldImage of an incremental export), in the given order.
     */
    static String line(Map<String, Map<String, AttributeValue>> members) {
        StringBuilder out = new StringBuilder(256);
        try (IonWriter w = TEXT.build(out)) {
            w.stepIn(IonType.STRUCT);
            for (Map.Entry<String, Map<String, AttributeValue>> m : members.entrySet()) {
                w.setFieldName(m.getKey());
                writeItem(w, m.getValue());
            }
            w.stepOut();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeItem(IonWriter w, Map<String, AttributeValue> item) throws IOException {
        w.stepIn(IonType.STRUCT);
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            w.setFieldName(e.getKey());
            writeValue(w, e.getValue());
        }
        w.stepOut();
    }

    private static void writeValue(IonWriter w, AttributeValue v) throws IOException {
        if (v instanceof AttributeValue.S x) {
            w.writeString(x.value());
        } else if (v instanceof AttributeValue.N x) {
            w.writeDecimal(x.value());
        } else if (v instanceof AttributeValue.B x) {
            w.writeBlob(x.value());
        } else if (v instanceof AttributeValue.Bool x) {
            w.writeBool(x.value());
        } else if (v instanceof AttributeValue.Null) {
            w.writeNull();
        } else if (v instanceof AttributeValue.SS x) {
            w.setTypeAnnotations(SS);
            w.stepIn(IonType.LIST);
            for (String s : x.values()) {
                w.writeString(s);
            }
            w.stepOut();
        } else if (v instanceof AttributeValue.NS x) {
            w.setTypeAnnotations(NS);
            w.stepIn(IonType.LIST);
            for (AttributeValue.N n : x.values()) {
                w.writeDecimal(n.value());
            }
            w.stepOut();
        } else if (v instanceof AttributeValue.BS x) {
            w.setTypeAnnotations(BS);
            w.stepIn(IonType.LIST);
            for (AttributeValue.B b : x.values()) {
                w.writeBlob(b.value());
            }
            w.stepOut();
        } else if (v instanceof AttributeValue.M x) {
            writeItem(w, x.values());
        } else if (v instanceof AttributeValue.L x) {
            w.stepIn(IonType.LIST);
            for (AttributeValue e : x.values()) {
                writeValue(w, e);
            }
            w.stepOut();
        }
    }

    /** What reading an Ion object found: each top-level value as an item, or as an error. */
    interface Sink {
        /** A value whose Item member is a struct: its attributes as wire values (checked by the caller). */
        void item(Map<String, Object> wire);

        /** A value that is not an item of this format. */
        void error();
    }

    /**
     * Reads every top-level value of an Ion stream (text or binary). A value that is not a struct with an Item
     * struct, or holds a type DynamoDB has not, is one error; a stream that cannot be parsed further ends with
     * one error, and the rest of that object is skipped (as AWS's import does).
     */
    static void read(InputStream in, Sink sink) {
        try (IonReader r = READER.build(in)) {
            for (IonType type = r.next(); type != null; type = r.next()) {
                Map<String, Object> item = null;
                try {
                    if (type == IonType.STRUCT && !r.isNullValue()) {
                        r.stepIn();
                        for (IonType t = r.next(); t != null; t = r.next()) {
                            if ("Item".equals(r.getFieldName()) && t == IonType.STRUCT && !r.isNullValue()) {
                                item = readStruct(r);
                            }
                        }
                        r.stepOut();
                    }
                } catch (IllegalArgumentException e) {
                    item = null;
                    while (r.getDepth() > 0) {
                        r.stepOut();
                    }
                }
                if (item == null) {
                    sink.error();
                } else {
                    sink.item(item);
                }
            }
        } catch (IonException | IOException e) {
            sink.error();
        }
    }

    private static Map<String, Object> readStruct(IonReader r) {
        Map<String, Object> out = new LinkedHashMap<>();
        r.stepIn();
        for (IonType t = r.next(); t != null; t = r.next()) {
            out.put(r.getFieldName(), readValue(r, t));
        }
        r.stepOut();
        return out;
    }

    private static Struct readValue(IonReader r, IonType t) {
        if (r.isNullValue()) {
            return Struct.of("NULL", true);
        }
        String[] annotations = r.getTypeAnnotations();
        String set = annotations.length == 0 ? null : annotations[0];
        return switch (t) {
            case STRING, SYMBOL -> Struct.of("S", r.stringValue());
            case DECIMAL -> Struct.of("N", r.bigDecimalValue().toString());
            case INT -> Struct.of("N", r.bigIntegerValue().toString());
            case BOOL -> Struct.of("BOOL", r.booleanValue());
            case BLOB -> Struct.of("B", r.newBytes());
            case STRUCT -> Struct.of("M", readStruct(r));
            case LIST -> {
                if (set != null && !SS.equals(set) && !NS.equals(set) && !BS.equals(set)) {
                    throw new IllegalArgumentException("unknown annotation " + set);
                }
                List<Object> values = new ArrayList<>();
                r.stepIn();
                for (IonType e = r.next(); e != null; e = r.next()) {
                    if (set == null) {
                        values.add(readValue(r, e));
                    } else if (SS.equals(set) && e == IonType.STRING && !r.isNullValue()) {
                        values.add(r.stringValue());
                    } else if (NS.equals(set) && (e == IonType.DECIMAL || e == IonType.INT) && !r.isNullValue()) {
                        values.add(r.bigDecimalValue().toString());
                    } else if (BS.equals(set) && e == IonType.BLOB && !r.isNullValue()) {
                        values.add(r.newBytes());
                    } else {
                        throw new IllegalArgumentException("a " + e + " in a " + set + " list");
                    }
                }
                r.stepOut();
                yield set == null ? Struct.of("L", values) : Struct.of(set.substring(set.length() - 2), values);
            }
            default -> throw new IllegalArgumentException("Ion type " + t + " has no DynamoDB type");
        };
    }
}
