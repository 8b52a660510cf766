package dev.terrarium.core.auth;

/**
 * Who made a request: the account, the access key used and the principal it stands for
 * (root, an IAM user, or an assumed-role / federated session).
 */
public record Identity(String accountId, String accessKeyId, String arn, String userId, Kind kind,
                       String sessionToken) {

    public enum Kind { ROOT, USER, ASSUMED_ROLE, FEDERATED_USER, ANONYMOUS }

    public static Identity root(String accountId, String accessKeyId) {
        return new Identity(accountId, accessKeyId, "arn:aws:iam::" + accountId + ":root", accountId, Kind.ROOT, null);
    }

    public static Identity anonymous(String accountId) {
        return new Identity(accountId, null, "arn:aws:iam::" + accountId + ":root", accountId, Kind.ANONYMOUS, null);
    }
}
