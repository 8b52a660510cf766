package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.expressions.Condition;
import dev.terrarium.services.dynamodb.expressions.ExpressionContext;
import dev.terrarium.services.dynamodb.expressions.Expressions;
import dev.terrarium.services.dynamodb.expressions.Projection;
import dev.terrarium.services.dynamodb.expressions.UpdateExpression;

import java.util.ArrayList;
import java.util.List;

/**
 * The expressions of one request, parsed together (names and values are shared, and must all be used),
 * or their legacy equivalents (Expected, AttributeUpdates, AttributesToGet, QueryFilter, ScanFilter, KeyConditions).
 */
public final class RequestExpressions {
    private final Struct in;
    private final ExpressionContext context;
    private Condition condition;
    private Condition filter;
    private Condition keyCondition;
    private UpdateExpression update;
    private Projection projection;

    private RequestExpressions(Struct in, ExpressionContext context) {
        this.in = in;
        this.context = context;
    }

    /** Parses the request's expressions; legacyByExpression pairs each expression member with its legacy member. */
    public static RequestExpressions parse(Struct in) {
        checkNotMixed(in);
        boolean anyExpression = in.has("ConditionExpression") || in.has("FilterExpression") || in.has("KeyConditionExpression")
                || in.has("UpdateExpression") || in.has("ProjectionExpression");
        if (!anyExpression && in.has("ExpressionAttributeNames")) {
            throw Errors.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
        if (!anyExpression && in.has("ExpressionAttributeValues")) {
            throw Errors.validation("ExpressionAttributeValues can only be specified when using expressions");
        }
        ExpressionContext context = ExpressionContext.of(in.stringMap("ExpressionAttributeNames"), in.map("ExpressionAttributeValues"));
        RequestExpressions r = new RequestExpressions(in, context);
        r.update = Expressions.update(in.string("UpdateExpression"), context);
        r.keyCondition = Expressions.condition(in.string("KeyConditionExpression"), "KeyConditionExpression", context);
        r.condition = Expressions.condition(in.string("ConditionExpression"), "ConditionExpression", context);
        r.filter = Expressions.condition(in.string("FilterExpression"), "FilterExpression", context);
        r.projection = Expressions.projection(in.string("ProjectionExpression"), context);
        if (anyExpression) {
            context.checkAllUsed();
        }
        if (in.has("Expected")) {
            r.condition = LegacyParameters.conditions(in.map("Expected"), in.string("ConditionalOperator"), true);
        }
        if (in.has("QueryFilter")) {
            r.filter = LegacyParameters.conditions(in.map("QueryFilter"), in.string("ConditionalOperator"), false);
        }
        if (in.has("ScanFilter")) {
            r.filter = LegacyParameters.conditions(in.map("ScanFilter"), in.string("ConditionalOperator"), false);
        }
        if (in.has("KeyConditions")) {
            r.keyCondition = LegacyParameters.conditions(in.map("KeyConditions"), "AND", false);
        }
        if (in.has("AttributeUpdates")) {
            r.update = LegacyParameters.updates(in.map("AttributeUpdates"));
        }
        if (in.has("AttributesToGet")) {
            List<String> names = in.strings("AttributesToGet");
            if (new java.util.HashSet<>(names).size() != names.size()) {
                throw Errors.validation("One or more parameter values were invalid: Duplicate value in attribute name: "
                        + names.stream().filter(n -> names.indexOf(n) != names.lastIndexOf(n)).findFirst().orElse(""));
            }
            r.projection = Projection.of(names);
        }
        if (in.has("ConditionalOperator") && !in.has("Expected") && !in.has("QueryFilter") && !in.has("ScanFilter")) {
            throw Errors.validation("ConditionalOperator cannot be used without Filter or Expected");
        }
        if (in.has("ConditionalOperator")) {
            for (String legacy : List.of("Expected", "QueryFilter", "ScanFilter")) {
                if (in.has(legacy) && in.map(legacy).size() <= 1) {
                    throw Errors.validation("ConditionalOperator can only be used when Filter or Expected has two or more elements");
                }
            }
        }
        return r;
    }

    private static final String[][] PAIRS = {
            {"AttributesToGet", "ProjectionExpression"}, {"Expected", "ConditionExpression"},
            {"AttributeUpdates", "UpdateExpression"}, {"QueryFilter", "FilterExpression"},
            {"ScanFilter", "FilterExpression"}, {"KeyConditions", "KeyConditionExpression"},
            {"ConditionalOperator", "ConditionExpression"}, {"ConditionalOperator", "FilterExpression"}};

    private static void checkNotMixed(Struct in) {
        List<String> legacy = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (String[] p : PAIRS) {
            if (in.has(p[0]) && !legacy.contains(p[0])) {
                legacy.add(p[0]);
            }
            if (in.has(p[1]) && !expressions.contains(p[1])) {
                expressions.add(p[1]);
            }
        }
        if (!legacy.isEmpty() && !expressions.isEmpty()) {
            throw Errors.validation("Can not use both expression and non-expression parameters in the same request: "
                    + "Non-expression parameters: {" + String.join(", ", legacy) + "} Expression parameters: {"
                    + String.join(", ", expressions) + "}");
        }
    }

    public Condition condition() { return condition; }
    public Condition filter() { return filter; }
    public Condition keyCondition() { return keyCondition; }
    public UpdateExpression update() { return update; }
    public Projection projection() { return projection; }

    /** Whether a request's ConditionExpression (or Expected) holds for the current item. */
    public boolean conditionHolds(Item current) {
        return condition == null || condition.test(current == null ? null : current.attributes());
    }

    Struct request() { return in; }
}
