package dev.terrarium.core.protocol.cbor;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.ErrorResolver;
import dev.terrarium.core.protocol.ErrorResolver.ResolvedError;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Smithy RPC v2 CBOR ({@code smithy.protocols#rpcv2Cbor}), as CloudWatch speaks it: every call is
 * {@code POST /service/<ServiceName>/operation/<OperationName>} with {@code Smithy-Protocol: rpc-v2-cbor}
 * and a CBOR map of the input members as the body (empty body = empty input). Responses carry the
 * same header; a body (Content-Type application/cbor) only when the operation has an output.
 * Errors are a CBOR map with {@code __type} (the error shape id), the message and the modeled
 * members; for awsQueryCompatible services also the {@code x-amzn-query-error: Code;Sender} header.
 */
public final class RpcV2CborCodec implements ProtocolCodec {
    public static final String SMITHY_PROTOCOL = "Smithy-Protocol";
    public static final String RPC_V2_CBOR = "rpc-v2-cbor";
    public static final String CONTENT_TYPE = "application/cbor";
    static final String SERIALIZATION_EXCEPTION = "SerializationException";
    /** Large enough for any rpcv2 service's request limit (PutMetricData: 1 MB), small enough to stop gzip bombs. */
    private static final int MAX_INFLATED_BYTES = 16 * 1024 * 1024;

    private final Function<ServiceModel, String> namespaceOf;

    /** Error shape ids in the namespace AWS gives its Smithy models: com.amazonaws.{serviceId, lower case, no spaces}. */
    public RpcV2CborCodec() {
        this(RpcV2CborCodec::awsNamespace);
    }

    /** With another Smithy namespace for error shape ids (the protocol tests use their own). */
    public RpcV2CborCodec(Function<ServiceModel, String> namespaceOf) {
        this.namespaceOf = namespaceOf;
    }

    static String awsNamespace(ServiceModel model) {
        String id = model.info().serviceId() != null ? model.info().serviceId() : model.name();
        return "com.amazonaws." + id.toLowerCase(Locale.ROOT).replace(" ", "").replace("-", "");
    }

    @Override
    public Protocol protocol() {
        return Protocol.RPC_V2_CBOR;
    }

    @Override
    public Operation resolveOperation(ServiceModel model, HttpRequest request) {
        if (!"POST".equalsIgnoreCase(request.method())) {
            return null;
        }
        RpcV2Path path = RpcV2Path.parse(request.rawPath());
        if (path == null) {
            return null;
        }
        String expected = model.info().targetPrefix();
        if (expected != null && !expected.equals(path.service())) {
            return null;
        }
        return model.operation(path.operation());
    }

    @Override
    public AwsException unresolvedOperation(ServiceModel model, HttpRequest request) {
        return new AwsException("UnknownOperationException", "No operation matches " + request.rawPath(), 404);
    }

    @Override
    public Struct parseRequest(ServiceModel model, Operation operation, HttpRequest request) {
        try {
            return CborShapeReader.readStruct(body(request), operation.input());
        } catch (CborFormatException e) {
            throw new AwsException(SERIALIZATION_EXCEPTION, e.getMessage(), 400);
        }
    }

    /** The request body, inflated when the client compressed it (botocore gzips large PutMetricData calls). */
    private static byte[] body(HttpRequest request) {
        byte[] raw = request.body();
        String encoding = request.header("Content-Encoding");
        if (raw.length == 0 || encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            byte[] inflated = in.readNBytes(MAX_INFLATED_BYTES + 1);
            if (inflated.length > MAX_INFLATED_BYTES) {
                throw new CborFormatException("Request body is too large once decompressed");
            }
            return inflated;
        } catch (IOException e) {
            throw new CborFormatException("Request body is not valid gzip: " + e.getMessage());
        }
    }

    @Override
    public HttpResponse serializeResponse(ServiceModel model, Operation operation, Struct output, String requestId) {
        Shape shape = operation.output();
        HttpResponse response;
        if (shape == null) {
            response = new HttpResponse(operation.responseCode());
        } else {
            byte[] body;
            try {
                body = CborShapeWriter.write(output == null ? Struct.empty() : output, shape);
            } catch (RuntimeException e) {
                return serializeError(model, operation,
                        AwsException.internal("Terrarium could not serialize the " + operation.name() + " response: "
                                + e.getMessage()), requestId);
            }
            response = HttpResponse.of(operation.responseCode(), CONTENT_TYPE, body);
        }
        return withCommonHeaders(response, requestId);
    }

    @Override
    public HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId) {
        ResolvedError resolved = ErrorResolver.resolve(model, error);
        Shape shape = resolved.shape();
        String type = shape != null && model != null ? namespaceOf.apply(model) + "#" + shape.name() : resolved.shapeName();
        byte[] body;
        try {
            body = CborShapeWriter.writeError(type, messageKey(shape), error.getMessage(), error.fields(), shape);
        } catch (RuntimeException e) {
            // modeled fields that do not fit their shapes: keep the code and message, drop the fields
            body = CborShapeWriter.writeError(type, messageKey(shape), error.getMessage(), Struct.empty(), null);
        }
        HttpResponse response = withCommonHeaders(HttpResponse.of(resolved.status(), CONTENT_TYPE, body), requestId);
        if (model != null && model.info().awsQueryCompatible()) {
            // some models leave senderFault out of a 5xx error trait: a server error is never the sender's
            boolean sender = resolved.senderFault() && resolved.status() < 500;
            response.header("x-amzn-query-error", resolved.queryCode() + ";" + (sender ? "Sender" : "Receiver"));
        }
        return response;
    }

    /** The member carrying the message (message or Message, as the error shape spells it), else "message". */
    private static String messageKey(Shape shape) {
        if (shape != null) {
            for (Member m : shape.members().values()) {
                if (m.name().equalsIgnoreCase("message")) {
                    return m.name();
                }
            }
        }
        return "message";
    }

    private static HttpResponse withCommonHeaders(HttpResponse response, String requestId) {
        response.header(SMITHY_PROTOCOL, RPC_V2_CBOR);
        if (requestId != null) {
            response.header("x-amzn-RequestId", requestId);
        }
        return response;
    }
}
