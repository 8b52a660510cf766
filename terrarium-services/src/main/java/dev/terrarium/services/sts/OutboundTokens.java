package dev.terrarium.services.sts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.services.iam.OutboundFederation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JWTs of GetWebIdentityToken (RFC 7519, JWS compact form), signed with the account's outbound
 * federation key: RS256 (RSASSA-PKCS1-v1_5 with SHA-256) or ES384 (ECDSA P-384 with SHA-384, signature
 * as R||S as JWS requires).
 */
final class OutboundTokens {
    static final String CLAIMS_NAMESPACE = "https://sts.amazonaws.com/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** AWS's limit on the JWT payload. */
    private static final int MAX_PAYLOAD_BYTES = 16 * 1024;

    private OutboundTokens() {
    }

    static String sign(OutboundFederation federation, String algorithm, Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algorithm);
        header.put("typ", "JWT");
        header.put("kid", federation.keyId(algorithm));
        try {
            byte[] payload = JSON.writeValueAsBytes(claims);
            if (payload.length > MAX_PAYLOAD_BYTES) {
                throw new AwsException("JWTPayloadSizeExceededException", "The JWT payload size exceeds the maximum allowed size.");
            }
            String signingInput = B64.encodeToString(JSON.writeValueAsBytes(header)) + "." + B64.encodeToString(payload);
            Signature s = Signature.getInstance(algorithm.equals("ES384") ? "SHA384withECDSAinP1363Format" : "SHA256withRSA");
            s.initSign(federation.keyPair(algorithm).getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw AwsException.internal("cannot sign the token: " + e.getMessage());
        }
    }
}
