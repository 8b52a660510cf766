package dev.terrarium.services.lambda;

import dev.terrarium.core.auth.CanonicalRequest;
import dev.terrarium.core.auth.SigV4Crypto;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * SigV4-signed HTTP calls from Lambda to other services of the same Terrarium (SQS for event source
 * mappings, S3 for function code), over its own endpoint, as AWS's internal clients would make them.
 */
final class SignedHttp {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String endpoint;
    private final String region;
    private final String accessKey;
    private final String secretKey;

    SignedHttp(String endpoint, String region, String accessKey, String secretKey) {
        this.endpoint = endpoint;
        this.region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** The access key Lambda acts with for an account: test for the default account, else the account id. */
    static String accessKeyFor(String account, String defaultAccount) {
        return account.equals(defaultAccount) ? "test" : account;
    }

    /** Sends a request; encodedPath and rawQuery must already be URI-encoded as they go on the wire. */
    HttpResponse<byte[]> send(String service, String method, String encodedPath, String rawQuery,
                              Map<String, String> headers, byte[] payload) throws Exception {
        URI uri = URI.create(endpoint + encodedPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        String amzDate = AMZ_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
        String date = amzDate.substring(0, 8);
        String payloadHash = SigV4Crypto.sha256Hex(payload);
        Map<String, String> signed = new TreeMap<>();
        headers.forEach((k, v) -> signed.put(k.toLowerCase(), v));
        signed.put("host", host);
        signed.put("x-amz-date", amzDate);
        signed.put("x-amz-content-sha256", payloadHash);
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v.trim()).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonical = method + "\n" + encodedPath + "\n" + CanonicalRequest.query(rawQuery == null ? "" : rawQuery, false)
                + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + SigV4Crypto.sha256Hex(canonical);
        String signature = SigV4Crypto.signatureHex(SigV4Crypto.signingKey(secretKey, date, region, service), toSign);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, payload.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(payload))
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        signed.forEach((k, v) -> {
            if (!k.equals("host")) {
                b.header(k, v);
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
