package dev.terrarium.services.logs;

import dev.terrarium.core.service.ServiceContext;

/** (in progress) */
final class ExportTasks {
    private final LogStore store;

    ExportTasks(LogStore store, ServiceContext context) {
        this.store = store;
    }
}
