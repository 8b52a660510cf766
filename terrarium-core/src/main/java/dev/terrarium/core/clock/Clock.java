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
}
