package dev.terrarium.services.iam;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.List;
import java.util.Map;

import static dev.terrarium.services.iam.IamSupport.*;

/** Instance profiles, the roles they carry and their tags. */
final class InstanceProfiles {
    private final IamSupport iam;

    InstanceProfiles(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("CreateInstanceProfile")
    public Struct createInstanceProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String name = in.string("InstanceProfileName");
            if (a.instanceProfiles.containsKey(name)) {
                throw exists("Instance Profile " + name + " already exists.");
            }
            String path = in.string("Path", "/");
            Principals.InstanceProfile p = new Principals.InstanceProfile(name, IamIds.of("AIPA"),
                    a.arn("instance-profile", path, name), path, iam.now());
            p.tags.putAll(tags(in));
            a.instanceProfiles.put(name, p);
            return Struct.of("InstanceProfile", iam.instanceProfile(a, p));
        }
    }

    @AwsOperation("GetInstanceProfile")
    public Struct getInstanceProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return Struct.of("InstanceProfile", iam.instanceProfile(a, requireInstanceProfile(a, in.string("InstanceProfileName"))));
        }
    }

    @AwsOperation("ListInstanceProfiles")
    public Struct listInstanceProfiles(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return page(in, filterPath(a.instanceProfiles.values(), p -> p.path, in.string("PathPrefix")), p -> p.name,
                    "InstanceProfiles", p -> iam.instanceProfile(a, p));
        }
    }

    @AwsOperation("ListInstanceProfilesForRole")
    public Struct listInstanceProfilesForRole(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            List<Principals.InstanceProfile> ps = a.instanceProfiles.values().stream().filter(p -> p.roles.contains(r.name)).toList();
            return page(in, ps, p -> p.name, "InstanceProfiles", p -> iam.instanceProfile(a, p));
        }
    }

    @AwsOperation("AddRoleToInstanceProfile")
    public Struct addRoleToInstanceProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.InstanceProfile p = requireInstanceProfile(a, in.string("InstanceProfileName"));
            Principals.Role r = requireRole(a, in.string("RoleName"));
            if (!p.roles.isEmpty()) {
                throw new AwsException("LimitExceededException", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
            }
            p.roles.add(r.name);
            return Struct.empty();
        }
    }

    @AwsOperation("RemoveRoleFromInstanceProfile")
    public Struct removeRoleFromInstanceProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.InstanceProfile p = requireInstanceProfile(a, in.string("InstanceProfileName"));
            Principals.Role r = requireRole(a, in.string("RoleName"));
            if (!p.roles.remove(r.name)) {
                throw noSuch("The role with name " + r.name + " cannot be found.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteInstanceProfile")
    public Struct deleteInstanceProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.InstanceProfile p = requireInstanceProfile(a, in.string("InstanceProfileName"));
            if (!p.roles.isEmpty()) {
                throw conflict("Cannot delete entity, must remove roles from instance profile first.");
            }
            a.instanceProfiles.remove(p.name);
            return Struct.empty();
        }
    }

    @AwsOperation("TagInstanceProfile")
    public Struct tagInstanceProfile(Call call, Struct in) {
        return iam.tag(call, in, a -> instanceProfileTags(a, in));
    }

    @AwsOperation("UntagInstanceProfile")
    public Struct untagInstanceProfile(Call call, Struct in) {
        return iam.untag(call, in, a -> instanceProfileTags(a, in));
    }

    @AwsOperation("ListInstanceProfileTags")
    public Struct listInstanceProfileTags(Call call, Struct in) {
        return iam.listTags(call, in, a -> instanceProfileTags(a, in));
    }

    private static Map<String, String> instanceProfileTags(IamAccount a, Struct in) {
        return requireInstanceProfile(a, in.string("InstanceProfileName")).tags;
    }

    static Principals.InstanceProfile requireInstanceProfile(IamAccount a, String name) {
        Principals.InstanceProfile p = a.instanceProfiles.get(name);
        if (p == null) {
            throw noSuch("Instance Profile " + name + " cannot be found.");
        }
        return p;
    }
}
