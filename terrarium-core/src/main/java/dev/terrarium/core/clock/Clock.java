package dev.terrarium.core.clock;

import java.time.Duration;
import java.time.Instant;

/** The only source of "now" in Terrarium: real time, or a virtual time that moves only when told. */
public interface Clock {
    Instant now();

    default long millis() { return now().toEpochMilli(); }

    /** True when time moves only through {@link #advance}. */
    boolean isVirtual();

    /** Moves a virtual clock forward; a real clock refuses. */
    void advance(Duration by);

    /**
     * Runs listener after each advance of a virtual clock (timers that sweep: lifecycle rules, TTLs);
     * a real clock never advances, so the default keeps nothing. The listener runs on the advancing
     * thread and should hand long work off. Close the handle to stop listening.
     */
    default AutoCloseable onAdvance(Runnable listener) {
        return () -> { };
    }
}
