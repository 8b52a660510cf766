package dev.terrarium.services.sts;

import dev.terrarium.core.service.AwsException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * What AssumeRoleWithSAML reads from a base64 SAML 2.0 Response: issuer, subject, audience
 * (the SubjectConfirmationData Recipient) and the RoleSessionName attribute. The XML signature is
 * not checked until IAM SAML providers exist; shape and NotOnOrAfter are.
 */
record SamlAssertion(String issuer, String subject, String subjectType, String audience, String sessionName) {
    private static final String SAML2 = "urn:oasis:names:tc:SAML:2.0:assertion";
    private static final String SESSION_NAME_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";

    static SamlAssertion parse(String base64, Instant now) {
        Document doc = read(base64);
        String issuer = text(doc, "Issuer");
        Element nameId = first(doc, "NameID");
        if (issuer == null || nameId == null) {
            throw invalid("Invalid SAML response: missing Issuer or Subject NameID");
        }
        Element confirmation = first(doc, "SubjectConfirmationData");
        String audience = confirmation == null ? null : confirmation.getAttribute("Recipient");
        String notOnOrAfter = confirmation == null ? "" : confirmation.getAttribute("NotOnOrAfter");
        if (!notOnOrAfter.isEmpty() && !now.isBefore(Instant.parse(notOnOrAfter))) {
            throw new AwsException("ExpiredTokenException", "Token has expired");
        }
        String sessionName = attribute(doc, SESSION_NAME_ATTRIBUTE);
        if (sessionName == null) {
            throw invalid("Invalid SAML response: the RoleSessionName attribute is missing");
        }
        return new SamlAssertion(issuer, nameId.getTextContent().trim(), subjectType(nameId.getAttribute("Format")),
                audience == null || audience.isEmpty() ? "https://signin.aws.amazon.com/saml" : audience, sessionName);
    }

    /** AWS's NameQualifier: base64 of SHA-1 over issuer, account id and "/" + provider name. */
    String nameQualifier(String account, String providerName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((issuer + account + "/" + providerName).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subjectType(String format) {
        if (format == null || format.isEmpty()) {
            return "unspecified";
        }
        if (format.endsWith(":transient")) {
            return "transient";
        }
        if (format.endsWith(":persistent")) {
            return "persistent";
        }
        return format;
    }

    private static Document read(String base64) {
        try {
            byte[] xml = Base64.getMimeDecoder().decode(base64 == null ? "" : base64);
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw invalid("Invalid base64 SAML response or not a SAML response");
        }
    }

    private static Element first(Document doc, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS(SAML2, localName);
        return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
    }

    private static String text(Document doc, String localName) {
        Element e = first(doc, localName);
        return e == null ? null : e.getTextContent().trim();
    }

    private static String attribute(Document doc, String name) {
        NodeList attrs = doc.getElementsByTagNameNS(SAML2, "Attribute");
        for (int i = 0; i < attrs.getLength(); i++) {
            Element a = (Element) attrs.item(i);
            if (name.equals(a.getAttribute("Name"))) {
                NodeList values = a.getElementsByTagNameNS(SAML2, "AttributeValue");
                return values.getLength() == 0 ? null : values.item(0).getTextContent().trim();
            }
        }
        return null;
    }

    private static AwsException invalid(String message) {
        return new AwsException("InvalidIdentityToken", message);
    }
}
