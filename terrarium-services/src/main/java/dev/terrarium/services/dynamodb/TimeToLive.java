package dev.terrarium.services.dynamodb;

import dev.terrarium.core.clock.Clock;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Deletes expired items of tables with TTL enabled, driven by the core Clock: an item whose TTL attribute
 * is a number of epoch seconds in the past is removed as a service deletion (its stream record says so).
 * <p>
 * AWS deletes expired items "within a few days" and, until then, reads still return them. Terrarium
 * deletes promptly instead, so that tests are deterministic: a sweep runs right after every advance of a
 * virtual clock (on the advancing thread, so the advance call returns with the deletions and their stream
 * records done), every second of real time on a real clock, and lazily before calls read the tables (at most
 * once a second of clock time). An expired item is thus never seen after the clock passed its expiry.
 */
final class TimeToLive {
    static final String SERVICE_PRINCIPAL = "dynamodb.amazonaws.com";
    private final Tables tables;
    private final Clock clock;
    private volatile long nextSweepMillis;

    TimeToLive(Tables tables, Clock clock) {
        this.tables = tables;
        this.clock = clock;
    }

    void sweepIfDue() {
        long now = clock.millis();
        if (now < nextSweepMillis) {
            return;
        }
        sweepNow();
    }

    /** One pass over every table with TTL enabled, as of the clock's now. */
    synchronized void sweepNow() {
        long now = clock.millis();
        nextSweepMillis = now + 1000;
        for (Table t : tables.all()) {
            String attribute = t.settings().ttlAttribute();
            if (attribute != null) {
                sweep(t, attribute, BigDecimal.valueOf(now / 1000));
            }
        }
    }

    private static void sweep(Table table, String attribute, BigDecimal nowSeconds) {
        List<Item> expired = new ArrayList<>();
        for (Iterator<Item> it = table.items().all(); it.hasNext(); ) {
            Item item = it.next();
            if (isExpired(item, attribute, nowSeconds)) {
                expired.add(item);
            }
        }
        for (Item item : expired) {
            PrimaryKey key = table.schema().keyOfItem(item.attributes());
            try {
                table.write(key, current -> current != null && isExpired(current, attribute, nowSeconds) ? null : current,
                        SERVICE_PRINCIPAL);
            } catch (dev.terrarium.core.service.AwsException e) {
                // an item a transaction is changing right now: the next sweep takes it
            }
        }
    }

    /** AWS leaves alone TTL values more than five years in the past (they are taken for mistakes, not expiries). */
    private static final BigDecimal FIVE_YEARS = BigDecimal.valueOf(5L * 365 * 24 * 3600);

    private static boolean isExpired(Item item, String attribute, BigDecimal nowSeconds) {
        return item.get(attribute) instanceof AttributeValue.N n && n.value().compareTo(nowSeconds) < 0
                && n.value().compareTo(nowSeconds.subtract(FIVE_YEARS)) >= 0;
    }
}
