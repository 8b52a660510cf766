package dev.terrarium.services.iam;

import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyKind;

import java.util.ArrayList;
import java.util.List;

/** The identity-based policies and permissions boundary that apply to a user (with its groups) or a role. */
record EffectivePolicies(List<Policy> identity, Policy boundary) {

    static EffectivePolicies of(IamState state, IamAccount a, Principals.Entity e) {
        List<Policy> out = new ArrayList<>();
        add(state, a, e, out);
        String boundaryArn = null;
        if (e instanceof Principals.User u) {
            for (String g : u.groups) {
                Principals.Group group = a.groups.get(g);
                if (group != null) {
                    add(state, a, group, out);
                }
            }
            boundaryArn = u.boundaryArn;
        } else if (e instanceof Principals.Role r) {
            boundaryArn = r.boundaryArn;
        }
        Policy boundary = null;
        if (boundaryArn != null) {
            Principals.ManagedPolicy p = state.policy(a, boundaryArn);
            if (p != null) {
                boundary = PolicyDocs.policy(p.arn, p.defaultDocument(), PolicyKind.IDENTITY);
            }
        }
        return new EffectivePolicies(out, boundary);
    }

    private static void add(IamState state, IamAccount a, Principals.Entity e, List<Policy> out) {
        e.inlinePolicies.forEach((name, doc) -> out.add(PolicyDocs.policy(e.arn + " inline " + name, doc, PolicyKind.IDENTITY)));
        for (String arn : e.attached) {
            Principals.ManagedPolicy p = state.policy(a, arn);
            if (p != null) {
                out.add(PolicyDocs.policy(arn, p.defaultDocument(), PolicyKind.IDENTITY));
            }
        }
    }
}
