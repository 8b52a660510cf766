package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.AttributeValues;
import dev.terrarium.services.dynamodb.Numbers;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionsTest {

    private static ExpressionContext context(Map<String, String> names, Object... values) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i += 2) {
            v.put((String) values[i], values[i + 1]);
        }
        return ExpressionContext.of(names, v.isEmpty() ? null : v);
    }

    private static Struct s(String v) { return Struct.of("S", v); }
    private static Struct n(String v) { return Struct.of("N", v); }

    private static Map<String, AttributeValue> item(Object... wire) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < wire.length; i += 2) {
            m.put((String) wire[i], wire[i + 1]);
        }
        return AttributeValues.fromWire(m);
    }

    private static Condition condition(String text, ExpressionContext c) {
        return Expressions.condition(text, "ConditionExpression", c);
    }

    @Test
    void comparisonsAndLogic() {
        ExpressionContext c = context(Map.of("#s", "status"), ":a", s("on"), ":n", n("5"), ":lo", n("1"), ":hi", n("10"));
        Condition cond = condition("#s = :a AND (n BETWEEN :lo AND :hi) AND NOT n > :n OR attribute_not_exists(x)", c);
        c.checkAllUsed();
        assertThat(cond.test(item("status", s("on"), "n", n("3"), "x", s("")))).isTrue();
        assertThat(cond.test(item("status", s("on"), "n", n("7"), "x", s("")))).isFalse();
        assertThat(cond.test(item("status", s("off")))).isTrue();
        assertThat(cond.test(null)).isTrue();
    }

    @Test
    void functions() {
        ExpressionContext c = context(null, ":p", s("ab"), ":t", s("SS"), ":e", s("x"), ":two", n("2"));
        Condition cond = condition("begins_with(a, :p) AND attribute_type(tags, :t) AND contains(tags, :e) AND size(tags) = :two", c);
        assertThat(cond.test(item("a", s("abc"), "tags", Struct.of("SS", List.of("x", "y"))))).isTrue();
        assertThat(cond.test(item("a", s("abc"), "tags", Struct.of("SS", List.of("x"))))).isFalse();
        assertThat(cond.test(item("a", s("b"), "tags", Struct.of("SS", List.of("x", "y"))))).isFalse();
    }

    @Test
    void nestedPathsAndListIndexes() {
        ExpressionContext c = context(Map.of("#m", "map"), ":v", n("2"));
        Condition cond = condition("#m.deep.vals[1] = :v", c);
        Map<String, AttributeValue> it = item("map", Struct.of("M", Map.of("deep", Struct.of("M",
                Map.of("vals", Struct.of("L", List.of(n("1"), n("2"))))))));
        assertThat(cond.test(it)).isTrue();
    }

    @Test
    void syntaxErrorsNameTheTokenAndWhatIsNear() {
        assertThatThrownBy(() -> condition("foo", ExpressionContext.empty()))
                .hasMessage("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"");
        assertThatThrownBy(() -> condition("a = :v a", context(null, ":v", s("x"))))
                .hasMessage("Invalid ConditionExpression: Syntax error; token: \"a\", near: \":v a\"");
        assertThatThrownBy(() -> Expressions.update("SET a = VALUE 1", ExpressionContext.empty()))
                .hasMessage("Invalid UpdateExpression: Syntax error; token: \"1\", near: \"VALUE 1\"");
        assertThatThrownBy(() -> Expressions.update("", ExpressionContext.empty()))
                .hasMessage("Invalid UpdateExpression: The expression can not be empty;");
    }

    @Test
    void undefinedNamesValuesAndReservedWords() {
        assertThatThrownBy(() -> condition("#x = :v", context(null, ":v", s("x"))))
                .hasMessage("Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x");
        assertThatThrownBy(() -> condition("a = :v", ExpressionContext.empty()))
                .hasMessage("Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v");
        assertThatThrownBy(() -> Expressions.update("SET value = :v", context(null, ":v", s("x"))))
                .hasMessage("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: value");
        assertThatThrownBy(() -> condition("foo(a)", ExpressionContext.empty()))
                .hasMessage("Invalid ConditionExpression: Invalid function name; function: foo");
        assertThatThrownBy(() -> condition("attribute_exists(a, b)", ExpressionContext.empty()))
                .hasMessage("Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                        + "operator or function: attribute_exists, number of operands: 2");
    }

    @Test
    void unusedNamesAndValuesAreRefused() {
        ExpressionContext c = context(Map.of("#a", "a", "#b", "b"), ":v", s("x"), ":w", s("y"));
        condition("#a = :v", c);
        assertThatThrownBy(c::checkAllUsed)
                .hasMessage("Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
        ExpressionContext d = context(null, ":v", s("x"), ":w", s("y"));
        condition("a = :v", d);
        assertThatThrownBy(d::checkAllUsed)
                .hasMessage("Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
    }

    @Test
    void updateSetArithmeticFunctionsRemoveAddDelete() {
        ExpressionContext c = context(null, ":one", n("1"), ":l", Struct.of("L", List.of(s("z"))), ":zero", n("0"),
                ":s", Struct.of("SS", List.of("b", "c")), ":d", Struct.of("SS", List.of("a")));
        UpdateExpression u = Expressions.update("SET cnt = cnt + :one, hits = if_not_exists(hits, :zero) + :one, "
                + "l = list_append(l, :l) REMOVE gone, r[0] ADD tags :s DELETE older :d", c);
        c.checkAllUsed();
        Map<String, AttributeValue> after = u.apply(item("cnt", n("41"), "gone", s("x"), "l", Struct.of("L", List.of(s("y"))),
                "r", Struct.of("L", List.of(s("w"), s("y"))),
                "tags", Struct.of("SS", List.of("b")), "older", Struct.of("SS", List.of("a"))));
        assertThat(after.get("cnt")).isEqualTo(Numbers.parse("42"));
        assertThat(after.get("hits")).isEqualTo(Numbers.parse("1"));
        assertThat(after).doesNotContainKey("gone");
        assertThat(after.get("l")).isEqualTo(new AttributeValue.L(List.of(new AttributeValue.S("y"), new AttributeValue.S("z"))));
        assertThat(after).doesNotContainKey("older");
        assertThat(after.get("r")).isEqualTo(new AttributeValue.L(List.of(new AttributeValue.S("y"))));
        assertThat(after.get("tags")).isEqualTo(new AttributeValue.SS(List.of("b", "c")));
    }

    @Test
    void updateErrors() {
        assertThatThrownBy(() -> Expressions.update("SET a = :v + :w", context(null, ":v", s("x"), ":w", n("1"))))
                .hasMessage("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S");
        assertThatThrownBy(() -> Expressions.update("SET a = :v SET b = :v", context(null, ":v", s("x"))))
                .hasMessage("Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
        assertThatThrownBy(() -> Expressions.update("SET a = :v REMOVE a.b", context(null, ":v", s("x"))))
                .hasMessage("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
                        + "path one: [a], path two: [a, b]");
        UpdateExpression missing = Expressions.update("SET a = b + :one", context(null, ":one", n("1")));
        assertThatThrownBy(() -> missing.apply(item()))
                .hasMessage("The provided expression refers to an attribute that does not exist in the item");
        UpdateExpression wrongType = Expressions.update("ADD a :one", context(null, ":one", n("1")));
        assertThatThrownBy(() -> wrongType.apply(item("a", s("x"))))
                .hasMessage("An operand in the update expression has an incorrect data type");
        UpdateExpression nested = Expressions.update("SET a.b = :one", context(null, ":one", n("1")));
        assertThatThrownBy(() -> nested.apply(item()))
                .hasMessage("The document path provided in the update expression is invalid for update");
    }

    @Test
    void projectionKeepsNestedShape() {
        Projection p = Expressions.projection("a.b, l[1], l[3], c", ExpressionContext.empty());
        Map<String, AttributeValue> out = p.apply(item("a", Struct.of("M", Map.of("b", n("1"), "x", n("2"))),
                "l", Struct.of("L", List.of(n("0"), n("1"), n("2"), n("3"))), "d", s("no")));
        assertThat(AttributeValues.toWire(out).toString()).isEqualTo(
                "{a={M={b={N=1}}}, l={L=[{N=1}, {N=3}]}}");
        assertThatThrownBy(() -> Expressions.projection("a, a.b", ExpressionContext.empty()))
                .hasMessage("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
                        + "path one: [a], path two: [a, b]");
    }
}
