package dev.terrarium.core.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.iam.DecisionLog;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.ServiceRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * /_terrarium/*: health, reset, coverage and the clock; and /moto-api/reset for users coming from moto.
 */
public final class AdminHandler {
    public static final String PREFIX = "/_terrarium/";
    private static final JsonFactory JSON = new JsonFactory();
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Models models;
    private final ServiceRegistry registry;
    private final Clock clock;
    private final Instant startedAt = Instant.now();
    private final String version;

    private final DecisionLog decisions;

    public AdminHandler(Models models, ServiceRegistry registry, Clock clock, String version) {
        this(models, registry, clock, version, new DecisionLog());
    }

    public AdminHandler(Models models, ServiceRegistry registry, Clock clock, String version, DecisionLog decisions) {
        this.decisions = decisions;
        this.models = models;
        this.registry = registry;
        this.clock = clock;
        this.version = version;
    }

    public static boolean isAdminPath(String path) {
        return path.startsWith(PREFIX) || path.equals("/_terrarium") || path.equals("/moto-api/reset");
    }

    public HttpResponse handle(HttpRequest request) {
        String path = request.rawPath();
        String method = request.method();
        return switch (path) {
            case "/_terrarium/health", "/_terrarium" -> health();
            case "/_terrarium/reset", "/moto-api/reset" -> post(method, () -> reset(request.queryParam("service")));
            case "/_terrarium/coverage" -> coverage(request);
            case "/_terrarium/clock" -> clockState();
            case "/_terrarium/clock/advance" -> post(method, () -> advance(request));
            case "/_terrarium/iam/explain" -> explain(request.queryParam("requestId"));
            default -> error(404, "NotFound", "No admin endpoint " + path);
        };
    }

    private HttpResponse health() {
        return json(200, g -> {
            g.writeStringField("status", "running");
            g.writeStringField("version", version);
            g.writeNumberField("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds());
            g.writeStringField("models", models.source());
            g.writeObjectFieldStart("services");
            for (ServiceInfo info : models.services()) {
                g.writeObjectFieldStart(info.name());
                g.writeBooleanField("implemented", registry.implementedServices().contains(info.name()));
                g.writeBooleanField("loaded", registry.isLoaded(info.name()));
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private HttpResponse reset(String service) {
        if (service != null && models.info(service) == null) {
            return error(400, "UnknownService", "No service named " + service);
        }
        registry.reset(service);
        return json(200, g -> g.writeStringField("reset", service == null ? "all" : service));
    }

    private HttpResponse coverage(HttpRequest request) {
        if ("markdown".equals(request.queryParam("format"))) {
            return HttpResponse.text(200, "text/markdown; charset=utf-8", Coverage.markdown(models, registry));
        }
        return json(200, g -> {
            g.writeArrayFieldStart("services");
            for (Coverage.ServiceCoverage c : Coverage.compute(models, registry)) {
                g.writeStartObject();
                g.writeStringField("service", c.service());
                g.writeStringField("serviceId", c.serviceId());
                g.writeNumberField("implemented", c.implemented());
                g.writeNumberField("total", c.total());
                g.writeArrayFieldStart("implementedOperations");
                for (String op : c.implementedOperations()) {
                    g.writeString(op);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** The authorization decision of a request (the latest when no requestId is given), with its statement trace. */
    private HttpResponse explain(String requestId) {
        java.util.Map<String, Object> d = decisions.find(requestId);
        if (d == null) {
            return error(404, "NotFound", requestId == null ? "No authorization decision recorded (is --enforce-iam on?)"
                    : "No authorization decision recorded for request " + requestId);
        }
        try {
            return HttpResponse.of(200, "application/json", MAPPER.writeValueAsBytes(d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse clockState() {
        return json(200, g -> {
            g.writeBooleanField("virtual", clock.isVirtual());
            g.writeStringField("now", Timestamps.iso8601(clock.now()));
            g.writeNumberField("epochMillis", clock.millis());
        });
    }

    private HttpResponse advance(HttpRequest request) {
        if (!clock.isVirtual()) {
            return error(409, "ClockNotVirtual", "The clock is real; start Terrarium with --clock virtual");
        }
        String seconds = request.queryParam("seconds");
        double secs;
        try {
            secs = Double.parseDouble(seconds == null ? "" : seconds);
        } catch (NumberFormatException e) {
            return error(400, "InvalidParameterValue", "seconds must be a number");
        }
        if (secs < 0 || Double.isNaN(secs) || Double.isInfinite(secs)) {
            return error(400, "InvalidParameterValue", "seconds must be a finite number >= 0");
        }
        clock.advance(Duration.ofNanos((long) (secs * 1e9)));
        return clockState();
    }

    private static HttpResponse post(String method, java.util.function.Supplier<HttpResponse> action) {
        if (!"POST".equals(method)) {
            return error(405, "MethodNotAllowed", "Use POST");
        }
        return action.get();
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static HttpResponse json(int status, Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.of(status, "application/json", out.toByteArray());
    }

    private static HttpResponse error(int status, String code, String message) {
        return json(status, g -> {
            g.writeStringField("error", code);
            g.writeStringField("message", message);
        });
    }
}
