package dev.terrarium.core.service;

/**
 * The other services of the same server, for the few places where one service's state takes part in
 * another's work (IAM asks S3 for a bucket policy, Organizations creates a role in a new account's IAM).
 * Bound to the registry once it exists; until then, and without one, it finds nothing.
 */
public final class Peers {
    private volatile ServiceRegistry registry;

    public void bind(ServiceRegistry registry) {
        this.registry = registry;
    }

    /** The service implementing this model name as the given type (started if needed), or null. */
    public <T> T find(String service, Class<T> type) {
        ServiceRegistry r = registry;
        if (r == null || service == null || !r.implementedServices().contains(service)) {
            return null;
        }
        ServiceImplementation impl = r.implementation(service);
        return impl != null && type.isInstance(impl.service()) ? type.cast(impl.service()) : null;
    }

    /** Like {@link #find} but only when the service has already been started (no state means nothing to say). */
    public <T> T findStarted(String service, Class<T> type) {
        ServiceRegistry r = registry;
        return r == null || service == null || !r.isLoaded(service) ? null : find(service, type);
    }
}
