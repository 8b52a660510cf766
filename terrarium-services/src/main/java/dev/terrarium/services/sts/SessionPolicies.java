package dev.terrarium.services.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.auth.SessionPolicy;
import dev.terrarium.core.iam.MalformedPolicyException;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Session policies and tags passed to AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML and GetFederationToken: the policy must be JSON, and
 * policy plus tags are packed (compressed) into a space AWS reports as a percentage of its limit.
 */
final class SessionPolicies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PACKED_LIMIT_BYTES = 2048;

    private SessionPolicies() {
    }

    static void check(String policy) {
        if (policy == null) {
            return;
        }
        try {
            JsonNode doc = JSON.readTree(policy);
            if (doc == null || !doc.isObject()) {
                throw malformed();
            }
        } catch (JsonProcessingException e) {
            throw malformed();
        }
        try {
            PolicyDocument.parse(policy, PolicyKind.IDENTITY);
        } catch (MalformedPolicyException e) {
            throw new AwsException("MalformedPolicyDocument", e.getMessage());
        }
    }

    /**
     * The identity with the session policies passed in this request recorded on it (federatedBy: the caller
     * of GetFederationToken, whose permissions the session narrows; null for role sessions).
     */
    static Identity record(Identity identity, Struct in, String federatedBy) {
        List<String> arns = new java.util.ArrayList<>();
        List<Struct> given = in.structs("PolicyArns");
        if (given != null) {
            given.forEach(a -> arns.add(a.string("arn")));
        }
        SessionPolicy policy = new SessionPolicy(in.string("Policy"), arns, federatedBy);
        return policy.limits() || federatedBy != null ? identity.withSessionPolicy(policy) : identity;
    }

    /** PackedPolicySize: the packed size as a percentage of the limit; null when nothing was passed. */
    static Integer packedSize(Struct in) {
        String policy = in.string("Policy");
        List<Struct> tags = in.structs("Tags");
        List<Struct> arns = in.structs("PolicyArns");
        if (policy == null && tags == null && arns == null) {
            return null;
        }
        StringBuilder packed = new StringBuilder(policy == null ? "" : policy);
        if (tags != null) {
            tags.forEach(t -> packed.append(t.string("Key")).append('=').append(t.string("Value")).append(';'));
        }
        if (arns != null) {
            arns.forEach(a -> packed.append(a.string("arn")).append(';'));
        }
        int percent = (int) Math.ceil(compressedLength(packed.toString()) * 100.0 / PACKED_LIMIT_BYTES);
        if (percent > 100) {
            throw new AwsException("PackedPolicyTooLarge", "Packed policy consumes " + percent
                    + "% of allotted space, please use smaller policy.");
        }
        return percent;
    }

    private static int compressedLength(String text) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        byte[] buf = new byte[8192];
        int total = 0;
        while (!deflater.finished()) {
            total += deflater.deflate(buf);
        }
        deflater.end();
        return total;
    }

    private static AwsException malformed() {
        return new AwsException("MalformedPolicyDocument", "The policy is not in the valid JSON format.");
    }
}
