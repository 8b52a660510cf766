package dev.terrarium.core.iam;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/**
 * Implemented by a service whose resources carry their own policy (S3 bucket policies, SQS queue
 * policies...): the authorizer asks it, for each call to that service, which policy governs the
 * resource and which account owns it.
 */
public interface ResourcePolicyProvider {

    /** The resource's policy and owner; null when the call names no resource of this service or it does not exist. */
    ResourcePolicy resourcePolicy(Call call, Struct input);

    /**
     * A resource's owner account, its policy (null when it has none) and its tags (the aws:ResourceTag/... keys;
     * empty when the resource has none or the service does not offer them).
     */
    record ResourcePolicy(String ownerAccount, Policy policy, java.util.Map<String, String> tags) {
        public ResourcePolicy(String ownerAccount, Policy policy) {
            this(ownerAccount, policy, java.util.Map.of());
        }

        public ResourcePolicy {
            tags = tags == null ? java.util.Map.of() : tags;
        }
    }
}
