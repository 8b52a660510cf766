package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Attribute values between the wire (Structs with one of S, N, B, ... set) and {@link AttributeValue}, with AWS's checks. */
public final class AttributeValues {
    private AttributeValues() {
    }

    /** An item or key (attribute name -> wire value) as attribute values; null stays null. */
    public static Map<String, AttributeValue> fromWire(Map<String, Object> wire) {
        if (wire == null) {
            return null;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>(wire.size() * 2);
        for (Map.Entry<String, Object> e : wire.entrySet()) {
            out.put(e.getKey(), fromWire(e.getValue()));
        }
        return out;
    }

    public static AttributeValue fromWire(Object wire) {
        Struct s = (Struct) wire;
        if (s == null || s.isEmpty()) {
            throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (s.size() > 1) {
            throw Errors.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        String type = s.names().iterator().next();
        Object v = s.get(type);
        return switch (type) {
            case "S" -> new AttributeValue.S((String) v);
            case "N" -> Numbers.parse((String) v);
            case "B" -> new AttributeValue.B((byte[]) v);
            case "BOOL" -> (Boolean) v ? AttributeValue.Bool.TRUE : AttributeValue.Bool.FALSE;
            case "NULL" -> {
                if (!(Boolean) v) {
                    throw Errors.invalidParameter("Null attribute value types must have the value of true");
                }
                yield AttributeValue.Null.INSTANCE;
            }
            case "SS" -> stringSet(s.strings("SS"));
            case "NS" -> numberSet(s.strings("NS"));
            case "BS" -> binarySet(s.list("BS"));
            case "M" -> new AttributeValue.M(Collections.unmodifiableMap(fromWire(s.map("M"))));
            case "L" -> {
                List<Object> list = s.list("L");
                List<AttributeValue> out = new ArrayList<>(list.size());
                for (Object o : list) {
                    out.add(fromWire(o));
                }
                yield new AttributeValue.L(Collections.unmodifiableList(out));
            }
            default -> throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        };
    }

    private static AttributeValue.SS stringSet(List<String> values) {
        if (values.isEmpty()) {
            throw Errors.invalidParameter("An string set  may not be empty");
        }
        if (new HashSet<>(values).size() != values.size()) {
            throw duplicates(values);
        }
        return new AttributeValue.SS(List.copyOf(values));
    }

    private static AttributeValue.NS numberSet(List<String> values) {
        if (values.isEmpty()) {
            throw Errors.invalidParameter("An number set  may not be empty");
        }
        List<AttributeValue.N> out = new ArrayList<>(values.size());
        Set<AttributeValue.N> seen = new HashSet<>();
        for (String v : values) {
            AttributeValue.N n = Numbers.parse(v);
            if (!seen.add(n)) {
                // AWS's text for number sets (as dynalite's AWS-checked validations have it): no list, no prefix
                throw Errors.validation("Input collection contains duplicates");
            }
            out.add(n);
        }
        return new AttributeValue.NS(List.copyOf(out));
    }

    private static AttributeValue.BS binarySet(List<Object> values) {
        if (values.isEmpty()) {
            throw Errors.invalidParameter("Binary sets should not be empty");
        }
        List<AttributeValue.B> out = new ArrayList<>(values.size());
        Set<AttributeValue.B> seen = new HashSet<>();
        for (Object v : values) {
            AttributeValue.B b = new AttributeValue.B((byte[]) v);
            if (!seen.add(b)) {
                List<String> shown = new ArrayList<>();
                values.forEach(x -> shown.add(java.util.Base64.getEncoder().encodeToString((byte[]) x)));
                throw Errors.invalidParameter("Input collection " + shown + "of type BS contains duplicates.");
            }
            out.add(b);
        }
        return new AttributeValue.BS(List.copyOf(out));
    }

    private static RuntimeException duplicates(List<String> values) {
        return Errors.invalidParameter("Input collection " + values.toString() + " contains duplicates.");
    }

    public static Map<String, Object> toWire(Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>(item.size() * 2);
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            out.put(e.getKey(), toWire(e.getValue()));
        }
        return out;
    }

    public static Struct toWire(AttributeValue v) {
        Struct s = new Struct();
        if (v instanceof AttributeValue.S x) {
            s.put("S", x.value());
        } else if (v instanceof AttributeValue.N x) {
            s.put("N", x.text());
        } else if (v instanceof AttributeValue.B x) {
            s.put("B", x.value());
        } else if (v instanceof AttributeValue.Bool x) {
            s.put("BOOL", x.value());
        } else if (v instanceof AttributeValue.Null) {
            s.put("NULL", Boolean.TRUE);
        } else if (v instanceof AttributeValue.SS x) {
            s.put("SS", new ArrayList<Object>(x.values()));
        } else if (v instanceof AttributeValue.NS x) {
            List<Object> out = new ArrayList<>(x.values().size());
            x.values().forEach(n -> out.add(n.text()));
            s.put("NS", out);
        } else if (v instanceof AttributeValue.BS x) {
            List<Object> out = new ArrayList<>(x.values().size());
            x.values().forEach(b -> out.add(b.value()));
            s.put("BS", out);
        } else if (v instanceof AttributeValue.M x) {
            s.put("M", toWire(x.values()));
        } else if (v instanceof AttributeValue.L x) {
            List<Object> out = new ArrayList<>(x.values().size());
            x.values().forEach(e -> out.add(toWire(e)));
            s.put("L", out);
        }
        return s;
    }

    /** The size AWS counts for an item: attribute names (UTF-8) plus their values. */
    public static int itemSize(Map<String, AttributeValue> item) {
        int n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += AttributeValue.Utf8.length(e.getKey()) + e.getValue().size();
        }
        return n;
    }

    /** "AttributeValue: {N:5}" as AWS prints values in error messages. */
    public static String describe(AttributeValue v) {
        String inner;
        if (v instanceof AttributeValue.S x) {
            inner = x.value();
        } else if (v instanceof AttributeValue.N x) {
            inner = x.text();
        } else if (v instanceof AttributeValue.B x) {
            inner = java.util.Base64.getEncoder().encodeToString(x.value());
        } else if (v instanceof AttributeValue.Bool x) {
            inner = String.valueOf(x.value());
        } else if (v instanceof AttributeValue.Null) {
            inner = "true";
        } else if (v instanceof AttributeValue.SS x) {
            inner = x.values().toString();
        } else if (v instanceof AttributeValue.NS x) {
            inner = x.values().stream().map(AttributeValue.N::text).toList().toString();
        } else {
            inner = v.toString();
        }
        return "{" + v.type() + ":" + inner + "}";
    }
}
