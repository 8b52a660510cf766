package dev.terrarium.core.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access keys whose secrets Terrarium knows: test/test and every key IAM or STS issues.
 * Requests signed with these are verified; other keys are taken on trust unless IAM is enforced.
 */
public final class CredentialStore {
    public static final String TEST_ACCESS_KEY = "test";
    public static final String TEST_SECRET_KEY = "test";

    private final Map<String, Credential> byAccessKey = new ConcurrentHashMap<>();
    private final String defaultAccount;

    public CredentialStore(String defaultAccount) {
        this.defaultAccount = defaultAccount;
        reset();
    }

    public String defaultAccount() { return defaultAccount; }

    public void register(Credential credential) {
        byAccessKey.put(credential.accessKeyId(), credential);
    }

    public void revoke(String accessKeyId) {
        byAccessKey.remove(accessKeyId);
    }

    /** The known credential for this key, or null. */
    public Credential find(String accessKeyId) {
        return accessKeyId == null ? null : byAccessKey.get(accessKeyId);
    }

    /** The account an unknown key stands for: a 12-digit key id is that account, anything else the default. */
    public String accountForUnknownKey(String accessKeyId) {
        if (accessKeyId != null && accessKeyId.length() == 12 && accessKeyId.chars().allMatch(Character::isDigit)) {
            return accessKeyId;
        }
        return defaultAccount;
    }

    /** Forget every issued key; test/test stays. */
    public void reset() {
        byAccessKey.clear();
        register(new Credential(TEST_ACCESS_KEY, TEST_SECRET_KEY, null,
                Identity.root(defaultAccount, TEST_ACCESS_KEY), null));
    }
}
