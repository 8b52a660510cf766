package dev.terrarium.services.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.expressions.Condition;
import dev.terrarium.services.dynamodb.expressions.Operand;
import dev.terrarium.services.dynamodb.expressions.Projection;
import dev.terrarium.services.dynamodb.partiql.PartiqlParser;
import dev.terrarium.services.dynamodb.partiql.Statement;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL statements run on the same tables and rules. */
final class Partiql {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Tables tables;
    private final Transactions transactions;

    Partiql(Tables tables, Transactions transactions) {
        this.tables = tables;
        this.transactions = transactions;
    }

    Struct execute(Call call, Struct in) {
        Statement s = parse(in);
        Table table = tables.require(call.account(), call.region(), s.table());
        if (s instanceof Statement.Select select) {
            return select(table, select, in);
        }
        Transactions.Action action = action(table, s, ItemWrites.returnOldOnFailure(in));
        Table.Change change = table.write(action.key(), action.change(), null);
        Struct out = new Struct();
        String returning = s instanceof Statement.Update u ? u.returning() : s instanceof Statement.Delete d ? d.returning() : null;
        if (returning != null) {
            Map<String, Object> attrs = ItemWrites.returnValues(returning, change,
                    s instanceof Statement.Update u ? u.changes() : null);
            if (attrs != null) {
                out.put("Items", List.of(attrs));
            }
        }
        return out;
    }

    Struct batch(Call call, Struct in) {
        List<Object> responses = new ArrayList<>();
        for (Struct st : in.structs("Statements")) {
            try {
                Statement s = parse(st);
                Table table = tables.require(call.account(), call.region(), s.table());
                if (s instanceof Statement.Select select) {
                    PrimaryKey key = fullKey(table, select.where()).key();
                    Item item = table.get(key);
                    Struct r = Struct.of("TableName", table.name());
                    if (item != null) {
                        r.put("Item", Responses.project(item, select.projection().isEmpty() ? null : new Projection(select.projection())));
                    }
                    responses.add(r);
                } else {
                    Transactions.Action a = action(table, s, ItemWrites.returnOldOnFailure(st));
                    table.write(a.key(), a.change(), null);
                    responses.add(Struct.of("TableName", table.name()));
                }
            } catch (AwsException e) {
                String code = e.code().endsWith("Exception") ? e.code().substring(0, e.code().length() - 9) : e.code();
                Struct error = Struct.of("Code", code.equals("Validation") ? "ValidationError" : code, "Message", e.getMessage());
                if (e.fields().has("Item")) {
                    error.put("Item", e.fields().get("Item"));
                }
                responses.add(Struct.of("Error", error));
            }
        }
        return Struct.of("Responses", responses);
    }

    Struct transaction(Call call, Struct in) {
        List<Struct> statements = in.structs("TransactStatements");
        List<Statement> parsed = new ArrayList<>();
        for (Struct st : statements) {
            parsed.add(parse(st));
        }
        boolean reads = parsed.stream().allMatch(s -> s instanceof Statement.Select);
        if (!reads && parsed.stream().anyMatch(s -> s instanceof Statement.Select)) {
            throw Errors.validation("Transaction must contain either all reads or all writes");
        }
        if (reads) {
            List<Object> responses = new ArrayList<>();
            for (Statement s : parsed) {
                Statement.Select select = (Statement.Select) s;
                Table table = tables.require(call.account(), call.region(), s.table());
                Item item = table.get(fullKey(table, select.where()).key());
                responses.add(item == null ? Struct.empty() : Struct.of("Item",
                        Responses.project(item, select.projection().isEmpty() ? null : new Projection(select.projection()))));
            }
            return Struct.of("Responses", responses);
        }
        List<Transactions.Action> actions = new ArrayList<>();
        java.util.Set<String> targets = new java.util.HashSet<>();
        for (int i = 0; i < parsed.size(); i++) {
            Statement s = parsed.get(i);
            Table table = tables.require(call.account(), call.region(), s.table());
            Transactions.Action a = action(table, s, ItemWrites.returnOldOnFailure(statements.get(i)));
            if (!targets.add(table.arn() + "|" + a.key())) {
                throw Errors.validation("Transaction request cannot include multiple operations on one item");
            }
            actions.add(a);
        }
        Struct result = transactions.tokens().run(call.account(), in.string("ClientRequestToken"), statements.toString().hashCode(),
                () -> transactions.commit(actions, in));
        return Struct.of("ConsumedCapacity", result.get("ConsumedCapacity"));
    }

    private static Statement parse(Struct in) {
        List<Object> wireParameters = in.list("Parameters");
        List<AttributeValue> parameters = new ArrayList<>();
        if (wireParameters != null) {
            for (Object p : wireParameters) {
                parameters.add(AttributeValues.fromWire(p));
            }
        }
        return PartiqlParser.parse(in.string("Statement"), parameters);
    }

    private Struct select(Table table, Statement.Select select, Struct in) {
        ItemReads.Source source = select.index() == null ? new ItemReads.Source(table, null)
                : new ItemReads.Source(table, requireIndex(table, select.index()));
        Map<String, AttributeValue> start = decodeToken(in.string("NextToken"));
        Integer limit = in.integer("Limit");
        AttributeValue hash = equalityOn(select.where(), source.schema().hashName());
        ItemReads.Page page = hash != null
                ? ItemReads.query(source, new KeyCondition(hash, null, null, null, true, true, null), true, limit, start, select.where())
                : ItemReads.scan(source, limit, start, select.where(), null, null);
        Projection projection = select.projection().isEmpty() ? null : new Projection(select.projection());
        List<Object> items = new ArrayList<>();
        for (Item item : page.items()) {
            items.add(Responses.project(item, projection));
        }
        Struct out = Struct.of("Items", items);
        if (page.lastKey() != null) {
            out.put("NextToken", encodeToken(page.lastKey())).put("LastEvaluatedKey", AttributeValues.toWire(page.lastKey()));
        }
        return out;
    }

    private static SecondaryIndex requireIndex(Table table, String name) {
        SecondaryIndex index = table.index(name);
        if (index == null) {
            throw Errors.validation("The table does not have the specified index: " + name);
        }
        return index;
    }

    /** The change a write statement makes, as a transaction action (also used for single statements). */
    private static Transactions.Action action(Table table, Statement s, boolean returnOld) {
        if (s instanceof Statement.Insert insert) {
            Item item = Item.of(new LinkedHashMap<>(insert.item()));
            table.schema().keyOfItem(item.attributes());
            for (SecondaryIndex index : table.indexes()) {
                index.check(item.attributes());
            }
            PrimaryKey key = table.schema().keyOfItem(item.attributes());
            Function<Item, Item> change = current -> {
                if (current != null) {
                    throw new AwsException("DuplicateItemException", "Duplicate primary key exists in table");
                }
                return item;
            };
            return new Transactions.Action(table, key, change, false, null, null);
        }
        if (s instanceof Statement.Update update) {
            KeyAndRest k = fullKey(table, update.where());
            for (var a : update.changes().actions()) {
                if (table.schema().isKeyAttribute(a.path().top())) {
                    throw Errors.invalidParameter("Cannot update attribute " + a.path().top() + ". This attribute is part of the key");
                }
            }
            Function<Item, Item> change = current -> {
                if (current == null || (k.rest() != null && !k.rest().test(current.attributes()))) {
                    throw conditionFailed(current, returnOld);
                }
                Map<String, AttributeValue> after = update.changes().apply(current.attributes());
                for (SecondaryIndex index : table.indexes()) {
                    index.check(after);
                }
                return Item.of(after);
            };
            return new Transactions.Action(table, k.key(), change, false, null, null);
        }
        Statement.Delete delete = (Statement.Delete) s;
        KeyAndRest k = fullKey(table, delete.where());
        Function<Item, Item> change = current -> {
            if (k.rest() != null && !k.rest().test(current == null ? null : current.attributes())) {
                throw conditionFailed(current, returnOld);
            }
            return null;
        };
        return new Transactions.Action(table, k.key(), change, false, null, null);
    }

    private static AwsException conditionFailed(Item current, boolean returnOld) {
        AwsException e = Errors.conditionFailed();
        return returnOld && current != null ? e.withFields(Struct.of("Item", AttributeValues.toWire(current.attributes()))) : e;
    }

    private record KeyAndRest(PrimaryKey key, Condition rest) {
    }

    /** The item key the WHERE clause names by equality on every key attribute, and the other conditions. */
    private static KeyAndRest fullKey(Table table, Condition where) {
        KeySchema schema = table.schema();
        AttributeValue hash = equalityOn(where, schema.hashName());
        AttributeValue range = schema.hasRange() ? equalityOn(where, schema.rangeName()) : null;
        if (hash == null || (schema.hasRange() && range == null)) {
            throw Errors.validation("Where clause does not contain a mandatory equality on all key attributes");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(schema.hashName(), hash);
        if (range != null) {
            key.put(schema.rangeName(), range);
        }
        return new KeyAndRest(schema.keyOf(key), where);
    }

    /** The value a top-level AND chain compares attribute with by equality, or null. */
    private static AttributeValue equalityOn(Condition c, String attribute) {
        if (c instanceof Condition.And and) {
            AttributeValue v = equalityOn(and.left(), attribute);
            return v != null ? v : equalityOn(and.right(), attribute);
        }
        if (c instanceof Condition.Compare cmp && cmp.op() == Condition.Comparator.EQ
                && cmp.left() instanceof Operand.PathOperand p && p.path().depth() == 1 && p.path().top().equals(attribute)
                && cmp.right() instanceof Operand.Literal l) {
            return l.value();
        }
        return null;
    }

    private static String encodeToken(Map<String, AttributeValue> key) {
        Map<String, String[]> plain = new LinkedHashMap<>();
        key.forEach((k, v) -> plain.put(k, new String[]{v.type(), v instanceof AttributeValue.S s ? s.value()
                : v instanceof AttributeValue.N n ? n.text() : Base64.getEncoder().encodeToString(((AttributeValue.B) v).value())}));
        try {
            return Pagination.encode(JSON.writeValueAsString(plain));
        } catch (Exception e) {
            throw AwsException.internal("cannot encode NextToken");
        }
    }

    private static Map<String, AttributeValue> decodeToken(String token) {
        if (token == null) {
            return null;
        }
        String json = Pagination.decode(token);
        if (json == null) {
            throw Errors.validation("Invalid NextToken");
        }
        try {
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            JSON.readTree(json).fields().forEachRemaining(e -> {
                String type = e.getValue().get(0).asText();
                String text = e.getValue().get(1).asText();
                key.put(e.getKey(), switch (type) {
                    case "S" -> new AttributeValue.S(text);
                    case "N" -> Numbers.parse(text);
                    default -> new AttributeValue.B(Base64.getDecoder().decode(text));
                });
            });
            return key;
        } catch (Exception e) {
            throw Errors.validation("Invalid NextToken");
        }
    }
}
