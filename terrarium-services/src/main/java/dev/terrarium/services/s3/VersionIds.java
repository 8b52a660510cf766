package dev.terrarium.services.s3;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque, URL-safe version and upload ids, as S3's look. */
final class VersionIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private VersionIds() {}

    static String next() {
        return random(24);
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', '.');
    }
}
