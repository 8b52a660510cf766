package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.Numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Something that has a value for an item: a path, a :value, size(), or (in updates) arithmetic and functions. */
public sealed interface Operand {

    /** The value for this item, or null when it refers to something missing. */
    AttributeValue evaluate(Map<String, AttributeValue> item);

    record PathOperand(Path path) implements Operand {
        public AttributeValue evaluate(Map<String, AttributeValue> item) { return path.resolve(item); }
    }

    record Literal(String ref, AttributeValue value) implements Operand {
        public AttributeValue evaluate(Map<String, AttributeValue> item) { return value; }
    }

    record Size(Operand argument) implements Operand {
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue v = argument.evaluate(item);
            int size;
            if (v instanceof AttributeValue.S s) {
                size = s.value().codePointCount(0, s.value().length());
            } else if (v instanceof AttributeValue.B b) {
                size = b.value().length;
            } else if (v instanceof AttributeValue.SS s) {
                size = s.values().size();
            } else if (v instanceof AttributeValue.NS s) {
                size = s.values().size();
            } else if (v instanceof AttributeValue.BS s) {
                size = s.values().size();
            } else if (v instanceof AttributeValue.L l) {
                size = l.values().size();
            } else if (v instanceof AttributeValue.M m) {
                size = m.values().size();
            } else {
                return null;
            }
            return Numbers.of(java.math.BigDecimal.valueOf(size));
        }
    }

    /** a + b or a - b in a SET action. */
    record Arithmetic(Operand left, boolean plus, Operand right) implements Operand {
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue a = UpdateErrors.present(left.evaluate(item));
            AttributeValue b = UpdateErrors.present(right.evaluate(item));
            if (!(a instanceof AttributeValue.N x) || !(b instanceof AttributeValue.N y)) {
                throw UpdateErrors.incorrectDataType();
            }
            return plus ? Numbers.add(x, y) : Numbers.subtract(x, y);
        }
    }

    record IfNotExists(Path path, Operand fallback) implements Operand {
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue v = path.resolve(item);
            return v != null ? v : UpdateErrors.present(fallback.evaluate(item));
        }
    }

    record ListAppend(Operand first, Operand second) implements Operand {
        public AttributeValue evaluate(Map<String, AttributeValue> item) {
            AttributeValue a = UpdateErrors.present(first.evaluate(item));
            AttributeValue b = UpdateErrors.present(second.evaluate(item));
            if (!(a instanceof AttributeValue.L x) || !(b instanceof AttributeValue.L y)) {
                throw UpdateErrors.incorrectDataType();
            }
            List<AttributeValue> out = new ArrayList<>(x.values());
            out.addAll(y.values());
            return new AttributeValue.L(List.copyOf(out));
        }
    }
}
