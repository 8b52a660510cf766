package dev.terrarium.services.organizations;

import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.ServiceControlPolicyProvider;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AWS Organizations: an organization per management account, its root, OUs, member accounts (CreateAccount
 * makes a usable account: its root signs with access key id = account id and secret "test", and the
 * management account can assume OrganizationAccountAccessRole in it), policies with attachments and
 * delegated administrators. As {@link ServiceControlPolicyProvider} it hands the IAM engine each member
 * account's SCPs. The operations, grouped as the API reference groups them: {@link Organizations},
 * {@link OrganizationalUnits}, {@link Accounts}, {@link Handshakes}, {@link Policies}, {@link ResourcePolicies},
 * {@link DelegatedAdministration}, {@link ResourceTags}.
 */
@Service(value = "organizations", groups = {Organizations.class, OrganizationalUnits.class, Accounts.class,
        Handshakes.class, Policies.class, ResourcePolicies.class, DelegatedAdministration.class, ResourceTags.class})
public final class OrganizationsService implements AwsService, ServiceControlPolicyProvider {
    private final OrgSupport org;
    private final List<Object> groups;

    public OrganizationsService(ServiceContext context) {
        this.org = new OrgSupport(context);
        this.groups = List.of(new Organizations(org), new OrganizationalUnits(org), new Accounts(org), new Handshakes(org),
                new Policies(org), new ResourcePolicies(org), new DelegatedAdministration(org), new ResourceTags(org));
    }

    @Override
    public List<Object> operationGroups() {
        return groups;
    }

    @Override
    public void reset() {
        for (Organization o : org.byAccount.values()) {
            for (String account : o.accounts.keySet()) {
                if (!account.equals(o.managementAccount)) {
                    org.credentials.revoke(account);
                }
            }
        }
        org.byAccount.clear();
        org.createAccountStatuses.clear();
        org.handshakes.clear();
    }

    @Override
    public List<List<Policy>> serviceControlPolicies(String accountId) {
        Organization o = org.byAccount.get(accountId);
        if (o == null) {
            return null;
        }
        synchronized (o) {
            Organization.Member m = o.accounts.get(accountId);
            if (m == null || accountId.equals(o.managementAccount) || !o.enabledPolicyTypes.contains(Organization.SCP)) {
                return null;
            }
            List<List<Policy>> levels = new ArrayList<>();
            for (Organization.Node n : o.path(m)) {
                levels.add(scps(o, n.policies));
            }
            levels.add(scps(o, m.policies));
            return levels;
        }
    }

    /** What another service needs to know of an account's place in its organization, for one service principal. */
    public record Membership(String organizationId, String managementAccount, boolean allFeatures,
                             boolean trustedAccess, boolean delegatedAdministrator) {
    }

    /** The account's membership as seen by servicePrincipal (trusted access, delegated administration), or null. */
    public Membership membership(String accountId, String servicePrincipal) {
        Organization o = org.byAccount.get(accountId);
        if (o == null) {
            return null;
        }
        synchronized (o) {
            return new Membership(o.id, o.managementAccount, "ALL".equals(o.featureSet),
                    o.serviceAccess.containsKey(servicePrincipal),
                    o.delegatedAdministrators.getOrDefault(servicePrincipal, Map.of()).containsKey(accountId));
        }
    }

    /** {organization id, "o-.../r-.../ou-.../"} for an account in an organization, else null. */
    public String[] organizationPath(String accountId) {
        Organization o = org.byAccount.get(accountId);
        if (o == null) {
            return null;
        }
        synchronized (o) {
            Organization.Member m = o.accounts.get(accountId);
            if (m == null) {
                return null;
            }
            return new String[]{o.id, o.path(o.nodes.get(m.parentId))};
        }
    }

    private static List<Policy> scps(Organization o, java.util.Set<String> attached) {
        List<Policy> out = new ArrayList<>();
        for (String id : attached) {
            Organization.OrgPolicy p = o.policies.get(id);
            if (p != null && p.type.equals(Organization.SCP)) {
                out.add(new Policy(p.arn, PolicyDocument.parse(p.content, PolicyKind.SERVICE_CONTROL)));
            }
        }
        return out;
    }
}
