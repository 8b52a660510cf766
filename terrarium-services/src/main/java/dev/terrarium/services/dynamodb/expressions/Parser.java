package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.AttributeValues;
import dev.terrarium.services.dynamodb.Errors;
import dev.terrarium.services.dynamodb.ValueOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser of DynamoDB's expression language. Syntax errors stop at once; other problems
 * (undefined names, reserved words, wrong operand types) are remembered and reported after a clean parse,
 * the first one found, as AWS does.
 */
final class Parser {
    private static final Set<String> CONDITION_FUNCTIONS =
            Set.of("attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains");
    private static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");
    private static final Set<String> TYPE_NAMES = Set.of("B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M");
    private static final int MAX_DEPTH = 32;

    private final String source;
    private final String label;
    private final List<Token> tokens;
    private final ExpressionContext context;
    private int pos;
    private AwsException problem;

    Parser(String source, String label, ExpressionContext context) {
        this.source = source;
        this.label = label;
        this.tokens = Lexer.tokens(source);
        this.context = context;
    }

    // ---- entry points

    Condition condition() {
        requireNotEmpty();
        Condition c = orCondition();
        expectEnd();
        return finish(c);
    }

    List<Path> projection() {
        requireNotEmpty();
        List<Path> paths = new ArrayList<>();
        do {
            paths.add(path());
        } while (accept(Token.Kind.COMMA));
        expectEnd();
        checkOverlaps(paths);
        return finish(paths);
    }

    UpdateExpression update() {
        requireNotEmpty();
        List<UpdateExpression.Action> actions = new ArrayList<>();
        Set<String> sections = new java.util.HashSet<>();
        while (!peek().is(Token.Kind.EOF)) {
            Token t = peek();
            String section = t.is(Token.Kind.NAME) ? t.text().toUpperCase(java.util.Locale.ROOT) : "";
            if (!Set.of("SET", "REMOVE", "ADD", "DELETE").contains(section)) {
                throw syntaxError();
            }
            pos++;
            if (!sections.add(section)) {
                remember("The \"" + section + "\" section can only be used once in an update expression;");
            }
            do {
                Path p = path();
                switch (section) {
                    case "SET" -> {
                        expect(Token.Kind.EQ);
                        actions.add(new UpdateExpression.Set(p, setValue()));
                    }
                    case "REMOVE" -> actions.add(new UpdateExpression.Remove(p));
                    case "ADD" -> actions.add(new UpdateExpression.Add(p, setValueLiteral("ADD", true)));
                    default -> actions.add(new UpdateExpression.Delete(p, setValueLiteral("DELETE", false)));
                }
            } while (accept(Token.Kind.COMMA));
        }
        List<Path> paths = actions.stream().map(UpdateExpression.Action::path).toList();
        checkOverlaps(paths);
        return finish(new UpdateExpression(actions));
    }

    // ---- conditions

    private Condition orCondition() {
        Condition c = andCondition();
        while (peek().isWord("OR")) {
            pos++;
            c = new Condition.Or(c, andCondition());
        }
        return c;
    }

    private Condition andCondition() {
        Condition c = notCondition();
        while (peek().isWord("AND")) {
            pos++;
            c = new Condition.And(c, notCondition());
        }
        return c;
    }

    private Condition notCondition() {
        if (peek().isWord("NOT")) {
            pos++;
            return new Condition.Not(notCondition());
        }
        return primaryCondition();
    }

    private Condition primaryCondition() {
        if (accept(Token.Kind.LPAREN)) {
            Condition c = orCondition();
            expect(Token.Kind.RPAREN);
            return c;
        }
        if (isFunctionCall() && CONDITION_FUNCTIONS.contains(peek().text())) {
            return conditionFunction();
        }
        boolean unknownFunction = isFunctionCall() && !peek().text().equals("size");
        Operand left = operand();
        Token t = peek();
        Condition.Comparator op = comparator(t);
        if (unknownFunction && op == null && !t.isWord("BETWEEN") && !t.isWord("IN") && problem != null) {
            return new Condition.Exists(Path.of("?"), false);
        }
        if (op != null) {
            pos++;
            Operand right = operand();
            if (op != Condition.Comparator.EQ && op != Condition.Comparator.NE) {
                checkOrderable(left, op.symbol());
                checkOrderable(right, op.symbol());
            }
            return new Condition.Compare(left, op, right);
        }
        if (t.isWord("BETWEEN")) {
            pos++;
            Operand low = operand();
            if (!peek().isWord("AND")) {
                throw syntaxError();
            }
            pos++;
            Operand high = operand();
            checkBounds(low, high);
            return new Condition.Between(left, low, high);
        }
        if (t.isWord("IN")) {
            pos++;
            expect(Token.Kind.LPAREN);
            List<Operand> candidates = new ArrayList<>();
            do {
                candidates.add(operand());
            } while (accept(Token.Kind.COMMA));
            expect(Token.Kind.RPAREN);
            return new Condition.In(left, candidates);
        }
        throw syntaxError();
    }

    private Condition conditionFunction() {
        String name = next().text();
        List<Operand> args = arguments();
        int expected = name.startsWith("attribute_") && !name.equals("attribute_type") ? 1 : 2;
        if (args.size() != expected) {
            remember("Incorrect number of operands for operator or function; operator or function: " + name
                    + ", number of operands: " + args.size());
            return new Condition.Exists(Path.of("?"), false);
        }
        switch (name) {
            case "attribute_exists", "attribute_not_exists" -> {
                Path p = requirePath(args.get(0), name);
                return new Condition.Exists(p, name.equals("attribute_exists"));
            }
            case "attribute_type" -> {
                Path p = requirePath(args.get(0), name);
                if (args.get(1) instanceof Operand.Literal l && l.value() != null) {
                    if (!(l.value() instanceof AttributeValue.S s) || !TYPE_NAMES.contains(s.value())) {
                        String shown = l.value() instanceof AttributeValue.S s ? s.value() : l.value().type();
                        remember("Invalid attribute type name found; type: " + shown
                                + ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
                    }
                }
                return new Condition.TypeIs(p, args.get(1));
            }
            case "begins_with" -> {
                for (Operand a : args) {
                    if (a instanceof Operand.Literal l && l.value() != null
                            && !(l.value() instanceof AttributeValue.S || l.value() instanceof AttributeValue.B)) {
                        remember("Incorrect operand type for operator or function; operator or function: begins_with, operand type: "
                                + l.value().type());
                    }
                }
                return new Condition.BeginsWith(args.get(0), args.get(1));
            }
            default -> {
                return new Condition.Contains(args.get(0), args.get(1));
            }
        }
    }

    private static Condition.Comparator comparator(Token t) {
        return switch (t.kind()) {
            case EQ -> Condition.Comparator.EQ;
            case NE -> Condition.Comparator.NE;
            case LT -> Condition.Comparator.LT;
            case LE -> Condition.Comparator.LE;
            case GT -> Condition.Comparator.GT;
            case GE -> Condition.Comparator.GE;
            default -> null;
        };
    }

    /** A condition operand: a path, a :value or size(path). */
    private Operand operand() {
        Token t = peek();
        if (t.is(Token.Kind.VALUE_REF)) {
            pos++;
            return literal(t);
        }
        if (isFunctionCall()) {
            String name = next().text();
            List<Operand> args = arguments();
            if (name.equals("size")) {
                if (args.size() != 1) {
                    remember("Incorrect number of operands for operator or function; operator or function: size, number of operands: "
                            + args.size());
                    return args.get(0);
                }
                return new Operand.Size(args.get(0));
            }
            if (CONDITION_FUNCTIONS.contains(name)) {
                remember("The function is not allowed to be used this way in an expression; function: " + name);
            } else if (UPDATE_FUNCTIONS.contains(name)) {
                remember("The function is not allowed in a condition expression; function: " + name);
            } else {
                remember("Invalid function name; function: " + name);
            }
            return args.get(0);
        }
        if (t.is(Token.Kind.NAME) || t.is(Token.Kind.NAME_REF)) {
            return new Operand.PathOperand(path());
        }
        throw syntaxError();
    }

    private List<Operand> arguments() {
        expect(Token.Kind.LPAREN);
        List<Operand> args = new ArrayList<>();
        do {
            args.add(label.equals("UpdateExpression") ? setOperand() : operand());
        } while (accept(Token.Kind.COMMA));
        expect(Token.Kind.RPAREN);
        return args;
    }

    // ---- update values

    private Operand setValue() {
        Operand left = setOperand();
        Token t = peek();
        if (t.is(Token.Kind.PLUS) || t.is(Token.Kind.MINUS)) {
            pos++;
            Operand right = setOperand();
            checkType(left, t.text(), "N");
            checkType(right, t.text(), "N");
            return new Operand.Arithmetic(left, t.is(Token.Kind.PLUS), right);
        }
        return left;
    }

    private Operand setOperand() {
        Token t = peek();
        if (t.is(Token.Kind.VALUE_REF)) {
            pos++;
            return literal(t);
        }
        if (isFunctionCall()) {
            String name = next().text();
            List<Operand> args = arguments();
            if (!UPDATE_FUNCTIONS.contains(name)) {
                remember(CONDITION_FUNCTIONS.contains(name) || name.equals("size")
                        ? "The function is not allowed in an update expression; function: " + name
                        : "Invalid function name; function: " + name);
                return args.get(0);
            }
            if (args.size() != 2) {
                remember("Incorrect number of operands for operator or function; operator or function: " + name
                        + ", number of operands: " + args.size());
                return args.get(0);
            }
            if (name.equals("if_not_exists")) {
                return new Operand.IfNotExists(requirePath(args.get(0), name), args.get(1));
            }
            checkType(args.get(0), "list_append", "L");
            checkType(args.get(1), "list_append", "L");
            return new Operand.ListAppend(args.get(0), args.get(1));
        }
        if (t.is(Token.Kind.NAME) || t.is(Token.Kind.NAME_REF)) {
            return new Operand.PathOperand(path());
        }
        throw syntaxError();
    }

    /** The :value of an ADD or DELETE action, which must be a set (or, for ADD, a number). */
    private Operand.Literal setValueLiteral(String action, boolean numbersToo) {
        Token t = peek();
        if (!t.is(Token.Kind.VALUE_REF)) {
            throw syntaxError();
        }
        pos++;
        Operand.Literal l = literal(t);
        AttributeValue v = l.value();
        if (v != null) {
            boolean set = v instanceof AttributeValue.SS || v instanceof AttributeValue.NS || v instanceof AttributeValue.BS;
            if (!set && !(numbersToo && v instanceof AttributeValue.N)) {
                remember("Incorrect operand type for operator or function; operator or function: " + action
                        + ", operand type: " + v.type());
            }
        }
        return l;
    }

    // ---- paths and references

    private Path path() {
        List<Object> elements = new ArrayList<>();
        elements.add(pathName());
        while (true) {
            if (accept(Token.Kind.DOT)) {
                elements.add(pathName());
            } else if (peek().is(Token.Kind.LBRACKET)) {
                pos++;
                Token n = peek();
                if (!n.is(Token.Kind.NUMBER)) {
                    throw syntaxError();
                }
                pos++;
                expect(Token.Kind.RBRACKET);
                try {
                    elements.add(Integer.parseInt(n.text()));
                } catch (NumberFormatException e) {
                    remember("List index is too large; index: " + n.text());
                    elements.add(Integer.MAX_VALUE);
                }
            } else {
                break;
            }
        }
        if (elements.size() > MAX_DEPTH) {
            remember("The document path has too many nesting levels; nesting levels: " + elements.size());
        }
        return new Path(List.copyOf(elements));
    }

    private String pathName() {
        Token t = peek();
        if (t.is(Token.Kind.NAME_REF)) {
            pos++;
            String name = context.name(t.text());
            if (name == null) {
                remember("An expression attribute name used in the document path is not defined; attribute name: " + t.text());
                return t.text();
            }
            return name;
        }
        if (t.is(Token.Kind.NAME)) {
            pos++;
            if (ReservedWords.contains(t.text())) {
                remember("Attribute name is a reserved keyword; reserved keyword: " + t.text());
            }
            return t.text();
        }
        throw syntaxError();
    }

    private Operand.Literal literal(Token t) {
        AttributeValue v = context.value(t.text());
        if (v == null) {
            remember("An expression attribute value used in expression is not defined; attribute value: " + t.text());
        }
        return new Operand.Literal(t.text(), v);
    }

    private Path requirePath(Operand o, String function) {
        if (o instanceof Operand.PathOperand p) {
            return p.path();
        }
        remember("Operator or function requires a document path; operator or function: " + function);
        return Path.of("?");
    }

    // ---- static checks

    private void checkOrderable(Operand o, String operator) {
        if (o instanceof Operand.Literal l && l.value() != null && !ValueOrder.orderable(l.value())) {
            remember("Incorrect operand type for operator or function; operator or function: " + operator
                    + ", operand type: " + l.value().type());
        }
    }

    private void checkType(Operand o, String operator, String type) {
        if (o instanceof Operand.Literal l && l.value() != null && !l.value().type().equals(type)) {
            remember("Incorrect operand type for operator or function; operator or function: " + operator
                    + ", operand type: " + l.value().type());
        }
    }

    private void checkBounds(Operand low, Operand high) {
        if (low instanceof Operand.Literal lo && high instanceof Operand.Literal hi && lo.value() != null && hi.value() != null) {
            String bounds = "lower operand: AttributeValue: " + AttributeValues.describe(lo.value())
                    + ", upper operand: AttributeValue: " + AttributeValues.describe(hi.value());
            if (!lo.value().type().equals(hi.value().type())) {
                remember("The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
            } else if (ValueOrder.orderable(lo.value()) && ValueOrder.compare(lo.value(), hi.value()) > 0) {
                remember("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
            }
        }
    }

    private void checkOverlaps(List<Path> paths) {
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                if (paths.get(i).overlaps(paths.get(j))) {
                    remember("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: "
                            + paths.get(i).describe() + ", path two: " + paths.get(j).describe());
                    return;
                }
            }
        }
    }

    // ---- tokens

    private boolean isFunctionCall() {
        return peek().is(Token.Kind.NAME) && tokens.get(pos + 1).is(Token.Kind.LPAREN);
    }

    private Token peek() { return tokens.get(pos); }

    private Token next() { return tokens.get(pos++); }

    private boolean accept(Token.Kind kind) {
        if (peek().is(kind)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(Token.Kind kind) {
        if (!accept(kind)) {
            throw syntaxError();
        }
    }

    private void expectEnd() {
        if (!peek().is(Token.Kind.EOF)) {
            throw syntaxError();
        }
    }

    private void requireNotEmpty() {
        if (peek().is(Token.Kind.EOF)) {
            throw error("The expression can not be empty;");
        }
    }

    private void remember(String message) {
        if (problem == null) {
            problem = error(message);
        }
    }

    private <T> T finish(T result) {
        if (problem != null) {
            throw problem;
        }
        return result;
    }

    /** 'Syntax error; token: "x", near: "y x"': near spans the previous token through this one. */
    private AwsException syntaxError() {
        Token t = peek();
        Token previous = pos > 0 ? tokens.get(pos - 1) : null;
        String near;
        if (t.is(Token.Kind.EOF)) {
            near = previous == null ? "" : source.substring(previous.start(), previous.end());
        } else {
            near = source.substring(previous == null ? t.start() : previous.start(), t.end());
        }
        return error("Syntax error; token: \"" + t.display() + "\", near: \"" + near + "\"");
    }

    private AwsException error(String message) {
        return Errors.validation("Invalid " + label + ": " + message);
    }

}
