package dev.terrarium.core.service;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The value of a structure shape: member name -> value, in insertion order. It is what codecs
 * parse a request into and serialize a response from. Values are plain Java:
 * String, Boolean, Integer/Long/Short/Byte, Float/Double, BigInteger, BigDecimal, Instant (timestamps),
 * byte[] (blobs), {@link StreamingBody} (streaming blobs), Struct, List, Map (String keys), and
 * Object trees of Map/List/String/Number/Boolean/null for documents.
 */
public final class Struct {
    private final Map<String, Object> values;

    public Struct() {
        this.values = new LinkedHashMap<>();
    }

    private Struct(Map<String, Object> values) {
        this.values = values;
    }

    /** Struct.of("QueueUrl", url, "Attributes", attrs): null values are left out. */
    public static Struct of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Struct.of takes name/value pairs");
        }
        Struct s = new Struct();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            s.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return s;
    }

    public static Struct empty() { return new Struct(); }

    /** Sets a member; a null value removes it. */
    public Struct put(String name, Object value) {
        if (value == null) {
            values.remove(name);
        } else {
            values.put(name, value);
        }
        return this;
    }

    public boolean has(String name) { return values.containsKey(name); }
    public Object get(String name) { return values.get(name); }
    public Set<String> names() { return Collections.unmodifiableSet(values.keySet()); }
    public Map<String, Object> asMap() { return Collections.unmodifiableMap(values); }
    public boolean isEmpty() { return values.isEmpty(); }
    public int size() { return values.size(); }

    public String string(String name) {
        Object v = values.get(name);
        return v == null ? null : v.toString();
    }

    public String string(String name, String fallback) {
        String v = string(name);
        return v == null ? fallback : v;
    }

    public Integer integer(String name) {
        Object v = values.get(name);
        return v == null ? null : ((Number) v).intValue();
    }

    public int integer(String name, int fallback) {
        Integer v = integer(name);
        return v == null ? fallback : v;
    }

    public Long longValue(String name) {
        Object v = values.get(name);
        return v == null ? null : ((Number) v).longValue();
    }

    public Double doubleValue(String name) {
        Object v = values.get(name);
        return v == null ? null : ((Number) v).doubleValue();
    }

    public BigDecimal bigDecimal(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
    }

    public BigInteger bigInteger(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        return v instanceof BigInteger b ? b : new BigInteger(v.toString());
    }

    public Boolean bool(String name) { return (Boolean) values.get(name); }

    public boolean bool(String name, boolean fallback) {
        Boolean v = bool(name);
        return v == null ? fallback : v;
    }

    public Instant timestamp(String name) { return (Instant) values.get(name); }

    public byte[] blob(String name) { return (byte[]) values.get(name); }

    public StreamingBody stream(String name) { return (StreamingBody) values.get(name); }

    public Struct struct(String name) { return (Struct) values.get(name); }

    @SuppressWarnings("unchecked")
    public List<Object> list(String name) {
        Object v = values.get(name);
        return v == null ? null : (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String name) {
        Object v = values.get(name);
        return v == null ? null : (List<String>) v;
    }

    @SuppressWarnings("unchecked")
    public List<Struct> structs(String name) {
        Object v = values.get(name);
        return v == null ? null : (List<Struct>) v;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object v = values.get(name);
        return v == null ? null : (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String name) {
        Object v = values.get(name);
        return v == null ? null : (Map<String, String>) v;
    }

    /** A deep copy of lists, maps and structs (scalars are shared, they are immutable or byte arrays). */
    public Struct copy() {
        return (Struct) copyValue(this);
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object v) {
        if (v instanceof Struct s) {
            Map<String, Object> m = new LinkedHashMap<>();
            s.values.forEach((k, x) -> m.put(k, copyValue(x)));
            return new Struct(m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(copyValue(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, x) -> out.put(k, copyValue(x)));
            return out;
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Struct other)) {
            return false;
        }
        if (!values.keySet().equals(other.values.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!valueEquals(e.getValue(), other.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Equality that compares byte arrays by content and numbers by value. */
    public static boolean valueEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.equals(x, y);
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof BigDecimal) && !(b instanceof BigDecimal)) {
            if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
                return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
            }
            return new BigInteger(x.toString()).equals(new BigInteger(y.toString()));
        }
        if (a instanceof BigDecimal x && b instanceof Number y) {
            return x.compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof Number x && b instanceof BigDecimal y) {
            return y.compareTo(new BigDecimal(x.toString())) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!valueEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Object k : x.keySet()) {
                if (!valueEquals(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    @Override
    public int hashCode() { return values.keySet().hashCode(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(v instanceof byte[] b ? "bytes[" + b.length + "]" : v);
        });
        return sb.append('}').toString();
    }
}
