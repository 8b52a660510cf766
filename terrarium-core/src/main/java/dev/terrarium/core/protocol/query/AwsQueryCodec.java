package dev.terrarium.core.protocol.query;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.ErrorResolver;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.protocol.xml.XmlShapeWriter;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

/**
 * awsQuery (IAM, STS, SNS, CloudWatch, SQS's old wire...): form-encoded Action/Version requests,
 * {@code <OpResponse><OpResult>} XML responses and {@code <ErrorResponse>} errors.
 */
public final class AwsQueryCodec implements ProtocolCodec {
    public static final String CONTENT_TYPE = "text/xml";

    private final XmlShapeWriter writer = XmlShapeWriter.INSTANCE;

    @Override
    public Protocol protocol() { return Protocol.AWS_QUERY; }

    @Override
    public Operation resolveOperation(ServiceModel model, HttpRequest request) {
        return QueryParams.operation(model, request);
    }

    /** What to answer when {@link #resolveOperation} found nothing: MissingAction or InvalidAction. */
    @Override
    public AwsException unresolvedOperation(ServiceModel model, HttpRequest request) {
        String action = QueryParams.action(request);
        return action == null || action.isEmpty() ? QueryErrors.missingAction() : QueryErrors.invalidAction(model, action);
    }

    @Override
    public Struct parseRequest(ServiceModel model, Operation operation, HttpRequest request) {
        return new QueryReader(QueryDialect.AWS_QUERY, QueryParams.of(request)).readInput(operation.input());
    }

    @Override
    public HttpResponse serializeResponse(ServiceModel model, Operation operation, Struct output, String requestId) {
        StringBuilder xml = new StringBuilder(256);
        String root = operation.name() + "Response";
        xml.append('<').append(root).append(" xmlns=\"");
        XmlShapeWriter.escapeAttribute(xml, namespace(model.info()));
        xml.append("\">");
        Shape shape = operation.output();
        if (shape != null) {
            String wrapper = operation.resultWrapper() != null ? operation.resultWrapper() : operation.name() + "Result";
            writer.writeStructure(xml, wrapper, null, shape, output == null ? new Struct() : output);
        }
        xml.append("<ResponseMetadata><RequestId>");
        XmlShapeWriter.escapeText(xml, requestId);
        xml.append("</RequestId></ResponseMetadata></").append(root).append('>');
        return response(operation.responseCode(), xml, requestId);
    }

    @Override
    public HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId) {
        ErrorResolver.ResolvedError resolved = ErrorResolver.resolve(model, error);
        StringBuilder xml = new StringBuilder(256);
        xml.append("<ErrorResponse xmlns=\"");
        XmlShapeWriter.escapeAttribute(xml, model == null ? "" : namespace(model.info()));
        xml.append("\"><Error><Type>").append(faultType(resolved)).append("</Type><Code>");
        XmlShapeWriter.escapeText(xml, resolved.queryCode());
        xml.append("</Code><Message>");
        XmlShapeWriter.escapeMessage(xml, error.getMessage() == null ? "" : error.getMessage());
        xml.append("</Message>");
        writeErrorFields(writer, xml, resolved.shape(), error.fields());
        xml.append("</Error><RequestId>");
        XmlShapeWriter.escapeText(xml, requestId);
        xml.append("</RequestId></ErrorResponse>");
        return response(resolved.status(), xml, requestId);
    }

    /** "Sender" or "Receiver"; a 5xx is the receiver's fault even where the model leaves the fault side unsaid. */
    static String faultType(ErrorResolver.ResolvedError resolved) {
        return resolved.senderFault() && resolved.status() < 500 ? "Sender" : "Receiver";
    }

    /** Modeled members of an error besides its code and message, inside {@code <Error>}. */
    static void writeErrorFields(XmlShapeWriter writer, StringBuilder xml, Shape shape, Struct fields) {
        if (shape == null || fields == null || fields.isEmpty()) {
            return;
        }
        Struct extra = new Struct();
        fields.asMap().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("message") && !k.equals("Code") && shape.member(k) != null) {
                extra.put(k, v);
            }
        });
        writer.writeMembers(xml, shape, extra);
    }

    static HttpResponse response(int status, StringBuilder xml, String requestId) {
        HttpResponse r = HttpResponse.text(status, CONTENT_TYPE, xml.toString());
        r.header("x-amzn-RequestId", requestId);
        return r;
    }

    /** The model's xmlNamespace; models without one (SQS's JSON model) get AWS's usual form. */
    static String namespace(ServiceInfo info) {
        if (info.xmlNamespace() != null) {
            return info.xmlNamespace();
        }
        if ("sqs".equals(info.endpointPrefix())) {
            return "http://queue.amazonaws.com/doc/" + info.apiVersion() + "/";
        }
        return "https://" + info.endpointPrefix() + ".amazonaws.com/doc/" + info.apiVersion() + "/";
    }
}
