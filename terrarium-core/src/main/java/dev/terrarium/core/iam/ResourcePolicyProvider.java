package dev.terrarium.core.iam;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/**
 * Implemented by a service whose resources carry their own policy (S3 bucket policies, SQS queue
 * policies...) or tags: the authorizer asks it, for each call to that service, which policy governs the
 * resource, which account owns it and which condition keys the resource brings (its tags).
 */
public interface ResourcePolicyProvider {

    /** The resource's policy and owner; null when the call names no resource of this service or it does not exist. */
    ResourcePolicy resourcePolicy(Call call, Struct input);

    /**
     * A resource's owner account, its policy (null when it has none), its tags (the aws:ResourceTag/... keys;
     * empty when the resource has none or the service does not offer them) and the other condition keys the
     * resource itself brings, named in full (s3:ExistingObjectTag/..., iam:ResourceTag/...; usually empty).
     */
    record ResourcePolicy(String ownerAccount, Policy policy, java.util.Map<String, String> tags,
                          java.util.Map<String, String> keys) {
        public ResourcePolicy(String ownerAccount, Policy policy) {
            this(ownerAccount, policy, java.util.Map.of());
        }

        public ResourcePolicy(String ownerAccount, Policy policy, java.util.Map<String, String> tags) {
            this(ownerAccount, policy, tags, java.util.Map.of());
        }

        public ResourcePolicy {
            tags = tags == null ? java.util.Map.of() : tags;
            keys = keys == null ? java.util.Map.of() : keys;
        }
    }
}
