package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** On-demand backups: a table's definition and a copy of its items at one time. */
public final class Backups {

    public record Backup(String arn, String name, String account, String region, Table source, Struct tableDescription,
                         List<Item> items, Instant created, long bytes) {
    }

    private final Map<String, Backup> byArn = new ConcurrentHashMap<>();

    public void add(Backup b) { byArn.put(b.arn(), b); }

    public Backup find(String arn) { return arn == null ? null : byArn.get(arn); }

    public Backup remove(String arn) { return byArn.remove(arn); }

    public List<Backup> list(String account, String region) {
        List<Backup> out = new ArrayList<>();
        for (Backup b : byArn.values()) {
            if (b.account().equals(account) && b.region().equals(region)) {
                out.add(b);
            }
        }
        out.sort((a, b) -> a.created().compareTo(b.created()));
        return out;
    }

    void clear() { byArn.clear(); }
}
