package dev.terrarium.services.lambda;

import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.auth.SigV4Verifier;
import dev.terrarium.core.auth.SigningDialect;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.routing.Router;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.RawRequests;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * Function URLs served: a request to url-id.lambda-url.region.localhost(:port) invokes the function with the
 * function URL event (payload format 2.0) and maps its answer to the HTTP response as Lambda does (statusCode,
 * headers, cookies, body, isBase64Encoded; any other JSON is a 200 application/json body). AuthType AWS_IAM needs
 * a SigV4 signature (service lambda); NONE takes anyone the function's resource policy lets in (Principal "*").
 * CORS comes from the URL's configuration, preflights are
 * answered without invoking the function.
 */
final class FunctionUrls {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Functions functions;
    private final Invoker invoker;
    private final SigV4Verifier verifier;

    FunctionUrls(Functions functions, Invoker invoker, SigV4Verifier verifier) {
        this.functions = functions;
        this.invoker = invoker;
        this.verifier = verifier;
    }

    private record Found(LambdaFunction function, FunctionUrl url, String qualifier) {
    }

    private Found find(String id) {
        for (var scope : functions.scopes()) {
            for (LambdaFunction f : scope.values()) {
                for (Map.Entry<String, FunctionUrl> e : f.urls.entrySet()) {
                    if (e.getValue().url.startsWith("http://" + id + ".")) {
                        return new Found(f, e.getValue(), e.getKey().isEmpty() ? null : e.getKey());
                    }
                }
            }
        }
        return null;
    }

    /** The answer to a request on a function URL host, or null for Lambda's API. */
    RawRequests.Answer answer(HttpRequest request, String requestId) {
        String host = request.host();
        if (!Router.isLambdaUrlHost(host)) {
            return null;
        }
        String id = host.substring(0, host.indexOf('.'));
        Found found = find(id);
        if (found == null) {
            return new RawRequests.Answer("FunctionUrl", json(404, "{\"Message\":null}"));
        }
        FunctionUrl url = found.url();
        Map<String, Object> cors = url.cors == null ? null : url.cors.asMap();
        String origin = request.header("origin");
        if (request.method().equals("OPTIONS") && origin != null && request.header("access-control-request-method") != null) {
            HttpResponse preflight = new HttpResponse(200);
            preflightHeaders(preflight, cors, origin, request.header("access-control-request-method"));
            return new RawRequests.Answer("FunctionUrl", preflight);
        }
        Identity caller = null;
        if ("NONE".equals(url.authType) && !publicAccess(found)) {
            // AuthType NONE still needs the function's resource policy to let anyone call the URL
            return new RawRequests.Answer("FunctionUrl", json(403, "{\"Message\":\"Forbidden\"}"));
        }
        if ("AWS_IAM".equals(url.authType)) {
            try {
                caller = verifier.verify(request, SigningDialect.forSigningName("lambda"));
            } catch (RuntimeException e) {
                return new RawRequests.Answer("FunctionUrl", json(403, "{\"Message\":" + Json.quote(e.getMessage()) + "}"));
            }
            if (caller == null || caller.kind() == Identity.Kind.ANONYMOUS) {
                return new RawRequests.Answer("FunctionUrl", json(403, "{\"Message\":\"Forbidden\"}"));
            }
        }
        LambdaFunction f = found.function();
        FunctionVersion v = f.version(found.qualifier(), LambdaService.random());
        if (v == null || !"Active".equals(v.state)) {
            return new RawRequests.Answer("FunctionUrl", json(502, "{\"Message\":\"Internal Server Error\"}"));
        }
        byte[] event = event(request, id, host, f, caller, requestId);
        String port = request.header("host").contains(":") ? request.header("host").substring(request.header("host").lastIndexOf(':')) : "";
        String account = f.arn.split(":")[4];
        String region = f.arn.split(":")[3];
        Invoker.Target target = new Invoker.Target(account, region, f, v,
                found.qualifier() == null ? f.arn : f.arn + ":" + found.qualifier(), "http://127.0.0.1" + port);
        Invoker.Outcome outcome;
        try {
            invoker.checkRunnable(v);
            invoker.reserve(f);
            if ("RESPONSE_STREAM".equals(url.invokeMode)) {
                HttpResponse streamed = streamed(target, event);
                streamed.header("x-amzn-RequestId", requestId);
                if (origin != null) {
                    corsHeaders(streamed, cors, origin);
                }
                return new RawRequests.Answer("FunctionUrl", streamed);
            }
            outcome = invoker.invoke(target, event, null).join();
        } catch (AwsException e) {
            int status = e.code().equals("TooManyRequestsException") ? 429 : 502;
            return new RawRequests.Answer("FunctionUrl", json(status, "{\"Message\":" + Json.quote(e.getMessage()) + "}"));
        } catch (CompletionException e) {
            return new RawRequests.Answer("FunctionUrl", json(502, "{\"Message\":\"Internal Server Error\"}"));
        }
        HttpResponse response = outcome.result().functionError() != null
                ? json(502, "{\"Message\":\"Internal Server Error\"}")
                : response(outcome.result().payload(), outcome.result().payload() != null && outcome.result().payload().length > 0);
        response.header("x-amzn-RequestId", requestId);
        if (origin != null) {
            corsHeaders(response, cors, origin);
        }
        return new RawRequests.Answer("FunctionUrl", response);
    }

    /**
     * Whether the resource-based policy of the URL's function (or of its alias) grants Principal "*" both
     * lambda:InvokeFunctionUrl (for lambda:FunctionUrlAuthType NONE) and lambda:InvokeFunction (as AddPermission
     * --invoked-via-function-url writes it), as AWS requires of URLs since October 2025: Lambda answers 403 Forbidden
     * otherwise (CreateFunctionUrlConfig does not add them; the console does).
     */
    private static boolean publicAccess(Found found) {
        LambdaFunction f = found.function();
        LambdaResourcePolicy policy = f.policies.get(found.qualifier() == null ? "" : found.qualifier());
        String resource = found.qualifier() == null ? f.arn : f.arn + ":" + found.qualifier();
        return policy != null && policy.allowsPublicUrl(resource, f.arn.split(":")[4]);
    }

    /**
     * InvokeMode RESPONSE_STREAM: the response goes out as the function streams it. A stream of type
     * application/vnd.awslambda.http-integration-response (awslambda.HttpResponseStream.from) starts with a JSON
     * prelude (statusCode, headers, cookies) and 8 NUL bytes; any other stream is a 200 of its content type; a
     * function that does not stream gets the buffered mapping.
     */
    private HttpResponse streamed(Invoker.Target target, byte[] event) {
        java.util.concurrent.CompletableFuture<HttpResponse> head = new java.util.concurrent.CompletableFuture<>();
        ChunkStream body = new ChunkStream();
        ResponseSink sink = new ResponseSink() {
            private final java.io.ByteArrayOutputStream prelude = new java.io.ByteArrayOutputStream();
            private boolean integration;
            private boolean started;

            @Override
            public void contentType(String type) {
                integration = type.toLowerCase(Locale.ROOT).startsWith("application/vnd.awslambda.http-integration-response");
                if (!integration) {
                    started = true;
                    head.complete(new HttpResponse(200).header("Content-Type", type).body(body, -1));
                }
            }

            @Override
            public void chunk(byte[] bytes) {
                if (started) {
                    body.put(bytes);
                    return;
                }
                prelude.writeBytes(bytes);
                byte[] all = prelude.toByteArray();
                int end = preludeEnd(all);
                if (end < 0) {
                    return;
                }
                started = true;
                HttpResponse r = response(java.util.Arrays.copyOf(all, end), true);
                head.complete(r.body(body, -1));
                body.put(java.util.Arrays.copyOfRange(all, end + 8, all.length));
            }
        };
        invoker.invoke(target, event, null, sink).whenComplete((o, e) -> {
            if (!head.isDone()) {
                InvocationResult r = o == null ? null : o.result();
                head.complete(r == null || r.functionError() != null ? json(502, "{\"Message\":\"Internal Server Error\"}")
                        : response(r.payload(), r.payload() != null && r.payload().length > 0));
            }
            body.end();
        });
        return head.join();
    }

    /** Where the 8 NUL bytes after an HTTP integration prelude start, or -1. */
    private static int preludeEnd(byte[] b) {
        for (int i = 0, zeros = 0; i < b.length; i++) {
            zeros = b[i] == 0 ? zeros + 1 : 0;
            if (zeros == 8) {
                return i - 7;
            }
        }
        return -1;
    }

    /** The function URL event, payload format version 2.0. */
    private static byte[] event(HttpRequest request, String id, String host, LambdaFunction f, Identity caller,
                                String requestId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", request.rawPath());
        e.put("rawQueryString", request.rawQuery());
        List<String> cookies = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : request.headers().names()) {
            List<String> values = request.headers().all(name);
            if (name.equals("cookie")) {
                for (String v : values) {
                    for (String c : v.split(";")) {
                        if (!c.isBlank()) {
                            cookies.add(c.trim());
                        }
                    }
                }
            } else {
                headers.put(name, String.join(",", values));
            }
        }
        if (!cookies.isEmpty()) {
            e.put("cookies", cookies);
        }
        e.put("headers", headers);
        if (!request.query().isEmpty()) {
            Map<String, String> query = new LinkedHashMap<>();
            request.query().forEach((k, v) -> query.put(k, String.join(",", v)));
            e.put("queryStringParameters", query);
        }
        Instant now = Instant.now();
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", request.method());
        http.put("path", HttpRequest.decode(request.rawPath()));
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", request.remoteAddress() == null ? "127.0.0.1" : request.remoteAddress());
        http.put("userAgent", request.header("user-agent"));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", caller == null ? "anonymous" : caller.accountId());
        context.put("apiId", id);
        if (caller != null) {
            context.put("authorizer", Map.of("iam", iam(caller)));
        }
        context.put("domainName", host);
        context.put("domainPrefix", id);
        context.put("http", http);
        context.put("requestId", requestId);
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        e.put("requestContext", context);
        byte[] body = request.body();
        if (body != null && body.length > 0) {
            boolean text = isText(request.header("content-type"));
            e.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", !text);
        } else {
            e.put("isBase64Encoded", false);
        }
        return LambdaResourcePolicy.json(e).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> iam(Identity caller) {
        Map<String, Object> iam = new LinkedHashMap<>();
        iam.put("accessKey", caller.accessKeyId());
        iam.put("accountId", caller.accountId());
        iam.put("callerId", caller.userId());
        iam.put("cognitoIdentity", null);
        iam.put("principalOrgId", null);
        iam.put("userArn", caller.arn());
        iam.put("userId", caller.userId());
        return iam;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
                || t.startsWith("application/x-www-form-urlencoded");
    }

    /** Lambda's mapping of the function's answer to the HTTP response. */
    private static HttpResponse response(byte[] payload, boolean present) {
        if (!present) {
            return new HttpResponse(200).body(new byte[0]);
        }
        Map<String, Object> r = Json.object(payload);
        if (r == null || !r.containsKey("statusCode")) {
            return HttpResponse.of(200, "application/json", payload);
        }
        int status = r.get("statusCode") instanceof Number n ? n.intValue() : 200;
        HttpResponse out = new HttpResponse(status);
        if (r.get("headers") instanceof Map<?, ?> h) {
            h.forEach((k, v) -> out.header(String.valueOf(k), String.valueOf(v)));
        }
        if (r.get("cookies") instanceof List<?> cookies) {
            cookies.forEach(c -> out.headers().add("Set-Cookie", String.valueOf(c)));
        }
        Object body = r.get("body");
        byte[] bytes;
        if (body == null) {
            bytes = new byte[0];
        } else if (Boolean.TRUE.equals(r.get("isBase64Encoded"))) {
            bytes = Base64.getDecoder().decode(body.toString());
        } else {
            bytes = (body instanceof String s ? s : LambdaResourcePolicy.json(body)).getBytes(StandardCharsets.UTF_8);
        }
        out.body(bytes);
        out.headerIfAbsent("Content-Type", "application/json");
        return out;
    }

    private static boolean originAllowed(Map<String, Object> cors, String origin) {
        if (cors == null || !(cors.get("AllowOrigins") instanceof List<?> origins)) {
            return false;
        }
        return origins.contains("*") || origins.contains(origin);
    }

    private static void corsHeaders(HttpResponse r, Map<String, Object> cors, String origin) {
        if (!originAllowed(cors, origin)) {
            return;
        }
        List<?> origins = (List<?>) cors.get("AllowOrigins");
        r.header("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
        if (Boolean.TRUE.equals(cors.get("AllowCredentials"))) {
            r.header("Access-Control-Allow-Credentials", "true");
        }
        if (cors.get("ExposeHeaders") instanceof List<?> expose && !expose.isEmpty()) {
            r.header("Access-Control-Expose-Headers", join(expose));
        }
        r.headers().add("Vary", "Origin");
    }

    private static void preflightHeaders(HttpResponse r, Map<String, Object> cors, String origin, String method) {
        if (!originAllowed(cors, origin)) {
            return;
        }
        List<?> methods = cors.get("AllowMethods") instanceof List<?> m ? m : List.of();
        if (!methods.contains("*") && !methods.contains(method.toUpperCase(Locale.ROOT))) {
            return;
        }
        corsHeaders(r, cors, origin);
        r.header("Access-Control-Allow-Methods", join(methods));
        if (cors.get("AllowHeaders") instanceof List<?> h && !h.isEmpty()) {
            r.header("Access-Control-Allow-Headers", join(h));
        }
        if (cors.get("MaxAge") instanceof Number age) {
            r.header("Access-Control-Max-Age", age.toString());
        }
    }

    private static String join(List<?> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static HttpResponse json(int status, String body) {
        return HttpResponse.of(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
