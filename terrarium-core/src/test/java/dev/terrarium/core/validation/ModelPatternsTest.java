package dev.terrarium.core.validation;

import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.model.Shape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ModelPatternsTest {

    @Test
    void everyPatternOfEveryModelCompiles() {
        Models models = Models.fromClasspath();
        TreeSet<String> patterns = new TreeSet<>();
        for (ServiceInfo info : models.services()) {
            for (Shape s : models.model(info.name()).shapes().values()) {
                if (s.pattern() != null) {
                    patterns.add(s.pattern());
                }
            }
        }
        List<String> failing = new ArrayList<>();
        for (String p : patterns) {
            if (ModelPatterns.compiled(p).isEmpty()) {
                failing.add(p);
            }
        }
        assertThat(patterns).hasSizeGreaterThan(100);
        assertThat(failing).as("patterns Java cannot compile").isEmpty();
    }

    @Test
    void supplementaryCodePointsAreTranslated() {
        String arn = "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+";
        assertThat(ModelPatterns.compiled(arn).orElseThrow().pattern()).contains("\\x{10000}-\\x{10FFFF}")
                .contains("\\u0009");
        assertThat(ModelPatterns.matches(arn, "arn:\uD83D\uDE00")).isTrue();
        assertThat(ModelPatterns.matches(arn, "arn:\u0001")).isFalse();
        // without the translation "0" would be outside the class: \u1000, then 0-\u10FF
        assertThat(ModelPatterns.matches(arn, "1234")).isTrue();
    }

    @Test
    void wholeValueMustMatch() {
        assertThat(ModelPatterns.matches("[a-z]+", "abc")).isTrue();
        assertThat(ModelPatterns.matches("[a-z]+", "abc1")).isFalse();
    }

    @Test
    void uncompilablePatternsAreNotEnforced() {
        assertThat(ModelPatterns.compiled("[a-")).isEmpty();
        assertThat(ModelPatterns.matches("[a-", "anything")).isTrue();
    }

    @Test
    void runawayBacktrackingIsCutShort() {
        // about 6 s of backtracking in java.util.regex when unbounded
        String evil = "((a|aa)+)+x";
        String input = "a".repeat(34) + "!";
        boolean result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ModelPatterns.matches(evil, input));
        assertThat(result).isTrue();
    }

    @Test
    void patternsAreCompiledOnce() {
        assertThat(ModelPatterns.compiled("[0-9]+").orElseThrow()).isSameAs(ModelPatterns.compiled("[0-9]+").orElseThrow());
    }
}
