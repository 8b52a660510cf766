package dev.terrarium.services.iam;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.UUID;

/**
 * An account's outbound identity federation: its issuer URL (stable once made, as AWS keeps it) and the
 * key pairs STS GetWebIdentityToken signs with (RS256: RSA 2048, ES384: EC P-384), each with its key id.
 */
public final class OutboundFederation {
    private final String issuer;
    private final KeyPair rsa;
    private final KeyPair ec;
    private final String rsaKeyId = UUID.randomUUID().toString();
    private final String ecKeyId = UUID.randomUUID().toString();
    volatile boolean enabled;

    OutboundFederation() {
        this.issuer = "https://" + UUID.randomUUID() + ".tokens.sts.global.api.aws";
        try {
            KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
            r.initialize(2048);
            this.rsa = r.generateKeyPair();
            KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
            e.initialize(new ECGenParameterSpec("secp384r1"));
            this.ec = e.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make signing keys", e);
        }
    }

    public String issuer() { return issuer; }
    public boolean enabled() { return enabled; }

    /** The key pair for "RS256" or "ES384". */
    public KeyPair keyPair(String algorithm) {
        return "ES384".equals(algorithm) ? ec : rsa;
    }

    public String keyId(String algorithm) {
        return "ES384".equals(algorithm) ? ecKeyId : rsaKeyId;
    }
}
