package dev.terrarium.core.protocol.xml;

import dev.terrarium.core.model.Location;
import dev.terrarium.core.model.Member;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.model.ShapeType;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads XML (as the SDKs' restXml serializers write it) into Struct values by shape. Unknown
 * elements are ignored; a value that does not fit its shape (text for an integer, a number out of
 * range, bad base64) and XML that is not well-formed both become the codec's error, made by
 * {@code malformed} from a message.
 */
public final class XmlShapeReader {
    private final Function<String, AwsException> malformed;

    /** malformed: message -> the protocol's error (restXml: MalformedXML, 400). */
    public XmlShapeReader(Function<String, AwsException> malformed) {
        this.malformed = malformed;
    }

    /** The restXml default: S3's MalformedXML, 400. */
    public static XmlShapeReader restXml() {
        return new XmlShapeReader(msg -> new AwsException("MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema", 400));
    }

    /** The error this reader raises for malformed XML. */
    public AwsException parseError() {
        return malformed.apply("malformed XML");
    }

    /** Parses a body into its root element (XXE-safe); malformed XML is the codec's error. */
    public XmlNode parse(byte[] body) {
        try {
            return XmlParser.parse(body);
        } catch (XmlParser.MalformedXmlException e) {
            throw malformed.apply(e.getMessage());
        }
    }

    /** The structure whose element is {@code element}: its attribute members and child elements. */
    public Struct readStructure(Shape shape, XmlNode element) {
        Struct out = new Struct();
        for (Member m : shape.members().values()) {
            if (m.location() != Location.BODY) {
                continue;
            }
            Object v = readMember(m, element);
            if (v != null) {
                out.put(m.name(), v);
            }
        }
        return out;
    }

    /** A structure member out of its parent element, or null when absent. */
    public Object readMember(Member m, XmlNode parent) {
        if (m.xmlAttribute()) {
            String text = parent.attribute(XmlNames.elementName(m));
            return text == null ? null : scalar(m, text);
        }
        Shape shape = m.shape();
        if (shape.is(ShapeType.LIST) && m.flattened()) {
            List<XmlNode> items = parent.children(XmlNames.flattenedItemName(m));
            if (items.isEmpty()) {
                // botocore's serializer repeats the structure member's own name
                items = parent.children(XmlNames.elementName(m));
            }
            if (items.isEmpty()) {
                return null;
            }
            List<Object> list = new ArrayList<>(items.size());
            for (XmlNode item : items) {
                list.add(readValue(shape.listMember(), item));
            }
            return list;
        }
        if (shape.is(ShapeType.MAP) && m.flattened()) {
            List<XmlNode> entries = parent.children(XmlNames.elementName(m));
            if (entries.isEmpty()) {
                return null;
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (XmlNode entry : entries) {
                readEntry(shape, entry, map);
            }
            return map;
        }
        XmlNode child = parent.child(XmlNames.elementName(m));
        return child == null ? null : readValue(m, child);
    }

    /** The value of a member reference's target shape from its element. */
    public Object readValue(Member ref, XmlNode node) {
        Shape shape = ref.shape();
        switch (shape.type()) {
            case STRUCTURE:
                return readStructure(shape, node);
            case LIST: {
                List<Object> list = new ArrayList<>();
                Member item = shape.listMember();
                for (XmlNode child : node.children(XmlNames.listItemName(item))) {
                    list.add(readValue(item, child));
                }
                return list;
            }
            case MAP: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (XmlNode entry : node.children("entry")) {
                    readEntry(shape, entry, map);
                }
                return map;
            }
            default:
                return scalar(ref, node.text());
        }
    }

    private void readEntry(Shape mapShape, XmlNode entry, Map<String, Object> into) {
        Member key = mapShape.mapKey();
        Member value = mapShape.mapValue();
        XmlNode k = entry.child(XmlNames.serializedName(key, "key"));
        XmlNode v = entry.child(XmlNames.serializedName(value, "value"));
        if (k == null) {
            throw malformed.apply("map entry without a key in <" + entry.name() + ">");
        }
        if (v != null) {
            into.put(k.text(), readValue(value, v));
        }
    }

    private Object scalar(Member ref, String text) {
        try {
            return ScalarText.parse(ref.shape(), text);
        } catch (ScalarText.BadValueException e) {
            throw malformed.apply("invalid value for " + ref.name() + ": " + e.getMessage());
        }
    }
}
