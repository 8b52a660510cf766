package dev.terrarium.services.iam;

import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.Statement;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import static dev.terrarium.services.iam.IamSupport.*;

/** Roles: trust policies, service-linked roles, session duration, tags and permissions boundaries. */
final class Roles {
    private final IamSupport iam;

    Roles(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("CreateRole")
    public Struct createRole(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String name = in.string("RoleName");
            if (a.roles.containsKey(name)) {
                throw exists("Role with name " + name + " already exists.");
            }
            String trust = in.string("AssumeRolePolicyDocument");
            PolicyDocs.validate(trust, PolicyKind.TRUST);
            String path = in.string("Path", "/");
            Principals.Role r = new Principals.Role(name, IamIds.of("AROA"), a.arn("role", path, name), path, iam.now());
            r.trustPolicy = trust;
            r.description = in.string("Description");
            r.maxSessionDuration = maxSessionDuration(in.integer("MaxSessionDuration"), 3600);
            r.boundaryArn = iam.boundary(a, in.string("PermissionsBoundary"));
            r.tags.putAll(tags(in));
            a.roles.put(name, r);
            return Struct.of("Role", iam.role(r));
        }
    }

    @AwsOperation("CreateServiceLinkedRole")
    public Struct createServiceLinkedRole(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String service = in.string("AWSServiceName");
            if (!service.endsWith(".amazonaws.com")) {
                throw new AwsException("InvalidInputException", "Invalid AWSServiceName: " + service);
            }
            String prefix = service.substring(0, service.indexOf('.'));
            String base = "AWSServiceRoleFor" + Character.toUpperCase(prefix.charAt(0)) + prefix.substring(1);
            String name = in.string("CustomSuffix") == null ? base : base + "_" + in.string("CustomSuffix");
            if (a.roles.containsKey(name)) {
                throw new AwsException("InvalidInputException", "Service role name " + name + " has been taken in this account, please try a different suffix.");
            }
            String path = "/aws-service-role/" + service + "/";
            Principals.Role r = new Principals.Role(name, IamIds.of("AROA"), a.arn("role", path, name), path, iam.now());
            r.trustPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
                    + service + "\"},\"Action\":\"sts:AssumeRole\"}]}";
            r.description = in.string("Description");
            r.serviceLinked = true;
            a.roles.put(name, r);
            return Struct.of("Role", iam.role(r));
        }
    }

    @AwsOperation("DeleteServiceLinkedRole")
    public Struct deleteServiceLinkedRole(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            a.roles.remove(r.name);
            return Struct.of("DeletionTaskId", "task/aws-service-role/" + r.path.split("/")[2] + "/" + r.name + "/" + IamIds.of(""));
        }
    }

    @AwsOperation("GetServiceLinkedRoleDeletionStatus")
    public Struct getServiceLinkedRoleDeletionStatus(Call call, Struct in) {
        return Struct.of("Status", "SUCCEEDED");
    }

    @AwsOperation("GetRole")
    public Struct getRole(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return Struct.of("Role", iam.role(requireRole(a, in.string("RoleName"))));
        }
    }

    @AwsOperation("ListRoles")
    public Struct listRoles(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return page(in, filterPath(a.roles.values(), r -> r.path, in.string("PathPrefix")), r -> r.name, "Roles",
                    r -> iam.role(r).put("Tags", null).put("PermissionsBoundary", null).put("RoleLastUsed", null));
        }
    }

    @AwsOperation("UpdateRole")
    public Struct updateRole(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            if (in.has("Description")) {
                r.description = in.string("Description");
            }
            if (in.has("MaxSessionDuration")) {
                r.maxSessionDuration = maxSessionDuration(in.integer("MaxSessionDuration"), r.maxSessionDuration);
            }
            return Struct.empty();
        }
    }

    @AwsOperation("UpdateRoleDescription")
    public Struct updateRoleDescription(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            r.description = in.string("Description");
            return Struct.of("Role", iam.role(r));
        }
    }

    @AwsOperation("UpdateAssumeRolePolicy")
    public Struct updateAssumeRolePolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            PolicyDocs.validate(in.string("PolicyDocument"), PolicyKind.TRUST);
            r.trustPolicy = in.string("PolicyDocument");
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteRole")
    public Struct deleteRole(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            requireModifiable(r);
            if (!r.inlinePolicies.isEmpty()) {
                throw conflict("Cannot delete entity, must delete policies first.");
            }
            if (!r.attached.isEmpty()) {
                throw conflict("Cannot delete entity, must detach all policies first.");
            }
            if (a.instanceProfiles.values().stream().anyMatch(p -> p.roles.contains(r.name))) {
                throw conflict("Cannot delete entity, must remove roles from instance profile first.");
            }
            a.roles.remove(r.name);
            return Struct.empty();
        }
    }

    @AwsOperation("TagRole")
    public Struct tagRole(Call call, Struct in) {
        return iam.tag(call, in, a -> requireRole(a, in.string("RoleName")).tags);
    }

    @AwsOperation("UntagRole")
    public Struct untagRole(Call call, Struct in) {
        return iam.untag(call, in, a -> requireRole(a, in.string("RoleName")).tags);
    }

    @AwsOperation("ListRoleTags")
    public Struct listRoleTags(Call call, Struct in) {
        return iam.allTags(call, a -> requireRole(a, in.string("RoleName")).tags);
    }

    @AwsOperation("PutRolePermissionsBoundary")
    public Struct putRolePermissionsBoundary(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireRole(a, in.string("RoleName")).boundaryArn = iam.boundary(a, in.string("PermissionsBoundary"));
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteRolePermissionsBoundary")
    public Struct deleteRolePermissionsBoundary(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireRole(a, in.string("RoleName")).boundaryArn = null;
            return Struct.empty();
        }
    }

    private static int maxSessionDuration(Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 3600 || value > 43200) {
            throw new AwsException("ValidationError", "1 validation error detected: Value '" + value
                    + "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200");
        }
        return value;
    }
}
