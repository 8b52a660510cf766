package dev.terrarium.core.protocol.xml;

import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.Timestamps;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Date;
import java.util.regex.Pattern;

/**
 * Scalars as text, the way the XML and query protocols carry them: booleans lower-case, blobs base64,
 * timestamps iso8601 unless the model says otherwise, floats with NaN/Infinity spelled out.
 */
public final class ScalarText {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private ScalarText() {
    }

    /** Why a text is not a valid value of its shape; the message says what was expected. */
    public static final class BadValueException extends Exception {
        public BadValueException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses text as a value of a scalar shape. timestampFormat is the member's (or null for iso8601
     * on output; on input every format is accepted, as AWS does).
     */
    public static Object parse(Shape shape, String text) throws BadValueException {
        switch (shape.type()) {
            case STRING:
                return text;
            case BOOLEAN: {
                String t = text.trim();
                if (t.equalsIgnoreCase("true")) {
                    return Boolean.TRUE;
                }
                if (t.equalsIgnoreCase("false")) {
                    return Boolean.FALSE;
                }
                throw new BadValueException("expected a boolean (true or false)");
            }
            case INTEGER:
            case LONG:
            case SHORT:
            case BYTE:
                return parseInteger(shape, text.trim());
            case BIG_INTEGER: {
                String t = text.trim();
                if (!INTEGER.matcher(t).matches()) {
                    throw new BadValueException("expected an integer");
                }
                return new BigInteger(t);
            }
            case FLOAT:
            case DOUBLE: {
                String t = text.trim();
                Double d = parseDouble(t);
                if (d == null) {
                    throw new BadValueException("expected a number");
                }
                return shape.is(dev.terrarium.core.model.ShapeType.FLOAT) ? (Object) d.floatValue() : d;
            }
            case BIG_DECIMAL: {
                String t = text.trim();
                if (!DECIMAL.matcher(t).matches()) {
                    throw new BadValueException("expected a number");
                }
                return new BigDecimal(t);
            }
            case TIMESTAMP:
                try {
                    return Timestamps.parse(text);
                } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
                    throw new BadValueException("expected a timestamp");
                }
            case BLOB:
                try {
                    return Base64.getMimeDecoder().decode(strictBase64(text.trim()));
                } catch (IllegalArgumentException e) {
                    throw new BadValueException("expected base64-encoded binary data");
                }
            default:
                throw new BadValueException("expected a scalar value");
        }
    }

    private static String strictBase64(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n';
            if (!ok) {
                throw new IllegalArgumentException("illegal base64 character");
            }
        }
        return t;
    }

    private static Object parseInteger(Shape shape, String t) throws BadValueException {
        if (!INTEGER.matcher(t).matches()) {
            throw new BadValueException("expected an integer");
        }
        try {
            return switch (shape.type()) {
                case LONG -> Long.parseLong(t);
                case SHORT -> Short.parseShort(t);
                case BYTE -> Byte.parseByte(t);
                default -> Integer.parseInt(t);
            };
        } catch (NumberFormatException e) {
            throw new BadValueException("number out of range for " + shape.type().name().toLowerCase());
        }
    }

    private static Double parseDouble(String t) {
        switch (t) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
            case "+Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return DECIMAL.matcher(t).matches() ? Double.parseDouble(t) : null;
        }
    }

    /** The text of a scalar value for its shape; timestampFormat null means iso8601. */
    public static String format(Shape shape, Object value, String timestampFormat) {
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Instant t) {
            return Timestamps.format(t, timestampFormat == null ? Timestamps.ISO8601 : timestampFormat);
        }
        if (value instanceof Date d) {
            return Timestamps.format(d.toInstant(), timestampFormat == null ? Timestamps.ISO8601 : timestampFormat);
        }
        if (value instanceof Double || value instanceof Float) {
            return formatFloating(((Number) value).doubleValue(), value instanceof Float);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (shape != null && shape.is(dev.terrarium.core.model.ShapeType.BLOB) && value instanceof String s) {
            return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return String.valueOf(value);
    }

    private static String formatFloating(double d, boolean isFloat) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        // Float.toString keeps a float's short form (0.1f -> "0.1", not 0.10000000149011612)
        return isFloat ? Float.toString((float) d) : Double.toString(d);
    }
}
