package dev.terrarium.core.iam;

import java.util.List;
import java.util.Map;

/**
 * The Principal (or NotPrincipal) of a statement: "*" (anyone), or by type ("AWS", "Service",
 * "Federated", "CanonicalUser") a list of identifiers.
 */
public record PrincipalSpec(boolean anyone, Map<String, List<String>> byType) {

    /** How a principal was named by a statement, which decides what a same-account grant means. */
    public enum Match {
        NONE,
        /** by its account (arn:aws:iam::ACCOUNT:root or ACCOUNT): delegates to the account's identity policies */
        ACCOUNT,
        /** by the role of a session: boundaries and session policies still apply */
        ROLE,
        /** by the user or session ARN itself, a service, a provider, or "*" */
        DIRECT
    }

    public Match match(Principal p) {
        if (anyone) {
            return Match.DIRECT;
        }
        Match best = Match.NONE;
        for (Map.Entry<String, List<String>> e : byType.entrySet()) {
            for (String id : e.getValue()) {
                Match m = matchOne(e.getKey(), id, p);
                if (m.ordinal() > best.ordinal()) {
                    best = m;
                }
            }
        }
        return best;
    }

    /** For NotPrincipal: whether the principal and every identity behind it are listed. */
    boolean exempts(Principal p) {
        if (anyone) {
            return true;
        }
        List<String> aws = byType.getOrDefault("AWS", List.of());
        if (p.service() != null) {
            return byType.getOrDefault("Service", List.of()).contains(p.service());
        }
        if (p.federatedProvider() != null) {
            return byType.getOrDefault("Federated", List.of()).contains(p.federatedProvider());
        }
        if (p.type() == Principal.Type.ANONYMOUS) {
            return aws.contains("*");
        }
        boolean accountListed = aws.contains("arn:aws:iam::" + p.account() + ":root") || aws.contains(p.account());
        boolean selfListed = p.type() == Principal.Type.ROOT || aws.contains(p.arn());
        boolean roleListed = p.roleArn() == null || aws.contains(p.roleArn());
        return accountListed && selfListed && roleListed;
    }

    private static Match matchOne(String type, String id, Principal p) {
        switch (type) {
            case "AWS":
                if (id.equals("*")) {
                    return Match.DIRECT;
                }
                if (p.type() == Principal.Type.ANONYMOUS || p.type() == Principal.Type.SERVICE
                        || p.type() == Principal.Type.WEB_IDENTITY) {
                    return Match.NONE;
                }
                if (id.equals(p.arn())) {
                    return p.type() == Principal.Type.ROOT ? Match.ACCOUNT : Match.DIRECT;
                }
                if (p.roleArn() != null && id.equals(p.roleArn())) {
                    return Match.ROLE;
                }
                if (p.account() != null && (id.equals(p.account()) || id.equals("arn:aws:iam::" + p.account() + ":root"))) {
                    return Match.ACCOUNT;
                }
                return Match.NONE;
            case "Service":
                return p.service() != null && (id.equals("*") || id.equalsIgnoreCase(p.service())) ? Match.DIRECT : Match.NONE;
            case "Federated":
                return p.federatedProvider() != null && (id.equals("*") || id.equals(p.federatedProvider()))
                        ? Match.DIRECT : Match.NONE;
            default:
                return Match.NONE;
        }
    }
}
