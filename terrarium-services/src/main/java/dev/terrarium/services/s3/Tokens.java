package dev.terrarium.services.s3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque continuation tokens: the last key (or name) of the page, base64url. */
final class Tokens {
    private Tokens() {}

    static String encode(String last) {
        return last == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String token, String argument) {
        if (token == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Errors.invalidArgument("The continuation token provided is incorrect", argument, token);
        }
    }
}
