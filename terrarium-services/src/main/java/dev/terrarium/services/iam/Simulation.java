package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.iam.AuthorizationRequest;
import dev.terrarium.core.iam.ContextKeys;
import dev.terrarium.core.iam.Decision;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyEvaluator;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.Principal;
import dev.terrarium.core.iam.TraceEntry;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;

/** SimulatePrincipalPolicy and SimulateCustomPolicy: the policy engine run over each action and resource asked about. */
final class Simulation {
    private Simulation() {
    }

    static Struct principal(IamState state, IamAccount a, Struct in) {
        String source = in.string("PolicySourceArn");
        Arn arn = Arn.parse(source);
        if (arn == null || !"iam".equals(arn.service())) {
            throw new AwsException("InvalidInputException", "Invalid ARN: " + source);
        }
        Principals.Entity entity = switch (arn.resourceType()) {
            case "user" -> a.users.get(arn.resourceName());
            case "group" -> a.groups.get(arn.resourceName());
            case "role" -> a.roles.get(arn.resourceName());
            default -> null;
        };
        if (entity == null) {
            throw new AwsException("NoSuchEntityException", "The " + arn.resourceType() + " with name " + arn.resourceName()
                    + " cannot be found.");
        }
        EffectivePolicies effective = EffectivePolicies.of(state, a, entity);
        List<Policy> identity = new ArrayList<>(effective.identity());
        identity.addAll(inputs(in.strings("PolicyInputList"), "PolicyInputList"));
        List<Policy> boundaries = inputs(in.strings("PermissionsBoundaryPolicyInputList"), "PermissionsBoundaryPolicyInputList");
        Policy boundary = !boundaries.isEmpty() ? boundaries.get(0) : effective.boundary();
        Principal principal = entity instanceof Principals.Role
                ? Principal.roleSession("arn:aws:sts::" + a.id + ":assumed-role/" + entity.name + "/simulation", a.id, entity.arn)
                : Principal.user(entity.arn, a.id);
        return run(in, principal, identity, boundary, entity instanceof Principals.User ? entity.name : null);
    }

    static Struct custom(Struct in) {
        List<Policy> identity = inputs(in.strings("PolicyInputList"), "PolicyInputList");
        List<Policy> boundaries = inputs(in.strings("PermissionsBoundaryPolicyInputList"), "PermissionsBoundaryPolicyInputList");
        String caller = in.string("CallerArn");
        Arn callerArn = caller == null ? null : Arn.parse(caller);
        String account = callerArn != null ? callerArn.account() : "000000000000";
        Principal principal = caller == null ? Principal.user("arn:aws:iam::" + account + ":user/simulation", account)
                : Principal.user(caller, account);
        return run(in, principal, identity, boundaries.isEmpty() ? null : boundaries.get(0),
                callerArn == null ? null : callerArn.resourceName());
    }

    private static Struct run(Struct in, Principal principal, List<Policy> identity, Policy boundary, String userName) {
        List<String> resources = in.strings("ResourceArns") == null || in.strings("ResourceArns").isEmpty()
                ? List.of("*") : in.strings("ResourceArns");
        Policy resourcePolicy = in.string("ResourcePolicy") == null ? null
                : parse("ResourcePolicy", in.string("ResourcePolicy"), PolicyKind.RESOURCE);
        String owner = in.string("ResourceOwner");
        if (owner != null && owner.startsWith("arn:")) {
            Arn o = Arn.parse(owner);
            owner = o == null ? owner : o.account();
        }
        List<Object> results = new ArrayList<>();
        for (String action : in.strings("ActionNames")) {
            for (String resource : resources) {
                ContextKeys keys = context(in, principal, userName);
                AuthorizationRequest req = new AuthorizationRequest(principal, action, resource).context(keys)
                        .identityPolicies(identity).permissionsBoundary(boundary);
                if (resourcePolicy != null) {
                    req.resourcePolicy(resourcePolicy, owner == null ? principal.account() : owner);
                }
                Decision d = PolicyEvaluator.evaluate(req);
                results.add(result(action, resource, d, boundary));
            }
        }
        return Struct.of("EvaluationResults", results, "IsTruncated", false);
    }

    private static Struct result(String action, String resource, Decision d, Policy boundary) {
        String decision = switch (d.outcome()) {
            case ALLOW -> "allowed";
            case EXPLICIT_DENY -> "explicitDeny";
            case IMPLICIT_DENY -> "implicitDeny";
        };
        List<Object> matched = new ArrayList<>();
        for (TraceEntry t : d.trace()) {
            if (t.matched()) {
                matched.add(Struct.of("SourcePolicyId", t.policyName(), "SourcePolicyType",
                        t.policyType().equals("resource-based policy") ? "resource" : "IAM Policy"));
            }
        }
        Struct out = Struct.of("EvalActionName", action, "EvalResourceName", resource, "EvalDecision", decision,
                "MatchedStatements", matched, "MissingContextValues", new ArrayList<>());
        if (boundary != null) {
            out.put("PermissionsBoundaryDecisionDetail", Struct.of("AllowedByPermissionsBoundary",
                    d.decidedBy() != Decision.PolicyType.PERMISSIONS_BOUNDARY));
        }
        return out;
    }

    private static ContextKeys context(Struct in, Principal principal, String userName) {
        ContextKeys keys = new ContextKeys().put("aws:PrincipalArn", principal.roleArn() != null ? principal.roleArn() : principal.arn())
                .put("aws:PrincipalAccount", principal.account()).put("aws:username", userName);
        List<Struct> entries = in.structs("ContextEntries");
        if (entries != null) {
            for (Struct e : entries) {
                keys.put(e.string("ContextKeyName"), e.strings("ContextKeyValues") == null ? List.of() : e.strings("ContextKeyValues"));
            }
        }
        return keys;
    }

    private static List<Policy> inputs(List<String> docs, String member) {
        List<Policy> out = new ArrayList<>();
        if (docs != null) {
            for (int i = 0; i < docs.size(); i++) {
                out.add(parse(member + "." + (i + 1), docs.get(i), PolicyKind.IDENTITY));
            }
        }
        return out;
    }

    private static Policy parse(String name, String json, PolicyKind kind) {
        return new Policy(name, PolicyDocs.validate(json, kind));
    }
}
