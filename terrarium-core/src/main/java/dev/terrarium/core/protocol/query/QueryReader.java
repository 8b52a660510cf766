package dev.terrarium.core.protocol.query;

import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.protocol.xml.ScalarText;
import dev.terrarium.core.protocol.xml.XmlNames;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the input Struct of a query-protocol request from its flat parameters, by shape, reading
 * the keys exactly as botocore's QuerySerializer / EC2Serializer write them.
 */
final class QueryReader {
    private final QueryDialect dialect;
    private final QueryParams params;

    QueryReader(QueryDialect dialect, QueryParams params) {
        this.dialect = dialect;
        this.params = params;
    }

    Struct readInput(Shape input) {
        return input == null ? new Struct() : readStructure(input, "");
    }

    private Struct readStructure(Shape shape, String prefix) {
        Struct out = new Struct();
        for (Member m : shape.members().values()) {
            String name = dialect.memberKey(m);
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            Object v = readValue(m, key);
            if (v != null) {
                out.put(m.name(), v);
            }
        }
        return out;
    }

    private Object readValue(Member ref, String key) {
        Shape shape = ref.shape();
        switch (shape.type()) {
            case STRUCTURE:
                return params.hasUnder(key) ? readStructure(shape, key) : null;
            case LIST:
                return readList(ref, key);
            case MAP:
                return readMap(ref, key);
            default: {
                String text = params.get(key);
                return text == null ? null : scalar(ref, key, text);
            }
        }
    }

    private List<Object> readList(Member ref, String key) {
        Shape shape = ref.shape();
        Member item = shape.listMember();
        String itemsPrefix;
        if (dialect == QueryDialect.EC2) {
            itemsPrefix = key;
        } else if (ref.flattened()) {
            String itemName = XmlNames.serializedName(item, null);
            itemsPrefix = itemName == null ? key : replaceLastSegment(key, itemName);
        } else {
            itemsPrefix = key + "." + dialect.memberKey(item);
        }
        TreeSet<Long> indexes = indexesUnder(itemsPrefix);
        if (indexes.isEmpty()) {
            // "X=" is how the query protocol sends an empty list
            if ("".equals(params.get(key)) && !params.hasUnder(key)) {
                return new ArrayList<>();
            }
            return dialect == QueryDialect.AWS_QUERY && ref.flattened() ? unindexedItem(item, itemsPrefix) : null;
        }
        List<Object> list = new ArrayList<>(indexes.size());
        for (long i : indexes) {
            Object v = readValue(item, itemsPrefix + "." + i);
            if (v != null) {
                list.add(v);
            }
        }
        return list;
    }

    /**
     * A flattened list of scalars sent as one un-indexed parameter, as SQS's own query examples do
     * ("AttributeName=All"): a list of that one value.
     */
    private List<Object> unindexedItem(Member item, String itemKey) {
        String text = params.get(itemKey);
        if (text == null || text.isEmpty() || item.shape().type() == ShapeType.STRUCTURE
                || item.shape().type() == ShapeType.LIST || item.shape().type() == ShapeType.MAP) {
            return null;
        }
        List<Object> list = new ArrayList<>(1);
        list.add(scalar(item, itemKey, text));
        return list;
    }

    private Map<String, Object> readMap(Member ref, String key) {
        Shape shape = ref.shape();
        String entriesPrefix = ref.flattened() ? key : key + ".entry";
        TreeSet<Long> indexes = indexesUnder(entriesPrefix);
        if (indexes.isEmpty()) {
            return "".equals(params.get(key)) && !params.hasUnder(key) ? new LinkedHashMap<>() : null;
        }
        Member keyMember = shape.mapKey();
        Member valueMember = shape.mapValue();
        String keySuffix = dialect.memberKey(keyMember);
        String valueSuffix = dialect.memberKey(valueMember);
        Map<String, Object> map = new LinkedHashMap<>();
        for (long i : indexes) {
            String entry = entriesPrefix + "." + i;
            String k = params.get(entry + "." + keySuffix);
            if (k == null) {
                throw QueryErrors.invalidParameter(entry + "." + keySuffix, "the map entry has no key");
            }
            Object v = readValue(valueMember, entry + "." + valueSuffix);
            if (v != null) {
                map.put(k, v);
            }
        }
        return map;
    }

    /** The numeric segments N of keys "prefix.N" or "prefix.N.more", in numeric order. */
    private TreeSet<Long> indexesUnder(String prefix) {
        TreeSet<Long> indexes = new TreeSet<>();
        int start = prefix.length() + 1;
        for (String k : params.under(prefix).keySet()) {
            int end = k.indexOf('.', start);
            String segment = end < 0 ? k.substring(start) : k.substring(start, end);
            Long n = parseIndex(segment);
            if (n != null) {
                indexes.add(n);
            }
        }
        return indexes;
    }

    private static Long parseIndex(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        long n = Long.parseLong(s);
        return n >= 1 ? n : null;
    }

    private static String replaceLastSegment(String key, String name) {
        int dot = key.lastIndexOf('.');
        return dot < 0 ? name : key.substring(0, dot + 1) + name;
    }

    private Object scalar(Member ref, String key, String text) {
        try {
            return ScalarText.parse(ref.shape(), text);
        } catch (ScalarText.BadValueException e) {
            throw QueryErrors.invalidParameter(key, text, e.getMessage());
        }
    }
}
