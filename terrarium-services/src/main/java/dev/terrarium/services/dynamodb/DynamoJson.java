package dev.terrarium.services.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Items as "DynamoDB JSON" ({"pk":{"S":"a"}}, binary in base64), the format of table exports and imports. */
final class DynamoJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DynamoJson() {
    }

    static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode o = NODES.objectNode();
        item.forEach((name, value) -> o.set(name, value(value)));
        return o;
    }

    private static JsonNode value(AttributeValue v) {
        ObjectNode o = NODES.objectNode();
        Base64.Encoder b64 = Base64.getEncoder();
        if (v instanceof AttributeValue.S x) {
            o.put("S", x.value());
        } else if (v instanceof AttributeValue.N x) {
            o.put("N", x.text());
        } else if (v instanceof AttributeValue.B x) {
            o.put("B", b64.encodeToString(x.value()));
        } else if (v instanceof AttributeValue.Bool x) {
            o.put("BOOL", x.value());
        } else if (v instanceof AttributeValue.Null) {
            o.put("NULL", true);
        } else if (v instanceof AttributeValue.SS x) {
            ArrayNode a = o.putArray("SS");
            x.values().forEach(a::add);
        } else if (v instanceof AttributeValue.NS x) {
            ArrayNode a = o.putArray("NS");
            x.values().forEach(n -> a.add(n.text()));
        } else if (v instanceof AttributeValue.BS x) {
            ArrayNode a = o.putArray("BS");
            x.values().forEach(b -> a.add(b64.encodeToString(b.value())));
        } else if (v instanceof AttributeValue.M x) {
            o.set("M", item(x.values()));
        } else if (v instanceof AttributeValue.L x) {
            ArrayNode a = o.putArray("L");
            x.values().forEach(e -> a.add(value(e)));
        }
        return o;
    }

    /** An item of DynamoDB JSON, with the checks of a PutItem's Item (a bad one throws ValidationException). */
    static Map<String, AttributeValue> parseItem(JsonNode item) {
        if (item == null || !item.isObject()) {
            throw Errors.validation("Item is not a JSON object");
        }
        return AttributeValues.fromWire(wireItem(item));
    }

    private static Map<String, Object> wireItem(JsonNode item) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), wireValue(e.getValue()));
        }
        return out;
    }

    private static Struct wireValue(JsonNode v) {
        Struct s = new Struct();
        if (!v.isObject()) {
            throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode x = e.getValue();
            switch (e.getKey()) {
                case "S", "N" -> s.put(e.getKey(), x.asText());
                case "B" -> s.put("B", b64.decode(x.asText()));
                case "BOOL", "NULL" -> s.put(e.getKey(), x.asBoolean());
                case "SS", "NS" -> {
                    List<Object> l = new ArrayList<>();
                    x.forEach(n -> l.add(n.asText()));
                    s.put(e.getKey(), l);
                }
                case "BS" -> {
                    List<Object> l = new ArrayList<>();
                    x.forEach(n -> l.add(b64.decode(n.asText())));
                    s.put("BS", l);
                }
                case "M" -> s.put("M", wireItem(x));
                case "L" -> {
                    List<Object> l = new ArrayList<>();
                    x.forEach(n -> l.add(wireValue(n)));
                    s.put("L", l);
                }
                default -> throw Errors.validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
            }
        }
        return s;
    }
}
