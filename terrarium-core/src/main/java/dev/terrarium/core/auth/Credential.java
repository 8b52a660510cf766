package dev.terrarium.core.auth;

import java.time.Instant;

/** A key pair Terrarium knows the secret of, with the identity it signs as and, for STS keys, its expiry. */
public record Credential(String accessKeyId, String secretAccessKey, String sessionToken, Identity identity,
                         Instant expiration) {

    public boolean expiredAt(Instant now) {
        return expiration != null && !now.isBefore(expiration);
    }
}
