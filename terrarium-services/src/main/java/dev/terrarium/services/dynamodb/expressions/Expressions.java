package dev.terrarium.services.dynamodb.expressions;

/** Parses the expressions of a request against its ExpressionAttributeNames/Values. */
public final class Expressions {
    private Expressions() {
    }

    /** label: the request member, as AWS names it in errors (ConditionExpression, FilterExpression, KeyConditionExpression). */
    public static Condition condition(String text, String label, ExpressionContext context) {
        return text == null ? null : new Parser(text, label, context).condition();
    }

    public static UpdateExpression update(String text, ExpressionContext context) {
        return text == null ? null : new Parser(text, "UpdateExpression", context).update();
    }

    public static Projection projection(String text, ExpressionContext context) {
        return text == null ? null : new Projection(new Parser(text, "ProjectionExpression", context).projection());
    }
}
