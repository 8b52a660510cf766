package dev.terrarium.core.iam;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Decides one condition against a request's keys, as AWS documents: values of one key are ORed
 * (NORed for negated operators); a missing key fails the test, except for negated operators and
 * ...IfExists, which pass; ForAllValues passes on an empty set, ForAnyValue fails on it.
 */
final class ConditionEvaluator {
    private ConditionEvaluator() {
    }

    /** vars is the request's keys when policy variables apply (2012-10-17), else null. */
    static boolean evaluate(Condition c, ContextKeys request, ContextKeys vars) {
        List<String> actual = request.get(c.key());
        if (c.operator() == ConditionOperator.NULL) {
            boolean absent = actual == null || actual.isEmpty();
            for (String v : c.values()) {
                if (Boolean.parseBoolean(v.toLowerCase()) == absent) {
                    return true;
                }
            }
            return false;
        }
        boolean missing = actual == null || actual.isEmpty();
        switch (c.qualifier()) {
            case FOR_ALL_VALUES:
                if (missing) {
                    return true;
                }
                for (String v : actual) {
                    if (!matchesOne(c, v, vars)) {
                        return false;
                    }
                }
                return true;
            case FOR_ANY_VALUE:
                if (missing) {
                    return c.ifExists();
                }
                for (String v : actual) {
                    if (matchesOne(c, v, vars)) {
                        return true;
                    }
                }
                return false;
            default:
                if (missing) {
                    return c.ifExists() || c.operator().negated();
                }
                if (c.operator().negated()) {
                    for (String v : actual) {
                        if (!matchesOne(c, v, vars)) {
                            return false;
                        }
                    }
                    return true;
                }
                for (String v : actual) {
                    if (matchesOne(c, v, vars)) {
                        return true;
                    }
                }
                return false;
        }
    }

    /** One request value against the policy values: any matches (negated: none matches). */
    private static boolean matchesOne(Condition c, String value, ContextKeys vars) {
        boolean any = false;
        for (String p : c.values()) {
            if (compare(c.operator(), p, value, vars)) {
                any = true;
                break;
            }
        }
        return c.operator().negated() != any;
    }

    private static boolean compare(ConditionOperator op, String policy, String value, ContextKeys vars) {
        switch (op.family()) {
            case STRING:
                return Patterns.matches(policy, value, false, false, vars);
            case STRING_IGNORE_CASE:
                return Patterns.matches(policy, value, false, true, vars);
            case STRING_LIKE:
                return Patterns.matches(policy, value, true, false, vars);
            case ARN:
                return Patterns.arnMatches(policy, value, vars);
            case BOOL:
                return policy.equalsIgnoreCase(value);
            case BINARY:
                return policy.equals(value);
            case IP:
                return ipInRange(value, policy);
            case NUMERIC:
                return numeric(op, policy, value);
            case DATE:
                return date(op, policy, value);
            default:
                return false;
        }
    }

    private static boolean numeric(ConditionOperator op, String policy, String value) {
        return compares(op, number(policy), number(value));
    }

    private static boolean date(ConditionOperator op, String policy, String value) {
        return compares(op, instant(policy), instant(value));
    }

    /** Numeric* and Date* operators: the request's value against the policy's (false when either is not one). */
    private static <T extends Comparable<T>> boolean compares(ConditionOperator op, T policy, T value) {
        if (policy == null || value == null) {
            return false;
        }
        int cmp = value.compareTo(policy);
        return switch (op) {
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, DATE_EQUALS, DATE_NOT_EQUALS -> cmp == 0;
            case NUMERIC_LESS_THAN, DATE_LESS_THAN -> cmp < 0;
            case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> cmp <= 0;
            case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> cmp > 0;
            case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> cmp >= 0;
            default -> false;
        };
    }

    static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** ISO 8601 (date, date-time with or without zone) or epoch seconds, as IAM accepts them. */
    static Instant instant(String s) {
        String t = s.trim();
        if (!t.isEmpty() && t.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.')) {
            BigDecimal secs = number(t);
            if (secs == null) {
                return null;
            }
            return Instant.ofEpochSecond(secs.longValue(),
                    secs.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether ip lies in the CIDR range (a bare address is a /32 or /128). */
    static boolean ipInRange(String ip, String cidr) {
        byte[] address = address(ip.trim());
        String range = cidr.trim();
        int slash = range.indexOf('/');
        byte[] network = address(slash < 0 ? range : range.substring(0, slash));
        if (address == null || network == null || address.length != network.length) {
            return false;
        }
        int bits;
        try {
            bits = slash < 0 ? network.length * 8 : Integer.parseInt(range.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (bits < 0 || bits > network.length * 8) {
            return false;
        }
        for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((address[i] & mask) != (network[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** An IP literal's bytes; never a DNS lookup. */
    static byte[] address(String s) {
        if (s.isEmpty() || !s.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')) {
            return null;
        }
        if (s.indexOf(':') < 0 && s.split("\\.", -1).length != 4) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
