package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.Numbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A parsed UpdateExpression: SET, REMOVE, ADD and DELETE actions, applied to an item all at once. */
public record UpdateExpression(List<Action> actions) {

    public sealed interface Action {
        Path path();
    }

    public record Set(Path path, Operand value) implements Action {
    }

    public record Remove(Path path) implements Action {
    }

    public record Add(Path path, Operand.Literal value) implements Action {
    }

    public record Delete(Path path, Operand.Literal value) implements Action {
    }

    /** Top-level attributes the actions write to. */
    public List<String> topAttributes() {
        return actions.stream().map(a -> a.path().top()).distinct().toList();
    }

    /**
     * The item after the update. Every SET value is computed from the item as it was; then SET, REMOVE
     * (list elements from the highest index down), ADD and DELETE are applied.
     */
    public Map<String, AttributeValue> apply(Map<String, AttributeValue> before) {
        Map<String, AttributeValue> original = before == null ? Map.of() : before;
        List<AttributeValue> setValues = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Set s) {
                setValues.add(UpdateErrors.present(s.value().evaluate(original)));
            }
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(original);
        int next = 0;
        for (Action a : actions) {
            if (a instanceof Set s) {
                Documents.set(item, s.path(), setValues.get(next++));
            }
        }
        actions.stream().filter(a -> a instanceof Remove).map(Action::path)
                .sorted(UpdateExpression::highestIndexFirst)
                .forEach(p -> Documents.remove(item, p));
        for (Action a : actions) {
            if (a instanceof Add add) {
                AttributeValue current = add.path().resolve(item);
                Documents.set(item, add.path(), add(current, add.value().value()));
            }
        }
        for (Action a : actions) {
            if (a instanceof Delete d) {
                AttributeValue current = d.path().resolve(item);
                if (current != null) {
                    AttributeValue rest = delete(current, d.value().value());
                    if (rest == null) {
                        Documents.remove(item, d.path());
                    } else {
                        Documents.set(item, d.path(), rest);
                    }
                }
            }
        }
        return item;
    }

    /** Removing list elements from the highest index down keeps the indexes of the others valid. */
    private static int highestIndexFirst(Path a, Path b) {
        int n = Math.min(a.depth(), b.depth());
        for (int i = 0; i < n; i++) {
            Object x = a.elements().get(i);
            Object y = b.elements().get(i);
            if (x instanceof Integer p && y instanceof Integer q) {
                if (!p.equals(q)) {
                    return Integer.compare(q, p);
                }
            } else if (!x.equals(y)) {
                return x.toString().compareTo(y.toString());
            }
        }
        return 0;
    }

    private static AttributeValue add(AttributeValue current, AttributeValue value) {
        if (current == null) {
            return value;
        }
        if (current instanceof AttributeValue.N a && value instanceof AttributeValue.N b) {
            return Numbers.add(a, b);
        }
        if (current instanceof AttributeValue.SS a && value instanceof AttributeValue.SS b) {
            LinkedHashSet<String> u = new LinkedHashSet<>(a.values());
            u.addAll(b.values());
            return new AttributeValue.SS(List.copyOf(u));
        }
        if (current instanceof AttributeValue.NS a && value instanceof AttributeValue.NS b) {
            LinkedHashSet<AttributeValue.N> u = new LinkedHashSet<>(a.values());
            u.addAll(b.values());
            return new AttributeValue.NS(List.copyOf(u));
        }
        if (current instanceof AttributeValue.BS a && value instanceof AttributeValue.BS b) {
            LinkedHashSet<AttributeValue.B> u = new LinkedHashSet<>(a.values());
            u.addAll(b.values());
            return new AttributeValue.BS(List.copyOf(u));
        }
        throw UpdateErrors.incorrectDataType();
    }

    /** The set without value's elements, or null when nothing is left. */
    private static AttributeValue delete(AttributeValue current, AttributeValue value) {
        if (current instanceof AttributeValue.SS a && value instanceof AttributeValue.SS b) {
            List<String> rest = new ArrayList<>(a.values());
            rest.removeAll(b.values());
            return rest.isEmpty() ? null : new AttributeValue.SS(List.copyOf(rest));
        }
        if (current instanceof AttributeValue.NS a && value instanceof AttributeValue.NS b) {
            List<AttributeValue.N> rest = new ArrayList<>(a.values());
            rest.removeAll(b.values());
            return rest.isEmpty() ? null : new AttributeValue.NS(List.copyOf(rest));
        }
        if (current instanceof AttributeValue.BS a && value instanceof AttributeValue.BS b) {
            List<AttributeValue.B> rest = new ArrayList<>(a.values());
            rest.removeAll(b.values());
            return rest.isEmpty() ? null : new AttributeValue.BS(List.copyOf(rest));
        }
        throw UpdateErrors.incorrectDataType();
    }
}
