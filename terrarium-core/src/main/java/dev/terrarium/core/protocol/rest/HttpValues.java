package dev.terrarium.core.protocol.rest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Scalars as text in URIs, query strings and headers: parsing them by shape and formatting them
 * back. Timestamps default to iso8601 in URIs and query strings and to the HTTP date in headers;
 * jsonvalue strings travel as base64 JSON; blobs as base64; lists in headers comma-separated.
 */
public final class HttpValues {
    public enum Where { URI, QUERY, HEADER }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpValues() {
    }

    public static String timestampFormat(Member m, Where where) {
        String f = m.timestampFormat();
        if (f != null) {
            return f;
        }
        return where == Where.HEADER ? Timestamps.RFC822 : Timestamps.ISO8601;
    }

    /** Parses a text value of the member's shape; a value that does not fit is {@code malformedCode} (400). */
    public static Object parse(Member m, String text, Where where, String malformedCode) {
        Shape s = m.shape();
        try {
            return switch (s.type()) {
                case STRING -> m.jsonValue() ? jsonValue(text) : text;
                case BOOLEAN -> switch (text) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("not a boolean");
                };
                case BYTE -> Byte.parseByte(integer(text));
                case SHORT -> Short.parseShort(integer(text));
                case INTEGER -> Integer.parseInt(integer(text));
                case LONG -> Long.parseLong(integer(text));
                case BIG_INTEGER -> new BigInteger(integer(text));
                case BIG_DECIMAL -> new BigDecimal(decimal(text));
                case FLOAT -> (float) floating(text);
                case DOUBLE -> floating(text);
                case BLOB -> Base64.getDecoder().decode(text.trim());
                case TIMESTAMP -> timestamp(text, timestampFormat(m, where));
                default -> throw new IllegalArgumentException("a " + s.type() + " cannot be bound to a " + where);
            };
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            throw new AwsException(malformedCode, "Value '" + text + "' at '" + m.wireName()
                    + "' cannot be converted to " + typeName(s.type()), 400);
        }
    }

    private static String typeName(ShapeType t) {
        String n = t.name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static String integer(String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new NumberFormatException(text);
        }
        return text;
    }

    private static String decimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new NumberFormatException(text);
        }
        return text;
    }

    private static double floating(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(decimal(text));
        };
    }

    private static Instant timestamp(String text, String format) {
        return switch (format) {
            case Timestamps.UNIX -> Timestamps.parseEpochSeconds(decimal(text));
            default -> Timestamps.parse(text);
        };
    }

    /** A jsonvalue header: base64 of JSON text; the value is the JSON text, checked to be JSON. */
    private static String jsonValue(String base64) {
        String json = new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        try {
            JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON");
        }
        return json;
    }

    /**
     * Splits a header list ("a, b" or quoted "\"a,b\", c"); HTTP dates contain a comma themselves,
     * so a list of them is split at every second comma.
     */
    public static List<String> splitHeaderList(String line, boolean httpDates) {
        List<String> out = new ArrayList<>();
        if (httpDates) {
            String[] parts = line.split(",");
            for (int i = 0; i + 1 < parts.length; i += 2) {
                out.add((parts[i] + "," + parts[i + 1]).trim());
            }
            if (parts.length % 2 == 1 && !parts[parts.length - 1].isBlank()) {
                out.add(parts[parts.length - 1].trim());
            }
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.toString().isBlank()) {
                quoted = true;
                wasQuoted = true;
                cur.setLength(0);
            } else if (c == ',') {
                out.add(wasQuoted ? cur.toString() : cur.toString().trim());
                cur.setLength(0);
                wasQuoted = false;
            } else if (!(wasQuoted && Character.isWhitespace(c))) {
                cur.append(c);
            }
        }
        if (!line.isBlank()) {
            out.add(wasQuoted ? cur.toString() : cur.toString().trim());
        }
        return out;
    }

    /** The header text of a value of this member's shape, or null for an empty list. */
    public static String formatHeader(Member m, Object v) {
        Shape s = m.shape();
        if (s.type() == ShapeType.LIST) {
            Iterable<?> items = v instanceof Collection<?> c ? c : List.of(v);
            Member item = s.listMember();
            List<String> parts = new ArrayList<>();
            for (Object x : items) {
                if (x == null) {
                    continue;
                }
                String text = formatHeader(item, x);
                if (item.shape().type() == ShapeType.STRING && (text.indexOf(',') >= 0 || text.indexOf('"') >= 0)) {
                    text = '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
                }
                parts.add(text);
            }
            return parts.isEmpty() ? null : String.join(", ", parts);
        }
        return format(m, v, Where.HEADER);
    }

    /** The text of a scalar value of this member's shape, as sent in a URI, query string or header. */
    public static String format(Member m, Object v, Where where) {
        Shape s = m.shape();
        return switch (s.type()) {
            case STRING -> m.jsonValue() ? Base64.getEncoder().encodeToString(jsonText(v).getBytes(StandardCharsets.UTF_8))
                    : v instanceof Enum<?> e ? e.name() : v.toString();
            case FLOAT, DOUBLE -> {
                double d = ((Number) v).doubleValue();
                yield Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                        : v instanceof Float f ? Float.toString(f) : Double.toString(d);
            }
            case BIG_DECIMAL -> v instanceof BigDecimal b ? b.toPlainString() : v.toString();
            case BLOB -> Base64.getEncoder().encodeToString(v instanceof byte[] b ? b
                    : v.toString().getBytes(StandardCharsets.UTF_8));
            case TIMESTAMP -> Timestamps.format(instant(v), timestampFormat(m, where));
            default -> v.toString();
        };
    }

    private static String jsonText(Object v) {
        if (v instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(v);
        } catch (JacksonException e) {
            throw AwsException.internal("cannot write a jsonvalue header: " + e.getOriginalMessage());
        }
    }

    private static Instant instant(Object v) {
        if (v instanceof Instant t) {
            return t;
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Number n) {
            return Timestamps.parseEpochSeconds(n.toString());
        }
        return Timestamps.parse(v.toString());
    }
}
