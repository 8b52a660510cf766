package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SQL of S3 Select, parsed and evaluated: SELECT * or expressions with aliases, FROM S3Object [AS] s, WHERE
 * with comparisons, AND/OR/NOT, LIKE, IS [NOT] NULL, [NOT] IN, [NOT] BETWEEN, arithmetic and ||, CAST, the string
 * functions LOWER, UPPER, CHAR_LENGTH, SUBSTRING, TRIM, the aggregates COUNT, SUM, AVG, MIN, MAX, and LIMIT.
 * Records are maps from column name to value (CSV fields also answer to _1, _2...). Errors are S3's
 * (ParseUnexpectedToken, ParseExpectedKeyword... as HTTP 400).
 */
final class SelectSql {
    /** A record being read: its named values, and its values by position (CSV's _1, _2...) or null. */
    record Row(Map<String, Object> named, List<Object> positional) {
    }

    /** A selected column: its expression and output name. */
    record Column(Expr expr, String name) {
    }

    interface Expr {
        Object eval(Row row, Aggregates agg);
    }

    private static final Set<String> KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IS",
            "NULL", "IN", "BETWEEN", "AS", "LIMIT", "CAST", "TRUE", "FALSE", "ESCAPE");
    private static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX");

    final List<Column> columns; // null for SELECT *
    final String alias;
    final List<String> fromPath;
    final Expr where;
    final Long limit;
    final List<AggregateCall> aggregateCalls = new ArrayList<>();

    private final List<Token> tokens;
    private int pos;

    private SelectSql(String sql) {
        this.tokens = lex(sql);
        expectKeyword("SELECT");
        List<Column> cols = null;
        if (peekIs("*")) {
            pos++;
        } else {
            cols = new ArrayList<>();
            do {
                Expr e = expr();
                String name = null;
                if (acceptKeyword("AS")) {
                    name = identifier();
                } else if (peek().type == Type.IDENT && !isKeyword(peek())) {
                    name = identifier();
                }
                if (name == null && e instanceof PathRef p && p.path.size() > 0) {
                    name = p.path.get(p.path.size() - 1).name;
                }
                cols.add(new Column(e, name == null ? "_" + (cols.size() + 1) : name));
            } while (accept(","));
        }
        this.columns = cols;
        expectKeyword("FROM");
        Token from = next();
        if (from.type != Type.IDENT || !from.text.equalsIgnoreCase("S3Object")) {
            throw error("ParseUnexpectedToken", from, "S3Object");
        }
        List<String> path = new ArrayList<>();
        while (peekIs(".") || peekIs("[")) {
            if (accept(".")) {
                path.add(identifier());
            } else {
                pos++;
                if (!accept("*")) {
                    throw error("ParseUnexpectedToken", peek(), "*");
                }
                expect("]");
            }
        }
        this.fromPath = path;
        String a = null;
        if (acceptKeyword("AS")) {
            a = identifier();
        } else if (peek().type == Type.IDENT && !isKeyword(peek())) {
            a = identifier();
        }
        this.alias = a;
        this.where = acceptKeyword("WHERE") ? expr() : null;
        Long lim = null;
        if (acceptKeyword("LIMIT")) {
            Token t = next();
            if (t.type != Type.NUMBER || t.text.contains(".")) {
                throw error("ParseUnexpectedToken", t, "an integer");
            }
            lim = Long.parseLong(t.text);
        }
        this.limit = lim;
        if (peek().type != Type.END) {
            throw error("ParseUnexpectedToken", peek(), null);
        }
        if (where != null && containsAggregate(where)) {
            throw new AwsException("InvalidQuery", "Aggregate functions are not allowed in the WHERE clause.", 400);
        }
    }

    static SelectSql parse(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new AwsException("MissingRequiredParameter", "The SelectRequest entity is missing a required parameter: Expression.", 400);
        }
        return new SelectSql(sql);
    }

    boolean aggregating() {
        return !aggregateCalls.isEmpty();
    }

    boolean matches(Row row) {
        return where == null || Boolean.TRUE.equals(where.eval(row, null));
    }

    private boolean containsAggregate(Expr e) {
        return e instanceof AggregateCall;
    }

    // --- lexing

    private enum Type { IDENT, QUOTED_IDENT, STRING, NUMBER, SYMBOL, END }

    private record Token(Type type, String text, int at) {
    }

    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Type.IDENT, s.substring(i, j), i));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Type.NUMBER, s.substring(i, j), i));
                i = j;
            } else if (c == '\'' || c == '"') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= s.length()) {
                        throw new AwsException("LexerInvalidChar", "Invalid character: unterminated quote at position " + (i + 1) + ".", 400);
                    }
                    if (s.charAt(j) == c) {
                        if (j + 1 < s.length() && s.charAt(j + 1) == c) {
                            b.append(c);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    b.append(s.charAt(j++));
                }
                out.add(new Token(c == '\'' ? Type.STRING : Type.QUOTED_IDENT, b.toString(), i));
                i = j + 1;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("<>") || two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("||")) {
                    out.add(new Token(Type.SYMBOL, two, i));
                    i += 2;
                } else if ("*,.()[]=<>+-/%".indexOf(c) >= 0) {
                    out.add(new Token(Type.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw new AwsException("LexerInvalidChar", "Invalid character at position " + (i + 1) + ": " + c, 400);
                }
            }
        }
        out.add(new Token(Type.END, "", s.length()));
        return out;
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private boolean peekIs(String symbol) {
        return peek().type == Type.SYMBOL && peek().text.equals(symbol);
    }

    private boolean accept(String symbol) {
        if (peekIs(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        if (!accept(symbol)) {
            throw error("ParseUnexpectedToken", peek(), symbol);
        }
    }

    private static boolean isKeyword(Token t) {
        return t.type == Type.IDENT && KEYWORDS.contains(t.text.toUpperCase(Locale.ROOT));
    }

    private boolean peekKeyword(String kw) {
        return peek().type == Type.IDENT && peek().text.equalsIgnoreCase(kw);
    }

    private boolean acceptKeyword(String kw) {
        if (peekKeyword(kw)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectKeyword(String kw) {
        if (!acceptKeyword(kw)) {
            throw error("ParseExpectedKeyword", peek(), kw);
        }
    }

    private String identifier() {
        Token t = next();
        if (t.type == Type.QUOTED_IDENT || (t.type == Type.IDENT && !isKeyword(t))) {
            return t.text;
        }
        throw error("ParseUnexpectedToken", t, "an identifier");
    }

    private static AwsException error(String code, Token t, String expected) {
        String what = t.type == Type.END ? "end of input" : "'" + t.text + "'";
        String message = code.equals("ParseExpectedKeyword")
                ? "Did not find the expected keyword " + expected + " in the SQL expression, at position " + (t.at + 1) + "."
                : "Unexpected token " + what + " at position " + (t.at + 1) + " in the SQL expression"
                        + (expected == null ? "." : ", expected " + expected + ".");
        return new AwsException(code, message, 400);
    }

    // --- parsing expressions

    private Expr expr() {
        Expr left = and();
        while (acceptKeyword("OR")) {
            Expr l = left;
            Expr r = and();
            left = (row, agg) -> {
                Object a = l.eval(row, agg);
                Object b = r.eval(row, agg);
                if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
                    return true;
                }
                return a == null || b == null ? null : false;
            };
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (acceptKeyword("AND")) {
            Expr l = left;
            Expr r = not();
            left = (row, agg) -> {
                Object a = l.eval(row, agg);
                Object b = r.eval(row, agg);
                if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
                    return false;
                }
                return a == null || b == null ? null : true;
            };
        }
        return left;
    }

    private Expr not() {
        if (acceptKeyword("NOT")) {
            Expr e = not();
            return (row, agg) -> {
                Object v = e.eval(row, agg);
                return v == null ? null : !truth(v);
            };
        }
        return predicate();
    }

    private Expr predicate() {
        Expr left = additive();
        Token t = peek();
        if (t.type == Type.SYMBOL && Set.of("=", "<>", "!=", "<", ">", "<=", ">=").contains(t.text)) {
            pos++;
            Expr right = additive();
            String op = t.text;
            return (row, agg) -> {
                Object a = left.eval(row, agg);
                Object b = right.eval(row, agg);
                if (a == null || b == null) {
                    return null;
                }
                int c = compare(a, b);
                return switch (op) {
                    case "=" -> c == 0;
                    case "<>", "!=" -> c != 0;
                    case "<" -> c < 0;
                    case ">" -> c > 0;
                    case "<=" -> c <= 0;
                    default -> c >= 0;
                };
            };
        }
        if (acceptKeyword("IS")) {
            boolean negate = acceptKeyword("NOT");
            if (!acceptKeyword("NULL") && !acceptKeyword("MISSING")) {
                throw error("ParseExpectedKeyword", peek(), "NULL");
            }
            return (row, agg) -> (left.eval(row, agg) == null) != negate;
        }
        boolean negate = acceptKeyword("NOT");
        if (acceptKeyword("LIKE")) {
            Expr pattern = additive();
            Expr escape = acceptKeyword("ESCAPE") ? additive() : null;
            return (row, agg) -> {
                Object v = left.eval(row, agg);
                Object p = pattern.eval(row, agg);
                if (v == null || p == null) {
                    return null;
                }
                String esc = escape == null ? null : text(escape.eval(row, agg));
                return like(text(v), text(p), esc) != negate;
            };
        }
        if (acceptKeyword("IN")) {
            expect("(");
            List<Expr> items = new ArrayList<>();
            do {
                items.add(expr());
            } while (accept(","));
            expect(")");
            return (row, agg) -> {
                Object v = left.eval(row, agg);
                if (v == null) {
                    return null;
                }
                for (Expr i : items) {
                    Object o = i.eval(row, agg);
                    if (o != null && compare(v, o) == 0) {
                        return !negate;
                    }
                }
                return negate;
            };
        }
        if (acceptKeyword("BETWEEN")) {
            Expr low = additive();
            expectKeyword("AND");
            Expr high = additive();
            return (row, agg) -> {
                Object v = left.eval(row, agg);
                Object lo = low.eval(row, agg);
                Object hi = high.eval(row, agg);
                if (v == null || lo == null || hi == null) {
                    return null;
                }
                return (compare(v, lo) >= 0 && compare(v, hi) <= 0) != negate;
            };
        }
        if (negate) {
            throw error("ParseUnexpectedToken", peek(), "LIKE, IN or BETWEEN");
        }
        return left;
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (peekIs("+") || peekIs("-") || peekIs("||")) {
            String op = next().text;
            Expr l = left;
            Expr r = multiplicative();
            left = (row, agg) -> {
                Object a = l.eval(row, agg);
                Object b = r.eval(row, agg);
                if (a == null || b == null) {
                    return null;
                }
                if (op.equals("||")) {
                    return text(a) + text(b);
                }
                return arithmetic(op, a, b);
            };
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (peekIs("*") || peekIs("/") || peekIs("%")) {
            String op = next().text;
            Expr l = left;
            Expr r = unary();
            left = (row, agg) -> {
                Object a = l.eval(row, agg);
                Object b = r.eval(row, agg);
                return a == null || b == null ? null : arithmetic(op, a, b);
            };
        }
        return left;
    }

    private Expr unary() {
        if (accept("-")) {
            Expr e = unary();
            return (row, agg) -> {
                Object v = e.eval(row, agg);
                return v == null ? null : arithmetic("-", 0L, v);
            };
        }
        return primary();
    }

    private Expr primary() {
        Token t = next();
        switch (t.type) {
            case STRING:
                return (row, agg) -> t.text;
            case NUMBER: {
                Object n = t.text.contains(".") ? new BigDecimal(t.text) : (Object) Long.parseLong(t.text);
                return (row, agg) -> n;
            }
            case SYMBOL:
                if (t.text.equals("(")) {
                    Expr e = expr();
                    expect(")");
                    return e;
                }
                throw error("ParseUnexpectedToken", t, "an expression");
            case QUOTED_IDENT:
                pos--;
                return path();
            case IDENT:
                break;
            default:
                throw error("ParseUnexpectedToken", t, "an expression");
        }
        String word = t.text.toUpperCase(Locale.ROOT);
        if (word.equals("NULL") || word.equals("MISSING")) {
            return (row, agg) -> null;
        }
        if (word.equals("TRUE") || word.equals("FALSE")) {
            boolean b = word.equals("TRUE");
            return (row, agg) -> b;
        }
        if (isKeyword(t) && !word.equals("CAST")) {
            throw error("ParseUnexpectedToken", t, "an expression");
        }
        if (!peekIs("(")) {
            pos--;
            return path();
        }
        pos++; // (
        if (word.equals("CAST")) {
            Expr e = expr();
            expectKeyword("AS");
            String type = next().text.toUpperCase(Locale.ROOT);
            expect(")");
            return (row, agg) -> cast(e.eval(row, agg), type);
        }
        if (AGGREGATES.contains(word)) {
            Expr arg = null;
            if (word.equals("COUNT") && accept("*")) {
                arg = (row, agg) -> 1L;
            } else {
                arg = expr();
            }
            expect(")");
            AggregateCall call = new AggregateCall(word, arg, aggregateCalls.size());
            aggregateCalls.add(call);
            return call;
        }
        List<Expr> args = new ArrayList<>();
        switch (word) {
            case "SUBSTRING": {
                args.add(expr());
                if (acceptKeyword("FROM") || accept(",")) {
                    args.add(expr());
                    if (acceptKeyword("FOR") || accept(",")) {
                        args.add(expr());
                    }
                }
                expect(")");
                return (row, agg) -> substring(args.stream().map(a -> a.eval(row, agg)).toList());
            }
            case "TRIM": {
                String where = "BOTH";
                Expr chars = null;
                if (peekKeyword("LEADING") || peekKeyword("TRAILING") || peekKeyword("BOTH")) {
                    where = next().text.toUpperCase(Locale.ROOT);
                    if (!peekKeyword("FROM")) {
                        chars = expr();
                    }
                    expectKeyword("FROM");
                }
                Expr target = expr();
                expect(")");
                String side = where;
                Expr trimChars = chars;
                return (row, agg) -> {
                    Object v = target.eval(row, agg);
                    String c = trimChars == null ? " " : text(trimChars.eval(row, agg));
                    return v == null ? null : trim(text(v), c, side);
                };
            }
            case "LOWER", "UPPER", "CHAR_LENGTH", "CHARACTER_LENGTH": {
                Expr e = expr();
                expect(")");
                return (row, agg) -> {
                    Object v = e.eval(row, agg);
                    if (v == null) {
                        return null;
                    }
                    String s = text(v);
                    return switch (word) {
                        case "LOWER" -> s.toLowerCase(Locale.ROOT);
                        case "UPPER" -> s.toUpperCase(Locale.ROOT);
                        default -> (long) s.codePointCount(0, s.length());
                    };
                };
            }
            default:
                throw new AwsException("UnsupportedFunction", "Function " + t.text + " is not supported.", 400);
        }
    }

    /** s._1, s.name, s."Name", name, _1: the first part is dropped when it is the FROM alias. */
    private Expr path() {
        List<Part> parts = new ArrayList<>();
        parts.add(part(next()));
        while (accept(".")) {
            parts.add(part(next()));
        }
        return new PathRef(parts, this);
    }

    private Part part(Token t) {
        if (t.type == Type.QUOTED_IDENT) {
            return new Part(t.text, true);
        }
        if (t.type == Type.IDENT) {
            return new Part(t.text, false);
        }
        throw error("ParseUnexpectedToken", t, "an identifier");
    }

    private record Part(String name, boolean quoted) {
    }

    private static final class PathRef implements Expr {
        final List<Part> path;
        final SelectSql sql;

        PathRef(List<Part> path, SelectSql sql) {
            this.path = path;
            this.sql = sql;
        }

        @Override
        public Object eval(Row row, Aggregates agg) {
            List<Part> p = path;
            if (p.size() > 1 && sql.alias != null && p.get(0).name.equalsIgnoreCase(sql.alias)) {
                p = p.subList(1, p.size());
            } else if (p.size() == 1 && sql.alias != null && p.get(0).name.equalsIgnoreCase(sql.alias) && !p.get(0).quoted) {
                return row.named;
            }
            Object v = lookup(row.named, row.positional, p.get(0));
            for (int i = 1; i < p.size() && v != null; i++) {
                v = v instanceof Map<?, ?> m ? lookup(m, null, p.get(i)) : null;
            }
            return v;
        }

        private static Object lookup(Map<?, ?> map, List<Object> positional, Part part) {
            String n = part.name;
            if (positional != null && !part.quoted && n.startsWith("_") && n.length() > 1 && n.substring(1).chars().allMatch(Character::isDigit)) {
                int i = Integer.parseInt(n.substring(1));
                if (i < 1) {
                    throw new AwsException("InvalidColumnIndex", "The column index at line 1, column " + n + " is invalid.", 400);
                }
                return i <= positional.size() ? positional.get(i - 1) : null;
            }
            if (map.containsKey(n)) {
                return map.get(n);
            }
            if (!part.quoted) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (String.valueOf(e.getKey()).equalsIgnoreCase(n)) {
                        return e.getValue();
                    }
                }
            }
            return null;
        }
    }

    // --- aggregates

    /** The running state of the query's aggregate calls. */
    static final class Aggregates {
        final Object[] values;
        final long[] counts;

        Aggregates(int n) {
            values = new Object[n];
            counts = new long[n];
        }
    }

    static final class AggregateCall implements Expr {
        final String function;
        final Expr arg;
        final int index;

        AggregateCall(String function, Expr arg, int index) {
            this.function = function;
            this.arg = arg;
            this.index = index;
        }

        void accumulate(Row row, Aggregates agg) {
            Object v = arg.eval(row, null);
            if (v == null) {
                return;
            }
            agg.counts[index]++;
            Object cur = agg.values[index];
            switch (function) {
                case "COUNT" -> {
                }
                case "SUM", "AVG" -> agg.values[index] = cur == null ? number(v) : arithmetic("+", cur, number(v));
                case "MIN" -> agg.values[index] = cur == null || compare(v, cur) < 0 ? v : cur;
                default -> agg.values[index] = cur == null || compare(v, cur) > 0 ? v : cur;
            }
        }

        @Override
        public Object eval(Row row, Aggregates agg) {
            if (agg == null) {
                throw new AwsException("InvalidQuery", "Aggregate functions are only allowed in the SELECT list.", 400);
            }
            return switch (function) {
                case "COUNT" -> agg.counts[index];
                case "AVG" -> agg.counts[index] == 0 ? null
                        : toDecimal(agg.values[index]).divide(BigDecimal.valueOf(agg.counts[index]), 10, RoundingMode.HALF_UP)
                        .stripTrailingZeros();
                default -> agg.values[index];
            };
        }
    }

    Aggregates newAggregates() {
        return new Aggregates(aggregateCalls.size());
    }

    void accumulate(Row row, Aggregates agg) {
        for (AggregateCall c : aggregateCalls) {
            c.accumulate(row, agg);
        }
    }

    // --- values

    static boolean truth(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new AwsException("EvaluatorInvalidArguments", "Incorrect argument type for a boolean operator.", 400);
    }

    static String text(Object v) {
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString(d.longValue()) : d.toString();
        }
        return String.valueOf(v);
    }

    private static Object number(Object v) {
        if (v instanceof Long || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Number n) {
            return n instanceof Integer ? (Object) n.longValue() : BigDecimal.valueOf(n.doubleValue());
        }
        Object parsed = parseNumber(text(v).trim());
        if (parsed == null) {
            throw new AwsException("EvaluatorInvalidArguments", "Incorrect argument type for a numeric operation: '" + v + "'.", 400);
        }
        return parsed;
    }

    private static Object parseNumber(String s) {
        try {
            if (s.matches("[+-]?\\d+")) {
                return Long.parseLong(s);
            }
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BigDecimal toDecimal(Object v) {
        Object n = number(v);
        return n instanceof Long l ? BigDecimal.valueOf(l) : (BigDecimal) n;
    }

    static Object arithmetic(String op, Object a, Object b) {
        Object x = number(a);
        Object y = number(b);
        if (x instanceof Long l && y instanceof Long r) {
            return switch (op) {
                case "+" -> l + r;
                case "-" -> l - r;
                case "*" -> l * r;
                case "/" -> {
                    if (r == 0) {
                        throw new AwsException("EvaluatorDivisionByZero", "Division by zero.", 400);
                    }
                    yield l / r;
                }
                default -> {
                    if (r == 0) {
                        throw new AwsException("EvaluatorDivisionByZero", "Division by zero.", 400);
                    }
                    yield l % r;
                }
            };
        }
        BigDecimal l = toDecimal(x);
        BigDecimal r = toDecimal(y);
        return switch (op) {
            case "+" -> l.add(r);
            case "-" -> l.subtract(r);
            case "*" -> l.multiply(r);
            default -> {
                if (r.signum() == 0) {
                    throw new AwsException("EvaluatorDivisionByZero", "Division by zero.", 400);
                }
                yield op.equals("/") ? l.divide(r, 10, RoundingMode.HALF_UP).stripTrailingZeros() : l.remainder(r);
            }
        };
    }

    /** Compares two values: numerically when either is a number (and the other reads as one), else as text. */
    static int compare(Object a, Object b) {
        if (a instanceof Number || b instanceof Number) {
            Object x = a instanceof Number ? a : parseNumber(text(a).trim());
            Object y = b instanceof Number ? b : parseNumber(text(b).trim());
            if (x != null && y != null) {
                return toDecimal(x).compareTo(toDecimal(y));
            }
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return Boolean.compare(truth(a), truth(b));
        }
        return text(a).compareTo(text(b));
    }

    static Object cast(Object v, String type) {
        if (v == null) {
            return null;
        }
        String s = text(v).trim();
        try {
            return switch (type) {
                case "INT", "INTEGER", "BIGINT", "SMALLINT" -> v instanceof Number n ? (Object) toDecimal(n).longValue()
                        : s.contains(".") ? (Object) new BigDecimal(s).longValue() : Long.parseLong(s);
                case "FLOAT", "REAL", "DOUBLE", "DECIMAL", "NUMERIC" -> new BigDecimal(s);
                case "STRING", "VARCHAR", "CHAR" -> text(v);
                case "BOOL", "BOOLEAN" -> truth(v);
                default -> throw new AwsException("UnsupportedSyntax", "Unsupported CAST type: " + type + ".", 400);
            };
        } catch (NumberFormatException e) {
            throw new AwsException("CastFailed", "Attempt to convert from one data type to another using CAST failed in the SQL expression.", 400);
        }
    }

    private static Object substring(List<Object> args) {
        if (args.size() < 2 || args.get(0) == null || args.get(1) == null) {
            return args.isEmpty() || args.get(0) == null ? null : args.get(0);
        }
        String s = text(args.get(0));
        long start = (Long) cast(args.get(1), "INT");
        long end = args.size() > 2 && args.get(2) != null ? start + (Long) cast(args.get(2), "INT") : Long.MAX_VALUE;
        int from = (int) Math.max(1, start) - 1;
        int to = (int) Math.min(s.length(), Math.max(0, end - 1));
        return from >= to ? "" : s.substring(Math.min(from, s.length()), to);
    }

    private static String trim(String s, String chars, String side) {
        int a = 0;
        int b = s.length();
        if (!side.equals("TRAILING")) {
            while (a < b && chars.indexOf(s.charAt(a)) >= 0) {
                a++;
            }
        }
        if (!side.equals("LEADING")) {
            while (b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
                b--;
            }
        }
        return s.substring(a, b);
    }

    static boolean like(String value, String pattern, String escape) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && !escape.isEmpty() && c == escape.charAt(0) && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /** The output record of one input row (not aggregating): column name to value. */
    Map<String, Object> project(Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (columns == null) {
            out.putAll(row.named);
            return out;
        }
        for (Column c : columns) {
            out.put(c.name, c.expr.eval(row, null));
        }
        return out;
    }

    /** The one output record of an aggregating query. */
    Map<String, Object> project(Aggregates agg) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Column c : columns) {
            out.put(c.name, c.expr.eval(new Row(Map.of(), List.of()), agg));
        }
        return out;
    }
}
