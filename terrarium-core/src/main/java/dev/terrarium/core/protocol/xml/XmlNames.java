package dev.terrarium.core.protocol.xml;

import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.ShapeType;

/**
 * Element names the XML protocols use for a member, following botocore: a member reference's
 * xmlName (query/XML-only names from an overlay) or locationName, else its target shape's
 * locationName, else the member name. The query protocols name their parameters the same way.
 */
public final class XmlNames {
    private XmlNames() {
    }

    /** The serialized name of a member (botocore's shape.serialization['name']), or the default. */
    public static String serializedName(Member m, String defaultName) {
        if (m.xmlName() != null) {
            return m.xmlName();
        }
        if (m.locationName() != null) {
            return m.locationName();
        }
        if (m.shape().locationName() != null) {
            return m.shape().locationName();
        }
        return defaultName;
    }

    /** The element name of a structure member. */
    public static String elementName(Member m) {
        return serializedName(m, m.name());
    }

    /**
     * The element name under which the items of a flattened list member repeat: the list member's own
     * name when it has one (what botocore's parser looks for), else the structure member's name.
     */
    public static String flattenedItemName(Member m) {
        if (m.shape().is(ShapeType.LIST) && m.flattened()) {
            Member item = m.shape().listMember();
            String itemName = serializedName(item, null);
            if (itemName != null) {
                return itemName;
            }
        }
        return elementName(m);
    }

    /** The element of each item of a wrapped list: its locationName or "member". */
    public static String listItemName(Member listMember) {
        return serializedName(listMember, "member");
    }

    /** xmlNamespace of a member reference, else of its target shape, or null. */
    public static String namespaceUri(Member m) {
        return m.xmlNamespaceUri() != null ? m.xmlNamespaceUri() : m.shape().xmlNamespaceUri();
    }

    public static String namespacePrefix(Member m) {
        return m.xmlNamespaceUri() != null ? m.xmlNamespacePrefix() : m.shape().xmlNamespacePrefix();
    }
}
