package dev.terrarium.services.dynamodb;

import dev.terrarium.core.clock.Clock;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Deletes expired items of tables with TTL enabled, driven by the core Clock: an item whose TTL attribute
 * is a number of epoch seconds in the past is removed as a service deletion (its stream record says so).
 * Sweeps run at most once a second of clock time, before calls read the tables; a virtual clock that jumps
 * ahead makes items expire on the next call.
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
            table.write(key, current -> current != null && isExpired(current, attribute, nowSeconds) ? null : current,
                    SERVICE_PRINCIPAL);
        }
    }

    /** AWS leaves alone TTL values more than five years in the past (they are taken for mistakes, not expiries). */
    private static final BigDecimal FIVE_YEARS = BigDecimal.valueOf(5L * 365 * 24 * 3600);

    private static boolean isExpired(Item item, String attribute, BigDecimal nowSeconds) {
        return item.get(attribute) instanceof AttributeValue.N n && n.value().compareTo(nowSeconds) < 0
                && n.value().compareTo(nowSeconds.subtract(FIVE_YEARS)) >= 0;
    }
}
