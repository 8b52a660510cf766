package dev.terrarium.services.organizations;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.List;
import java.util.function.Function;

import static dev.terrarium.services.organizations.OrgSupport.*;

/** Organizational units and the tree of parents and children. */
final class OrganizationalUnits {
    private final OrgSupport org;

    OrganizationalUnits(OrgSupport org) {
        this.org = org;
    }

    @AwsOperation("CreateOrganizationalUnit")
    public Struct createOrganizationalUnit(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.Node parent = o.nodes.get(in.string("ParentId"));
            if (parent == null) {
                throw OrgErrors.parentNotFound();
            }
            String name = in.string("Name");
            for (Organization.Node n : o.nodes.values()) {
                if (parent.id.equals(n.parentId) && n.name.equals(name)) {
                    throw OrgErrors.of("DuplicateOrganizationalUnitException", "An OU with the same name already exists.");
                }
            }
            if (depth(o, parent) >= 5) {
                throw OrgErrors.constraint("OU_DEPTH_LIMIT_EXCEEDED", "You have reached the maximum depth of OUs.");
            }
            String id = OrgIds.ou(o.root.id);
            Organization.Node ou = new Organization.Node(id, name, parent.id, o.arn("ou/" + o.id + "/" + id));
            ou.tags.putAll(tags(in));
            if (o.enabledPolicyTypes.contains(Organization.SCP)) {
                ou.policies.add(Organization.FULL_AWS_ACCESS);
            }
            o.nodes.put(id, ou);
            return Struct.of("OrganizationalUnit", ou(o, ou));
        }
    }

    @AwsOperation("DescribeOrganizationalUnit")
    public Struct describeOrganizationalUnit(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            return Struct.of("OrganizationalUnit", ou(o, requireOu(o, in.string("OrganizationalUnitId"))));
        }
    }

    @AwsOperation("UpdateOrganizationalUnit")
    public Struct updateOrganizationalUnit(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.Node ou = requireOu(o, in.string("OrganizationalUnitId"));
            String name = in.string("Name");
            if (name != null) {
                for (Organization.Node n : o.nodes.values()) {
                    if (n != ou && ou.parentId.equals(n.parentId) && n.name.equals(name)) {
                        throw OrgErrors.of("DuplicateOrganizationalUnitException", "An OU with the same name already exists.");
                    }
                }
                ou.name = name;
            }
            return Struct.of("OrganizationalUnit", ou(o, ou));
        }
    }

    @AwsOperation("DeleteOrganizationalUnit")
    public Struct deleteOrganizationalUnit(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.Node ou = requireOu(o, in.string("OrganizationalUnitId"));
            boolean hasChildren = o.nodes.values().stream().anyMatch(n -> ou.id.equals(n.parentId))
                    || o.accounts.values().stream().anyMatch(m -> ou.id.equals(m.parentId));
            if (hasChildren) {
                throw OrgErrors.of("OrganizationalUnitNotEmptyException", "The specified OU is not empty. Move all "
                        + "accounts to another root or OU, or remove them from the organization, and delete all child "
                        + "OUs, and try again.");
            }
            o.nodes.remove(ou.id);
            return Struct.empty();
        }
    }

    @AwsOperation("ListOrganizationalUnitsForParent")
    public Struct listOrganizationalUnitsForParent(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            Organization.Node parent = requireParent(o, in.string("ParentId"));
            List<Organization.Node> ous = o.nodes.values().stream().filter(n -> parent.id.equals(n.parentId)).toList();
            return page(in, ous, n -> n.id, "OrganizationalUnits", n -> ou(o, n));
        }
    }

    @AwsOperation("ListChildren")
    public Struct listChildren(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            Organization.Node parent = requireParent(o, in.string("ParentId"));
            String type = in.string("ChildType");
            List<String> ids = type.equals("ACCOUNT")
                    ? o.accounts.values().stream().filter(m -> parent.id.equals(m.parentId)).map(m -> m.id).toList()
                    : o.nodes.values().stream().filter(n -> parent.id.equals(n.parentId)).map(n -> n.id).toList();
            return page(in, ids, Function.identity(), "Children", id -> Struct.of("Id", id, "Type", type));
        }
    }

    @AwsOperation("ListParents")
    public Struct listParents(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            String child = in.string("ChildId");
            String parentId;
            if (o.accounts.containsKey(child)) {
                parentId = o.accounts.get(child).parentId;
            } else if (o.nodes.containsKey(child) && !o.nodes.get(child).isRoot()) {
                parentId = o.nodes.get(child).parentId;
            } else {
                throw OrgErrors.of("ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
            }
            Organization.Node p = o.nodes.get(parentId);
            return page(in, List.of(p), n -> n.id, "Parents",
                    n -> Struct.of("Id", n.id, "Type", n.isRoot() ? "ROOT" : "ORGANIZATIONAL_UNIT"));
        }
    }

    private static Organization.Node requireOu(Organization o, String id) {
        Organization.Node n = id == null ? null : o.nodes.get(id);
        if (n == null || n.isRoot()) {
            throw OrgErrors.ouNotFound();
        }
        return n;
    }

    private static int depth(Organization o, Organization.Node n) {
        int d = 0;
        for (Organization.Node x = n; !x.isRoot(); x = o.nodes.get(x.parentId)) {
            d++;
        }
        return d;
    }
}
