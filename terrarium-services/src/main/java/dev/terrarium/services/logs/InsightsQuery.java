package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A CloudWatch Logs Insights query (the CWLI language), parsed into commands and run over log records.
 * Commands: fields, display, filter, parse (glob and regex), stats (count, count_distinct, sum, avg, min,
 * max, earliest, latest, pct, stddev; by bin(…) and fields), sort, limit, dedup. Expressions: comparisons
 * (= != < > <= >=), like /regex/ or "substring", =~ /regex/, [not] in [...], and/or/not, + - * arithmetic,
 * and the functions ispresent, isempty, isblank, strlen, tolower, toupper, concat, coalesce, abs, floor,
 * ceil. Records carry @timestamp, @message, @logStream, @log, @ptr, @ingestionTime, the fields of JSON
 * messages (flattened with dots) and Lambda's REPORT fields (@type, @requestId, @duration...).
 */
final class InsightsQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final List<String> DEFAULT_FIELDS = List.of("@timestamp", "@message", "@logStream", "@log");
    private static final Pattern REPORT = Pattern.compile("^REPORT RequestId: (\\S+)\\s+Duration: ([\\d.]+) ms\\s+"
            + "Billed Duration: (\\d+) ms\\s+Memory Size: (\\d+) MB\\s+Max Memory Used: (\\d+) MB");
    private static final Pattern REQUEST_LINE = Pattern.compile("^(START|END) RequestId: (\\S+)");

    /** One record flowing through the commands: field name to value (String, Double, Long for @timestamp). */
    static final class Row extends LinkedHashMap<String, Object> {
    }

    private interface Command {
        List<Row> apply(List<Row> rows, Output out);
    }

    /** What the query shows: the columns, and whether rows are aggregates (no @ptr). */
    private static final class Output {
        List<String> columns;
        boolean aggregated;
    }

    private final List<Command> commands;

    private InsightsQuery(List<Command> commands) {
        this.commands = commands;
    }

    static InsightsQuery parse(String query) {
        try {
            return new Parser(new Lexer(query).tokens()).query();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new AwsException("MalformedQueryException", "unexpected symbol found in query: "
                    + (e.getMessage() == null ? "" : e.getMessage()));
        }
    }

    /** The result of a run: rows of (field, value) pairs as GetQueryResults returns them, and the matched count. */
    record Result(List<List<Map.Entry<String, String>>> rows, long recordsMatched) {
    }

    Result run(List<Row> input, int limit) {
        Output out = new Output();
        List<Row> rows = input;
        long matched = -1;
        for (Command c : commands) {
            if ((c instanceof StatsCommand || c instanceof LimitCommand) && matched < 0) {
                matched = rows.size();
            }
            rows = c.apply(rows, out);
        }
        if (matched < 0) {
            matched = rows.size();
        }
        List<String> columns = out.columns == null ? DEFAULT_FIELDS : out.columns;
        List<List<Map.Entry<String, String>>> result = new ArrayList<>();
        for (Row r : rows) {
            if (result.size() >= limit) {
                break;
            }
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            for (String c : columns) {
                Object v = r.get(c);
                if (v != null) {
                    fields.add(Map.entry(c, format(c, v)));
                }
            }
            if (!out.aggregated && r.get("@ptr") != null) {
                fields.add(Map.entry("@ptr", (String) r.get("@ptr")));
            }
            result.add(fields);
        }
        return new Result(result, matched);
    }

    static String format(String field, Object v) {
        // times are the only Long values (numbers are Doubles): @timestamp, @ingestionTime, bin(), datefloor()...
        if (v instanceof Long l) {
            return TIME.format(Instant.ofEpochMilli(l));
        }
        if (v instanceof Double d) {
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    // --- records

    /** The record of one event with the fields Insights discovers in it. */
    static Row record(String account, LogGroup group, LogStream stream, LogEvent e, String ptr) {
        return record(account, group, stream, e, ptr, false);
    }

    static Row record(String account, LogGroup group, LogStream stream, LogEvent e, String ptr, boolean unmask) {
        Row r = new Row();
        r.put("@timestamp", e.timestamp());
        r.put("@message", e.message(unmask));
        r.put("@logStream", stream.name);
        r.put("@log", account + ":" + group.name);
        r.put("@ingestionTime", e.ingestionTime());
        r.put("@ptr", ptr);
        String m = e.message(unmask).trim();
        if (m.startsWith("{")) {
            try {
                flatten("", JSON.readTree(m), r);
            } catch (Exception ignored) {
                // not JSON after all
            }
        } else if (m.startsWith("REPORT ")) {
            Matcher rm = REPORT.matcher(m);
            if (rm.find()) {
                r.put("@type", "REPORT");
                r.put("@requestId", rm.group(1));
                r.put("@duration", Double.parseDouble(rm.group(2)));
                r.put("@billedDuration", Double.parseDouble(rm.group(3)));
                r.put("@memorySize", Double.parseDouble(rm.group(4)) * 1_000_000);
                r.put("@maxMemoryUsed", Double.parseDouble(rm.group(5)) * 1_000_000);
            }
        } else {
            Matcher rl = REQUEST_LINE.matcher(m);
            if (rl.find()) {
                r.put("@type", rl.group(1));
                r.put("@requestId", rl.group(2));
            }
        }
        return r;
    }

    private static void flatten(String prefix, JsonNode node, Row into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                    f.getValue(), into));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "." + i, node.get(i), into);
            }
        } else if (!prefix.isEmpty() && !node.isNull()) {
            into.putIfAbsent(prefix, node.isNumber() ? (Object) node.asDouble() : node.asText());
        }
    }

    // --- lexer

    private enum T { IDENT, NUMBER, STRING, REGEX, OP, PIPE, EOF }

    private record Token(T type, String text) {
        boolean is(String s) {
            return (type == T.OP || type == T.IDENT) && text.equalsIgnoreCase(s);
        }
    }

    private static final class Lexer {
        private final String s;
        private final List<Token> out = new ArrayList<>();
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        List<Token> tokens() {
            while (true) {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    out.add(new Token(T.EOF, ""));
                    return out;
                }
                char c = s.charAt(i);
                if (c == '#') { // comment to end of line
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '|') {
                    out.add(new Token(T.PIPE, "|"));
                    i++;
                } else if (c == '"' || c == '\'') {
                    out.add(new Token(T.STRING, quoted(c)));
                } else if (c == '`') {
                    int end = s.indexOf('`', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("unclosed `");
                    }
                    out.add(new Token(T.IDENT, s.substring(i + 1, end)));
                    i = end + 1;
                } else if (c == '/' && regexExpected()) {
                    out.add(new Token(T.REGEX, regex()));
                } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                    int start = i;
                    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                        i++;
                    }
                    out.add(new Token(T.NUMBER, s.substring(start, i)));
                } else if (Character.isLetter(c) || c == '@' || c == '_' || c == '$') {
                    int start = i;
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "@_.$".indexOf(s.charAt(i)) >= 0)) {
                        i++;
                    }
                    out.add(new Token(T.IDENT, s.substring(start, i)));
                } else {
                    for (String op : new String[] {"!=", "<=", ">=", "=~", "==", "=", "<", ">", "(", ")", "[", "]", ",",
                            "+", "-", "*", "/", "%"}) {
                        if (s.startsWith(op, i)) {
                            out.add(new Token(T.OP, op.equals("==") ? "=" : op));
                            i += op.length();
                            c = 0;
                            break;
                        }
                    }
                    if (c != 0) {
                        throw new IllegalArgumentException(String.valueOf(c));
                    }
                }
            }
        }

        private boolean regexExpected() {
            if (out.isEmpty()) {
                return false;
            }
            Token last = out.get(out.size() - 1);
            if (last.is("like") || last.is("=~") || last.is("(") || last.is(",") || last.is("[") || last.is("=")
                    || last.is("!=")) {
                return true;
            }
            // parse @message /(?<x>...)/
            return out.size() >= 2 && out.get(out.size() - 2).is("parse") && last.type == T.IDENT;
        }

        private String quoted(char q) {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length() && s.charAt(i) != q) {
                if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                    i++;
                }
                b.append(s.charAt(i++));
            }
            if (i >= s.length()) {
                throw new IllegalArgumentException("unclosed string");
            }
            i++;
            return b.toString();
        }

        private String regex() {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length() && s.charAt(i) != '/') {
                if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                    if (s.charAt(i + 1) != '/') {
                        b.append('\\');
                    }
                    i++;
                }
                b.append(s.charAt(i++));
            }
            if (i >= s.length()) {
                throw new IllegalArgumentException("unclosed regex");
            }
            i++;
            return b.toString();
        }
    }

    // --- expressions

    private interface Expr extends Function<Row, Object> {
    }

    private record Named(Expr expr, String name) {
    }

    private static final class Parser {
        private final List<Token> t;
        private int p;

        Parser(List<Token> tokens) {
            this.t = tokens;
        }

        private Token peek() {
            return t.get(p);
        }

        private Token next() {
            return t.get(p++);
        }

        private boolean take(String s) {
            if (peek().is(s)) {
                p++;
                return true;
            }
            return false;
        }

        private void expect(String s) {
            if (!take(s)) {
                throw new IllegalArgumentException("'" + s + "' expected near '" + peek().text + "'");
            }
        }

        InsightsQuery query() {
            List<Command> commands = new ArrayList<>();
            while (peek().type != T.EOF) {
                if (peek().type == T.PIPE) {
                    p++;
                    continue;
                }
                commands.add(command());
                if (peek().type != T.PIPE && peek().type != T.EOF) {
                    throw new IllegalArgumentException(peek().text);
                }
            }
            if (commands.isEmpty()) {
                throw new IllegalArgumentException("empty query");
            }
            return new InsightsQuery(commands);
        }

        private Command command() {
            Token c = next();
            if (c.type != T.IDENT) {
                throw new IllegalArgumentException(c.text);
            }
            switch (c.text.toLowerCase(Locale.ROOT)) {
                case "fields":
                    return fields(false);
                case "display":
                    return fields(true);
                case "filter": {
                    Expr e = or();
                    return (rows, out) -> rows.stream().filter(r -> truthy(e.apply(r))).toList();
                }
                case "parse":
                    return parseCommand();
                case "stats":
                    return stats();
                case "sort":
                    return sort();
                case "limit": {
                    Token n = next();
                    if (n.type != T.NUMBER) {
                        throw new IllegalArgumentException("limit needs a number");
                    }
                    int max = Integer.parseInt(n.text);
                    return (LimitCommand) (rows, out) -> rows.subList(0, Math.min(max, rows.size()));
                }
                case "dedup":
                    return dedup();
                default:
                    throw new IllegalArgumentException(c.text);
            }
        }

        private Command fields(boolean display) {
            List<Named> list = namedList();
            return (rows, out) -> {
                List<Row> result = new ArrayList<>();
                for (Row r : rows) {
                    Row copy = new Row();
                    copy.putAll(r);
                    for (Named n : list) {
                        Object v = n.expr.apply(r);
                        if (v != null) {
                            copy.put(n.name, v);
                        }
                    }
                    result.add(copy);
                }
                List<String> columns = display || out.columns == null ? new ArrayList<>() : new ArrayList<>(out.columns);
                for (Named n : list) {
                    if (!columns.contains(n.name)) {
                        columns.add(n.name);
                    }
                }
                out.columns = columns;
                return result;
            };
        }

        private List<Named> namedList() {
            List<Named> list = new ArrayList<>();
            do {
                int start = p;
                Expr e = additive();
                String name = take("as") ? next().text : source(start, p);
                list.add(new Named(e, name));
            } while (take(","));
            return list;
        }

        /** The text of tokens [from, to) as AWS names an unaliased expression: count(*), bin(5m), a.b. */
        private String source(int from, int to) {
            StringBuilder b = new StringBuilder();
            for (int i = from; i < to; i++) {
                Token k = t.get(i);
                if (b.length() > 0 && k.type != T.OP && !t.get(i - 1).is("(") && !t.get(i - 1).is("[")
                        && !(t.get(i - 1).type == T.NUMBER && k.type == T.IDENT)) {
                    b.append(k.is(",") ? "" : " ");
                }
                if (k.is(",")) {
                    b.append(", ");
                    continue;
                }
                if (k.type == T.OP && (k.text.equals("=") || k.text.equals("+") || k.text.equals("-"))) {
                    b.append(' ').append(k.text).append(' ');
                    continue;
                }
                b.append(k.type == T.STRING ? "\"" + k.text + "\"" : k.type == T.REGEX ? "/" + k.text + "/" : k.text);
            }
            return b.toString().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").trim();
        }

        private Command parseCommand() {
            Expr source = r -> r.get("@message");
            if (peek().type == T.IDENT) {
                String field = next().text;
                source = r -> r.get(field);
            }
            Token pattern = next();
            Expr from = source;
            if (pattern.type == T.REGEX) {
                Map<String, String> names = new LinkedHashMap<>();
                Matcher g = Pattern.compile("\\(\\?<([A-Za-z_@][\\w.@]*)>").matcher(pattern.text);
                StringBuilder re = new StringBuilder();
                int n = 0;
                while (g.find()) {
                    String alias = "g" + n++;
                    names.put(alias, g.group(1));
                    g.appendReplacement(re, Matcher.quoteReplacement("(?<" + alias + ">"));
                }
                g.appendTail(re);
                if (names.isEmpty()) {
                    throw new IllegalArgumentException("parse with a regular expression needs named groups");
                }
                Pattern compiled = compile(re.toString());
                return (rows, out) -> {
                    for (Row r : rows) {
                        Object v = from.apply(r);
                        if (v == null) {
                            continue;
                        }
                        Matcher m = compiled.matcher(String.valueOf(v));
                        if (m.find()) {
                            names.forEach((alias, field) -> {
                                if (m.group(alias) != null) {
                                    r.put(field, m.group(alias));
                                }
                            });
                        }
                    }
                    return rows;
                };
            }
            if (pattern.type != T.STRING) {
                throw new IllegalArgumentException("parse needs a \"glob\" or a /regex/");
            }
            expect("as");
            List<String> fields = new ArrayList<>();
            do {
                fields.add(next().text);
            } while (take(","));
            String[] parts = pattern.text.split("\\*", -1);
            if (parts.length - 1 != fields.size()) {
                throw new IllegalArgumentException("parse: " + (parts.length - 1) + " wildcards for " + fields.size() + " fields");
            }
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                re.append(Pattern.quote(parts[i]));
                if (i < parts.length - 1) {
                    re.append(i == parts.length - 2 && parts[parts.length - 1].isEmpty() ? "(.*)" : "(.*?)");
                }
            }
            Pattern compiled = Pattern.compile(re.toString(), Pattern.DOTALL);
            return (rows, out) -> {
                for (Row r : rows) {
                    Object v = from.apply(r);
                    if (v == null) {
                        continue;
                    }
                    Matcher m = compiled.matcher(String.valueOf(v));
                    if (m.find()) {
                        for (int i = 0; i < fields.size(); i++) {
                            r.put(fields.get(i), m.group(i + 1));
                        }
                    }
                }
                return rows;
            };
        }

        private Command stats() {
            record Agg(String function, List<Expr> args, boolean star, String name) {
            }
            List<Agg> aggs = new ArrayList<>();
            do {
                int start = p;
                Token f = next();
                String fn = f.text.toLowerCase(Locale.ROOT);
                if (!Set.of("count", "count_distinct", "sum", "avg", "min", "max", "earliest", "latest", "pct", "stddev")
                        .contains(fn)) {
                    throw new IllegalArgumentException("unknown stats function " + f.text);
                }
                expect("(");
                boolean star = take("*");
                List<Expr> args = new ArrayList<>();
                if (!star && !peek().is(")")) {
                    do {
                        args.add(additive());
                    } while (take(","));
                }
                expect(")");
                if (!star && args.isEmpty() && !fn.equals("count")) {
                    throw new IllegalArgumentException(fn + " needs an argument");
                }
                String name = take("as") ? next().text : source(start, p);
                aggs.add(new Agg(fn, args, star || args.isEmpty(), name));
            } while (take(","));
            List<Named> by = new ArrayList<>();
            if (take("by")) {
                do {
                    int start = p;
                    Expr e;
                    if (peek().is("bin") && t.get(p + 1).is("(")) {
                        p += 2;
                        StringBuilder d = new StringBuilder();
                        while (!peek().is(")")) {
                            d.append(next().text);
                        }
                        expect(")");
                        long period = duration(d.toString());
                        e = r -> r.get("@timestamp") instanceof Long ts ? Math.floorDiv(ts, period) * period : null;
                    } else {
                        e = additive();
                    }
                    String name = take("as") ? next().text : source(start, p);
                    by.add(new Named(e, name));
                } while (take(","));
            }
            return new StatsCommand() {
                @Override
                public List<Row> apply(List<Row> rows, Output out) {
                    Map<List<Object>, List<Row>> groups = new LinkedHashMap<>();
                    for (Row r : rows) {
                        List<Object> key = new ArrayList<>();
                        boolean complete = true;
                        for (Named b : by) {
                            Object v = b.expr.apply(r);
                            complete &= v != null;
                            key.add(v);
                        }
                        if (complete) {
                            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                        }
                    }
                    if (by.isEmpty() && groups.isEmpty()) {
                        groups.put(List.of(), List.of());
                    }
                    List<Row> result = new ArrayList<>();
                    for (Map.Entry<List<Object>, List<Row>> g : groups.entrySet()) {
                        Row row = new Row();
                        for (int i = 0; i < by.size(); i++) {
                            row.put(by.get(i).name, g.getKey().get(i));
                        }
                        for (Agg a : aggs) {
                            Object v = aggregate(a.function, a.args, a.star, g.getValue());
                            if (v != null) {
                                row.put(a.name, v);
                            }
                        }
                        result.add(row);
                    }
                    if (by.stream().anyMatch(b -> b.name.startsWith("bin("))) {
                        result.sort(Comparator.comparing(r -> (Long) r.get(by.stream()
                                .filter(b -> b.name.startsWith("bin(")).findFirst().get().name)));
                    }
                    List<String> columns = new ArrayList<>();
                    by.forEach(b -> columns.add(b.name));
                    aggs.forEach(a -> columns.add(a.name));
                    out.columns = columns;
                    out.aggregated = true;
                    return result;
                }
            };
        }

        private Command sort() {
            List<Expr> keys = new ArrayList<>();
            List<Boolean> descending = new ArrayList<>();
            do {
                keys.add(additive());
                boolean desc = take("desc");
                if (!desc) {
                    take("asc");
                }
                descending.add(desc);
            } while (take(","));
            return (rows, out) -> {
                Comparator<Row> order = null;
                for (int i = 0; i < keys.size(); i++) {
                    Expr k = keys.get(i);
                    Comparator<Row> c = (a, b) -> compareForSort(k.apply(a), k.apply(b));
                    if (descending.get(i)) {
                        c = c.reversed();
                    }
                    order = order == null ? c : order.thenComparing(c);
                }
                List<Row> sorted = new ArrayList<>(rows);
                sorted.sort(order);
                return sorted;
            };
        }

        private Command dedup() {
            List<Expr> keys = new ArrayList<>();
            do {
                keys.add(primary());
            } while (take(","));
            return (rows, out) -> {
                Set<List<Object>> seen = new HashSet<>();
                List<Row> result = new ArrayList<>();
                for (Row r : rows) {
                    List<Object> key = new ArrayList<>();
                    boolean hasNull = false;
                    for (Expr k : keys) {
                        Object v = k.apply(r);
                        hasNull |= v == null;
                        key.add(v instanceof Double d ? d : v == null ? null : String.valueOf(v));
                    }
                    if (hasNull || seen.add(key)) {
                        result.add(r);
                    }
                }
                return result;
            };
        }

        // boolean expressions, lowest precedence first

        private Expr or() {
            Expr left = and();
            while (take("or")) {
                Expr a = left;
                Expr b = and();
                left = r -> truthy(a.apply(r)) || truthy(b.apply(r));
            }
            return left;
        }

        private Expr and() {
            Expr left = not();
            while (take("and")) {
                Expr a = left;
                Expr b = not();
                left = r -> truthy(a.apply(r)) && truthy(b.apply(r));
            }
            return left;
        }

        private Expr not() {
            if (take("not")) {
                Expr e = not();
                return r -> !truthy(e.apply(r));
            }
            return comparison();
        }

        private Expr comparison() {
            Expr left = additive();
            Token op = peek();
            if (op.is("like") || op.is("=~")) {
                p++;
                Token pattern = next();
                if (pattern.type == T.REGEX) {
                    Pattern re = compile(pattern.text);
                    return r -> {
                        Object v = left.apply(r);
                        return v != null && re.matcher(text(v)).find();
                    };
                }
                if (pattern.type != T.STRING) {
                    throw new IllegalArgumentException("like needs a /regex/ or a \"string\"");
                }
                String sub = pattern.text;
                return r -> {
                    Object v = left.apply(r);
                    return v != null && text(v).contains(sub);
                };
            }
            boolean negated = false;
            if (op.is("not") && t.get(p + 1).is("in")) {
                p++;
                negated = true;
            }
            if (peek().is("in")) {
                p++;
                expect("[");
                List<Expr> values = new ArrayList<>();
                if (!peek().is("]")) {
                    do {
                        values.add(additive());
                    } while (take(","));
                }
                expect("]");
                boolean neg = negated;
                return r -> {
                    Object v = left.apply(r);
                    boolean found = v != null && values.stream().anyMatch(x -> compare(v, x.apply(r)) == 0);
                    return neg != found;
                };
            }
            if (negated) {
                throw new IllegalArgumentException("not without in");
            }
            for (String c : new String[] {"=", "!=", "<", ">", "<=", ">="}) {
                if (op.type == T.OP && op.text.equals(c)) {
                    p++;
                    Expr right = additive();
                    return r -> {
                        Object a = left.apply(r);
                        Object b = right.apply(r);
                        if (a == null || b == null) {
                            return c.equals("!=") && (a != null || b != null);
                        }
                        int cmp = compare(a, b);
                        return switch (c) {
                            case "=" -> cmp == 0;
                            case "!=" -> cmp != 0;
                            case "<" -> cmp < 0;
                            case ">" -> cmp > 0;
                            case "<=" -> cmp <= 0;
                            default -> cmp >= 0;
                        };
                    };
                }
            }
            return left;
        }

        private Expr additive() {
            Expr left = multiplicative();
            while (peek().is("+") || peek().is("-")) {
                boolean plus = next().text.equals("+");
                Expr a = left;
                Expr b = multiplicative();
                left = r -> {
                    Double x = number(a.apply(r));
                    Double y = number(b.apply(r));
                    return x == null || y == null ? null : plus ? x + y : x - y;
                };
            }
            return left;
        }

        private Expr multiplicative() {
            Expr left = primary();
            while (peek().is("*") || peek().is("/") || peek().is("%")) {
                String op = next().text;
                Expr a = left;
                Expr b = primary();
                left = r -> {
                    Double x = number(a.apply(r));
                    Double y = number(b.apply(r));
                    return x == null || y == null ? null : op.equals("*") ? x * y : op.equals("/") ? x / y : x % y;
                };
            }
            return left;
        }

        private Expr primary() {
            Token k = next();
            switch (k.type) {
                case NUMBER: {
                    Double d = Double.valueOf(k.text);
                    return r -> d;
                }
                case STRING:
                    return r -> k.text;
                case IDENT:
                    if (peek().is("(")) {
                        return function(k.text.toLowerCase(Locale.ROOT));
                    }
                    String field = k.text;
                    return r -> r.get(field);
                case OP:
                    if (k.is("(")) {
                        Expr e = or();
                        expect(")");
                        return e;
                    }
                    if (k.is("-")) {
                        Expr e = primary();
                        return r -> {
                            Double d = number(e.apply(r));
                            return d == null ? null : -d;
                        };
                    }
                    // fall through
                default:
                    throw new IllegalArgumentException(k.text);
            }
        }

        private Expr function(String name) {
            expect("(");
            if (name.equals("datefloor") || name.equals("dateceil")) {
                Expr a = or();
                expect(",");
                StringBuilder period = new StringBuilder();
                while (!peek().is(")") && peek().type != T.EOF) {
                    period.append(next().text);
                }
                expect(")");
                long ms = duration(period.toString());
                return r -> {
                    if (!(a.apply(r) instanceof Long ts)) {
                        return null;
                    }
                    long floor = Math.floorDiv(ts, ms) * ms;
                    return name.equals("datefloor") || floor == ts ? floor : floor + ms;
                };
            }
            List<Expr> args = new ArrayList<>();
            if (!peek().is(")")) {
                do {
                    args.add(or());
                } while (take(","));
            }
            expect(")");
            Function<Integer, Expr> arg = i -> {
                if (i >= args.size()) {
                    throw new IllegalArgumentException(name + " needs " + (i + 1) + " argument(s)");
                }
                return args.get(i);
            };
            switch (name) {
                case "ispresent": {
                    Expr a = arg.apply(0);
                    return r -> a.apply(r) != null;
                }
                case "isempty": {
                    Expr a = arg.apply(0);
                    return r -> a.apply(r) == null || text(a.apply(r)).isEmpty();
                }
                case "isblank": {
                    Expr a = arg.apply(0);
                    return r -> a.apply(r) == null || text(a.apply(r)).isBlank();
                }
                case "strlen": {
                    Expr a = arg.apply(0);
                    return r -> a.apply(r) == null ? null : (double) text(a.apply(r)).length();
                }
                case "tolower": {
                    Expr a = arg.apply(0);
                    return r -> a.apply(r) == null ? null : text(a.apply(r)).toLowerCase(Locale.ROOT);
                }
                case "toupper": {
                    Expr a = arg.apply(0);
                    return r -> a.apply(r) == null ? null : text(a.apply(r)).toUpperCase(Locale.ROOT);
                }
                case "concat":
                    return r -> {
                        StringBuilder b = new StringBuilder();
                        args.forEach(a -> {
                            Object v = a.apply(r);
                            b.append(v == null ? "" : text(v));
                        });
                        return b.toString();
                    };
                case "coalesce":
                    return r -> args.stream().map(a -> a.apply(r)).filter(v -> v != null).findFirst().orElse(null);
                case "abs":
                case "floor":
                case "ceil": {
                    Expr a = arg.apply(0);
                    return r -> {
                        Double d = number(a.apply(r));
                        return d == null ? null : name.equals("abs") ? Math.abs(d) : name.equals("floor") ? Math.floor(d) : Math.ceil(d);
                    };
                }
                case "strcontains": {
                    Expr a = arg.apply(0);
                    Expr b = arg.apply(1);
                    return r -> a.apply(r) != null && b.apply(r) != null && text(a.apply(r)).contains(text(b.apply(r)));
                }
                case "substr": {
                    Expr a = arg.apply(0);
                    Expr from = arg.apply(1);
                    Expr len = args.size() > 2 ? args.get(2) : null;
                    return r -> {
                        Object v = a.apply(r);
                        Double f = number(from.apply(r));
                        if (v == null || f == null) {
                            return null;
                        }
                        String str = text(v);
                        int start = Math.max(0, Math.min(str.length(), f.intValue()));
                        Double l = len == null ? null : number(len.apply(r));
                        int end = l == null ? str.length() : Math.max(start, Math.min(str.length(), start + l.intValue()));
                        return str.substring(start, end);
                    };
                }
                case "replace": {
                    Expr a = arg.apply(0);
                    Expr from = arg.apply(1);
                    Expr to = arg.apply(2);
                    return r -> a.apply(r) == null ? null
                            : text(a.apply(r)).replace(text(from.apply(r)), text(to.apply(r)));
                }
                case "trim":
                case "ltrim":
                case "rtrim": {
                    Expr a = arg.apply(0);
                    return r -> {
                        Object v = a.apply(r);
                        if (v == null) {
                            return null;
                        }
                        String str = text(v);
                        return name.equals("trim") ? str.strip() : name.equals("ltrim") ? str.stripLeading() : str.stripTrailing();
                    };
                }
                case "frommillis": {
                    Expr a = arg.apply(0);
                    return r -> {
                        Double d = number(a.apply(r));
                        return d == null ? null : (Object) d.longValue();
                    };
                }
                case "tomillis": {
                    Expr a = arg.apply(0);
                    return r -> a.apply(r) instanceof Long l ? (Object) l.doubleValue() : null;
                }
                default:
                    throw new IllegalArgumentException("unknown function " + name);
            }
        }
    }

    /** Marks the limit command (records matched are counted before it). */
    private interface LimitCommand extends Command {
    }

    /** Marks the stats command (records matched are counted before it). */
    private interface StatsCommand extends Command {
    }

    private static Object aggregate(String fn, List<Expr> args, boolean star, List<Row> rows) {
        if (fn.equals("count")) {
            return star ? (double) rows.size() : (double) rows.stream().filter(r -> args.get(0).apply(r) != null).count();
        }
        Expr e = args.get(0);
        if (fn.equals("count_distinct")) {
            Set<Object> distinct = new LinkedHashSet<>();
            rows.forEach(r -> {
                Object v = e.apply(r);
                if (v != null) {
                    distinct.add(v instanceof Double ? v : text(v));
                }
            });
            return (double) distinct.size();
        }
        if (fn.equals("earliest") || fn.equals("latest")) {
            Row pick = null;
            for (Row r : rows) {
                if (e.apply(r) == null) {
                    continue;
                }
                long ts = r.get("@timestamp") instanceof Long l ? l : 0;
                long best = pick == null ? 0 : pick.get("@timestamp") instanceof Long l ? l : 0;
                if (pick == null || (fn.equals("earliest") ? ts < best : ts >= best)) {
                    pick = r;
                }
            }
            return pick == null ? null : e.apply(pick);
        }
        if (fn.equals("min") || fn.equals("max")) {
            Object best = null;
            for (Row r : rows) {
                Object v = e.apply(r);
                if (v != null && (best == null || (fn.equals("min") ? compare(v, best) < 0 : compare(v, best) > 0))) {
                    best = v;
                }
            }
            return best instanceof String s && number(s) != null ? number(s) : best;
        }
        List<Double> values = new ArrayList<>();
        rows.forEach(r -> {
            Double d = number(e.apply(r));
            if (d != null) {
                values.add(d);
            }
        });
        if (values.isEmpty()) {
            return null;
        }
        double sum = values.stream().mapToDouble(Double::doubleValue).sum();
        switch (fn) {
            case "sum":
                return sum;
            case "avg":
                return sum / values.size();
            case "stddev": {
                double mean = sum / values.size();
                double sq = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
                return values.size() < 2 ? 0.0 : Math.sqrt(sq / (values.size() - 1));
            }
            default: { // pct(field, percentile)
                Double pct = args.size() > 1 ? number(args.get(1).apply(new Row())) : null;
                if (pct == null) {
                    throw new AwsException("MalformedQueryException", "pct needs a percentile");
                }
                values.sort(Double::compare);
                int idx = (int) Math.ceil(pct / 100.0 * values.size()) - 1;
                return values.get(Math.max(0, Math.min(values.size() - 1, idx)));
            }
        }
    }

    static long duration(String d) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w|mo|q|y)?").matcher(d.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad bin period " + d);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long ms = switch (unit) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            case "w" -> 7 * 86_400_000L;
            case "mo" -> 30 * 86_400_000L;
            case "q" -> 91 * 86_400_000L;
            default -> 365 * 86_400_000L;
        };
        if (n <= 0) {
            throw new IllegalArgumentException("bad bin period " + d);
        }
        return n * ms;
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression " + regex);
        }
    }

    private static boolean truthy(Object v) {
        return v instanceof Boolean b ? b : v != null;
    }

    private static String text(Object v) {
        return v instanceof Double d ? format("", d) : v instanceof Long l ? TIME.format(Instant.ofEpochMilli(l)) : String.valueOf(v);
    }

    private static Double number(Object v) {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Long l) {
            return l.doubleValue();
        }
        if (v instanceof String s && s.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return Double.valueOf(s);
        }
        return null;
    }

    /** Numbers compare as numbers (a numeric string with a number too); the rest as text. */
    private static int compare(Object a, Object b) {
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        return text(a).compareTo(text(b));
    }

    /** Sort order: missing values last, non-numbers before numbers, numbers by value. */
    private static int compareForSort(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        if (x != null || y != null) {
            return x == null ? -1 : 1;
        }
        return text(a).compareTo(text(b));
    }

    /** The fields found in records, each with the percentage of records holding it (GetLogGroupFields). */
    static List<Map.Entry<String, Long>> fieldPercentages(List<Row> rows) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Row r : rows) {
            for (String k : r.keySet()) {
                if (!k.equals("@ptr") && !k.equals("@log")) {
                    counts.merge(k, 1, Integer::sum);
                }
            }
        }
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(Map.entry(k, Math.round(n * 100.0 / rows.size()))));
        return out;
    }
}
