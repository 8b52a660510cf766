package dev.terrarium.services.logs;

import dev.terrarium.core.service.Daemons;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.events.EventBus;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.events.FirehosePutRecord;
import dev.terrarium.services.events.KinesisPutRecord;
import dev.terrarium.services.lambda.LambdaService;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.zip.GZIPOutputStream;

/**
 * Subscription filters: at most two per log group; each batch of matching events goes, as AWS sends it
 * (gzip of the DATA_MESSAGE JSON), to a Lambda function (invoked asynchronously through Peers, payload
 * {"awslogs":{"data":base64}}), a Kinesis stream or Firehose delivery stream (published on the events
 * bus), or a CloudWatch Logs destination (to the destination's target).
 */
final class SubscriptionFilters implements LogStore.Ingestion, LogsService.Resettable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FILTERS = 2;

    private final LogStore store;
    private final Peers peers;
    private final EventBus bus;
    /** The host clients address us by (learnt from the calls), for the endpoint a function is told about. */
    private volatile String endpointHost;
    private final ExecutorService delivery = Daemons.single("logs-subscriptions");

    SubscriptionFilters(LogStore store, ServiceContext context) {
        this.store = store;
        this.peers = context.peers();
        this.bus = context.events();
        this.endpointHost = "localhost:" + (context.config().port() == 0 ? 4566 : context.config().port());
        store.onIngestion(this);
    }

    @Override
    public void reset() {
    }

    @Override
    public void close() {
        delivery.shutdownNow();
    }

    @AwsOperation("PutSubscriptionFilter")
    public Struct putSubscriptionFilter(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupName"));
        String host = call.request() == null ? null : call.request().header("host");
        if (host != null) {
            endpointHost = host;
        }
        String name = in.string("filterName");
        FilterPattern.parse(in.string("filterPattern"));
        String destination = in.string("destinationArn");
        checkDestination(call, destination);
        synchronized (g.subscriptionFilters) {
            if (!g.subscriptionFilters.containsKey(name) && g.subscriptionFilters.size() >= MAX_FILTERS) {
                throw new AwsException("LimitExceededException", "Resource limit exceeded.");
            }
            g.subscriptionFilters.put(name, Struct.of("filterName", name, "logGroupName", g.name,
                    "filterPattern", in.string("filterPattern"), "destinationArn", destination,
                    "roleArn", in.string("roleArn"), "distribution", in.string("distribution", "ByLogStream"),
                    "applyOnTransformedLogs", in.bool("applyOnTransformedLogs", false),
                    "creationTime", store.now(), "fieldSelectionCriteria", in.string("fieldSelectionCriteria"),
                    "emitSystemFields", in.strings("emitSystemFields")));
        }
        return null;
    }

    private void checkDestination(Call call, String arn) {
        String[] parts = arn.split(":", 6);
        String service = parts.length == 6 && parts[0].equals("arn") ? parts[2] : "";
        switch (service) {
            case "lambda" -> {
                LambdaService lambda = peers.find("lambda", LambdaService.class);
                try {
                    if (lambda == null) {
                        throw new AwsException("ResourceNotFoundException", "no lambda");
                    }
                    lambda.getFunction(call, Struct.of("FunctionName", arn));
                } catch (AwsException e) {
                    throw LogsErrors.invalidParameter("Could not execute the lambda function. Make sure you have "
                            + "given CloudWatch Logs permission to execute your function.");
                }
            }
            case "kinesis", "firehose" -> {
                // accepted: delivered on the events bus to a Kinesis / Firehose service when one exists
            }
            case "logs" -> {
                if (!parts[5].startsWith("destination:") || destination(parts[4], parts[3], parts[5].substring(12)) == null) {
                    throw new AwsException("ResourceNotFoundException", "The specified destination does not exist.");
                }
            }
            default -> throw LogsErrors.invalidParameter("Invalid destinationArn for subscription filter: " + arn);
        }
    }

    private Struct destination(String account, String region, String name) {
        return store.records(Policies.DESTINATIONS, account, region).get(name);
    }

    @AwsOperation("DescribeSubscriptionFilters")
    public Struct describeSubscriptionFilters(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupName"));
        String prefix = in.string("filterNamePrefix");
        List<Struct> matching = g.subscriptionFilters.values().stream()
                .filter(f -> prefix == null || f.string("filterName").startsWith(prefix)).toList();
        Pagination.Page<Struct> page = Pagination.page(matching, f -> f.string("filterName"), in.string("nextToken"),
                in.integer("limit", 50), LogsErrors::invalidToken);
        return Struct.of("subscriptionFilters", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("DeleteSubscriptionFilter")
    public Struct deleteSubscriptionFilter(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupName"));
        if (g.subscriptionFilters.remove(in.string("filterName")) == null) {
            throw new AwsException("ResourceNotFoundException", "The specified subscription filter does not exist.");
        }
        return null;
    }

    // --- delivery

    @Override
    public void ingested(LogGroup group, LogStream stream, List<LogEvent> events) {
        for (Struct filter : group.subscriptionFilters.values()) {
            FilterPattern pattern = FilterPattern.cached(filter.string("filterPattern"));
            boolean transformed = filter.bool("applyOnTransformedLogs", false);
            List<LogEvent> matching = events.stream().map(e -> e.forFilter(transformed))
                    .filter(e -> pattern.matches(e.message(false))).toList();
            if (!matching.isEmpty()) {
                delivery.execute(() -> deliver(group, stream, filter, matching));
            }
        }
    }

    private void deliver(LogGroup group, LogStream stream, Struct filter, List<LogEvent> events) {
        byte[] data = gzip(message(group, stream, filter.string("filterName"), events));
        String target = filter.string("destinationArn");
        String roleArn = filter.string("roleArn");
        if (target.contains(":logs:") && target.contains(":destination:")) {
            String[] parts = target.split(":", 6);
            Struct d = destination(parts[4], parts[3], parts[5].substring(12));
            if (d == null) {
                return;
            }
            target = d.string("targetArn");
            roleArn = d.string("roleArn");
        }
        try {
            if (target.startsWith("arn:aws:lambda:")) {
                invokeLambda(group, target, data);
            } else if (target.contains(":kinesis:")) {
                bus.publish(KinesisPutRecord.TOPIC, new KinesisPutRecord(target, stream.name, data, roleArn));
            } else if (target.contains(":firehose:")) {
                bus.publish(FirehosePutRecord.TOPIC, new FirehosePutRecord(target, data, roleArn));
            }
        } catch (RuntimeException e) {
            // a failed delivery is dropped, as AWS drops what its destination refuses after its retries
        }
    }

    private void invokeLambda(LogGroup group, String functionArn, byte[] data) {
        LambdaService lambda = peers.find("lambda", LambdaService.class);
        if (lambda == null) {
            return;
        }
        String payload = "{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(data) + "\"}}";
        Headers headers = new Headers().set("host", endpointHost);
        HttpRequest request = new HttpRequest("POST", "/", "", headers, new ByteArrayInputStream(new byte[0]), "127.0.0.1");
        Call call = new Call("lambda", null, Identity.root(group.account, null), group.region,
                UUID.randomUUID().toString(), Instant.ofEpochMilli(store.now()), request);
        lambda.invoke(call, Struct.of("FunctionName", functionArn, "InvocationType", "Event",
                "Payload", payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** The DATA_MESSAGE AWS sends to subscription destinations. */
    static String message(LogGroup group, LogStream stream, String filterName, List<LogEvent> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageType", "DATA_MESSAGE");
        m.put("owner", group.account);
        m.put("logGroup", group.name);
        m.put("logStream", stream.name);
        m.put("subscriptionFilters", List.of(filterName));
        List<Map<String, Object>> out = new ArrayList<>();
        for (LogEvent e : events) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("id", e.eventId());
            ev.put("timestamp", e.timestamp());
            ev.put("message", e.message(false));
            out.add(ev);
        }
        m.put("logEvents", out);
        try {
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
