package dev.terrarium.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All service models Terrarium ships: the index (read at start, small) and each full model,
 * loaded on first use and kept.
 */
public final class Models {
    private final Map<String, ServiceInfo> infos;
    private final String source;
    private final Map<String, ServiceModel> loaded = new ConcurrentHashMap<>();

    private Models(Map<String, ServiceInfo> infos, String source) {
        this.infos = infos;
        this.source = source;
    }

    public static Models fromClasspath() {
        try (InputStream in = Models.class.getResourceAsStream("/models/index.json")) {
            if (in == null) {
                throw new IllegalStateException("models/index.json missing from the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, ServiceInfo> infos = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("services").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                infos.put(e.getKey(), info(e.getKey(), e.getValue()));
            }
            return new Models(Collections.unmodifiableMap(infos), root.path("source").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServiceInfo info(String name, JsonNode n) {
        List<String> protocols = new ArrayList<>();
        n.path("protocols").forEach(p -> protocols.add(p.asText()));
        if (protocols.isEmpty()) {
            protocols.add(n.path("protocol").asText());
        }
        return new ServiceInfo(name,
                n.path("apiVersion").asText(null),
                n.path("endpointPrefix").asText(null),
                n.path("signingName").asText(null),
                n.path("protocol").asText(null),
                List.copyOf(protocols),
                n.path("targetPrefix").asText(null),
                n.path("jsonVersion").asText(null),
                n.path("serviceId").asText(null),
                n.path("xmlNamespace").asText(null),
                n.has("awsQueryCompatible"),
                n.path("globalEndpoint").asText(null));
    }

    /** e.g. "botocore 1.43.11". */
    public String source() { return source; }

    public Collection<ServiceInfo> services() { return infos.values(); }

    public ServiceInfo info(String service) { return infos.get(service); }

    /** The full model, loading it on first use; null for a service Terrarium has no model of. */
    public ServiceModel model(String service) {
        ServiceInfo info = infos.get(service);
        if (info == null) {
            return null;
        }
        return loaded.computeIfAbsent(service, s -> ModelLoader.loadResource(info));
    }

    public boolean isLoaded(String service) { return loaded.containsKey(service); }
}
