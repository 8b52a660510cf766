package dev.terrarium.services.iam;

import java.security.SecureRandom;

/** Unique ids as IAM mints them: a 4-letter type prefix (AIDA user, AGPA group, AROA role, ANPA policy...) and 17 characters. */
final class IamIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private IamIds() {
    }

    static String of(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
