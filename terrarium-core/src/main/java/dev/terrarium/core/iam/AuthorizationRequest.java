package dev.terrarium.core.iam;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one authorization decision needs: who asks for which action on which resource (null
 * or "*" when the action has no resource or it is unknown) with which condition keys, and the
 * policies in play. serviceControlPolicies is null when no organization's SCPs apply to the
 * principal's account; otherwise one list per level (root, each OU, the account), each of which must allow.
 */
public final class AuthorizationRequest {
    private final Principal principal;
    private final String action;
    private final String resource;
    private String resourceAccount;
    private ContextKeys context = new ContextKeys();
    private final List<Policy> identityPolicies = new ArrayList<>();
    private Policy resourcePolicy;
    private Policy permissionsBoundary;
    private final List<Policy> sessionPolicies = new ArrayList<>();
    private boolean hasSessionPolicies;
    private List<List<Policy>> serviceControlPolicies;
    private boolean resourcePolicyRequired;

    public AuthorizationRequest(Principal principal, String action, String resource) {
        this.principal = principal;
        this.action = action;
        this.resource = resource == null ? "*" : resource;
    }

    public AuthorizationRequest context(ContextKeys keys) {
        this.context = keys;
        return this;
    }

    public AuthorizationRequest identityPolicy(Policy p) {
        identityPolicies.add(p);
        return this;
    }

    public AuthorizationRequest identityPolicies(List<Policy> ps) {
        identityPolicies.addAll(ps);
        return this;
    }

    /** The resource's own policy (bucket policy, queue policy, trust policy) and the account that owns the resource. */
    public AuthorizationRequest resourcePolicy(Policy p, String ownerAccount) {
        this.resourcePolicy = p;
        this.resourceAccount = ownerAccount;
        return this;
    }

    /** The account that owns the resource, when it has no policy of its own. */
    public AuthorizationRequest resourceAccount(String ownerAccount) {
        this.resourceAccount = ownerAccount;
        return this;
    }

    /**
     * The resource policy must allow even within one account, as a role's trust policy must for
     * sts:AssumeRole (other resource policies may stay silent when identity policies allow).
     */
    public AuthorizationRequest requireResourcePolicy() {
        this.resourcePolicyRequired = true;
        return this;
    }

    public boolean resourcePolicyRequired() { return resourcePolicyRequired; }

    public AuthorizationRequest permissionsBoundary(Policy p) {
        this.permissionsBoundary = p;
        return this;
    }

    /** A session policy (inline or managed, passed to AssumeRole / GetFederationToken). */
    public AuthorizationRequest sessionPolicy(Policy p) {
        sessionPolicies.add(p);
        hasSessionPolicies = true;
        return this;
    }

    public AuthorizationRequest serviceControlPolicies(List<List<Policy>> levels) {
        this.serviceControlPolicies = levels;
        return this;
    }

    public Principal principal() { return principal; }
    public String action() { return action; }
    public String resource() { return resource; }
    public String resourceAccount() { return resourceAccount; }
    public ContextKeys context() { return context; }
    public List<Policy> identityPolicies() { return identityPolicies; }
    public Policy resourcePolicy() { return resourcePolicy; }
    public Policy permissionsBoundary() { return permissionsBoundary; }
    public List<Policy> sessionPolicies() { return sessionPolicies; }
    public boolean hasSessionPolicies() { return hasSessionPolicies; }
    public List<List<Policy>> serviceControlPolicies() { return serviceControlPolicies; }

    /** Whether the principal and the resource are in different accounts. */
    public boolean crossAccount() {
        return resourceAccount != null && principal.account() != null && !resourceAccount.equals(principal.account());
    }
}
