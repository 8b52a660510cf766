package dev.terrarium.core.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derived SigV4 signing keys per access key, date, region and service, so that the four HMACs run
 * once a day per scope rather than once per request. A changed secret for the same key id is noticed.
 */
public final class SigningKeyCache {
    private static final int MAX_ENTRIES = 4096;

    private record Entry(String secret, byte[] key) {}

    private final Map<String, Entry> keys = new ConcurrentHashMap<>();

    public byte[] signingKey(String accessKeyId, String secret, CredentialScope scope) {
        String id = accessKeyId + '/' + scope.date() + '/' + scope.region() + '/' + scope.service();
        Entry entry = keys.get(id);
        if (entry != null && entry.secret.equals(secret)) {
            return entry.key;
        }
        byte[] key = SigV4Crypto.signingKey(secret, scope.date(), scope.region(), scope.service());
        if (keys.size() >= MAX_ENTRIES) {
            keys.clear(); // dates roll over daily: a crude bound is enough
        }
        keys.put(id, new Entry(secret, key));
        return key;
    }

    public int size() { return keys.size(); }
}
