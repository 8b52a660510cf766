package dev.terrarium.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.iam.MalformedPolicyException;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.service.AwsException;

/** Bucket policies: stored after a structural check, and handed to the IAM engine as the bucket's resource policy. */
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

    /** The bucket's policy for evaluation (null when it has none or the engine cannot read it). */
    static Policy evaluable(Bucket b) {
        Object stored = b.configs.get("Policy");
        String json = stored instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : stored instanceof String text ? text : null;
        if (json == null) {
            return null;
        }
        try {
            return new Policy("arn:aws:s3:::" + b.name + " bucket policy", PolicyDocument.parse(json, PolicyKind.RESOURCE));
        } catch (MalformedPolicyException e) {
            return null;
        }
    }

    private static AwsException malformed(String message) {
        return new AwsException("MalformedPolicy", message, 400);
    }
}
