package dev.terrarium.core.iam;

import java.util.List;

/**
 * One condition test: operator (with its ForAllValues/ForAnyValue qualifier and IfExists suffix),
 * a condition key, and the policy's values (any of which may match).
 */
public record Condition(String operatorText, ConditionOperator operator, SetQualifier qualifier, boolean ifExists,
                        String key, List<String> values) {

    public enum SetQualifier { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }
}
