package dev.terrarium.core.conformance;

import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares an expected value with what a codec parsed, shape by shape, listing every difference by path. */
final class ValueDiff {
    private final List<String> diffs = new ArrayList<>();

    static List<String> of(Struct expected, Object actual, Shape shape) {
        ValueDiff d = new ValueDiff();
        d.compare("", expected, actual, shape, false);
        return d.diffs;
    }

    private void compare(String path, Object e, Object a, Shape shape, boolean jsonValue) {
        if (a instanceof StreamingBody sb) {
            a = TaggedJson.readAll(sb);
        }
        if (e == null || a == null) {
            if (e != a) {
                diffs.add(path + ": expected " + show(e) + " but was " + show(a));
            }
            return;
        }
        if (shape.document()) {
            if (!Struct.valueEquals(e, a)) {
                diffs.add(path + ": document expected " + show(e) + " but was " + show(a));
            }
            return;
        }
        switch (shape.type()) {
            case STRUCTURE -> {
                if (!(a instanceof Struct as)) {
                    diffs.add(path + ": expected a structure but was " + show(a));
                    return;
                }
                Struct es = (Struct) e;
                Set<String> names = new LinkedHashSet<>(es.names());
                names.addAll(as.names());
                for (String n : names) {
                    Member m = shape.member(n);
                    if (m == null) {
                        diffs.add(path + "." + n + ": not a member of " + shape.name() + " (was " + show(as.get(n)) + ")");
                        continue;
                    }
                    compare(path + "." + n, es.get(n), as.get(n), m.shape(), m.jsonValue());
                }
            }
            case LIST -> {
                if (!(a instanceof List<?> al)) {
                    diffs.add(path + ": expected a list but was " + show(a));
                    return;
                }
                List<?> el = (List<?>) e;
                if (el.size() != al.size()) {
                    diffs.add(path + ": expected " + el.size() + " elements but was " + al.size() + " " + show(a));
                    return;
                }
                for (int i = 0; i < el.size(); i++) {
                    compare(path + "[" + i + "]", el.get(i), al.get(i), shape.listMember().shape(), false);
                }
            }
            case MAP -> {
                if (!(a instanceof Map<?, ?> am)) {
                    diffs.add(path + ": expected a map but was " + show(a));
                    return;
                }
                Map<?, ?> em = (Map<?, ?>) e;
                Set<Object> keys = new LinkedHashSet<>(em.keySet());
                keys.addAll(am.keySet());
                for (Object k : keys) {
                    compare(path + "{" + k + "}", em.get(k), am.get(k), shape.mapValue().shape(), false);
                }
            }
            case STRING -> {
                if (jsonValue) {
                    if (!TaggedJson.read(e.toString()).equals(TaggedJson.read(a.toString()))) {
                        diffs.add(path + ": JSON value expected " + e + " but was " + a);
                    }
                } else if (!(a instanceof String) || !e.equals(a)) {
                    diffs.add(path + ": expected " + show(e) + " but was " + show(a));
                }
            }
            case TIMESTAMP -> {
                if (!(a instanceof Instant) || !e.equals(a)) {
                    diffs.add(path + ": expected " + show(e) + " but was " + show(a));
                }
            }
            default -> {
                if (!Struct.valueEquals(e, a) || (e instanceof byte[] != a instanceof byte[])
                        || (e instanceof Boolean != a instanceof Boolean) || (e instanceof Number != a instanceof Number)) {
                    diffs.add(path + ": expected " + show(e) + " but was " + show(a));
                }
            }
        }
    }

    static String show(Object v) {
        if (v == null) {
            return "(absent)";
        }
        if (v instanceof byte[] b) {
            return "blob:" + Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof String s) {
            return quote(s);
        }
        String text = v + " (" + v.getClass().getSimpleName() + ")";
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (cp == '"') {
                sb.append("\\\"");
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
