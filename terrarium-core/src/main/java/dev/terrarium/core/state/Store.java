package dev.terrarium.core.state;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Service state: named maps, each in a namespace of service, account and region, held in one
 * H2 MVStore (in memory by default). Global services use the region "global".
 */
public final class Store implements AutoCloseable {
    public static final String GLOBAL = "global";
    private volatile MVStore mv;

    private Store() {
    }

    /** An in-memory store; the MVStore itself opens on first use, keeping it off the start-up path. */
    public static Store inMemory() {
        return new Store();
    }

    private MVStore mv() {
        MVStore m = mv;
        if (m == null) {
            synchronized (this) {
                if (mv == null) {
                    mv = new MVStore.Builder().open();
                }
                m = mv;
            }
        }
        return m;
    }

    /** The map "name" of this service in this account and region; created empty on first use. */
    public <K, V> MVMap<K, V> map(String service, String account, String region, String name) {
        return mv().openMap(key(service, account, region, name));
    }

    public <K, V> MVMap<K, V> globalMap(String service, String account, String name) {
        return map(service, account, GLOBAL, name);
    }

    /** Removes every map of one service. */
    public void reset(String service) {
        if (mv == null) {
            return;
        }
        String prefix = service + "/";
        List<String> doomed = new ArrayList<>();
        for (String name : mv.getMapNames()) {
            if (name.startsWith(prefix)) {
                doomed.add(name);
            }
        }
        for (String name : doomed) {
            mv.removeMap(name);
        }
    }

    public void resetAll() {
        if (mv == null) {
            return;
        }
        for (String name : new ArrayList<>(mv.getMapNames())) {
            mv.removeMap(name);
        }
    }

    private static String key(String service, String account, String region, String name) {
        return service + "/" + account + "/" + region + "/" + name;
    }

    @Override
    public void close() {
        if (mv != null) {
            mv.close();
        }
    }
}
