package dev.terrarium.services.sts;

import dev.terrarium.core.service.AwsException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The encoded authorization messages that IAM denials carry (when --enforce-iam is on): Terrarium
 * writes the decision's JSON base64url-encoded behind a fixed prefix, and decodes it back here.
 */
public final class AuthorizationMessages {
    static final String PREFIX = "terrarium-authz-";

    private AuthorizationMessages() {
    }

    public static String encode(String decisionJson) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(decisionJson.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String encoded) {
        if (encoded == null || !encoded.startsWith(PREFIX)) {
            throw invalid();
        }
        try {
            return new String(Base64.getUrlDecoder().decode(encoded.substring(PREFIX.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static AwsException invalid() {
        return new AwsException("InvalidAuthorizationMessageException", "The message is invalid.");
    }
}
