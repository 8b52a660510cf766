package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Lambda's internal queue for asynchronous (Event) invocations: each event is run when a concurrency slot is
 * free (throttled events wait), retried after a function error or timeout up to MaximumRetryAttempts, dropped
 * once older than MaximumEventAgeInSeconds, and its outcome recorded to the OnSuccess/OnFailure destination
 * and the function's dead-letter queue.
 *
 * <p>AWS waits about one minute before the first retry and two before the second. Here a retry is due after
 * that long on the server's clock (a virtual clock advanced past it runs it at once) or after a sixtieth of it in
 * real time, whichever comes first; event age is measured on the server's clock.
 */
final class AsyncInvocations {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long TICK_MILLIS = 50;
    /** Real milliseconds a second of AWS's retry delays lasts here. */
    static final double REAL_MILLIS_PER_DELAY_SECOND = 1000.0 / 60;
    /** How often a throttled event tries again for a concurrency slot. */
    static final long THROTTLED_RETRY_MILLIS = 250;

    /** One queued event: its request id stays the same across attempts, as in AWS. */
    private static final class Event {
        final int generation;
        final String requestId;
        final Invoker.Target target;
        final byte[] payload;
        final String clientContext;
        final Instant queuedAt;
        volatile int invokeCount;
        volatile Invoker.Outcome last;
        volatile long dueClockMillis;
        volatile long dueNanos;

        Event(int generation, String requestId, Invoker.Target target, byte[] payload, String clientContext, Instant queuedAt) {
            this.generation = generation;
            this.requestId = requestId;
            this.target = target;
            this.payload = payload;
            this.clientContext = clientContext;
            this.queuedAt = queuedAt;
        }
    }

    private final Clock clock;
    private final Invoker invoker;
    private final AsyncDestinations destinations;
    private final Function<Invoker.Target, EventInvokeConfig> configs;
    /** Whether the target's function still exists (events of a deleted function are dropped, as in AWS). */
    private final java.util.function.Predicate<Invoker.Target> alive;
    private final ConcurrentLinkedQueue<Event> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger generation = new AtomicInteger();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("lambda-async-queue"));
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("lambda-async-invoke"));

    AsyncInvocations(Clock clock, Invoker invoker, AsyncDestinations destinations,
                     Function<Invoker.Target, EventInvokeConfig> configs, java.util.function.Predicate<Invoker.Target> alive) {
        this.clock = clock;
        this.invoker = invoker;
        this.destinations = destinations;
        this.configs = configs;
        this.alive = alive;
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Queues an event (the caller has already answered 202). */
    void submit(Invoker.Target target, byte[] payload, String clientContext, String requestId) {
        Event e = new Event(generation.get(), requestId, target, payload, clientContext, clock.now());
        workers.execute(() -> attempt(e));
    }

    /** Forgets every queued event (reset); events running now end without retries or records. */
    void clear() {
        generation.incrementAndGet();
        waiting.clear();
    }

    void close() {
        ticker.shutdownNow();
        workers.shutdownNow();
    }

    private void later(Event e, double awsDelaySeconds) {
        later(e, awsDelaySeconds, (long) (awsDelaySeconds * REAL_MILLIS_PER_DELAY_SECOND));
    }

    private void later(Event e, double awsDelaySeconds, long realMillis) {
        e.dueClockMillis = clock.millis() + (long) (awsDelaySeconds * 1000);
        e.dueNanos = System.nanoTime() + realMillis * 1_000_000;
        if (e.generation == generation.get()) {
            waiting.add(e);
        }
    }

    private void tick() {
        long now = clock.millis();
        long nanos = System.nanoTime();
        for (Iterator<Event> it = waiting.iterator(); it.hasNext(); ) {
            Event e = it.next();
            if (now >= e.dueClockMillis || nanos - e.dueNanos >= 0) {
                it.remove();
                workers.execute(() -> attempt(e));
            }
        }
    }

    private EventInvokeConfig config(Event e) {
        EventInvokeConfig c = configs.apply(e.target);
        return c != null ? c : new EventInvokeConfig(null, null, null, null, null);
    }

    private void attempt(Event e) {
        if (e.generation != generation.get() || !alive.test(e.target)) {
            return;
        }
        EventInvokeConfig c = config(e);
        if (clock.now().isAfter(e.queuedAt.plusSeconds(c.maxAgeSeconds()))) {
            failed(e, c, "EventAgeExceeded");
            return;
        }
        try {
            invoker.reserve(e.target.function());
        } catch (AwsException throttled) {
            later(e, 1, THROTTLED_RETRY_MILLIS);
            return;
        }
        e.invokeCount++;
        invoker.invoke(e.target, e.payload, e.clientContext, e.requestId).whenComplete((o, error) -> {
            if (e.generation != generation.get() || o == null) {
                return;
            }
            e.last = o;
            EventInvokeConfig now = config(e);
            if (o.result().functionError() == null) {
                if (now.onSuccess() != null) {
                    destinations.record(now.onSuccess(), record(e, "Success"), true, functionArn(e));
                }
            } else if (e.invokeCount <= now.retries()) {
                later(e, e.invokeCount == 1 ? 60 : 120);
            } else {
                failed(e, now, "RetriesExhausted");
            }
        });
    }

    private void failed(Event e, EventInvokeConfig c, String condition) {
        if (c.onFailure() != null) {
            destinations.record(c.onFailure(), record(e, condition), false, functionArn(e));
        }
        String dlq = e.target.version().deadLetterTarget;
        if (dlq != null) {
            Invoker.Outcome o = e.last;
            destinations.deadLetter(dlq, new String(e.payload, StandardCharsets.UTF_8), e.requestId,
                    o == null ? "Event age exceeded" : errorMessage(o.result().payload()));
        }
    }

    /** The ARN of what was invoked, qualified as AWS qualifies it in records ($LATEST for the bare function). */
    private static String functionArn(Event e) {
        String invoked = e.target.invokedArn();
        return invoked.equals(e.target.function().arn) ? invoked + ":$LATEST" : invoked;
    }

    /** The invocation record Lambda sends to destinations. */
    private String record(Event e, String condition) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("version", "1.0");
        r.put("timestamp", TIMESTAMP.format(clock.now()));
        ObjectNode context = r.putObject("requestContext");
        context.put("requestId", e.requestId);
        context.put("functionArn", functionArn(e));
        context.put("condition", condition);
        context.put("approximateInvokeCount", e.invokeCount);
        r.set("requestPayload", json(e.payload));
        Invoker.Outcome o = e.last;
        if (o != null) {
            ObjectNode response = r.putObject("responseContext");
            response.put("statusCode", 200);
            response.put("executedVersion", e.target.version().version);
            if (o.result().functionError() != null) {
                response.put("functionError", o.result().functionError());
            }
            r.set("responsePayload", json(o.result().payload()));
        }
        try {
            return Json.MAPPER.writeValueAsString(r);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static JsonNode json(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Json.MAPPER.nullNode();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            return n == null ? Json.MAPPER.nullNode() : n;
        } catch (Exception ex) {
            return Json.MAPPER.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static String errorMessage(byte[] payload) {
        JsonNode n = json(payload);
        return n.isObject() && n.hasNonNull("errorMessage") ? n.get("errorMessage").asText() : n.toString();
    }
}
