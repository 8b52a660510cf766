package dev.terrarium.core.validation;

import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The constraints a shape puts on one value, worded as AWS words them. */
final class Constraints {
    private Constraints() {
    }

    /** The constraints of the shape that this value breaks, in AWS's order: pattern, length, enum, range. */
    /** True when the value meets every constraint of its shape: {@link #failed} is empty, found without allocating. */
    static boolean ok(Object v, Shape shape) {
        if (shape.pattern() != null && v instanceof String s && !ModelPatterns.matches(shape.pattern(), s)) {
            return false;
        }
        if (shape.min() != null || shape.max() != null) {
            long length = length(v, shape);
            if (length >= 0 && ((shape.min() != null && length < shape.min())
                    || (shape.max() != null && length > shape.max()))) {
                return false;
            }
        }
        if (!shape.enumValues().isEmpty() && v instanceof String s && !shape.enumValues().contains(s)) {
            return false;
        }
        if ((shape.min() != null || shape.max() != null) && shape.type().isNumber() && v instanceof Number n) {
            if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
                long x = n.longValue();
                return (shape.min() == null || x >= shape.min()) && (shape.max() == null || x <= shape.max());
            }
            return failed(v, shape).isEmpty();
        }
        return true;
    }

    static List<String> failed(Object v, Shape shape) {
        List<String> failed = new ArrayList<>(0);
        if (shape.pattern() != null && v instanceof String s && !ModelPatterns.matches(shape.pattern(), s)) {
            failed.add(pattern(shape));
        }
        long length = length(v, shape);
        if (length >= 0) {
            if (shape.min() != null && length < shape.min()) {
                failed.add(minLength(shape));
            }
            if (shape.max() != null && length > shape.max()) {
                failed.add(maxLength(shape));
            }
        }
        if (!shape.enumValues().isEmpty() && v instanceof String s && !shape.enumValues().contains(s)) {
            failed.add(enumSet(shape));
        }
        if (shape.type().isNumber() && v instanceof Number n && isFinite(n)) {
            BigDecimal d = InputValidator.decimal(n);
            if (shape.min() != null && d.compareTo(BigDecimal.valueOf(shape.min())) < 0) {
                failed.add("Member must have value greater than or equal to " + bound(shape, shape.min()));
            }
            if (shape.max() != null && d.compareTo(BigDecimal.valueOf(shape.max())) > 0) {
                failed.add("Member must have value less than or equal to " + bound(shape, shape.max()));
            }
        }
        return failed;
    }

    /** Every constraint of the shape, for "Member must satisfy constraint: [...]": max, min, pattern, enum. */
    static String all(Shape shape) {
        List<String> all = new ArrayList<>();
        boolean sized = shape.is(ShapeType.STRING) || shape.is(ShapeType.BLOB) || shape.is(ShapeType.LIST)
                || shape.is(ShapeType.MAP);
        if (sized) {
            if (shape.max() != null) {
                all.add(maxLength(shape));
            }
            if (shape.min() != null) {
                all.add(minLength(shape));
            }
        }
        if (shape.type().isNumber()) {
            if (shape.max() != null) {
                all.add("Member must have value less than or equal to " + bound(shape, shape.max()));
            }
            if (shape.min() != null) {
                all.add("Member must have value greater than or equal to " + bound(shape, shape.min()));
            }
        }
        if (shape.pattern() != null) {
            all.add(pattern(shape));
        }
        if (!shape.enumValues().isEmpty()) {
            all.add(enumSet(shape));
        }
        return "[" + String.join(", ", all) + "]";
    }

    private static String pattern(Shape shape) {
        return "Member must satisfy regular expression pattern: " + shape.pattern();
    }

    private static String minLength(Shape shape) {
        return "Member must have length greater than or equal to " + shape.min();
    }

    private static String maxLength(Shape shape) {
        return "Member must have length less than or equal to " + shape.max();
    }

    private static String enumSet(Shape shape) {
        return "Member must satisfy enum value set: [" + String.join(", ", shape.enumValues()) + "]";
    }

    /** The length AWS checks (code points of a string, bytes of a blob, size of a list or map), or -1. */
    private static long length(Object v, Shape shape) {
        return switch (shape.type()) {
            case STRING -> v instanceof String s ? s.codePointCount(0, s.length()) : -1;
            case BLOB -> v instanceof byte[] b ? b.length
                    : v instanceof StreamingBody s ? s.length() : -1;
            case LIST -> v instanceof List<?> l ? l.size() : -1;
            case MAP -> v instanceof Map<?, ?> m ? m.size() : -1;
            default -> -1;
        };
    }

    private static boolean isFinite(Number n) {
        return !(n instanceof Double d && !Double.isFinite(d)) && !(n instanceof Float f && !Float.isFinite(f));
    }

    /** Bounds of float shapes print as Java doubles (0.0), of integer shapes as integers. */
    private static String bound(Shape shape, long value) {
        return switch (shape.type()) {
            case FLOAT, DOUBLE, BIG_DECIMAL -> Double.toString(value);
            default -> Long.toString(value);
        };
    }

    /** A value as AWS's Java validation prints it: Java's toString of the request object. */
    static String display(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof byte[] b) {
            return "java.nio.HeapByteBuffer[pos=0 lim=" + b.length + " cap=" + b.length + "]";
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
                sb.append(display(it.next()));
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<?, ?> e = it.next();
                sb.append(display(e.getKey())).append('=').append(display(e.getValue()));
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            return sb.append('}').toString();
        }
        if (v instanceof Struct s) {
            return display(s.asMap());
        }
        if (v instanceof Instant t) {
            return t.toString();
        }
        return v.toString();
    }
}
