package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * CloudWatch Logs filter pattern syntax, the three forms AWS documents, all case-sensitive:
 * <ul>
 * <li>unstructured terms: every term must appear ("ERROR timeout"), quoted phrases ("\"out of memory\""),
 *     any-of terms ("?ERROR ?WARN"), exclusions ("ERROR -debug"), regular expressions between % signs;</li>
 * <li>JSON: { $.level = "error" && ($.latency > 100 || $.retry IS TRUE) }, strings with * wildcards,
 *     numeric comparisons, IS NULL, NOT EXISTS, array indexes;</li>
 * <li>space-delimited: [ip, user, ..., status=4* || status=5*, bytes>1000] against the message split on
 *     spaces ("quoted" and [bracketed] runs are one field), with ... matching any number of fields.</li>
 * </ul>
 * {@link #extract} also gives the values a metric filter publishes ($name for space-delimited fields,
 * $.selector for JSON ones), as TestMetricFilter shows them.
 */
final class FilterPattern {
    private static final ObjectMapper JSON = new ObjectMapper();

    private sealed interface Form permits Everything, Terms, JsonExpr, Delimited {
    }

    private record Everything() implements Form {
    }

    private record Terms(List<String> required, List<String> anyOf, List<String> excluded, List<Pattern> regexes)
            implements Form {
    }

    private record JsonExpr(Node root, List<String> selectors) implements Form {
    }

    private record Delimited(List<Field> fields) implements Form {
    }

    /** One field of a space-delimited pattern: a name (null for ...), and conditions (alternatives of conjunctions). */
    private record Field(String name, boolean ellipsis, List<List<Comparison>> anyOf) {
    }

    private record Comparison(String op, Value value) {
    }

    private record Value(String text, boolean quoted, Double number) {
    }

    private interface Node {
        boolean test(JsonNode doc);
    }

    private final String source;
    private final Form form;

    private FilterPattern(String source, Form form) {
        this.source = source;
        this.form = form;
    }

    String source() {
        return source;
    }

    private static final java.util.Map<String, FilterPattern> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** A parsed pattern, remembered: stored filters are matched against every ingested batch. */
    static FilterPattern cached(String pattern) {
        String key = pattern == null ? "" : pattern;
        FilterPattern f = CACHE.get(key);
        if (f == null) {
            f = parse(key);
            if (CACHE.size() > 10_000) {
                CACHE.clear();
            }
            CACHE.put(key, f);
        }
        return f;
    }

    static FilterPattern parse(String pattern) {
        String p = pattern == null ? "" : pattern.trim();
        if (p.isEmpty() || p.equals("\"\"")) {
            return new FilterPattern(p, new Everything());
        }
        try {
            if (p.startsWith("{")) {
                return new FilterPattern(p, new JsonParser(p).parseAll());
            }
            if (p.startsWith("[")) {
                return new FilterPattern(p, parseDelimited(p));
            }
            return new FilterPattern(p, parseTerms(p));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw LogsErrors.invalidParameter("Invalid metric filter pattern");
        }
    }

    boolean matches(String message) {
        return extract(message) != null;
    }

    /** The values the pattern extracts from a matching message (possibly empty), or null when it does not match. */
    Map<String, String> extract(String message) {
        if (form instanceof Terms t) {
            return termsMatch(t, message) ? Map.of() : null;
        }
        if (form instanceof JsonExpr j) {
            return jsonExtract(j, message);
        }
        if (form instanceof Delimited d) {
            return delimitedExtract(d, message);
        }
        return Map.of();
    }

    // --- unstructured terms

    private static Terms parseTerms(String p) {
        Terms t = new Terms(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> target = t.required;
            if (c == '?' || c == '-') {
                target = c == '?' ? t.anyOf : t.excluded;
                i++;
            }
            String term;
            if (i < p.length() && p.charAt(i) == '"') {
                int end = closingQuote(p, i);
                term = unescape(p.substring(i + 1, end));
                i = end + 1;
            } else if (i < p.length() && p.charAt(i) == '%' && target == t.required) {
                int end = p.indexOf('%', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed regex");
                }
                try {
                    t.regexes.add(Pattern.compile(p.substring(i + 1, end)));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(e);
                }
                i = end + 1;
                continue;
            } else {
                int end = i;
                while (end < p.length() && !Character.isWhitespace(p.charAt(end))) {
                    end++;
                }
                term = p.substring(i, end);
                i = end;
            }
            if (!term.isEmpty()) {
                target.add(term);
            }
        }
        return t;
    }

    private static boolean termsMatch(Terms t, String message) {
        for (String term : t.required) {
            if (!message.contains(term)) {
                return false;
            }
        }
        for (Pattern r : t.regexes) {
            if (!r.matcher(message).find()) {
                return false;
            }
        }
        for (String term : t.excluded) {
            if (message.contains(term)) {
                return false;
            }
        }
        return t.anyOf.isEmpty() || t.anyOf.stream().anyMatch(message::contains);
    }

    private static int closingQuote(String p, int open) {
        for (int i = open + 1; i < p.length(); i++) {
            if (p.charAt(i) == '\\') {
                i++;
            } else if (p.charAt(i) == '"') {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed quote");
    }

    private static String unescape(String s) {
        return s.replaceAll("\\\\(.)", "$1");
    }

    // --- JSON

    private static Map<String, String> jsonExtract(JsonExpr j, String message) {
        JsonNode doc;
        try {
            doc = JSON.readTree(message);
        } catch (Exception e) {
            return null;
        }
        if (doc == null || !doc.isContainerNode() || !j.root.test(doc)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String sel : j.selectors) {
            JsonNode v = select(doc, sel);
            if (v != null && v.isValueNode() && !v.isNull()) {
                out.put(sel, v.asText());
            }
        }
        return out;
    }

    /** The node a selector ($.a.b[0].c) names in doc, or null. */
    static JsonNode select(JsonNode doc, String selector) {
        JsonNode v = doc;
        String s = selector.substring(1);
        int i = 0;
        while (v != null && i < s.length()) {
            char c = s.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != '.' && s.charAt(end) != '[') {
                    end++;
                }
                v = v.get(s.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = s.indexOf(']', i);
                v = v.get(Integer.parseInt(s.substring(i + 1, end).trim()));
                i = end + 1;
            } else {
                return null;
            }
        }
        return v;
    }

    private static final class JsonParser {
        private final String p;
        private final List<String> selectors = new ArrayList<>();
        private int i;

        JsonParser(String p) {
            this.p = p;
        }

        JsonExpr parseAll() {
            expect("{");
            Node root = or();
            expect("}");
            skip();
            if (i != p.length()) {
                throw new IllegalArgumentException("trailing text");
            }
            return new JsonExpr(root, selectors);
        }

        private Node or() {
            Node left = and();
            while (take("||")) {
                Node a = left;
                Node b = and();
                left = d -> a.test(d) || b.test(d);
            }
            return left;
        }

        private Node and() {
            Node left = unary();
            while (take("&&")) {
                Node a = left;
                Node b = unary();
                left = d -> a.test(d) && b.test(d);
            }
            return left;
        }

        private Node unary() {
            if (take("(")) {
                Node inner = or();
                expect(")");
                return inner;
            }
            skip();
            if (i >= p.length() || p.charAt(i) != '$') {
                throw new IllegalArgumentException("selector expected at " + i);
            }
            int start = i;
            while (i < p.length() && !Character.isWhitespace(p.charAt(i)) && "=!<>)&|}".indexOf(p.charAt(i)) < 0) {
                i++;
            }
            String selector = p.substring(start, i);
            if (selector.length() < 2) {
                throw new IllegalArgumentException("empty selector");
            }
            selectors.add(selector);
            if (takeWord("IS")) {
                if (takeWord("NULL")) {
                    return d -> {
                        JsonNode v = select(d, selector);
                        return v != null && v.isNull();
                    };
                }
                boolean want = takeWord("TRUE");
                if (!want && !takeWord("FALSE")) {
                    throw new IllegalArgumentException("IS what?");
                }
                return d -> {
                    JsonNode v = select(d, selector);
                    return v != null && v.isBoolean() && v.asBoolean() == want;
                };
            }
            if (takeWord("NOT")) {
                if (!takeWord("EXISTS")) {
                    throw new IllegalArgumentException("NOT EXISTS expected");
                }
                return d -> select(d, selector) == null;
            }
            String op = operator();
            Value value = value();
            return d -> compareJson(select(d, selector), op, value);
        }

        private String operator() {
            skip();
            for (String op : new String[] {"!=", ">=", "<=", "=", ">", "<"}) {
                if (p.startsWith(op, i)) {
                    i += op.length();
                    return op;
                }
            }
            throw new IllegalArgumentException("operator expected at " + i);
        }

        private Value value() {
            skip();
            if (i < p.length() && p.charAt(i) == '"') {
                int end = closingQuote(p, i);
                String text = unescape(p.substring(i + 1, end));
                i = end + 1;
                return new Value(text, true, null);
            }
            int start = i;
            while (i < p.length() && !Character.isWhitespace(p.charAt(i)) && ")&|}".indexOf(p.charAt(i)) < 0) {
                i++;
            }
            String text = p.substring(start, i);
            if (text.isEmpty()) {
                throw new IllegalArgumentException("value expected");
            }
            return new Value(text, false, number(text));
        }

        private void skip() {
            while (i < p.length() && Character.isWhitespace(p.charAt(i))) {
                i++;
            }
        }

        private boolean take(String s) {
            skip();
            if (p.startsWith(s, i)) {
                i += s.length();
                return true;
            }
            return false;
        }

        private boolean takeWord(String w) {
            skip();
            if (p.regionMatches(true, i, w, 0, w.length())
                    && (i + w.length() == p.length() || !Character.isLetterOrDigit(p.charAt(i + w.length())))) {
                i += w.length();
                return true;
            }
            return false;
        }

        private void expect(String s) {
            if (!take(s)) {
                throw new IllegalArgumentException("'" + s + "' expected at " + i);
            }
        }
    }

    private static boolean compareJson(JsonNode v, String op, Value want) {
        if (v == null || v.isMissingNode() || v.isContainerNode()) {
            return false;
        }
        if (want.number != null && !want.quoted) {
            if (!v.isNumber()) {
                return false;
            }
            return compareNumbers(v.asDouble(), op, want.number);
        }
        if (!op.equals("=") && !op.equals("!=")) {
            return false;
        }
        String actual = v.isNull() ? "null" : v.asText();
        boolean eq = want.quoted ? wildcard(want.text, actual) : (want.text.equals("*") || wildcard(want.text, actual));
        return op.equals("=") == eq;
    }

    // --- space-delimited

    private static Delimited parseDelimited(String p) {
        if (!p.endsWith("]")) {
            throw new IllegalArgumentException("unclosed [");
        }
        String body = p.substring(1, p.length() - 1).trim();
        List<Field> fields = new ArrayList<>();
        if (body.isEmpty()) {
            return new Delimited(fields);
        }
        for (String raw : splitOutsideQuotes(body, ',')) {
            String f = raw.trim();
            if (f.equals("...")) {
                fields.add(new Field(null, true, List.of()));
                continue;
            }
            int opAt = firstOperator(f);
            if (opAt < 0) {
                if (!f.matches("[\\w.-]+")) {
                    throw new IllegalArgumentException("bad field name " + f);
                }
                fields.add(new Field(f, false, List.of()));
                continue;
            }
            String name = f.substring(0, opAt).trim();
            if (!name.matches("[\\w.-]+")) {
                throw new IllegalArgumentException("bad field name " + name);
            }
            List<List<Comparison>> anyOf = new ArrayList<>();
            for (String alt : f.split("\\|\\|")) {
                List<Comparison> all = new ArrayList<>();
                for (String c : alt.split("&&")) {
                    String cond = c.trim();
                    int at = firstOperator(cond);
                    if (at < 0 || !cond.substring(0, at).trim().equals(name)) {
                        throw new IllegalArgumentException("condition must name its field: " + cond);
                    }
                    String rest = cond.substring(at);
                    String op = rest.startsWith("!=") || rest.startsWith(">=") || rest.startsWith("<=") ? rest.substring(0, 2)
                            : rest.substring(0, 1);
                    String v = rest.substring(op.length()).trim();
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException("value expected");
                    }
                    boolean quoted = v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"");
                    String text = quoted ? unescape(v.substring(1, v.length() - 1)) : v;
                    all.add(new Comparison(op, new Value(text, quoted, quoted ? null : number(text))));
                }
                anyOf.add(all);
            }
            fields.add(new Field(name, false, anyOf));
        }
        return new Delimited(fields);
    }

    private static int firstOperator(String f) {
        for (int i = 0; i < f.length(); i++) {
            if ("=!<>".indexOf(f.charAt(i)) >= 0) {
                return i;
            }
            if (f.charAt(i) == '"') {
                return -1;
            }
        }
        return -1;
    }

    private static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unclosed quote");
        }
        out.add(s.substring(start));
        return out;
    }

    /** The message's space-delimited fields: "quoted" and [bracketed] runs are one field, without their delimiters. */
    static List<String> fields(String message) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = message.length();
        while (i < n) {
            char c = message.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            char close = c == '"' ? '"' : c == '[' ? ']' : 0;
            if (close != 0) {
                int end = message.indexOf(close, i + 1);
                if (end > 0) {
                    out.add(message.substring(i + 1, end));
                    i = end + 1;
                    continue;
                }
            }
            int end = i;
            while (end < n && !Character.isWhitespace(message.charAt(end))) {
                end++;
            }
            out.add(message.substring(i, end));
            i = end;
        }
        return out;
    }

    private static Map<String, String> delimitedExtract(Delimited d, String message) {
        List<String> values = fields(message);
        Map<String, String> out = new LinkedHashMap<>();
        return matchFields(d.fields, 0, values, 0, out) ? out : null;
    }

    private static boolean matchFields(List<Field> fields, int fi, List<String> values, int vi, Map<String, String> out) {
        if (fi == fields.size()) {
            return vi == values.size();
        }
        Field f = fields.get(fi);
        if (f.ellipsis) {
            for (int skip = vi; skip <= values.size(); skip++) {
                Map<String, String> attempt = new LinkedHashMap<>(out);
                if (matchFields(fields, fi + 1, values, skip, attempt)) {
                    out.clear();
                    out.putAll(attempt);
                    return true;
                }
            }
            return false;
        }
        if (vi >= values.size()) {
            return false;
        }
        String v = values.get(vi);
        if (!f.anyOf.isEmpty() && f.anyOf.stream().noneMatch(all -> all.stream().allMatch(c -> compareField(v, c)))) {
            return false;
        }
        out.put("$" + f.name, v);
        return matchFields(fields, fi + 1, values, vi + 1, out);
    }

    private static boolean compareField(String actual, Comparison c) {
        if (c.value.number != null) {
            Double a = number(actual);
            return a != null && compareNumbers(a, c.op, c.value.number);
        }
        if (!c.op.equals("=") && !c.op.equals("!=")) {
            return false;
        }
        return c.op.equals("=") == wildcard(c.value.text, actual);
    }

    // --- shared

    private static boolean compareNumbers(double a, String op, double b) {
        return switch (op) {
            case "=" -> a == b;
            case "!=" -> a != b;
            case ">" -> a > b;
            case "<" -> a < b;
            case ">=" -> a >= b;
            default -> a <= b;
        };
    }

    private static Double number(String text) {
        if (!text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return null;
        }
        return Double.parseDouble(text);
    }

    /** Equality where * in want matches any run of characters. */
    private static boolean wildcard(String want, String actual) {
        if (want.indexOf('*') < 0) {
            return want.equals(actual);
        }
        StringBuilder re = new StringBuilder();
        for (String part : want.split("\\*", -1)) {
            if (!re.isEmpty() || want.startsWith("*")) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(actual).matches();
    }
}
