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

    /** Condition keys whose fixed values make a grant to everyone non-public (AWS's "public" definition). */
    private static final java.util.Set<String> LIMITING_KEYS = java.util.Set.of("aws:sourceip", "aws:sourcearn",
            "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount", "aws:principalorgid",
            "aws:principalaccount", "aws:principalarn", "aws:userid", "s3:dataaccesspointaccount",
            "s3:dataaccesspointarn", "aws:sourceorgid", "aws:sourceorgpaths", "aws:principalorgpaths");

    /**
     * Whether a bucket policy is public: some Allow statement grants to everyone ("*" as principal) without
     * a condition that pins a limiting key (source IP, VPC, ARN, account, organization...) to fixed values.
     */
    static boolean isPublic(String policy) {
        JsonNode root;
        try {
            root = JSON.readTree(policy);
        } catch (Exception e) {
            return false;
        }
        JsonNode statements = root.get("Statement");
        if (statements == null) {
            return false;
        }
        for (JsonNode s : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
            if ("Allow".equals(s.path("Effect").asText()) && grantsEveryone(s.get("Principal"))
                    && !limited(s.get("Condition"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean grantsEveryone(JsonNode principal) {
        if (principal == null) {
            return false;
        }
        if (principal.isTextual()) {
            return principal.asText().equals("*");
        }
        JsonNode aws = principal.get("AWS");
        if (aws == null) {
            return false;
        }
        if (aws.isTextual()) {
            return aws.asText().equals("*");
        }
        for (JsonNode a : aws) {
            if (a.asText().equals("*")) {
                return true;
            }
        }
        return false;
    }

    private static boolean limited(JsonNode condition) {
        if (condition == null || !condition.isObject()) {
            return false;
        }
        for (var operator : (Iterable<java.util.Map.Entry<String, JsonNode>>) condition::fields) {
            if (operator.getKey().toLowerCase(java.util.Locale.ROOT).contains("ifexists")
                    || !operator.getValue().isObject()) {
                continue;
            }
            for (var key : (Iterable<java.util.Map.Entry<String, JsonNode>>) operator.getValue()::fields) {
                String value = key.getValue().toString();
                if (LIMITING_KEYS.contains(key.getKey().toLowerCase(java.util.Locale.ROOT)) && !value.contains("*")
                        && !value.contains("0.0.0.0/0")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static AwsException malformed(String message) {
        return new AwsException("MalformedPolicy", message, 400);
    }
}
