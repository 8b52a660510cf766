package dev.terrarium.core.iam;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/**
 * Implemented by a service whose IAM action names differ from its operation names (S3's ListObjectsV2 is
 * authorized as s3:ListBucket, GetObject with a version id as s3:GetObjectVersion), or whose requests carry
 * condition keys of the service's own (s3:prefix, sts:DurationSeconds...).
 */
public interface IamActionProvider {

    /** The IAM action name for this call, without the service prefix; null to use the operation's name. */
    String iamAction(Call call, Struct input);

    /** Adds the service's own condition keys that this request carries to keys; none by default. */
    default void conditionKeys(Call call, Struct input, ContextKeys keys) {
    }
}
