package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.expressions.Condition;
import dev.terrarium.services.dynamodb.expressions.Operand;
import dev.terrarium.services.dynamodb.expressions.Path;
import dev.terrarium.services.dynamodb.expressions.UpdateExpression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pre-expression parameters (Expected, QueryFilter, ScanFilter, KeyConditions, AttributeUpdates) as expression trees. */
final class LegacyParameters {
    private LegacyParameters() {
    }

    static Condition conditions(Map<String, Object> byAttribute, String conditionalOperator, boolean expected) {
        Condition result = null;
        for (Map.Entry<String, Object> e : byAttribute.entrySet()) {
            Condition c = condition(e.getKey(), (Struct) e.getValue(), expected);
            result = result == null ? c : "OR".equals(conditionalOperator) ? new Condition.Or(result, c) : new Condition.And(result, c);
        }
        return result;
    }

    private static Condition condition(String attribute, Struct spec, boolean expected) {
        Path path = Path.of(attribute);
        Operand.PathOperand target = new Operand.PathOperand(path);
        String op = spec.string("ComparisonOperator");
        if (op == null) {
            if (!expected) {
                throw Errors.validation("One or more parameter values were invalid: Invalid ComparisonOperator for attribute " + attribute);
            }
            boolean exists = spec.bool("Exists", true);
            if (!exists) {
                if (spec.has("Value")) {
                    throw Errors.invalidParameter("Value cannot be used when Exists is false for Attribute: " + attribute);
                }
                return new Condition.Exists(path, false);
            }
            if (!spec.has("Value")) {
                throw Errors.invalidParameter("Value must be provided when Exists is " + (spec.has("Exists") ? "true" : "null")
                        + " for Attribute: " + attribute);
            }
            return new Condition.Compare(target, Condition.Comparator.EQ, literal(spec.get("Value")));
        }
        List<Operand> args = new ArrayList<>();
        List<Object> list = spec.list("AttributeValueList");
        if (list == null && spec.has("Value")) {
            list = List.of(spec.get("Value"));
        }
        if (list != null) {
            for (Object v : list) {
                args.add(literal(v));
            }
        }
        int expectedArgs = switch (op) {
            case "NULL", "NOT_NULL" -> 0;
            case "BETWEEN" -> 2;
            case "IN" -> -1;
            default -> 1;
        };
        if ((expectedArgs >= 0 && args.size() != expectedArgs) || (expectedArgs < 0 && args.isEmpty())) {
            throw Errors.invalidParameter("Invalid number of argument(s) for the " + op + " ComparisonOperator");
        }
        return switch (op) {
            case "EQ" -> new Condition.Compare(target, Condition.Comparator.EQ, args.get(0));
            case "NE" -> new Condition.Or(new Condition.Exists(path, false), new Condition.Compare(target, Condition.Comparator.NE, args.get(0)));
            case "LT" -> new Condition.Compare(target, Condition.Comparator.LT, args.get(0));
            case "LE" -> new Condition.Compare(target, Condition.Comparator.LE, args.get(0));
            case "GT" -> new Condition.Compare(target, Condition.Comparator.GT, args.get(0));
            case "GE" -> new Condition.Compare(target, Condition.Comparator.GE, args.get(0));
            case "NULL" -> new Condition.Exists(path, false);
            case "NOT_NULL" -> new Condition.Exists(path, true);
            case "CONTAINS" -> new Condition.Contains(target, args.get(0));
            case "NOT_CONTAINS" -> new Condition.And(new Condition.Exists(path, true), new Condition.Not(new Condition.Contains(target, args.get(0))));
            case "BEGINS_WITH" -> new Condition.BeginsWith(target, args.get(0));
            case "IN" -> new Condition.In(target, args);
            case "BETWEEN" -> new Condition.Between(target, args.get(0), args.get(1));
            default -> throw Errors.validation("1 validation error detected: Value '" + op
                    + "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set");
        };
    }

    private static Operand.Literal literal(Object wire) {
        return new Operand.Literal(null, AttributeValues.fromWire(wire));
    }

    static UpdateExpression updates(Map<String, Object> byAttribute) {
        List<UpdateExpression.Action> actions = new ArrayList<>();
        for (Map.Entry<String, Object> e : byAttribute.entrySet()) {
            Struct spec = (Struct) e.getValue();
            Path path = Path.of(e.getKey());
            String action = spec.string("Action", "PUT");
            Object value = spec.get("Value");
            switch (action) {
                case "PUT" -> {
                    if (value == null) {
                        throw Errors.invalidParameter("Only DELETE action is allowed when no attribute value is specified");
                    }
                    actions.add(new UpdateExpression.Set(path, literal(value)));
                }
                case "DELETE" -> actions.add(value == null ? new UpdateExpression.Remove(path)
                        : new UpdateExpression.Delete(path, literal(value)));
                default -> {
                    if (value == null) {
                        throw Errors.invalidParameter("Only DELETE action is allowed when no attribute value is specified");
                    }
                    actions.add(new UpdateExpression.Add(path, literal(value)));
                }
            }
        }
        return new UpdateExpression(actions);
    }
}
