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
    private final MVStore mv;

    private Store(MVStore mv) {
        this.mv = mv;
    }

    public static Store inMemory() {
        return new Store(new MVStore.Builder().open());
    }

    /** The map "name" of this service in this account and region; created empty on first use. */
    public <K, V> MVMap<K, V> map(String service, String account, String region, String name) {
        return mv.openMap(key(service, account, region, name));
    }

    public <K, V> MVMap<K, V> globalMap(String service, String account, String name) {
        return map(service, account, GLOBAL, name);
    }

    /** Removes every map of one service. */
    public void reset(String service) {
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
        for (String name : new ArrayList<>(mv.getMapNames())) {
            mv.removeMap(name);
        }
    }

    private static String key(String service, String account, String region, String name) {
        return service + "/" + account + "/" + region + "/" + name;
    }

    @Override
    public void close() {
        mv.close();
    }
}
