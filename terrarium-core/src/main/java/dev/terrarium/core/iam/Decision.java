package dev.terrarium.core.iam;

import java.util.List;

/**
 * The outcome of an evaluation, the policy type that decided a denial, and the trace of every
 * statement looked at. {@link #message()} words a denial as AWS does.
 */
public record Decision(Outcome outcome, PolicyType decidedBy, List<TraceEntry> trace, AuthorizationRequest request) {

    public enum Outcome { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** The kinds of policy, named as AWS's AccessDenied messages name them. */
    public enum PolicyType {
        IDENTITY("identity-based policy", "an identity-based policy"),
        RESOURCE("resource-based policy", "a resource-based policy"),
        PERMISSIONS_BOUNDARY("permissions boundary", "a permissions boundary"),
        SESSION("session policy", "a session policy"),
        SERVICE_CONTROL("service control policy", "a service control policy");

        private final String noun;
        private final String withArticle;

        PolicyType(String noun, String withArticle) {
            this.noun = noun;
            this.withArticle = withArticle;
        }

        public String noun() { return noun; }
        public String withArticle() { return withArticle; }
    }

    public boolean allowed() { return outcome == Outcome.ALLOW; }

    /** "because no identity-based policy allows the s3:GetObject action" / "with an explicit deny in a ..."; "" when allowed. */
    public String reason() {
        return switch (outcome) {
            case ALLOW -> "";
            case EXPLICIT_DENY -> "with an explicit deny in " + decidedBy.withArticle();
            case IMPLICIT_DENY -> "because no " + decidedBy.noun() + " allows the " + request.action() + " action";
        };
    }

    /** AWS's AccessDenied message: "User: ARN is not authorized to perform: ACTION on resource: RESOURCE because ...". */
    public String message() {
        StringBuilder sb = new StringBuilder(request.principal().describe())
                .append(" is not authorized to perform: ").append(request.action());
        if (!"*".equals(request.resource())) {
            sb.append(" on resource: ").append(request.resource());
        }
        return sb.append(' ').append(reason()).toString();
    }
}
