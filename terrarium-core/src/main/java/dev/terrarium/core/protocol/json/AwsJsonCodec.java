package dev.terrarium.core.protocol.json;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.protocol.ErrorResolver;
import dev.terrarium.core.protocol.ErrorResolver.ResolvedError;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.protocol.EventStreamBody;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.EventStream;
import dev.terrarium.core.service.Struct;

import java.util.zip.CRC32;

/**
 * awsJson 1.0 / 1.1: POST / with {@code X-Amz-Target: <targetPrefix>.<Operation>} and the input as a
 * JSON object; the output as a JSON object; errors as {"__type": ..., "message": ...} with the
 * x-amzn-ErrorType header, and for awsQueryCompatible services (SQS, CloudWatch) the
 * {@code x-amzn-query-error: <code>;<Sender|Receiver>} header that carries the old query error code.
 */
public final class AwsJsonCodec implements ProtocolCodec {
    public static final String TARGET_HEADER = "X-Amz-Target";
    public static final String QUERY_MODE_HEADER = "x-amzn-query-mode";
    public static final String QUERY_ERROR_HEADER = "x-amzn-query-error";
    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

    private final Protocol protocol;
    private final String contentType;

    public AwsJsonCodec(Protocol protocol) {
        if (!protocol.isJsonRpc()) {
            throw new IllegalArgumentException("not an awsJson protocol: " + protocol);
        }
        this.protocol = protocol;
        this.contentType = protocol == Protocol.AWS_JSON_1_0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";
    }

    @Override
    public Protocol protocol() { return protocol; }

    public String contentType() { return contentType; }

    @Override
    public Operation resolveOperation(ServiceModel model, HttpRequest request) {
        String target = request.header(TARGET_HEADER);
        if (target == null) {
            return null;
        }
        int dot = target.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String prefix = model.info().targetPrefix();
        if (prefix != null && !prefix.equals(target.substring(0, dot).trim())) {
            return null;
        }
        return model.operation(target.substring(dot + 1).trim());
    }

    /** The error AWS answers for an X-Amz-Target naming no operation of the service (HTTP 400). */
    public static AwsException unknownOperation() {
        return new AwsException("UnknownOperationException", null, 400, true, null);
    }

    @Override
    public AwsException unresolvedOperation(ServiceModel model, HttpRequest request) {
        return unknownOperation();
    }

    @Override
    public Struct parseRequest(ServiceModel model, Operation operation, HttpRequest request) {
        byte[] body = request.body();
        if (operation.input() == null) {
            JsonShapeReader.parse(body); // still malformed JSON is an error
            return Struct.empty();
        }
        return JsonShapeReader.readStruct(operation.input(), body);
    }

    @Override
    public HttpResponse serializeResponse(ServiceModel model, Operation operation, Struct output, String requestId) {
        Member stream = EventStreamBody.streamMember(operation.output());
        if (stream != null && output.get(stream.name()) instanceof EventStream events) {
            // the other members go first, as the initial-response event
            byte[] initial = JsonShapeWriter.write(operation.output(), output, m -> m != stream);
            HttpResponse r = new HttpResponse(200);
            EventStreamBody.respond(r, stream.shape(), events, EventStreamBody.JSON, EventStreamBody.initialResponse(initial));
            decorate(r, model, requestId);
            return r;
        }
        byte[] body = JsonShapeWriter.write(operation.output(), output);
        HttpResponse r = HttpResponse.of(200, contentType, body);
        decorate(r, model, requestId);
        return r;
    }

    @Override
    public HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId) {
        return serializeError(model, operation, error, requestId, null);
    }

    /**
     * As {@link #serializeError(ServiceModel, Operation, AwsException, String)}, knowing the request:
     * a service that speaks JSON only beside older protocols (CloudWatch) sends x-amzn-query-error only
     * to clients that ask for it with {@code x-amzn-query-mode: true}; SQS sends it always.
     */
    public HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId,
                                       HttpRequest request) {
        ResolvedError r = ErrorResolver.resolve(model, error);
        byte[] body = JsonShapeWriter.generate(g -> {
            g.writeStartObject();
            g.writeStringField("__type", JsonErrors.typeName(model, r));
            JsonErrors.writeFields(g, r, error);
            g.writeEndObject();
        });
        HttpResponse resp = HttpResponse.of(r.status(), contentType, body);
        resp.header(ERROR_TYPE_HEADER, r.shapeName());
        if (model != null && sendsQueryError(model.info(), request)) {
            resp.header(QUERY_ERROR_HEADER, r.queryCode() + ";" + (r.senderFault() ? "Sender" : "Receiver"));
        }
        decorate(resp, model, requestId);
        return resp;
    }

    static boolean sendsQueryError(ServiceInfo info, HttpRequest request) {
        if (!info.awsQueryCompatible()) {
            return false;
        }
        if (request == null || "true".equalsIgnoreCase(request.header(QUERY_MODE_HEADER))) {
            return true;
        }
        return info.primaryProtocol().isJsonRpc();
    }

    private static void decorate(HttpResponse r, ServiceModel model, String requestId) {
        if (requestId != null) {
            r.header(REQUEST_ID_HEADER, requestId);
        }
        if (model != null && "dynamodb".equals(model.name())) {
            // DynamoDB signs its bodies with a CRC32 that the SDKs verify when present
            if (r.isStreamed()) {
                return;
            }
            CRC32 crc = new CRC32();
            crc.update(r.body());
            r.header("x-amz-crc32", Long.toString(crc.getValue()));
        }
    }
}
