package dev.terrarium.services.dynamodb;

import dev.terrarium.services.dynamodb.expressions.Condition;
import dev.terrarium.services.dynamodb.expressions.Operand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Query's key condition, checked against the key schema: one partition value, and optionally one
 * condition on the sort key (=, <, <=, >, >=, BETWEEN, begins_with).
 */
public record KeyCondition(AttributeValue hash, Condition range, AttributeValue low, AttributeValue high, boolean lowInclusive,
                           boolean highInclusive, AttributeValue prefix) {

    public static KeyCondition of(Condition c, KeySchema schema) {
        if (c == null) {
            throw Errors.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        List<Condition> parts = new ArrayList<>();
        flatten(c, parts);
        AttributeValue hash = null;
        Condition rangeCondition = null;
        for (Condition part : parts) {
            String attribute = attributeOf(part);
            if (attribute.equals(schema.hashName())) {
                if (hash != null) {
                    throw Errors.validation("KeyConditionExpressions must only contain one condition per key");
                }
                if (!(part instanceof Condition.Compare cmp) || cmp.op() != Condition.Comparator.EQ) {
                    throw Errors.validation("Query key condition not supported");
                }
                hash = value(cmp.right(), schema.hashType());
            } else if (attribute.equals(schema.rangeName())) {
                if (rangeCondition != null) {
                    throw Errors.validation("KeyConditionExpressions must only contain one condition per key");
                }
                rangeCondition = part;
            } else {
                throw Errors.validation("Query condition missed key schema element: "
                        + (schema.hasRange() && hash != null ? schema.rangeName() : schema.hashName()));
            }
        }
        if (hash == null) {
            throw Errors.validation("Query condition missed key schema element: " + schema.hashName());
        }
        if (rangeCondition == null) {
            return new KeyCondition(hash, null, null, null, true, true, null);
        }
        String type = schema.rangeType();
        if (rangeCondition instanceof Condition.Between b) {
            return new KeyCondition(hash, b, value(b.low(), type), value(b.high(), type), true, true, null);
        }
        if (rangeCondition instanceof Condition.BeginsWith bw) {
            AttributeValue p = value(bw.prefix(), type);
            if (p instanceof AttributeValue.N) {
                throw Errors.validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
                        + "operator or function: begins_with, operand type: N");
            }
            return new KeyCondition(hash, bw, p, null, true, true, p);
        }
        Condition.Compare cmp = (Condition.Compare) rangeCondition;
        AttributeValue v = value(cmp.right(), type);
        return switch (cmp.op()) {
            case EQ -> new KeyCondition(hash, cmp, v, v, true, true, null);
            case LT -> new KeyCondition(hash, cmp, null, v, true, false, null);
            case LE -> new KeyCondition(hash, cmp, null, v, true, true, null);
            case GT -> new KeyCondition(hash, cmp, v, null, false, true, null);
            case GE -> new KeyCondition(hash, cmp, v, null, true, true, null);
            default -> throw Errors.validation("Unsupported operator on KeyConditionExpression: operator: " + cmp.op().symbol());
        };
    }

    private static void flatten(Condition c, List<Condition> out) {
        if (c instanceof Condition.And and) {
            flatten(and.left(), out);
            flatten(and.right(), out);
            return;
        }
        if (c instanceof Condition.Or) {
            throw Errors.validation("Invalid operator used in KeyConditionExpression: OR");
        }
        if (c instanceof Condition.Not) {
            throw Errors.validation("Invalid operator used in KeyConditionExpression: NOT");
        }
        if (c instanceof Condition.In) {
            throw Errors.validation("Invalid operator used in KeyConditionExpression: IN");
        }
        if (c instanceof Condition.Exists e) {
            throw Errors.validation("Invalid operator used in KeyConditionExpression: "
                    + (e.exists() ? "attribute_exists" : "attribute_not_exists"));
        }
        if (c instanceof Condition.Contains) {
            throw Errors.validation("Invalid operator used in KeyConditionExpression: contains");
        }
        if (c instanceof Condition.TypeIs) {
            throw Errors.validation("Invalid operator used in KeyConditionExpression: attribute_type");
        }
        if (c instanceof Condition.Compare cmp && cmp.op() == Condition.Comparator.NE) {
            throw Errors.validation("Invalid operator used in KeyConditionExpression: <>");
        }
        out.add(c);
    }

    private static String attributeOf(Condition c) {
        Operand left = c instanceof Condition.Compare cmp ? cmp.left()
                : c instanceof Condition.Between b ? b.value()
                : ((Condition.BeginsWith) c).value();
        if (left instanceof Operand.Size) {
            throw Errors.validation("KeyConditionExpressions cannot contain nested operations");
        }
        if (!(left instanceof Operand.PathOperand p)) {
            throw Errors.validation("Query key condition not supported");
        }
        if (p.path().depth() != 1) {
            throw Errors.validation("KeyConditionExpressions cannot have conditions on nested attributes");
        }
        return p.path().top();
    }

    private static AttributeValue value(Operand o, String type) {
        if (o instanceof Operand.PathOperand) {
            throw Errors.validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        }
        if (o instanceof Operand.Size) {
            throw Errors.validation("KeyConditionExpressions cannot contain nested operations");
        }
        if (!(o instanceof Operand.Literal l)) {
            throw Errors.validation("Query key condition not supported");
        }
        if (!l.value().type().equals(type)) {
            throw Errors.invalidParameter("Condition parameter type does not match schema type");
        }
        return l.value();
    }

    /** -1 when the sort value is before the condition's range, 0 inside, 1 after. */
    public int position(AttributeValue sortValue) {
        if (range == null) {
            return 0;
        }
        if (prefix != null) {
            if (prefix instanceof AttributeValue.S p && sortValue instanceof AttributeValue.S s) {
                return s.value().startsWith(p.value()) ? 0 : ValueOrder.compare(s, p) < 0 ? -1 : 1;
            }
            byte[] p = ((AttributeValue.B) prefix).value();
            byte[] s = ((AttributeValue.B) sortValue).value();
            boolean starts = s.length >= p.length && java.util.Arrays.equals(s, 0, p.length, p, 0, p.length);
            return starts ? 0 : ValueOrder.compare(sortValue, prefix) < 0 ? -1 : 1;
        }
        if (low != null) {
            int c = ValueOrder.compare(sortValue, low);
            if (c < 0 || (c == 0 && !lowInclusive)) {
                return -1;
            }
        }
        if (high != null) {
            int c = ValueOrder.compare(sortValue, high);
            if (c > 0 || (c == 0 && !highInclusive)) {
                return 1;
            }
        }
        return 0;
    }

    public boolean matches(Map<String, AttributeValue> item, KeySchema schema) {
        return hash.equals(item.get(schema.hashName())) && (range == null || position(item.get(schema.rangeName())) == 0);
    }
}
