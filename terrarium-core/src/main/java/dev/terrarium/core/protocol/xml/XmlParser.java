package dev.terrarium.core.protocol.xml;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Parses a request body into {@link XmlNode}s with the JDK's StAX parser, safely: no DTDs, no
 * external or internal entities (XXE and "billion laughs" are rejected, not expanded), and a bound
 * on nesting depth and element count.
 */
public final class XmlParser {
    /** Thrown for any body that is not well-formed or breaks a limit; codecs map it to their AWS error. */
    public static final class MalformedXmlException extends Exception {
        public MalformedXmlException(String message) {
            super(message, null, false, false);
        }
    }

    public static final int MAX_DEPTH = 64;
    public static final int MAX_ELEMENTS = 200_000;

    private static final XMLInputFactory FACTORY = newFactory();

    private XmlParser() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** The document's root element. An empty body is malformed: callers decide beforehand whether one is allowed. */
    public static XmlNode parse(byte[] body) throws MalformedXmlException {
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            Deque<XmlNode> stack = new ArrayDeque<>();
            XmlNode root = null;
            int elements = 0;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD ->
                            throw new MalformedXmlException("DOCTYPE is not allowed");
                    case XMLStreamConstants.ENTITY_REFERENCE ->
                            throw new MalformedXmlException("entity reference &" + r.getLocalName() + "; is not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > MAX_ELEMENTS) {
                            throw new MalformedXmlException("too many elements");
                        }
                        if (stack.size() >= MAX_DEPTH) {
                            throw new MalformedXmlException("elements nested deeper than " + MAX_DEPTH);
                        }
                        XmlNode node = new XmlNode(r.getLocalName());
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String prefix = r.getAttributePrefix(i);
                            String local = r.getAttributeLocalName(i);
                            node.addAttribute(prefix == null || prefix.isEmpty() ? local : prefix + ":" + local,
                                    r.getAttributeValue(i));
                        }
                        if (stack.isEmpty()) {
                            if (root != null) {
                                throw new MalformedXmlException("more than one root element");
                            }
                            root = node;
                        } else {
                            stack.peek().addChild(node);
                        }
                        stack.push(node);
                    }
                    case XMLStreamConstants.END_ELEMENT -> stack.pop();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!stack.isEmpty()) {
                            stack.peek().appendText(r.getText());
                        } else if (!r.isWhiteSpace()) {
                            throw new MalformedXmlException("text outside the root element");
                        }
                    }
                    default -> {
                        // comments, processing instructions, the prolog: nothing to keep
                    }
                }
            }
            if (root == null) {
                throw new MalformedXmlException("no root element");
            }
            return root;
        } catch (XMLStreamException | RuntimeException e) {
            // the JDK parser reports some malformed input (bad encodings, undeclared entities) as runtime errors
            throw new MalformedXmlException(firstLine(e.getMessage()));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed XML";
        }
        int nl = message.lastIndexOf("Message: ");
        String m = nl >= 0 ? message.substring(nl + 9) : message;
        int end = m.indexOf('\n');
        return end < 0 ? m : m.substring(0, end);
    }
}
