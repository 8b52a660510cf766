package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads and checks the key schemas, attribute definitions, indexes and billing of CreateTable and UpdateTable. */
final class TableDefinitions {
    private TableDefinitions() {
    }

    /** A key schema ([HASH] or [HASH, RANGE]) with the types its attribute definitions give. */
    static KeySchema keySchema(List<Struct> elements, List<Struct> definitions, String where) {
        if (elements.isEmpty() || elements.size() > 2) {
            throw Errors.validation("1 validation error detected: Value '" + elements + "' at '" + where
                    + "' failed to satisfy constraint: Member must have length less than or equal to 2");
        }
        Struct first = elements.get(0);
        if (!"HASH".equals(first.string("KeyType"))) {
            throw Errors.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        String hash = first.string("AttributeName");
        String range = null;
        if (elements.size() == 2) {
            Struct second = elements.get(1);
            if (!"RANGE".equals(second.string("KeyType"))) {
                throw Errors.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
            range = second.string("AttributeName");
            if (range.equals(hash)) {
                throw Errors.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
            }
        }
        return new KeySchema(hash, typeOf(hash, definitions), range, range == null ? null : typeOf(range, definitions));
    }

    private static String typeOf(String attribute, List<Struct> definitions) {
        for (Struct d : definitions) {
            if (attribute.equals(d.string("AttributeName"))) {
                return d.string("AttributeType");
            }
        }
        return null;
    }

    /** Every key attribute (table and indexes) defined, and nothing else defined. */
    static void checkDefinitions(List<Struct> definitions, List<KeySchema> schemas) {
        Set<String> defined = new LinkedHashSet<>();
        for (Struct d : definitions) {
            if (!defined.add(d.string("AttributeName"))) {
                throw Errors.validation("Attribute Name is duplicated: " + d.string("AttributeName"));
            }
        }
        Set<String> used = new LinkedHashSet<>();
        for (KeySchema k : schemas) {
            used.add(k.hashName());
            if (k.hasRange()) {
                used.add(k.rangeName());
            }
        }
        Set<String> missing = new LinkedHashSet<>(used);
        missing.removeAll(defined);
        if (!missing.isEmpty()) {
            throw Errors.invalidParameter("Some index key attributes are not defined in AttributeDefinitions. Keys: "
                    + new ArrayList<>(used) + ", AttributeDefinitions: " + new ArrayList<>(defined));
        }
        if (!used.containsAll(defined)) {
            throw Errors.invalidParameter("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
    }

    static void checkBilling(String billingMode, Struct throughput) {
        if ("PAY_PER_REQUEST".equals(billingMode)) {
            if (throughput != null) {
                throw Errors.invalidParameter("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
        } else if (throughput == null) {
            throw Errors.invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
    }

    static void checkProjection(Struct projection, String index) {
        if (projection == null) {
            return;
        }
        String type = projection.string("ProjectionType");
        List<String> nonKey = projection.strings("NonKeyAttributes");
        if (nonKey != null && !nonKey.isEmpty() && !"INCLUDE".equals(type)) {
            throw Errors.invalidParameter("ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }
        if ("INCLUDE".equals(type) && (nonKey == null || nonKey.isEmpty())) {
            throw Errors.invalidParameter("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        }
        if (nonKey != null) {
            Set<String> seen = new HashSet<>();
            for (String a : nonKey) {
                if (!seen.add(a)) {
                    throw Errors.invalidParameter("Duplicate element in NonKeyAttributes: " + a);
                }
            }
        }
    }
}
