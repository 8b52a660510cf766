package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;
import dev.terrarium.services.dynamodb.expressions.Projection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The read side's output: projections, Select, pages of Query and Scan, item collection metrics. */
final class Responses {
    private Responses() {
    }

    static Map<String, Object> project(Item item, Projection projection) {
        return AttributeValues.toWire(projection == null ? item.attributes() : projection.apply(item.attributes()));
    }

    static ItemReads.Source source(Table table, Struct in) {
        String indexName = in.string("IndexName");
        if (indexName == null) {
            return new ItemReads.Source(table, null);
        }
        SecondaryIndex index = table.index(indexName);
        if (index == null) {
            throw Errors.validation("The table does not have the specified index: " + indexName);
        }
        if (index.global() && in.bool("ConsistentRead", false)) {
            throw Errors.validation("Consistent reads are not supported on global secondary indexes");
        }
        return new ItemReads.Source(table, index);
    }

    static void checkSegments(Integer segment, Integer total) {
        if (segment != null && total == null) {
            throw Errors.validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }
        if (total != null && segment == null) {
            throw Errors.validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        }
        if (segment != null && segment >= total) {
            throw Errors.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                    + segment + " is not less than TotalSegments: " + total);
        }
    }

    /** Items (or only counts) of a page, with Select's rules on indexes and projections. */
    static Struct page(Struct in, ItemReads.Source source, ItemReads.Page page, Projection projection) {
        String select = select(in, source, projection);
        Struct out = new Struct();
        if (!"COUNT".equals(select)) {
            boolean fromTable = source.index() != null && !source.index().global() && needsTable(source, select, projection);
            List<Object> items = new ArrayList<>(page.items().size());
            for (Item item : page.items()) {
                Item full = fromTable ? source.table().get(source.table().schema().keyOfItem(item.attributes())) : item;
                items.add(project(full == null ? item : full, projection));
            }
            out.put("Items", items);
        }
        out.put("Count", page.items().size()).put("ScannedCount", page.scanned());
        if (page.lastKey() != null) {
            out.put("LastEvaluatedKey", AttributeValues.toWire(page.lastKey()));
        }
        Capacity capacity = new Capacity(source.table().name(), true);
        double units = Capacity.readUnits(page.bytes(), in.bool("ConsistentRead", false));
        if (source.index() == null) {
            capacity.addTable(units);
        } else {
            capacity.addIndex(source.index(), units);
        }
        out.put("ConsumedCapacity", capacity.report(in.string("ReturnConsumedCapacity")));
        return out;
    }

    private static String select(Struct in, ItemReads.Source source, Projection projection) {
        String select = in.string("Select");
        if (select == null) {
            return projection != null ? "SPECIFIC_ATTRIBUTES" : source.index() != null ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
        }
        if (projection != null && !"SPECIFIC_ATTRIBUTES".equals(select)) {
            String member = in.has("AttributesToGet") ? "AttributesToGet" : "ProjectionExpression";
            throw Errors.validation("Cannot specify the " + member + " when choosing to get " + select.replace("COUNT", "only the Count"));
        }
        if ("SPECIFIC_ATTRIBUTES".equals(select) && projection == null) {
            throw Errors.validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        }
        if ("ALL_PROJECTED_ATTRIBUTES".equals(select) && source.index() == null) {
            throw Errors.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        SecondaryIndex index = source.index();
        if ("ALL_ATTRIBUTES".equals(select) && index != null && index.global() && !"ALL".equals(index.projectionType())) {
            throw Errors.invalidParameter("Select type ALL_ATTRIBUTES is not supported for global secondary index "
                    + index.name() + " because its projection type is not ALL");
        }
        return select;
    }

    /** An LSI read fetches from the table what the index does not hold. */
    private static boolean needsTable(ItemReads.Source source, String select, Projection projection) {
        if ("ALL".equals(source.index().projectionType())) {
            return false;
        }
        if ("ALL_ATTRIBUTES".equals(select)) {
            return true;
        }
        if (projection != null) {
            for (String a : projection.topAttributes()) {
                if (!source.index().projects(a, source.table().schema())) {
                    return true;
                }
            }
        }
        return false;
    }

    static Struct itemCollectionMetrics(Struct in, Table table, PrimaryKey key) {
        if (!"SIZE".equals(in.string("ReturnItemCollectionMetrics"))) {
            return null;
        }
        boolean hasLocalIndex = table.indexes().stream().anyMatch(i -> !i.global());
        if (!hasLocalIndex) {
            return null;
        }
        return Struct.of("ItemCollectionKey", AttributeValues.toWire(Map.of(table.schema().hashName(), key.hash())),
                "SizeEstimateRangeGB", List.of(0.0, 1.0));
    }
}
