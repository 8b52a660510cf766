package dev.terrarium.core.routing;

import dev.terrarium.core.http.BodyTooLargeException;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.protocol.Codecs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the service a request is for, in DESIGN.md's order: X-Amz-Target and rpcv2 paths, the SigV4
 * credential scope (with the colliding signing names told apart), the Host name, Action/Version,
 * and S3 as the fallback for everything else.
 */
public final class Router {
    private static final String RPCV2_PREFIX = "/service/";
    private final Models models;
    private final Map<String, ServiceInfo> byTargetPrefix = new HashMap<>();
    private final Map<String, List<ServiceInfo>> bySigningName = new HashMap<>();
    private final Map<String, List<ServiceInfo>> byQueryVersion = new HashMap<>();

    public Router(Models models) {
        this.models = models;
        for (ServiceInfo s : models.services()) {
            if (s.targetPrefix() != null) {
                byTargetPrefix.put(s.targetPrefix(), s);
            }
            if (s.signingName() != null) {
                bySigningName.computeIfAbsent(s.signingName(), k -> new ArrayList<>()).add(s);
            }
            if (s.speaks(Protocol.AWS_QUERY) || s.speaks(Protocol.EC2_QUERY) || s.awsQueryCompatible()) {
                byQueryVersion.computeIfAbsent(s.apiVersion(), k -> new ArrayList<>()).add(s);
            }
        }
    }

    /**
     * The route for a request, or null when no service can be told. scopeService is the signing
     * name of the SigV4 credential scope (header or presigned query), or null when unsigned.
     */
    public Route route(HttpRequest request, String scopeService) {
        if (isLambdaUrlHost(request.host()) && models.info("lambda") != null) {
            return new Route(models.info("lambda"), Protocol.REST_JSON_1); // a function URL: the function answers
        }
        String target = request.header("x-amz-target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            ServiceInfo s = dot < 0 ? null : byTargetPrefix.get(target.substring(0, dot));
            if (s != null) {
                return new Route(s, Codecs.jsonProtocolOf(s));
            }
        }
        if (isRpcV2Cbor(request)) {
            String rest = request.rawPath().substring(RPCV2_PREFIX.length());
            int slash = rest.indexOf('/');
            ServiceInfo s = slash < 0 ? null : byTargetPrefix.get(rest.substring(0, slash));
            if (s != null) {
                return new Route(s, Protocol.RPC_V2_CBOR);
            }
        }
        String action = action(request);
        if (scopeService != null) {
            List<ServiceInfo> candidates = bySigningName.get(scopeService);
            if (candidates != null) {
                ServiceInfo s = candidates.size() == 1 ? candidates.get(0) : disambiguate(candidates, request, action);
                return new Route(s, protocolFor(s, request, action));
            }
        }
        if (isS3VirtualHost(request.host())) {
            return new Route(models.info("s3"), Protocol.REST_XML);
        }
        if (action != null) {
            ServiceInfo s = byQueryAction(action, request);
            if (s != null) {
                return new Route(s, protocolFor(s, request, action));
            }
        }
        ServiceInfo s3 = models.info("s3");
        return s3 == null ? null : new Route(s3, Protocol.REST_XML);
    }

    private static boolean isRpcV2Cbor(HttpRequest request) {
        String smithy = request.header("smithy-protocol");
        return smithy != null && smithy.equalsIgnoreCase("rpc-v2-cbor") && request.rawPath().startsWith(RPCV2_PREFIX);
    }

    /** Which wire of the service this request uses. */
    private Protocol protocolFor(ServiceInfo s, HttpRequest request, String action) {
        if (action != null && (s.speaks(Protocol.AWS_QUERY) || s.speaks(Protocol.EC2_QUERY) || s.awsQueryCompatible())) {
            return s.speaks(Protocol.EC2_QUERY) ? Protocol.EC2_QUERY : Protocol.AWS_QUERY;
        }
        Protocol p = s.primaryProtocol();
        if (p == Protocol.RPC_V2_CBOR && !isRpcV2Cbor(request)) {
            return s.speaks(Protocol.AWS_QUERY) && action != null ? Protocol.AWS_QUERY : Codecs.jsonProtocolOf(s);
        }
        if (p.isJsonRpc()) {
            return Codecs.jsonProtocolOf(s);
        }
        return p;
    }

    /** Signing names shared by two models: apigateway, dynamodb, elasticloadbalancing, s3, ses. */
    private ServiceInfo disambiguate(List<ServiceInfo> candidates, HttpRequest request, String action) {
        String path = request.rawPath();
        if (action != null) {
            String version = version(request);
            ServiceInfo byVersion = null;
            for (ServiceInfo s : candidates) {
                boolean query = s.speaks(Protocol.AWS_QUERY) || s.speaks(Protocol.EC2_QUERY) || s.awsQueryCompatible();
                if (query && (version == null || version.equals(s.apiVersion()))) {
                    if (byVersion == null || version != null) {
                        byVersion = s;
                    }
                }
            }
            if (byVersion != null) {
                return byVersion;
            }
        }
        for (ServiceInfo s : candidates) {
            if (path.startsWith("/v2/") && s.name().endsWith("v2")) {
                return s;
            }
            if (path.startsWith("/v20180820/") && s.name().equals("s3control")) {
                return s;
            }
        }
        // the base service (apigateway, dynamodb, elb, s3, ses): the shortest name among the candidates
        ServiceInfo base = candidates.get(0);
        for (ServiceInfo s : candidates) {
            if (s.name().length() < base.name().length() && !path.startsWith("/v2/")) {
                base = s;
            }
        }
        return base;
    }

    private ServiceInfo byQueryAction(String action, HttpRequest request) {
        String version = version(request);
        List<ServiceInfo> candidates = version == null ? null : byQueryVersion.get(version);
        if (candidates == null || candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        for (ServiceInfo s : candidates) {
            if (models.model(s.name()).operation(action) != null) {
                return s;
            }
        }
        return candidates.get(0);
    }

    /** Action= from the query string or a form-encoded body, or null. */
    static String action(HttpRequest request) {
        String action = request.queryParam("Action");
        if (action != null) {
            return action;
        }
        return formParam(request, "Action");
    }

    static String version(HttpRequest request) {
        String v = request.queryParam("Version");
        return v != null ? v : formParam(request, "Version");
    }

    /** A form-encoded body's Action or Version; a body too large to read is routed by other means. */
    private static String formParam(HttpRequest request, String name) {
        String contentType = request.header("content-type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return null;
        }
        try {
            List<String> values = request.formParams().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        } catch (BodyTooLargeException e) {
            return null;
        }
    }

    /** A Lambda function URL's host: url-id.lambda-url.region.(localhost|anything). */
    public static boolean isLambdaUrlHost(String host) {
        return host != null && LAMBDA_URL_HOST.matcher(host).lookingAt();
    }

    private static final java.util.regex.Pattern LAMBDA_URL_HOST =
            java.util.regex.Pattern.compile("[a-z0-9]+\\.lambda-url\\.[a-z0-9-]+(\\.|$)");

    /** bucket.s3.localhost.localstack.cloud, bucket.s3.amazonaws.com-style and bucket.localhost hosts. */
    public static boolean isS3VirtualHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        return bucketFromHost(host) != null;
    }

    /** The bucket named by a virtual-host style Host (bucket.s3.localhost.localstack.cloud, bucket.localhost), or null. */
    public static String bucketFromHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String suffix : VIRTUAL_HOST_SUFFIXES) {
            if (h.endsWith(suffix) && h.length() > suffix.length()) {
                String bucket = h.substring(0, h.length() - suffix.length());
                return bucket.equals("s3") ? null : bucket; // s3.localhost is the endpoint itself
            }
        }
        return null;
    }

    private static final String[] VIRTUAL_HOST_SUFFIXES = {".s3.localhost.localstack.cloud", ".s3.localhost", ".localhost"};
}
