package dev.terrarium.core.auth;

import java.util.List;

/**
 * What STS recorded with a session's credentials to limit it: the inline session policy (JSON or null)
 * and managed session policy ARNs passed to AssumeRole* / GetFederationToken, and for a federated user
 * the ARN of the user (or root) that called GetFederationToken, whose permissions the session narrows.
 */
public record SessionPolicy(String document, List<String> managedPolicyArns, String federatedBy) {

    public SessionPolicy {
        managedPolicyArns = managedPolicyArns == null ? List.of() : List.copyOf(managedPolicyArns);
    }

    public boolean limits() {
        return document != null || !managedPolicyArns.isEmpty();
    }
}
