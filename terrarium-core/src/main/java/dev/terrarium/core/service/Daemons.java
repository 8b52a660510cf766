package dev.terrarium.core.service;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/** Named daemon threads for services' background work (sweeps, deliveries, timers): they never keep the JVM up. */
public final class Daemons {
    private Daemons() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One daemon thread running tasks in turn. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }

    /** One daemon thread running delayed and periodic tasks. */
    public static ScheduledExecutorService scheduled(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }
}
