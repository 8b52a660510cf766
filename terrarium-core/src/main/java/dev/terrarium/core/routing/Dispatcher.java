package dev.terrarium.core.routing;

import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.auth.RequestAuthenticator;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.http.BodyTooLargeException;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.http.PlainError;
import dev.terrarium.core.http.ResponseExtras;
import dev.terrarium.core.iam.Enforcement;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.protocol.Codecs;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.RawRequests;
import dev.terrarium.core.service.ServiceImplementation;
import dev.terrarium.core.service.ServiceRegistry;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.validation.InputValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * The path of every AWS request: route to a service, authenticate, find the operation, parse,
 * validate, call the service, and write the output or the error in the request's protocol.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger("terrarium.request");
    private final Models models;
    private final Router router;
    private final ServiceRegistry services;
    private final RequestAuthenticator authenticator;
    private final Clock clock;
    private final String defaultRegion;
    private final Enforcement enforcement;

    public Dispatcher(Models models, ServiceRegistry services, RequestAuthenticator authenticator, Clock clock,
                      String defaultRegion) {
        this(models, services, authenticator, clock, defaultRegion, null);
    }

    /** With IAM enforcement: every parsed request is authorized before the service sees it (null: none). */
    public Dispatcher(Models models, ServiceRegistry services, RequestAuthenticator authenticator, Clock clock,
                      String defaultRegion, Enforcement enforcement) {
        this.enforcement = enforcement;
        this.models = models;
        this.router = new Router(models);
        this.services = services;
        this.authenticator = authenticator;
        this.clock = clock;
        this.defaultRegion = defaultRegion;
    }

    /** What the request log line reports. */
    public record Outcome(HttpResponse response, String service, String operation) {
    }

    /** Dispatches and waits for the outcome (for callers that are fine holding a thread). */
    public Outcome dispatch(HttpRequest request) {
        return dispatchAsync(request).join();
    }

    /**
     * Dispatches a request; the outcome is complete on return except for operations that wait
     * without a thread (long polls), whose outcome completes later on another thread.
     */
    public CompletableFuture<Outcome> dispatchAsync(HttpRequest request) {
        String scopeService;
        Route route;
        try {
            scopeService = authenticator.scopeService(request);
            route = router.route(request, scopeService);
        } catch (AwsException e) {
            return done(plainError(e), "-", "-");
        } catch (BodyTooLargeException e) {
            return done(plainError(BodyLimits.tooLarge(null, null, e.limit())), "-", "-");
        }
        if (route == null) {
            return done(plainError(new AwsException("UnknownService",
                    "Terrarium cannot tell which AWS service this request is for", 400)), "-", "-");
        }
        String serviceName = route.service().name();
        ProtocolCodec codec = Codecs.forProtocol(route.protocol());
        if (codec == null) {
            return done(plainError(new AwsException("NotImplemented",
                    "Terrarium does not speak " + route.protocol() + " yet", 501)), serviceName, "-");
        }
        ServiceModel model = models.model(serviceName);
        request.limitBody(BodyLimits.forService(serviceName));
        String requestId = route.protocol() == Protocol.REST_XML && serviceName.equals("s3")
                ? RequestIds.s3() : RequestIds.uuid();
        Operation operation = null;
        HttpRequest addressed = pathStyle(request, route);
        try {
            RawRequests.Answer raw = answerRaw(serviceName, request, requestId);
            if (raw != null) {
                applyExtras(request, raw.response(), raw.response().status() >= 300);
                return done(raw.response(), serviceName, raw.operation());
            }
            operation = codec.resolveOperation(model, addressed);
            Identity identity = authenticator.authenticate(request, route.service(),
                    operation != null && "none".equals(operation.authType()));
            if (operation == null) {
                throw codec.unresolvedOperation(model, addressed);
            }
            Struct input = codec.parseRequest(model, operation, addressed);
            ServiceImplementation impl = services.implementation(serviceName);
            if (impl != null) {
                impl.service().completeInput(operation.name(), addressed, input);
            }
            AwsException invalid = InputValidator.validate(model, operation, input);
            if (invalid != null) {
                throw invalid;
            }
            Call call = new Call(serviceName, operation, identity, regionOf(request), requestId, clock.now(), addressed);
            if (enforcement != null) {
                enforcement.check(model, route.protocol(), call, input);
            }
            if (impl == null || !impl.implementsOperation(operation.name())) {
                throw AwsException.notImplemented(serviceName, operation.name());
            }
            Operation op = operation;
            return impl.invokeAsync(operation.name(), call, input).toCompletableFuture()
                    .handle((output, failure) -> failure == null
                            ? succeeded(codec, model, op, output, requestId, request, serviceName)
                            : failed(unwrap(failure), codec, model, op, requestId, request, serviceName));
        } catch (RuntimeException | StackOverflowError e) {
            return CompletableFuture.completedFuture(failed(e, codec, model, operation, requestId, request, serviceName));
        }
    }

    /** The service's own answer to a request outside its model, or null (see {@link RawRequests}). */
    private RawRequests.Answer answerRaw(String serviceName, HttpRequest request, String requestId) {
        ServiceImplementation impl = services.implementation(serviceName);
        return impl != null && impl.service() instanceof RawRequests raw ? raw.answer(request, requestId) : null;
    }

    private static Outcome succeeded(ProtocolCodec codec, ServiceModel model, Operation operation, Struct output,
                                     String requestId, HttpRequest request, String serviceName) {
        HttpResponse response = codec.serializeResponse(model, operation, output == null ? Struct.empty() : output,
                requestId);
        applyExtras(request, response, false);
        return new Outcome(response, serviceName, operation.name());
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private Outcome failed(Throwable e, ProtocolCodec codec, ServiceModel model, Operation operation, String requestId,
                           HttpRequest request, String serviceName) {
        if (e instanceof AwsException aws) {
            HttpResponse response = codec.serializeError(model, operation, aws, requestId, request);
            applyExtras(request, response, true);
            return new Outcome(response, serviceName, nameOf(operation));
        }
        if (e instanceof BodyTooLargeException tooLarge) {
            return new Outcome(codec.serializeError(model, operation, BodyLimits.tooLarge(model, operation, tooLarge.limit()),
                    requestId, request), serviceName, nameOf(operation));
        }
        LOG.error("{} {} failed", serviceName, nameOf(operation), e);
        AwsException internal = AwsException.internal("We encountered an internal error. Please try again.");
        return new Outcome(codec.serializeError(model, operation, internal, requestId, request), serviceName,
                nameOf(operation));
    }

    /** S3's virtual-host style (bucket in the Host) read as path style: /key becomes /bucket/key. */
    private static HttpRequest pathStyle(HttpRequest request, Route route) {
        if (route.protocol() != Protocol.REST_XML || !"s3".equals(route.service().name())) {
            return request;
        }
        String bucket = Router.bucketFromHost(request.host());
        if (bucket == null) {
            return request;
        }
        String path = request.rawPath();
        return request.withRawPath("/" + bucket + (path.equals("/") ? "" : path));
    }

    private static void applyExtras(HttpRequest request, HttpResponse response, boolean error) {
        ResponseExtras extras = request.responseExtrasIfAny();
        if (extras != null) {
            extras.applyTo(response, error);
        }
    }

    private static CompletableFuture<Outcome> done(HttpResponse response, String service, String operation) {
        return CompletableFuture.completedFuture(new Outcome(response, service, operation));
    }

    private static String nameOf(Operation op) {
        return op == null ? "-" : op.name();
    }

    private String regionOf(HttpRequest request) {
        String region = authenticator.scopeRegion(request);
        return region == null ? defaultRegion : region;
    }

    /** An error before any protocol is known: a small JSON body, as API Gateway-fronted AWS endpoints answer. */
    static HttpResponse plainError(AwsException e) {
        return PlainError.response(e.status() == 0 ? 400 : e.status(), e.code(), e.getMessage());
    }
}
