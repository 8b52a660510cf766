package dev.terrarium.core.auth;

/**
 * Who made a request: the account, the access key used and the principal it stands for
 * (root, an IAM user, or an assumed-role / federated session), and for STS sessions the session
 * policies recorded with the credentials (null otherwise).
 */
public record Identity(String accountId, String accessKeyId, String arn, String userId, Kind kind,
                       String sessionToken, SessionPolicy sessionPolicy) {

    public enum Kind { ROOT, USER, ASSUMED_ROLE, FEDERATED_USER, ANONYMOUS }

    public Identity(String accountId, String accessKeyId, String arn, String userId, Kind kind, String sessionToken) {
        this(accountId, accessKeyId, arn, userId, kind, sessionToken, null);
    }

    public Identity withSessionPolicy(SessionPolicy policy) {
        return new Identity(accountId, accessKeyId, arn, userId, kind, sessionToken, policy);
    }

    public static Identity root(String accountId, String accessKeyId) {
        return new Identity(accountId, accessKeyId, "arn:aws:iam::" + accountId + ":root", accountId, Kind.ROOT, null);
    }

    public static Identity anonymous(String accountId) {
        return new Identity(accountId, null, "arn:aws:iam::" + accountId + ":root", accountId, Kind.ANONYMOUS, null);
    }
}
