package dev.terrarium.core.iam;

import java.util.List;

/**
 * One statement of a policy. actions/resources hold Action or NotAction (Resource or NotResource)
 * values, told apart by the not* flags; resources is null when the statement has neither (trust
 * policies); principal is null when it has neither Principal nor NotPrincipal.
 */
public record Statement(String sid, Effect effect, List<String> actions, boolean notAction, List<String> resources,
                        boolean notResource, PrincipalSpec principal, boolean notPrincipal, List<Condition> conditions) {

    boolean matchesAction(String action) {
        boolean any = false;
        for (String a : actions) {
            if (Patterns.matches(a, action, true, true, null)) {
                any = true;
                break;
            }
        }
        return notAction != any;
    }

    /** resource "*" stands for a request whose resource is unknown or that has none. */
    boolean matchesResource(String resource, ContextKeys vars) {
        if (resources == null) {
            return true;
        }
        boolean any = false;
        for (String r : resources) {
            if (r.equals("*") || Patterns.arnMatches(r, resource, vars)) {
                any = true;
                break;
            }
        }
        return notResource != any;
    }

    /**
     * How this statement names the principal. NotPrincipal exempts a principal only when every
     * identity it carries is listed: a user and its account; a session, its role and its account.
     */
    PrincipalSpec.Match matchPrincipal(Principal p) {
        if (principal == null) {
            return PrincipalSpec.Match.DIRECT;
        }
        if (notPrincipal) {
            return principal.exempts(p) ? PrincipalSpec.Match.NONE : PrincipalSpec.Match.DIRECT;
        }
        return principal.match(p);
    }

    boolean conditionsHold(ContextKeys request, ContextKeys vars) {
        for (Condition c : conditions) {
            if (!ConditionEvaluator.evaluate(c, request, vars)) {
                return false;
            }
        }
        return true;
    }
}
