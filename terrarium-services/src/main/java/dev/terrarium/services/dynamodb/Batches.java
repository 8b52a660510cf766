package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** BatchGetItem and BatchWriteItem: the whole batch is validated before anything is read or written. */
final class Batches {
    private static final int MAX_GETS = 100;
    private static final int MAX_WRITES = 25;
    private final Tables tables;

    Batches(Tables tables) {
        this.tables = tables;
    }

    /** A BatchGetItem answer stops growing at 16 MB; the keys not read then come back as UnprocessedKeys. */
    static final long MAX_GET_BYTES = 16L * 1024 * 1024;

    private record GetRequest(Table table, List<PrimaryKey> keys, RequestExpressions expressions, boolean consistent,
                              Struct spec) {
    }

    Struct get(Call call, Struct in) {
        Map<String, Object> requestItems = in.map("RequestItems");
        List<GetRequest> requests = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, Object> e : requestItems.entrySet()) {
            Struct spec = (Struct) e.getValue();
            RequestExpressions expressions = RequestExpressions.parse(spec);
            Table table = tables.require(call.account(), call.region(), e.getKey());
            List<PrimaryKey> keys = new ArrayList<>();
            Set<PrimaryKey> seen = new HashSet<>();
            for (Object k : spec.list("Keys")) {
                PrimaryKey key = table.schema().keyOf(AttributeValues.fromWire(castMap(k)));
                if (!seen.add(key)) {
                    throw Errors.validation("Provided list of item keys contains duplicates");
                }
                keys.add(key);
            }
            total += keys.size();
            requests.add(new GetRequest(table, keys, expressions, spec.bool("ConsistentRead", false), spec));
        }
        if (total > MAX_GETS) {
            throw Errors.validation("Too many items requested for the BatchGetItem call");
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> unprocessed = new LinkedHashMap<>();
        List<Object> consumed = new ArrayList<>();
        long bytes = 0;
        for (GetRequest r : requests) {
            List<Object> items = new ArrayList<>();
            List<Object> left = new ArrayList<>();
            double units = 0;
            for (PrimaryKey key : r.keys()) {
                if (bytes >= MAX_GET_BYTES) {
                    left.add(AttributeValues.toWire(key.asItem(r.table().schema())));
                    continue;
                }
                Item item = r.table().get(key);
                units += Capacity.readUnits(item == null ? 0 : item.size(), r.consistent());
                if (item != null) {
                    var projection = r.expressions().projection();
                    Map<String, AttributeValue> attributes = projection == null ? item.attributes() : projection.apply(item.attributes());
                    long size = projection == null ? item.size() : AttributeValues.itemSize(attributes);
                    if (bytes + size > MAX_GET_BYTES) {
                        bytes = MAX_GET_BYTES;
                        left.add(AttributeValues.toWire(key.asItem(r.table().schema())));
                        continue;
                    }
                    bytes += size;
                    items.add(AttributeValues.toWire(attributes));
                }
            }
            responses.put(r.table().name(), items);
            if (!left.isEmpty()) {
                Struct again = new Struct();
                r.spec().names().forEach(n -> again.put(n, r.spec().get(n)));
                unprocessed.put(r.table().name(), again.put("Keys", left));
            }
            Struct report = new Capacity(r.table().name(), true).addTable(units).report(in.string("ReturnConsumedCapacity"));
            if (report != null) {
                consumed.add(report);
            }
        }
        return Struct.of("Responses", responses, "UnprocessedKeys", unprocessed,
                "ConsumedCapacity", consumed.isEmpty() ? null : consumed);
    }

    private record WriteRequest(Table table, PrimaryKey key, Item item) {
    }

    Struct write(Call call, Struct in) {
        Map<String, Object> requestItems = in.map("RequestItems");
        List<WriteRequest> writes = new ArrayList<>();
        for (Map.Entry<String, Object> e : requestItems.entrySet()) {
            Table table = tables.require(call.account(), call.region(), e.getKey());
            Set<PrimaryKey> seen = new HashSet<>();
            for (Object o : (List<?>) e.getValue()) {
                Struct request = (Struct) o;
                Struct put = request.struct("PutRequest");
                Struct delete = request.struct("DeleteRequest");
                if (put == null && delete == null) {
                    throw Errors.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                }
                if (put != null && delete != null) {
                    throw Errors.validation("Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest");
                }
                WriteRequest w;
                if (put != null) {
                    Item item = ItemWrites.newItem(table, put.map("Item"));
                    w = new WriteRequest(table, table.schema().keyOfItem(item.attributes()), item);
                } else {
                    w = new WriteRequest(table, table.schema().keyOf(AttributeValues.fromWire(delete.map("Key"))), null);
                }
                if (!seen.add(w.key())) {
                    throw Errors.validation("Provided list of item keys contains duplicates");
                }
                writes.add(w);
            }
        }
        if (writes.size() > MAX_WRITES) {
            throw Errors.validation("Too many items requested for the BatchWriteItem call");
        }
        Map<String, Capacity> capacity = new LinkedHashMap<>();
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (WriteRequest w : writes) {
            Table.Change change = w.table().write(w.key(), current -> w.item(), null);
            Struct m = Responses.itemCollectionMetrics(in, w.table(), w.key());
            if (m != null) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) metrics.computeIfAbsent(w.table().name(), n -> new ArrayList<>());
                list.add(m);
            }
            long size = Math.max(change.before() == null ? 0 : change.before().size(), w.item() == null ? 0 : w.item().size());
            capacity.computeIfAbsent(w.table().name(), n -> new Capacity(n, false))
                    .addTable(Capacity.writeUnits(size)).addIndexWrites(w.table(), change, 1);
        }
        List<Object> consumed = new ArrayList<>();
        for (Capacity c : capacity.values()) {
            Struct report = c.report(in.string("ReturnConsumedCapacity"));
            if (report != null) {
                consumed.add(report);
            }
        }
        return Struct.of("UnprocessedItems", new LinkedHashMap<String, Object>(),
                "ConsumedCapacity", consumed.isEmpty() ? null : consumed, "ItemCollectionMetrics", metrics.isEmpty() ? null : metrics);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) { return (Map<String, Object>) o; }
}
