package dev.terrarium.services.dynamodb;

import java.util.Map;

/** A table's or an index's key: partition (HASH) attribute and optional sort (RANGE) attribute, with their types. */
public record KeySchema(String hashName, String hashType, String rangeName, String rangeType) {
    private static final int MAX_HASH_BYTES = 2048;
    private static final int MAX_RANGE_BYTES = 1024;

    public boolean hasRange() { return rangeName != null; }

    public boolean isKeyAttribute(String name) { return name.equals(hashName) || name.equals(rangeName); }

    public String typeOf(String name) {
        return name.equals(hashName) ? hashType : name.equals(rangeName) ? rangeType : null;
    }

    /** The key given as a request's Key parameter, which must be exactly this schema's attributes. */
    public PrimaryKey keyOf(Map<String, AttributeValue> key) {
        if (key == null || key.size() != (hasRange() ? 2 : 1)) {
            throw Errors.keyMismatch();
        }
        AttributeValue h = key.get(hashName);
        AttributeValue r = hasRange() ? key.get(rangeName) : null;
        if (h == null || !h.type().equals(hashType) || (hasRange() && (r == null || !r.type().equals(rangeType)))) {
            throw Errors.keyMismatch();
        }
        checkValue(hashName, h, true);
        if (r != null) {
            checkValue(rangeName, r, false);
        }
        return new PrimaryKey(h, r);
    }

    /** The key of a whole item being written; every key attribute must be there with its type. */
    public PrimaryKey keyOfItem(Map<String, AttributeValue> item) {
        AttributeValue h = itemKeyValue(item, hashName, hashType);
        AttributeValue r = hasRange() ? itemKeyValue(item, rangeName, rangeType) : null;
        checkValue(hashName, h, true);
        if (r != null) {
            checkValue(rangeName, r, false);
        }
        return new PrimaryKey(h, r);
    }

    /** The key of an item in an index, or null when the item lacks an index key attribute (it is not in the index). */
    public PrimaryKey indexKeyOf(Map<String, AttributeValue> item) {
        AttributeValue h = item.get(hashName);
        if (h == null || !h.type().equals(hashType)) {
            return null;
        }
        AttributeValue r = null;
        if (hasRange()) {
            r = item.get(rangeName);
            if (r == null || !r.type().equals(rangeType)) {
                return null;
            }
        }
        return new PrimaryKey(h, r);
    }

    private static AttributeValue itemKeyValue(Map<String, AttributeValue> item, String name, String type) {
        AttributeValue v = item.get(name);
        if (v == null) {
            throw Errors.invalidParameter("Missing the key " + name + " in the item");
        }
        if (!v.type().equals(type)) {
            throw Errors.invalidParameter("Type mismatch for key " + name + " expected: " + type + " actual: " + v.type());
        }
        return v;
    }

    private static void checkValue(String name, AttributeValue v, boolean hash) {
        int size = v.size();
        if (size == 0 && !(v instanceof AttributeValue.N)) {
            throw Errors.validation("One or more parameter values are not valid. The AttributeValue for a key attribute "
                    + "cannot contain an empty " + (v instanceof AttributeValue.S ? "string" : "binary") + " value. Key: " + name);
        }
        if (hash && size > MAX_HASH_BYTES) {
            throw Errors.invalidParameter("Size of hashkey has exceeded the maximum size limit of2048 bytes");
        }
        if (!hash && size > MAX_RANGE_BYTES) {
            throw Errors.invalidParameter("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
        }
    }
}
