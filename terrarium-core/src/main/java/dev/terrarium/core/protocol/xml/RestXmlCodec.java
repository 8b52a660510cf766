package dev.terrarium.core.protocol.xml;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Location;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.protocol.ErrorResolver;
import dev.terrarium.core.protocol.ErrorResolver.ResolvedError;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.protocol.rest.RestBindings;
import dev.terrarium.core.protocol.EventStreamBody;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.EventStream;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * restXml (S3, Route 53, CloudFront): the operation and its URI, query, header and status bindings
 * from {@link RestBindings}; the body is the payload member alone (raw for blobs and strings, a stream
 * for streaming blobs, an XML document for structures) or the body members in an XML document rooted
 * at the input's locationName. Errors are S3's bare {@code <Error>} or everyone else's
 * {@code <ErrorResponse><Error>}.
 */
public final class RestXmlCodec implements ProtocolCodec {
    public static final String CONTENT_TYPE = "application/xml";
    /** Events of restXml streams (S3's SelectObjectContent): each structure as a document rooted at its shape name. */
    static final EventStreamBody.Format XML = new EventStreamBody.Format() {
        @Override
        public String contentType() {
            return "text/xml";
        }

        @Override
        public byte[] write(Shape shape, String rootName, Struct value) {
            if (shape.members().isEmpty()) {
                return new byte[0]; // S3's End and Cont events come with no payload
            }
            StringBuilder xml = new StringBuilder(128);
            XmlShapeWriter.INSTANCE.writeStructure(xml, rootName, "", shape, value);
            return xml.toString().getBytes(StandardCharsets.UTF_8);
        }
    };

    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final XmlShapeReader reader = XmlShapeReader.restXml();
    private final XmlShapeWriter writer = XmlShapeWriter.INSTANCE;
    private final RestBindings invalidArgument = new RestBindings("InvalidArgument");
    private final RestBindings invalidInput = new RestBindings("InvalidInput");
    private final Map<String, String> namespaces = new ConcurrentHashMap<>();

    @Override
    public Protocol protocol() { return Protocol.REST_XML; }

    /**
     * The operation whose method, URI template and required query keys match, the most specific
     * winning. Templates alone cannot tell S3's PutObject from CopyObject (or UploadPart from
     * UploadPartCopy): an operation whose required header members are absent is passed over, and
     * among equals the one whose required headers are all present wins.
     */
    @Override
    public Operation resolveOperation(ServiceModel model, HttpRequest request) {
        return invalidArgument.resolveOperation(model, request);
    }


    /** Bad header/query/URI values: Route 53's InvalidInput where the model has it, else S3's InvalidArgument. */
    private RestBindings bindings(ServiceModel model) {
        return model.errorShape("InvalidInput") != null ? invalidInput : invalidArgument;
    }

    private static boolean isS3(ServiceModel model) {
        return "s3".equals(model.name());
    }

    // ---- requests ----

    /** S3 answers a method its resource does not support with 405 MethodNotAllowed; other services with 404. */
    @Override
    public AwsException unresolvedOperation(ServiceModel model, HttpRequest request) {
        if ("s3".equals(model.name())) {
            return new AwsException("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
        }
        return new AwsException("UnknownOperationException",
                "No operation matches " + request.method() + " " + request.rawPath(), 404);
    }

    @Override
    public Struct parseRequest(ServiceModel model, Operation operation, HttpRequest request) {
        Shape input = operation.input();
        Struct in = new Struct();
        if (input == null) {
            return in;
        }
        RestBindings bindings = bindings(model);
        bindings.readRequest(operation, request, bindings.labels(operation, request), in);
        Member payload = RestBindings.payloadMember(input);
        if (payload != null) {
            in.put(payload.name(), readPayload(payload, request));
        } else if (!input.bodyMembers().isEmpty()) {
            byte[] body = request.body();
            if (!isBlank(body)) {
                reader.readStructure(input, reader.parse(body)).asMap().forEach(in::put);
            }
        }
        return in;
    }

    private Object readPayload(Member payload, HttpRequest request) {
        Shape s = payload.shape();
        if (s.is(ShapeType.BLOB) && payload.streaming()) {
            return new StreamingBody(request.bodyStream(), contentLength(request), request.header("Content-Type"));
        }
        byte[] body = request.body();
        if (s.is(ShapeType.BLOB)) {
            return body.length == 0 ? null : body;
        }
        if (s.is(ShapeType.STRING)) {
            return body.length == 0 ? null : new String(body, StandardCharsets.UTF_8);
        }
        if (isBlank(body)) {
            return null;
        }
        return reader.readValue(payload, reader.parse(body));
    }

    private static long contentLength(HttpRequest request) {
        String length = request.header("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    // ---- responses ----

    @Override
    public HttpResponse serializeResponse(ServiceModel model, Operation operation, Struct output, String requestId) {
        HttpResponse r = new HttpResponse(operation.responseCode());
        Shape shape = operation.output();
        Struct body = bindings(model).writeResponse(shape, output, r);
        Member payload = RestBindings.payloadMember(shape);
        if (payload != null) {
            if (payload.shape().eventStream() && body.get(payload.name()) instanceof EventStream events) {
                EventStreamBody.respond(r, payload.shape(), events, XML, null);
            } else {
                writePayload(model, r, payload, body.get(payload.name()));
            }
        } else if (shape != null && !shape.bodyMembers().isEmpty() && r.status() != 204 && r.status() != 304) {
            r.body(document(model, operation, shape, body));
            r.headerIfAbsent("Content-Type", CONTENT_TYPE);
        }
        requestIdHeaders(model, r, requestId);
        return r;
    }

    private byte[] document(ServiceModel model, Operation operation, Shape shape, Struct body) {
        String root = RestXmlRootNames.of(model, operation);
        StringBuilder xml = new StringBuilder(256).append(DECLARATION);
        Member only = shape.bodyMembers().size() == 1 ? shape.bodyMembers().get(0) : null;
        if (only != null && only.shape().type().isScalar() && XmlNames.elementName(only).equals(root)) {
            // S3's GetBucketLocation: the root element is the value itself
            xml.append('<').append(root).append(" xmlns=\"");
            XmlShapeWriter.escapeAttribute(xml, namespace(model));
            Object v = body.get(only.name());
            if (v == null) {
                xml.append("\"/>");
            } else {
                xml.append("\">");
                XmlShapeWriter.escapeText(xml, ScalarText.format(only.shape(), v, only.timestampFormat()));
                xml.append("</").append(root).append('>');
            }
        } else {
            writer.writeStructure(xml, root, namespace(model), shape, body);
        }
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void writePayload(ServiceModel model, HttpResponse r, Member payload, Object v) {
        if (v == null) {
            return;
        }
        Shape s = payload.shape();
        if (v instanceof StreamingBody sb) {
            r.body(sb.stream(), sb.length());
            r.headerIfAbsent("Content-Type", sb.contentType() != null ? sb.contentType() : "application/octet-stream");
        } else if (s.is(ShapeType.BLOB)) {
            r.body(v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8));
            r.headerIfAbsent("Content-Type", "application/octet-stream");
        } else if (s.is(ShapeType.STRING)) {
            r.body(v.toString().getBytes(StandardCharsets.UTF_8));
            r.headerIfAbsent("Content-Type", "text/plain");
        } else {
            StringBuilder xml = new StringBuilder(256).append(DECLARATION);
            String ns = XmlNames.namespaceUri(payload);
            Struct value = v instanceof Struct st ? st : Struct.empty();
            writer.writeStructure(xml, XmlNames.elementName(payload), ns != null ? ns : namespace(model), s, value);
            r.body(xml.toString().getBytes(StandardCharsets.UTF_8));
            r.headerIfAbsent("Content-Type", CONTENT_TYPE);
        }
    }


    // ---- errors ----

    @Override
    public HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId) {
        ResolvedError resolved = ErrorResolver.resolve(model, error);
        HttpResponse resp = new HttpResponse(resolved.status());
        if (resolved.shape() != null && model != null) {
            bindings(model).writeResponse(resolved.shape(), error.fields(), resp);
            resp.status(resolved.status());
        }
        requestIdHeaders(model, resp, requestId);
        if ((operation != null && "HEAD".equalsIgnoreCase(operation.httpMethod())) || resolved.status() == 304) {
            return resp; // a HEAD answer and a 304 Not Modified have no body, S3 errors included
        }
        String message = error.getMessage() == null ? "" : error.getMessage();
        StringBuilder xml = new StringBuilder(256).append(DECLARATION);
        if (model == null || isS3(model)) {
            xml.append("<Error><Code>");
            XmlShapeWriter.escapeText(xml, resolved.queryCode());
            xml.append("</Code><Message>");
            XmlShapeWriter.escapeMessage(xml, message);
            xml.append("</Message>");
            writeErrorFields(xml, resolved.shape(), error.fields());
            xml.append("<RequestId>");
            XmlShapeWriter.escapeText(xml, requestId == null ? "" : requestId);
            xml.append("</RequestId><HostId>");
            XmlShapeWriter.escapeText(xml, hostId(requestId));
            xml.append("</HostId></Error>");
        } else {
            xml.append("<ErrorResponse xmlns=\"");
            XmlShapeWriter.escapeAttribute(xml, namespace(model));
            xml.append("\"><Error><Type>")
                    .append(resolved.senderFault() && resolved.status() < 500 ? "Sender" : "Receiver")
                    .append("</Type><Code>");
            XmlShapeWriter.escapeText(xml, resolved.queryCode());
            xml.append("</Code><Message>");
            XmlShapeWriter.escapeMessage(xml, message);
            xml.append("</Message>");
            writeErrorFields(xml, resolved.shape(), error.fields());
            xml.append("</Error><RequestId>");
            XmlShapeWriter.escapeText(xml, requestId == null ? "" : requestId);
            xml.append("</RequestId></ErrorResponse>");
        }
        resp.body(xml.toString().getBytes(StandardCharsets.UTF_8));
        resp.header("Content-Type", CONTENT_TYPE);
        return resp;
    }

    /** Extra error members (S3's BucketName, Key, Resource...): modeled ones by shape, others as text. */
    private void writeErrorFields(StringBuilder xml, Shape shape, Struct fields) {
        if (fields == null) {
            return;
        }
        fields.asMap().forEach((name, value) -> {
            if (name.equalsIgnoreCase("message") || name.equals("Code") || value == null) {
                return;
            }
            Member m = shape == null ? null : shape.member(name);
            if (m != null) {
                if (m.location() == Location.BODY) {
                    writer.writeMember(xml, m, value);
                }
            } else if (!(value instanceof Struct) && !(value instanceof Iterable<?>) && !(value instanceof Map<?, ?>)) {
                xml.append('<').append(name).append('>');
                XmlShapeWriter.escapeText(xml, ScalarText.format(null, value, null));
                xml.append("</").append(name).append('>');
            }
        });
    }

    private static void requestIdHeaders(ServiceModel model, HttpResponse r, String requestId) {
        if (requestId == null) {
            return;
        }
        if (model == null || isS3(model)) {
            r.header("x-amz-request-id", requestId);
            r.header("x-amz-id-2", hostId(requestId));
        } else {
            r.header("x-amzn-RequestId", requestId);
        }
    }

    /** S3's extended request id (x-amz-id-2 / HostId): opaque base64, derived from the request id. */
    public static String hostId(String requestId) {
        if (requestId == null) {
            return "";
        }
        byte[] digest = SHA256.get().digest(requestId.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(digest);
    }

    /** One digest per thread: looking SHA-256 up through the providers costs more than the hash. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /**
     * The service's XML namespace: the one its operations declare on their inputs (botocore's index
     * has none for restXml services), else AWS's usual form.
     */
    String namespace(ServiceModel model) {
        return namespaces.computeIfAbsent(model.name(), n -> {
            if (model.info().xmlNamespace() != null) {
                return model.info().xmlNamespace();
            }
            for (Operation op : model.operations().values()) {
                if (op.inputXmlNamespace() != null) {
                    return op.inputXmlNamespace();
                }
                Member payload = RestBindings.payloadMember(op.input());
                if (payload != null && payload.xmlNamespaceUri() != null && payload.xmlNamespacePrefix() == null) {
                    return payload.xmlNamespaceUri();
                }
            }
            return "https://" + model.info().endpointPrefix() + ".amazonaws.com/doc/" + model.info().apiVersion() + "/";
        });
    }
}
