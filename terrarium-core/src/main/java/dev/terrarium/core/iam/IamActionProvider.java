package dev.terrarium.core.iam;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/**
 * Implemented by a service whose IAM action names differ from its operation names (S3's ListObjectsV2 is
 * authorized as s3:ListBucket, GetObject with a version id as s3:GetObjectVersion).
 */
public interface IamActionProvider {

    /** The IAM action name for this call, without the service prefix; null to use the operation's name. */
    String iamAction(Call call, Struct input);
}
