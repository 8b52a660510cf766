package dev.terrarium.services.dynamodb;


import java.math.BigDecimal;

/** DynamoDB numbers: 38 significant digits, magnitude 1E-130 to 9.99...E+125, normalised as AWS returns them. */
public final class Numbers {
    private static final BigDecimal MAX = new BigDecimal("9.9999999999999999999999999999999999999E+125");
    private static final BigDecimal MIN = new BigDecimal("1E-130");

    private Numbers() {
    }

    public static AttributeValue.N parse(String text) {
        BigDecimal value;
        if (text == null || text.isEmpty()) {
            throw Errors.validation("The parameter cannot be converted to a numeric value");
        }
        try {
            value = new BigDecimal(text.trim().isEmpty() ? "x" : text);
        } catch (NumberFormatException e) {
            throw Errors.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        return of(value);
    }

    /** A number computed by Terrarium (ADD, +, -), checked like an input. */
    public static AttributeValue.N of(BigDecimal value) {
        if (value.signum() == 0) {
            return ZERO;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.precision() > 38) {
            throw Errors.validation("Attempting to store more than 38 significant digits in a Number");
        }
        BigDecimal magnitude = stripped.abs();
        if (magnitude.compareTo(MAX) > 0) {
            throw Errors.validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (magnitude.compareTo(MIN) < 0) {
            throw Errors.validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return new AttributeValue.N(stripped.toPlainString(), stripped);
    }

    private static final AttributeValue.N ZERO = new AttributeValue.N("0", BigDecimal.ZERO);

    /** Bytes a number takes: one per two significant digits, plus one or two for the exponent. */
    static int size(BigDecimal value) {
        if (value.signum() == 0) {
            return 3;
        }
        int digits = value.precision();
        int exponent = digits - value.scale() - 1;
        return (digits + 1) / 2 + (exponent % 2 != 0 ? 1 : 2);
    }

    /** Sum or difference of two numbers, with the precision and range rules of stored numbers. */
    public static AttributeValue.N add(AttributeValue.N a, AttributeValue.N b) {
        return of(a.value().add(b.value()));
    }

    public static AttributeValue.N subtract(AttributeValue.N a, AttributeValue.N b) {
        return of(a.value().subtract(b.value()));
    }

}
