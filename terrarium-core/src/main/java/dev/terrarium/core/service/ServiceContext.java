package dev.terrarium.core.service;

import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.events.EventBus;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.state.Store;

/**
 * What a service is built with: the clock, the store, known credentials, the events bus, models, config,
 * and its peers (the other services, for the few cross-service hooks).
 */
public record ServiceContext(Config config, Clock clock, Store store, CredentialStore credentials, EventBus events,
                             Models models, Peers peers) {

    /** A context without peers (a service on its own). */
    public ServiceContext(Config config, Clock clock, Store store, CredentialStore credentials, EventBus events,
                          Models models) {
        this(config, clock, store, credentials, events, models, new Peers());
    }
}
