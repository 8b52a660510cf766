package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Lambda durable functions: an execution per invocation of a function with a DurableConfig. The function
 * (written with AWS's durable execution SDK) gets the execution ARN, a checkpoint token and the operations so
 * far, checkpoints its steps, waits and callbacks (CheckpointDurableExecution), and answers SUCCEEDED, FAILED
 * or PENDING. A pending execution is invoked again when a wait's timer is due on the Clock, a step's retry
 * is due or a callback is completed, failed or timed out. History events, Get/List, Stop and callbacks.
 */
final class DurableExecutions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An invocation that ends with a function error (not a FAILED answer) is tried this many times in a row. */
    private static final int INVOCATION_ATTEMPTS = 3;
    /** Operations sent in the invocation event; the rest are read with GetDurableExecutionState. */
    static final int INITIAL_STATE_PAGE = 100;

    private final Clock clock;
    private final Functions functions;
    private final Invoker invoker;
    private final Map<String, DurableExecution> executions = new ConcurrentHashMap<>();
    /** Callback id -> the execution and operation id it completes. */
    private final Map<String, String[]> callbacks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lambda-durable-timers");
        t.setDaemon(true);
        return t;
    });
    private final AutoCloseable advanceListener;

    DurableExecutions(Clock clock, Functions functions, Invoker invoker) {
        this.clock = clock;
        this.functions = functions;
        this.invoker = invoker;
        timers.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        this.advanceListener = clock.onAdvance(() -> timers.execute(this::sweep));
    }

    void close() {
        reset();
        try {
            advanceListener.close();
        } catch (Exception ignored) {
            // nothing held
        }
        timers.shutdownNow();
    }

    void reset() {
        for (DurableExecution e : executions.values()) {
            synchronized (e) {
                if (e.running()) { // a synchronous Invoke waiting on it gets its answer
                    end(e, "STOPPED", null, Struct.of("ErrorType", "Stopped", "ErrorMessage", "Terrarium was reset."));
                }
            }
        }
        executions.clear();
        callbacks.clear();
    }

    private static String token() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // --- starting an execution (Invoke of a durable function)

    /** Invoke of a function with a DurableConfig: starts (or, by name, finds) an execution and runs it. */
    CompletionStage<Struct> invoke(Invoker.Target target, String qualifier, byte[] payload, String type,
                                   String executionName) {
        if (qualifier == null) {
            throw LambdaErrors.invalid("Durable functions must be invoked with a qualified function ARN: "
                    + "add a version, an alias or $LATEST to " + target.function().arn + ".");
        }
        String input = payload == null || payload.length == 0 ? "{}" : new String(payload, StandardCharsets.UTF_8);
        DurableExecution e = start(target, input, executionName);
        String arn = e.arn;
        if (type.equals("Event")) {
            return CompletableFuture.completedFuture(Struct.of("StatusCode", 202, "DurableExecutionArn", arn));
        }
        return e.finished.thenApply(done -> {
            synchronized (done) {
                boolean ok = done.status.equals("SUCCEEDED");
                byte[] body = ok ? (done.result == null ? "null" : done.result).getBytes(StandardCharsets.UTF_8)
                        : errorPayload(done).getBytes(StandardCharsets.UTF_8);
                return Struct.of("StatusCode", 200, "FunctionError", ok ? null : "Unhandled", "Payload", body,
                        "ExecutedVersion", done.target.version().version, "DurableExecutionArn", arn);
            }
        });
    }

    /** Starts an execution (invoking the function) or, for a name already used with the same input, finds it. */
    private DurableExecution start(Invoker.Target target, String input, String executionName) {
        String name = executionName != null ? executionName : java.util.UUID.randomUUID().toString();
        DurableExecution e;
        synchronized (executions) {
            DurableExecution same = executionName == null ? null : executions.values().stream()
                    .filter(x -> x.name.equals(name) && x.target.function() == target.function()).findFirst().orElse(null);
            if (same != null) {
                if (!same.input.equals(input)) {
                    throw new AwsException("DurableExecutionAlreadyStartedException", "Durable execution with name "
                            + name + " already exists with a different input.").withFields(Struct.of("Type", "User"));
                }
                return same;
            }
            Struct config = target.version().durableConfig;
            e = new DurableExecution(target.version().qualifiedArn() + "/durable-execution/" + name + "/" + token(),
                    name, token(), target, input, clock.now(), config.integer("ExecutionTimeout"));
            e.retentionDays = config.integer("RetentionPeriodInDays");
            start(e);
            executions.put(e.arn, e);
        }
        resume(e);
        return e;
    }

    private static String errorPayload(DurableExecution e) {
        Struct err = e.error == null ? Struct.empty() : e.error;
        return "{\"errorType\":" + Json.quote(err.string("ErrorType", "DurableExecution" + cap(e.status)))
                + ",\"errorMessage\":" + Json.quote(err.string("ErrorMessage", "Durable execution " + e.status.toLowerCase()))
                + "}";
    }

    private static String cap(String status) {
        return status.charAt(0) + status.substring(1).toLowerCase().replace("_o", "O");
    }

    private void start(DurableExecution e) {
        Instant now = e.start;
        Struct op = Struct.of("Id", e.id, "Type", "EXECUTION", "StartTimestamp", now, "Status", "STARTED",
                "ExecutionDetails", Struct.of("InputPayload", e.input));
        DurableExecution.Op o = new DurableExecution.Op(op);
        e.ops.put(e.id, o);
        e.changed(o);
        e.event(now, "ExecutionStarted", op, "ExecutionStartedDetails", Struct.of(
                "Input", Struct.of("Payload", e.input), "ExecutionTimeout", e.executionTimeout));
    }

    // --- running invocations

    /** Invokes the function for the execution now, or right after the invocation that runs. */
    private void resume(DurableExecution e) {
        byte[] envelope;
        synchronized (e) {
            if (!e.running() || executions.get(e.arn) != e) {
                return; // ended, or forgotten by a reset
            }
            if (e.invoking) {
                e.wake = true;
                return;
            }
            e.invoking = true;
            e.wake = false;
            e.checkpointToken = token();
            // the first page of operations; the SDK reads the others with GetDurableExecutionState
            Pagination.Page<Struct> page = statePage(e, null, INITIAL_STATE_PAGE);
            List<Object> operations = new ArrayList<>();
            page.items().forEach(o -> operations.add(plain(o)));
            e.sentSeq = e.seq;
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("Operations", operations);
            if (page.nextToken() != null) {
                state.put("NextMarker", page.nextToken());
            }
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("DurableExecutionArn", e.arn);
            in.put("CheckpointToken", e.checkpointToken);
            in.put("InitialExecutionState", state);
            try {
                envelope = JSON.writeValueAsBytes(in);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        try {
            invoker.reserve(e.target.function());
        } catch (AwsException throttled) {
            synchronized (e) {
                e.invoking = false;
                e.wake = true; // the sweep tries again
            }
            return;
        }
        Instant started = clock.now();
        String requestId = java.util.UUID.randomUUID().toString();
        invoker.invoke(e.target, envelope, null, requestId).thenAccept(o -> finished(e, o, started, requestId));
    }

    /** The invocation ended: the SDK's answer ({Status, Result, Error}) or a function error. */
    private void finished(DurableExecution e, Invoker.Outcome outcome, Instant started, String requestId) {
        boolean again;
        synchronized (e) {
            e.invoking = false;
            e.checkpointToken = null;
            InvocationResult r = outcome.result();
            Map<String, Object> answer = r.functionError() == null ? Json.object(r.payload()) : null;
            Struct completed = Struct.of("StartTimestamp", started, "EndTimestamp", clock.now(), "RequestId", requestId);
            Struct invocationError = null;
            if (answer == null || answer.get("Status") == null) {
                Map<String, Object> err = Json.object(r.payload());
                invocationError = Struct.of("ErrorType", err == null ? "Lambda.Unknown" : String.valueOf(err.get("errorType")),
                        "ErrorMessage", err == null ? "The function returned no durable execution status."
                                : String.valueOf(err.get("errorMessage")));
                completed.put("Error", Struct.of("Payload", invocationError));
            }
            if (e.running()) {
                e.event(clock.now(), "InvocationCompleted", null, "InvocationCompletedDetails", completed);
            }
            if (!e.running()) {
                return;
            }
            if (invocationError != null) {
                if (++e.failedInvocations >= INVOCATION_ATTEMPTS) {
                    end(e, "FAILED", null, invocationError);
                    return;
                }
                again = true;
            } else {
                e.failedInvocations = 0;
                String status = String.valueOf(answer.get("Status"));
                switch (status) {
                    case "SUCCEEDED" -> {
                        Object result = answer.get("Result");
                        String text = result == null ? null : String.valueOf(result);
                        if ((text == null || text.isEmpty()) && e.ops.get(e.id).operation.string("Result") != null) {
                            text = e.ops.get(e.id).operation.string("Result");
                        }
                        end(e, "SUCCEEDED", text, null);
                        return;
                    }
                    case "FAILED" -> {
                        end(e, "FAILED", null, errorObject(answer.get("Error")));
                        return;
                    }
                    default -> again = e.wake || readyWork(e);
                }
            }
        }
        if (again) {
            timers.execute(() -> resume(e));
        }
    }

    /** Whether an operation completed that the function has not seen (it answered PENDING after it). */
    private static boolean readyWork(DurableExecution e) {
        return e.ops.values().stream().anyMatch(o -> o.seq > e.sentSeq && !o.type().equals("EXECUTION")
                && !List.of("STARTED", "PENDING").contains(o.status()));
    }

    @SuppressWarnings("unchecked")
    private static Struct errorObject(Object error) {
        if (!(error instanceof Map<?, ?> m)) {
            return Struct.of("ErrorType", "Error", "ErrorMessage", "The durable execution failed.");
        }
        Map<String, Object> map = (Map<String, Object>) m;
        Struct s = Struct.of("ErrorType", map.get("ErrorType") == null ? null : String.valueOf(map.get("ErrorType")),
                "ErrorMessage", map.get("ErrorMessage") == null ? null : String.valueOf(map.get("ErrorMessage")),
                "ErrorData", map.get("ErrorData") == null ? null : String.valueOf(map.get("ErrorData")));
        if (map.get("StackTrace") instanceof List<?> l) {
            s.put("StackTrace", l.stream().map(String::valueOf).toList());
        }
        return s;
    }

    /** Ends the execution (the caller holds its monitor). */
    private void end(DurableExecution e, String status, String result, Struct error) {
        Instant now = clock.now();
        e.status = status;
        e.end = now;
        e.result = result;
        e.error = error;
        e.checkpointToken = null;
        DurableExecution.Op x = e.ops.get(e.id);
        x.operation.put("Status", status);
        x.operation.put("EndTimestamp", now);
        e.changed(x);
        switch (status) {
            case "SUCCEEDED" -> e.event(now, "ExecutionSucceeded", x.operation, "ExecutionSucceededDetails",
                    Struct.of("Result", Struct.of("Payload", result)));
            case "FAILED" -> e.event(now, "ExecutionFailed", x.operation, "ExecutionFailedDetails",
                    Struct.of("Error", Struct.of("Payload", error)));
            case "TIMED_OUT" -> e.event(now, "ExecutionTimedOut", x.operation, "ExecutionTimedOutDetails",
                    Struct.of("Error", Struct.of("Payload", error)));
            default -> e.event(now, "ExecutionStopped", x.operation, "ExecutionStoppedDetails",
                    Struct.of("Error", Struct.of("Payload", error)));
        }
        e.finished.complete(e);
    }

    /** Timers on the Clock: waits and retries that are due, callback and execution timeouts. */
    private void sweep() {
        Instant now = clock.now();
        for (DurableExecution e : executions.values()) {
            boolean wake;
            synchronized (e) {
                if (!e.running()) {
                    if (e.retentionDays != null && !now.isBefore(e.end.plus(java.time.Duration.ofDays(e.retentionDays)))) {
                        executions.remove(e.arn, e); // DurableConfig.RetentionPeriodInDays after it ended
                        e.ops.values().stream().map(o -> o.operation.struct("CallbackDetails")).filter(d -> d != null)
                                .forEach(d -> callbacks.remove(d.string("CallbackId")));
                    }
                    continue;
                }
                if (e.executionTimeout != null && !now.isBefore(e.start.plusSeconds(e.executionTimeout))) {
                    end(e, "TIMED_OUT", null, Struct.of("ErrorType", "TimedOut",
                            "ErrorMessage", "Durable execution timed out after " + e.executionTimeout + " seconds."));
                    continue;
                }
                wake = e.wake && !e.invoking;
                for (DurableExecution.Op o : e.ops.values()) {
                    Struct op = o.operation;
                    if (o.type().equals("WAIT") && o.status().equals("STARTED")
                            && !now.isBefore(op.struct("WaitDetails").timestamp("ScheduledEndTimestamp"))) {
                        op.put("Status", "SUCCEEDED");
                        op.put("EndTimestamp", now);
                        e.changed(o);
                        e.event(now, "WaitSucceeded", op, "WaitSucceededDetails",
                                Struct.of("Duration", (int) java.time.Duration.between(op.timestamp("StartTimestamp"),
                                        op.struct("WaitDetails").timestamp("ScheduledEndTimestamp")).toSeconds()));
                        wake = true;
                    } else if (o.type().equals("STEP") && o.status().equals("PENDING")
                            && !now.isBefore(op.struct("StepDetails").timestamp("NextAttemptTimestamp"))) {
                        op.put("Status", "READY");
                        e.changed(o);
                        wake = true;
                    } else if (o.type().equals("CALLBACK") && o.status().equals("STARTED")
                            && ((o.callbackDeadline != null && !now.isBefore(o.callbackDeadline))
                            || (o.heartbeatDeadline != null && !now.isBefore(o.heartbeatDeadline)))) {
                        boolean heartbeat = o.callbackDeadline == null || now.isBefore(o.callbackDeadline);
                        Struct error = Struct.of("ErrorType", heartbeat ? "Callback.Heartbeat" : "Callback.Timeout",
                                "ErrorMessage", heartbeat ? "Callback heartbeat timed out." : "Callback timed out.");
                        op.put("Status", "TIMED_OUT");
                        op.put("EndTimestamp", now);
                        op.struct("CallbackDetails").put("Error", error);
                        e.changed(o);
                        e.event(now, "CallbackTimedOut", op, "CallbackTimedOutDetails",
                                Struct.of("Error", Struct.of("Payload", error)));
                        wake = true;
                    }
                }
            }
            if (wake) {
                resume(e);
            }
        }
    }

    // --- the API the durable SDK calls from the function

    private DurableExecution execution(String arn, boolean notFound) {
        DurableExecution e = arn == null ? null : executions.get(arn);
        if (e == null) {
            throw notFound ? LambdaErrors.notFound("Durable execution not found: " + arn)
                    : LambdaErrors.invalid("Durable execution not found: " + arn);
        }
        return e;
    }

    private static void checkToken(DurableExecution e, String token) {
        if (e.checkpointToken == null || !e.checkpointToken.equals(token)) {
            throw LambdaErrors.invalid("Invalid Checkpoint Token: the token is not the current token of the "
                    + "execution's running invocation.");
        }
    }

    @AwsOperation("CheckpointDurableExecution")
    public Struct checkpointDurableExecution(Call call, Struct in) {
        DurableExecution e = execution(in.string("DurableExecutionArn"), false);
        synchronized (e) {
            String clientToken = in.string("ClientToken");
            Struct answered = clientToken == null ? null : e.checkpointsByClientToken.get(clientToken);
            if (answered != null && answered.string("token").equals(in.string("CheckpointToken"))) {
                return answered.struct("response").copy(); // a retried checkpoint: applied once, answered again
            }
            if (!e.running()) {
                throw LambdaErrors.invalid("Cannot checkpoint durable execution " + e.arn + ": it is " + e.status + ".");
            }
            checkToken(e, in.string("CheckpointToken"));
            List<Struct> updates = in.structs("Updates") == null ? List.of() : in.structs("Updates");
            for (Struct u : updates) {
                check(e, u);
            }
            for (Struct u : updates) {
                apply(e, u);
            }
            e.checkpointToken = token();
            List<Object> changed = new ArrayList<>();
            e.ops.values().stream().filter(o -> o.seq > e.sentSeq).forEach(o -> changed.add(o.operation.copy()));
            e.sentSeq = e.seq;
            Struct response = Struct.of("CheckpointToken", e.checkpointToken,
                    "NewExecutionState", Struct.of("Operations", changed));
            if (clientToken != null) {
                e.checkpointsByClientToken.put(clientToken,
                        Struct.of("token", in.string("CheckpointToken"), "response", response.copy()));
                if (e.checkpointsByClientToken.size() > 100) {
                    e.checkpointsByClientToken.remove(e.checkpointsByClientToken.keySet().iterator().next());
                }
            }
            return response;
        }
    }

    private static final Map<String, List<String>> ACTIONS = Map.of(
            "EXECUTION", List.of("SUCCEED", "FAIL"),
            "CONTEXT", List.of("START", "SUCCEED", "FAIL"),
            "STEP", List.of("START", "SUCCEED", "FAIL", "RETRY"),
            "WAIT", List.of("START", "CANCEL"),
            "CALLBACK", List.of("START"),
            "CHAINED_INVOKE", List.of("START"));

    /** Refuses an update before any of the batch is applied. */
    private static void check(DurableExecution e, Struct u) {
        String type = u.string("Type");
        String action = u.string("Action");
        if (!ACTIONS.get(type).contains(action)) {
            throw LambdaErrors.invalid("Invalid action " + action + " for operation type " + type + ".");
        }
        DurableExecution.Op existing = e.ops.get(u.string("Id"));
        if (type.equals("EXECUTION")) {
            return;
        }
        if (existing != null && !existing.type().equals(type)) {
            throw LambdaErrors.invalid("Operation " + u.string("Id") + " is a " + existing.type() + ", not a " + type + ".");
        }
        if (existing == null && !action.equals("START") && !type.equals("STEP") && !type.equals("CONTEXT")) {
            throw LambdaErrors.invalid("Operation " + u.string("Id") + " was not started.");
        }
        if (existing != null && action.equals("START") && !existing.type().equals("STEP")) {
            throw LambdaErrors.invalid("Operation " + u.string("Id") + " was already started.");
        }
        if (type.equals("CHAINED_INVOKE") && (u.struct("ChainedInvokeOptions") == null)) {
            throw LambdaErrors.invalid("ChainedInvokeOptions.FunctionName is required to start a chained invoke.");
        }
        if (type.equals("WAIT") && action.equals("START")
                && (u.struct("WaitOptions") == null || u.struct("WaitOptions").integer("WaitSeconds") == null)) {
            throw LambdaErrors.invalid("WaitOptions.WaitSeconds is required to start a wait.");
        }
    }

    private void apply(DurableExecution e, Struct u) {
        Instant now = clock.now();
        String type = u.string("Type");
        String action = u.string("Action");
        if (type.equals("EXECUTION")) {
            DurableExecution.Op x = e.ops.get(e.id);
            if (action.equals("SUCCEED")) {
                x.operation.put("Result", u.string("Payload")); // read back when the function answers SUCCEEDED
            }
            return;
        }
        DurableExecution.Op o = e.ops.get(u.string("Id"));
        boolean created = o == null;
        if (created) {
            o = new DurableExecution.Op(Struct.of("Id", u.string("Id"), "ParentId", u.string("ParentId"),
                    "Name", u.string("Name"), "Type", type, "SubType", u.string("SubType"), "StartTimestamp", now,
                    "Status", "STARTED"));
            e.ops.put(u.string("Id"), o);
        }
        Struct op = o.operation;
        switch (type + " " + action) {
            case "STEP START" -> {
                // StepDetails.Attempt counts the attempts that failed (the SDK runs attempt Attempt + 1)
                op.put("Status", "STARTED");
                details(op, "StepDetails").put("NextAttemptTimestamp", null);
                if (created) {
                    e.event(now, "StepStarted", op, "StepStartedDetails", Struct.empty());
                }
            }
            case "STEP SUCCEED" -> {
                finish(op, "SUCCEEDED", now);
                details(op, "StepDetails").put("Result", u.string("Payload"));
                e.event(now, "StepSucceeded", op, "StepSucceededDetails", Struct.of(
                        "Result", Struct.of("Payload", u.string("Payload")),
                        "RetryDetails", Struct.of("CurrentAttempt", details(op, "StepDetails").integer("Attempt", 0) + 1)));
            }
            case "STEP FAIL" -> {
                finish(op, "FAILED", now);
                details(op, "StepDetails").put("Error", u.struct("Error"));
                e.event(now, "StepFailed", op, "StepFailedDetails", Struct.of(
                        "Error", Struct.of("Payload", u.struct("Error")),
                        "RetryDetails", Struct.of("CurrentAttempt", details(op, "StepDetails").integer("Attempt", 0) + 1)));
            }
            case "STEP RETRY" -> {
                int delay = u.struct("StepOptions") == null ? 1
                        : u.struct("StepOptions").integer("NextAttemptDelaySeconds", 1);
                Struct d = details(op, "StepDetails");
                d.put("Attempt", d.integer("Attempt", 0) + 1);
                op.put("Status", "PENDING");
                d.put("Error", u.struct("Error"));
                d.put("NextAttemptTimestamp", now.plusSeconds(delay));
                e.event(now, "StepFailed", op, "StepFailedDetails", Struct.of(
                        "Error", Struct.of("Payload", u.struct("Error")),
                        "RetryDetails", Struct.of("CurrentAttempt", d.integer("Attempt"), "NextAttemptDelaySeconds", delay)));
            }
            case "CONTEXT START" -> e.event(now, "ContextStarted", op, "ContextStartedDetails", Struct.empty());
            case "CONTEXT SUCCEED" -> {
                finish(op, "SUCCEEDED", now);
                details(op, "ContextDetails").put("Result", u.string("Payload"));
                if (u.struct("ContextOptions") != null) {
                    op.struct("ContextDetails").put("ReplayChildren", u.struct("ContextOptions").bool("ReplayChildren"));
                }
                e.event(now, "ContextSucceeded", op, "ContextSucceededDetails",
                        Struct.of("Result", Struct.of("Payload", u.string("Payload"))));
            }
            case "CONTEXT FAIL" -> {
                finish(op, "FAILED", now);
                details(op, "ContextDetails").put("Error", u.struct("Error"));
                e.event(now, "ContextFailed", op, "ContextFailedDetails",
                        Struct.of("Error", Struct.of("Payload", u.struct("Error"))));
            }
            case "WAIT START" -> {
                int seconds = u.struct("WaitOptions").integer("WaitSeconds");
                Instant due = now.plusSeconds(seconds);
                op.put("WaitDetails", Struct.of("ScheduledEndTimestamp", due));
                e.event(now, "WaitStarted", op, "WaitStartedDetails",
                        Struct.of("Duration", seconds, "ScheduledEndTimestamp", due));
                timers.schedule(this::sweep, Math.max(0, due.toEpochMilli() - now.toEpochMilli()) + 5,
                        TimeUnit.MILLISECONDS);
            }
            case "WAIT CANCEL" -> {
                finish(op, "CANCELLED", now);
                e.event(now, "WaitCancelled", op, "WaitCancelledDetails",
                        Struct.of("Error", u.struct("Error") == null ? null : Struct.of("Payload", u.struct("Error"))));
            }
            case "CALLBACK START" -> {
                String id = token();
                op.put("CallbackDetails", Struct.of("CallbackId", id));
                Struct options = u.struct("CallbackOptions") == null ? Struct.empty() : u.struct("CallbackOptions");
                Integer timeout = options.integer("TimeoutSeconds");
                Integer heartbeat = options.integer("HeartbeatTimeoutSeconds");
                if (timeout != null && timeout > 0) {
                    o.callbackDeadline = now.plusSeconds(timeout);
                }
                if (heartbeat != null && heartbeat > 0) {
                    o.heartbeatSeconds = heartbeat;
                    o.heartbeatDeadline = now.plusSeconds(heartbeat);
                }
                callbacks.put(id, new String[] {e.arn, op.string("Id")});
                e.event(now, "CallbackStarted", op, "CallbackStartedDetails", Struct.of("CallbackId", id,
                        "Timeout", timeout, "HeartbeatTimeout", heartbeat));
            }
            case "CHAINED_INVOKE START" -> {
                e.changed(o);
                chainedInvoke(e, o, u.struct("ChainedInvokeOptions").string("FunctionName"), u.string("Payload"), now);
                return;
            }
            default -> throw new IllegalStateException(type + " " + action);
        }
        e.changed(o);
    }

    /**
     * context.invoke: runs another function with the payload (a durable one as its own execution) and
     * completes the operation with its result or error, then resumes the execution. Caller holds e's monitor.
     */
    private void chainedInvoke(DurableExecution e, DurableExecution.Op o, String functionName, String payload,
                               Instant now) {
        Struct op = o.operation;
        String input = payload == null ? "{}" : payload;
        Invoker.Target target;
        try {
            FunctionNames names = FunctionNames.parse(functionName, e.target.account(), e.target.region(), null);
            LambdaFunction f = functions.require(e.target.account(), e.target.region(), names);
            FunctionVersion v = f.version(names.qualifier(), ThreadLocalRandom.current().nextDouble());
            if (v == null) {
                throw LambdaErrors.functionNotFound(f.arn + ":" + names.qualifier());
            }
            if (v.durableConfig != null && names.qualifier() == null) {
                throw LambdaErrors.invalid("Durable functions must be invoked with a qualified function ARN: "
                        + "add a version, an alias or $LATEST to " + f.arn + ".");
            }
            target = new Invoker.Target(e.target.account(), e.target.region(), f, v,
                    names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier(), e.target.endpoint());
        } catch (AwsException refused) {
            e.event(now, "ChainedInvokeStarted", op, "ChainedInvokeStartedDetails", Struct.of("FunctionName", functionName,
                    "Input", Struct.of("Payload", input)));
            Struct error = Struct.of("ErrorType", refused.code(), "ErrorMessage", refused.getMessage());
            completeInvoke(e, o, null, error);
            return;
        }
        Invoker.Target t = target;
        if (t.version().durableConfig != null) {
            DurableExecution child = start(t, input, null);
            e.event(now, "ChainedInvokeStarted", op, "ChainedInvokeStartedDetails", Struct.of("FunctionName", functionName,
                    "Input", Struct.of("Payload", input), "ExecutedVersion", t.version().version,
                    "DurableExecutionArn", child.arn));
            child.finished.thenAccept(done -> {
                String result;
                Struct error;
                synchronized (done) {
                    result = done.result;
                    error = done.status.equals("SUCCEEDED") ? null : (done.error != null ? done.error
                            : Struct.of("ErrorType", "DurableExecution" + cap(done.status),
                            "ErrorMessage", "The chained durable execution ended " + done.status + "."));
                }
                synchronized (e) {
                    completeInvoke(e, o, result, error);
                }
                resume(e);
            });
            return;
        }
        e.event(now, "ChainedInvokeStarted", op, "ChainedInvokeStartedDetails", Struct.of("FunctionName", functionName,
                "Input", Struct.of("Payload", input), "ExecutedVersion", t.version().version));
        timers.execute(() -> {
            try {
                invoker.reserve(t.function());
            } catch (AwsException throttled) {
                synchronized (e) {
                    completeInvoke(e, o, null, Struct.of("ErrorType", throttled.code(), "ErrorMessage", throttled.getMessage()));
                }
                resume(e);
                return;
            }
            invoker.invoke(t, input.getBytes(StandardCharsets.UTF_8), null).thenAccept(outcome -> {
                InvocationResult r = outcome.result();
                String body = r.payload() == null ? null : new String(r.payload(), StandardCharsets.UTF_8);
                Struct error = null;
                if (r.functionError() != null) {
                    Map<String, Object> err = Json.object(r.payload());
                    error = Struct.of("ErrorType", err == null ? r.functionError() : String.valueOf(err.get("errorType")),
                            "ErrorMessage", err == null ? body : String.valueOf(err.get("errorMessage")));
                }
                synchronized (e) {
                    completeInvoke(e, o, error == null ? body : null, error);
                }
                resume(e);
            });
        });
    }

    private void completeInvoke(DurableExecution e, DurableExecution.Op o, String result, Struct error) {
        if (!e.running() || !o.status().equals("STARTED")) {
            return;
        }
        Instant now = clock.now();
        Struct op = o.operation;
        finish(op, error == null ? "SUCCEEDED" : "FAILED", now);
        Struct details = details(op, "ChainedInvokeDetails");
        if (error == null) {
            details.put("Result", result);
            e.event(now, "ChainedInvokeSucceeded", op, "ChainedInvokeSucceededDetails",
                    Struct.of("Result", Struct.of("Payload", result)));
        } else {
            details.put("Error", error);
            e.event(now, "ChainedInvokeFailed", op, "ChainedInvokeFailedDetails",
                    Struct.of("Error", Struct.of("Payload", error)));
        }
        e.changed(o);
    }

    private static void finish(Struct op, String status, Instant now) {
        op.put("Status", status);
        op.put("EndTimestamp", now);
    }

    private static Struct details(Struct op, String name) {
        Struct d = op.struct(name);
        if (d == null) {
            d = Struct.empty();
            op.put(name, d);
        }
        return d;
    }

    @AwsOperation("GetDurableExecutionState")
    public Struct getDurableExecutionState(Call call, Struct in) {
        DurableExecution e = execution(in.string("DurableExecutionArn"), false);
        synchronized (e) {
            checkToken(e, in.string("CheckpointToken"));
            Pagination.Page<Struct> page = statePage(e, in.string("Marker"),
                    in.integer("MaxItems", 0) == 0 ? 100 : in.integer("MaxItems"));
            return Struct.of("Operations", page.items(), "NextMarker", page.nextToken());
        }
    }

    /** A page of the execution's operations in start order (caller holds e's monitor). */
    private static Pagination.Page<Struct> statePage(DurableExecution e, String marker, int max) {
        List<Struct> all = new ArrayList<>();
        int i = 0;
        for (DurableExecution.Op o : e.ops.values()) {
            all.add(Struct.of("n", String.format("%08d", i++), "op", o.operation));
        }
        Pagination.Page<Struct> page = Pagination.page(all, x -> x.string("n"), marker, max,
                () -> LambdaErrors.invalid("Invalid Marker."));
        return new Pagination.Page<>(page.items().stream().map(x -> x.struct("op").copy()).toList(), page.nextToken());
    }

    // --- the API callers use

    @AwsOperation("GetDurableExecution")
    public Struct getDurableExecution(Call call, Struct in) {
        DurableExecution e = execution(in.string("DurableExecutionArn"), true);
        synchronized (e) {
            return Struct.of("DurableExecutionArn", e.arn, "DurableExecutionName", e.name,
                    "FunctionArn", e.target.version().qualifiedArn(), "InputPayload", e.input, "Result", e.result,
                    "Error", e.error, "StartTimestamp", e.start, "Status", e.status, "EndTimestamp", e.end,
                    "Version", e.target.version().version);
        }
    }

    @AwsOperation("GetDurableExecutionHistory")
    public Struct getDurableExecutionHistory(Call call, Struct in) {
        DurableExecution e = execution(in.string("DurableExecutionArn"), true);
        boolean data = in.bool("IncludeExecutionData", false);
        List<Struct> events;
        synchronized (e) {
            events = new ArrayList<>(e.events.stream().map(x -> data ? x.copy() : withoutData(x)).toList());
        }
        if (in.bool("ReverseOrder", false)) {
            java.util.Collections.reverse(events);
        }
        int max = in.integer("MaxItems", 0) == 0 ? 100 : in.integer("MaxItems");
        Pagination.Page<Struct> page = Pagination.page(events, x -> String.format("%08d",
                        in.bool("ReverseOrder", false) ? Integer.MAX_VALUE - x.integer("EventId") : x.integer("EventId")),
                in.string("Marker"), max, () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("Events", page.items(), "NextMarker", page.nextToken());
    }

    /** An event without the execution's data: the Payload of its Input, Result and Error members. */
    private static Struct withoutData(Struct event) {
        Struct copy = event.copy();
        for (String name : copy.names()) {
            if (name.endsWith("Details") && copy.get(name) instanceof Struct details) {
                for (String member : List.of("Input", "Result", "Error")) {
                    if (details.get(member) instanceof Struct payload) {
                        payload.put("Payload", null);
                    }
                }
            }
        }
        return copy;
    }

    @AwsOperation("ListDurableExecutionsByFunction")
    public Struct listDurableExecutionsByFunction(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(),
                in.string("Qualifier"));
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        String qualifier = names.qualifier() == null ? "$LATEST" : names.qualifier();
        FunctionVersion v = f.aliases.containsKey(qualifier) ? f.version(f.aliases.get(qualifier).functionVersion, 0)
                : f.version(qualifier, 0);
        if (v == null) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + qualifier);
        }
        List<String> statuses = in.strings("Statuses");
        Instant after = in.timestamp("StartedAfter");
        Instant before = in.timestamp("StartedBefore");
        String name = in.string("DurableExecutionName");
        List<DurableExecution> all = executions.values().stream()
                .filter(e -> e.target.function() == f && e.target.version().version.equals(v.version))
                .filter(e -> name == null || e.name.equals(name))
                .filter(e -> after == null || e.start.isAfter(after))
                .filter(e -> before == null || e.start.isBefore(before))
                .sorted(Comparator.comparing((DurableExecution e) -> e.start).thenComparing(e -> e.arn))
                .toList();
        List<Struct> summaries = new ArrayList<>();
        for (DurableExecution e : all) {
            synchronized (e) {
                if (statuses == null || statuses.contains(e.status)) {
                    summaries.add(e.summary());
                }
            }
        }
        if (in.bool("ReverseOrder", false)) {
            java.util.Collections.reverse(summaries);
        }
        List<Struct> keyed = new ArrayList<>();
        for (int i = 0; i < summaries.size(); i++) {
            keyed.add(Struct.of("n", String.format("%08d", i), "e", summaries.get(i)));
        }
        int max = in.integer("MaxItems", 0) == 0 ? 50 : in.integer("MaxItems");
        Pagination.Page<Struct> page = Pagination.page(keyed, s -> s.string("n"), in.string("Marker"), max,
                () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("DurableExecutions", page.items().stream().map(s -> s.struct("e")).toList(),
                "NextMarker", page.nextToken());
    }

    @AwsOperation("StopDurableExecution")
    public Struct stopDurableExecution(Call call, Struct in) {
        DurableExecution e = execution(in.string("DurableExecutionArn"), true);
        synchronized (e) {
            if (!e.running()) {
                throw LambdaErrors.invalid("Durable execution " + e.arn + " is not running: it is " + e.status + ".");
            }
            Struct error = in.struct("Error") != null ? in.struct("Error")
                    : Struct.of("ErrorType", "Stopped", "ErrorMessage", "The durable execution was stopped.");
            end(e, "STOPPED", null, error);
            return Struct.of("StopTimestamp", e.end);
        }
    }

    // --- callbacks

    private DurableExecution.Op callback(String callbackId, DurableExecution[] owner) {
        String[] where = callbackId == null ? null : callbacks.get(callbackId);
        DurableExecution e = where == null ? null : executions.get(where[0]);
        if (e == null) {
            throw LambdaErrors.invalid("Invalid callback ID: no started callback has ID " + callbackId + ".");
        }
        owner[0] = e;
        synchronized (e) {
            return e.ops.get(where[1]);
        }
    }

    private static void checkOpen(DurableExecution e, DurableExecution.Op o) {
        if (o.status().equals("TIMED_OUT")) {
            throw new AwsException("CallbackTimeoutException", "The callback timed out.")
                    .withFields(Struct.of("Type", "User"));
        }
        if (!o.status().equals("STARTED")) {
            throw LambdaErrors.invalid("The callback is already " + o.status() + ".");
        }
        if (!e.running()) {
            throw LambdaErrors.invalid("The callback's durable execution is " + e.status + ".");
        }
    }

    @AwsOperation("SendDurableExecutionCallbackSuccess")
    public Struct sendDurableExecutionCallbackSuccess(Call call, Struct in) {
        byte[] body = in.blob("Result");
        String result = body == null ? null : new String(body, StandardCharsets.UTF_8);
        return completeCallback(in.string("CallbackId"), "SUCCEEDED", "Result", result, "CallbackSucceeded",
                "CallbackSucceededDetails", "Result");
    }

    @AwsOperation("SendDurableExecutionCallbackFailure")
    public Struct sendDurableExecutionCallbackFailure(Call call, Struct in) {
        Struct error = in.struct("Error") == null ? Struct.empty() : in.struct("Error");
        return completeCallback(in.string("CallbackId"), "FAILED", "Error", error, "CallbackFailed",
                "CallbackFailedDetails", "Error");
    }

    /** Ends a callback with its result (or error), records the history event and resumes the execution. */
    private Struct completeCallback(String callbackId, String status, String member, Object value, String eventType,
                                    String detailsName, String detailsMember) {
        DurableExecution[] owner = new DurableExecution[1];
        DurableExecution.Op o = callback(callbackId, owner);
        DurableExecution e = owner[0];
        synchronized (e) {
            checkOpen(e, o);
            Instant now = clock.now();
            finish(o.operation, status, now);
            o.operation.struct("CallbackDetails").put(member, value);
            e.changed(o);
            e.event(now, eventType, o.operation, detailsName, Struct.of(detailsMember, Struct.of("Payload", value)));
        }
        timers.execute(() -> resume(e));
        return Struct.empty();
    }

    @AwsOperation("SendDurableExecutionCallbackHeartbeat")
    public Struct sendDurableExecutionCallbackHeartbeat(Call call, Struct in) {
        DurableExecution[] owner = new DurableExecution[1];
        DurableExecution.Op o = callback(in.string("CallbackId"), owner);
        synchronized (owner[0]) {
            checkOpen(owner[0], o);
            if (o.heartbeatSeconds != null) {
                o.heartbeatDeadline = clock.now().plusSeconds(o.heartbeatSeconds);
            }
        }
        return Struct.empty();
    }

    // --- JSON for the invocation event

    /** A Struct as plain maps and lists for Jackson: timestamps as ISO-8601 strings, as the SDK reads them. */
    private static Object plain(Object value) {
        if (value instanceof Struct s) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String n : s.names()) {
                if (s.get(n) != null) {
                    m.put(n, plain(s.get(n)));
                }
            }
            return m;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(DurableExecutions::plain).toList();
        }
        if (value instanceof Instant i) {
            return i.toString();
        }
        return value;
    }
}
