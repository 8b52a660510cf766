package dev.terrarium.core.testing;

import dev.terrarium.core.TerrariumServer;
import dev.terrarium.core.service.Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * A Terrarium started in-process on a free port for a test class, with AWS SDK v2 clients pointed at it.
 * Use as a static field with @RegisterExtension-free lifecycle: start in @BeforeAll, close in @AfterAll.
 */
public final class TestServer implements AutoCloseable {
    public static final AwsCredentials TEST_CREDENTIALS = AwsBasicCredentials.create("test", "test");
    private final TerrariumServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestServer(TerrariumServer server) {
        this.server = server;
    }

    public static TestServer start() {
        return start(Config.defaults().withPort(0));
    }

    public static TestServer start(Config config) {
        return new TestServer(new TerrariumServer(config).start());
    }

    public TerrariumServer server() { return server; }
    public URI endpoint() { return URI.create("http://127.0.0.1:" + server.port()); }

    /** An SDK client of any service, with test/test credentials, us-east-1 and this server as endpoint. */
    public <B extends AwsClientBuilder<B, C>, C> C client(Supplier<B> builder) {
        return client(builder, TEST_CREDENTIALS);
    }

    public <B extends AwsClientBuilder<B, C>, C> C client(Supplier<B> builder, AwsCredentials credentials) {
        B b = builder.get()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials));
        if ((Object) b instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        return b.build();
    }

    public static AwsCredentials session(String accessKeyId, String secret, String token) {
        return AwsSessionCredentials.create(accessKeyId, secret, token);
    }

    /** A raw HTTP call, for bad input that SDKs never send. */
    public HttpResponse<String> raw(String method, String pathAndQuery, String contentType, String body,
                                    String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint().resolve(pathAndQuery))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Resets all state, as POST /_terrarium/reset does. */
    public void reset() {
        server.registry().reset(null);
    }

    @Override
    public void close() {
        server.close();
    }
}
