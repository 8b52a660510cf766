package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.services.dynamodb.AttributeValue;

import java.util.List;
import java.util.Map;

/** A document path: a top-level attribute name followed by map keys (String) and list indexes (Integer). */
public record Path(List<Object> elements) {

    public static Path of(String attribute) { return new Path(List.of(attribute)); }

    public String top() { return (String) elements.get(0); }

    public int depth() { return elements.size(); }

    /** The value at this path in the item, or null when any step is missing or of the wrong type. */
    public AttributeValue resolve(Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        AttributeValue v = item.get(top());
        for (int i = 1; i < elements.size() && v != null; i++) {
            Object e = elements.get(i);
            if (e instanceof String key) {
                v = v instanceof AttributeValue.M m ? m.values().get(key) : null;
            } else {
                int index = (Integer) e;
                v = v instanceof AttributeValue.L l && index < l.values().size() ? l.values().get(index) : null;
            }
        }
        return v;
    }

    /** True when one path is the other or leads into it. */
    public boolean overlaps(Path other) {
        int n = Math.min(depth(), other.depth());
        for (int i = 0; i < n; i++) {
            if (!elements.get(i).equals(other.elements.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** "[a, b, [0]]" as AWS prints paths in its messages. */
    public String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object e = elements.get(i);
            sb.append(e instanceof Integer ? "[" + e + "]" : e);
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Object e : elements) {
            if (e instanceof Integer) {
                sb.append('[').append(e).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(e);
            }
        }
        return sb.toString();
    }
}
