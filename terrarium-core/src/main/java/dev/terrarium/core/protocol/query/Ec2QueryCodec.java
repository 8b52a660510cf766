package dev.terrarium.core.protocol.query;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.ErrorResolver;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.protocol.xml.XmlShapeWriter;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

/**
 * ec2Query: query requests named by queryName / capitalized locationName with flattened lists,
 * {@code <OpResponse><requestId>} responses without a result wrapper, and
 * {@code <Response><Errors><Error>} errors.
 */
public final class Ec2QueryCodec implements ProtocolCodec {
    private final XmlShapeWriter writer = XmlShapeWriter.INSTANCE;

    @Override
    public Protocol protocol() { return Protocol.EC2_QUERY; }

    @Override
    public Operation resolveOperation(ServiceModel model, HttpRequest request) {
        return QueryParams.operation(model, request);
    }

    /** What to answer when {@link #resolveOperation} found nothing: MissingAction or InvalidAction. */
    @Override
    public AwsException unresolvedOperation(ServiceModel model, HttpRequest request) {
        String action = QueryParams.action(request);
        if (action == null || action.isEmpty()) {
            return QueryErrors.missingAction();
        }
        return new AwsException("InvalidAction", "The action " + action + " is not valid for this web service.", 400);
    }

    @Override
    public Struct parseRequest(ServiceModel model, Operation operation, HttpRequest request) {
        return new QueryReader(QueryDialect.EC2, QueryParams.of(request)).readInput(operation.input());
    }

    @Override
    public HttpResponse serializeResponse(ServiceModel model, Operation operation, Struct output, String requestId) {
        StringBuilder xml = new StringBuilder(256);
        String root = operation.name() + "Response";
        xml.append('<').append(root).append(" xmlns=\"");
        XmlShapeWriter.escapeAttribute(xml, namespace(model));
        xml.append("\"><requestId>");
        XmlShapeWriter.escapeText(xml, requestId);
        xml.append("</requestId>");
        Shape shape = operation.output();
        if (shape != null && output != null) {
            writer.writeMembers(xml, shape, output);
        }
        xml.append("</").append(root).append('>');
        return AwsQueryCodec.response(operation.responseCode(), xml, requestId);
    }

    @Override
    public HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId) {
        ErrorResolver.ResolvedError resolved = ErrorResolver.resolve(model, error);
        StringBuilder xml = new StringBuilder(256);
        xml.append("<Response><Errors><Error><Code>");
        XmlShapeWriter.escapeText(xml, resolved.queryCode());
        xml.append("</Code><Message>");
        XmlShapeWriter.escapeMessage(xml, error.getMessage() == null ? "" : error.getMessage());
        xml.append("</Message>");
        AwsQueryCodec.writeErrorFields(writer, xml, resolved.shape(), error.fields());
        xml.append("</Error></Errors><RequestID>");
        XmlShapeWriter.escapeText(xml, requestId);
        xml.append("</RequestID></Response>");
        return AwsQueryCodec.response(resolved.status(), xml, requestId);
    }

    /** EC2's namespace always ends in '/' on the wire (the model spells it without). */
    static String namespace(ServiceModel model) {
        String ns = model.info().xmlNamespace();
        if (ns == null) {
            ns = "http://ec2.amazonaws.com/doc/" + model.info().apiVersion();
        }
        return ns.endsWith("/") ? ns : ns + "/";
    }
}
