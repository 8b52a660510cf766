package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.ValueOrder;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A parsed condition (ConditionExpression, FilterExpression, KeyConditionExpression) that tests an item. */
public sealed interface Condition {

    /** Whether the item (null: no item) satisfies the condition. */
    boolean test(Map<String, AttributeValue> item);

    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() { return symbol; }
    }

    record Compare(Operand left, Comparator op, Operand right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue a = left.evaluate(item);
            AttributeValue b = right.evaluate(item);
            if (a == null || b == null) {
                return false;
            }
            return switch (op) {
                case EQ -> a.equals(b);
                case NE -> !a.equals(b);
                default -> {
                    if (!ValueOrder.orderable(a) || !a.type().equals(b.type())) {
                        yield false;
                    }
                    int c = ValueOrder.compare(a, b);
                    yield switch (op) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    };
                }
            };
        }
    }

    record Between(Operand value, Operand low, Operand high) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            AttributeValue lo = low.evaluate(item);
            AttributeValue hi = high.evaluate(item);
            if (v == null || lo == null || hi == null || !ValueOrder.orderable(v)
                    || !v.type().equals(lo.type()) || !v.type().equals(hi.type())) {
                return false;
            }
            return ValueOrder.compare(v, lo) >= 0 && ValueOrder.compare(v, hi) <= 0;
        }
    }

    record In(Operand value, List<Operand> candidates) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            if (v == null) {
                return false;
            }
            for (Operand c : candidates) {
                if (v.equals(c.evaluate(item))) {
                    return true;
                }
            }
            return false;
        }
    }

    record And(Condition left, Condition right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) { return left.test(item) && right.test(item); }
    }

    record Or(Condition left, Condition right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) { return left.test(item) || right.test(item); }
    }

    record Not(Condition inner) implements Condition {
        public boolean test(Map<String, AttributeValue> item) { return !inner.test(item); }
    }

    /** attribute_exists(path) and attribute_not_exists(path). */
    record Exists(Path path, boolean exists) implements Condition {
        public boolean test(Map<String, AttributeValue> item) { return (path.resolve(item) != null) == exists; }
    }

    record TypeIs(Path path, Operand type) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = path.resolve(item);
            AttributeValue t = type.evaluate(item);
            return v != null && t instanceof AttributeValue.S s && v.type().equals(s.value());
        }
    }

    record BeginsWith(Operand value, Operand prefix) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            AttributeValue p = prefix.evaluate(item);
            if (v instanceof AttributeValue.S s && p instanceof AttributeValue.S x) {
                return s.value().startsWith(x.value());
            }
            if (v instanceof AttributeValue.B b && p instanceof AttributeValue.B x) {
                return b.value().length >= x.value().length
                        && Arrays.equals(b.value(), 0, x.value().length, x.value(), 0, x.value().length);
            }
            return false;
        }
    }

    record Contains(Operand container, Operand element) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue c = container.evaluate(item);
            AttributeValue e = element.evaluate(item);
            if (c == null || e == null) {
                return false;
            }
            if (c instanceof AttributeValue.S s) {
                return e instanceof AttributeValue.S x && s.value().contains(x.value());
            }
            if (c instanceof AttributeValue.B b) {
                return e instanceof AttributeValue.B x && indexOf(b.value(), x.value()) >= 0;
            }
            if (c instanceof AttributeValue.SS s) {
                return e instanceof AttributeValue.S x && s.values().contains(x.value());
            }
            if (c instanceof AttributeValue.NS s) {
                return s.values().contains(e);
            }
            if (c instanceof AttributeValue.BS s) {
                return s.values().contains(e);
            }
            if (c instanceof AttributeValue.L l) {
                return l.values().contains(e);
            }
            return false;
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
