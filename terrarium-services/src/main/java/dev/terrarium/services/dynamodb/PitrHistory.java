package dev.terrarium.services.dynamodb;

import dev.terrarium.core.clock.Clock;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

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
    /** Appended without a lock: writes of different items of the table never wait for each other here. */
    private final ConcurrentLinkedDeque<Change> changes = new ConcurrentLinkedDeque<>();
    private final AtomicLong nextSequence = new AtomicLong();

    public PitrHistory(Clock clock) {
        this.clock = clock;
        this.enabledAt = clock.now();
    }

    /** When PITR was enabled: nothing before can be rebuilt. */
    public Instant enabledAt() { return enabledAt; }

    /** Called by the table for every stored change, under the item's lock. */
    void record(PrimaryKey key, Item before, Item after) {
        Instant now = clock.now();
        changes.addLast(new Change(now, nextSequence.getAndIncrement(), key, before, after));
        Instant horizon = now.minus(RETENTION);
        for (Change first = changes.peekFirst(); first != null && first.at().isBefore(horizon); first = changes.peekFirst()) {
            changes.remove(first);
        }
    }

    /** The changes stored at or after from and before to, in store order. */
    public List<Change> between(Instant from, Instant to) {
        List<Change> out = new ArrayList<>();
        for (Change c : changes) {
            if (!c.at().isBefore(from) && c.at().isBefore(to)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Changes stored strictly after the given time, newest first (the order to undo them in). */
    public List<Change> after(Instant time) {
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

    /** The earliest time PITR can rebuild (null while PITR is off): its enabling, within the recovery period. */
    static Instant earliestRestorable(Table t, Instant now) {
        PitrHistory history = t.pitrHistory();
        if (!t.settings.pointInTimeRecovery || history == null) {
            return null;
        }
        Integer days = t.settings.recoveryPeriodInDays;
        Instant horizon = now.minus(Duration.ofDays(days == null ? 35 : days));
        Instant enabled = history.enabledAt().truncatedTo(ChronoUnit.SECONDS);
        return enabled.isAfter(horizon) ? enabled : horizon;
    }

    /** The table's items at the given time: the current ones, with the changes stored after it undone. */
    static List<Item> itemsAt(Table t, Instant time) {
        Map<PrimaryKey, Item> items = new LinkedHashMap<>();
        for (Iterator<Item> it = t.items().all(); it.hasNext(); ) {
            Item item = it.next();
            items.put(t.schema().keyOfItem(item.attributes()), item);
        }
        PitrHistory history = t.pitrHistory();
        if (history != null) {
            for (Change c : history.after(time)) {
                if (c.before() == null) {
                    items.remove(c.key());
                } else {
                    items.put(c.key(), c.before());
                }
            }
        }
        return new ArrayList<>(items.values());
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
