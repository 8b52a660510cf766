package dev.terrarium.services.dynamodb.partiql;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.Errors;
import dev.terrarium.services.dynamodb.Numbers;
import dev.terrarium.services.dynamodb.expressions.Condition;
import dev.terrarium.services.dynamodb.expressions.Operand;
import dev.terrarium.services.dynamodb.expressions.Path;
import dev.terrarium.services.dynamodb.expressions.UpdateExpression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recursive-descent parser of DynamoDB's PartiQL: SELECT, INSERT, UPDATE and DELETE with WHERE conditions,
 * literals ('s', numbers, true/false/null, {maps}, [lists], <<sets>>) and ? parameters.
 */
public final class PartiqlParser {
    private final String src;
    private final List<AttributeValue> parameters;
    private int pos;
    private int nextParameter;

    private PartiqlParser(String src, List<AttributeValue> parameters) {
        this.src = src;
        this.parameters = parameters == null ? List.of() : parameters;
    }

    public static Statement parse(String statement, List<AttributeValue> parameters) {
        PartiqlParser p = new PartiqlParser(statement, parameters);
        Statement s = p.statement();
        p.skipSpace();
        if (p.pos < p.src.length() && p.src.charAt(p.pos) == ';') {
            p.pos++;
            p.skipSpace();
        }
        if (p.pos < p.src.length()) {
            throw p.error("Unexpected token: " + p.src.substring(p.pos).split("\\s+")[0]);
        }
        if (p.nextParameter != p.parameters.size()) {
            throw Errors.validation("Number of parameters in request and statement don't match.");
        }
        return s;
    }

    private Statement statement() {
        String verb = word();
        switch (verb) {
            case "SELECT" -> {
                List<Path> projection = new ArrayList<>();
                if (accept("*")) {
                    projection = List.of();
                } else {
                    do {
                        projection.add(path());
                    } while (accept(","));
                }
                keyword("FROM");
                String table = identifier();
                String index = accept(".") ? identifier() : null;
                Condition where = acceptWord("WHERE") ? condition() : null;
                return new Statement.Select(table, index, projection, where);
            }
            case "INSERT" -> {
                keyword("INTO");
                String table = identifier();
                keyword("VALUE");
                AttributeValue v = value();
                if (!(v instanceof AttributeValue.M m)) {
                    throw error("INSERT VALUE must be a map");
                }
                return new Statement.Insert(table, m.values());
            }
            case "UPDATE" -> {
                String table = identifier();
                List<UpdateExpression.Action> actions = new ArrayList<>();
                while (true) {
                    if (acceptWord("SET")) {
                        do {
                            Path p = path();
                            expect("=");
                            actions.add(new UpdateExpression.Set(p, setValue()));
                        } while (accept(","));
                    } else if (acceptWord("REMOVE")) {
                        do {
                            actions.add(new UpdateExpression.Remove(path()));
                        } while (accept(","));
                    } else {
                        break;
                    }
                }
                if (actions.isEmpty()) {
                    throw error("Expected SET or REMOVE");
                }
                keyword("WHERE");
                Condition where = condition();
                return new Statement.Update(table, new UpdateExpression(actions), where, returning());
            }
            case "DELETE" -> {
                keyword("FROM");
                String table = identifier();
                keyword("WHERE");
                Condition where = condition();
                return new Statement.Delete(table, where, returning());
            }
            default -> throw error("Unexpected keyword: " + verb);
        }
    }

    private String returning() {
        if (!acceptWord("RETURNING")) {
            return null;
        }
        String which = word();
        String when = word();
        expect("*");
        return which + "_" + when;
    }

    // ---- conditions

    private Condition condition() {
        Condition c = andCondition();
        while (acceptWord("OR")) {
            c = new Condition.Or(c, andCondition());
        }
        return c;
    }

    private Condition andCondition() {
        Condition c = notCondition();
        while (acceptWord("AND")) {
            c = new Condition.And(c, notCondition());
        }
        return c;
    }

    private Condition notCondition() {
        if (acceptWord("NOT")) {
            return new Condition.Not(notCondition());
        }
        if (accept("(")) {
            Condition c = condition();
            expect(")");
            return c;
        }
        int start = pos;
        String name = peekWord();
        if (name != null) {
            String fn = name.toLowerCase(Locale.ROOT);
            int save = pos;
            word();
            skipSpace();
            if (pos < src.length() && src.charAt(pos) == '(' && List.of("begins_with", "contains", "attribute_type").contains(fn)) {
                expect("(");
                Operand a = operand();
                expect(",");
                Operand b = operand();
                expect(")");
                return switch (fn) {
                    case "begins_with" -> new Condition.BeginsWith(a, b);
                    case "contains" -> new Condition.Contains(a, b);
                    default -> new Condition.TypeIs(pathOf(a), b);
                };
            }
            pos = save;
        }
        pos = start;
        Operand left = operand();
        if (acceptWord("IS")) {
            boolean not = acceptWord("NOT");
            keyword("MISSING");
            return new Condition.Exists(pathOf(left), not);
        }
        if (acceptWord("BETWEEN")) {
            Operand lo = operand();
            keyword("AND");
            return new Condition.Between(left, lo, operand());
        }
        if (acceptWord("IN")) {
            String close = accept("[") ? "]" : null;
            if (close == null) {
                expect("(");
                close = ")";
            }
            List<Operand> candidates = new ArrayList<>();
            do {
                candidates.add(operand());
            } while (accept(","));
            expect(close);
            return new Condition.In(left, candidates);
        }
        for (String[] op : new String[][]{{"<>", "NE"}, {"!=", "NE"}, {"<=", "LE"}, {">=", "GE"}, {"=", "EQ"}, {"<", "LT"}, {">", "GT"}}) {
            if (accept(op[0])) {
                return new Condition.Compare(left, Condition.Comparator.valueOf(op[1]), operand());
            }
        }
        throw error("Expected a comparison");
    }

    private Path pathOf(Operand o) {
        if (o instanceof Operand.PathOperand p) {
            return p.path();
        }
        throw error("Expected an attribute path");
    }

    private Operand setValue() {
        Operand left = operand();
        if (accept("+")) {
            return new Operand.Arithmetic(left, true, operand());
        }
        if (accept("-")) {
            return new Operand.Arithmetic(left, false, operand());
        }
        return left;
    }

    private Operand operand() {
        skipSpace();
        if (pos >= src.length()) {
            throw error("Unexpected end of statement");
        }
        char c = src.charAt(pos);
        if (c == '"' || Character.isLetter(c) || c == '_') {
            String w = peekWord();
            if (w != null && List.of("TRUE", "FALSE", "NULL").contains(w.toUpperCase(Locale.ROOT))) {
                return new Operand.Literal(null, value());
            }
            return new Operand.PathOperand(path());
        }
        return new Operand.Literal(null, value());
    }

    private Path path() {
        List<Object> elements = new ArrayList<>();
        elements.add(identifier());
        while (true) {
            if (accept("[")) {
                skipSpace();
                int start = pos;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
                elements.add(Integer.parseInt(src.substring(start, pos)));
                expect("]");
            } else if (peekIs('.')) {
                pos++;
                elements.add(identifier());
            } else {
                break;
            }
        }
        return new Path(List.copyOf(elements));
    }

    // ---- literals

    private AttributeValue value() {
        skipSpace();
        if (accept("?")) {
            if (nextParameter >= parameters.size()) {
                throw Errors.validation("Number of parameters in request and statement don't match.");
            }
            return parameters.get(nextParameter++);
        }
        if (accept("<<")) {
            List<AttributeValue> elements = new ArrayList<>();
            if (!accept(">>")) {
                do {
                    elements.add(value());
                } while (accept(","));
                expect(">>");
            }
            return set(elements);
        }
        if (accept("{")) {
            Map<String, AttributeValue> m = new LinkedHashMap<>();
            if (!accept("}")) {
                do {
                    AttributeValue k = value();
                    if (!(k instanceof AttributeValue.S key)) {
                        throw error("Map keys must be strings");
                    }
                    expect(":");
                    m.put(key.value(), value());
                } while (accept(","));
                expect("}");
            }
            return new AttributeValue.M(java.util.Collections.unmodifiableMap(m));
        }
        if (accept("[")) {
            List<AttributeValue> l = new ArrayList<>();
            if (!accept("]")) {
                do {
                    l.add(value());
                } while (accept(","));
                expect("]");
            }
            return new AttributeValue.L(List.copyOf(l));
        }
        char c = src.charAt(pos);
        if (c == '\'') {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= src.length()) {
                    throw error("Unterminated string");
                }
                char x = src.charAt(pos++);
                if (x == '\'') {
                    if (pos < src.length() && src.charAt(pos) == '\'') {
                        sb.append('\'');
                        pos++;
                        continue;
                    }
                    break;
                }
                sb.append(x);
            }
            return new AttributeValue.S(sb.toString());
        }
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
            int start = pos++;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.'
                    || ((src.charAt(pos) == '-' || src.charAt(pos) == '+') && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E')))) {
                pos++;
            }
            return Numbers.parse(src.substring(start, pos));
        }
        String w = word();
        return switch (w) {
            case "TRUE" -> AttributeValue.Bool.TRUE;
            case "FALSE" -> AttributeValue.Bool.FALSE;
            case "NULL" -> AttributeValue.Null.INSTANCE;
            default -> throw error("Unexpected term: " + w);
        };
    }

    private AttributeValue set(List<AttributeValue> elements) {
        if (elements.isEmpty()) {
            throw error("Empty set");
        }
        if (elements.stream().allMatch(e -> e instanceof AttributeValue.S)) {
            LinkedHashSet<String> s = new LinkedHashSet<>();
            elements.forEach(e -> s.add(((AttributeValue.S) e).value()));
            return new AttributeValue.SS(List.copyOf(s));
        }
        if (elements.stream().allMatch(e -> e instanceof AttributeValue.N)) {
            LinkedHashSet<AttributeValue.N> s = new LinkedHashSet<>();
            elements.forEach(e -> s.add((AttributeValue.N) e));
            return new AttributeValue.NS(List.copyOf(s));
        }
        if (elements.stream().allMatch(e -> e instanceof AttributeValue.B)) {
            LinkedHashSet<AttributeValue.B> s = new LinkedHashSet<>();
            elements.forEach(e -> s.add((AttributeValue.B) e));
            return new AttributeValue.BS(List.copyOf(s));
        }
        throw error("Sets must hold values of one type: strings, numbers or binaries");
    }

    // ---- lexing helpers

    private String identifier() {
        skipSpace();
        if (pos < src.length() && src.charAt(pos) == '"') {
            int end = src.indexOf('"', pos + 1);
            if (end < 0) {
                throw error("Unterminated identifier");
            }
            String id = src.substring(pos + 1, end);
            pos = end + 1;
            return id;
        }
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_' || src.charAt(pos) == '-')) {
            pos++;
        }
        if (start == pos) {
            throw error("Expected an identifier");
        }
        return src.substring(start, pos);
    }

    private String peekWord() {
        int save = pos;
        skipSpace();
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        String w = start == pos ? null : src.substring(start, pos);
        pos = save;
        return w;
    }

    private String word() {
        skipSpace();
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error(pos < src.length() ? "Unexpected token: " + src.charAt(pos) : "Unexpected end of statement");
        }
        return src.substring(start, pos).toUpperCase(Locale.ROOT);
    }

    private boolean acceptWord(String w) {
        int save = pos;
        String next = peekWord();
        if (next != null && next.equalsIgnoreCase(w)) {
            word();
            return true;
        }
        pos = save;
        return false;
    }

    private void keyword(String w) {
        if (!acceptWord(w)) {
            throw error("Expected " + w);
        }
    }

    private boolean accept(String token) {
        skipSpace();
        if (src.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw error("Expected " + token);
        }
    }

    private boolean peekIs(char c) {
        return pos < src.length() && src.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private AwsException error(String detail) {
        return Errors.validation("Statement wasn't well formed, can't be processed: " + detail);
    }
}
