package dev.terrarium.services.iam;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.auth.Identity;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** IAM's accounts, and the bridge to the credential store for the access keys IAM issues. */
public final class IamState {
    private final Map<String, IamAccount> accounts = new ConcurrentHashMap<>();
    private final CredentialStore credentials;
    /** delegation request id -> request (they cross accounts: a partner creates them, a customer owns them) */
    final Map<String, DelegationRequests.Delegation> delegations = new ConcurrentHashMap<>();

    IamState(CredentialStore credentials) {
        this.credentials = credentials;
    }

    IamAccount account(String id) {
        return accounts.computeIfAbsent(id, IamAccount::new);
    }

    /** The account if IAM has seen it, else null (without creating it). */
    IamAccount existing(String id) {
        return accounts.get(id);
    }

    void register(IamAccount a, Principals.AccessKey key) {
        Principals.User u = a.users.get(key.userName);
        Identity identity = new Identity(a.id, key.id, u.arn, u.id, Identity.Kind.USER, null);
        credentials.register(new Credential(key.id, key.secret, null, identity, null));
    }

    void reset() {
        for (IamAccount a : accounts.values()) {
            synchronized (a) {
                a.accessKeys.keySet().forEach(credentials::revoke);
            }
        }
        accounts.clear();
        delegations.clear();
    }

    /** A managed policy by ARN: the account's own, or an AWS managed one. */
    Principals.ManagedPolicy policy(IamAccount a, String arn) {
        if (arn == null) {
            return null;
        }
        Principals.ManagedPolicy p = a.policies.get(arn);
        return p != null ? p : AwsManagedPolicies.get(arn);
    }

    int attachmentCount(IamAccount a, String arn) {
        int n = 0;
        for (Principals.User u : a.users.values()) {
            n += u.attached.contains(arn) ? 1 : 0;
        }
        for (Principals.Group g : a.groups.values()) {
            n += g.attached.contains(arn) ? 1 : 0;
        }
        for (Principals.Role r : a.roles.values()) {
            n += r.attached.contains(arn) ? 1 : 0;
        }
        return n;
    }

    int boundaryCount(IamAccount a, String arn) {
        int n = 0;
        for (Principals.User u : a.users.values()) {
            n += arn.equals(u.boundaryArn) ? 1 : 0;
        }
        for (Principals.Role r : a.roles.values()) {
            n += arn.equals(r.boundaryArn) ? 1 : 0;
        }
        return n;
    }

    boolean aliasTaken(String alias, IamAccount except) {
        for (IamAccount a : accounts.values()) {
            if (a != except && a.aliases.contains(alias)) {
                return true;
            }
        }
        return false;
    }
}
