package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.expressions.Path;
import dev.terrarium.services.dynamodb.expressions.Projection;
import dev.terrarium.services.dynamodb.expressions.UpdateExpression;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The item-changing logic of PutItem, UpdateItem and DeleteItem, also used by batches and transactions. */
final class ItemWrites {
    private ItemWrites() {
    }

    /** The new item for a PutItem: validated against the table's key schema and size limit. */
    static Item newItem(Table table, Map<String, Object> wireItem) {
        Map<String, AttributeValue> attributes = AttributeValues.fromWire(wireItem);
        table.schema().keyOfItem(attributes);
        for (SecondaryIndex index : table.indexes()) {
            index.check(attributes);
        }
        return Item.of(attributes);
    }

    /** The change of a PutItem: check the condition on the current item, then replace it. */
    static Function<Item, Item> put(Item item, RequestExpressions expressions, boolean returnOldOnFailure) {
        return current -> {
            checkCondition(expressions, current, returnOldOnFailure);
            return item;
        };
    }

    static Function<Item, Item> delete(RequestExpressions expressions, boolean returnOldOnFailure) {
        return current -> {
            checkCondition(expressions, current, returnOldOnFailure);
            return null;
        };
    }

    static Function<Item, Item> update(Table table, PrimaryKey key, RequestExpressions expressions, boolean returnOldOnFailure) {
        UpdateExpression update = expressions.update();
        if (update != null) {
            for (UpdateExpression.Action a : update.actions()) {
                if (table.schema().isKeyAttribute(a.path().top())) {
                    throw Errors.invalidParameter("Cannot update attribute " + a.path().top() + ". This attribute is part of the key");
                }
            }
        }
        return current -> {
            checkCondition(expressions, current, returnOldOnFailure);
            Map<String, AttributeValue> base = current != null ? current.attributes() : key.asItem(table.schema());
            if (update == null) {
                return current != null ? current : Item.of(new java.util.LinkedHashMap<>(base));
            }
            Map<String, AttributeValue> after = update.apply(base);
            for (SecondaryIndex index : table.indexes()) {
                index.check(after);
            }
            Item item = new Item(java.util.Collections.unmodifiableMap(after), AttributeValues.itemSize(after));
            if (item.size() > Item.MAX_SIZE) {
                throw Errors.validation("Item size to update has exceeded the maximum allowed size");
            }
            return item;
        };
    }

    static void checkCondition(RequestExpressions expressions, Item current, boolean returnOldOnFailure) {
        if (!expressions.conditionHolds(current)) {
            AwsException failed = Errors.conditionFailed();
            if (returnOldOnFailure && current != null) {
                failed = failed.withFields(Struct.of("Item", AttributeValues.toWire(current.attributes())));
            }
            throw failed;
        }
    }

    static boolean returnOldOnFailure(Struct in) {
        return "ALL_OLD".equals(in.string("ReturnValuesOnConditionCheckFailure"));
    }

    /** The Attributes member for ReturnValues (null when nothing is to be returned). */
    static Map<String, Object> returnValues(String mode, Table.Change change, UpdateExpression update) {
        if (mode == null || "NONE".equals(mode)) {
            return null;
        }
        Item chosen = switch (mode) {
            case "ALL_OLD", "UPDATED_OLD" -> change.before();
            default -> change.after();
        };
        if (chosen == null) {
            return null;
        }
        Map<String, AttributeValue> attributes = chosen.attributes();
        if (mode.startsWith("UPDATED_") && update != null) {
            List<Path> paths = update.actions().stream().map(UpdateExpression.Action::path).toList();
            attributes = new Projection(paths).apply(attributes);
        }
        return attributes.isEmpty() ? null : AttributeValues.toWire(attributes);
    }

    static void checkReturnValues(String mode, String... allowed) {
        if (mode != null && !List.of(allowed).contains(mode)) {
            throw Errors.validation("Return values set to invalid value");
        }
    }
}
