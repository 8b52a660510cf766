package dev.terrarium.core.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.ServiceRegistry;

import java.time.Duration;
import java.time.Instant;

/**
 * /_terrarium/*: health, reset, coverage and the clock; and /moto-api/reset for users coming from moto.
 */
public final class AdminHandler {
    public static final String PREFIX = "/_terrarium/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Models models;
    private final ServiceRegistry registry;
    private final Clock clock;
    private final Instant startedAt = Instant.now();
    private final String version;

    public AdminHandler(Models models, ServiceRegistry registry, Clock clock, String version) {
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
            default -> error(404, "NotFound", "No admin endpoint " + path);
        };
    }

    private HttpResponse health() {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", "running");
        root.put("version", version);
        root.put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds());
        root.put("models", models.source());
        ObjectNode services = root.putObject("services");
        for (ServiceInfo info : models.services()) {
            ObjectNode s = services.putObject(info.name());
            s.put("implemented", registry.implementedServices().contains(info.name()));
            s.put("loaded", registry.isLoaded(info.name()));
        }
        return json(200, root);
    }

    private HttpResponse reset(String service) {
        if (service != null && models.info(service) == null) {
            return error(400, "UnknownService", "No service named " + service);
        }
        registry.reset(service);
        ObjectNode root = JSON.createObjectNode();
        root.put("reset", service == null ? "all" : service);
        return json(200, root);
    }

    private HttpResponse coverage(HttpRequest request) {
        if ("markdown".equals(request.queryParam("format"))) {
            return HttpResponse.text(200, "text/markdown; charset=utf-8", Coverage.markdown(models, registry));
        }
        ArrayNode list = JSON.createArrayNode();
        for (Coverage.ServiceCoverage c : Coverage.compute(models, registry)) {
            ObjectNode s = list.addObject();
            s.put("service", c.service());
            s.put("serviceId", c.serviceId());
            s.put("implemented", c.implemented());
            s.put("total", c.total());
            c.implementedOperations().forEach(s.putArray("implementedOperations")::add);
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("services", list);
        return json(200, root);
    }

    private HttpResponse clockState() {
        ObjectNode root = JSON.createObjectNode();
        root.put("virtual", clock.isVirtual());
        root.put("now", Timestamps.iso8601(clock.now()));
        root.put("epochMillis", clock.millis());
        return json(200, root);
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

    private static HttpResponse json(int status, ObjectNode body) {
        try {
            return HttpResponse.of(status, "application/json", JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse error(int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("error", code);
        root.put("message", message);
        return json(status, root);
    }
}
