package dev.terrarium.core.iam;

import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Supplier;

/**
 * IAM enforcement in the request path: asks the authorizer, records the decision for
 * /_terrarium/iam/explain, and turns a denial into the service's own access-denied error.
 */
public final class Enforcement {
    private static final Logger LOG = LoggerFactory.getLogger("terrarium.iam");
    private final Supplier<Authorizer> authorizer;
    private final DecisionLog log;

    public Enforcement(Supplier<Authorizer> authorizer, DecisionLog log) {
        this.authorizer = authorizer;
        this.log = log;
    }

    public DecisionLog log() { return log; }

    public void check(ServiceModel model, Protocol protocol, Call call, Struct input) {
        Authorizer a = authorizer.get();
        if (a == null) {
            return;
        }
        Decision d = a.authorize(call, input);
        if (d == null) {
            return;
        }
        Map<String, Object> json = DecisionJson.toMap(d);
        String encoded = d.allowed() ? null : a.encode(d);
        if (encoded != null) {
            json.put("encodedMessage", encoded);
        }
        json.put("requestId", call.requestId());
        log.record(call.requestId(), json);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {} {}", call.requestId(), d.request().action(), d.outcome(), DecisionJson.toJson(d));
        }
        if (!d.allowed()) {
            throw denial(model, protocol, d, encoded);
        }
    }

    /** AccessDenied (query and XML protocols), AccessDeniedException (JSON), UnauthorizedOperation (EC2). */
    static AwsException denial(ServiceModel model, Protocol protocol, Decision d, String encoded) {
        if (protocol == Protocol.EC2_QUERY) {
            return new AwsException("UnauthorizedOperation", "You are not authorized to perform this operation. "
                    + d.message() + (encoded == null ? "" : ". Encoded authorization failure message: " + encoded), 403);
        }
        if (model.errorShape("AccessDeniedException") != null) {
            return new AwsException("AccessDeniedException", d.message(), 403);
        }
        if (model.errorShape("AccessDenied") != null) {
            return new AwsException("AccessDenied", d.message(), 403);
        }
        boolean json = protocol == Protocol.AWS_JSON_1_0 || protocol == Protocol.AWS_JSON_1_1
                || protocol == Protocol.REST_JSON_1 || protocol == Protocol.RPC_V2_CBOR;
        return new AwsException(json ? "AccessDeniedException" : "AccessDenied", d.message(), 403);
    }
}
