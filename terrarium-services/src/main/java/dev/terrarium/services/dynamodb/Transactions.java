package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * TransactGetItems and TransactWriteItems: all items are locked (in one global order, so transactions never
 * deadlock), every condition is checked, and either all changes are stored or none, with the reasons in order.
 */
final class Transactions {
    private final Tables tables;
    private final TransactionTokens tokens;

    Transactions(Tables tables, TransactionTokens tokens) {
        this.tables = tables;
        this.tokens = tokens;
    }

    /** One action of a transaction: which item, and the change it makes (identity for a condition check). */
    record Action(Table table, PrimaryKey key, Function<Item, Item> change, boolean check, String returnValuesOnFailure,
                          RequestExpressions expressions) {
    }

    TransactionTokens tokens() { return tokens; }

    Struct write(Call call, Struct in) {
        List<Action> actions = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (Struct ti : in.structs("TransactItems")) {
            if (ti.size() != 1) {
                throw Errors.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            }
            Action a = action(call, ti);
            if (!targets.add(a.table().arn() + "|" + a.key())) {
                throw Errors.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(a);
        }
        checkAggregateSize(in.structs("TransactItems"), actions);
        String token = in.string("ClientRequestToken");
        int requestHash = in.structs("TransactItems").toString().hashCode();
        return tokens.run(call.account(), token, requestHash, () -> commit(actions, in));
    }

    private Action action(Call call, Struct ti) {
        String kind = ti.names().iterator().next();
        Struct spec = ti.struct(kind);
        RequestExpressions expressions = RequestExpressions.parse(spec);
        Table table = tables.require(call.account(), call.region(), spec.string("TableName"));
        String onFailure = spec.string("ReturnValuesOnConditionCheckFailure");
        switch (kind) {
            case "Put" -> {
                Item item = ItemWrites.newItem(table, spec.map("Item"));
                PrimaryKey key = table.schema().keyOfItem(item.attributes());
                return new Action(table, key, ItemWrites.put(item, expressions, false), false, onFailure, expressions);
            }
            case "Delete" -> {
                PrimaryKey key = table.schema().keyOf(AttributeValues.fromWire(spec.map("Key")));
                return new Action(table, key, ItemWrites.delete(expressions, false), false, onFailure, expressions);
            }
            case "Update" -> {
                PrimaryKey key = table.schema().keyOf(AttributeValues.fromWire(spec.map("Key")));
                return new Action(table, key, ItemWrites.update(table, key, expressions, false), false, onFailure, expressions);
            }
            default -> {
                if (spec.string("ConditionExpression") == null) {
                    throw Errors.validation("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' "
                            + "failed to satisfy constraint: Member must not be null");
                }
                PrimaryKey key = table.schema().keyOf(AttributeValues.fromWire(spec.map("Key")));
                return new Action(table, key, current -> {
                    ItemWrites.checkCondition(expressions, current, false);
                    return current;
                }, true, onFailure, expressions);
            }
        }
    }

    /** AWS refuses a transaction whose items (written items, or keys of the others) add up to more than 4 MB. */
    static final long MAX_TRANSACTION_BYTES = 4L * 1024 * 1024;

    private static void checkAggregateSize(List<Struct> items, List<Action> actions) {
        long total = 0;
        for (int i = 0; i < actions.size(); i++) {
            Struct put = items.get(i).struct("Put");
            Action a = actions.get(i);
            total += put != null ? AttributeValues.itemSize(AttributeValues.fromWire(put.map("Item")))
                    : AttributeValues.itemSize(a.key().asItem(a.table().schema()));
        }
        if (total > MAX_TRANSACTION_BYTES) {
            throw Errors.validation("Transaction request size has exceeded the maximum allowed size of 4 MB");
        }
    }

    Struct commit(List<Action> actions, Struct in) {
        List<Action> claimed = new ArrayList<>();
        List<Struct> conflicts = new ArrayList<>();
        boolean conflict = false;
        for (Action a : actions) {
            if (a.table().claim(a.key())) {
                claimed.add(a);
                conflicts.add(Struct.of("Code", "None"));
            } else {
                conflict = true;
                conflicts.add(Struct.of("Code", "TransactionConflict", "Message", Errors.TRANSACTION_ONGOING));
            }
        }
        try {
            if (conflict) {
                throw cancelledException(conflicts);
            }
            return commitClaimed(actions, in);
        } finally {
            claimed.forEach(a -> a.table().release(a.key()));
        }
    }

    private Struct commitClaimed(List<Action> actions, Struct in) {
        List<ReentrantLock> locks = locksInOrder(actions);
        List<Action> stored = new ArrayList<>();
        List<Item> storedItems = new ArrayList<>();
        locks.forEach(ReentrantLock::lock);
        try {
            List<Item> before = new ArrayList<>();
            List<Item> after = new ArrayList<>();
            List<Struct> reasons = new ArrayList<>();
            boolean cancelled = false;
            for (Action a : actions) {
                Item current = a.table().get(a.key());
                before.add(current);
                try {
                    after.add(a.change().apply(current));
                    reasons.add(Struct.of("Code", "None"));
                } catch (AwsException e) {
                    cancelled = true;
                    after.add(current);
                    reasons.add(reason(e, a, current));
                }
            }
            if (cancelled) {
                throw cancelledException(reasons);
            }
            Map<String, Capacity> capacity = new LinkedHashMap<>();
            for (int i = 0; i < actions.size(); i++) {
                Action a = actions.get(i);
                Item b = before.get(i);
                Item n = after.get(i);
                if (!a.check() && n != b) {
                    a.table().store(a.key(), b, n, null);
                    stored.add(a);
                    storedItems.add(n);
                }
                long size = Math.max(b == null ? 0 : b.size(), n == null ? 0 : n.size());
                Capacity c = capacity.computeIfAbsent(a.table().name(), t -> new Capacity(t, false));
                c.addTable(2 * Capacity.writeUnits(size));
                if (!a.check()) {
                    c.addIndexWrites(a.table(), new Table.Change(b, n), 2);
                }
            }
            List<Object> consumed = new ArrayList<>();
            for (Capacity c : capacity.values()) {
                Struct report = c.report(in.string("ReturnConsumedCapacity"));
                if (report != null) {
                    consumed.add(report);
                }
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (Action a : actions) {
                Struct m = a.check() ? null : Responses.itemCollectionMetrics(in, a.table(), a.key());
                if (m != null) {
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) metrics.computeIfAbsent(a.table().name(), n -> new ArrayList<>());
                    list.add(m);
                }
            }
            return Struct.of("ConsumedCapacity", consumed.isEmpty() ? null : consumed,
                    "ItemCollectionMetrics", metrics.isEmpty() ? null : metrics);
        } finally {
            for (int i = locks.size() - 1; i >= 0; i--) {
                locks.get(i).unlock();
            }
            for (int i = 0; i < stored.size(); i++) {
                Action a = stored.get(i);
                a.table().replicate(a.key(), storedItems.get(i));
            }
        }
    }

    private static Struct reason(AwsException e, Action a, Item current) {
        if ("ConditionalCheckFailedException".equals(e.code())) {
            Struct r = Struct.of("Code", "ConditionalCheckFailed", "Message", e.getMessage());
            if ("ALL_OLD".equals(a.returnValuesOnFailure()) && current != null) {
                r.put("Item", AttributeValues.toWire(current.attributes()));
            }
            return r;
        }
        if ("DuplicateItemException".equals(e.code())) {
            return Struct.of("Code", "DuplicateItem", "Message", e.getMessage());
        }
        return Struct.of("Code", "ValidationError", "Message", e.getMessage());
    }

    private static AwsException cancelledException(List<Struct> reasons) {
        List<String> codes = reasons.stream().map(r -> r.string("Code")).toList();
        return new AwsException("TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes)
                .withFields(Struct.of("CancellationReasons", new ArrayList<Object>(reasons)));
    }

    /** The lock stripes of all items, each once, in a global order (table ARN, stripe). */
    private static List<ReentrantLock> locksInOrder(List<Action> actions) {
        TreeMap<String, ReentrantLock> ordered = new TreeMap<>(Comparator.naturalOrder());
        for (Action a : actions) {
            int stripe = a.table().lockIndex(a.key());
            ordered.put(a.table().arn() + "#" + String.format("%04d", stripe), a.table().lock(stripe));
        }
        return new ArrayList<>(ordered.values());
    }

    Struct get(Call call, Struct in) {
        List<Struct> items = in.structs("TransactItems");
        record Get(Table table, PrimaryKey key, RequestExpressions expressions) {
        }
        List<Get> gets = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (Struct ti : items) {
            Struct spec = ti.struct("Get");
            RequestExpressions expressions = RequestExpressions.parse(spec);
            Table table = tables.require(call.account(), call.region(), spec.string("TableName"));
            PrimaryKey key = table.schema().keyOf(AttributeValues.fromWire(spec.map("Key")));
            if (!targets.add(table.arn() + "|" + key)) {
                throw Errors.validation("Transaction request cannot include multiple operations on one item");
            }
            gets.add(new Get(table, key, expressions));
        }
        if (gets.stream().anyMatch(g -> g.table().claimed(g.key()))) {
            throw cancelledException(gets.stream().map(g -> g.table().claimed(g.key())
                    ? Struct.of("Code", "TransactionConflict", "Message", Errors.TRANSACTION_ONGOING)
                    : Struct.of("Code", "None")).toList());
        }
        List<Object> responses = new ArrayList<>();
        Map<String, Capacity> capacity = new LinkedHashMap<>();
        for (Get g : gets) {
            Item item = g.table().get(g.key());
            responses.add(item == null ? Struct.empty() : Struct.of("Item", Responses.project(item, g.expressions().projection())));
            capacity.computeIfAbsent(g.table().name(), t -> new Capacity(t, true))
                    .addTable(2 * Capacity.readUnits(item == null ? 0 : item.size(), true));
        }
        List<Object> consumed = new ArrayList<>();
        for (Capacity c : capacity.values()) {
            Struct report = c.report(in.string("ReturnConsumedCapacity"));
            if (report != null) {
                consumed.add(report);
            }
        }
        return Struct.of("Responses", responses, "ConsumedCapacity", consumed.isEmpty() ? null : consumed);
    }
}
