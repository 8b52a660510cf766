package dev.terrarium.services.dynamodb.expressions;

import dev.terrarium.services.dynamodb.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A ProjectionExpression (or AttributesToGet): the parts of an item to return, nested paths kept in place. */
public record Projection(List<Path> paths) {

    public static Projection of(List<String> attributesToGet) {
        return new Projection(attributesToGet.stream().map(Path::of).toList());
    }

    public List<String> topAttributes() { return paths.stream().map(Path::top).distinct().toList(); }

    public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        Map<Object, Object> tree = new LinkedHashMap<>();
        for (Path p : paths) {
            AttributeValue v = p.resolve(item);
            if (v != null) {
                insert(tree, p.elements(), 0, v);
            }
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        tree.forEach((k, v) -> out.put((String) k, build(v)));
        return out;
    }

    /** Builds a tree of maps (String keys) and TreeMaps (list positions) holding the selected values. */
    @SuppressWarnings("unchecked")
    private static void insert(Map<Object, Object> node, List<Object> e, int i, AttributeValue v) {
        Object step = e.get(i);
        if (i == e.size() - 1) {
            node.put(step, v);
            return;
        }
        Object child = node.get(step);
        if (child == null) {
            child = e.get(i + 1) instanceof Integer ? new TreeMap<Integer, Object>() : new LinkedHashMap<String, Object>();
            node.put(step, child);
        }
        if (child instanceof Map<?, ?> m) {
            insert((Map<Object, Object>) m, e, i + 1, v);
        }
    }

    @SuppressWarnings("unchecked")
    private static AttributeValue build(Object node) {
        if (node instanceof AttributeValue v) {
            return v;
        }
        if (node instanceof TreeMap<?, ?> list) {
            List<AttributeValue> out = new ArrayList<>();
            list.values().forEach(x -> out.add(build(x)));
            return new AttributeValue.L(List.copyOf(out));
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        ((Map<String, Object>) node).forEach((k, x) -> out.put(k, build(x)));
        return new AttributeValue.M(java.util.Collections.unmodifiableMap(out));
    }
}
