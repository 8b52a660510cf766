package dev.terrarium.core.auth;

import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the AWS SDK for Java v2's own SigV4 signer and turns them into our HttpRequest. */
final class SdkSigning {
    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    static final AwsCredentialsIdentity TEST = AwsCredentialsIdentity.create("test", "test");

    private SdkSigning() {}

    static SdkHttpRequest.Builder request(String method, String url) {
        return SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(url));
    }

    /** Signs for a non-S3 service (path normalized, double-encoded), at {@link #NOW}. */
    static HttpRequest sign(SdkHttpRequest.Builder request, byte[] body, String service, String region,
                            AwsCredentialsIdentity credentials,
                            Consumer<SignRequest.Builder<AwsCredentialsIdentity>> properties) {
        return toHttpRequest(signRaw(request, body, service, region, credentials, properties));
    }

    static software.amazon.awssdk.http.auth.spi.signer.SignedRequest signRaw(
            SdkHttpRequest.Builder request, byte[] body, String service, String region,
            AwsCredentialsIdentity credentials, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> properties) {
        if (body != null && body.length > 0 && request.firstMatchingHeader("Content-Length").isEmpty()) {
            request.putHeader("Content-Length", Integer.toString(body.length));
        }
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(credentials)
                    .request(request.build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC));
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArray(body));
            }
            if (service.equals("s3")) {
                r.putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false);
            }
            properties.accept(r);
        });
    }

    static HttpRequest toHttpRequest(software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed) {
        return toHttpRequest(signed.request(), signed.payload().map(SdkSigning::readAll).orElse(new byte[0]));
    }

    static HttpRequest toHttpRequest(SdkHttpRequest request, byte[] body) {
        Headers headers = new Headers();
        request.forEachHeader((name, values) -> values.forEach(v -> headers.add(name, v)));
        if (!headers.has("host")) {
            int port = request.port();
            boolean defaultPort = port == 80 && request.protocol().equals("http")
                    || port == 443 && request.protocol().equals("https");
            headers.add("Host", request.host() + (defaultPort ? "" : ":" + port));
        }
        String query = request.encodedQueryParameters().map(q -> "?" + q).orElse("");
        String path = request.encodedPath().isEmpty() ? "/" : request.encodedPath();
        return HttpRequest.of(request.method().name(), path + query, headers, body);
    }

    static byte[] readAll(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the request with one header replaced. */
    static HttpRequest withHeader(HttpRequest r, String name, String value) {
        Headers headers = copyHeaders(r);
        headers.set(name, value);
        return HttpRequest.of(r.method(), r.rawPath() + (r.rawQuery().isEmpty() ? "" : "?" + r.rawQuery()), headers,
                r.body());
    }

    static HttpRequest withPathAndQuery(HttpRequest r, String pathAndQuery) {
        return HttpRequest.of(r.method(), pathAndQuery, copyHeaders(r), r.body());
    }

    static HttpRequest withBody(HttpRequest r, byte[] body) {
        return HttpRequest.of(r.method(), r.rawPath() + (r.rawQuery().isEmpty() ? "" : "?" + r.rawQuery()),
                copyHeaders(r), body);
    }

    static Headers copyHeaders(HttpRequest r) {
        Headers headers = new Headers();
        for (String name : r.headers().names()) {
            for (String v : r.headers().all(name)) {
                headers.add(r.headers().originalName(name), v);
            }
        }
        return headers;
    }
}
