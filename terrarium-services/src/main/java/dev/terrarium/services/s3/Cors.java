package dev.terrarium.services.s3;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.http.ResponseExtras;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A bucket's CORS rules: checked on PutBucketCors, answering preflight OPTIONS, and headers on actual requests. */
final class Cors {
    private static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");
    static final String CONFIG = "Cors";
    private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private Cors() {}

    static void validate(Struct config) {
        List<Struct> rules = config == null ? null : config.structs("CORSRules");
        if (rules == null || rules.isEmpty() || rules.size() > 100) {
            throw S3Errors.malformedXml();
        }
        for (Struct rule : rules) {
            List<String> methods = rule.strings("AllowedMethods");
            List<String> origins = rule.strings("AllowedOrigins");
            if (methods == null || methods.isEmpty() || origins == null || origins.isEmpty()) {
                throw S3Errors.malformedXml();
            }
            for (String m : methods) {
                if (!METHODS.contains(m)) {
                    throw new AwsException("InvalidRequest", "Found unsupported HTTP method in CORS config. "
                            + "Unsupported method is " + m, 400);
                }
            }
            for (String o : origins) {
                if (o.indexOf('*') != o.lastIndexOf('*')) {
                    throw new AwsException("InvalidRequest", "AllowedOrigin \"" + o
                            + "\" can not have more than one wildcard.", 400);
                }
            }
        }
    }

    /** Answers an OPTIONS preflight from the bucket's rules (b may be null: no such bucket). */
    static HttpResponse preflight(Bucket b, HttpRequest request) {
        String origin = request.header("origin");
        String method = request.header("access-control-request-method");
        if (origin == null) {
            throw new AwsException("BadRequest", "Insufficient information. Origin request header needed.", 400);
        }
        if (method == null || !METHODS.contains(method)) {
            throw new AwsException("BadRequest", "Invalid Access-Control-Request-Method: " + method, 400);
        }
        if (b == null) {
            throw forbidden("CORSResponse: Bucket not found", "BUCKET");
        }
        Struct config = (Struct) b.configs.get(CONFIG);
        if (config == null) {
            throw forbidden("CORSResponse: CORS is not enabled for this bucket.", "BUCKET");
        }
        List<String> requested = requestedHeaders(request.header("access-control-request-headers"));
        for (Struct rule : config.structs("CORSRules")) {
            String allowedOrigin = matchingOrigin(rule, origin);
            if (allowedOrigin == null || !rule.strings("AllowedMethods").contains(method)
                    || !headersAllowed(rule.strings("AllowedHeaders"), requested)) {
                continue;
            }
            HttpResponse r = new HttpResponse(200);
            allowHeaders(rule, allowedOrigin, origin, (n, v) -> r.header(n, v));
            if (!requested.isEmpty()) {
                r.header("Access-Control-Allow-Headers", String.join(", ", requested));
            }
            if (rule.integer("MaxAgeSeconds") != null) {
                r.header("Access-Control-Max-Age", rule.integer("MaxAgeSeconds").toString());
            }
            return r;
        }
        throw forbidden("CORSResponse: This CORS request is not allowed. This is usually because the evalution of "
                + "Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
                + "whitelisted by the resource's CORS spec.", "OBJECT");
    }

    /** Adds the CORS headers of the first rule matching an actual request's Origin and method, if any. */
    static void decorate(Bucket b, HttpRequest request, ResponseExtras extras) {
        String origin = request.header("origin");
        Object config = b == null || origin == null ? null : b.configs.get(CONFIG);
        if (!(config instanceof Struct c)) {
            return;
        }
        for (Struct rule : c.structs("CORSRules")) {
            String allowedOrigin = matchingOrigin(rule, origin);
            if (allowedOrigin != null && rule.strings("AllowedMethods").contains(request.method())) {
                allowHeaders(rule, allowedOrigin, origin, extras::header);
                return;
            }
        }
    }

    private static void allowHeaders(Struct rule, String allowedOrigin, String origin,
                                     java.util.function.BiConsumer<String, String> header) {
        boolean any = allowedOrigin.equals("*");
        header.accept("Access-Control-Allow-Origin", any ? "*" : origin);
        header.accept("Access-Control-Allow-Methods", String.join(", ", rule.strings("AllowedMethods")));
        List<String> expose = rule.strings("ExposeHeaders");
        if (expose != null && !expose.isEmpty()) {
            header.accept("Access-Control-Expose-Headers", String.join(", ", expose));
        }
        if (!any) {
            header.accept("Access-Control-Allow-Credentials", "true");
        }
        header.accept("Vary", VARY);
    }

    /** The rule's AllowedOrigin that matches origin (a single * matches any run of characters), or null. */
    private static String matchingOrigin(Struct rule, String origin) {
        for (String allowed : rule.strings("AllowedOrigins")) {
            if (wildcardMatch(allowed, origin, false)) {
                return allowed;
            }
        }
        return null;
    }

    private static boolean headersAllowed(List<String> allowed, List<String> requested) {
        for (String h : requested) {
            boolean ok = false;
            for (String a : allowed == null ? List.<String>of() : allowed) {
                if (wildcardMatch(a, h, true)) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean wildcardMatch(String pattern, String value, boolean ignoreCase) {
        if (ignoreCase) {
            pattern = pattern.toLowerCase(Locale.ROOT);
            value = value.toLowerCase(Locale.ROOT);
        }
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(value);
        }
        String head = pattern.substring(0, star);
        String tail = pattern.substring(star + 1);
        return value.length() >= head.length() + tail.length() && value.startsWith(head) && value.endsWith(tail);
    }

    private static List<String> requestedHeaders(String header) {
        List<String> out = new ArrayList<>();
        if (header != null) {
            for (String h : header.split(",")) {
                if (!h.isBlank()) {
                    out.add(h.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    private static AwsException forbidden(String message, String resourceType) {
        return new AwsException("AccessForbidden", message, 403)
                .withFields(Struct.of("Method", "OPTIONS", "ResourceType", resourceType));
    }
}
