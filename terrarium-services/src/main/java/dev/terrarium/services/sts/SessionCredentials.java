package dev.terrarium.services.sts;

import dev.terrarium.core.auth.AccessKeys;
import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.auth.Identity;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Mints temporary (ASIA...) credentials for an identity and registers them so that they sign requests. */
final class SessionCredentials {
    private final CredentialStore store;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();

    SessionCredentials(CredentialStore store) {
        this.store = store;
    }

    Credential issue(Identity identity, Instant expiration) {
        String accessKeyId = AccessKeys.temporary(identity.accountId());
        String token = AccessKeys.sessionToken();
        Identity signedAs = new Identity(identity.accountId(), accessKeyId, identity.arn(), identity.userId(),
                identity.kind(), token, identity.sessionPolicy());
        Credential credential = new Credential(accessKeyId, AccessKeys.secret(), token, signedAs, expiration);
        store.register(credential);
        issued.add(accessKeyId);
        return credential;
    }

    void revokeAll() {
        issued.forEach(store::revoke);
        issued.clear();
    }
}
