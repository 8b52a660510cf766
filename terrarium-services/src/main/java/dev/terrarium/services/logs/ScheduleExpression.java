package dev.terrarium.services.logs;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scheduled query's schedule: {@code cron(minute hour day-of-month month day-of-week year)} as CloudWatch
 * Logs (and EventBridge) write it, evaluated in a time zone, or {@code rate(n minute|minutes|hour|hours|day|days)}
 * counted from an anchor (the schedule's start). Cron fields take {@code * , - /}; day-of-month also
 * {@code ? L W} (L, LW, 15W), day-of-week {@code ? L #} (names SUN-SAT or 1-7 with 1 = Sunday; 6L, MON#1);
 * months 1-12 or JAN-DEC; years 1970-2199. One of the two day fields must be {@code ?}.
 */
final class ScheduleExpression {
    private static final Pattern CRON = Pattern.compile("^cron\\((.*)\\)$");
    private static final Pattern RATE = Pattern.compile("^rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)$");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** How far ahead next() looks for a cron match before it says never. */
    private static final int HORIZON_DAYS = 366 * 8;

    private final String text;
    private final Duration rate;
    private final IntPredicate minutes;
    private final IntPredicate hours;
    private final DayMatcher daysOfMonth;
    private final IntPredicate months;
    private final DayMatcher daysOfWeek;
    private final IntPredicate years;

    private interface DayMatcher {
        boolean matches(LocalDate day);
    }

    private ScheduleExpression(String text, Duration rate, IntPredicate minutes, IntPredicate hours, DayMatcher daysOfMonth,
                               IntPredicate months, DayMatcher daysOfWeek, IntPredicate years) {
        this.text = text;
        this.rate = rate;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.years = years;
    }

    /** The parsed expression; an expression AWS would refuse is an IllegalArgumentException with the reason. */
    static ScheduleExpression parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a schedule expression is required");
        }
        String s = text.trim();
        Matcher rm = RATE.matcher(s);
        if (rm.matches()) {
            long n = Long.parseLong(rm.group(1));
            String unit = rm.group(2);
            if (n <= 0 || (n == 1) != !unit.endsWith("s")) {
                throw new IllegalArgumentException("rate value must be positive, with a singular unit for 1 and plural otherwise");
            }
            Duration d = unit.startsWith("minute") ? Duration.ofMinutes(n) : unit.startsWith("hour") ? Duration.ofHours(n)
                    : Duration.ofDays(n);
            return new ScheduleExpression(s, d, null, null, null, null, null, null);
        }
        Matcher cm = CRON.matcher(s);
        if (!cm.matches()) {
            throw new IllegalArgumentException("expected cron(...) or rate(...)");
        }
        String[] f = cm.group(1).trim().split("\\s+");
        if (f.length != 6) {
            throw new IllegalArgumentException("a cron expression has 6 fields: minute hour day-of-month month day-of-week year");
        }
        boolean domAny = f[2].equals("?");
        boolean dowAny = f[4].equals("?");
        if (domAny == dowAny) {
            throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be ?");
        }
        return new ScheduleExpression(s, null, field(f[0], 0, 59, null), field(f[1], 0, 23, null),
                domAny ? day -> true : dayOfMonth(f[2]), field(f[3], 1, 12, MONTHS),
                dowAny ? day -> true : dayOfWeek(f[4]), field(f[5], 1970, 2199, null));
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The first trigger time strictly after {@code after} (epoch millis), or Long.MAX_VALUE when there is none.
     * Rates count whole periods from anchor; crons match whole minutes in zone.
     */
    long next(long after, long anchor, ZoneId zone) {
        if (rate != null) {
            long period = rate.toMillis();
            if (after < anchor) {
                return anchor + period;
            }
            return anchor + ((after - anchor) / period + 1) * period;
        }
        ZonedDateTime from = Instant.ofEpochMilli(after).atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate day = from.toLocalDate();
        for (int i = 0; i < HORIZON_DAYS; i++, day = day.plusDays(1)) {
            if (!years.test(day.getYear()) || !months.test(day.getMonthValue()) || !daysOfMonth.matches(day)
                    || !daysOfWeek.matches(day)) {
                continue;
            }
            boolean first = i == 0;
            for (int h = first ? from.getHour() : 0; h < 24; h++) {
                if (!hours.test(h)) {
                    continue;
                }
                for (int m = first && h == from.getHour() ? from.getMinute() : 0; m < 60; m++) {
                    if (minutes.test(m)) {
                        long t = ZonedDateTime.of(day, LocalTime.of(h, m), zone).toInstant().toEpochMilli();
                        if (t > after) {
                            return t;
                        }
                    }
                }
            }
        }
        return Long.MAX_VALUE;
    }

    // --- fields

    private static IntPredicate field(String spec, int min, int max, List<String> names) {
        IntPredicate any = v -> false;
        for (String item : spec.split(",", -1)) {
            IntPredicate one = item(item, min, max, names);
            IntPredicate before = any;
            any = v -> before.test(v) || one.test(v);
        }
        return any;
    }

    private static IntPredicate item(String item, int min, int max, List<String> names) {
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            step = number(item.substring(slash + 1), 1, max);
        }
        int lo;
        int hi;
        if (range.equals("*")) {
            lo = min;
            hi = max;
        } else if (range.contains("-")) {
            String[] ends = range.split("-", -1);
            if (ends.length != 2) {
                throw new IllegalArgumentException("bad range " + item);
            }
            lo = value(ends[0], min, max, names);
            hi = value(ends[1], min, max, names);
            if (hi < lo) {
                throw new IllegalArgumentException("bad range " + item);
            }
        } else {
            lo = value(range, min, max, names);
            hi = slash >= 0 ? max : lo;
        }
        int from = lo;
        int to = hi;
        int by = step;
        return v -> v >= from && v <= to && (v - from) % by == 0;
    }

    private static int value(String s, int min, int max, List<String> names) {
        if (names != null) {
            int at = names.indexOf(s.toUpperCase(Locale.ROOT));
            if (at >= 0) {
                return at + min;
            }
        }
        return number(s, min, max);
    }

    private static int number(String s, int min, int max) {
        try {
            int v = Integer.parseInt(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("value " + s + " is out of range " + min + "-" + max);
    }

    private static DayMatcher dayOfMonth(String spec) {
        if (spec.equals("L")) {
            return day -> day.getDayOfMonth() == day.lengthOfMonth();
        }
        if (spec.equals("LW")) {
            return day -> day.equals(weekdayNearest(day.withDayOfMonth(day.lengthOfMonth())));
        }
        if (spec.endsWith("W")) {
            int n = number(spec.substring(0, spec.length() - 1), 1, 31);
            return day -> n <= day.lengthOfMonth() && day.equals(weekdayNearest(day.withDayOfMonth(n)));
        }
        IntPredicate p = field(spec, 1, 31, null);
        return day -> p.test(day.getDayOfMonth());
    }

    /** The weekday nearest to a day, within its month (W). */
    private static LocalDate weekdayNearest(LocalDate d) {
        if (d.getDayOfWeek() == DayOfWeek.SATURDAY) {
            return d.getDayOfMonth() == 1 ? d.plusDays(2) : d.minusDays(1);
        }
        if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return d.getDayOfMonth() == d.lengthOfMonth() ? d.minusDays(2) : d.plusDays(1);
        }
        return d;
    }

    private static DayMatcher dayOfWeek(String spec) {
        if (spec.contains("#")) {
            String[] parts = spec.split("#", -1);
            int dow = value(parts[0], 1, 7, DAYS);
            int nth = number(parts[1], 1, 5);
            return day -> cronDay(day) == dow && (day.getDayOfMonth() - 1) / 7 + 1 == nth;
        }
        if (spec.equals("L")) {
            return day -> cronDay(day) == 7;
        }
        if (spec.endsWith("L")) {
            int dow = value(spec.substring(0, spec.length() - 1), 1, 7, DAYS);
            return day -> cronDay(day) == dow
                    && day.equals(day.with(TemporalAdjusters.lastInMonth(day.getDayOfWeek())));
        }
        IntPredicate p = field(spec, 1, 7, DAYS);
        return day -> p.test(cronDay(day));
    }

    /** Cron's day of week: 1 = Sunday ... 7 = Saturday. */
    private static int cronDay(LocalDate day) {
        return day.getDayOfWeek().getValue() % 7 + 1;
    }
}
