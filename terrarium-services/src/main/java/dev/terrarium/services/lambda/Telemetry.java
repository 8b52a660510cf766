package dev.terrarium.services.lambda;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Telemetry API of one execution environment (PUT /2022-07-01/telemetry). Events are emitted as they happen:
 * the init phase (platform.initStart, platform.initRuntimeDone, platform.initReport), each invocation
 * (platform.start, the function's output as "function" events, platform.runtimeDone, platform.report), and the
 * extension and subscription events. Each subscriber has its own buffer, POSTed as one JSON array when it holds
 * maxItems events or maxBytes bytes, or timeoutMs after its first event (the subscription's buffering, with
 * Lambda's defaults and limits). A subscription made during the init phase also gets the init events before it, as
 * an extension subscribes while the environment initializes. sandbox.localdomain is the loopback interface here.
 */
final class Telemetry {
    static final String PATH = "/2022-07-01/telemetry";
    static final List<String> SCHEMA_VERSIONS = List.of("2022-07-01", "2022-12-13", "2025-01-29");
    static final List<String> TYPES = List.of("platform", "function", "extension");
    static final int MAX_ITEMS_DEFAULT = 1000, MAX_ITEMS_MIN = 25, MAX_ITEMS_MAX = 10_000;
    static final int MAX_BYTES_DEFAULT = 262_144, MAX_BYTES_MIN = 262_144, MAX_BYTES_MAX = 1_048_576;
    static final int TIMEOUT_DEFAULT = 1000, TIMEOUT_MIN = 25, TIMEOUT_MAX = 30_000;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lambda-telemetry");
        t.setDaemon(true);
        return t;
    });

    /** One event: its type ("platform", "function" or "extension") and its JSON. */
    private record Event(String stream, String json) {
    }

    /** A subscriber: its streams, its destination, its buffer and how that buffer is flushed. */
    private static final class Subscription {
        final URI uri;
        final List<?> types;
        final int maxItems;
        final int maxBytes;
        final int timeoutMs;
        final List<String> buffer = new ArrayList<>();
        int bytes;
        java.util.concurrent.ScheduledFuture<?> timer;
        /** Deliveries are sequential: each POST starts when the previous one is answered. */
        CompletableFuture<?> delivered = CompletableFuture.completedFuture(null);

        Subscription(URI uri, List<?> types, int maxItems, int maxBytes, int timeoutMs) {
            this.uri = uri;
            this.types = types;
            this.maxItems = maxItems;
            this.maxBytes = maxBytes;
            this.timeoutMs = timeoutMs;
        }
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** The events of the init phase, for subscriptions made during it; null once the first invocation started. */
    private List<Event> initEvents = new ArrayList<>();

    /**
     * A subscription request: null when it is accepted, else the error message of the 400 answer. The extension's name
     * is only used for the platform.telemetrySubscription event.
     */
    String subscribe(Map<String, Object> req, String extensionName) {
        if (req == null) {
            return "Invalid subscription request: the body must be a JSON object";
        }
        Object schema = req.get("schemaVersion");
        if (!(schema instanceof String s) || !SCHEMA_VERSIONS.contains(s)) {
            return "Invalid schemaVersion: expected one of " + SCHEMA_VERSIONS;
        }
        Object types = req.get("types");
        if (!(types instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(TYPES::contains)) {
            return "Invalid types: expected a list of platform, function or extension";
        }
        Object dest = req.get("destination");
        Object uri = dest instanceof Map<?, ?> d ? d.get("URI") : null;
        Object protocol = dest instanceof Map<?, ?> d ? d.get("protocol") : null;
        if (!"HTTP".equals(protocol) || !(uri instanceof String u) || !u.startsWith("http://")) {
            return "Invalid destination: an HTTP URI with protocol HTTP is required (TCP is not supported here)";
        }
        Object buffering = req.get("buffering");
        if (buffering != null && !(buffering instanceof Map<?, ?>)) {
            return "Invalid buffering: expected an object";
        }
        Map<?, ?> b = buffering == null ? Map.of() : (Map<?, ?>) buffering;
        int[] values = new int[3];
        String[] names = {"maxItems", "maxBytes", "timeoutMs"};
        int[][] limits = {{MAX_ITEMS_DEFAULT, MAX_ITEMS_MIN, MAX_ITEMS_MAX}, {MAX_BYTES_DEFAULT, MAX_BYTES_MIN, MAX_BYTES_MAX},
                {TIMEOUT_DEFAULT, TIMEOUT_MIN, TIMEOUT_MAX}};
        for (int i = 0; i < 3; i++) {
            Object v = b.get(names[i]);
            if (v == null) {
                values[i] = limits[i][0];
            } else if (!(v instanceof Integer n) || n < limits[i][1] || n > limits[i][2]) {
                return "Invalid buffering." + names[i] + ": expected an integer from " + limits[i][1] + " to " + limits[i][2];
            } else {
                values[i] = n;
            }
        }
        URI target = URI.create(u.replaceFirst("^http://sandbox\\.localdomain", "http://127.0.0.1"));
        Subscription sub = new Subscription(target, list, values[0], values[1], values[2]);
        synchronized (this) {
            subscriptions.add(sub);
            if (initEvents != null) {
                initEvents.forEach(e -> offer(sub, e));
            }
        }
        platform("platform.telemetrySubscription", "{\"name\":" + Json.quote(extensionName == null ? "" : extensionName)
                + ",\"state\":\"Subscribed\",\"types\":" + types(list) + "}");
        return null;
    }

    private static String types(List<?> list) {
        StringBuilder sb = new StringBuilder("[");
        for (Object t : list) {
            sb.append(sb.length() > 1 ? "," : "").append(Json.quote(String.valueOf(t)));
        }
        return sb.append(']').toString();
    }

    /** A platform event with its record (a JSON object). */
    void platform(String type, String record) {
        emit(new Event("platform", "{\"time\":\"" + Instant.now() + "\",\"type\":\"" + type + "\",\"record\":" + record + "}"));
    }

    /** A line the function printed. */
    void function(String line) {
        emit(new Event("function", "{\"time\":\"" + Instant.now() + "\",\"type\":\"function\",\"record\":" + Json.quote(line) + "}"));
    }

    /** A line an extension printed. */
    void extension(String line) {
        emit(new Event("extension", "{\"time\":\"" + Instant.now() + "\",\"type\":\"extension\",\"record\":" + Json.quote(line) + "}"));
    }

    /** The init phase is over: later subscriptions no longer get its events. */
    synchronized void invoked() {
        initEvents = null;
    }

    private synchronized void emit(Event e) {
        if (initEvents != null) {
            initEvents.add(e);
        }
        for (Subscription s : subscriptions) {
            offer(s, e);
        }
    }

    private void offer(Subscription s, Event e) {
        if (!s.types.contains(e.stream())) {
            return;
        }
        synchronized (s) {
            s.buffer.add(e.json());
            s.bytes += e.json().getBytes(StandardCharsets.UTF_8).length;
            if (s.buffer.size() >= s.maxItems || s.bytes >= s.maxBytes) {
                flush(s);
            } else if (s.timer == null) {
                s.timer = TIMERS.schedule(() -> {
                    synchronized (s) {
                        s.timer = null;
                        flush(s);
                    }
                }, s.timeoutMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends what a subscriber's buffer holds (called holding its lock). */
    private static void flush(Subscription s) {
        if (s.timer != null) {
            s.timer.cancel(false);
            s.timer = null;
        }
        if (s.buffer.isEmpty()) {
            return;
        }
        String body = "[" + String.join(",", s.buffer) + "]";
        s.buffer.clear();
        s.bytes = 0;
        HttpRequest post = HttpRequest.newBuilder(s.uri).header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        s.delivered = s.delivered.handle((r, x) -> null)
                .thenCompose(v -> HTTP.sendAsync(post, HttpResponse.BodyHandlers.discarding()));
    }

    /** Sends every buffered event now (the environment shuts down). */
    void flushAll() {
        for (Subscription s : subscriptions) {
            synchronized (s) {
                flush(s);
            }
        }
    }
}
