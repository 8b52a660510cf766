package dev.terrarium.core.iam;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionEvaluatorTest {

    @Test
    void dates_in_every_form_iam_reads() {
        assertThat(ConditionEvaluator.instant("2020-01-01T00:00:00Z")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(ConditionEvaluator.instant("2020-01-01T01:00:00+01:00")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(ConditionEvaluator.instant("2020-01-01")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(ConditionEvaluator.instant("2020-01-01T00:00:00")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(ConditionEvaluator.instant("1577836800")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(ConditionEvaluator.instant("soon")).isNull();
    }

    @Test
    void ip_ranges() {
        assertThat(ConditionEvaluator.ipInRange("10.1.2.3", "10.0.0.0/8")).isTrue();
        assertThat(ConditionEvaluator.ipInRange("10.1.2.3", "10.1.2.3")).isTrue();
        assertThat(ConditionEvaluator.ipInRange("10.1.2.3", "0.0.0.0/0")).isTrue();
        assertThat(ConditionEvaluator.ipInRange("::1", "::1/128")).isTrue();
        assertThat(ConditionEvaluator.ipInRange("::1", "10.0.0.0/8")).isFalse();
        assertThat(ConditionEvaluator.ipInRange("10.1.2.3", "10.0.0.0/33")).isFalse();
        assertThat(ConditionEvaluator.ipInRange("10.1.2.3", "10.0.0.0/x")).isFalse();
        assertThat(ConditionEvaluator.ipInRange("example.com", "0.0.0.0/0")).isFalse();
        assertThat(ConditionEvaluator.ipInRange("10.1.2", "0.0.0.0/0")).isFalse();
    }

    @Test
    void patterns_split_arns_but_keep_variables_whole() {
        assertThat(Patterns.splitArn("arn:aws:s3:::b/${aws:username}/*")).containsExactly("arn", "aws", "s3", "", "", "b/${aws:username}/*");
        assertThat(Patterns.splitArn("arn:aws:logs:us-east-1:1:log-group:g:*")).hasSize(6).last().isEqualTo("log-group:g:*");
        assertThat(Patterns.arnMatches("arn:aws:logs:*:*:log-group:g:*", "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s", null)).isTrue();
        assertThat(Patterns.matches("a*b?", "aXXbY", true, false, null)).isTrue();
        assertThat(Patterns.matches("a*b?", "aXXb", true, false, null)).isFalse();
        assertThat(Patterns.matches("a.b", "axb", true, false, null)).isFalse();
        assertThat(Patterns.matches("A*", "abc", true, true, null)).isTrue();
    }
}
