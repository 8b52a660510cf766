package dev.terrarium.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;

/** Bucket policies are stored after a structural check (evaluated once IAM enforcement exists). */
final class BucketPolicies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BucketPolicies() {}

    static void validate(String policy) {
        JsonNode root;
        try {
            root = policy == null || !policy.trim().startsWith("{") ? null : JSON.readTree(policy);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw malformed("Policies must be valid JSON and the first byte must be '{'");
        }
        JsonNode statements = root.get("Statement");
        if (statements == null || statements.isNull() || (statements.isArray() && statements.isEmpty())) {
            throw malformed("Missing required field Statement");
        }
        for (JsonNode s : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
            JsonNode effect = s.get("Effect");
            if (effect == null || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
                throw malformed("Invalid effect: " + (effect == null ? "" : effect.asText()));
            }
            if (s.get("Action") == null && s.get("NotAction") == null) {
                throw malformed("Missing required field Action");
            }
            if (s.get("Principal") == null && s.get("NotPrincipal") == null) {
                throw malformed("Missing required field Principal");
            }
            if (s.get("Resource") == null && s.get("NotResource") == null) {
                throw malformed("Missing required field Resource");
            }
        }
    }

    private static AwsException malformed(String message) {
        return new AwsException("MalformedPolicy", message, 400);
    }
}
