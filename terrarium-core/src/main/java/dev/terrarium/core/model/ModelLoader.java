package dev.terrarium.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** Reads a botocore-format service description (as written by tools/convert_models.py) into a ServiceModel. */
public final class ModelLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelLoader() {
    }

    public static ServiceModel loadResource(ServiceInfo info) {
        String path = "/models/" + info.name() + ".json.gz";
        try (InputStream raw = ModelLoader.class.getResourceAsStream(path)) {
            if (raw == null) {
                throw new IllegalStateException("no model resource " + path);
            }
            return load(info, JSON.readTree(new GZIPInputStream(raw, 64 * 1024)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + path, e);
        }
    }

    public static ServiceModel load(ServiceInfo info, JsonNode root) {
        Map<String, Shape> shapes = new HashMap<>();
        List<Member> refs = new ArrayList<>();
        JsonNode shapesNode = root.path("shapes");
        for (Iterator<Map.Entry<String, JsonNode>> it = shapesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            shapes.put(e.getKey(), shape(e.getKey(), e.getValue(), refs));
        }
        for (Member m : refs) {
            m.link(shapes);
        }
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("operations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            operations.put(e.getKey(), operation(e.getKey(), e.getValue(), shapes));
        }
        return new ServiceModel(info, Collections.unmodifiableMap(operations), Collections.unmodifiableMap(shapes));
    }

    private static Operation operation(String name, JsonNode op, Map<String, Shape> shapes) {
        JsonNode http = op.path("http");
        JsonNode input = op.path("input");
        JsonNode output = op.path("output");
        List<Shape> errors = new ArrayList<>();
        for (JsonNode err : op.path("errors")) {
            Shape s = shapes.get(err.path("shape").asText());
            if (s != null) {
                errors.add(s);
            }
        }
        return new Operation(name,
                text(http, "method", "POST"),
                text(http, "requestUri", "/"),
                http.path("responseCode").asInt(200),
                input.has("shape") ? shapes.get(input.get("shape").asText()) : null,
                output.has("shape") ? shapes.get(output.get("shape").asText()) : null,
                text(input, "locationName", null),
                input.path("xmlNamespace").path("uri").asText(null),
                text(output, "resultWrapper", null),
                List.copyOf(errors),
                op.path("endpoint").path("hostPrefix").asText(null),
                op.path("httpChecksumRequired").asBoolean(false)
                        || op.path("httpChecksum").path("requestChecksumRequired").asBoolean(false),
                text(op, "authtype", null),
                op.path("deprecated").asBoolean(false),
                staticContextFlags(op.path("staticContextParams")));
    }

    private static Set<String> staticContextFlags(JsonNode params) {
        Set<String> flags = new java.util.TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("value").asBoolean(false)) {
                flags.add(e.getKey());
            }
        }
        return flags.isEmpty() ? Set.of() : Set.copyOf(flags);
    }

    private static Shape shape(String name, JsonNode s, List<Member> refs) {
        ShapeType type = ShapeType.of(s.path("type").asText());
        Map<String, Member> members = Shape.none();
        if (s.has("members")) {
            members = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = s.get("members").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Member m = member(e.getKey(), e.getValue());
                members.put(e.getKey(), m);
                refs.add(m);
            }
            members = Collections.unmodifiableMap(members);
        }
        Member listMember = s.has("member") ? member("member", s.get("member")) : null;
        Member key = s.has("key") ? member("key", s.get("key")) : null;
        Member value = s.has("value") ? member("value", s.get("value")) : null;
        for (Member m : new Member[]{listMember, key, value}) {
            if (m != null) {
                refs.add(m);
            }
        }
        Set<String> required = new LinkedHashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        List<String> enums = new ArrayList<>();
        s.path("enum").forEach(v -> enums.add(v.asText()));
        JsonNode err = s.path("error");
        ErrorTrait error = null;
        if (s.path("exception").asBoolean(false) || err.isObject()) {
            boolean fault = s.path("fault").asBoolean(false);
            int status = err.path("httpStatusCode").asInt(fault ? 500 : 400);
            error = new ErrorTrait(err.path("code").asText(name), status,
                    err.has("senderFault") ? err.get("senderFault").asBoolean() : !fault && status < 500);
        }
        JsonNode ns = s.path("xmlNamespace");
        return new Shape(name, type, members, Collections.unmodifiableSet(required), listMember, key, value,
                s.has("min") ? s.get("min").asLong() : null,
                s.has("max") ? s.get("max").asLong() : null,
                text(s, "pattern", null),
                List.copyOf(enums),
                text(s, "timestampFormat", null),
                s.path("flattened").asBoolean(false),
                s.path("streaming").asBoolean(false),
                s.path("eventstream").asBoolean(false),
                s.path("event").asBoolean(false),
                s.path("union").asBoolean(false),
                s.path("document").asBoolean(false),
                s.path("exception").asBoolean(false),
                s.path("fault").asBoolean(false),
                s.path("jsonvalue").asBoolean(false),
                s.path("requiresLength").asBoolean(false),
                text(s, "payload", null),
                text(s, "locationName", null),
                ns.path("uri").asText(null),
                ns.path("prefix").asText(null),
                error);
    }

    private static Member member(String name, JsonNode m) {
        JsonNode ns = m.path("xmlNamespace");
        return new Member(name, m.path("shape").asText(),
                Location.of(text(m, "location", null)),
                text(m, "locationName", null),
                text(m, "queryName", null),
                text(m, "xmlName", null),
                m.path("xmlAttribute").asBoolean(false),
                ns.path("uri").asText(null),
                ns.path("prefix").asText(null),
                m.has("flattened") ? m.get("flattened").asBoolean() : null,
                m.path("jsonvalue").asBoolean(false),
                m.path("idempotencyToken").asBoolean(false),
                text(m, "timestampFormat", null),
                m.path("hostLabel").asBoolean(false),
                m.path("eventpayload").asBoolean(false),
                m.path("streaming").asBoolean(false));
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
