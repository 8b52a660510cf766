package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Polls one SQS queue for one mapping and invokes the function with batches of records, as Lambda's
 * SQS pollers do: on success the batch is deleted; on a function error it is left to reappear after
 * its visibility timeout; with ReportBatchItemFailures only the listed items stay.
 */
final class SqsPoller extends MappingPoller {
    private final QueueClient sqs;
    /**
     * How long an idle poller waits before it looks again. Receives are direct calls without a long poll (a long
     * poll outliving a stopped mapping would take a message with it), so a message waits at most this long.
     */
    static final long IDLE_POLL_MILLIS = 20;

    SqsPoller(EventSourceMapping mapping, QueueClient sqs, Function<EventSourceMapping, Invoker.Target> resolve,
              Invoker invoker) {
        super(mapping, resolve, invoker);
        this.sqs = sqs;
    }

    @Override
    void poll() throws Exception {
        List<QueueClient.Message> batch = collect();
        if (!batch.isEmpty() && !stopped()) {
            process(batch);
        }
    }

    /** Up to BatchSize messages, waiting at most the batching window once the first has arrived. */
    private List<QueueClient.Message> collect() throws Exception {
        List<QueueClient.Message> batch = new ArrayList<>(sqs.receive(mapping.eventSourceArn, Math.min(10, mapping.batchSize), 0));
        if (batch.isEmpty()) {
            sleep(IDLE_POLL_MILLIS);
            return batch;
        }
        long until = System.currentTimeMillis() + mapping.batchingWindowSeconds * 1000L;
        while (batch.size() < mapping.batchSize && System.currentTimeMillis() < until && !stopped()) {
            List<QueueClient.Message> more = sqs.receive(mapping.eventSourceArn, Math.min(10, mapping.batchSize - batch.size()), 0);
            if (more.isEmpty()) {
                sleep(IDLE_POLL_MILLIS);
            }
            batch.addAll(more);
        }
        return batch;
    }

    private void process(List<QueueClient.Message> received) throws Exception {
        List<QueueClient.Message> batch = new ArrayList<>();
        List<Map<String, Object>> records = new ArrayList<>();
        List<String> filteredOut = new ArrayList<>();
        List<Map<String, Object>> all = records(received);
        for (int i = 0; i < received.size(); i++) {
            if (mapping.filters.matches(EventFilters.sqsView(all.get(i)))) {
                batch.add(received.get(i));
                records.add(all.get(i));
            } else {
                filteredOut.add(received.get(i).string("ReceiptHandle"));
            }
        }
        sqs.delete(mapping.eventSourceArn, filteredOut);
        if (batch.isEmpty()) {
            return;
        }
        Invoker.Target target = resolve.apply(mapping);
        byte[] event = Json.MAPPER.writeValueAsBytes(Map.of("Records", records));
        reserve(target);
        Invoker.Outcome outcome = invoker.invoke(target, event, null).get(target.version().timeout + 30L, TimeUnit.SECONDS);
        InvocationResult r = outcome.result();
        if (r.functionError() != null) {
            mapping.lastProcessingResult = "PROBLEM: Function call failed";
            return;
        }
        Set<String> failed = mapping.reportsBatchItemFailures() ? failedIds(r.payload()) : Set.of();
        if (failed.contains("*")) {
            mapping.lastProcessingResult = "PROBLEM: Malformed partial batch response";
            return;
        }
        List<String> done = new ArrayList<>();
        for (QueueClient.Message m : batch) {
            if (!failed.contains(m.string("MessageId"))) {
                done.add(m.string("ReceiptHandle"));
            }
        }
        sqs.delete(mapping.eventSourceArn, done);
        mapping.lastProcessingResult = "OK";
    }

    /** The batchItemFailures[].itemIdentifier of a partial batch response; a malformed one fails the whole batch. */
    private static Set<String> failedIds(byte[] payload) {
        Set<String> ids = new HashSet<>();
        try {
            JsonNode root = Json.MAPPER.readTree(payload);
            JsonNode failures = root == null ? null : root.get("batchItemFailures");
            if (failures != null && failures.isArray()) {
                for (JsonNode f : failures) {
                    ids.add(f.path("itemIdentifier").asText());
                }
            }
        } catch (Exception e) {
            return Set.of("*");
        }
        return ids;
    }

    private List<Map<String, Object>> records(List<QueueClient.Message> batch) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (QueueClient.Message m : batch) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("messageId", m.string("MessageId"));
            r.put("receiptHandle", m.string("ReceiptHandle"));
            r.put("body", m.string("Body"));
            r.put("attributes", m.fields().getOrDefault("Attributes", Map.of()));
            r.put("messageAttributes", messageAttributes(m.fields().get("MessageAttributes")));
            r.put("md5OfBody", m.string("MD5OfBody"));
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", mapping.eventSourceArn);
            r.put("awsRegion", mapping.region);
            records.add(r);
        }
        return records;
    }

    /** SQS's {StringValue, DataType} become Lambda's {stringValue, ..., dataType}. */
    private static Map<String, Object> messageAttributes(Object wire) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (wire instanceof Map<?, ?> attrs) {
            attrs.forEach((k, v) -> {
                Map<?, ?> a = v instanceof dev.terrarium.core.service.Struct st ? st.asMap() : (Map<?, ?>) v;
                Map<String, Object> x = new LinkedHashMap<>();
                if (a.get("StringValue") != null) {
                    x.put("stringValue", a.get("StringValue"));
                }
                if (a.get("BinaryValue") != null) {
                    Object b = a.get("BinaryValue");
                    x.put("binaryValue", b instanceof byte[] bytes ? java.util.Base64.getEncoder().encodeToString(bytes) : b);
                }
                x.put("stringListValues", List.of());
                x.put("binaryListValues", List.of());
                x.put("dataType", a.get("DataType"));
                out.put((String) k, x);
            });
        }
        return out;
    }
}
