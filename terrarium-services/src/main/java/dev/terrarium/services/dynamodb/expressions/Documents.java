package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.services.dynamodb.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes into an item along a document path, rebuilding the (immutable) maps and lists on the way. */
final class Documents {
    private Documents() {
    }

    static void set(Map<String, AttributeValue> item, Path path, AttributeValue value) {
        List<Object> e = path.elements();
        if (e.size() == 1) {
            item.put(path.top(), value);
            return;
        }
        AttributeValue top = item.get(path.top());
        if (top == null) {
            throw UpdateErrors.invalidPath();
        }
        item.put(path.top(), setIn(top, e, 1, value));
    }

    private static AttributeValue setIn(AttributeValue container, List<Object> e, int i, AttributeValue value) {
        Object step = e.get(i);
        boolean last = i == e.size() - 1;
        if (step instanceof String key) {
            if (!(container instanceof AttributeValue.M m)) {
                throw UpdateErrors.invalidPath();
            }
            Map<String, AttributeValue> copy = new LinkedHashMap<>(m.values());
            if (last) {
                copy.put(key, value);
            } else {
                AttributeValue child = copy.get(key);
                if (child == null) {
                    throw UpdateErrors.invalidPath();
                }
                copy.put(key, setIn(child, e, i + 1, value));
            }
            return new AttributeValue.M(java.util.Collections.unmodifiableMap(copy));
        }
        int index = (Integer) step;
        if (!(container instanceof AttributeValue.L l)) {
            throw UpdateErrors.invalidPath();
        }
        List<AttributeValue> copy = new ArrayList<>(l.values());
        if (last) {
            if (index >= copy.size()) {
                copy.add(value);
            } else {
                copy.set(index, value);
            }
        } else {
            if (index >= copy.size()) {
                throw UpdateErrors.invalidPath();
            }
            copy.set(index, setIn(copy.get(index), e, i + 1, value));
        }
        return new AttributeValue.L(List.copyOf(copy));
    }

    /** Removes the element at path; a missing element leaves the item as it is. */
    static void remove(Map<String, AttributeValue> item, Path path) {
        List<Object> e = path.elements();
        if (e.size() == 1) {
            item.remove(path.top());
            return;
        }
        AttributeValue top = item.get(path.top());
        if (top == null) {
            return;
        }
        AttributeValue updated = removeIn(top, e, 1);
        if (updated != null) {
            item.put(path.top(), updated);
        }
    }

    /** The container without the element, or null when there was nothing to remove. */
    private static AttributeValue removeIn(AttributeValue container, List<Object> e, int i) {
        Object step = e.get(i);
        boolean last = i == e.size() - 1;
        if (step instanceof String key) {
            if (!(container instanceof AttributeValue.M m) || !m.values().containsKey(key)) {
                return null;
            }
            Map<String, AttributeValue> copy = new LinkedHashMap<>(m.values());
            if (last) {
                copy.remove(key);
            } else {
                AttributeValue child = removeIn(copy.get(key), e, i + 1);
                if (child == null) {
                    return null;
                }
                copy.put(key, child);
            }
            return new AttributeValue.M(java.util.Collections.unmodifiableMap(copy));
        }
        int index = (Integer) step;
        if (!(container instanceof AttributeValue.L l) || index >= l.values().size()) {
            return null;
        }
        List<AttributeValue> copy = new ArrayList<>(l.values());
        if (last) {
            copy.remove(index);
        } else {
            AttributeValue child = removeIn(copy.get(index), e, i + 1);
            if (child == null) {
                return null;
            }
            copy.set(index, child);
        }
        return new AttributeValue.L(List.copyOf(copy));
    }
}
