package dev.terrarium.services.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;

/**
 * The claims of an OIDC token passed to AssumeRoleWithWebIdentity. Its signature is not checked
 * until IAM OIDC providers exist; its shape and expiry are.
 */
record WebIdentityToken(String subject, String audience, String provider) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static WebIdentityToken parse(String jwt, Instant now) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length != 3) {
            throw invalid();
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw invalid();
        }
        if (claims == null || !claims.isObject() || !claims.hasNonNull("sub") || !claims.hasNonNull("iss")) {
            throw invalid();
        }
        if (claims.has("exp") && claims.get("exp").isNumber()) {
            Instant exp = Instant.ofEpochSecond(claims.get("exp").asLong());
            if (!now.isBefore(exp)) {
                throw new AwsException("ExpiredTokenException", "Token expired: current date/time " + now.getEpochSecond()
                        + " must be before the expiration date/time " + exp.getEpochSecond());
            }
        }
        JsonNode aud = claims.path("aud");
        String audience = aud.isArray() ? (aud.size() > 0 ? aud.get(0).asText() : null) : aud.asText(null);
        String issuer = claims.get("iss").asText();
        String provider = issuer.startsWith("https://") ? issuer.substring("https://".length()) : issuer;
        return new WebIdentityToken(claims.get("sub").asText(), audience, provider);
    }

    private static AwsException invalid() {
        return new AwsException("InvalidIdentityToken", "The ID Token provided is not a valid JWT. "
                + "(You may see this error if you sent an Access Token)");
    }
}
