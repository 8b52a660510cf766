package dev.terrarium.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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

    /** Reads models/index.json with the streaming parser: databind stays off the start-up path. */
    public static Models fromClasspath() {
        try (InputStream in = Models.class.getResourceAsStream("/models/index.json")) {
            if (in == null) {
                throw new IllegalStateException("models/index.json missing from the classpath");
            }
            Map<String, ServiceInfo> infos = new TreeMap<>();
            String source = null;
            try (JsonParser p = new JsonFactory().createParser(in)) {
                expect(p.nextToken(), JsonToken.START_OBJECT);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (field.equals("source")) {
                        source = p.getText();
                    } else if (field.equals("services") && value == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            infos.put(name, info(name, p));
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
            return new Models(Collections.unmodifiableMap(infos), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServiceInfo info(String name, JsonParser p) throws IOException {
        Map<String, String> fields = new java.util.HashMap<>();
        List<String> protocols = new ArrayList<>();
        boolean queryCompatible = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("protocols") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    protocols.add(p.getText());
                }
            } else if (field.equals("awsQueryCompatible")) {
                queryCompatible = true;
                p.skipChildren();
            } else if (value.isScalarValue()) {
                fields.put(field, p.getText());
            } else {
                p.skipChildren();
            }
        }
        if (protocols.isEmpty()) {
            protocols.add(fields.get("protocol"));
        }
        return new ServiceInfo(name, fields.get("apiVersion"), fields.get("endpointPrefix"), fields.get("signingName"),
                fields.get("protocol"), List.copyOf(protocols), fields.get("targetPrefix"), fields.get("jsonVersion"),
                fields.get("serviceId"), fields.get("xmlNamespace"), queryCompatible, fields.get("globalEndpoint"));
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("models/index.json: expected " + expected + " but found " + actual);
        }
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
