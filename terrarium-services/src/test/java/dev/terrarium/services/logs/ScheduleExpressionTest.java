package dev.terrarium.services.logs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleExpressionTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static String next(String expression, String after, ZoneId zone) {
        return Instant.ofEpochMilli(ScheduleExpression.parse(expression).next(t(after), 0, zone)).toString();
    }

    @Test
    void cronFieldsAsAwsWritesThem() {
        assertThat(next("cron(0 9 * * ? *)", "2024-03-05T09:00:00Z", UTC)).isEqualTo("2024-03-06T09:00:00Z");
        assertThat(next("cron(0 9 * * ? *)", "2024-03-05T08:59:59Z", UTC)).isEqualTo("2024-03-05T09:00:00Z");
        assertThat(next("cron(*/15 * * * ? *)", "2024-03-05T10:07:00Z", UTC)).isEqualTo("2024-03-05T10:15:00Z");
        assertThat(next("cron(0 9-17 ? * MON-FRI *)", "2024-03-08T17:30:00Z", UTC)).isEqualTo("2024-03-11T09:00:00Z");
        assertThat(next("cron(0 0 1 1,4,7,10 ? *)", "2024-02-10T00:00:00Z", UTC)).isEqualTo("2024-04-01T00:00:00Z");
        assertThat(next("cron(0 9 L * ? *)", "2024-02-01T00:00:00Z", UTC)).isEqualTo("2024-02-29T09:00:00Z");
        assertThat(next("cron(0 0 ? * MON#1 *)", "2024-03-05T00:00:00Z", UTC)).isEqualTo("2024-04-01T00:00:00Z");
        assertThat(next("cron(0 0 ? * 6L *)", "2024-03-01T00:00:00Z", UTC)).isEqualTo("2024-03-29T00:00:00Z");
        // 1 June 2024 is a Saturday: the nearest weekday in the month is Monday the 3rd
        assertThat(next("cron(0 12 1W * ? *)", "2024-05-20T00:00:00Z", UTC)).isEqualTo("2024-06-03T12:00:00Z");
        assertThat(next("cron(30 8 1 1 ? 2030)", "2024-01-01T00:00:00Z", UTC)).isEqualTo("2030-01-01T08:30:00Z");
        assertThat(ScheduleExpression.parse("cron(0 0 1 1 ? 1999)").next(t("2024-01-01T00:00:00Z"), 0, UTC))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void cronRunsInItsTimeZoneAcrossDaylightSaving() {
        ZoneId ny = ZoneId.of("America/New_York");
        assertThat(next("cron(0 9 * * ? *)", "2024-03-09T15:00:00Z", ny)).isEqualTo("2024-03-10T13:00:00Z");
        assertThat(next("cron(0 9 * * ? *)", "2024-03-08T15:00:00Z", ny)).isEqualTo("2024-03-09T14:00:00Z");
    }

    @Test
    void ratesCountFromTheirAnchor() {
        ScheduleExpression every5 = ScheduleExpression.parse("rate(5 minutes)");
        long anchor = t("2024-03-05T10:02:30Z");
        assertThat(every5.next(anchor, anchor, UTC)).isEqualTo(anchor + 300_000);
        assertThat(every5.next(anchor + 300_000, anchor, UTC)).isEqualTo(anchor + 600_000);
        assertThat(every5.next(anchor + 301_000, anchor, UTC)).isEqualTo(anchor + 600_000);
        assertThat(ScheduleExpression.parse("rate(1 day)").next(anchor, anchor, UTC)).isEqualTo(anchor + 86_400_000);
    }

    @Test
    void expressionsAwsRefuses() {
        for (String bad : new String[] {"cron(0 9 * * * *)", "cron(0 9 ? * ? *)", "cron(0 9 * *)", "cron(60 9 * * ? *)",
                "cron(0 9 * 13 ? *)", "cron(0 9 ? * FUNDAY *)", "rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)",
                "rate(5 weeks)", "every 5 minutes", "0 9 * * *"}) {
            assertThatThrownBy(() -> ScheduleExpression.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
