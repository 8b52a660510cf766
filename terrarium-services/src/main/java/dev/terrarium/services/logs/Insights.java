package dev.terrarium.services.logs;

/** (in progress) */
final class Insights {
    private final LogStore store;

    Insights(LogStore store) {
        this.store = store;
    }
}
