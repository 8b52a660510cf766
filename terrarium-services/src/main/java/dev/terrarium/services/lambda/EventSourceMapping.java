package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.List;

/** An event source mapping (SQS): which queue feeds which function, in what batches. */
final class EventSourceMapping {
    final String uuid;
    final String account;
    final String region;
    final String eventSourceArn;
    final String queueUrl;
    volatile String functionName;
    volatile String qualifier;
    volatile String functionArn;
    volatile int batchSize;
    volatile int batchingWindowSeconds;
    volatile boolean enabled;
    volatile List<String> functionResponseTypes;
    volatile String state = "Creating";
    volatile Instant lastModified;
    volatile String lastProcessingResult = "No records processed";

    EventSourceMapping(String uuid, String account, String region, String eventSourceArn, String queueUrl) {
        this.uuid = uuid;
        this.account = account;
        this.region = region;
        this.eventSourceArn = eventSourceArn;
        this.queueUrl = queueUrl;
    }

    boolean reportsBatchItemFailures() {
        List<String> types = functionResponseTypes;
        return types != null && types.contains("ReportBatchItemFailures");
    }

    Struct describe() {
        return Struct.of("UUID", uuid, "BatchSize", batchSize, "MaximumBatchingWindowInSeconds", batchingWindowSeconds,
                "EventSourceArn", eventSourceArn, "FunctionArn", functionArn, "LastModified", lastModified,
                "LastProcessingResult", lastProcessingResult, "State", state,
                "StateTransitionReason", "USER_INITIATED",
                "FunctionResponseTypes", functionResponseTypes == null ? List.of() : functionResponseTypes,
                "EventSourceMappingArn", "arn:aws:lambda:" + region + ":" + account + ":event-source-mapping:" + uuid);
    }
}
