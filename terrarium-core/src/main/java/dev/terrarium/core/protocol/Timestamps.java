package dev.terrarium.core.protocol;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** The three timestamp wire formats of AWS: iso8601, epoch-seconds (with fractions) and rfc822 (HTTP date). */
public final class Timestamps {
    public static final String ISO8601 = "iso8601";
    public static final String UNIX = "unixTimestamp";
    public static final String RFC822 = "rfc822";

    private static final DateTimeFormatter RFC822_OUT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** ISO 8601 in UTC with milliseconds only when present: 2014-04-29T18:30:38Z or ...38.123Z. */
    public static String iso8601(Instant t) {
        Instant truncated = t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String s = DateTimeFormatter.ISO_INSTANT.format(truncated);
        return s;
    }

    /** Epoch seconds, with up to millisecond fractions, no trailing zeros: 1398796238 or 1398796238.123. */
    public static BigDecimal epochSeconds(Instant t) {
        BigDecimal millis = BigDecimal.valueOf(t.toEpochMilli());
        BigDecimal secs = millis.movePointLeft(3).stripTrailingZeros();
        return secs.scale() < 0 ? secs.setScale(0) : secs;
    }

    public static String rfc822(Instant t) {
        return RFC822_OUT.format(t);
    }

    public static String format(Instant t, String format) {
        return switch (format) {
            case UNIX -> epochSeconds(t).toPlainString();
            case RFC822 -> rfc822(t);
            default -> iso8601(t);
        };
    }

    /** Parses any of the three formats (the client may send what the format names, we are lenient on input). */
    public static Instant parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new DateTimeParseException("empty timestamp", text, 0);
        }
        char first = s.charAt(0);
        if (Character.isDigit(first) || first == '-') {
            if (s.indexOf('T') > 0 || (s.indexOf('-', 1) > 0 && s.length() >= 10)) {
                return parseIso(s);
            }
            return parseEpochSeconds(s);
        }
        return parseHttpDate(s);
    }

    public static Instant parseEpochSeconds(String s) {
        BigDecimal secs = new BigDecimal(s);
        long whole = secs.longValue();
        long nanos = secs.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    public static Instant fromEpochSeconds(double secs) {
        return parseEpochSeconds(BigDecimal.valueOf(secs).toPlainString());
    }

    private static Instant parseIso(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(s.length() == 10 ? s + "T00:00:00Z" : s, Instant::from);
        }
    }

    private static Instant parseHttpDate(String s) {
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(s, Instant::from);
        } catch (DateTimeParseException e) {
            // "Sun, 06 Nov 1994 08:49:37 GMT" with a two-digit day missing a zero, or UTC zone words
            return DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss zzz", Locale.US).parse(s, Instant::from);
        }
    }

    static long millisOfSecond(Instant t) {
        return t.getLong(ChronoField.MILLI_OF_SECOND);
    }
}
