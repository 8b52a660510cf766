package dev.terrarium.core.protocol;

import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

/**
 * One AWS wire protocol, driven entirely by the service model: finds the operation a request
 * calls, parses the request into the input tree, and writes an output tree or an error back.
 */
public interface ProtocolCodec {
    Protocol protocol();

    /**
     * The operation this request calls (by X-Amz-Target, Action=, the rpcv2 path or the HTTP
     * binding), or null when the request names none of the model's operations.
     */
    Operation resolveOperation(ServiceModel model, HttpRequest request);

    /**
     * Parses the request into a Struct of the operation's input shape. Malformed input throws
     * the protocol's AwsException (SerializationException, MalformedQueryString, MalformedXML...).
     */
    Struct parseRequest(ServiceModel model, Operation operation, HttpRequest request);

    HttpResponse serializeResponse(ServiceModel model, Operation operation, Struct output, String requestId);

    /** operation is null when the error happened before an operation was known. */
    HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId);

    /** As above, for codecs whose error shape depends on the request (CloudWatch's x-amzn-query-mode). */
    default HttpResponse serializeError(ServiceModel model, Operation operation, AwsException error, String requestId,
                                        HttpRequest request) {
        return serializeError(model, operation, error, requestId);
    }

    /** The protocol's error for a request that names no operation of the model. */
    AwsException unresolvedOperation(ServiceModel model, HttpRequest request);
}
