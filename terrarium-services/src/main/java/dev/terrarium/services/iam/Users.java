package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.time.Instant;

import static dev.terrarium.services.iam.IamSupport.*;

/** Users: create, read, rename, delete, tags and permissions boundaries. */
final class Users {
    private final IamSupport iam;

    Users(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("CreateUser")
    public Struct createUser(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String name = in.string("UserName");
            if (a.users.containsKey(name)) {
                throw exists("User with name " + name + " already exists.");
            }
            String path = in.string("Path", "/");
            Principals.User u = new Principals.User(name, IamIds.of("AIDA"), a.arn("user", path, name), path, iam.now());
            u.tags.putAll(tags(in));
            u.boundaryArn = iam.boundary(a, in.string("PermissionsBoundary"));
            a.users.put(name, u);
            return Struct.of("User", iam.user(u));
        }
    }

    @AwsOperation("GetUser")
    public Struct getUser(Call call, Struct in) {
        IamAccount a = iam.account(call);
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
            return Struct.of("User", iam.user(requireUser(a, name)));
        }
    }

    @AwsOperation("ListUsers")
    public Struct listUsers(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return page(in, filterPath(a.users.values(), u -> u.path, in.string("PathPrefix")), u -> u.name, "Users",
                    u -> iam.user(u).put("Tags", null).put("PermissionsBoundary", null));
        }
    }

    @AwsOperation("UpdateUser")
    public Struct updateUser(Call call, Struct in) {
        IamAccount a = iam.account(call);
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
        IamAccount a = iam.account(call);
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
        return iam.tag(call, in, a -> requireUser(a, in.string("UserName")).tags);
    }

    @AwsOperation("UntagUser")
    public Struct untagUser(Call call, Struct in) {
        return iam.untag(call, in, a -> requireUser(a, in.string("UserName")).tags);
    }

    @AwsOperation("ListUserTags")
    public Struct listUserTags(Call call, Struct in) {
        return iam.allTags(call, a -> requireUser(a, in.string("UserName")).tags);
    }

    @AwsOperation("PutUserPermissionsBoundary")
    public Struct putUserPermissionsBoundary(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireUser(a, in.string("UserName")).boundaryArn = iam.boundary(a, in.string("PermissionsBoundary"));
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteUserPermissionsBoundary")
    public Struct deleteUserPermissionsBoundary(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireUser(a, in.string("UserName")).boundaryArn = null;
            return Struct.empty();
        }
    }
}
