package dev.terrarium.core.iam;

import java.util.ArrayList;
import java.util.List;

/**
 * AWS's policy evaluation logic: an explicit deny in any policy wins; then every SCP level must
 * allow; a same-account resource-based policy that names the user or session itself allows on its
 * own; otherwise identity-based policies must allow (root holds every permission of its account),
 * and the permissions boundary and session policies, when present, must allow too; across accounts
 * the resource-based policy must also allow.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {
    }

    /** What one group of policies said: any allow, any deny, and how the best allowing statement named the principal. */
    private static final class Verdict {
        boolean allow;
        boolean deny;
        PrincipalSpec.Match allowMatch = PrincipalSpec.Match.NONE;
    }

    public static Decision evaluate(AuthorizationRequest req) {
        List<TraceEntry> trace = new ArrayList<>();
        Principal principal = req.principal();
        boolean root = principal.type() == Principal.Type.ROOT;
        // anonymous callers and AWS services have no identity policies: only resource-based policies can allow them
        boolean anonymous = principal.type() == Principal.Type.ANONYMOUS || principal.type() == Principal.Type.SERVICE
                || principal.type() == Principal.Type.WEB_IDENTITY;

        List<Verdict> scpLevels = new ArrayList<>();
        if (req.serviceControlPolicies() != null) {
            for (List<Policy> level : req.serviceControlPolicies()) {
                scpLevels.add(group(Decision.PolicyType.SERVICE_CONTROL, level, req, trace, false));
            }
        }
        Verdict resource = req.resourcePolicy() == null ? new Verdict()
                : group(Decision.PolicyType.RESOURCE, List.of(req.resourcePolicy()), req, trace, true);
        boolean identityApplies = !root && !anonymous;
        Verdict identity = identityApplies ? group(Decision.PolicyType.IDENTITY, req.identityPolicies(), req, trace, false)
                : new Verdict();
        Verdict boundary = identityApplies && req.permissionsBoundary() != null
                ? group(Decision.PolicyType.PERMISSIONS_BOUNDARY, List.of(req.permissionsBoundary()), req, trace, false)
                : null;
        // a root session from sts:AssumeRoot is scoped by its task policy, a session policy
        Verdict session = !anonymous && req.hasSessionPolicies()
                ? group(Decision.PolicyType.SESSION, req.sessionPolicies(), req, trace, false)
                : null;

        for (Verdict level : scpLevels) {
            if (level.deny) {
                return deny(Decision.Outcome.EXPLICIT_DENY, Decision.PolicyType.SERVICE_CONTROL, trace, req);
            }
        }
        if (resource.deny) {
            return deny(Decision.Outcome.EXPLICIT_DENY, Decision.PolicyType.RESOURCE, trace, req);
        }
        if (identity.deny) {
            return deny(Decision.Outcome.EXPLICIT_DENY, Decision.PolicyType.IDENTITY, trace, req);
        }
        if (boundary != null && boundary.deny) {
            return deny(Decision.Outcome.EXPLICIT_DENY, Decision.PolicyType.PERMISSIONS_BOUNDARY, trace, req);
        }
        if (session != null && session.deny) {
            return deny(Decision.Outcome.EXPLICIT_DENY, Decision.PolicyType.SESSION, trace, req);
        }
        for (Verdict level : scpLevels) {
            if (!level.allow) {
                return deny(Decision.Outcome.IMPLICIT_DENY, Decision.PolicyType.SERVICE_CONTROL, trace, req);
            }
        }
        boolean crossAccount = req.crossAccount();
        if (anonymous) {
            return resource.allow && resource.allowMatch == PrincipalSpec.Match.DIRECT
                    ? allow(trace, req) : deny(Decision.Outcome.IMPLICIT_DENY,
                    req.resourcePolicy() == null ? Decision.PolicyType.IDENTITY : Decision.PolicyType.RESOURCE, trace, req);
        }
        if (!crossAccount && resource.allow) {
            if (resource.allowMatch == PrincipalSpec.Match.DIRECT) {
                return allow(trace, req);
            }
            if (resource.allowMatch == PrincipalSpec.Match.ROLE) {
                return limits(boundary, session, trace, req);
            }
        }
        boolean identityAllows = root || identity.allow;
        if (!identityAllows) {
            return deny(Decision.Outcome.IMPLICIT_DENY, Decision.PolicyType.IDENTITY, trace, req);
        }
        Decision limited = limits(boundary, session, trace, req);
        if (!limited.allowed()) {
            return limited;
        }
        if ((crossAccount || req.resourcePolicyRequired()) && !resource.allow) {
            return deny(Decision.Outcome.IMPLICIT_DENY, Decision.PolicyType.RESOURCE, trace, req);
        }
        return allow(trace, req);
    }

    private static Decision limits(Verdict boundary, Verdict session, List<TraceEntry> trace, AuthorizationRequest req) {
        if (boundary != null && !boundary.allow) {
            return deny(Decision.Outcome.IMPLICIT_DENY, Decision.PolicyType.PERMISSIONS_BOUNDARY, trace, req);
        }
        if (session != null && !session.allow) {
            return deny(Decision.Outcome.IMPLICIT_DENY, Decision.PolicyType.SESSION, trace, req);
        }
        return allow(trace, req);
    }

    private static Decision allow(List<TraceEntry> trace, AuthorizationRequest req) {
        return new Decision(Decision.Outcome.ALLOW, null, trace, req);
    }

    private static Decision deny(Decision.Outcome outcome, Decision.PolicyType by, List<TraceEntry> trace,
                                 AuthorizationRequest req) {
        return new Decision(outcome, by, trace, req);
    }

    private static Verdict group(Decision.PolicyType type, List<Policy> policies, AuthorizationRequest req,
                                 List<TraceEntry> trace, boolean resourceBased) {
        Verdict v = new Verdict();
        for (Policy policy : policies) {
            PolicyDocument doc = policy.document();
            ContextKeys vars = doc.variablesEnabled() ? req.context() : null;
            List<Statement> statements = doc.statements();
            for (int i = 0; i < statements.size(); i++) {
                Statement s = statements.get(i);
                String miss = null;
                PrincipalSpec.Match match = PrincipalSpec.Match.DIRECT;
                if (!s.matchesAction(req.action())) {
                    miss = s.notAction() ? "action is listed in NotAction" : "action not matched";
                } else if (!s.matchesResource(req.resource(), vars)) {
                    miss = s.notResource() ? "resource is listed in NotResource" : "resource not matched";
                } else if (resourceBased && (match = s.matchPrincipal(req.principal())) == PrincipalSpec.Match.NONE) {
                    miss = "principal not matched";
                } else if (!s.conditionsHold(req.context(), vars)) {
                    miss = "condition not met: " + failedCondition(s, req.context(), vars);
                }
                boolean matched = miss == null;
                trace.add(new TraceEntry(type.noun(), policy.name(), i, s.sid(), s.effect(), matched,
                        matched ? "matched" : miss));
                if (!matched) {
                    continue;
                }
                if (s.effect() == Effect.DENY) {
                    v.deny = true;
                } else {
                    v.allow = true;
                    if (match.ordinal() > v.allowMatch.ordinal()) {
                        v.allowMatch = match;
                    }
                }
            }
        }
        return v;
    }

    private static String failedCondition(Statement s, ContextKeys request, ContextKeys vars) {
        for (Condition c : s.conditions()) {
            if (!ConditionEvaluator.evaluate(c, request, vars)) {
                return c.operatorText() + " " + c.key() + " " + c.values() + " (request: "
                        + (request.get(c.key()) == null ? "absent" : request.get(c.key())) + ")";
            }
        }
        return "?";
    }
}
