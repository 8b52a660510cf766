package dev.terrarium.services.iam;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The IAM resource a call names, for the authorizer: the managed policy (PolicyArn), else the role, group or
 * user, with its tags (a group has none). A name that does not exist still names an ARN, without a path.
 */
final class IamResources {
    private IamResources() {
    }

    /** A named resource's ARN and tags. */
    record Named(String arn, Map<String, String> tags) {
    }

    /** The resource the call names, or null when it names none; account is the caller's state (null: none yet). */
    static Named of(Call call, Struct in, IamAccount account) {
        IamAccount iam = account == null ? new IamAccount(call.account()) : account;
        String prefix = "arn:aws:iam::" + iam.id + ":";
        synchronized (iam) {
            if (in.string("PolicyArn") != null) {
                Principals.ManagedPolicy p = iam.policies.get(in.string("PolicyArn"));
                return new Named(in.string("PolicyArn"), p == null ? Map.of() : Map.copyOf(p.tags));
            }
            if (in.string("RoleName") != null) {
                Principals.Role r = iam.roles.get(in.string("RoleName"));
                return r == null ? new Named(prefix + "role/" + in.string("RoleName"), Map.of()) : new Named(r.arn, Map.copyOf(r.tags));
            }
            if (in.string("GroupName") != null) {
                Principals.Group g = iam.groups.get(in.string("GroupName"));
                return new Named(g == null ? prefix + "group/" + in.string("GroupName") : g.arn, Map.of());
            }
            if (in.string("UserName") != null) {
                Principals.User u = iam.users.get(in.string("UserName"));
                return u == null ? new Named(prefix + "user/" + in.string("UserName"), Map.of()) : new Named(u.arn, Map.copyOf(u.tags));
            }
            return null;
        }
    }

    /** IAM's own name for a resource's tags, beside aws:ResourceTag: iam:ResourceTag/key. */
    static Map<String, String> iamTagKeys(Map<String, String> tags) {
        Map<String, String> keys = new LinkedHashMap<>();
        tags.forEach((k, v) -> keys.put("iam:ResourceTag/" + k, v));
        return keys;
    }
}
