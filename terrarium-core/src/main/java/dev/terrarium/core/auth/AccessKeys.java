package dev.terrarium.core.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Access key ids as AWS mints them: a 4-letter prefix (AKIA long-term, ASIA temporary) and 16
 * base32 characters that carry the account id, so that GetAccessKeyInfo can tell the account of
 * any key, issued here or not.
 */
public final class AccessKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final long ACCOUNT_MASK = 0x7fffffffff80L;

    private AccessKeys() {
    }

    public static String longTerm(String accountId) { return mint("AKIA", accountId); }

    public static String temporary(String accountId) { return mint("ASIA", accountId); }

    /** 40 characters of random base64, as AWS secrets look. */
    public static String secret() {
        byte[] b = new byte[30];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** An opaque session token (AWS's are long base64 strings). */
    public static String sessionToken() {
        byte[] b = new byte[270];
        RANDOM.nextBytes(b);
        return "FwoGZXIvYXdzE" + Base64.getEncoder().encodeToString(b);
    }

    /** The account encoded in an AKIA/ASIA key id, or null when the key does not carry one. */
    public static String accountOf(String accessKeyId) {
        if (accessKeyId == null || accessKeyId.length() < 20 || !accessKeyId.startsWith("A")) {
            return null;
        }
        byte[] bytes = base32Decode(accessKeyId.substring(4, 14));
        if (bytes == null) {
            return null;
        }
        long z = 0;
        for (int i = 0; i < 6; i++) {
            z = (z << 8) | (bytes[i] & 0xff);
        }
        return String.format("%012d", (z & ACCOUNT_MASK) >> 7);
    }

    private static String mint(String prefix, String accountId) {
        long account = Long.parseLong(accountId);
        long z = (account << 7) | (RANDOM.nextInt() & 0x7f);
        // 6 bytes of account bits + 4 random bytes = 80 bits = 16 base32 characters
        byte[] bytes = new byte[10];
        for (int i = 5; i >= 0; i--) {
            bytes[i] = (byte) (z & 0xff);
            z >>>= 8;
        }
        bytes[0] &= 0x7f;
        byte[] tail = new byte[4];
        RANDOM.nextBytes(tail);
        System.arraycopy(tail, 0, bytes, 6, 4);
        return prefix + base32Encode(bytes);
    }

    private static String base32Encode(byte[] data) {
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    private static byte[] base32Decode(String s) {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (char c : s.toCharArray()) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) ((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out;
    }
}
