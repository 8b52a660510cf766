package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.terrarium.core.model.Location;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.ErrorResolver.ResolvedError;
import dev.terrarium.core.service.AwsException;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/** The JSON error body both JSON protocols share: the message under the model's key, plus modeled members. */
final class JsonErrors {
    /**
     * Errors raised by AWS's request framework rather than the service; awsJson services name them with
     * the framework's namespace in __type.
     */
    private static final Set<String> FRAMEWORK_ERRORS = Set.of(
            "SerializationException", "UnknownOperationException", "UnrecognizedClientException",
            "InvalidSignatureException", "IncompleteSignatureException", "MissingAuthenticationTokenException",
            "ExpiredTokenException", "RequestExpired", "InternalFailure", "ThrottlingException");

    /** Services whose awsJson errors carry their Smithy namespace in __type, as AWS sends them. */
    private static final Map<String, String> NAMESPACES = Map.of(
            "dynamodb", "com.amazonaws.dynamodb.v20120810#",
            "sqs", "com.amazonaws.sqs#");

    private JsonErrors() {
    }

    /** awsJson's __type: the shape name, namespaced where AWS namespaces it (clients keep what follows '#'). */
    static String typeName(ServiceModel model, ResolvedError r) {
        if (r.shape() == null) {
            return FRAMEWORK_ERRORS.contains(r.shapeName()) ? "com.amazon.coral.service#" + r.shapeName() : r.shapeName();
        }
        String ns = model == null ? null : NAMESPACES.get(model.name());
        return ns == null ? r.shapeName() : ns + r.shapeName();
    }

    /** "message", or the model's spelling of it ("Message" for Lambda, CloudWatch...). */
    static Member messageMember(Shape shape) {
        if (shape == null) {
            return null;
        }
        for (Member m : shape.members().values()) {
            if (m.name().equalsIgnoreCase("message") || m.wireName().equalsIgnoreCase("message")) {
                return m;
            }
        }
        return null;
    }

    /**
     * Writes the fields of the error object (without braces): message, then the modeled members the
     * service set, only those located in the body.
     */
    static void writeFields(JsonGenerator g, ResolvedError r, AwsException e) throws IOException {
        Shape shape = r.shape();
        Member message = messageMember(shape);
        String text = e.getMessage();
        if (text == null && message != null && e.fields().get(message.name()) != null) {
            text = e.fields().get(message.name()).toString();
        }
        if (text != null) {
            g.writeStringField(message != null ? message.wireName() : "message", text);
        }
        if (shape != null) {
            JsonShapeWriter.writeMembers(g, shape, e.fields(),
                    m -> m != message && m.location() == Location.BODY);
        } else {
            for (String name : e.fields().names()) {
                if (!name.equalsIgnoreCase("message")) {
                    g.writeFieldName(name);
                    JsonShapeWriter.writeDocument(g, e.fields().get(name));
                }
            }
        }
    }
}
