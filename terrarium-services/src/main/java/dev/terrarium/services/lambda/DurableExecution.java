package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One durable execution: its operations as the durable SDK checkpointed them (Operation structures by id,
 * in start order), its history events, the checkpoint token of the invocation now running, and its outcome.
 * Guarded by its own monitor.
 */
final class DurableExecution {
    final String arn;
    final String name;
    final String id;
    final Invoker.Target target;
    final String input;
    final Instant start;
    /** DurableConfig.ExecutionTimeout in seconds, or null. */
    final Integer executionTimeout;
    /** DurableConfig.RetentionPeriodInDays: how long the ended execution stays readable, or null (kept). */
    Integer retentionDays;
    final Map<String, Op> ops = new LinkedHashMap<>();
    final List<Struct> events = new ArrayList<>();
    /** Checkpoints by ClientToken: the token they consumed and the answer, given again to a retry. */
    final Map<String, Struct> checkpointsByClientToken = new LinkedHashMap<>();
    final CompletableFuture<DurableExecution> finished = new CompletableFuture<>();

    String status = "RUNNING";
    Instant end;
    String result;
    Struct error;
    /** The token the running invocation checkpoints with (null between invocations). */
    String checkpointToken;
    /** Operations changed after this sequence number are sent with the next checkpoint answer. */
    long sentSeq;
    long seq;
    boolean invoking;
    /** Something completed (a wait, a callback, a retry timer) while an invocation ran: invoke again after it. */
    boolean wake;
    int failedInvocations;

    /** One operation: the Operation structure the SDK reads, and what only Terrarium needs. */
    static final class Op {
        final Struct operation;
        long seq;
        /** A callback's deadline (TimeoutSeconds) and heartbeat deadline, or null. */
        Instant callbackDeadline;
        Instant heartbeatDeadline;
        Integer heartbeatSeconds;

        Op(Struct operation) {
            this.operation = operation;
        }

        String type() {
            return operation.string("Type");
        }

        String status() {
            return operation.string("Status");
        }
    }

    DurableExecution(String arn, String name, String id, Invoker.Target target, String input, Instant start,
                     Integer executionTimeout) {
        this.arn = arn;
        this.name = name;
        this.id = id;
        this.target = target;
        this.input = input;
        this.start = start;
        this.executionTimeout = executionTimeout;
    }

    boolean running() {
        return status.equals("RUNNING");
    }

    void changed(Op op) {
        op.seq = ++seq;
    }

    /** Appends a history event: its type, the operation it concerns (or null) and its details member. */
    void event(Instant at, String type, Struct operation, String detailsName, Struct details) {
        Struct e = Struct.of("EventType", type, "EventId", events.size() + 1, "EventTimestamp", at);
        if (operation != null) {
            e.put("Id", operation.string("Id"));
            e.put("Name", operation.string("Name"));
            e.put("ParentId", operation.string("ParentId"));
            e.put("SubType", operation.string("SubType"));
        }
        e.put(detailsName, details == null ? Struct.empty() : details);
        events.add(e);
    }

    /** The Execution summary ListDurableExecutionsByFunction returns. */
    Struct summary() {
        return Struct.of("DurableExecutionArn", arn, "DurableExecutionName", name, "FunctionArn", target.version().qualifiedArn(),
                "Status", status, "StartTimestamp", start, "EndTimestamp", end);
    }
}
