package dev.terrarium.core.events;

import dev.terrarium.core.service.Daemons;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** The in-process bus: a subscriber list per topic and one worker pool for delivery. */
public final class LocalEventBus implements EventBus, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalEventBus.class);
    private final Map<String, List<Consumer<Object>>> subscribers = new ConcurrentHashMap<>();
    private volatile ExecutorService workers;

    @Override
    public void publish(String topic, Object event) {
        List<Consumer<Object>> subs = subscribers.get(topic);
        if (subs == null || subs.isEmpty()) {
            return;
        }
        for (Consumer<Object> s : subs) {
            executor().execute(() -> {
                try {
                    s.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("event subscriber of {} failed", topic, e);
                }
            });
        }
    }

    @Override
    public AutoCloseable subscribe(String topic, Consumer<Object> subscriber) {
        subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(subscriber);
        return () -> subscribers.getOrDefault(topic, List.of()).remove(subscriber);
    }

    private ExecutorService executor() {
        ExecutorService e = workers;
        if (e == null) {
            synchronized (this) {
                if (workers == null) {
                    workers = java.util.concurrent.Executors.newCachedThreadPool(Daemons.named("terrarium-events"));
                }
                e = workers;
            }
        }
        return e;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
