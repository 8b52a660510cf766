package dev.terrarium.core.protocol.cbor;

import dev.terrarium.core.http.HttpRequest;

/**
 * The two names in an rpcv2 request path, {@code [prefix]/service/<ServiceName>/operation/<OperationName>}.
 * ServiceName is the Smithy service shape's name, which botocore takes from the model's targetPrefix
 * (CloudWatch: GraniteServiceVersion20100801).
 */
public record RpcV2Path(String service, String operation) {
    private static final String SERVICE = "/service/";
    private static final String OPERATION = "/operation/";

    /** The names in a raw (still percent-encoded) path, or null when it is not an rpcv2 path. */
    public static RpcV2Path parse(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        int op = rawPath.lastIndexOf(OPERATION);
        if (op < 0) {
            return null;
        }
        int svc = rawPath.lastIndexOf(SERVICE, op);
        if (svc < 0) {
            return null;
        }
        String service = HttpRequest.decode(rawPath.substring(svc + SERVICE.length(), op));
        String operation = HttpRequest.decode(rawPath.substring(op + OPERATION.length()));
        if (service.isEmpty() || operation.isEmpty() || service.indexOf('/') >= 0 || operation.indexOf('/') >= 0) {
            return null;
        }
        return new RpcV2Path(service, operation);
    }
}
