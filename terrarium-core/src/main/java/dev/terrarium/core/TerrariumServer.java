package dev.terrarium.core;

import dev.terrarium.core.admin.AdminHandler;
import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.auth.RequestAuthenticator;
import dev.terrarium.core.auth.SigV4Authenticator;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.clock.SystemClock;
import dev.terrarium.core.clock.VirtualClock;
import dev.terrarium.core.events.LocalEventBus;
import dev.terrarium.core.http.JettyErrorHandler;
import dev.terrarium.core.http.JettyHandler;
import dev.terrarium.core.iam.Authorizer;
import dev.terrarium.core.iam.DecisionLog;
import dev.terrarium.core.iam.Enforcement;
import dev.terrarium.core.service.ServiceImplementation;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.routing.Dispatcher;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.ServiceRegistry;
import dev.terrarium.core.state.Store;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** The whole of Terrarium in one object: builds the core, finds the services and serves them over HTTP. */
public final class TerrariumServer implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    private final Config config;
    private final Clock clock;
    private final Store store;
    private final CredentialStore credentials;
    private final LocalEventBus events;
    private final Models models;
    private final ServiceRegistry registry;
    private final Dispatcher dispatcher;
    private final AdminHandler admin;
    private Server jetty;
    private int port;

    public TerrariumServer(Config config) {
        this.config = config;
        this.clock = config.virtualClock() ? new VirtualClock(Instant.now()) : new SystemClock();
        this.store = Store.inMemory();
        this.credentials = new CredentialStore(config.defaultAccount());
        this.events = new LocalEventBus();
        this.models = Models.fromClasspath();
        Peers peers = new Peers();
        ServiceContext context = new ServiceContext(config, clock, store, credentials, events, models, peers);
        this.registry = new ServiceRegistry(context);
        peers.bind(registry);
        // clients sign with their wall clock: signatures are judged by real time even when Terrarium's clock is virtual
        RequestAuthenticator authenticator = new SigV4Authenticator(credentials,
                clock.isVirtual() ? new SystemClock() : clock, config);
        DecisionLog decisions = new DecisionLog();
        Enforcement enforcement = config.enforceIam() ? new Enforcement(() -> iamAuthorizer(registry), decisions) : null;
        this.dispatcher = new Dispatcher(models, registry, authenticator, clock, config.region(), enforcement);
        this.admin = new AdminHandler(models, registry, clock, VERSION, decisions);
    }

    /** The IAM service's authorizer, when the IAM service is on the classpath. */
    private static Authorizer iamAuthorizer(ServiceRegistry registry) {
        ServiceImplementation iam = registry.implementation("iam");
        return iam != null && iam.service() instanceof Authorizer a ? a : null;
    }

    /** Starts serving; returns this (port() tells the bound port when the configured one was 0). */
    public TerrariumServer start() {
        // our own queue: Jetty's default BlockingArrayQueue sizes itself through JMX, slow to load at start-up
        QueuedThreadPool threads = new QueuedThreadPool(256, 4, 60_000, 0, new LinkedBlockingQueue<>(), null);
        threads.setName("terrarium");
        threads.setReservedThreads(2);
        if (VirtualThreads.areSupported()) {
            threads.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        }
        jetty = new Server(threads);
        jetty.setErrorHandler(new JettyErrorHandler());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(64 * 1024);
        http.setUriCompliance(UriCompliance.UNSAFE);
        // Jetty's header cache would hand back "text/plain; charset=utf-8" for a signed "charset=UTF-8"
        http.setHeaderCacheCaseSensitive(true);
        // and its per-connection cache cost ~10% of a request's CPU in trie walks and rebuilds, to save a few strings
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(120_000);
        jetty.addConnector(connector);
        jetty.setHandler(new JettyHandler(request -> {
            if (AdminHandler.isAdminPath(request.rawPath())) {
                return CompletableFuture.completedFuture(
                        new JettyHandler.Handled(admin.handle(request), "admin", request.rawPath()));
            }
            return dispatcher.dispatchAsync(request)
                    .thenApply(o -> new JettyHandler.Handled(o.response(), o.service(), o.operation()));
        }));
        try {
            jetty.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        port = connector.getLocalPort();
        return this;
    }

    public int port() { return port; }
    public String endpoint() { return "http://" + ("0.0.0.0".equals(config.host()) ? "127.0.0.1" : config.host()) + ":" + port; }
    public Config config() { return config; }
    public Clock clock() { return clock; }
    public Models models() { return models; }
    public ServiceRegistry registry() { return registry; }
    public Dispatcher dispatcher() { return dispatcher; }
    public CredentialStore credentials() { return credentials; }

    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            if (jetty != null) {
                jetty.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            registry.close();
            events.close();
            store.close();
        }
    }
}
