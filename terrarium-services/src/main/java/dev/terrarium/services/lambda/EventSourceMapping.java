package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.List;

/** An event source mapping (an SQS queue or a DynamoDB stream): which source feeds which function, in what batches. */
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
    volatile EventFilters filters = EventFilters.NONE;
    /** Stream mappings only (null for SQS): TRIM_HORIZON or LATEST, and the stream settings. */
    volatile String startingPosition;
    volatile int parallelizationFactor = 1;
    volatile int maximumRecordAgeInSeconds = -1;
    volatile int maximumRetryAttempts = -1;
    volatile boolean bisectBatchOnFunctionError;
    volatile int tumblingWindowInSeconds;
    volatile String onFailure;

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

    boolean isStream() {
        return startingPosition != null;
    }

    Struct describe() {
        Struct out = Struct.of("UUID", uuid, "BatchSize", batchSize, "MaximumBatchingWindowInSeconds", batchingWindowSeconds,
                "EventSourceArn", eventSourceArn, "FunctionArn", functionArn, "LastModified", lastModified,
                "LastProcessingResult", lastProcessingResult, "State", state,
                "StateTransitionReason", "USER_INITIATED",
                "FunctionResponseTypes", functionResponseTypes == null ? List.of() : functionResponseTypes,
                "EventSourceMappingArn", "arn:aws:lambda:" + region + ":" + account + ":event-source-mapping:" + uuid);
        if (!filters.isEmpty()) {
            out.put("FilterCriteria", filters.describe());
        }
        if (isStream()) {
            out.put("StartingPosition", startingPosition);
            out.put("ParallelizationFactor", parallelizationFactor);
            out.put("DestinationConfig", Struct.of("OnFailure", onFailure == null ? Struct.empty() : Struct.of("Destination", onFailure)));
            out.put("MaximumRecordAgeInSeconds", maximumRecordAgeInSeconds);
            out.put("BisectBatchOnFunctionError", bisectBatchOnFunctionError);
            out.put("MaximumRetryAttempts", maximumRetryAttempts);
            out.put("TumblingWindowInSeconds", tumblingWindowInSeconds);
        }
        return out;
    }
}
