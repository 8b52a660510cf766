package dev.terrarium.services.lambda;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.events.EventBus;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.events.LambdaInvoke;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asynchronous invocation: the event invoke configurations (retries, maximum event age, destinations),
 * the deprecated InvokeAsync, and the internal queue Invoke with InvocationType=Event hands its events to.
 * Events other services send through the events bus ({@link LambdaInvoke}, S3 notifications) queue here too.
 */
final class EventInvokeConfigs {
    private static final int ASYNC_PAYLOAD_LIMIT = 256 * 1024;

    private final Clock clock;
    private final Functions functions;
    private final Invoker invoker;
    private final AsyncInvocations queue;
    private final AsyncDestinations destinations;
    /** The endpoint functions reach the server at, as last seen from a client (for events without a request). */
    private volatile String endpoint;

    EventInvokeConfigs(Clock clock, EventBus bus, Peers peers, Functions functions, Invoker invoker, int port) {
        this.clock = clock;
        this.functions = functions;
        this.invoker = invoker;
        this.endpoint = "http://localhost:" + port;
        this.destinations = new AsyncDestinations(bus, peers, this::submitByArn);
        this.queue = new AsyncInvocations(clock, invoker, destinations, this::configOf,
                t -> functions.in(t.account(), t.region()).get(t.function().name) == t.function());
        bus.subscribe(LambdaInvoke.TOPIC, event -> {
            if (event instanceof LambdaInvoke li) {
                submitByArn(li.functionArn(), li.payload().getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** Queues an event for the target (Invoke with InvocationType=Event). */
    void submit(Invoker.Target target, byte[] payload, String clientContext, String requestId) {
        endpoint = target.endpoint();
        queue.submit(target, payload, clientContext, requestId);
    }

    void reset() {
        queue.clear();
    }

    /** Where invocation records go (also the OnFailure records of stream event source mappings). */
    AsyncDestinations destinations() {
        return destinations;
    }

    void close() {
        queue.close();
    }

    /** Queues an event for a function named by (possibly qualified) ARN; dropped when there is no such function. */
    private void submitByArn(String arn, byte[] payload) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:.*")
                .matcher(arn == null ? "" : arn);
        if (!m.matches()) {
            return;
        }
        try {
            FunctionNames names = FunctionNames.parse(arn, m.group(2), m.group(1), null);
            LambdaFunction f = functions.require(m.group(2), m.group(1), names);
            FunctionVersion v = f.version(names.qualifier(), LambdaService.random());
            if (v == null) {
                return;
            }
            String invoked = names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier();
            queue.submit(new Invoker.Target(m.group(2), m.group(1), f, v, invoked, endpoint), payload, null,
                    java.util.UUID.randomUUID().toString());
        } catch (AwsException e) {
            // no such function: AWS drops the event as well
        }
    }

    /** The settings for what a target invoked: its alias or version, else $LATEST's. */
    private EventInvokeConfig configOf(Invoker.Target t) {
        String invoked = t.invokedArn();
        String qualifier = invoked.equals(t.function().arn) ? "$LATEST" : invoked.substring(t.function().arn.length() + 1);
        return t.function().eventInvokeConfigs.get(qualifier);
    }

    // --- operations

    private record Resolved(LambdaFunction function, String qualifier, String arn) {
    }

    /** The function and qualifier a request names; the qualifier must exist ("$LATEST" for none). */
    private Resolved resolve(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), in.string("Qualifier"));
        LambdaFunction f = functions.in(call.account(), call.region()).get(names.name());
        String q = names.qualifier() == null ? "$LATEST" : names.qualifier();
        boolean exists = f != null && (q.equals("$LATEST")
                || (q.matches("\\d{1,9}") ? f.versions.containsKey(Integer.parseInt(q)) : f.aliases.containsKey(q)));
        if (!exists) {
            return new Resolved(null, q, Functions.arn(call.account(), call.region(), names.name()) + ":" + q);
        }
        return new Resolved(f, q, f.arn + ":" + q);
    }

    private static AwsException noConfig(String arn) {
        return LambdaErrors.notFound("The function " + arn + " doesn't have an EventInvokeConfig");
    }

    private EventInvokeConfig fromInput(Call call, Struct in, Resolved r, EventInvokeConfig base) {
        Struct destinations = in.struct("DestinationConfig");
        if (in.integer("MaximumRetryAttempts") == null && in.integer("MaximumEventAgeInSeconds") == null && destinations == null) {
            throw LambdaErrors.invalid("You must specify at least one of error handling or destination setting.");
        }
        String onSuccess = base == null ? null : base.onSuccess();
        String onFailure = base == null ? null : base.onFailure();
        if (destinations != null) {
            onSuccess = destination(destinations.struct("OnSuccess"));
            onFailure = destination(destinations.struct("OnFailure"));
            AsyncDestinations.check(onSuccess, onFailure, r.function().name, functions, call.account(), call.region());
        }
        Integer retries = in.integer("MaximumRetryAttempts");
        Integer age = in.integer("MaximumEventAgeInSeconds");
        return new EventInvokeConfig(retries != null ? retries : base == null ? null : base.maximumRetryAttempts(),
                age != null ? age : base == null ? null : base.maximumEventAgeInSeconds(), onSuccess, onFailure, clock.now());
    }

    private static String destination(Struct s) {
        String d = s == null ? null : s.string("Destination");
        return d == null || d.isEmpty() ? null : d;
    }

    @AwsOperation("PutFunctionEventInvokeConfig")
    public Struct putFunctionEventInvokeConfig(Call call, Struct in) {
        Resolved r = resolve(call, in);
        if (r.function() == null) {
            fromInputCheckOnly(in);
            throw LambdaErrors.notFound("The function doesn't exist.");
        }
        EventInvokeConfig c = fromInput(call, in, r, null);
        r.function().eventInvokeConfigs.put(r.qualifier(), c);
        return c.describe(r.arn());
    }

    /** Put and Update check "at least one setting" before whether the function exists. */
    private static void fromInputCheckOnly(Struct in) {
        if (in.integer("MaximumRetryAttempts") == null && in.integer("MaximumEventAgeInSeconds") == null
                && in.struct("DestinationConfig") == null) {
            throw LambdaErrors.invalid("You must specify at least one of error handling or destination setting.");
        }
    }

    @AwsOperation("UpdateFunctionEventInvokeConfig")
    public Struct updateFunctionEventInvokeConfig(Call call, Struct in) {
        fromInputCheckOnly(in);
        Resolved r = resolve(call, in);
        if (r.function() == null) {
            throw LambdaErrors.notFound("The function doesn't exist.");
        }
        synchronized (r.function()) {
            EventInvokeConfig old = r.function().eventInvokeConfigs.get(r.qualifier());
            if (old == null) {
                throw noConfig(r.arn());
            }
            EventInvokeConfig c = fromInput(call, in, r, old);
            r.function().eventInvokeConfigs.put(r.qualifier(), c);
            return c.describe(r.arn());
        }
    }

    @AwsOperation("GetFunctionEventInvokeConfig")
    public Struct getFunctionEventInvokeConfig(Call call, Struct in) {
        Resolved r = resolve(call, in);
        EventInvokeConfig c = r.function() == null ? null : r.function().eventInvokeConfigs.get(r.qualifier());
        if (c == null) {
            throw noConfig(r.arn());
        }
        return c.describe(r.arn());
    }

    @AwsOperation("DeleteFunctionEventInvokeConfig")
    public Struct deleteFunctionEventInvokeConfig(Call call, Struct in) {
        Resolved r = resolve(call, in);
        if (r.function() == null || r.function().eventInvokeConfigs.remove(r.qualifier()) == null) {
            throw noConfig(r.arn());
        }
        return null;
    }

    @AwsOperation("ListFunctionEventInvokeConfigs")
    public Struct listFunctionEventInvokeConfigs(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), null);
        LambdaFunction f = functions.in(call.account(), call.region()).get(names.name());
        if (f == null) {
            throw LambdaErrors.notFound("The function doesn't exist.");
        }
        int max = in.integer("MaxItems", 50);
        List<Map.Entry<String, EventInvokeConfig>> all = new ArrayList<>(f.eventInvokeConfigs.entrySet());
        Pagination.Page<Map.Entry<String, EventInvokeConfig>> page = Pagination.page(all, Map.Entry::getKey,
                in.string("Marker"), max, () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("FunctionEventInvokeConfigs",
                page.items().stream().map(e -> e.getValue().describe(f.arn + ":" + e.getKey())).toList(),
                "NextMarker", page.nextToken());
    }

    /** The deprecated InvokeAsync: an Event invocation of the function, answered 202. */
    @AwsOperation("InvokeAsync")
    public Struct invokeAsync(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), null);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        FunctionVersion v = f.version(names.qualifier(), LambdaService.random());
        if (v == null) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + names.qualifier());
        }
        byte[] payload = InvokeChecks.payload(bytes(in.get("InvokeArgs")), ASYNC_PAYLOAD_LIMIT);
        InvokeChecks.invocable(v, invoker);
        String invoked = names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier();
        submit(new Invoker.Target(call.account(), call.region(), f, v, invoked, call.endpoint()), payload, null, call.requestId());
        return Struct.of("Status", 202);
    }

    private static byte[] bytes(Object body) {
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof StreamingBody s) {
            try (InputStream stream = s.stream()) {
                return stream.readNBytes(ASYNC_PAYLOAD_LIMIT + 1);
            } catch (IOException e) {
                throw new AwsException("InvalidRequestContentException", "Could not read the request body: " + e.getMessage());
            }
        }
        return new byte[0];
    }
}
