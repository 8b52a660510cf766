package dev.terrarium.services.logs;

/** (in progress) */
final class Deliveries {
    private final LogStore store;

    Deliveries(LogStore store) {
        this.store = store;
    }
}
