package dev.terrarium.core.clock;

import java.time.Duration;
import java.time.Instant;

/** Real time. */
public final class SystemClock implements Clock {
    @Override
    public Instant now() { return Instant.now(); }

    @Override
    public long millis() { return System.currentTimeMillis(); }

    @Override
    public boolean isVirtual() { return false; }

    @Override
    public void advance(Duration by) {
        throw new IllegalStateException("the clock is real; start Terrarium with --clock virtual to move it");
    }
}
