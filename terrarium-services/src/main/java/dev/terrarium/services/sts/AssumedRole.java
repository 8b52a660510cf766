package dev.terrarium.services.sts;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.auth.Identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A role session: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, user id AROA...:SESSION. */
record AssumedRole(Identity identity) {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    static AssumedRole of(Arn role, String sessionName) {
        String arn = "arn:aws:sts::" + role.account() + ":assumed-role/" + role.resourceName() + "/" + sessionName;
        String userId = roleId(role) + ":" + sessionName;
        return new AssumedRole(new Identity(role.account(), null, arn, userId, Identity.Kind.ASSUMED_ROLE, null));
    }

    /** A role's unique id (AROA + 17 characters), stable for the same role ARN. */
    static String roleId(Arn role) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(role.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder id = new StringBuilder("AROA");
            for (int i = 0; i < 17; i++) {
                id.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
