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
 * {@link DelegatedAdministration}, {@link ResourceTags}, {@link ResponsibilityTransfers}.
 */
@Service(value = "organizations", groups = {Organizations.class, OrganizationalUnits.class, Accounts.class,
        Handshakes.class, Policies.class, ResourcePolicies.class, DelegatedAdministration.class, ResourceTags.class,
        ResponsibilityTransfers.class})
public final class OrganizationsService implements AwsService, ServiceControlPolicyProvider {
    private final OrgSupport org;
    private final List<Object> groups;

    public OrganizationsService(ServiceContext context) {
        this.org = new OrgSupport(context);
        this.groups = List.of(new Organizations(org), new OrganizationalUnits(org), new Accounts(org), new Handshakes(org),
                new Policies(org), new ResourcePolicies(org), new DelegatedAdministration(org), new ResourceTags(org),
                new ResponsibilityTransfers(org));
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
        org.transfers.clear();
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

    /**
     * For IAM's organizations access report: the member accounts under an entity path (o-.../r-.../[ou-.../][account])
     * with each account's own path, and the SCP levels that bind that node (or only the policy policyId when given).
     */
    public record EntityScope(Map<String, String> accountPaths, List<List<Policy>> serviceControlPolicies, boolean scpsEnabled) {
    }

    /** The scope of an entity path in the organization managementAccount manages; null when it manages none. */
    public EntityScope entityScope(String managementAccount, String entityPath, String policyId) {
        Organization o = org.byAccount.get(managementAccount);
        if (o == null || !o.managementAccount.equals(managementAccount)) {
            return null;
        }
        synchronized (o) {
            String[] parts = entityPath.replaceAll("/+$", "").split("/");
            if (parts.length < 2 || !parts[0].equals(o.id) || !o.nodes.containsKey(parts[1]) || !o.nodes.get(parts[1]).isRoot()) {
                throw new dev.terrarium.core.service.AwsException("InvalidInputException", "The entity path " + entityPath
                        + " does not name an entity of organization " + o.id + ".");
            }
            List<List<Policy>> levels = new ArrayList<>();
            String parent = null;
            String account = null;
            for (int i = 1; i < parts.length; i++) {
                Organization.Node n = o.nodes.get(parts[i]);
                Organization.Member m = n == null ? o.accounts.get(parts[i]) : null;
                String actualParent = n != null ? n.parentId : m != null ? m.parentId : "?";
                if ((n == null && (m == null || i != parts.length - 1)) || !java.util.Objects.equals(actualParent, parent)) {
                    throw new dev.terrarium.core.service.AwsException("InvalidInputException", "The entity path " + entityPath
                            + " does not name an entity of organization " + o.id + ".");
                }
                levels.add(scps(o, n != null ? n.policies : m.policies));
                parent = parts[i];
                account = m == null ? null : m.id;
            }
            Map<String, String> accounts = new java.util.TreeMap<>();
            for (Organization.Member m : o.accounts.values()) {
                String path = o.path(o.nodes.get(m.parentId)) + m.id;
                if ((account != null && account.equals(m.id)) || (account == null && path.startsWith(String.join("/", parts) + "/"))) {
                    accounts.put(m.id, path);
                }
            }
            if (policyId != null) {
                Organization.OrgPolicy p = o.policies.get(policyId);
                if (p == null || !p.type.equals(Organization.SCP)) {
                    throw new dev.terrarium.core.service.AwsException("InvalidInputException",
                            "The service control policy " + policyId + " does not exist in organization " + o.id + ".");
                }
                levels = List.of(List.of(new Policy(p.arn, PolicyDocument.parse(p.content, PolicyKind.SERVICE_CONTROL))));
            }
            return new EntityScope(accounts, levels, o.enabledPolicyTypes.contains(Organization.SCP));
        }
    }
}
