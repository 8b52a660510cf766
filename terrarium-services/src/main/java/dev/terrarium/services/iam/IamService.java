package dev.terrarium.services.iam;

import dev.terrarium.core.auth.AccessKeys;
import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.iam.Authorizer;
import dev.terrarium.core.iam.Decision;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * AWS Identity and Access Management: users, groups, roles, policies, keys and the account's
 * settings. Access keys it creates really sign requests; with --enforce-iam, {@link IamAuthorizer}
 * evaluates every request against what is stored here.
 */
@Service("iam")
public final class IamService extends IamCredentialOperations implements Authorizer {
    private final IamAuthorizer authorizer;

    public IamService(ServiceContext context) {
        super(context, new IamState(context.credentials()));
        this.authorizer = new IamAuthorizer(context, state);
    }

    @Override
    public Decision authorize(Call call, Struct input) {
        return authorizer.authorize(call, input);
    }

    @Override
    public String encode(Decision decision) {
        return authorizer.encode(decision);
    }

    /** The state the authorizer reads. */
    public IamState state() { return state; }

    @Override
    public void reset() {
        state.reset();
    }

    /**
     * For Organizations' CreateAccount: the role the management account uses to administer a new member
     * account (AdministratorAccess, trusted by the management account's root).
     */
    public void createOrganizationAccessRole(String account, String roleName, String managementAccount) {
        IamAccount a = state.account(account);
        synchronized (a) {
            if (a.roles.containsKey(roleName)) {
                return;
            }
            Principals.Role r = new Principals.Role(roleName, IamIds.of("AROA"), a.arn("role", "/", roleName), "/", now());
            r.trustPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                    + "\"arn:aws:iam::" + managementAccount + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
            r.attached.add("arn:aws:iam::aws:policy/AdministratorAccess");
            a.roles.put(roleName, r);
        }
    }

    // ---------------------------------------------------------------- outbound identity federation

    /** The account's outbound federation when enabled (for STS GetWebIdentityToken), else null. */
    public OutboundFederation outboundFederation(String account) {
        IamAccount a = state.existing(account);
        if (a == null) {
            return null;
        }
        synchronized (a) {
            return a.outboundFederation != null && a.outboundFederation.enabled ? a.outboundFederation : null;
        }
    }

    @AwsOperation("EnableOutboundWebIdentityFederation")
    public Struct enableOutboundWebIdentityFederation(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            if (a.outboundFederation != null && a.outboundFederation.enabled) {
                throw new AwsException("FeatureEnabledException", "Outbound web identity federation is already enabled for this account.");
            }
            if (a.outboundFederation == null) {
                a.outboundFederation = new OutboundFederation();
            }
            a.outboundFederation.enabled = true;
            return Struct.of("IssuerIdentifier", a.outboundFederation.issuer());
        }
    }

    @AwsOperation("DisableOutboundWebIdentityFederation")
    public Struct disableOutboundWebIdentityFederation(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            requireOutboundFederation(a).enabled = false;
            return Struct.empty();
        }
    }

    @AwsOperation("GetOutboundWebIdentityFederationInfo")
    public Struct getOutboundWebIdentityFederationInfo(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("IssuerIdentifier", requireOutboundFederation(a).issuer(), "JwtVendingEnabled", true);
        }
    }

    private static OutboundFederation requireOutboundFederation(IamAccount a) {
        if (a.outboundFederation == null || !a.outboundFederation.enabled) {
            throw new AwsException("FeatureDisabledException", "Outbound web identity federation is disabled for this account.");
        }
        return a.outboundFederation;
    }

    // ---------------------------------------------------------------- users

    @AwsOperation("CreateUser")
    public Struct createUser(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String name = in.string("UserName");
            if (a.users.containsKey(name)) {
                throw exists("User with name " + name + " already exists.");
            }
            String path = in.string("Path", "/");
            Principals.User u = new Principals.User(name, IamIds.of("AIDA"), a.arn("user", path, name), path, now());
            u.tags.putAll(tags(in));
            u.boundaryArn = boundary(a, in.string("PermissionsBoundary"));
            a.users.put(name, u);
            return Struct.of("User", user(u));
        }
    }

    @AwsOperation("GetUser")
    public Struct getUser(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String name = in.string("UserName");
            if (name == null) {
                Identity id = call.identity();
                if (id.kind() == Identity.Kind.ROOT) {
                    return Struct.of("User", Struct.of("UserId", a.id, "Arn", id.arn(), "CreateDate", Instant.EPOCH,
                            "Path", "/", "UserName", ""));
                }
                name = id.arn().substring(id.arn().lastIndexOf('/') + 1);
            }
            return Struct.of("User", user(requireUser(a, name)));
        }
    }

    @AwsOperation("ListUsers")
    public Struct listUsers(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return page(in, filterPath(a.users.values(), u -> u.path, in.string("PathPrefix")), u -> u.name, "Users",
                    u -> user(u).put("Tags", null).put("PermissionsBoundary", null));
        }
    }

    @AwsOperation("UpdateUser")
    public Struct updateUser(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            String newName = in.string("NewUserName");
            if (newName != null && !newName.equals(u.name)) {
                if (a.users.containsKey(newName)) {
                    throw exists("User with name " + newName + " already exists.");
                }
                Principals.User renamed = new Principals.User(newName, u.id,
                        a.arn("user", in.string("NewPath", u.path), newName), in.string("NewPath", u.path), u.created);
                renamed.inlinePolicies.putAll(u.inlinePolicies);
                renamed.attached.addAll(u.attached);
                renamed.tags.putAll(u.tags);
                renamed.groups.addAll(u.groups);
                renamed.boundaryArn = u.boundaryArn;
                renamed.loginProfile = u.loginProfile;
                a.users.remove(u.name);
                a.users.put(newName, renamed);
                for (String g : u.groups) {
                    a.groups.get(g).members.remove(u.name);
                    a.groups.get(g).members.add(newName);
                }
            } else if (in.string("NewPath") != null) {
                u.path = in.string("NewPath");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteUser")
    public Struct deleteUser(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            if (!u.inlinePolicies.isEmpty()) {
                throw conflict("Cannot delete entity, must delete policies first.");
            }
            if (!u.attached.isEmpty()) {
                throw conflict("Cannot delete entity, must detach all policies first.");
            }
            if (!u.groups.isEmpty()) {
                throw conflict("Cannot delete entity, must remove user from all groups first.");
            }
            if (a.accessKeys.values().stream().anyMatch(k -> k.userName.equals(u.name))) {
                throw conflict("Cannot delete entity, must delete access keys first.");
            }
            if (u.loginProfile != null) {
                throw conflict("Cannot delete entity, must delete login profile first.");
            }
            if (a.signingCertificates.values().stream().anyMatch(c -> c.userName.equals(u.name))) {
                throw conflict("Cannot delete entity, must delete signing certificates first.");
            }
            if (a.sshPublicKeys.values().stream().anyMatch(k -> k.userName.equals(u.name))) {
                throw conflict("Cannot delete entity, must delete SSH public keys first.");
            }
            if (a.serviceCredentials.values().stream().anyMatch(c -> c.userName.equals(u.name))) {
                throw conflict("Cannot delete entity, must delete service specific credentials first.");
            }
            if (!u.mfaSerials.isEmpty()) {
                throw conflict("Cannot delete entity, must delete MFA device first.");
            }
            a.users.remove(u.name);
            return Struct.empty();
        }
    }

    @AwsOperation("TagUser")
    public Struct tagUser(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            putTags(requireUser(a, in.string("UserName")).tags, in);
            return Struct.empty();
        }
    }

    @AwsOperation("UntagUser")
    public Struct untagUser(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            in.strings("TagKeys").forEach(requireUser(a, in.string("UserName")).tags::remove);
            return Struct.empty();
        }
    }

    @AwsOperation("ListUserTags")
    public Struct listUserTags(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("Tags", tagList(requireUser(a, in.string("UserName")).tags), "IsTruncated", false);
        }
    }

    @AwsOperation("PutUserPermissionsBoundary")
    public Struct putUserPermissionsBoundary(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            requireUser(a, in.string("UserName")).boundaryArn = boundary(a, in.string("PermissionsBoundary"));
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteUserPermissionsBoundary")
    public Struct deleteUserPermissionsBoundary(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            requireUser(a, in.string("UserName")).boundaryArn = null;
            return Struct.empty();
        }
    }

    // ---------------------------------------------------------------- groups

    @AwsOperation("CreateGroup")
    public Struct createGroup(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String name = in.string("GroupName");
            if (a.groups.containsKey(name)) {
                throw exists("Group with name " + name + " already exists.");
            }
            String path = in.string("Path", "/");
            Principals.Group g = new Principals.Group(name, IamIds.of("AGPA"), a.arn("group", path, name), path, now());
            a.groups.put(name, g);
            return Struct.of("Group", group(g));
        }
    }

    @AwsOperation("GetGroup")
    public Struct getGroup(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Group g = requireGroup(a, in.string("GroupName"));
            List<Principals.User> members = new ArrayList<>();
            g.members.forEach(m -> members.add(a.users.get(m)));
            Struct out = page(in, members, u -> u.name, "Users", u -> user(u).put("Tags", null).put("PermissionsBoundary", null));
            return out.put("Group", group(g));
        }
    }

    @AwsOperation("ListGroups")
    public Struct listGroups(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return page(in, filterPath(a.groups.values(), g -> g.path, in.string("PathPrefix")), g -> g.name, "Groups", this::group);
        }
    }

    @AwsOperation("UpdateGroup")
    public Struct updateGroup(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Group g = requireGroup(a, in.string("GroupName"));
            if (in.string("NewPath") != null) {
                g.path = in.string("NewPath");
            }
            String newName = in.string("NewGroupName");
            if (newName != null && !newName.equals(g.name)) {
                if (a.groups.containsKey(newName)) {
                    throw exists("Group with name " + newName + " already exists.");
                }
                Principals.Group renamed = new Principals.Group(newName, g.id, a.arn("group", g.path, newName), g.path, g.created);
                renamed.members.addAll(g.members);
                renamed.inlinePolicies.putAll(g.inlinePolicies);
                renamed.attached.addAll(g.attached);
                a.groups.remove(g.name);
                a.groups.put(newName, renamed);
                for (String m : g.members) {
                    a.users.get(m).groups.remove(g.name);
                    a.users.get(m).groups.add(newName);
                }
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteGroup")
    public Struct deleteGroup(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Group g = requireGroup(a, in.string("GroupName"));
            if (!g.members.isEmpty()) {
                throw conflict("Cannot delete entity, must remove users from group first.");
            }
            if (!g.inlinePolicies.isEmpty()) {
                throw conflict("Cannot delete entity, must delete policies first.");
            }
            if (!g.attached.isEmpty()) {
                throw conflict("Cannot delete entity, must detach all policies first.");
            }
            a.groups.remove(g.name);
            return Struct.empty();
        }
    }

    @AwsOperation("AddUserToGroup")
    public Struct addUserToGroup(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Group g = requireGroup(a, in.string("GroupName"));
            Principals.User u = requireUser(a, in.string("UserName"));
            g.members.add(u.name);
            u.groups.add(g.name);
            return Struct.empty();
        }
    }

    @AwsOperation("RemoveUserFromGroup")
    public Struct removeUserFromGroup(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Group g = requireGroup(a, in.string("GroupName"));
            Principals.User u = requireUser(a, in.string("UserName"));
            g.members.remove(u.name);
            u.groups.remove(g.name);
            return Struct.empty();
        }
    }

    @AwsOperation("ListGroupsForUser")
    public Struct listGroupsForUser(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            List<Principals.Group> groups = new ArrayList<>();
            u.groups.forEach(g -> groups.add(a.groups.get(g)));
            return page(in, groups, g -> g.name, "Groups", this::group);
        }
    }

    // ---------------------------------------------------------------- roles

    @AwsOperation("CreateRole")
    public Struct createRole(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String name = in.string("RoleName");
            if (a.roles.containsKey(name)) {
                throw exists("Role with name " + name + " already exists.");
            }
            String trust = in.string("AssumeRolePolicyDocument");
            PolicyDocs.validate(trust, PolicyKind.TRUST);
            String path = in.string("Path", "/");
            Principals.Role r = new Principals.Role(name, IamIds.of("AROA"), a.arn("role", path, name), path, now());
            r.trustPolicy = trust;
            r.description = in.string("Description");
            r.maxSessionDuration = maxSessionDuration(in.integer("MaxSessionDuration"), 3600);
            r.boundaryArn = boundary(a, in.string("PermissionsBoundary"));
            r.tags.putAll(tags(in));
            a.roles.put(name, r);
            return Struct.of("Role", role(r));
        }
    }

    @AwsOperation("CreateServiceLinkedRole")
    public Struct createServiceLinkedRole(Call call, Struct in) {
        IamAccount a = account(call);
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
            Principals.Role r = new Principals.Role(name, IamIds.of("AROA"), a.arn("role", path, name), path, now());
            r.trustPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
                    + service + "\"},\"Action\":\"sts:AssumeRole\"}]}";
            r.description = in.string("Description");
            r.serviceLinked = true;
            a.roles.put(name, r);
            return Struct.of("Role", role(r));
        }
    }

    @AwsOperation("DeleteServiceLinkedRole")
    public Struct deleteServiceLinkedRole(Call call, Struct in) {
        IamAccount a = account(call);
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
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("Role", role(requireRole(a, in.string("RoleName"))));
        }
    }

    @AwsOperation("ListRoles")
    public Struct listRoles(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return page(in, filterPath(a.roles.values(), r -> r.path, in.string("PathPrefix")), r -> r.name, "Roles",
                    r -> role(r).put("Tags", null).put("PermissionsBoundary", null).put("RoleLastUsed", null));
        }
    }

    @AwsOperation("UpdateRole")
    public Struct updateRole(Call call, Struct in) {
        IamAccount a = account(call);
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
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            r.description = in.string("Description");
            return Struct.of("Role", role(r));
        }
    }

    @AwsOperation("UpdateAssumeRolePolicy")
    public Struct updateAssumeRolePolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            PolicyDocs.validate(in.string("PolicyDocument"), PolicyKind.TRUST);
            r.trustPolicy = in.string("PolicyDocument");
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteRole")
    public Struct deleteRole(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            if (r.serviceLinked) {
                throw new AwsException("UnmodifiableEntityException", "Cannot perform the operation on the protected role '"
                        + r.name + "' - this role is only modifiable by AWS");
            }
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
        IamAccount a = account(call);
        synchronized (a) {
            putTags(requireRole(a, in.string("RoleName")).tags, in);
            return Struct.empty();
        }
    }

    @AwsOperation("UntagRole")
    public Struct untagRole(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            in.strings("TagKeys").forEach(requireRole(a, in.string("RoleName")).tags::remove);
            return Struct.empty();
        }
    }

    @AwsOperation("ListRoleTags")
    public Struct listRoleTags(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("Tags", tagList(requireRole(a, in.string("RoleName")).tags), "IsTruncated", false);
        }
    }

    @AwsOperation("PutRolePermissionsBoundary")
    public Struct putRolePermissionsBoundary(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            requireRole(a, in.string("RoleName")).boundaryArn = boundary(a, in.string("PermissionsBoundary"));
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteRolePermissionsBoundary")
    public Struct deleteRolePermissionsBoundary(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            requireRole(a, in.string("RoleName")).boundaryArn = null;
            return Struct.empty();
        }
    }

    // ---------------------------------------------------------------- instance profiles

    @AwsOperation("CreateInstanceProfile")
    public Struct createInstanceProfile(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String name = in.string("InstanceProfileName");
            if (a.instanceProfiles.containsKey(name)) {
                throw exists("Instance Profile " + name + " already exists.");
            }
            String path = in.string("Path", "/");
            Principals.InstanceProfile p = new Principals.InstanceProfile(name, IamIds.of("AIPA"),
                    a.arn("instance-profile", path, name), path, now());
            p.tags.putAll(tags(in));
            a.instanceProfiles.put(name, p);
            return Struct.of("InstanceProfile", instanceProfile(a, p));
        }
    }

    @AwsOperation("GetInstanceProfile")
    public Struct getInstanceProfile(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("InstanceProfile", instanceProfile(a, requireInstanceProfile(a, in.string("InstanceProfileName"))));
        }
    }

    @AwsOperation("ListInstanceProfiles")
    public Struct listInstanceProfiles(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return page(in, filterPath(a.instanceProfiles.values(), p -> p.path, in.string("PathPrefix")), p -> p.name,
                    "InstanceProfiles", p -> instanceProfile(a, p));
        }
    }

    @AwsOperation("ListInstanceProfilesForRole")
    public Struct listInstanceProfilesForRole(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Role r = requireRole(a, in.string("RoleName"));
            List<Principals.InstanceProfile> ps = a.instanceProfiles.values().stream().filter(p -> p.roles.contains(r.name)).toList();
            return page(in, ps, p -> p.name, "InstanceProfiles", p -> instanceProfile(a, p));
        }
    }

    @AwsOperation("AddRoleToInstanceProfile")
    public Struct addRoleToInstanceProfile(Call call, Struct in) {
        IamAccount a = account(call);
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
        IamAccount a = account(call);
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
        IamAccount a = account(call);
        synchronized (a) {
            Principals.InstanceProfile p = requireInstanceProfile(a, in.string("InstanceProfileName"));
            if (!p.roles.isEmpty()) {
                throw conflict("Cannot delete entity, must remove roles from instance profile first.");
            }
            a.instanceProfiles.remove(p.name);
            return Struct.empty();
        }
    }

    // ---------------------------------------------------------------- access keys and login profiles

    @AwsOperation("CreateAccessKey")
    public Struct createAccessKey(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            long count = a.accessKeys.values().stream().filter(k -> k.userName.equals(u.name)).count();
            if (count >= 2) {
                throw new AwsException("LimitExceededException", "Cannot exceed quota for AccessKeysPerUser: 2");
            }
            Principals.AccessKey key = new Principals.AccessKey(AccessKeys.longTerm(a.id), AccessKeys.secret(), u.name, now());
            a.accessKeys.put(key.id, key);
            state.register(a, key);
            return Struct.of("AccessKey", Struct.of("UserName", u.name, "AccessKeyId", key.id, "Status", key.status,
                    "SecretAccessKey", key.secret, "CreateDate", key.created));
        }
    }

    @AwsOperation("ListAccessKeys")
    public Struct listAccessKeys(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            List<Principals.AccessKey> keys = a.accessKeys.values().stream().filter(k -> k.userName.equals(u.name)).toList();
            return page(in, keys, k -> k.id, "AccessKeyMetadata", k -> Struct.of("UserName", k.userName,
                    "AccessKeyId", k.id, "Status", k.status, "CreateDate", k.created));
        }
    }

    @AwsOperation("UpdateAccessKey")
    public Struct updateAccessKey(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.AccessKey k = requireKey(a, in.string("AccessKeyId"), userOrCaller(call, in));
            k.status = in.string("Status");
            if ("Active".equals(k.status)) {
                state.register(a, k);
            } else {
                context.credentials().revoke(k.id);
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteAccessKey")
    public Struct deleteAccessKey(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.AccessKey k = requireKey(a, in.string("AccessKeyId"), userOrCaller(call, in));
            a.accessKeys.remove(k.id);
            context.credentials().revoke(k.id);
            return Struct.empty();
        }
    }

    @AwsOperation("GetAccessKeyLastUsed")
    public Struct getAccessKeyLastUsed(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.AccessKey k = a.accessKeys.get(in.string("AccessKeyId"));
            if (k == null) {
                throw new AwsException("AccessDenied", "The Access Key with id " + in.string("AccessKeyId")
                        + " cannot be found", 403);
            }
            return Struct.of("UserName", k.userName, "AccessKeyLastUsed", Struct.of("LastUsedDate", k.lastUsed,
                    "ServiceName", k.lastService == null ? "N/A" : k.lastService,
                    "Region", k.lastRegion == null ? "N/A" : k.lastRegion));
        }
    }

    @AwsOperation("CreateLoginProfile")
    public Struct createLoginProfile(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            if (u.loginProfile != null) {
                throw exists("Login Profile for user " + u.name + " already exists.");
            }
            checkPassword(a, in.string("Password"));
            u.loginProfile = new Principals.LoginProfile();
            u.loginProfile.created = now();
            u.loginProfile.password = in.string("Password");
            u.loginProfile.resetRequired = in.bool("PasswordResetRequired", false);
            return Struct.of("LoginProfile", loginProfile(u));
        }
    }

    @AwsOperation("GetLoginProfile")
    public Struct getLoginProfile(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("LoginProfile", loginProfile(requireLoginProfile(a, userOrCaller(call, in))));
        }
    }

    @AwsOperation("UpdateLoginProfile")
    public Struct updateLoginProfile(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireLoginProfile(a, in.string("UserName"));
            if (in.string("Password") != null) {
                checkPassword(a, in.string("Password"));
                u.loginProfile.password = in.string("Password");
            }
            if (in.has("PasswordResetRequired")) {
                u.loginProfile.resetRequired = in.bool("PasswordResetRequired");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteLoginProfile")
    public Struct deleteLoginProfile(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            requireLoginProfile(a, userOrCaller(call, in)).loginProfile = null;
            return Struct.empty();
        }
    }

    // ---------------------------------------------------------------- managed policies

    @AwsOperation("CreatePolicy")
    public Struct createPolicy(Call call, Struct in) {
        IamAccount a = account(call);
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
                    in.string("Description"), now(), false);
            p.versions.put("v1", new Principals.PolicyVersion("v1", doc, p.created));
            p.tags.putAll(tags(in));
            a.policies.put(arn, p);
            return Struct.of("Policy", policy(a, p).put("Description", null));
        }
    }

    @AwsOperation("GetPolicy")
    public Struct getPolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("Policy", policy(a, requirePolicy(a, in.string("PolicyArn"))));
        }
    }

    @AwsOperation("ListPolicies")
    public Struct listPolicies(Call call, Struct in) {
        IamAccount a = account(call);
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
                    .filter(p -> !onlyAttached || state.attachmentCount(a, p.arn) > 0)
                    .filter(p -> prefix == null || p.path.startsWith(prefix))
                    .sorted((x, y) -> x.arn.compareTo(y.arn)).toList();
            return page(in, chosen, p -> p.arn, "Policies", p -> policy(a, p).put("Description", null).put("Tags", null));
        }
    }

    @AwsOperation("DeletePolicy")
    public Struct deletePolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requireLocalPolicy(a, in.string("PolicyArn"));
            if (state.attachmentCount(a, p.arn) > 0) {
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
        IamAccount a = account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requireLocalPolicy(a, in.string("PolicyArn"));
            if (p.versions.size() >= 5) {
                throw new AwsException("LimitExceededException", "A managed policy can have up to 5 versions. Before you "
                        + "create a new version, you must delete an existing version.");
            }
            String doc = in.string("PolicyDocument");
            PolicyDocs.validate(doc, PolicyKind.IDENTITY);
            String id = "v" + p.nextVersion++;
            Principals.PolicyVersion v = new Principals.PolicyVersion(id, doc, now());
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
        IamAccount a = account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requirePolicy(a, in.string("PolicyArn"));
            return Struct.of("PolicyVersion", version(p, requireVersion(p, in.string("VersionId")), true));
        }
    }

    @AwsOperation("ListPolicyVersions")
    public Struct listPolicyVersions(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requirePolicy(a, in.string("PolicyArn"));
            List<Principals.PolicyVersion> vs = new ArrayList<>(p.versions.values());
            java.util.Collections.reverse(vs);
            return Struct.of("Versions", vs.stream().map(v -> (Object) version(p, v, false)).toList(), "IsTruncated", false);
        }
    }

    @AwsOperation("DeletePolicyVersion")
    public Struct deletePolicyVersion(Call call, Struct in) {
        IamAccount a = account(call);
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
        IamAccount a = account(call);
        synchronized (a) {
            Principals.ManagedPolicy p = requireLocalPolicy(a, in.string("PolicyArn"));
            p.defaultVersion = requireVersion(p, in.string("VersionId")).id();
            return Struct.empty();
        }
    }

    @AwsOperation("TagPolicy")
    public Struct tagPolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            putTags(requireLocalPolicy(a, in.string("PolicyArn")).tags, in);
            return Struct.empty();
        }
    }

    @AwsOperation("UntagPolicy")
    public Struct untagPolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            in.strings("TagKeys").forEach(requireLocalPolicy(a, in.string("PolicyArn")).tags::remove);
            return Struct.empty();
        }
    }

    @AwsOperation("ListPolicyTags")
    public Struct listPolicyTags(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("Tags", tagList(requirePolicy(a, in.string("PolicyArn")).tags), "IsTruncated", false);
        }
    }

    @AwsOperation("AttachUserPolicy")
    public Struct attachUserPolicy(Call call, Struct in) { return attach(call, in, "user"); }

    @AwsOperation("AttachGroupPolicy")
    public Struct attachGroupPolicy(Call call, Struct in) { return attach(call, in, "group"); }

    @AwsOperation("AttachRolePolicy")
    public Struct attachRolePolicy(Call call, Struct in) { return attach(call, in, "role"); }

    @AwsOperation("DetachUserPolicy")
    public Struct detachUserPolicy(Call call, Struct in) { return detach(call, in, "user"); }

    @AwsOperation("DetachGroupPolicy")
    public Struct detachGroupPolicy(Call call, Struct in) { return detach(call, in, "group"); }

    @AwsOperation("DetachRolePolicy")
    public Struct detachRolePolicy(Call call, Struct in) { return detach(call, in, "role"); }

    @AwsOperation("ListAttachedUserPolicies")
    public Struct listAttachedUserPolicies(Call call, Struct in) { return listAttached(call, in, "user"); }

    @AwsOperation("ListAttachedGroupPolicies")
    public Struct listAttachedGroupPolicies(Call call, Struct in) { return listAttached(call, in, "group"); }

    @AwsOperation("ListAttachedRolePolicies")
    public Struct listAttachedRolePolicies(Call call, Struct in) { return listAttached(call, in, "role"); }

    private Struct attach(Call call, Struct in, String type) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Entity e = entity(a, type, in);
            Principals.ManagedPolicy p = requirePolicy(a, in.string("PolicyArn"));
            if (e instanceof Principals.Role r && r.serviceLinked) {
                throw new AwsException("UnmodifiableEntityException", "Cannot perform the operation on the protected role '"
                        + r.name + "' - this role is only modifiable by AWS");
            }
            e.attached.add(p.arn);
            return Struct.empty();
        }
    }

    private Struct detach(Call call, Struct in, String type) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Entity e = entity(a, type, in);
            String arn = in.string("PolicyArn");
            if (!e.attached.remove(arn)) {
                throw noSuch("Policy " + arn + " was not found.");
            }
            return Struct.empty();
        }
    }

    private Struct listAttached(Call call, Struct in, String type) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Entity e = entity(a, type, in);
            List<String> arns = new ArrayList<>(e.attached);
            return page(in, arns, s -> s, "AttachedPolicies", arn -> Struct.of("PolicyArn", arn,
                    "PolicyName", arn.substring(arn.lastIndexOf('/') + 1)));
        }
    }

    @AwsOperation("ListEntitiesForPolicy")
    public Struct listEntitiesForPolicy(Call call, Struct in) {
        IamAccount a = account(call);
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

    // ---------------------------------------------------------------- inline policies

    @AwsOperation("PutUserPolicy")
    public Struct putUserPolicy(Call call, Struct in) { return putInline(call, in, "user"); }

    @AwsOperation("PutGroupPolicy")
    public Struct putGroupPolicy(Call call, Struct in) { return putInline(call, in, "group"); }

    @AwsOperation("PutRolePolicy")
    public Struct putRolePolicy(Call call, Struct in) { return putInline(call, in, "role"); }

    @AwsOperation("GetUserPolicy")
    public Struct getUserPolicy(Call call, Struct in) { return getInline(call, in, "user", "UserName"); }

    @AwsOperation("GetGroupPolicy")
    public Struct getGroupPolicy(Call call, Struct in) { return getInline(call, in, "group", "GroupName"); }

    @AwsOperation("GetRolePolicy")
    public Struct getRolePolicy(Call call, Struct in) { return getInline(call, in, "role", "RoleName"); }

    @AwsOperation("DeleteUserPolicy")
    public Struct deleteUserPolicy(Call call, Struct in) { return deleteInline(call, in, "user"); }

    @AwsOperation("DeleteGroupPolicy")
    public Struct deleteGroupPolicy(Call call, Struct in) { return deleteInline(call, in, "group"); }

    @AwsOperation("DeleteRolePolicy")
    public Struct deleteRolePolicy(Call call, Struct in) { return deleteInline(call, in, "role"); }

    @AwsOperation("ListUserPolicies")
    public Struct listUserPolicies(Call call, Struct in) { return listInline(call, in, "user"); }

    @AwsOperation("ListGroupPolicies")
    public Struct listGroupPolicies(Call call, Struct in) { return listInline(call, in, "group"); }

    @AwsOperation("ListRolePolicies")
    public Struct listRolePolicies(Call call, Struct in) { return listInline(call, in, "role"); }

    private Struct putInline(Call call, Struct in, String type) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Entity e = entity(a, type, in);
            PolicyDocs.validate(in.string("PolicyDocument"), PolicyKind.IDENTITY);
            e.inlinePolicies.put(in.string("PolicyName"), in.string("PolicyDocument"));
            return Struct.empty();
        }
    }

    private Struct getInline(Call call, Struct in, String type, String nameMember) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Entity e = entity(a, type, in);
            String doc = e.inlinePolicies.get(in.string("PolicyName"));
            if (doc == null) {
                throw noSuch("The " + type + " policy with name " + in.string("PolicyName") + " cannot be found.");
            }
            return Struct.of(nameMember, e.name, "PolicyName", in.string("PolicyName"), "PolicyDocument", PolicyDocs.encode(doc));
        }
    }

    private Struct deleteInline(Call call, Struct in, String type) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.Entity e = entity(a, type, in);
            if (e.inlinePolicies.remove(in.string("PolicyName")) == null) {
                throw noSuch("The " + type + " policy with name " + in.string("PolicyName") + " cannot be found.");
            }
            return Struct.empty();
        }
    }

    private Struct listInline(Call call, Struct in, String type) {
        IamAccount a = account(call);
        synchronized (a) {
            List<String> names = new ArrayList<>(entity(a, type, in).inlinePolicies.keySet());
            names.sort(null);
            return page(in, names, s -> s, "PolicyNames", s -> s);
        }
    }

    // ---------------------------------------------------------------- account

    @AwsOperation("GetAccountAuthorizationDetails")
    public Struct getAccountAuthorizationDetails(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            List<String> filter = in.strings("Filter");
            boolean all = filter == null || filter.isEmpty();
            List<Object> users = new ArrayList<>();
            List<Object> groups = new ArrayList<>();
            List<Object> roles = new ArrayList<>();
            List<Object> policies = new ArrayList<>();
            if (all || filter.contains("User")) {
                for (Principals.User u : a.users.values()) {
                    users.add(Struct.of("Path", u.path, "UserName", u.name, "UserId", u.id, "Arn", u.arn, "CreateDate", u.created,
                            "UserPolicyList", inlineList(u), "GroupList", new ArrayList<Object>(u.groups),
                            "AttachedManagedPolicies", attachedList(u), "PermissionsBoundary", boundaryStruct(u.boundaryArn),
                            "Tags", tagList(u.tags)));
                }
            }
            if (all || filter.contains("Group")) {
                for (Principals.Group g : a.groups.values()) {
                    groups.add(Struct.of("Path", g.path, "GroupName", g.name, "GroupId", g.id, "Arn", g.arn, "CreateDate", g.created,
                            "GroupPolicyList", inlineList(g), "AttachedManagedPolicies", attachedList(g)));
                }
            }
            if (all || filter.contains("Role")) {
                for (Principals.Role r : a.roles.values()) {
                    List<Object> profiles = new ArrayList<>();
                    a.instanceProfiles.values().stream().filter(p -> p.roles.contains(r.name))
                            .forEach(p -> profiles.add(instanceProfile(a, p)));
                    roles.add(Struct.of("Path", r.path, "RoleName", r.name, "RoleId", r.id, "Arn", r.arn, "CreateDate", r.created,
                            "AssumeRolePolicyDocument", PolicyDocs.encode(r.trustPolicy), "InstanceProfileList", profiles,
                            "RolePolicyList", inlineList(r), "AttachedManagedPolicies", attachedList(r),
                            "PermissionsBoundary", boundaryStruct(r.boundaryArn), "Tags", tagList(r.tags)));
                }
            }
            boolean local = all || filter.contains("LocalManagedPolicy");
            boolean aws = all || filter.contains("AWSManagedPolicy");
            List<Principals.ManagedPolicy> ps = new ArrayList<>();
            if (local) {
                ps.addAll(a.policies.values());
            }
            if (aws) {
                AwsManagedPolicies.all().values().stream().filter(p -> state.attachmentCount(a, p.arn) > 0).forEach(ps::add);
            }
            for (Principals.ManagedPolicy p : ps) {
                List<Object> versions = new ArrayList<>();
                p.versions.values().forEach(v -> versions.add(version(p, v, true)));
                policies.add(policy(a, p).put("Tags", null).put("PolicyVersionList", versions));
            }
            return Struct.of("UserDetailList", users, "GroupDetailList", groups, "RoleDetailList", roles,
                    "Policies", policies, "IsTruncated", false);
        }
    }

    @AwsOperation("GetAccountSummary")
    public Struct getAccountSummary(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("Users", a.users.size());
            m.put("UsersQuota", 5000);
            m.put("Groups", a.groups.size());
            m.put("GroupsQuota", 300);
            m.put("Roles", a.roles.size());
            m.put("RolesQuota", 1000);
            m.put("Policies", a.policies.size());
            m.put("PoliciesQuota", 1500);
            m.put("InstanceProfiles", a.instanceProfiles.size());
            m.put("InstanceProfilesQuota", 1000);
            m.put("ServerCertificates", a.serverCertificates.size());
            m.put("ServerCertificatesQuota", 20);
            m.put("MFADevices", a.mfaDevices.size());
            m.put("MFADevicesInUse", (int) a.mfaDevices.values().stream().filter(d -> d.userName != null).count());
            m.put("AccountMFAEnabled", 0);
            m.put("AccessKeysPerUserQuota", 2);
            m.put("AttachedPoliciesPerUserQuota", 10);
            m.put("AttachedPoliciesPerGroupQuota", 10);
            m.put("AttachedPoliciesPerRoleQuota", 10);
            m.put("PolicyVersionsInUse", a.policies.values().stream().mapToInt(p -> p.versions.size()).sum());
            m.put("PolicyVersionsInUseQuota", 10000);
            m.put("VersionsPerPolicyQuota", 5);
            m.put("PolicySizeQuota", 6144);
            m.put("UserPolicySizeQuota", 2048);
            m.put("GroupPolicySizeQuota", 5120);
            m.put("RolePolicySizeQuota", 10240);
            m.put("GroupsPerUserQuota", 10);
            m.put("SigningCertificatesPerUserQuota", 2);
            m.put("AccountSigningCertificatesPresent", 0);
            m.put("AccountAccessKeysPresent", 0);
            m.put("Providers", a.oidcProviders.size() + a.samlProviders.size());
            m.put("GlobalEndpointTokenVersion", 1);
            return Struct.of("SummaryMap", m);
        }
    }

    @AwsOperation("CreateAccountAlias")
    public Struct createAccountAlias(Call call, Struct in) {
        IamAccount a = account(call);
        String alias = in.string("AccountAlias");
        synchronized (state) {
            if (state.aliasTaken(alias, a)) {
                throw exists("The account alias " + alias + " already exists.");
            }
            synchronized (a) {
                a.aliases.clear();
                a.aliases.add(alias);
            }
        }
        return Struct.empty();
    }

    @AwsOperation("DeleteAccountAlias")
    public Struct deleteAccountAlias(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            if (!a.aliases.remove(in.string("AccountAlias"))) {
                throw noSuch("The account alias " + in.string("AccountAlias") + " cannot be found.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("ListAccountAliases")
    public Struct listAccountAliases(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("AccountAliases", new ArrayList<Object>(a.aliases), "IsTruncated", false);
        }
    }

    @AwsOperation("UpdateAccountPasswordPolicy")
    public Struct updateAccountPasswordPolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            p.put("MinimumPasswordLength", in.integer("MinimumPasswordLength", 6));
            p.put("RequireSymbols", in.bool("RequireSymbols", false));
            p.put("RequireNumbers", in.bool("RequireNumbers", false));
            p.put("RequireUppercaseCharacters", in.bool("RequireUppercaseCharacters", false));
            p.put("RequireLowercaseCharacters", in.bool("RequireLowercaseCharacters", false));
            p.put("AllowUsersToChangePassword", in.bool("AllowUsersToChangePassword", false));
            Integer maxAge = in.integer("MaxPasswordAge");
            p.put("ExpirePasswords", maxAge != null && maxAge > 0);
            p.put("MaxPasswordAge", maxAge);
            p.put("PasswordReusePrevention", in.integer("PasswordReusePrevention"));
            p.put("HardExpiry", in.bool("HardExpiry", false));
            a.passwordPolicy = p;
            return Struct.empty();
        }
    }

    @AwsOperation("GetAccountPasswordPolicy")
    public Struct getAccountPasswordPolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            if (a.passwordPolicy == null) {
                throw noSuch("The Password Policy with domain name " + a.id + " cannot be found.");
            }
            Struct p = new Struct();
            a.passwordPolicy.forEach(p::put);
            return Struct.of("PasswordPolicy", p);
        }
    }

    @AwsOperation("DeleteAccountPasswordPolicy")
    public Struct deleteAccountPasswordPolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            if (a.passwordPolicy == null) {
                throw noSuch("The account policy with name PasswordPolicy cannot be found.");
            }
            a.passwordPolicy = null;
            return Struct.empty();
        }
    }

    // ---------------------------------------------------------------- MFA, certificates, providers

    @AwsOperation("CreateVirtualMFADevice")
    public Struct createVirtualMfaDevice(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String serial = a.arn("mfa", in.string("Path", "/"), in.string("VirtualMFADeviceName"));
            if (a.mfaDevices.containsKey(serial)) {
                throw exists("MFADevice entity at the same path and name already exists.");
            }
            byte[] seed = new byte[20];
            new java.security.SecureRandom().nextBytes(seed);
            String base32 = Base64.getEncoder().encodeToString(seed);
            Principals.MfaDevice d = new Principals.MfaDevice(serial, base32, now());
            d.tags.putAll(tags(in));
            a.mfaDevices.put(serial, d);
            return Struct.of("VirtualMFADevice", Struct.of("SerialNumber", serial,
                    "Base32StringSeed", base32.getBytes(StandardCharsets.US_ASCII),
                    "QRCodePNG", ("otpauth://totp/" + in.string("VirtualMFADeviceName")).getBytes(StandardCharsets.US_ASCII),
                    "Tags", d.tags.isEmpty() ? null : tagList(d.tags)));
        }
    }

    @AwsOperation("EnableMFADevice")
    public Struct enableMfaDevice(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            String serial = in.string("SerialNumber");
            Principals.MfaDevice d = a.mfaDevices.computeIfAbsent(serial, s -> new Principals.MfaDevice(s, null, now()));
            if (d.userName != null) {
                throw exists("MFA Device is already in use.");
            }
            checkAuthenticationCodes(in);
            d.userName = u.name;
            d.enabled = now();
            u.mfaSerials.add(serial);
            return Struct.empty();
        }
    }

    @AwsOperation("DeactivateMFADevice")
    public Struct deactivateMfaDevice(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            Principals.MfaDevice d = requireMfaDeviceOf(a, u, in.string("SerialNumber"));
            d.userName = null;
            d.enabled = null;
            u.mfaSerials.remove(d.serial);
            if (d.seed == null) {
                a.mfaDevices.remove(d.serial);
            }
            return Struct.empty();
        }
    }

    @AwsOperation("ListMFADevices")
    public Struct listMfaDevices(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            List<Object> out = new ArrayList<>();
            for (String s : u.mfaSerials) {
                Principals.MfaDevice d = a.mfaDevices.get(s);
                out.add(Struct.of("UserName", u.name, "SerialNumber", s, "EnableDate", d.enabled));
            }
            return Struct.of("MFADevices", out, "IsTruncated", false);
        }
    }

    @AwsOperation("ListVirtualMFADevices")
    public Struct listVirtualMfaDevices(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String status = in.string("AssignmentStatus", "Any");
            List<Object> out = new ArrayList<>();
            for (Principals.MfaDevice d : a.mfaDevices.values()) {
                boolean assigned = d.userName != null;
                if (d.seed == null || (status.equals("Assigned") && !assigned) || (status.equals("Unassigned") && assigned)) {
                    continue;
                }
                Principals.User u = assigned ? a.users.get(d.userName) : null;
                out.add(Struct.of("SerialNumber", d.serial, "User", u == null ? null : user(u).put("Tags", null),
                        "EnableDate", d.enabled));
            }
            return Struct.of("VirtualMFADevices", out, "IsTruncated", false);
        }
    }

    @AwsOperation("DeleteVirtualMFADevice")
    public Struct deleteVirtualMfaDevice(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.MfaDevice d = a.mfaDevices.get(in.string("SerialNumber"));
            if (d == null) {
                throw noSuch("VirtualMFADevice with serial number " + in.string("SerialNumber") + " doesn't exist.");
            }
            if (d.userName != null) {
                throw conflict("MFA device is still in use.");
            }
            a.mfaDevices.remove(d.serial);
            return Struct.empty();
        }
    }

    @AwsOperation("UploadServerCertificate")
    public Struct uploadServerCertificate(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String name = in.string("ServerCertificateName");
            if (a.serverCertificates.containsKey(name)) {
                throw exists("The Server Certificate with name " + name + " already exists.");
            }
            String body = in.string("CertificateBody");
            if (!body.contains("-----BEGIN CERTIFICATE-----")) {
                throw new AwsException("MalformedCertificateException", "Certificate body is invalid");
            }
            if (!in.string("PrivateKey").contains("PRIVATE KEY-----")) {
                throw new AwsException("MalformedCertificateException", "Private key is invalid");
            }
            String path = in.string("Path", "/");
            Principals.ServerCertificate c = new Principals.ServerCertificate(name, IamIds.of("ASCA"),
                    a.arn("server-certificate", path, name), path, body, in.string("CertificateChain"), now(),
                    now().plus(365, ChronoUnit.DAYS));
            a.serverCertificates.put(name, c);
            return Struct.of("ServerCertificateMetadata", certMetadata(c));
        }
    }

    @AwsOperation("GetServerCertificate")
    public Struct getServerCertificate(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.ServerCertificate c = requireCert(a, in.string("ServerCertificateName"));
            return Struct.of("ServerCertificate", Struct.of("ServerCertificateMetadata", certMetadata(c),
                    "CertificateBody", c.body(), "CertificateChain", c.chain()));
        }
    }

    @AwsOperation("ListServerCertificates")
    public Struct listServerCertificates(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return page(in, filterPath(a.serverCertificates.values(), c -> c.path(), in.string("PathPrefix")),
                    c -> c.name(), "ServerCertificateMetadataList", this::certMetadata);
        }
    }

    @AwsOperation("DeleteServerCertificate")
    public Struct deleteServerCertificate(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            a.serverCertificates.remove(requireCert(a, in.string("ServerCertificateName")).name());
            return Struct.empty();
        }
    }

    @AwsOperation("CreateOpenIDConnectProvider")
    public Struct createOpenIdConnectProvider(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String url = in.string("Url");
            if (!url.startsWith("https://")) {
                throw new AwsException("InvalidInputException", "Invalid Open ID Connect Provider URL");
            }
            String arn = "arn:aws:iam::" + a.id + ":oidc-provider/" + url.substring("https://".length());
            if (a.oidcProviders.containsKey(arn)) {
                throw exists("Provider with url " + url + " already exists.");
            }
            a.oidcProviders.put(arn, new Principals.OidcProvider(arn, url.substring(8),
                    in.strings("ClientIDList") == null ? List.of() : List.copyOf(in.strings("ClientIDList")),
                    in.strings("ThumbprintList") == null ? List.of() : List.copyOf(in.strings("ThumbprintList")), now(), tags(in)));
            return Struct.of("OpenIDConnectProviderArn", arn, "Tags", tagList(tags(in)));
        }
    }

    @AwsOperation("GetOpenIDConnectProvider")
    public Struct getOpenIdConnectProvider(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.OidcProvider p = a.oidcProviders.get(in.string("OpenIDConnectProviderArn"));
            if (p == null) {
                throw noSuch("OpenIDConnect Provider not found for arn " + in.string("OpenIDConnectProviderArn"));
            }
            return Struct.of("Url", p.url(), "ClientIDList", new ArrayList<Object>(p.clientIds()),
                    "ThumbprintList", new ArrayList<Object>(p.thumbprints()), "CreateDate", p.created(), "Tags", tagList(p.tags()));
        }
    }

    @AwsOperation("ListOpenIDConnectProviders")
    public Struct listOpenIdConnectProviders(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            List<Object> out = new ArrayList<>();
            a.oidcProviders.keySet().forEach(arn -> out.add(Struct.of("Arn", arn)));
            return Struct.of("OpenIDConnectProviderList", out);
        }
    }

    @AwsOperation("DeleteOpenIDConnectProvider")
    public Struct deleteOpenIdConnectProvider(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            if (a.oidcProviders.remove(in.string("OpenIDConnectProviderArn")) == null) {
                throw noSuch("OpenIDConnect Provider not found for arn " + in.string("OpenIDConnectProviderArn"));
            }
            return Struct.empty();
        }
    }

    @AwsOperation("CreateSAMLProvider")
    public Struct createSamlProvider(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            String arn = "arn:aws:iam::" + a.id + ":saml-provider/" + in.string("Name");
            if (a.samlProviders.containsKey(arn)) {
                throw exists("SAMLProvider " + in.string("Name") + " already exists.");
            }
            String metadata = in.string("SAMLMetadataDocument");
            if (!metadata.contains("EntityDescriptor")) {
                throw new AwsException("InvalidInputException", "Could not parse metadata");
            }
            a.samlProviders.put(arn, new Principals.SamlProvider(arn, metadata, now(), now().plus(3650, ChronoUnit.DAYS), tags(in)));
            return Struct.of("SAMLProviderArn", arn, "Tags", tagList(tags(in)));
        }
    }

    @AwsOperation("GetSAMLProvider")
    public Struct getSamlProvider(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            Principals.SamlProvider p = requireSamlProvider(a, in.string("SAMLProviderArn"));
            return Struct.of("SAMLMetadataDocument", p.metadata(), "CreateDate", p.created(), "ValidUntil", p.validUntil(),
                    "Tags", tagList(p.tags()));
        }
    }

    @AwsOperation("ListSAMLProviders")
    public Struct listSamlProviders(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            List<Object> out = new ArrayList<>();
            a.samlProviders.values().forEach(p -> out.add(Struct.of("Arn", p.arn(), "ValidUntil", p.validUntil(),
                    "CreateDate", p.created())));
            return Struct.of("SAMLProviderList", out);
        }
    }

    @AwsOperation("DeleteSAMLProvider")
    public Struct deleteSamlProvider(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            a.samlProviders.remove(requireSamlProvider(a, in.string("SAMLProviderArn")).arn());
            return Struct.empty();
        }
    }

    // ---------------------------------------------------------------- credential report and simulation

    @AwsOperation("GenerateCredentialReport")
    public Struct generateCredentialReport(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            boolean fresh = a.credentialReportAt == null;
            a.credentialReportAt = now();
            return Struct.of("State", fresh ? "STARTED" : "COMPLETE",
                    "Description", fresh ? "No report exists. Starting a new report generation task" : null);
        }
    }

    @AwsOperation("GetCredentialReport")
    public Struct getCredentialReport(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            if (a.credentialReportAt == null) {
                throw new AwsException("CredentialReportNotPresentException",
                        "Credential report not present. Please call GenerateCredentialReport.", 410);
            }
            return Struct.of("Content", CredentialReport.csv(a).getBytes(StandardCharsets.UTF_8), "ReportFormat", "text/csv",
                    "GeneratedTime", a.credentialReportAt);
        }
    }

    @AwsOperation("SimulatePrincipalPolicy")
    public Struct simulatePrincipalPolicy(Call call, Struct in) {
        IamAccount a = account(call);
        synchronized (a) {
            return Simulation.principal(state, a, in);
        }
    }

    @AwsOperation("SimulateCustomPolicy")
    public Struct simulateCustomPolicy(Call call, Struct in) {
        return Simulation.custom(in);
    }

    // ---------------------------------------------------------------- shapes

    private Struct user(Principals.User u) {
        return Struct.of("Path", u.path, "UserName", u.name, "UserId", u.id, "Arn", u.arn, "CreateDate", u.created,
                "PermissionsBoundary", boundaryStruct(u.boundaryArn), "Tags", u.tags.isEmpty() ? null : tagList(u.tags));
    }

    private Struct group(Principals.Group g) {
        return Struct.of("Path", g.path, "GroupName", g.name, "GroupId", g.id, "Arn", g.arn, "CreateDate", g.created);
    }

    private Struct role(Principals.Role r) {
        return Struct.of("Path", r.path, "RoleName", r.name, "RoleId", r.id, "Arn", r.arn, "CreateDate", r.created,
                "AssumeRolePolicyDocument", PolicyDocs.encode(r.trustPolicy), "Description", r.description,
                "MaxSessionDuration", r.maxSessionDuration, "PermissionsBoundary", boundaryStruct(r.boundaryArn),
                "Tags", r.tags.isEmpty() ? null : tagList(r.tags),
                "RoleLastUsed", r.lastUsed == null ? Struct.empty() : Struct.of("LastUsedDate", r.lastUsed, "Region", r.lastUsedRegion));
    }

    private Struct instanceProfile(IamAccount a, Principals.InstanceProfile p) {
        List<Object> roles = new ArrayList<>();
        p.roles.forEach(r -> roles.add(role(a.roles.get(r)).put("Tags", null).put("RoleLastUsed", null)));
        return Struct.of("Path", p.path, "InstanceProfileName", p.name, "InstanceProfileId", p.id, "Arn", p.arn,
                "CreateDate", p.created, "Roles", roles, "Tags", p.tags.isEmpty() ? null : tagList(p.tags));
    }

    private Struct policy(IamAccount a, Principals.ManagedPolicy p) {
        return Struct.of("PolicyName", p.name, "PolicyId", p.id, "Arn", p.arn, "Path", p.path,
                "DefaultVersionId", p.defaultVersion, "AttachmentCount", state.attachmentCount(a, p.arn),
                "PermissionsBoundaryUsageCount", state.boundaryCount(a, p.arn), "IsAttachable", true,
                "Description", p.description, "CreateDate", p.created, "UpdateDate", p.updated,
                "Tags", p.tags.isEmpty() ? null : tagList(p.tags));
    }

    private static Struct version(Principals.ManagedPolicy p, Principals.PolicyVersion v, boolean withDocument) {
        return Struct.of("Document", withDocument ? PolicyDocs.encode(v.document()) : null, "VersionId", v.id(),
                "IsDefaultVersion", v.id().equals(p.defaultVersion), "CreateDate", v.created());
    }

    private static Struct loginProfile(Principals.User u) {
        return Struct.of("UserName", u.name, "CreateDate", u.loginProfile.created,
                "PasswordResetRequired", u.loginProfile.resetRequired);
    }

    private Struct certMetadata(Principals.ServerCertificate c) {
        return Struct.of("Path", c.path(), "ServerCertificateName", c.name(), "ServerCertificateId", c.id(), "Arn", c.arn(),
                "UploadDate", c.uploaded(), "Expiration", c.expiration());
    }

    private static List<Object> inlineList(Principals.Entity e) {
        List<Object> out = new ArrayList<>();
        e.inlinePolicies.forEach((n, d) -> out.add(Struct.of("PolicyName", n, "PolicyDocument", PolicyDocs.encode(d))));
        return out;
    }

    private static List<Object> attachedList(Principals.Entity e) {
        List<Object> out = new ArrayList<>();
        e.attached.forEach(arn -> out.add(Struct.of("PolicyName", arn.substring(arn.lastIndexOf('/') + 1), "PolicyArn", arn)));
        return out;
    }

    private static Struct boundaryStruct(String arn) {
        return arn == null ? null : Struct.of("PermissionsBoundaryType", "Policy", "PermissionsBoundaryArn", arn);
    }

    // ---------------------------------------------------------------- lookups and checks

    private static <T> List<T> filterPath(Collection<T> items, Function<T, String> path, String prefix) {
        return items.stream().filter(i -> prefix == null || path.apply(i).startsWith(prefix)).toList();
    }

    private Principals.Entity entity(IamAccount a, String type, Struct in) {
        return switch (type) {
            case "user" -> requireUser(a, in.string("UserName"));
            case "group" -> requireGroup(a, in.string("GroupName"));
            default -> requireRole(a, in.string("RoleName"));
        };
    }

    private static Principals.Group requireGroup(IamAccount a, String name) {
        Principals.Group g = name == null ? null : a.groups.get(name);
        if (g == null) {
            throw noSuch("The group with name " + name + " cannot be found.");
        }
        return g;
    }

    private static Principals.Role requireRole(IamAccount a, String name) {
        Principals.Role r = name == null ? null : a.roles.get(name);
        if (r == null) {
            throw noSuch("The role with name " + name + " cannot be found.");
        }
        return r;
    }

    private static Principals.AccessKey requireKey(IamAccount a, String id, String user) {
        Principals.AccessKey k = a.accessKeys.get(id);
        if (k == null || !k.userName.equals(user)) {
            throw noSuch("The Access Key with id " + id + " cannot be found.");
        }
        return k;
    }

    private Principals.ManagedPolicy requirePolicy(IamAccount a, String arn) {
        Principals.ManagedPolicy p = state.policy(a, arn);
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

    private String boundary(IamAccount a, String arn) {
        if (arn == null) {
            return null;
        }
        if (state.policy(a, arn) == null) {
            throw new AwsException("NoSuchEntityException", "Scope ARN: " + arn + " does not exist or is not attachable.");
        }
        return arn;
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

    static void checkPassword(IamAccount a, String password) {
        int min = a.passwordPolicy == null ? 6 : (Integer) a.passwordPolicy.get("MinimumPasswordLength");
        if (password == null || password.length() < min) {
            throw new AwsException("PasswordPolicyViolationException", "Password does not conform to the account password policy.");
        }
    }

}
