package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/** What IAM's operation groups share: the state, the clock, lookups that fail as IAM does, and shapes. */
final class IamSupport {
    final ServiceContext context;
    final IamState state;

    IamSupport(ServiceContext context, IamState state) {
        this.context = context;
        this.state = state;
    }

    Struct detach(Call call, Struct in, String type) {
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

    Struct user(Principals.User u) {
        return Struct.of("Path", u.path, "UserName", u.name, "UserId", u.id, "Arn", u.arn, "CreateDate", u.created,
                "PermissionsBoundary", boundaryStruct(u.boundaryArn), "Tags", u.tags.isEmpty() ? null : tagList(u.tags));
    }

    Struct group(Principals.Group g) {
        return Struct.of("Path", g.path, "GroupName", g.name, "GroupId", g.id, "Arn", g.arn, "CreateDate", g.created);
    }

    Struct role(Principals.Role r) {
        return Struct.of("Path", r.path, "RoleName", r.name, "RoleId", r.id, "Arn", r.arn, "CreateDate", r.created,
                "AssumeRolePolicyDocument", PolicyDocs.encode(r.trustPolicy), "Description", r.description,
                "MaxSessionDuration", r.maxSessionDuration, "PermissionsBoundary", boundaryStruct(r.boundaryArn),
                "Tags", r.tags.isEmpty() ? null : tagList(r.tags),
                "RoleLastUsed", r.lastUsed == null ? Struct.empty() : Struct.of("LastUsedDate", r.lastUsed, "Region", r.lastUsedRegion));
    }

    Struct instanceProfile(IamAccount a, Principals.InstanceProfile p) {
        List<Object> roles = new ArrayList<>();
        p.roles.forEach(r -> roles.add(role(a.roles.get(r)).put("Tags", null).put("RoleLastUsed", null)));
        return Struct.of("Path", p.path, "InstanceProfileName", p.name, "InstanceProfileId", p.id, "Arn", p.arn,
                "CreateDate", p.created, "Roles", roles, "Tags", p.tags.isEmpty() ? null : tagList(p.tags));
    }

    Struct policy(IamAccount a, Principals.ManagedPolicy p) {
        return Struct.of("PolicyName", p.name, "PolicyId", p.id, "Arn", p.arn, "Path", p.path,
                "DefaultVersionId", p.defaultVersion, "AttachmentCount", state.attachmentCount(a, p.arn),
                "PermissionsBoundaryUsageCount", state.boundaryCount(a, p.arn), "IsAttachable", true,
                "Description", p.description, "CreateDate", p.created, "UpdateDate", p.updated,
                "Tags", p.tags.isEmpty() ? null : tagList(p.tags));
    }

    static Struct version(Principals.ManagedPolicy p, Principals.PolicyVersion v, boolean withDocument) {
        return Struct.of("Document", withDocument ? PolicyDocs.encode(v.document()) : null, "VersionId", v.id(),
                "IsDefaultVersion", v.id().equals(p.defaultVersion), "CreateDate", v.created());
    }

    static Struct boundaryStruct(String arn) {
        return arn == null ? null : Struct.of("PermissionsBoundaryType", "Policy", "PermissionsBoundaryArn", arn);
    }

    static <T> List<T> filterPath(Collection<T> items, Function<T, String> path, String prefix) {
        return items.stream().filter(i -> prefix == null || path.apply(i).startsWith(prefix)).toList();
    }

    Principals.Entity entity(IamAccount a, String type, Struct in) {
        return switch (type) {
            case "user" -> requireUser(a, in.string("UserName"));
            case "group" -> requireGroup(a, in.string("GroupName"));
            default -> requireRole(a, in.string("RoleName"));
        };
    }

    static Principals.Group requireGroup(IamAccount a, String name) {
        Principals.Group g = name == null ? null : a.groups.get(name);
        if (g == null) {
            throw noSuch("The group with name " + name + " cannot be found.");
        }
        return g;
    }

    static Principals.Role requireRole(IamAccount a, String name) {
        Principals.Role r = name == null ? null : a.roles.get(name);
        if (r == null) {
            throw noSuch("The role with name " + name + " cannot be found.");
        }
        return r;
    }

    String boundary(IamAccount a, String arn) {
        if (arn == null) {
            return null;
        }
        if (state.policy(a, arn) == null) {
            throw new AwsException("NoSuchEntityException", "Scope ARN: " + arn + " does not exist or is not attachable.");
        }
        return arn;
    }

    Struct tag(Call call, Struct in, Function<IamAccount, Map<String, String>> target) {
        IamAccount a = account(call);
        synchronized (a) {
            putTags(target.apply(a), in);
            return Struct.empty();
        }
    }

    Struct untag(Call call, Struct in, Function<IamAccount, Map<String, String>> target) {
        IamAccount a = account(call);
        synchronized (a) {
            Map<String, String> tags = target.apply(a);
            in.strings("TagKeys").forEach(tags::remove);
            return Struct.empty();
        }
    }

    Struct listTags(Call call, Struct in, Function<IamAccount, Map<String, String>> target) {
        IamAccount a = account(call);
        synchronized (a) {
            Map<String, String> tags = target.apply(a);
            return page(in, new ArrayList<>(new TreeSet<>(tags.keySet())), k -> k, "Tags", k -> Struct.of("Key", k, "Value", tags.get(k)));
        }
    }

    /** All of an entity's tags in the order they were added, never truncated (ListRoleTags, ListUserTags, ListPolicyTags). */
    Struct allTags(Call call, Function<IamAccount, Map<String, String>> target) {
        IamAccount a = account(call);
        synchronized (a) {
            return Struct.of("Tags", tagList(target.apply(a)), "IsTruncated", false);
        }
    }

    IamAccount account(Call call) {
        return state.account(call.account());
    }

    Instant now() {
        return context.clock().now().truncatedTo(ChronoUnit.SECONDS);
    }

    static <T> Struct page(Struct in, List<T> items, Function<T, String> key, String member, Function<T, Object> shape) {
        Pagination.Page<T> p = Pagination.page(items, key, in.string("Marker"), in.integer("MaxItems", 100),
                () -> new AwsException("InvalidInputException", "Invalid Marker."));
        List<Object> out = new ArrayList<>();
        p.items().forEach(i -> out.add(shape.apply(i)));
        return Struct.of(member, out, "IsTruncated", p.nextToken() != null, "Marker", p.nextToken());
    }

    static List<Object> tagList(Map<String, String> tags) {
        return new ArrayList<>(Tags.toList(tags, "Key", "Value"));
    }

    static Map<String, String> tags(Struct in) {
        Map<String, String> t = Tags.fromList(in.structs("Tags"), "Key", "Value");
        new Tags().put(t, "InvalidInputException");
        return t;
    }

    static void putTags(Map<String, String> target, Struct in) {
        Tags t = new Tags();
        t.put(target, "InvalidInputException");
        t.put(Tags.fromList(in.structs("Tags"), "Key", "Value"), "InvalidInputException");
        target.clear();
        target.putAll(t.asMap());
    }

    /** A service-linked role is AWS's to change: UnmodifiableEntityException for it, nothing for any other entity. */
    static void requireModifiable(Principals.Entity e) {
        if (e instanceof Principals.Role r && r.serviceLinked) {
            throw new AwsException("UnmodifiableEntityException", "Cannot perform the operation on the protected role '"
                    + r.name + "' - this role is only modifiable by AWS");
        }
    }

    static AwsException noSuch(String message) {
        return new AwsException("NoSuchEntityException", message);
    }

    static AwsException exists(String message) {
        return new AwsException("EntityAlreadyExistsException", message);
    }

    static AwsException conflict(String message) {
        return new AwsException("DeleteConflictException", message);
    }

    static Principals.User requireUser(IamAccount a, String name) {
        Principals.User u = name == null ? null : a.users.get(name);
        if (u == null) {
            throw noSuch("The user with name " + name + " cannot be found.");
        }
        return u;
    }

    static String userOrCaller(Call call, Struct in) {
        String name = in.string("UserName");
        if (name != null) {
            return name;
        }
        Identity id = call.identity();
        if (id.kind() != Identity.Kind.USER) {
            throw new AwsException("ValidationError", "Must specify userName when calling with non-User credentials");
        }
        return id.arn().substring(id.arn().lastIndexOf('/') + 1);
    }

    static String status(Struct in) {
        String s = in.string("Status");
        if (!"Active".equals(s) && !"Inactive".equals(s) && !"Expired".equals(s)) {
            throw new AwsException("ValidationError", "1 validation error detected: Value '" + s
                    + "' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]");
        }
        return s;
    }
}
