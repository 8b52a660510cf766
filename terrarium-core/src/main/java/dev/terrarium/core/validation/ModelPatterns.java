package dev.terrarium.core.validation;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model's "pattern" constraints as compiled Java regexes, each compiled once. AWS writes them
 * for ECMAScript/Java and they mostly compile as they are; two guards:
 * <ul>
 *   <li>{@code \u10000-\u10FFFF} (a code point beyond the BMP written as \\u plus five or six
 *   digits) means the supplementary planes, which Java writes {@code \x{10000}-\x{10FFFF}};</li>
 *   <li>a pattern Java cannot compile is not enforced (AWS would, but a wrong rejection is worse).</li>
 * </ul>
 * Matching is bounded: a pathological pattern/value pair that backtracks too long counts as a match.
 */
final class ModelPatterns {
    /** Roughly 50 ms of backtracking; model patterns on valid-length input need a tiny fraction of it. */
    private static final int MAX_STEPS = 5_000_000;
    private static final Pattern SUPPLEMENTARY = Pattern.compile("\\\\u(10[0-9A-Fa-f]{4}|[0-9A-Fa-f]{5})(?![0-9A-Fa-f])");
    private static final ConcurrentHashMap<String, Optional<Pattern>> CACHE = new ConcurrentHashMap<>();

    private ModelPatterns() {
    }

    /** The compiled pattern, or empty when Java cannot compile it. */
    static Optional<Pattern> compiled(String modelPattern) {
        return CACHE.computeIfAbsent(modelPattern, ModelPatterns::compile);
    }

    private static Optional<Pattern> compile(String modelPattern) {
        String javaRegex = SUPPLEMENTARY.matcher(modelPattern).replaceAll(m -> {
            int cp = Integer.parseInt(m.group(1), 16);
            return Matcher.quoteReplacement(cp > 0xFFFF ? "\\x{" + m.group(1) + "}" : m.group());
        });
        try {
            return Optional.of(Pattern.compile(javaRegex));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the whole value matches (AWS patterns are unanchored in the model but enforced on the whole value). */
    static boolean matches(String modelPattern, String value) {
        Optional<Pattern> p = compiled(modelPattern);
        if (p.isEmpty()) {
            return true;
        }
        try {
            return p.get().matcher(new BoundedChars(value, MAX_STEPS)).matches();
        } catch (TooManySteps e) {
            return true;
        } catch (StackOverflowError e) {
            return true;
        }
    }

    private static final class TooManySteps extends RuntimeException {
        TooManySteps() {
            super(null, null, false, false);
        }
    }

    /** A CharSequence that gives up after a number of reads, so that no regex can run away. */
    private static final class BoundedChars implements CharSequence {
        private final String text;
        private final int[] budget;

        BoundedChars(String text, int steps) {
            this(text, new int[]{steps});
        }

        private BoundedChars(String text, int[] budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new TooManySteps();
            }
            return text.charAt(index);
        }

        @Override
        public int length() { return text.length(); }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BoundedChars(text.substring(start, end), budget);
        }

        @Override
        public String toString() { return text; }
    }
}
