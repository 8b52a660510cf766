package dev.terrarium.core.clock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualClockTest {
    @Test
    void advanceListenersSeeTheNewTimeUntilClosed() throws Exception {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<Instant> seen = new ArrayList<>();
        AutoCloseable handle = clock.onAdvance(() -> seen.add(clock.now()));
        clock.advance(Duration.ofDays(1));
        assertThat(seen).containsExactly(Instant.parse("2026-01-02T00:00:00Z"));
        handle.close();
        clock.advance(Duration.ofDays(1));
        assertThat(seen).hasSize(1);
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(seen).hasSize(1);
    }

    @Test
    void aRealClockNeverCallsBack() throws Exception {
        SystemClock clock = new SystemClock();
        List<Instant> seen = new ArrayList<>();
        clock.onAdvance(() -> seen.add(Instant.now())).close();
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        assertThat(seen).isEmpty();
    }
}
