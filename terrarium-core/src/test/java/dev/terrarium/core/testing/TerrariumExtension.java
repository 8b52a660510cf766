package dev.terrarium.core.testing;

import dev.terrarium.core.TerrariumServer;
import dev.terrarium.core.service.Config;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@link TestServer} for one test class:
 * {@code @RegisterExtension static final TerrariumExtension terrarium = new TerrariumExtension();}
 * starts it before all tests of the class and, after them, closes every client made through it and the server.
 * Static extension callbacks run before the class's own {@code @BeforeAll} and after its {@code @AfterAll}.
 */
public final class TerrariumExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final Config config;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private boolean resetBeforeEach;
    private TestServer server;

    public TerrariumExtension() {
        this(Config.defaults().withPort(0));
    }

    public TerrariumExtension(Config config) {
        this.config = config;
    }

    /** Resets all state before every test. */
    public TerrariumExtension resetBeforeEach() {
        this.resetBeforeEach = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(config);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (resetBeforeEach) {
            reset();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Exception failure = null;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        closeables.clear();
        if (server != null) {
            server.close();
            server = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    public TestServer testServer() {
        if (server == null) {
            throw new IllegalStateException("Terrarium is not running (use it from tests or @BeforeAll)");
        }
        return server;
    }

    /** Closes {@code closeable} after all tests of the class, before the server. */
    public <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** An SDK client (test/test, us-east-1, this server), closed after all tests. */
    public <B extends AwsClientBuilder<B, C>, C> C client(Supplier<B> builder) {
        return closeIfPossible(testServer().client(builder));
    }

    public <B extends AwsClientBuilder<B, C>, C> C client(Supplier<B> builder, AwsCredentials credentials) {
        return closeIfPossible(testServer().client(builder, credentials));
    }

    private <C> C closeIfPossible(C client) {
        if (client instanceof AutoCloseable c) {
            closeables.add(c);
        }
        return client;
    }

    public TerrariumServer server() { return testServer().server(); }
    public URI endpoint() { return testServer().endpoint(); }

    public HttpResponse<String> raw(String method, String pathAndQuery, String contentType, String body,
                                    String... headers) {
        return testServer().raw(method, pathAndQuery, contentType, body, headers);
    }

    public void reset() { testServer().reset(); }

    public static AwsCredentials session(String accessKeyId, String secret, String token) {
        return TestServer.session(accessKeyId, secret, token);
    }
}
