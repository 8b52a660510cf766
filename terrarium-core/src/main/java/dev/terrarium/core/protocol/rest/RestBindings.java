package dev.terrarium.core.protocol.rest;

import dev.terrarium.core.auth.CredentialScope;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Location;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.model.UriTemplate;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP bindings of the REST protocols (restJson1 and restXml), independent of the body format:
 * which operation a method + path + query calls (the model's requestUri templates, the most specific
 * match winning), and the members bound to the URI, query string, headers, prefixed headers and the
 * status code, in both directions. Bodies are the caller's business.
 */
public final class RestBindings {
    private final String malformedCode;

    /** Bad bound values (a non-number for an integer header...) raise this error code with HTTP 400. */
    public RestBindings(String malformedCode) {
        this.malformedCode = malformedCode;
    }

    /** restJson1's convention: SerializationException. */
    public RestBindings() {
        this("SerializationException");
    }

    /** An operation and the decoded values of its URI labels. */
    public record Match(Operation operation, Map<String, String> labels) {
    }

    /**
     * The operation whose method and requestUri match this request best, or null: the template with
     * the most literal segments and required query keys wins; between operations sharing a template,
     * the one the request's signing name points to (see {@link #signedForItsEndpoint}), then the one whose
     * required header/query members are all present and most numerous; then model order.
     * <p>
     * Above all, a request naming its operation in {@code x-id} gets that operation when its method and
     * requestUri match. AWS's Smithy models write that literal into requestUri ({@code GET /?x-id=ListBuckets},
     * {@code GET /?x-id=ListDirectoryBuckets}, {@code /{Bucket}/{Key+}?x-id=GetObject}) and the Smithy SDKs
     * (JavaScript v3, Go v2, Rust...) send it; botocore's models, ours, drop it, and so do botocore and the SDK for
     * Java, so it is honoured when present and never required. A literal query key the model does keep stays required.
     */
    public Match match(ServiceModel model, HttpRequest request) {
        Match best = null;
        long bestScore = -1;
        String xId = request.queryParam(X_ID);
        for (Operation op : model.operations().values()) {
            if (!op.httpMethod().equalsIgnoreCase(request.method()) || op.uriTemplate() == null) {
                continue;
            }
            // the query test first: it is cheap and rules out most of S3's operations (?acl, ?tagging...)
            if (!hasRequiredQuery(op.uriTemplate(), request)) {
                continue;
            }
            Map<String, String> labels = labels(op, request);
            if (labels == null) {
                continue;
            }
            int present = requiredBindingsPresent(op.input(), request);
            if (present < 0) {
                continue;
            }
            // deprecated twins share a template with their successor (PutBucketLifecycle): the successor wins
            long score = op.uriTemplate().specificity() * 128L + (signedForItsEndpoint(op, request) ? 64 : 0)
                    + Math.min(present, 31) * 2 + (op.deprecated() ? 0 : 1);
            if (op.name().equals(xId)) {
                score += 1L << 40;
            }
            if (score > bestScore) {
                best = new Match(op, labels);
                bestScore = score;
            }
        }
        return best;
    }

    /** Smithy's query literal naming the operation (see {@link #match}). */
    static final String X_ID = "x-id";

    /**
     * Whether the request is signed for the endpoint the operation's endpoint rules always send it to. S3's
     * ListBuckets and ListDirectoryBuckets are both {@code GET /} in botocore's model: the latter sets
     * UseS3ExpressControlEndpoint, so its calls go to s3express-control and are signed for {@code s3express}
     * (on a single endpoint only the signature tells them apart).
     */
    private static boolean signedForItsEndpoint(Operation op, HttpRequest request) {
        if (!op.staticContextFlags().contains("UseS3ExpressControlEndpoint")) {
            return false;
        }
        CredentialScope scope = CredentialScope.of(request);
        return scope != null && "s3express".equals(scope.service());
    }

    public Operation resolveOperation(ServiceModel model, HttpRequest request) {
        Match m = match(model, request);
        return m == null ? null : m.operation();
    }

    /** The decoded labels of the operation's template for this request's path, or null when it does not match. */
    public Map<String, String> labels(Operation op, HttpRequest request) {
        try {
            return op.uriTemplate().match(request.rawPath());
        } catch (IllegalArgumentException badEscape) {
            return null;
        }
    }

    /**
     * Operations that share a template (S3's PutObject, CopyObject, UploadPart, UploadPartCopy) differ
     * by their required header and query members: -1 when one is missing, else how many there are.
     */
    private static int requiredBindingsPresent(Shape input, HttpRequest request) {
        if (input == null) {
            return 0;
        }
        int present = 0;
        for (String name : input.required()) {
            Member m = input.members().get(name);
            if (m == null) {
                continue;
            }
            if (m.location() == Location.HEADER) {
                if (!request.headers().has(m.wireName())) {
                    return -1;
                }
                present++;
            } else if (m.location() == Location.QUERY_STRING && m.shape().type() != ShapeType.MAP) {
                if (!request.query().containsKey(m.wireName())) {
                    return -1;
                }
                present++;
            }
        }
        return present;
    }

    private static boolean hasRequiredQuery(UriTemplate t, HttpRequest request) {
        for (Map.Entry<String, String> q : t.requiredQuery().entrySet()) {
            List<String> values = request.query().get(q.getKey());
            if (values == null || (q.getValue() != null && !values.contains(q.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a member travels in the body (or is the payload). */
    public static boolean inBody(Member m) {
        return m.location() == Location.BODY;
    }

    /** The payload member of a structure (its "payload" trait), or null. */
    public static Member payloadMember(Shape shape) {
        return shape == null || shape.payload() == null ? null : shape.members().get(shape.payload());
    }

    // ---- requests: HTTP -> Struct ----

    /** Reads the operation's input members bound to the URI, query string and headers into {@code into}. */
    public void readRequest(Operation operation, HttpRequest request, Map<String, String> labels, Struct into) {
        Shape input = operation.input();
        if (input == null) {
            return;
        }
        Set<String> literalQuery = operation.uriTemplate() == null ? Set.of()
                : operation.uriTemplate().requiredQuery().keySet();
        for (Member m : input.members().values()) {
            Object v = switch (m.location()) {
                case URI -> {
                    String raw = labels == null ? null : labels.get(m.wireName());
                    yield raw == null ? null : HttpValues.parse(m, raw, HttpValues.Where.URI, malformedCode);
                }
                case QUERY_STRING -> readQuery(m, request, literalQuery);
                case HEADER -> readHeader(m, request);
                case HEADERS -> readPrefixHeaders(m, request);
                default -> null;
            };
            into.put(m.name(), v);
        }
    }

    /** literalQuery: keys fixed by the operation's URI (ImportRestApi's mode=import), not user parameters. */
    private Object readQuery(Member m, HttpRequest request, Set<String> literalQuery) {
        Shape s = m.shape();
        if (s.type() == ShapeType.MAP) {
            // servers put every query parameter in the map, bound elsewhere or not (Smithy's rule)
            Member value = s.mapValue();
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : request.query().entrySet()) {
                if (literalQuery.contains(e.getKey())) {
                    continue;
                }
                if (value.shape().type() == ShapeType.LIST) {
                    out.put(e.getKey(), parseAll(value.shape().listMember(), e.getValue(), HttpValues.Where.QUERY));
                } else if (!e.getValue().isEmpty()) {
                    out.put(e.getKey(), HttpValues.parse(value, e.getValue().get(0), HttpValues.Where.QUERY, malformedCode));
                }
            }
            return out.isEmpty() ? null : out;
        }
        List<String> values = request.query().get(m.wireName());
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (s.type() == ShapeType.LIST) {
            return parseAll(s.listMember(), values, HttpValues.Where.QUERY);
        }
        return HttpValues.parse(m, values.get(0), HttpValues.Where.QUERY, malformedCode);
    }

    private List<Object> parseAll(Member item, List<String> raw, HttpValues.Where where) {
        List<Object> out = new ArrayList<>(raw.size());
        for (String r : raw) {
            out.add(HttpValues.parse(item, r, where, malformedCode));
        }
        return out;
    }

    private Object readHeader(Member m, HttpRequest request) {
        List<String> values = request.headers().all(m.wireName());
        if (values.isEmpty()) {
            return null;
        }
        if (m.shape().type() == ShapeType.LIST) {
            Member item = m.shape().listMember();
            List<String> parts = new ArrayList<>();
            for (String line : values) {
                parts.addAll(HttpValues.splitHeaderList(line, item.shape().type() == ShapeType.TIMESTAMP
                        && HttpValues.timestampFormat(item, HttpValues.Where.HEADER).equals("rfc822")));
            }
            return parseAll(item, parts, HttpValues.Where.HEADER);
        }
        return HttpValues.parse(m, values.get(0).trim(), HttpValues.Where.HEADER, malformedCode);
    }

    private Object readPrefixHeaders(Member m, HttpRequest request) {
        String prefix = m.locationName() == null ? "" : m.locationName().toLowerCase(java.util.Locale.ROOT);
        Member value = m.shape().mapValue();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String lower : request.headers().names()) {
            if (lower.startsWith(prefix)) {
                String key = request.headers().originalName(lower).substring(prefix.length());
                out.put(key, HttpValues.parse(value, String.join(",", request.headers().all(lower)).trim(),
                        HttpValues.Where.HEADER, malformedCode));
            }
        }
        return out.isEmpty() ? null : out;
    }

    // ---- responses: Struct -> HTTP ----

    /**
     * Writes the members of {@code value} bound to headers, prefixed headers and the status code onto
     * the response and returns the members that remain for the body (all BODY-located members).
     */
    public Struct writeResponse(Shape shape, Struct value, HttpResponse response) {
        Struct body = new Struct();
        if (shape == null || value == null) {
            return body;
        }
        for (Member m : shape.members().values()) {
            Object v = value.get(m.name());
            if (v == null) {
                continue;
            }
            switch (m.location()) {
                case HEADER -> {
                    String text = HttpValues.formatHeader(m, v);
                    if (text != null) {
                        response.header(m.wireName(), text);
                    }
                }
                case HEADERS -> {
                    if (v instanceof Map<?, ?> map) {
                        String prefix = m.locationName() == null ? "" : m.locationName();
                        for (Map.Entry<?, ?> e : map.entrySet()) {
                            if (e.getValue() != null) {
                                response.header(prefix + e.getKey(), HttpValues.formatHeader(m.shape().mapValue(), e.getValue()));
                            }
                        }
                    }
                }
                case STATUS_CODE -> {
                    if (v instanceof Number n) {
                        response.status(n.intValue());
                    }
                }
                case BODY -> body.put(m.name(), v);
                default -> {
                    // uri and querystring members mean nothing in a response
                }
            }
        }
        return body;
    }

    public AwsException malformed(String message) {
        return new AwsException(malformedCode, message, 400);
    }
}
