package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.AttributeValues;
import dev.terrarium.services.dynamodb.Errors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all its expressions, with
 * a record of which ones the expressions used (AWS refuses unused ones).
 */
public final class ExpressionContext {
    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    private ExpressionContext(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names;
        this.values = values;
    }

    public static ExpressionContext empty() { return new ExpressionContext(Map.of(), Map.of()); }

    /** From the request's members, checked as AWS checks them (non-empty, #/: keys, valid values). */
    public static ExpressionContext of(Map<String, String> names, Map<String, Object> wireValues) {
        if (names != null) {
            if (names.isEmpty()) {
                throw Errors.validation("ExpressionAttributeNames must not be empty");
            }
            for (String k : names.keySet()) {
                if (!k.startsWith("#") || k.length() < 2) {
                    throw Errors.validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + k + "\"");
                }
            }
        }
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        if (wireValues != null) {
            if (wireValues.isEmpty()) {
                throw Errors.validation("ExpressionAttributeValues must not be empty");
            }
            for (Map.Entry<String, Object> e : wireValues.entrySet()) {
                String k = e.getKey();
                if (!k.startsWith(":") || k.length() < 2) {
                    throw Errors.validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + k + "\"");
                }
                try {
                    values.put(k, AttributeValues.fromWire(e.getValue()));
                } catch (AwsException x) {
                    throw Errors.validation("ExpressionAttributeValues contains invalid value: " + x.getMessage() + " for key " + k);
                }
            }
        }
        return new ExpressionContext(names == null ? Map.of() : names, values);
    }

    /** The attribute name a #ref stands for (and notes its use), or null when undefined. */
    String name(String ref) {
        usedNames.add(ref);
        return names.get(ref);
    }

    AttributeValue value(String ref) {
        usedValues.add(ref);
        return values.get(ref);
    }

    public boolean hasNames() { return !names.isEmpty(); }
    public boolean hasValues() { return !values.isEmpty(); }

    /** After parsing all of a request's expressions: every name and value given must have been used. */
    public void checkAllUsed() {
        List<String> unusedNames = new ArrayList<>();
        for (String k : names.keySet()) {
            if (!usedNames.contains(k)) {
                unusedNames.add(k);
            }
        }
        if (!unusedNames.isEmpty()) {
            throw Errors.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        List<String> unusedValues = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!usedValues.contains(k)) {
                unusedValues.add(k);
            }
        }
        if (!unusedValues.isEmpty()) {
            throw Errors.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }
}
