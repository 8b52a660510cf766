package dev.terrarium.core.protocol.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed XML element: its local name, attributes (keyed "prefix:local" when prefixed, as a model's
 * locationName writes them, e.g. "xsi:type"), child elements in order and its text content.
 */
public final class XmlNode {
    private final String name;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<XmlNode> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlNode(String name) {
        this.name = name;
    }

    public String name() { return name; }
    public Map<String, String> attributes() { return Collections.unmodifiableMap(attributes); }
    public List<XmlNode> children() { return Collections.unmodifiableList(children); }
    public String text() { return text.toString(); }

    /** The first child element with this local name, or null. */
    public XmlNode child(String childName) {
        for (XmlNode c : children) {
            if (c.name.equals(childName)) {
                return c;
            }
        }
        return null;
    }

    /** All child elements with this local name, in document order. */
    public List<XmlNode> children(String childName) {
        List<XmlNode> out = new ArrayList<>();
        for (XmlNode c : children) {
            if (c.name.equals(childName)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The attribute as the model names it ("xsi:type"), falling back to its local part. */
    public String attribute(String qualifiedName) {
        String v = attributes.get(qualifiedName);
        if (v == null) {
            int colon = qualifiedName.indexOf(':');
            if (colon >= 0) {
                v = attributes.get(qualifiedName.substring(colon + 1));
            }
        }
        return v;
    }

    void addAttribute(String key, String value) { attributes.put(key, value); }
    void addChild(XmlNode child) { children.add(child); }
    void appendText(String s) { text.append(s); }

    @Override
    public String toString() { return "<" + name + ">"; }
}
