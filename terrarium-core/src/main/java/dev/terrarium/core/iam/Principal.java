package dev.terrarium.core.iam;

/**
 * Who is asking, as policies see it. For a role session, roleArn is the role's ARN (with its path)
 * and arn the session's (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION). For a service principal
 * (lambda.amazonaws.com assuming a role), service is set; for web identity / SAML federation,
 * federatedProvider names the provider.
 */
public record Principal(Type type, String arn, String account, String roleArn, String service,
                        String federatedProvider) {

    public enum Type { ROOT, USER, ROLE_SESSION, FEDERATED_USER, SERVICE, WEB_IDENTITY, ANONYMOUS }

    public static Principal root(String account) {
        return new Principal(Type.ROOT, "arn:aws:iam::" + account + ":root", account, null, null, null);
    }

    public static Principal user(String arn, String account) {
        return new Principal(Type.USER, arn, account, null, null, null);
    }

    public static Principal roleSession(String sessionArn, String account, String roleArn) {
        return new Principal(Type.ROLE_SESSION, sessionArn, account, roleArn, null, null);
    }

    public static Principal service(String service) {
        return new Principal(Type.SERVICE, service, null, null, service, null);
    }

    public static Principal federated(String provider) {
        return new Principal(Type.WEB_IDENTITY, provider, null, null, null, provider);
    }

    public static Principal anonymous() {
        return new Principal(Type.ANONYMOUS, "*", null, null, null, null);
    }

    /** How AWS names this principal in an AccessDenied message ("User", "Anonymous"...). */
    public String describe() {
        return type == Type.ANONYMOUS ? "User: anonymous" : "User: " + arn;
    }
}
