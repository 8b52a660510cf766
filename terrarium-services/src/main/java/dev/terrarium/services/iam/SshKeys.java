package dev.terrarium.services.iam;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/** SSH public keys in OpenSSH form ("ssh-rsa AAAA... comment"): the key blob, its MD5 fingerprint, and PEM for RSA. */
final class SshKeys {
    private static final Set<String> TYPES = Set.of("ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

    private SshKeys() {
    }

    /** The decoded key blob, or null when the text is not an OpenSSH public key whose blob names its type. */
    static byte[] blob(String body) {
        String[] parts = body.strip().split("\\s+");
        if (parts.length < 2 || !TYPES.contains(parts[0])) {
            return null;
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            String type = new String(string(ByteBuffer.wrap(blob)), StandardCharsets.US_ASCII);
            return type.equals(parts[0]) ? blob : null;
        } catch (IllegalArgumentException | BufferUnderflowException e) {
            return null;
        }
    }

    /** aa:bb:...: the MD5 of the blob, as IAM shows fingerprints. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(blob);
            return HexFormat.ofDelimiter(":").formatHex(md5);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as a PEM SubjectPublicKeyInfo, for RSA keys; null for other types. */
    static String pem(byte[] blob) {
        try {
            ByteBuffer b = ByteBuffer.wrap(blob);
            if (!new String(string(b), StandardCharsets.US_ASCII).equals("ssh-rsa")) {
                return null;
            }
            BigInteger e = new BigInteger(string(b));
            BigInteger n = new BigInteger(string(b));
            byte[] der = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)).getEncoded();
            return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        } catch (GeneralSecurityException | BufferUnderflowException | IllegalArgumentException ex) {
            return null;
        }
    }

    private static byte[] string(ByteBuffer b) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }
}
