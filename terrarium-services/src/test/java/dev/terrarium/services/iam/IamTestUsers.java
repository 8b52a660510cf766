package dev.terrarium.services.iam;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/** IAM users that sign test requests: made through the IAM API, with their policies and an access key. */
public final class IamTestUsers {
    public static final String ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

    private IamTestUsers() {
    }

    /**
     * Creates user name in iam's account, with an inline policy "p" (none when null) and the managed policies
     * attached, then an access key: the user's credentials.
     */
    public static AwsCredentials newUser(IamClient iam, String name, String inlinePolicy, String... managedPolicyArns) {
        iam.createUser(r -> r.userName(name));
        if (inlinePolicy != null) {
            iam.putUserPolicy(r -> r.userName(name).policyName("p").policyDocument(inlinePolicy));
        }
        for (String arn : managedPolicyArns) {
            iam.attachUserPolicy(r -> r.userName(name).policyArn(arn));
        }
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }
}
