package dev.terrarium.services.lambda;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.RawRequests;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code.Location of GetFunction and Content.Location of GetLayerVersion / PublishLayerVersion: as on Lambda, a
 * presigned URL valid for 10 minutes that downloads the deployment package (a zip). Here it points at this
 * endpoint: /_lambda/snapshots/{account}/{region}/{functions|layers}/{name}/{version} with SigV4-style query
 * parameters (their credential scope names lambda, which routes the unsigned GET to this service), signed with a
 * secret of this JVM; the service answers it before authentication (an S3-style XML error when the URL is
 * expired, tampered with or names code that is gone).
 */
final class CodeLocations {
    static final long EXPIRES_SECONDS = 600;
    private static final String PREFIX = "/_lambda/snapshots/";
    private static final Pattern PATH = Pattern.compile(
            "/_lambda/snapshots/(\\d{12})/([a-z0-9-]+)/(functions|layers)/([A-Za-z0-9_-]+)/(\\$LATEST|\\d{1,9})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final byte[] SECRET = new byte[32];

    static {
        new SecureRandom().nextBytes(SECRET);
    }

    private CodeLocations() {
    }

    /** The download URL of a function version's package. */
    static String function(Call call, String name, String version) {
        return url(call, "functions", name, version);
    }

    /** The download URL of a layer version's content. */
    static String layer(Call call, String name, long version) {
        return url(call, "layers", name, Long.toString(version));
    }

    private static String url(Call call, String kind, String name, String version) {
        String path = PREFIX + call.account() + "/" + call.region() + "/" + kind + "/" + name + "/" + version;
        String date = AMZ_DATE.format(call.receivedAt());
        return call.endpoint() + path + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=terrarium%2F"
                + date.substring(0, 8) + "%2F" + call.region() + "%2Flambda%2Faws4_request&X-Amz-Date=" + date
                + "&X-Amz-Expires=" + EXPIRES_SECONDS + "&X-Amz-SignedHeaders=host&X-Amz-Signature="
                + signature(path, date, Long.toString(EXPIRES_SECONDS));
    }

    private static String signature(String path, String date, String expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((path + "\n" + date + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The package a code location URL names, or null for any other request. */
    static RawRequests.Answer answer(HttpRequest request, String requestId, Instant now, Functions functions,
                                     Layers layers) {
        if (!request.rawPath().startsWith(PREFIX)) {
            return null;
        }
        if (!request.method().equals("GET")) {
            return answer(error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", requestId));
        }
        Matcher m = PATH.matcher(request.rawPath());
        String date = request.queryParam("X-Amz-Date");
        String expires = request.queryParam("X-Amz-Expires");
        String given = request.queryParam("X-Amz-Signature");
        if (!m.matches() || date == null || expires == null || given == null
                || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                signature(request.rawPath(), date, expires).getBytes(StandardCharsets.UTF_8))) {
            return answer(error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                    + "signature you provided. Check your key and signing method.", requestId));
        }
        try {
            Instant signedAt = Instant.from(AMZ_DATE.parse(date));
            if (now.isAfter(signedAt.plusSeconds(Long.parseLong(expires)))) {
                return answer(error(403, "AccessDenied", "Request has expired", requestId));
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            return answer(error(403, "AccessDenied", "Invalid date", requestId));
        }
        byte[] zip = m.group(3).equals("layers")
                ? layers.content(m.group(1), m.group(2), m.group(4), Long.parseLong(m.group(5)))
                : functionCode(functions, m.group(1), m.group(2), m.group(4), m.group(5));
        if (zip == null) {
            return answer(error(404, "NoSuchKey", "The specified key does not exist.", requestId));
        }
        return answer(HttpResponse.of(200, "application/zip", zip).header("x-amz-request-id", requestId));
    }

    private static byte[] functionCode(Functions functions, String account, String region, String name, String version) {
        LambdaFunction f = functions.in(account, region).get(name);
        FunctionVersion v = f == null ? null : f.version(version, 0);
        return v == null || v.code == null || v.image != null ? null : v.code.zip;
    }

    private static RawRequests.Answer answer(HttpResponse response) {
        return new RawRequests.Answer("GetCodeLocation", response);
    }

    private static HttpResponse error(int status, String code, String message, String requestId) {
        return HttpResponse.text(status, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code + "</Code><Message>" + message + "</Message><RequestId>" + requestId + "</RequestId></Error>")
                .header("x-amz-request-id", requestId);
    }
}
