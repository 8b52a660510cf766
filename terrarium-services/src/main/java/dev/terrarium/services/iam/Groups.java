package dev.terrarium.services.iam;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.util.ArrayList;
import java.util.List;

import static dev.terrarium.services.iam.IamSupport.*;

/** Groups and their members. */
final class Groups {
    private final IamSupport iam;

    Groups(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("CreateGroup")
    public Struct createGroup(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String name = in.string("GroupName");
            if (a.groups.containsKey(name)) {
                throw exists("Group with name " + name + " already exists.");
            }
            String path = in.string("Path", "/");
            Principals.Group g = new Principals.Group(name, IamIds.of("AGPA"), a.arn("group", path, name), path, iam.now());
            a.groups.put(name, g);
            return Struct.of("Group", iam.group(g));
        }
    }

    @AwsOperation("GetGroup")
    public Struct getGroup(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Group g = requireGroup(a, in.string("GroupName"));
            List<Principals.User> members = new ArrayList<>();
            g.members.forEach(m -> members.add(a.users.get(m)));
            Struct out = page(in, members, u -> u.name, "Users", u -> iam.user(u).put("Tags", null).put("PermissionsBoundary", null));
            return out.put("Group", iam.group(g));
        }
    }

    @AwsOperation("ListGroups")
    public Struct listGroups(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return page(in, filterPath(a.groups.values(), g -> g.path, in.string("PathPrefix")), g -> g.name, "Groups", iam::group);
        }
    }

    @AwsOperation("UpdateGroup")
    public Struct updateGroup(Call call, Struct in) {
        IamAccount a = iam.account(call);
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
        IamAccount a = iam.account(call);
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
        IamAccount a = iam.account(call);
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
        IamAccount a = iam.account(call);
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
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            List<Principals.Group> groups = new ArrayList<>();
            u.groups.forEach(g -> groups.add(a.groups.get(g)));
            return page(in, groups, g -> g.name, "Groups", iam::group);
        }
    }
}
