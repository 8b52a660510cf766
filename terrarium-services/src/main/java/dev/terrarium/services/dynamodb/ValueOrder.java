package dev.terrarium.services.dynamodb;

/**
 * DynamoDB's order of scalar values: numbers by value, strings by their UTF-8 bytes (code point order),
 * binaries as unsigned bytes. Only values of one type (S, N or B) are ever compared.
 */
public final class ValueOrder {
    private ValueOrder() {
    }

    /** True for the types that order: S, N and B. */
    public static boolean orderable(AttributeValue v) {
        return v instanceof AttributeValue.S || v instanceof AttributeValue.N || v instanceof AttributeValue.B;
    }

    public static int compare(AttributeValue a, AttributeValue b) {
        if (a instanceof AttributeValue.N x && b instanceof AttributeValue.N y) {
            return x.value().compareTo(y.value());
        }
        if (a instanceof AttributeValue.S x && b instanceof AttributeValue.S y) {
            return compareStrings(x.value(), y.value());
        }
        if (a instanceof AttributeValue.B x && b instanceof AttributeValue.B y) {
            return java.util.Arrays.compareUnsigned(x.value(), y.value());
        }
        throw new IllegalArgumentException("not comparable: " + a.type() + " and " + b.type());
    }

    /** Code point order, which is UTF-8 byte order (String.compareTo is UTF-16 order, which differs above U+FFFF). */
    public static int compareStrings(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }
}
