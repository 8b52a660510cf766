package dev.terrarium.core.robustness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.util.Locale;

/**
 * An error answer parsed the way an SDK parses it, per wire format: the code, the message and which
 * shape it came in. Anything that does not parse, or has no code, fails the test.
 */
record ErrorBody(Wire wire, String code, String message) {

    /** The error shapes AWS's protocols use. */
    enum Wire {
        /** awsJson 1.0/1.1: {"__type": ..., "message": ...}, application/x-amz-json-1.x. */
        AWS_JSON,
        /** restJson1: a JSON object, the code in x-amzn-ErrorType. */
        REST_JSON,
        /** S3: {@code <Error><Code>}. */
        S3_XML,
        /** awsQuery and restXml other than S3: {@code <ErrorResponse><Error><Code>}. */
        QUERY_XML,
        /** ec2Query: {@code <Response><Errors><Error><Code>}. */
        EC2_XML,
        /** rpcv2Cbor: a CBOR map with __type. */
        CBOR
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR_MAPPER = new ObjectMapper(new CBORFactory());

    /** Parses the reply as an error of the given wire; throws AssertionError when it is not one. */
    static ErrorBody parse(Wire wire, RawHttp.Reply reply) {
        String contentType = String.valueOf(reply.header("content-type")).toLowerCase(Locale.ROOT);
        try {
            return switch (wire) {
                case AWS_JSON -> {
                    require(contentType.startsWith("application/x-amz-json-1."), "awsJson content type", reply);
                    JsonNode n = json(reply);
                    String type = n.path("__type").asText(null);
                    require(type != null, "__type", reply);
                    yield new ErrorBody(wire, afterHash(type), message(n));
                }
                case REST_JSON -> {
                    require(contentType.startsWith("application/json"), "application/json", reply);
                    JsonNode n = json(reply);
                    String type = reply.header("x-amzn-errortype");
                    require(type != null, "x-amzn-ErrorType", reply);
                    yield new ErrorBody(wire, afterHash(type.split(":")[0]), message(n));
                }
                case S3_XML -> {
                    Element root = xml(reply, contentType);
                    require(root.getTagName().equals("Error"), "<Error> root", reply);
                    yield new ErrorBody(wire, text(root, "Code"), text(root, "Message"));
                }
                case QUERY_XML -> {
                    Element root = xml(reply, contentType);
                    require(root.getTagName().equals("ErrorResponse"), "<ErrorResponse> root", reply);
                    Element error = child(root, "Error");
                    require(error != null, "<Error>", reply);
                    require(text(error, "Type") != null, "<Type>", reply);
                    require(text(root, "RequestId") != null, "<RequestId>", reply);
                    yield new ErrorBody(wire, text(error, "Code"), text(error, "Message"));
                }
                case EC2_XML -> {
                    Element root = xml(reply, contentType);
                    require(root.getTagName().equals("Response"), "<Response> root", reply);
                    Element errors = child(root, "Errors");
                    Element error = errors == null ? null : child(errors, "Error");
                    require(error != null, "<Errors><Error>", reply);
                    require(text(root, "RequestID") != null, "<RequestID>", reply);
                    yield new ErrorBody(wire, text(error, "Code"), text(error, "Message"));
                }
                case CBOR -> {
                    require(contentType.startsWith("application/cbor"), "application/cbor", reply);
                    require("rpc-v2-cbor".equals(reply.header("smithy-protocol")), "Smithy-Protocol header", reply);
                    JsonNode n = CBOR_MAPPER.readTree(reply.body());
                    require(n != null && n.isObject(), "a CBOR map", reply);
                    String type = n.path("__type").asText(null);
                    require(type != null, "__type", reply);
                    yield new ErrorBody(wire, afterHash(type), message(n));
                }
            };
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("unparseable " + wire + " error (" + e + "): " + reply, e);
        }
    }

    /** Parses by Content-Type alone, for answers whose protocol the test cannot know (fuzzing). */
    static ErrorBody parseAny(RawHttp.Reply reply) {
        String contentType = String.valueOf(reply.header("content-type")).toLowerCase(Locale.ROOT);
        if (contentType.startsWith("application/x-amz-json")) {
            return parse(Wire.AWS_JSON, reply);
        }
        if (contentType.startsWith("application/json")) {
            return parse(Wire.REST_JSON, reply);
        }
        if (contentType.startsWith("application/cbor")) {
            return parse(Wire.CBOR, reply);
        }
        if (contentType.contains("xml")) {
            Element root;
            try {
                root = xml(reply, contentType);
            } catch (Exception e) {
                throw new AssertionError("unparseable XML error: " + reply, e);
            }
            return switch (root.getTagName()) {
                case "Error" -> parse(Wire.S3_XML, reply);
                case "Response" -> parse(Wire.EC2_XML, reply);
                default -> parse(Wire.QUERY_XML, reply);
            };
        }
        throw new AssertionError("an error with no AWS content type: " + reply);
    }

    private static void require(boolean ok, String what, RawHttp.Reply reply) {
        if (!ok) {
            throw new AssertionError("expected " + what + " in " + reply);
        }
    }

    private static JsonNode json(RawHttp.Reply reply) throws Exception {
        JsonNode n = JSON.readTree(reply.body());
        require(n != null && n.isObject(), "a JSON object", reply);
        return n;
    }

    private static String message(JsonNode n) {
        JsonNode m = n.has("message") ? n.get("message") : n.get("Message");
        return m == null ? null : m.asText();
    }

    private static String afterHash(String type) {
        int hash = type.lastIndexOf('#');
        return hash < 0 ? type : type.substring(hash + 1);
    }

    private static Element xml(RawHttp.Reply reply, String contentType) throws Exception {
        require(contentType.contains("xml"), "an XML content type", reply);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(reply.body()));
        return d.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent();
    }
}
