package dev.terrarium.services.dynamodb;

import java.util.Collections;
import java.util.Map;

/** A stored item: its attributes (never modified once stored) and their size as AWS counts it. */
public record Item(Map<String, AttributeValue> attributes, int size) {
    public static final int MAX_SIZE = 400 * 1024;

    public static Item of(Map<String, AttributeValue> attributes) {
        int size = AttributeValues.itemSize(attributes);
        if (size > MAX_SIZE) {
            throw Errors.itemTooLarge();
        }
        return new Item(Collections.unmodifiableMap(attributes), size);
    }

    public AttributeValue get(String name) { return attributes.get(name); }
}
