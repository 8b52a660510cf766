package dev.terrarium.core.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tagged JSON the botocore scripts exchange with the Java side, converted by the model's shapes:
 * {"$timestamp": iso}, {"$blob": base64}, {"$float": "NaN"}, {"$json": value} (jsonvalue strings);
 * everything else plain JSON.
 */
final class TaggedJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ISO_INSTANT;

    private TaggedJson() {
    }

    static Struct toStruct(JsonNode node, Shape shape) {
        return (Struct) toJava(node, shape, false);
    }

    static Object toJava(JsonNode n, Shape shape, boolean jsonValue) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (shape.document()) {
            return plain(n);
        }
        return switch (shape.type()) {
            case STRUCTURE -> {
                Struct s = new Struct();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    Member m = shape.member(e.getKey());
                    if (m == null) {
                        throw new IllegalArgumentException("no member " + e.getKey() + " in " + shape.name());
                    }
                    s.put(e.getKey(), toJava(e.getValue(), m.shape(), m.jsonValue()));
                }
                yield s;
            }
            case LIST -> {
                List<Object> l = new ArrayList<>();
                n.forEach(x -> l.add(toJava(x, shape.listMember().shape(), false)));
                yield l;
            }
            case MAP -> {
                Map<String, Object> m = new LinkedHashMap<>();
                n.fields().forEachRemaining(e -> m.put(e.getKey(), toJava(e.getValue(), shape.mapValue().shape(), false)));
                yield m;
            }
            case STRING -> n.has("$json") ? write(n.get("$json")) : n.asText();
            case BOOLEAN -> n.asBoolean();
            case INTEGER -> n.intValue();
            case LONG -> n.longValue();
            case SHORT -> n.shortValue();
            case BYTE -> (byte) n.intValue();
            case FLOAT -> n.has("$float") ? Float.parseFloat(n.get("$float").asText()) : n.floatValue();
            case DOUBLE -> n.has("$float") ? Double.parseDouble(n.get("$float").asText()) : n.doubleValue();
            case BIG_INTEGER -> new BigInteger(n.asText());
            case BIG_DECIMAL -> new BigDecimal(n.asText());
            case BLOB -> Base64.getDecoder().decode(n.get("$blob").asText());
            case TIMESTAMP -> Instant.parse(n.get("$timestamp").asText());
        };
    }

    /** A document: plain Map/List/String/Number/Boolean/null. */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(plain(x)));
            return l;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.numberValue();
    }

    static JsonNode toJson(Object v, Shape shape, boolean jsonValue) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (shape.document()) {
            return MAPPER.valueToTree(v);
        }
        switch (shape.type()) {
            case STRUCTURE: {
                ObjectNode o = NODES.objectNode();
                ((Struct) v).asMap().forEach((k, x) -> {
                    Member m = shape.member(k);
                    o.set(k, toJson(x, m.shape(), m.jsonValue()));
                });
                return o;
            }
            case LIST: {
                ArrayNode a = NODES.arrayNode();
                ((List<?>) v).forEach(x -> a.add(toJson(x, shape.listMember().shape(), false)));
                return a;
            }
            case MAP: {
                ObjectNode o = NODES.objectNode();
                ((Map<?, ?>) v).forEach((k, x) -> o.set(k.toString(), toJson(x, shape.mapValue().shape(), false)));
                return o;
            }
            case STRING:
                return jsonValue ? NODES.objectNode().set("$json", read(v.toString())) : NODES.textNode(v.toString());
            case BLOB: {
                byte[] b = v instanceof StreamingBody sb ? readAll(sb) : (byte[]) v;
                return NODES.objectNode().put("$blob", Base64.getEncoder().encodeToString(b));
            }
            case TIMESTAMP:
                return NODES.objectNode().put("$timestamp", ISO_MILLIS.format(((Instant) v).truncatedTo(ChronoUnit.MILLIS)));
            case FLOAT:
            case DOUBLE: {
                double d = ((Number) v).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    return NODES.objectNode().put("$float", Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }
                return shape.type() == dev.terrarium.core.model.ShapeType.FLOAT
                        ? NODES.numberNode(((Number) v).floatValue()) : NODES.numberNode(d);
            }
            default:
                return MAPPER.valueToTree(v);
        }
    }

    static byte[] readAll(StreamingBody sb) {
        try {
            return sb.stream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return NODES.textNode(json);
        }
    }
}
