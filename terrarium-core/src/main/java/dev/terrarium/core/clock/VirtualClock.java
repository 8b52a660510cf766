package dev.terrarium.core.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that starts at a given instant and moves only when advanced. */
public final class VirtualClock implements Clock {
    private final AtomicReference<Instant> now;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public VirtualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant now() { return now.get(); }

    @Override
    public boolean isVirtual() { return true; }

    @Override
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time does not go backwards");
        }
        now.updateAndGet(t -> t.plus(by));
        for (Runnable l : listeners) {
            l.run();
        }
    }

    @Override
    public AutoCloseable onAdvance(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
