package dev.terrarium.services.dynamodb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A DynamoDB attribute value, immutable. Numbers keep their normalised text (AWS's form: no exponent,
 * no leading or trailing zeros); sets keep the order they were given in, without duplicates.
 */
public sealed interface AttributeValue {

    /** The wire name of the type: S, N, B, SS, NS, BS, M, L, BOOL or NULL. */
    String type();

    /** Bytes this value counts for in an item's size (AWS's arithmetic, without the attribute name). */
    int size();

    record S(String value) implements AttributeValue {
        public String type() { return "S"; }
        public int size() { return Utf8.length(value); }
    }

    record N(String text, BigDecimal value) implements AttributeValue {
        public static N of(String text) { return Numbers.parse(text); }
        public static N of(BigDecimal value) { return Numbers.of(value); }
        public String type() { return "N"; }
        public int size() { return Numbers.size(value); }
        @Override public boolean equals(Object o) { return o instanceof N n && n.text.equals(text); }
        @Override public int hashCode() { return text.hashCode(); }
        @Override public String toString() { return "N[" + text + "]"; }
    }

    record B(byte[] value) implements AttributeValue {
        public String type() { return "B"; }
        public int size() { return value.length; }
        @Override public boolean equals(Object o) { return o instanceof B b && Arrays.equals(b.value, value); }
        @Override public int hashCode() { return Arrays.hashCode(value); }
        @Override public String toString() { return "B[" + value.length + "]"; }
    }

    /** A string set; elements in given order, distinct. */
    record SS(List<String> values) implements AttributeValue {
        public String type() { return "SS"; }
        public int size() {
            int n = 0;
            for (String s : values) {
                n += Utf8.length(s);
            }
            return n;
        }
        @Override public boolean equals(Object o) {
            return o instanceof SS s && s.values.size() == values.size() && values.containsAll(s.values);
        }
        @Override public int hashCode() { return values.size(); }
    }

    record NS(List<N> values) implements AttributeValue {
        public String type() { return "NS"; }
        public int size() {
            int n = 0;
            for (N v : values) {
                n += v.size();
            }
            return n;
        }
        @Override public boolean equals(Object o) {
            return o instanceof NS s && s.values.size() == values.size() && values.containsAll(s.values);
        }
        @Override public int hashCode() { return values.size(); }
    }

    record BS(List<B> values) implements AttributeValue {
        public String type() { return "BS"; }
        public int size() {
            int n = 0;
            for (B v : values) {
                n += v.size();
            }
            return n;
        }
        @Override public boolean equals(Object o) {
            return o instanceof BS s && s.values.size() == values.size() && values.containsAll(s.values);
        }
        @Override public int hashCode() { return values.size(); }
    }

    /** A map value; AWS counts 3 bytes for the map plus 1 per element besides names and values. */
    record M(Map<String, AttributeValue> values) implements AttributeValue {
        public String type() { return "M"; }
        public int size() {
            int n = 3;
            for (Map.Entry<String, AttributeValue> e : values.entrySet()) {
                n += Utf8.length(e.getKey()) + e.getValue().size() + 1;
            }
            return n;
        }
    }

    record L(List<AttributeValue> values) implements AttributeValue {
        public String type() { return "L"; }
        public int size() {
            int n = 3;
            for (AttributeValue v : values) {
                n += v.size() + 1;
            }
            return n;
        }
    }

    record Bool(boolean value) implements AttributeValue {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);
        public String type() { return "BOOL"; }
        public int size() { return 1; }
    }

    record Null() implements AttributeValue {
        public static final Null INSTANCE = new Null();
        public String type() { return "NULL"; }
        public int size() { return 1; }
    }

    /** UTF-8 length without allocating. */
    final class Utf8 {
        private Utf8() {
        }

        public static int length(String s) {
            int n = 0;
            for (int i = 0, len = s.length(); i < len; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    n++;
                } else if (c < 0x800) {
                    n += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else {
                    n += 3;
                }
            }
            return n;
        }

        public static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
    }
}
