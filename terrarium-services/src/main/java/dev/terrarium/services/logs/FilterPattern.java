package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch Logs filter patterns, the common forms: terms that must all appear ("ERROR timeout"),
 * quoted phrases ("\"out of memory\""), any-of terms ("?ERROR ?WARN"), excluded terms ("ERROR -debug"),
 * and JSON selectors ({ $.level = "error" }, { $.latency > 100 }, && and ||), all case-sensitive.
 */
final class FilterPattern {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JSON_TERM = Pattern.compile(
            "\\s*\\(?\\s*\\$\\.([\\w.\\[\\]-]+)\\s*(=|!=|>=|<=|>|<)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s)&|]+)\\s*\\)?\\s*");

    private final List<String> required = new ArrayList<>();
    private final List<String> anyOf = new ArrayList<>();
    private final List<String> excluded = new ArrayList<>();
    private final String json;

    private FilterPattern(String json) {
        this.json = json;
    }

    static FilterPattern parse(String pattern) {
        String p = pattern == null ? "" : pattern.trim();
        if (p.startsWith("{")) {
            if (!p.endsWith("}")) {
                throw LogsErrors.invalidParameter("Invalid filter pattern");
            }
            FilterPattern f = new FilterPattern(p.substring(1, p.length() - 1).trim());
            for (String alt : f.json.split("\\|\\|")) {
                for (String term : alt.split("&&")) {
                    if (!JSON_TERM.matcher(term).matches()) {
                        throw LogsErrors.invalidParameter("Invalid filter pattern");
                    }
                }
            }
            return f;
        }
        FilterPattern f = new FilterPattern(null);
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> target = f.required;
            if (c == '?' || c == '-') {
                target = c == '?' ? f.anyOf : f.excluded;
                i++;
            }
            String term;
            if (i < p.length() && p.charAt(i) == '"') {
                int end = p.indexOf('"', i + 1);
                if (end < 0) {
                    throw LogsErrors.invalidParameter("Invalid filter pattern");
                }
                term = p.substring(i + 1, end);
                i = end + 1;
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
        return f;
    }

    boolean matches(String message) {
        if (json != null) {
            return matchesJson(message);
        }
        for (String t : required) {
            if (!message.contains(t)) {
                return false;
            }
        }
        for (String t : excluded) {
            if (message.contains(t)) {
                return false;
            }
        }
        return anyOf.isEmpty() || anyOf.stream().anyMatch(message::contains);
    }

    private boolean matchesJson(String message) {
        JsonNode doc;
        try {
            doc = JSON.readTree(message);
        } catch (Exception e) {
            return false;
        }
        if (doc == null || !doc.isContainerNode()) {
            return false;
        }
        for (String alt : json.split("\\|\\|")) {
            boolean all = true;
            for (String term : alt.split("&&")) {
                all &= termMatches(doc, term);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean termMatches(JsonNode doc, String term) {
        Matcher m = JSON_TERM.matcher(term);
        if (!m.matches()) {
            return false;
        }
        JsonNode v = doc;
        for (String part : m.group(1).split("\\.")) {
            Matcher idx = Pattern.compile("([^\\[]*)((?:\\[\\d+\\])*)").matcher(part);
            idx.matches();
            if (!idx.group(1).isEmpty()) {
                v = v == null ? null : v.get(idx.group(1));
            }
            Matcher n = Pattern.compile("\\[(\\d+)\\]").matcher(idx.group(2));
            while (n.find() && v != null) {
                v = v.get(Integer.parseInt(n.group(1)));
            }
        }
        String op = m.group(2);
        String expected = m.group(3);
        if (v == null || v.isMissingNode()) {
            return false;
        }
        if (expected.startsWith("\"")) {
            String want = expected.substring(1, expected.length() - 1);
            String actual = v.isValueNode() ? v.asText() : v.toString();
            boolean eq = want.endsWith("*") ? actual.startsWith(want.substring(0, want.length() - 1)) : actual.equals(want);
            return op.equals("=") ? eq : op.equals("!=") && !eq;
        }
        if (v.isNumber()) {
            double a = v.asDouble();
            double b;
            try {
                b = Double.parseDouble(expected);
            } catch (NumberFormatException e) {
                return false;
            }
            return switch (op) {
                case "=" -> a == b;
                case "!=" -> a != b;
                case ">" -> a > b;
                case "<" -> a < b;
                case ">=" -> a >= b;
                default -> a <= b;
            };
        }
        String actual = v.isNull() ? "NULL" : v.asText();
        boolean eq = actual.equalsIgnoreCase(expected) || (expected.equals("*") && !v.isNull());
        return op.equals("=") ? eq : op.equals("!=") && !eq;
    }
}
