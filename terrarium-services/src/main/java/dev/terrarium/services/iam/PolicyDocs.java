package dev.terrarium.services.iam;

import dev.terrarium.core.iam.MalformedPolicyException;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.service.AwsException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Policy documents as IAM takes and gives them: validated with the engine's grammar, URL-encoded in responses. */
final class PolicyDocs {
    /** Parsed stored documents by kind and text: the authorizer reads the same few documents on every request. */
    private static final java.util.Map<String, PolicyDocument> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int PARSED_LIMIT = 10_000;

    private PolicyDocs() {
    }

    static PolicyDocument validate(String json, PolicyKind kind) {
        try {
            return PolicyDocument.parse(json, kind);
        } catch (MalformedPolicyException e) {
            throw new AwsException("MalformedPolicyDocumentException", e.getMessage());
        }
    }

    /** A stored document for evaluation; documents were validated when stored. */
    static Policy policy(String name, String json, PolicyKind kind) {
        String key = kind.name() + '\u0000' + json;
        PolicyDocument doc = PARSED.get(key);
        if (doc == null) {
            doc = PolicyDocument.parse(json, kind);
            if (PARSED.size() >= PARSED_LIMIT) {
                PARSED.clear();
            }
            PARSED.put(key, doc);
        }
        return new Policy(name, doc);
    }

    /** IAM returns documents URL-encoded (RFC 3986: spaces as %20). */
    static String encode(String json) {
        return json == null ? null : URLEncoder.encode(json, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
