package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.DynamoDbState;
import dev.terrarium.services.dynamodb.StreamLog;
import dev.terrarium.services.dynamodb.Table;

import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Event source mappings of DynamoDB streams: their settings as CreateEventSourceMapping and
 * UpdateEventSourceMapping check them, and the stream a mapping reads (directly from the DynamoDB state).
 */
final class StreamMappings {
    private static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\\d{12}):table/([A-Za-z0-9_.-]+)/stream/(.+)");

    private final Supplier<DynamoDbState> dynamodb;

    StreamMappings(Supplier<DynamoDbState> dynamodb) {
        this.dynamodb = dynamodb;
    }

    static boolean isStreamArn(String arn) {
        return arn != null && STREAM_ARN.matcher(arn).matches();
    }

    /** The stream log the mapping's ARN names, or null when its table or stream is gone (or was replaced). */
    StreamLog log(EventSourceMapping esm) {
        java.util.regex.Matcher m = STREAM_ARN.matcher(esm.eventSourceArn);
        if (!m.matches()) {
            return null;
        }
        Table t = dynamodb.get().tables().find(m.group(2), m.group(1), m.group(3));
        StreamLog log = t == null ? null : t.stream();
        return log != null && log.arn().equals(esm.eventSourceArn) ? log : null;
    }

    /** CreateEventSourceMapping's checks and settings for a stream: the stream must exist, StartingPosition is required. */
    void create(EventSourceMapping esm, Struct in) {
        String position = in.string("StartingPosition");
        if (position == null) {
            throw LambdaErrors.invalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy "
                    + "constraint: Member must not be null.");
        }
        if (!position.equals("TRIM_HORIZON") && !position.equals("LATEST")) {
            throw LambdaErrors.invalid("Unsupported starting position for arn type: " + esm.eventSourceArn);
        }
        if (log(esm) == null) {
            throw LambdaErrors.invalid("Stream not found: " + esm.eventSourceArn);
        }
        esm.startingPosition = position;
        esm.batchSize = 100;
        configure(esm, in);
    }

    /** The stream settings shared by Create and UpdateEventSourceMapping. */
    static void configure(EventSourceMapping esm, Struct in) {
        int batch = in.integer("BatchSize", esm.batchSize);
        if (batch < 1 || batch > 10000) {
            throw LambdaErrors.invalid("BatchSize must be between 1 and 10000 for this event source.");
        }
        int window = in.integer("MaximumBatchingWindowInSeconds", esm.batchingWindowSeconds);
        if (window < 0 || window > 300) {
            throw LambdaErrors.invalid("MaximumBatchingWindowInSeconds must be between 0 and 300.");
        }
        int age = in.integer("MaximumRecordAgeInSeconds", esm.maximumRecordAgeInSeconds);
        if (age != -1 && (age < 60 || age > 604800)) {
            throw LambdaErrors.invalid("MaximumRecordAgeInSeconds must be -1 (infinite) or between 60 and 604800.");
        }
        int retries = in.integer("MaximumRetryAttempts", esm.maximumRetryAttempts);
        if (retries < -1 || retries > 10000) {
            throw LambdaErrors.invalid("MaximumRetryAttempts must be between -1 and 10000.");
        }
        int parallel = in.integer("ParallelizationFactor", esm.parallelizationFactor);
        if (parallel < 1 || parallel > 10) {
            throw LambdaErrors.invalid("ParallelizationFactor must be between 1 and 10.");
        }
        int tumbling = in.integer("TumblingWindowInSeconds", esm.tumblingWindowInSeconds);
        if (tumbling < 0 || tumbling > 900) {
            throw LambdaErrors.invalid("TumblingWindowInSeconds must be between 0 and 900.");
        }
        Struct destinations = in.struct("DestinationConfig");
        String onFailure = esm.onFailure;
        if (destinations != null) {
            if (destinations.struct("OnSuccess") != null && destinations.struct("OnSuccess").string("Destination") != null) {
                throw LambdaErrors.invalid("Unsupported DestinationConfig parameter for given event source mapping type.");
            }
            Struct f = destinations.struct("OnFailure");
            onFailure = f == null || f.string("Destination") == null || f.string("Destination").isEmpty() ? null
                    : f.string("Destination");
            if (onFailure != null && !onFailure.matches("arn:aws[a-z-]*:(sqs|sns):[a-z0-9-]+:\\d{12}:[\\w.-]+")) {
                throw LambdaErrors.invalid("The provided destination config DestinationConfig(onSuccess=null, "
                        + "onFailure=OnFailure(destination=" + onFailure + ")) is invalid.");
            }
        }
        esm.batchSize = batch;
        esm.batchingWindowSeconds = window;
        esm.maximumRecordAgeInSeconds = age;
        esm.maximumRetryAttempts = retries;
        esm.parallelizationFactor = parallel;
        esm.tumblingWindowInSeconds = tumbling;
        esm.onFailure = onFailure;
        if (in.bool("BisectBatchOnFunctionError") != null) {
            esm.bisectBatchOnFunctionError = in.bool("BisectBatchOnFunctionError");
        }
        if (in.strings("FunctionResponseTypes") != null) {
            esm.functionResponseTypes = List.copyOf(in.strings("FunctionResponseTypes"));
        }
        if (in.has("FilterCriteria")) {
            esm.filters = EventFilters.parse(in.struct("FilterCriteria"));
        }
    }
}
