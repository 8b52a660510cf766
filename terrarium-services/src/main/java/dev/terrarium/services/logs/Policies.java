package dev.terrarium.services.logs;

/** (in progress) */
final class Policies {
    static final String DESTINATIONS = "destination";
    private final LogStore store;

    Policies(LogStore store) {
        this.store = store;
    }
}
