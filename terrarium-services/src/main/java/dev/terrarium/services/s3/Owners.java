package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The canonical user of an account: a stable 64-hex id, as S3's Owner/ID. */
final class Owners {
    private static final Map<String, String> IDS = new ConcurrentHashMap<>();

    private Owners() {}

    static String canonicalId(String account) {
        return IDS.computeIfAbsent(account, a -> {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(("terrarium:" + a).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Struct owner(String account) {
        return Struct.of("ID", canonicalId(account), "DisplayName", account);
    }
}
