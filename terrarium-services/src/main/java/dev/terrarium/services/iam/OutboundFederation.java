package dev.terrarium.services.iam;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.UUID;

/**
 * An account's outbound identity federation: its issuer URL (stable once made, as AWS keeps it) and the
 * key pairs STS GetWebIdentityToken signs with (RS256: RSA 2048, ES384: EC P-384), each with its key id.
 * Key pairs are made on first use: RSA generation is slow.
 */
public final class OutboundFederation {
    private final String issuer = "https://" + UUID.randomUUID() + ".tokens.sts.global.api.aws";
    private final String rsaKeyId = UUID.randomUUID().toString();
    private final String ecKeyId = UUID.randomUUID().toString();
    private KeyPair rsa;
    private KeyPair ec;
    volatile boolean enabled;

    OutboundFederation() {
    }

    public String issuer() { return issuer; }
    public boolean enabled() { return enabled; }

    /** The key pair for "RS256" or "ES384". */
    public synchronized KeyPair keyPair(String algorithm) {
        try {
            if ("ES384".equals(algorithm)) {
                if (ec == null) {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp384r1"));
                    ec = g.generateKeyPair();
                }
                return ec;
            }
            if (rsa == null) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                rsa = g.generateKeyPair();
            }
            return rsa;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make signing keys", e);
        }
    }

    public String keyId(String algorithm) {
        return "ES384".equals(algorithm) ? ecKeyId : rsaKeyId;
    }
}
