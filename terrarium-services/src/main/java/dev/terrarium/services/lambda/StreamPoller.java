package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.StreamLog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads one DynamoDB stream for one mapping and invokes the function with batches of its records in order,
 * as Lambda's stream pollers do: a failed batch is retried (split in two first with BisectBatchOnFunctionError,
 * from the first reported failure with ReportBatchItemFailures) until MaximumRetryAttempts or
 * MaximumRecordAgeInSeconds, then recorded to the OnFailure destination and skipped. The shard waits meanwhile.
 */
final class StreamPoller extends MappingPoller {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** Lambda polls a shard four times a second; a little more often here keeps tests quick. */
    static final long IDLE_POLL_MILLIS = 50;

    private final StreamMappings streams;
    private final AsyncDestinations destinations;
    private final Clock clock;
    /** The next sequence number to read (-1 until the starting position is known). */
    private long position = -1;

    /** A record read from the stream: its sequence, when it was written, and its JSON in the Lambda event. */
    private record Rec(long sequence, Instant at, ObjectNode json) {
    }

    /** What invoking a batch ended with. */
    private record Attempt(Invoker.Outcome outcome, String requestId) {
    }

    StreamPoller(EventSourceMapping mapping, StreamMappings streams, Function<EventSourceMapping, Invoker.Target> resolve,
                 Invoker invoker, AsyncDestinations destinations, Clock clock) {
        super(mapping, resolve, invoker);
        this.streams = streams;
        this.destinations = destinations;
        this.clock = clock;
        StreamLog log = streams.log(mapping);
        if (log != null) {
            position = mapping.startingPosition.equals("LATEST") ? log.nextSequence() : log.firstSequence();
        }
    }

    @Override
    void poll() throws Exception {
        StreamLog log = streams.log(mapping);
        if (log == null) {
            mapping.lastProcessingResult = "PROBLEM: Stream not found: " + mapping.eventSourceArn;
            sleep(1000);
            return;
        }
        if (position < log.firstSequence()) {
            position = log.firstSequence();
        }
        List<StreamLog.StreamRecord> batch = collect(log);
        if (batch.isEmpty() || stopped()) {
            return;
        }
        List<Rec> records = new ArrayList<>();
        for (StreamLog.StreamRecord r : batch) {
            ObjectNode json = json(r);
            if (mapping.filters.matches(json)) {
                records.add(new Rec(r.sequence(), r.at(), json));
            }
        }
        if (!records.isEmpty()) {
            handle(log, records, 0, 0);
        }
        position = batch.get(batch.size() - 1).sequence() + 1;
        if (mapping.lastProcessingResult.startsWith("No records")) {
            mapping.lastProcessingResult = "OK";
        }
    }

    /** Up to BatchSize records from the position, waiting at most the batching window once the first has arrived. */
    private List<StreamLog.StreamRecord> collect(StreamLog log) {
        List<StreamLog.StreamRecord> batch = log.read(position, mapping.batchSize);
        if (batch.isEmpty()) {
            sleep(IDLE_POLL_MILLIS);
            return batch;
        }
        long until = System.currentTimeMillis() + mapping.batchingWindowSeconds * 1000L;
        while (batch.size() < mapping.batchSize && System.currentTimeMillis() < until && !stopped()) {
            sleep(IDLE_POLL_MILLIS);
            batch = log.read(position, mapping.batchSize);
        }
        return batch;
    }

    /** Runs a batch until it succeeds or is discarded; retries counts failed invocations of this batch so far. */
    private void handle(StreamLog log, List<Rec> batch, int retries, int invokeCount) throws Exception {
        while (!stopped()) {
            if (mapping.maximumRecordAgeInSeconds >= 0
                    && clock.now().isAfter(batch.get(0).at().plusSeconds(mapping.maximumRecordAgeInSeconds))) {
                discard(log, batch, "RecordAgeExceeded", invokeCount, null);
                return;
            }
            Attempt a = invoke(batch);
            invokeCount++;
            InvocationResult r = a.outcome().result();
            List<Rec> failed;
            if (r.functionError() == null) {
                failed = reportedFailures(batch, r.payload());
                if (failed.isEmpty()) {
                    mapping.lastProcessingResult = "OK";
                    return;
                }
            } else {
                mapping.lastProcessingResult = "PROBLEM: Function call failed";
                if (mapping.bisectBatchOnFunctionError && batch.size() > 1) {
                    int half = batch.size() / 2;
                    handle(log, new ArrayList<>(batch.subList(0, half)), retries, 0);
                    handle(log, new ArrayList<>(batch.subList(half, batch.size())), retries, 0);
                    return;
                }
                failed = batch;
            }
            retries++;
            if (mapping.maximumRetryAttempts >= 0 && retries > mapping.maximumRetryAttempts) {
                discard(log, failed, "RetryAttemptsExhausted", invokeCount, a);
                return;
            }
            batch = failed;
            sleep(Math.min(1000, 100L * retries));
        }
    }

    /**
     * With ReportBatchItemFailures, the records from the first reported failure on (Lambda checkpoints before it);
     * an unknown or malformed identifier fails the whole batch; an empty list is success.
     */
    private List<Rec> reportedFailures(List<Rec> batch, byte[] payload) {
        if (!mapping.reportsBatchItemFailures()) {
            return List.of();
        }
        JsonNode failures;
        try {
            JsonNode root = Json.MAPPER.readTree(payload);
            failures = root == null || !root.isObject() ? null : root.get("batchItemFailures");
        } catch (Exception e) {
            return List.of();
        }
        if (failures == null || failures.isNull() || (failures.isArray() && failures.isEmpty())) {
            return List.of();
        }
        if (!failures.isArray()) {
            return batch;
        }
        long first = Long.MAX_VALUE;
        for (JsonNode f : failures) {
            JsonNode id = f.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                return batch;
            }
            long seq;
            try {
                seq = StreamLog.parseSequence(id.asText());
            } catch (NumberFormatException e) {
                return batch;
            }
            long s = seq;
            if (batch.stream().noneMatch(rec -> rec.sequence() == s)) {
                return batch;
            }
            first = Math.min(first, seq);
        }
        long from = first;
        return batch.stream().filter(rec -> rec.sequence() >= from).toList();
    }

    private Attempt invoke(List<Rec> batch) throws Exception {
        Invoker.Target target = resolve.apply(mapping);
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        batch.forEach(r -> records.add(r.json()));
        byte[] payload = Json.MAPPER.writeValueAsBytes(event);
        reserve(target);
        String requestId = UUID.randomUUID().toString();
        Invoker.Outcome o = invoker.invoke(target, payload, null, requestId).get(target.version().timeout + 30L, TimeUnit.SECONDS);
        return new Attempt(o, requestId);
    }

    /** Skips a batch, sending Lambda's stream failure record to the OnFailure destination. */
    private void discard(StreamLog log, List<Rec> batch, String condition, int invokeCount, Attempt last) {
        mapping.lastProcessingResult = "PROBLEM: Function call failed";
        String destination = mapping.onFailure;
        if (destination == null) {
            return;
        }
        ObjectNode r = Json.MAPPER.createObjectNode();
        ObjectNode context = r.putObject("requestContext");
        context.put("requestId", last == null ? UUID.randomUUID().toString() : last.requestId());
        context.put("functionArn", mapping.functionArn);
        context.put("condition", condition);
        context.put("approximateInvokeCount", invokeCount);
        if (last != null) {
            ObjectNode response = r.putObject("responseContext");
            response.put("statusCode", 200);
            response.put("executedVersion", resolve.apply(mapping).version().version);
            if (last.outcome().result().functionError() != null) {
                response.put("functionError", last.outcome().result().functionError());
            }
        }
        r.put("version", "1.0");
        r.put("timestamp", MILLIS.format(clock.now()));
        ObjectNode info = r.putObject("DDBStreamBatchInfo");
        info.put("shardId", log.shardId());
        info.put("startSequenceNumber", StreamLog.sequenceNumber(batch.get(0).sequence()));
        info.put("endSequenceNumber", StreamLog.sequenceNumber(batch.get(batch.size() - 1).sequence()));
        info.put("approximateArrivalOfFirstRecord", SECONDS.format(batch.get(0).at()));
        info.put("approximateArrivalOfLastRecord", SECONDS.format(batch.get(batch.size() - 1).at()));
        info.put("batchSize", batch.size());
        info.put("streamArn", mapping.eventSourceArn);
        try {
            destinations.record(destination, Json.MAPPER.writeValueAsString(r), false, mapping.functionArn);
        } catch (Exception e) {
            mapping.lastProcessingResult = "PROBLEM: " + e.getMessage();
        }
    }

    /** A stream record as the Lambda event carries it: the DynamoDB Streams record plus eventSourceARN. */
    private ObjectNode json(StreamLog.StreamRecord r) {
        ObjectNode out = (ObjectNode) toJson(r.wire());
        JsonNode identity = out.remove("userIdentity");
        if (identity != null && identity.isObject()) {
            ObjectNode lower = out.putObject("userIdentity");
            lower.put("type", identity.path("Type").asText());
            lower.put("principalId", identity.path("PrincipalId").asText());
        }
        out.put("eventSourceARN", mapping.eventSourceArn);
        return out;
    }

    private static JsonNode toJson(Object v) {
        if (v instanceof Struct s) {
            return toJson(s.asMap());
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            m.forEach((k, x) -> {
                if (x != null) {
                    o.set(String.valueOf(k), toJson(x));
                }
            });
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            l.forEach(x -> a.add(toJson(x)));
            return a;
        }
        if (v instanceof Instant i) {
            return Json.MAPPER.getNodeFactory().numberNode(i.getEpochSecond());
        }
        if (v instanceof byte[] b) {
            return Json.MAPPER.getNodeFactory().textNode(Base64.getEncoder().encodeToString(b));
        }
        if (v instanceof java.nio.ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return Json.MAPPER.getNodeFactory().textNode(Base64.getEncoder().encodeToString(bytes));
        }
        return Json.MAPPER.valueToTree(v);
    }
}
