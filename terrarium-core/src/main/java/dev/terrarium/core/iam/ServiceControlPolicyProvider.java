package dev.terrarium.core.iam;

import java.util.List;

/** Implemented by Organizations: the SCPs that bound an account, one list per level of its path. */
public interface ServiceControlPolicyProvider {

    /**
     * The SCPs attached at each level from the root down to the account itself (each level must allow),
     * or null when none apply: no organization, SCPs not enabled, or the organization's management account.
     */
    List<List<Policy>> serviceControlPolicies(String accountId);
}
