package dev.terrarium.core.conformance;

import dev.terrarium.core.model.Location;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic pseudo-random output (or error) values for a shape, the Java twin of the request
 * generator in botocore_requests.py: required members, enums, lengths and ranges respected, nesting
 * bounded, unicode (non-BMP, XML-special) strings, and nothing the wire itself cannot carry back
 * (empty flattened XML lists, commas in header lists, sub-second HTTP dates...).
 */
final class OutputGenerator {
    private static final int MAX_DEPTH = 4;
    private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SPECIAL = "<>&'\"-_.~!*()=+:;,@$%#[]{}|^`?/\\";
    private static final String UNICODE = "éüßñøÅ中文字日本語한국어Ωπ€";
    private static final String NON_BMP = "😀🎉𝄞𠜎🚀";
    private static final String WHITESPACE = " \n\t";
    private static final String HEADER_SAFE = ASCII + "-_.~!*()=+:;@$%#[]{}|^`?/\\<>&' ";

    private final Random rnd;
    private final Wire wire;
    private String currentPayload;

    OutputGenerator(String seed, Wire wire) {
        this.rnd = new Random(seed.hashCode() * 31L + seed.length());
        this.wire = wire;
    }

    /** The output of an operation, with HTTP-bound members where the wire allows them. */
    Struct output(Operation op) {
        currentPayload = op.output().payload();
        Struct s = structure(op.output(), 0, true);
        for (Member m : op.output().members().values()) {
            if (m.location() == Location.STATUS_CODE) {
                s.put(m.name(), op.responseCode() == 0 ? 200 : op.responseCode());
            }
        }
        return s;
    }

    /** The extra members of an error shape (everything but its message). */
    Struct errorFields(Shape shape) {
        currentPayload = shape.payload();
        Struct s = structure(shape, 0, true);
        for (String n : List.copyOf(s.names())) {
            if (n.equalsIgnoreCase("message") || n.equalsIgnoreCase("code") || n.equals("__type")) {
                s.put(n, null);
            }
        }
        return s;
    }

    private Struct structure(Shape shape, int depth, boolean top) {
        Struct out = new Struct();
        List<Member> members = new ArrayList<>(shape.members().values());
        if (shape.union()) {
            Collections.shuffle(members, rnd);
            for (Member m : members) {
                Object v = member(m, depth + 1, top);
                if (v != null) {
                    out.put(m.name(), v);
                    return out;
                }
            }
            return out;
        }
        double p = depth == 0 ? 0.75 : Math.max(0.15, 0.6 - 0.15 * depth);
        for (Member m : members) {
            if (m.location() == Location.STATUS_CODE || m.shape().eventStream() || m.eventPayload()) {
                continue;
            }
            // an absent REST payload reads back as an empty one in botocore, so it is always given
            boolean required = shape.isRequired(m.name()) || (top && wire.isRest() && m.name().equals(currentPayload))
                    // a server always sends a Content-Type, which botocore then reports
                    || (top && wire.isRest() && m.location() == Location.HEADER && m.wireName().equalsIgnoreCase("Content-Type"));
            if (!required && (depth >= MAX_DEPTH || rnd.nextDouble() > p)) {
                continue;
            }
            Object v = member(m, depth + 1, top);
            if (v != null) {
                out.put(m.name(), v);
            }
        }
        if (out.isEmpty() && !top && wire.isXml() && !members.isEmpty()) {
            // keep nested XML structures non-empty so that "present but empty" is not the only thing tested
            for (Member m : members) {
                Object v = member(m, depth + 1, false);
                if (v != null) {
                    out.put(m.name(), v);
                    break;
                }
            }
        }
        return out;
    }

    private Object member(Member m, int depth, boolean top) {
        Location loc = top && wire.isRest() ? m.location() : Location.BODY;
        if (loc == Location.HEADER && (m.wireName().equalsIgnoreCase("Content-Length")
                || m.wireName().equalsIgnoreCase("Transfer-Encoding"))) {
            return null;
        }
        if (top && wire.isRest() && m.name().equals(currentPayload) && m.shape().is(ShapeType.BLOB)) {
            // botocore reads a non-streaming blob payload as UTF-8 text
            return m.streaming() ? bytes(0, 64) : string(m.shape(), Location.BODY).getBytes(StandardCharsets.UTF_8);
        }
        if (m.xmlAttribute()) {
            return string(m.shape(), Location.BODY);
        }
        return value(m, m.shape(), depth, loc);
    }

    private Object value(Member ref, Shape shape, int depth, Location loc) {
        if (shape.document()) {
            return wire.isJsonLike() ? document(depth) : null;
        }
        switch (shape.type()) {
            case STRUCTURE:
                return loc == Location.BODY ? structure(shape, depth, false) : null;
            case LIST:
                return list(ref, shape, depth, loc);
            case MAP:
                return map(ref, shape, depth, loc);
            case STRING:
                if (loc == Location.HEADER && ref != null && ref.jsonValue()) {
                    return "{\"k" + rnd.nextInt(10) + "\":[1,\"é\",true,null]}";
                }
                return string(shape, loc);
            case BOOLEAN:
                return rnd.nextBoolean();
            case INTEGER:
            case LONG:
            case SHORT:
            case BYTE:
                return integer(shape);
            case FLOAT:
            case DOUBLE:
                return floating(shape, loc);
            case BLOB:
                return loc == Location.BODY ? bytes(shape.min() == null ? 0 : shape.min().intValue(), 24) : null;
            case TIMESTAMP:
                return timestamp(ref, shape, loc);
            default:
                return null;
        }
    }

    private boolean emptyAllowed(Member ref, Shape shape, Location loc) {
        if (loc != Location.BODY) {
            return false;
        }
        boolean flattened = ref != null ? ref.flattened() : shape.flattened();
        return !(wire.isXml() && flattened);
    }

    private int size(Shape shape, int defaultMax) {
        int lo = shape.min() == null ? 0 : (int) Math.min(shape.min(), 1000);
        int hi = shape.max() == null ? lo + defaultMax : (int) Math.min(shape.max(), lo + defaultMax);
        return lo + rnd.nextInt(Math.max(1, hi - lo + 1));
    }

    private Object list(Member ref, Shape shape, int depth, Location loc) {
        Shape element = shape.listMember().shape();
        if (loc == Location.HEADER && (!element.type().isScalar() || element.is(ShapeType.TIMESTAMP)
                || element.is(ShapeType.BLOB))) {
            return null;
        }
        if (loc != Location.BODY && loc != Location.HEADER) {
            return null;
        }
        int n = depth >= MAX_DEPTH ? 0 : size(shape, 3);
        if (n == 0 && !emptyAllowed(ref, shape, loc)) {
            n = 1;
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object v = loc == Location.HEADER && element.is(ShapeType.STRING) && element.enumValues().isEmpty()
                    ? headerListString() : value(shape.listMember(), element, depth + 1, loc);
            if (v == null) {
                return n == 0 ? out : null;
            }
            out.add(v);
        }
        return out;
    }

    private Object map(Member ref, Shape shape, int depth, Location loc) {
        if (loc != Location.BODY && loc != Location.HEADERS) {
            return null;
        }
        int n = depth >= MAX_DEPTH ? 0 : size(shape, 3);
        if (n == 0 && !emptyAllowed(ref, shape, loc)) {
            n = 1;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < n * 3 && out.size() < n; i++) {
            String key;
            Object v;
            if (loc == Location.HEADERS) {
                key = "k" + token(1 + rnd.nextInt(7), "abcdefghijklmnopqrstuvwxyz0123456789-");
                v = string(shape.mapValue().shape(), Location.HEADER);
            } else {
                key = string(shape.mapKey().shape(), Location.BODY);
                v = value(shape.mapValue(), shape.mapValue().shape(), depth + 1, Location.BODY);
            }
            if (v == null) {
                return null;
            }
            out.putIfAbsent(key, v);
        }
        return out;
    }

    private String string(Shape shape, Location loc) {
        List<String> enums = shape.enumValues();
        boolean nonEmpty = loc != Location.BODY;
        if (!enums.isEmpty()) {
            List<String> usable = enums.stream().filter(e -> !nonEmpty || !e.isEmpty()).toList();
            return usable.isEmpty() ? "x" : usable.get(rnd.nextInt(usable.size()));
        }
        int lo = shape.min() == null ? 0 : (int) Math.min(shape.min(), 64);
        int hi = shape.max() == null ? lo + 12 : (int) Math.min(shape.max(), lo + 12);
        if (nonEmpty) {
            lo = Math.max(lo, 1);
            hi = Math.max(hi, lo);
        }
        int n = lo + rnd.nextInt(hi - lo + 1);
        if (loc != Location.BODY) {
            String s = token(n, HEADER_SAFE).strip();
            return s.isEmpty() ? "h" : s;
        }
        String[] pools = {ASCII, ASCII, ASCII, ASCII, ASCII, ASCII, SPECIAL, UNICODE, NON_BMP, WHITESPACE};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String pool = pools[rnd.nextInt(pools.length)];
            int[] cps = pool.codePoints().toArray();
            sb.appendCodePoint(cps[rnd.nextInt(cps.length)]);
        }
        return sb.toString();
    }

    /** A string that survives botocore's comma-splitting of header lists. */
    private String headerListString() {
        return token(1 + rnd.nextInt(8), ASCII + "-_.~!*()=+:;@$%#[]{}|^`?/<>&'");
    }

    private String token(int n, String alphabet) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private Object integer(Shape shape) {
        long[] bounds = switch (shape.type()) {
            case BYTE -> new long[]{Byte.MIN_VALUE, Byte.MAX_VALUE};
            case SHORT -> new long[]{Short.MIN_VALUE, Short.MAX_VALUE};
            case INTEGER -> new long[]{Integer.MIN_VALUE, Integer.MAX_VALUE};
            default -> new long[]{Long.MIN_VALUE, Long.MAX_VALUE};
        };
        long lo = shape.min() == null ? bounds[0] : Math.max(bounds[0], shape.min());
        long hi = shape.max() == null ? bounds[1] : Math.min(bounds[1], shape.max());
        long[] candidates = {lo, hi, 0, 1, -1, 42, 1000, Integer.MAX_VALUE, (1L << 53) + 1, -(1L << 40)};
        long v;
        if (rnd.nextBoolean()) {
            v = candidates[rnd.nextInt(candidates.length)];
        } else {
            v = lo + (long) (rnd.nextDouble() * Math.min((double) hi - lo, 1e6));
        }
        v = Math.max(lo, Math.min(hi, v));
        return switch (shape.type()) {
            case BYTE -> (byte) v;
            case SHORT -> (short) v;
            case INTEGER -> (int) v;
            default -> v;
        };
    }

    private Object floating(Shape shape, Location loc) {
        double v;
        if (shape.min() == null && shape.max() == null && loc == Location.BODY && rnd.nextDouble() < 0.08) {
            double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            v = special[rnd.nextInt(3)];
        } else {
            double lo = shape.min() == null ? -1000 : shape.min();
            double hi = shape.max() == null ? 1000 : shape.max();
            v = Math.floor((lo + rnd.nextDouble() * (hi - lo)) * 8) / 8;
            v = Math.max(lo, Math.min(hi, v));
        }
        return shape.is(ShapeType.FLOAT) ? (Object) (float) v : (Object) v;
    }

    private byte[] bytes(int min, int max) {
        byte[] b = new byte[min + rnd.nextInt(Math.max(1, max - min + 1))];
        rnd.nextBytes(b);
        return b;
    }

    private Instant timestamp(Member ref, Shape shape, Location loc) {
        String fmt = ref != null ? ref.timestampFormat() : shape.timestampFormat();
        boolean httpDate = "rfc822".equals(fmt) || (fmt == null && loc == Location.HEADER);
        long secs = 946684800L + (long) (rnd.nextDouble() * (1924991999L - 946684800L));
        long millis = httpDate || rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(999);
        return Instant.ofEpochSecond(secs).plusMillis(millis);
    }

    private Object document(int depth) {
        double r = rnd.nextDouble();
        if (depth >= 3 || r < 0.3) {
            Object[] leaves = {"text", "é😀", 7, -3, 2.5, true, false};
            return leaves[rnd.nextInt(leaves.length)];
        }
        if (r < 0.65) {
            List<Object> l = new ArrayList<>();
            for (int i = rnd.nextInt(4); i > 0; i--) {
                l.add(document(depth + 1));
            }
            return l;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            m.put("d" + i, document(depth + 1));
        }
        return m;
    }
}
