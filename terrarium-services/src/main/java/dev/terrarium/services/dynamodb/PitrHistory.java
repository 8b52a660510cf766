package dev.terrarium.services.dynamodb;

import dev.terrarium.core.clock.Clock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What point-in-time recovery keeps of a table: every change, with the time of the core {@link Clock} it was
 * stored at, from the moment PITR was enabled and for the longest recovery period (35 days). A table has one
 * while PITR is enabled (disabling PITR drops it, as AWS drops the restorable window). Exports read it: an
 * incremental export compacts the changes of its window, a full export at a past ExportTime rewinds the
 * current items by the changes made after it.
 */
public final class PitrHistory {
    static final Duration RETENTION = Duration.ofDays(35);

    /** One stored change: the item before and after (either may be null), in store order. */
    public record Change(Instant at, long sequence, PrimaryKey key, Item before, Item after) {
        /** The time as AWS's WriteTimestampMicros. */
        public long micros() { return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000; }
    }

    /** An item's change over a window: its image at the start and at the end, and its last write. */
    public record Net(PrimaryKey key, Item oldImage, Item newImage, Change last) {
    }

    private final Clock clock;
    private final Instant enabledAt;
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private long nextSequence;

    public PitrHistory(Clock clock) {
        this.clock = clock;
        this.enabledAt = clock.now();
    }

    /** When PITR was enabled: nothing before can be rebuilt. */
    public Instant enabledAt() { return enabledAt; }

    /** Called by the table for every stored change, under the item's lock. */
    void record(PrimaryKey key, Item before, Item after) {
        Instant now = clock.now();
        synchronized (this) {
            changes.addLast(new Change(now, nextSequence++, key, before, after));
            Instant horizon = now.minus(RETENTION);
            while (!changes.isEmpty() && changes.peekFirst().at().isBefore(horizon)) {
                changes.removeFirst();
            }
        }
    }

    /** The changes stored at or after from and before to, in store order. */
    public synchronized List<Change> between(Instant from, Instant to) {
        List<Change> out = new ArrayList<>();
        for (Change c : changes) {
            if (!c.at().isBefore(from) && c.at().isBefore(to)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Changes stored strictly after the given time, newest first (the order to undo them in). */
    public synchronized List<Change> after(Instant time) {
        List<Change> out = new ArrayList<>();
        for (Iterator<Change> it = changes.descendingIterator(); it.hasNext(); ) {
            Change c = it.next();
            if (!c.at().isAfter(time)) {
                break;
            }
            out.add(c);
        }
        return out;
    }

    /**
     * The changes of [from, to) compacted per item, in the order of each item's first change: the image before
     * the first change and after the last one. An item created and deleted within the window is left out.
     */
    public List<Net> compacted(Instant from, Instant to) {
        Map<PrimaryKey, Net> net = new LinkedHashMap<>();
        for (Change c : between(from, to)) {
            Net seen = net.get(c.key());
            net.put(c.key(), new Net(c.key(), seen == null ? c.before() : seen.oldImage(), c.after(), c));
        }
        List<Net> out = new ArrayList<>();
        for (Net n : net.values()) {
            if (n.oldImage() != null || n.newImage() != null) {
                out.add(n);
            }
        }
        return out;
    }
}
