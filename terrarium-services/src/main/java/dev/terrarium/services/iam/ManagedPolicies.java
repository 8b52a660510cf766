package dev.terrarium.services.iam;

import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.util.ArrayList;
import java.util.List;

import static dev.terrarium.services.iam.IamSupport.*;

/** Customer managed policies, their versions and tags; attaching managed policies to users, groups and roles. */
final class ManagedPolicies {
    private final IamSupport iam;

    ManagedPolicies(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("CreatePolicy")
    public Struct createPolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String name = in.string("PolicyName");
            String path = in.string("Path", "/");
            String arn = a.arn("policy", path, name);
            if (a.policies.containsKey(arn) || a.policies.values().stream().anyMatch(p -> p.name.equals(name))) {
                throw exists("A policy called " + name + " already exists. Duplicate names are not allowed.");
            }
            String doc = in.string("PolicyDocument");
            PolicyDocs.validate(doc, PolicyKind.IDENTITY);
            Principals.ManagedPolicy p = new Principals.ManagedPolicy(name, IamIds.of("ANPA"), arn, path,
                    in.string("Description"), iam.now(), false);
            p.versions.put("v1", new Principals.PolicyVersion("v1", doc, p.created));
            p.tags.putAll(tags(in));
            a.policies.put(arn, p);
            return Struct.of("Policy", iam.policy(a, p).put("Description", null));
        }
    }

    @AwsOperation("GetPolicy")
    public Struct getPolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return Struct.of("Policy", iam.policy(a, requirePolicy(a, in.string("PolicyArn"))));
        }
    }

    @AwsOperation("ListPolicies")
    public Struct listPolicies(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String scope = in.string("Scope", "All");
            List<Principals.ManagedPolicy> all = new ArrayList<>();
            if (!scope.equals("Local")) {
                all.addAll(AwsManagedPolicies.all().values());
            }
            if (!scope.equals("AWS")) {
                all.addAll(a.policies.values());
            }
            boolean onlyAttached = in.bool("OnlyAttached", false);
            String prefix = in.string("PathPrefix");
            List<Principals.ManagedPolicy> chosen = all.stream()
                    .filter(p -> !onlyAttached || iam.state.attachmentCount(a, p.arn) > 0)
                    .filter(p -> prefix == null || p.path.startsWith(prefix))
                    .sorted((x, y) -> x.arn.compareTo(y.arn)).toList();
            return page(in, chosen, p -> p.arn, "Policies", p -> iam.policy(a, p).put("Description", null).put("Tags", null));
        }
    }

    @AwsOperation("DeletePolicy")
    public Struct deletePolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requireLocalPolicy(a, in.string("PolicyArn"));
            if (iam.state.attachmentCount(a, p.arn) > 0) {
                throw conflict("Cannot delete a policy attached to entities.");
            }
            if (p.versions.size() > 1) {
                throw conflict("Cannot delete a policy with multiple versions. Delete all non-default versions first.");
            }
            a.policies.remove(p.arn);
            return Struct.empty();
        }
    }

    @AwsOperation("CreatePolicyVersion")
    public Struct createPolicyVersion(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requireLocalPolicy(a, in.string("PolicyArn"));
            if (p.versions.size() >= 5) {
                throw new AwsException("LimitExceededException", "A managed policy can have up to 5 versions. Before you "
                        + "create a new version, you must delete an existing version.");
            }
            String doc = in.string("PolicyDocument");
            PolicyDocs.validate(doc, PolicyKind.IDENTITY);
            String id = "v" + p.nextVersion++;
            Principals.PolicyVersion v = new Principals.PolicyVersion(id, doc, iam.now());
            p.versions.put(id, v);
            if (in.bool("SetAsDefault", false)) {
                p.defaultVersion = id;
            }
            p.updated = v.created();
            return Struct.of("PolicyVersion", version(p, v, false));
        }
    }

    @AwsOperation("GetPolicyVersion")
    public Struct getPolicyVersion(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requirePolicy(a, in.string("PolicyArn"));
            return Struct.of("PolicyVersion", version(p, requireVersion(p, in.string("VersionId")), true));
        }
    }

    @AwsOperation("ListPolicyVersions")
    public Struct listPolicyVersions(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requirePolicy(a, in.string("PolicyArn"));
            List<Principals.PolicyVersion> vs = new ArrayList<>(p.versions.values());
            java.util.Collections.reverse(vs);
            return Struct.of("Versions", vs.stream().map(v -> (Object) version(p, v, false)).toList(), "IsTruncated", false);
        }
    }

    @AwsOperation("DeletePolicyVersion")
    public Struct deletePolicyVersion(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requireLocalPolicy(a, in.string("PolicyArn"));
            Principals.PolicyVersion v = requireVersion(p, in.string("VersionId"));
            if (v.id().equals(p.defaultVersion)) {
                throw conflict("Cannot delete the default version of a policy.");
            }
            p.versions.remove(v.id());
            return Struct.empty();
        }
    }

    @AwsOperation("SetDefaultPolicyVersion")
    public Struct setDefaultPolicyVersion(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requireLocalPolicy(a, in.string("PolicyArn"));
            p.defaultVersion = requireVersion(p, in.string("VersionId")).id();
            return Struct.empty();
        }
    }

    @AwsOperation("TagPolicy")
    public Struct tagPolicy(Call call, Struct in) {
        return iam.tag(call, in, a -> requireLocalPolicy(a, in.string("PolicyArn")).tags);
    }

    @AwsOperation("UntagPolicy")
    public Struct untagPolicy(Call call, Struct in) {
        return iam.untag(call, in, a -> requireLocalPolicy(a, in.string("PolicyArn")).tags);
    }

    @AwsOperation("ListPolicyTags")
    public Struct listPolicyTags(Call call, Struct in) {
        return iam.allTags(call, a -> requirePolicy(a, in.string("PolicyArn")).tags);
    }

    @AwsOperation("AttachUserPolicy")
    public Struct attachUserPolicy(Call call, Struct in) { return attach(call, in, "user"); }

    @AwsOperation("AttachGroupPolicy")
    public Struct attachGroupPolicy(Call call, Struct in) { return attach(call, in, "group"); }

    @AwsOperation("AttachRolePolicy")
    public Struct attachRolePolicy(Call call, Struct in) { return attach(call, in, "role"); }

    @AwsOperation("DetachUserPolicy")
    public Struct detachUserPolicy(Call call, Struct in) { return iam.detach(call, in, "user"); }

    @AwsOperation("DetachGroupPolicy")
    public Struct detachGroupPolicy(Call call, Struct in) { return iam.detach(call, in, "group"); }

    @AwsOperation("DetachRolePolicy")
    public Struct detachRolePolicy(Call call, Struct in) { return iam.detach(call, in, "role"); }

    @AwsOperation("ListAttachedUserPolicies")
    public Struct listAttachedUserPolicies(Call call, Struct in) { return listAttached(call, in, "user"); }

    @AwsOperation("ListAttachedGroupPolicies")
    public Struct listAttachedGroupPolicies(Call call, Struct in) { return listAttached(call, in, "group"); }

    @AwsOperation("ListAttachedRolePolicies")
    public Struct listAttachedRolePolicies(Call call, Struct in) { return listAttached(call, in, "role"); }

    private Struct attach(Call call, Struct in, String type) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Entity e = iam.entity(a, type, in);
            Principals.ManagedPolicy p = requirePolicy(a, in.string("PolicyArn"));
            requireModifiable(e);
            e.attached.add(p.arn);
            return Struct.empty();
        }
    }

    private Struct listAttached(Call call, Struct in, String type) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Entity e = iam.entity(a, type, in);
            List<String> arns = new ArrayList<>(e.attached);
            return page(in, arns, s -> s, "AttachedPolicies", arn -> Struct.of("PolicyArn", arn,
                    "PolicyName", arn.substring(arn.lastIndexOf('/') + 1)));
        }
    }

    @AwsOperation("ListEntitiesForPolicy")
    public Struct listEntitiesForPolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String arn = requirePolicy(a, in.string("PolicyArn")).arn;
            String filter = in.string("EntityFilter");
            List<Object> users = new ArrayList<>();
            List<Object> groups = new ArrayList<>();
            List<Object> roles = new ArrayList<>();
            boolean boundary = "PermissionsBoundary".equals(in.string("PolicyUsageFilter"));
            for (Principals.User u : a.users.values()) {
                if ((boundary ? arn.equals(u.boundaryArn) : u.attached.contains(arn)) && (filter == null || filter.equals("User"))) {
                    users.add(Struct.of("UserName", u.name, "UserId", u.id));
                }
            }
            for (Principals.Group g : a.groups.values()) {
                if (!boundary && g.attached.contains(arn) && (filter == null || filter.equals("Group"))) {
                    groups.add(Struct.of("GroupName", g.name, "GroupId", g.id));
                }
            }
            for (Principals.Role r : a.roles.values()) {
                if ((boundary ? arn.equals(r.boundaryArn) : r.attached.contains(arn)) && (filter == null || filter.equals("Role"))) {
                    roles.add(Struct.of("RoleName", r.name, "RoleId", r.id));
                }
            }
            return Struct.of("PolicyGroups", groups, "PolicyUsers", users, "PolicyRoles", roles, "IsTruncated", false);
        }
    }

    private Principals.ManagedPolicy requirePolicy(IamAccount a, String arn) {
        Principals.ManagedPolicy p = iam.state.policy(a, arn);
        if (p == null) {
            throw noSuch("Policy " + arn + " does not exist or is not attachable.");
        }
        return p;
    }

    private Principals.ManagedPolicy requireLocalPolicy(IamAccount a, String arn) {
        Principals.ManagedPolicy p = requirePolicy(a, arn);
        if (p.awsManaged) {
            throw new AwsException("AccessDenied", "Cannot modify an AWS managed policy: " + arn, 403);
        }
        return p;
    }

    private static Principals.PolicyVersion requireVersion(Principals.ManagedPolicy p, String id) {
        Principals.PolicyVersion v = p.versions.get(id);
        if (v == null) {
            throw noSuch("Policy " + p.arn + " version " + id + " does not exist or is not attachable.");
        }
        return v;
    }
}
