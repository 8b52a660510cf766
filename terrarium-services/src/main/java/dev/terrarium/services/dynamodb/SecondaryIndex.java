package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A local or global secondary index: its key, its projection and its own sorted copy of projected items. */
public final class SecondaryIndex {
    private final String name;
    private final boolean global;
    private final KeySchema schema;
    private final Struct projection;
    private final String projectionType;
    private final List<String> nonKeyAttributes;
    private final SortedItems items = new SortedItems(true);
    private volatile Struct provisionedThroughput;

    public SecondaryIndex(String name, boolean global, KeySchema schema, Struct projection, Struct provisionedThroughput) {
        this.name = name;
        this.global = global;
        this.schema = schema;
        this.projection = projection;
        this.projectionType = projection.string("ProjectionType", "ALL");
        this.nonKeyAttributes = projection.strings("NonKeyAttributes") == null ? List.of() : projection.strings("NonKeyAttributes");
        this.provisionedThroughput = provisionedThroughput;
    }

    public String name() { return name; }
    public boolean global() { return global; }
    public KeySchema schema() { return schema; }
    public Struct projection() { return projection; }
    public String projectionType() { return projectionType; }
    public SortedItems items() { return items; }
    public Struct provisionedThroughput() { return provisionedThroughput; }
    public void provisionedThroughput(Struct t) { this.provisionedThroughput = t; }

    /** True when the attribute is stored in the index (keys of index and table always are). */
    public boolean projects(String attribute, KeySchema table) {
        return "ALL".equals(projectionType) || schema.isKeyAttribute(attribute) || table.isKeyAttribute(attribute)
                || ("INCLUDE".equals(projectionType) && nonKeyAttributes.contains(attribute));
    }

    /** Keeps the index in step with one item's change (either side may be null). */
    public void update(KeySchema table, PrimaryKey tableKey, Item before, Item after) {
        PrimaryKey oldKey = before == null ? null : schema.indexKeyOf(before.attributes());
        PrimaryKey newKey = after == null ? null : schema.indexKeyOf(after.attributes());
        if (oldKey != null && !oldKey.equals(newKey)) {
            items.remove(oldKey, tableKey);
        }
        if (newKey != null) {
            items.put(newKey, tableKey, project(table, after));
        }
    }

    /** The entry this index holds for an item (the item itself when everything is projected). */
    Item project(KeySchema table, Item item) {
        if ("ALL".equals(projectionType)) {
            return item;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
            if (projects(e.getKey(), table)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return new Item(out, AttributeValues.itemSize(out));
    }

    /** Refuses an item whose attribute named like an index key has the wrong type or is empty. */
    public void check(Map<String, AttributeValue> item) {
        checkKeyAttribute(item, schema.hashName(), schema.hashType());
        if (schema.hasRange()) {
            checkKeyAttribute(item, schema.rangeName(), schema.rangeType());
        }
    }

    private void checkKeyAttribute(Map<String, AttributeValue> item, String attribute, String type) {
        AttributeValue v = item.get(attribute);
        if (v == null) {
            return;
        }
        if (!v.type().equals(type)) {
            throw Errors.invalidParameter("Type mismatch for Index Key " + attribute + " Expected: " + type
                    + " Actual: " + v.type() + " IndexName: " + name);
        }
        if (v.size() == 0 && !(v instanceof AttributeValue.N)) {
            throw Errors.validation("One or more parameter values are not valid. A value specified for a secondary index key "
                    + "is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: "
                    + name + ", IndexKey: " + attribute);
        }
    }
}
