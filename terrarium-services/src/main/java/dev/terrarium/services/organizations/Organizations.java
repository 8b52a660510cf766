package dev.terrarium.services.organizations;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.List;

import static dev.terrarium.services.organizations.OrgSupport.*;

/** The organization, its root and the policy types enabled in it. */
final class Organizations {
    private final OrgSupport org;

    Organizations(OrgSupport org) {
        this.org = org;
    }

    private static final String FULL_ACCESS_CONTENT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";

    @AwsOperation("CreateOrganization")
    public Struct createOrganization(Call call, Struct in) {
        String account = call.account();
        String featureSet = in.string("FeatureSet", "ALL");
        synchronized (org.byAccount) {
            if (org.byAccount.containsKey(account)) {
                throw OrgErrors.of("AlreadyInOrganizationException", "The AWS account is already a member of an organization.");
            }
            Organization o = new Organization(OrgIds.organization(), account, "management+" + account + "@example.com",
                    featureSet, OrgIds.root());
            Organization.Member m = new Organization.Member(account, o.arn("account/" + o.id + "/" + account),
                    o.managementEmail, "management", "INVITED", org.now(), o.root.id);
            o.accounts.put(account, m);
            o.policies.put(Organization.FULL_AWS_ACCESS, new Organization.OrgPolicy(Organization.FULL_AWS_ACCESS,
                    "arn:aws:organizations::aws:policy/service_control_policy/" + Organization.FULL_AWS_ACCESS,
                    Organization.SCP, true, "FullAWSAccess", "Allows access to every operation", FULL_ACCESS_CONTENT));
            org.byAccount.put(account, o);
            synchronized (o) {
                return Struct.of("Organization", organization(o));
            }
        }
    }

    @AwsOperation("DescribeOrganization")
    public Struct describeOrganization(Call call, Struct in) {
        Organization o = org.member(call);
        synchronized (o) {
            return Struct.of("Organization", organization(o));
        }
    }

    @AwsOperation("DeleteOrganization")
    public Struct deleteOrganization(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (org.byAccount) {
            synchronized (o) {
                if (o.accounts.size() > 1) {
                    throw OrgErrors.of("OrganizationNotEmptyException", "To delete an organization you must first "
                            + "remove all member accounts (except the master).");
                }
                org.byAccount.remove(o.managementAccount);
                return Struct.empty();
            }
        }
    }

    @AwsOperation("EnableAllFeatures")
    public Struct enableAllFeatures(Call call, Struct in) {
        org.management(call);
        return Struct.of("Handshake", null);
    }

    @AwsOperation("ListRoots")
    public Struct listRoots(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            return page(in, List.of(o.root), n -> n.id, "Roots", n -> root(o, n));
        }
    }

    @AwsOperation("EnablePolicyType")
    public Struct enablePolicyType(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            requireRoot(o, in.string("RootId"));
            String type = in.string("PolicyType");
            if (o.enabledPolicyTypes.contains(type)) {
                throw OrgErrors.of("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.");
            }
            if (!"ALL".equals(o.featureSet)) {
                throw OrgErrors.constraint("ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
                        "You can enable policy types only in an organization with all features enabled.");
            }
            o.enabledPolicyTypes.add(type);
            if (type.equals(Organization.SCP)) {
                o.nodes.values().forEach(n -> n.policies.add(Organization.FULL_AWS_ACCESS));
                o.accounts.values().forEach(m -> m.policies.add(Organization.FULL_AWS_ACCESS));
            }
            return Struct.of("Root", root(o, o.root));
        }
    }

    @AwsOperation("DisablePolicyType")
    public Struct disablePolicyType(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            requireRoot(o, in.string("RootId"));
            String type = in.string("PolicyType");
            if (!o.enabledPolicyTypes.remove(type)) {
                throw OrgErrors.of("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.");
            }
            for (Organization.OrgPolicy p : o.policies.values()) {
                if (p.type.equals(type)) {
                    o.nodes.values().forEach(n -> n.policies.remove(p.id));
                    o.accounts.values().forEach(m -> m.policies.remove(p.id));
                }
            }
            return Struct.of("Root", root(o, o.root));
        }
    }

    private static Organization.Node requireRoot(Organization o, String id) {
        if (!o.root.id.equals(id)) {
            throw OrgErrors.rootNotFound();
        }
        return o.root;
    }
}
