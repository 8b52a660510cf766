package dev.terrarium.core.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IAM's matching of policy values: '*' and '?' wildcards (where the element allows them), policy
 * variables (${aws:username}, ${aws:PrincipalTag/team, 'default'}, and the escapes ${*} ${?} ${$}),
 * and ARN matching component by component. Patterns are cut into tokens once and matched without
 * regular expressions.
 */
final class Patterns {
    private static final Map<String, Glob> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 10_000;

    private Patterns() {
    }

    /**
     * Whether value matches pattern. vars resolves policy variables (null: variables are literal text,
     * as in 2008-10-17 policies). A variable that the request lacks, without a default, never matches.
     */
    static boolean matches(String pattern, String value, boolean wildcards, boolean ignoreCase, ContextKeys vars) {
        if (value == null) {
            return false;
        }
        if (wildcards && pattern.equals("*")) {
            return true;
        }
        boolean hasVars = vars != null && pattern.contains("${");
        if (!hasVars && (!wildcards || (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0))) {
            return ignoreCase ? pattern.equalsIgnoreCase(value) : pattern.equals(value);
        }
        Glob glob = CACHE.get(pattern);
        if (glob == null) {
            glob = Glob.compile(pattern);
            if (CACHE.size() < CACHE_LIMIT) {
                CACHE.put(pattern, glob);
            }
        }
        return glob.matches(value, wildcards, ignoreCase, vars);
    }

    /** ARN matching: each of the six colon-separated components is matched on its own. */
    static boolean arnMatches(String pattern, String arn, ContextKeys vars) {
        if (arn == null) {
            return false;
        }
        if (pattern.equals("*")) {
            return true;
        }
        List<String> patternParts = splitArn(pattern);
        String[] arnParts = arn.split(":", 6);
        if (patternParts.size() != 6 || arnParts.length != 6) {
            return matches(pattern, arn, true, false, vars);
        }
        for (int i = 0; i < 6; i++) {
            if (!matches(patternParts.get(i), arnParts[i], true, false, vars)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a text holds a policy variable. */
    static boolean hasVariable(String text) {
        return text.contains("${");
    }

    /** The value of one ${...} variable, or null when the request has no value and there is no default. */
    static String resolve(String body, ContextKeys vars) {
        String name = body.trim();
        String fallback = null;
        int comma = name.indexOf(',');
        if (comma > 0) {
            String def = name.substring(comma + 1).trim();
            name = name.substring(0, comma).trim();
            if (def.length() >= 2 && def.startsWith("'") && def.endsWith("'")) {
                fallback = def.substring(1, def.length() - 1);
            }
        }
        switch (name) {
            case "*": return "*";
            case "?": return "?";
            case "$": return "$";
            default:
                String v = vars.first(name);
                return v != null ? v : fallback;
        }
    }

    /** Splits an ARN pattern into six components, keeping ${...} (whose key names hold colons) whole. */
    static List<String> splitArn(String pattern) {
        List<String> parts = new ArrayList<>(6);
        int depth = 0;
        int start = 0;
        for (int i = 0; i < pattern.length() && parts.size() < 5; i++) {
            char c = pattern.charAt(i);
            if (c == '{' && i > 0 && pattern.charAt(i - 1) == '$') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == ':' && depth == 0) {
                parts.add(pattern.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(pattern.substring(start));
        return parts;
    }

    /** A pattern cut into literal text, wildcards and ${...} variables. */
    private record Glob(List<Object> tokens) {
        private static final Object STAR = "*";
        private static final Object QUESTION = "?";

        /** A ${...} variable: its body, and its text when read literally. */
        private record Variable(String body, String literal) {
        }

        static Glob compile(String pattern) {
            List<Object> tokens = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            int i = 0;
            while (i < pattern.length()) {
                char c = pattern.charAt(i);
                int end = c == '$' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{' ? pattern.indexOf('}', i + 2) : -1;
                if (end > 0) {
                    flush(tokens, literal);
                    tokens.add(new Variable(pattern.substring(i + 2, end), pattern.substring(i, end + 1)));
                    i = end + 1;
                    continue;
                }
                if (c == '*' || c == '?') {
                    flush(tokens, literal);
                    tokens.add(c == '*' ? STAR : QUESTION);
                } else {
                    literal.append(c);
                }
                i++;
            }
            flush(tokens, literal);
            return new Glob(List.copyOf(tokens));
        }

        private static void flush(List<Object> tokens, StringBuilder literal) {
            if (literal.length() > 0) {
                tokens.add(new StringBuilder(literal));
                literal.setLength(0);
            }
        }

        boolean matches(String value, boolean wildcards, boolean ignoreCase, ContextKeys vars) {
            StringBuilder text = new StringBuilder(value.length() + 8);
            StringBuilder kinds = new StringBuilder(value.length() + 8);
            for (Object token : tokens) {
                if (token instanceof Variable v) {
                    String resolved = vars == null ? v.literal() : resolve(v.body(), vars);
                    if (resolved == null) {
                        return false;
                    }
                    append(text, kinds, resolved, '=');
                } else if (token == STAR || token == QUESTION) {
                    append(text, kinds, (String) token, wildcards ? ((String) token).charAt(0) : '=');
                } else {
                    append(text, kinds, token.toString(), '=');
                }
            }
            return globMatch(text, kinds, value, ignoreCase);
        }

        private static void append(StringBuilder text, StringBuilder kinds, String s, char kind) {
            text.append(s);
            for (int i = 0; i < s.length(); i++) {
                kinds.append(kind);
            }
        }

        /** Wildcard matching that backtracks to the last '*'; kinds marks which pattern characters are wildcards. */
        private static boolean globMatch(CharSequence p, CharSequence kinds, String v, boolean ignoreCase) {
            int pi = 0;
            int vi = 0;
            int starP = -1;
            int starV = 0;
            while (vi < v.length()) {
                if (pi < p.length() && kinds.charAt(pi) == '*') {
                    starP = pi++;
                    starV = vi;
                } else if (pi < p.length() && (kinds.charAt(pi) == '?' || same(p.charAt(pi), v.charAt(vi), ignoreCase))) {
                    pi++;
                    vi++;
                } else if (starP >= 0) {
                    pi = starP + 1;
                    vi = ++starV;
                } else {
                    return false;
                }
            }
            while (pi < p.length() && kinds.charAt(pi) == '*') {
                pi++;
            }
            return pi == p.length();
        }

        private static boolean same(char a, char b, boolean ignoreCase) {
            return a == b || (ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                    || Character.toUpperCase(a) == Character.toUpperCase(b)));
        }
    }
}
