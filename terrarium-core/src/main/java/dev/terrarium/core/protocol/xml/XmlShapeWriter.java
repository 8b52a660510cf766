package dev.terrarium.core.protocol.xml;

import dev.terrarium.core.model.Location;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.service.Struct;

import java.util.Collection;
import java.util.Map;

/**
 * Writes values as XML by their shapes, as AWS's XML protocols (restXml, awsQuery, ec2Query) put
 * them on the wire: element names from locationName or the member name, wrapped lists ({@code <member>}
 * items unless the list member names them) or flattened ones, maps as entry/key/value (or flattened),
 * xmlAttribute members as attributes, xmlNamespace declarations, iso8601 timestamps by default,
 * base64 blobs and lower-case booleans. Stateless and thread-safe.
 */
public final class XmlShapeWriter {
    public static final XmlShapeWriter INSTANCE = new XmlShapeWriter();

    /**
     * {@code <name xmlns="namespaceUri">...members...</name>}; namespaceUri may be null. Attribute
     * members of the shape become attributes of this element.
     */
    public void writeStructure(StringBuilder out, String name, String namespaceUri, Shape shape, Struct value) {
        writeStructure(out, name, namespaceUri, null, shape, value);
    }

    /** The members of a structure as child elements only (for wrappers such as {@code <OpResult>}). */
    public void writeMembers(StringBuilder out, Shape shape, Struct value) {
        if (value == null) {
            return;
        }
        for (Member m : shape.members().values()) {
            if (m.location() != Location.BODY || m.xmlAttribute()) {
                continue;
            }
            Object v = value.get(m.name());
            if (v != null) {
                writeMember(out, m, v);
            }
        }
    }

    /** One structure member, as its element(s). */
    public void writeMember(StringBuilder out, Member m, Object value) {
        Shape shape = m.shape();
        if (shape.is(ShapeType.LIST) && m.flattened()) {
            String itemName = XmlNames.flattenedItemName(m);
            for (Object item : asCollection(value)) {
                if (item != null) {
                    writeValue(out, itemName, XmlNames.namespaceUri(m), XmlNames.namespacePrefix(m),
                            shape.listMember(), item);
                }
            }
            return;
        }
        if (shape.is(ShapeType.MAP) && m.flattened()) {
            String name = XmlNames.elementName(m);
            for (Map.Entry<?, ?> e : asMap(value).entrySet()) {
                if (e.getValue() != null) {
                    openTag(out, name, XmlNames.namespaceUri(m), XmlNames.namespacePrefix(m));
                    out.append('>');
                    writeEntry(out, shape, e);
                    closeTag(out, name);
                }
            }
            return;
        }
        writeValue(out, XmlNames.elementName(m), XmlNames.namespaceUri(m), XmlNames.namespacePrefix(m), m, value);
    }

    /** A value of the member reference's target shape as element {@code name}. */
    private void writeValue(StringBuilder out, String name, String nsUri, String nsPrefix, Member ref, Object value) {
        Shape shape = ref.shape();
        switch (shape.type()) {
            case STRUCTURE -> writeStructure(out, name, nsUri, nsPrefix, shape, asStruct(value));
            case LIST -> {
                Collection<?> items = asCollection(value);
                openTag(out, name, nsUri, nsPrefix);
                if (items.isEmpty()) {
                    out.append("/>");
                    return;
                }
                out.append('>');
                Member item = shape.listMember();
                String itemName = XmlNames.listItemName(item);
                for (Object v : items) {
                    if (v != null) {
                        writeValue(out, itemName, XmlNames.namespaceUri(item), XmlNames.namespacePrefix(item), item, v);
                    }
                }
                closeTag(out, name);
            }
            case MAP -> {
                Map<?, ?> map = asMap(value);
                openTag(out, name, nsUri, nsPrefix);
                if (map.isEmpty()) {
                    out.append("/>");
                    return;
                }
                out.append('>');
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getValue() != null) {
                        out.append("<entry>");
                        writeEntry(out, shape, e);
                        out.append("</entry>");
                    }
                }
                closeTag(out, name);
            }
            default -> {
                openTag(out, name, nsUri, nsPrefix);
                out.append('>');
                escapeText(out, ScalarText.format(shape, value, ref.timestampFormat()));
                closeTag(out, name);
            }
        }
    }

    private void writeEntry(StringBuilder out, Shape mapShape, Map.Entry<?, ?> e) {
        Member key = mapShape.mapKey();
        Member val = mapShape.mapValue();
        writeValue(out, XmlNames.serializedName(key, "key"), null, null, key, String.valueOf(e.getKey()));
        writeValue(out, XmlNames.serializedName(val, "value"), XmlNames.namespaceUri(val),
                XmlNames.namespacePrefix(val), val, e.getValue());
    }

    private void writeStructure(StringBuilder out, String name, String nsUri, String nsPrefix, Shape shape,
                                Struct value) {
        openTag(out, name, nsUri != null ? nsUri : shape.xmlNamespaceUri(),
                nsUri != null ? nsPrefix : shape.xmlNamespacePrefix());
        for (Member m : shape.members().values()) {
            Object v = m.xmlAttribute() ? value.get(m.name()) : null;
            if (v != null) {
                out.append(' ').append(XmlNames.elementName(m)).append("=\"");
                escapeAttribute(out, ScalarText.format(m.shape(), v, m.timestampFormat()));
                out.append('"');
            }
        }
        int before = out.length();
        out.append('>');
        writeMembers(out, shape, value);
        if (out.length() == before + 1) {
            out.setLength(before);
            out.append("/>");
        } else {
            closeTag(out, name);
        }
    }

    private static void openTag(StringBuilder out, String name, String nsUri, String nsPrefix) {
        out.append('<').append(name);
        if (nsUri != null) {
            out.append(nsPrefix == null || nsPrefix.isEmpty() ? " xmlns" : " xmlns:" + nsPrefix).append("=\"");
            escapeAttribute(out, nsUri);
            out.append('"');
        }
    }

    private static void closeTag(StringBuilder out, String name) {
        out.append("</").append(name).append('>');
    }

    private static Struct asStruct(Object value) {
        if (value instanceof Struct s) {
            return s;
        }
        if (value instanceof Map<?, ?> m) {
            Struct s = new Struct();
            m.forEach((k, v) -> s.put(String.valueOf(k), v));
            return s;
        }
        throw new IllegalArgumentException("expected a structure value, got " + value.getClass().getSimpleName());
    }

    private static Collection<?> asCollection(Object value) {
        if (value instanceof Collection<?> c) {
            return c;
        }
        if (value instanceof Object[] a) {
            return java.util.Arrays.asList(a);
        }
        throw new IllegalArgumentException("expected a list value, got " + value.getClass().getSimpleName());
    }

    private static Map<?, ?> asMap(Object value) {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        if (value instanceof Struct s) {
            return s.asMap();
        }
        throw new IllegalArgumentException("expected a map value, got " + value.getClass().getSimpleName());
    }

    /** Escapes element text: the XML specials, CR (kept from line-end normalisation) and control characters. */
    public static void escapeText(StringBuilder out, String s) {
        escape(out, s, false, false);
    }

    /**
     * Escapes error message text, which often echoes the client's input: C0 control characters, which
     * XML 1.0 cannot carry even as references (SDK parsers reject the whole error), become U+FFFD.
     */
    public static void escapeMessage(StringBuilder out, String s) {
        escape(out, s, false, true);
    }

    /** Escapes an attribute value: as text, plus quotes, LF and TAB (which attribute normalisation would eat). */
    public static void escapeAttribute(StringBuilder out, String s) {
        escape(out, s, true, false);
    }

    private static void escape(StringBuilder out, String s, boolean attribute, boolean xml10Only) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\r' -> out.append("&#xD;");
                case '\n' -> out.append(attribute ? "&#xA;" : "\n");
                case '\t' -> out.append(attribute ? "&#x9;" : "\t");
                default -> {
                    if (c == 0 || c == '\uFFFE' || c == '\uFFFF' || (xml10Only && c < 0x20)) {
                        out.append('\uFFFD');
                    } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                        // AWS writes other control characters as character references (S3 keys do this)
                        out.append("&#x").append(Integer.toHexString(c).toUpperCase()).append(';');
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append('\uFFFD');
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
