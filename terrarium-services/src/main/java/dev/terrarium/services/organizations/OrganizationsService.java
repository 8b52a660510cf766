package dev.terrarium.services.organizations;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.iam.MalformedPolicyException;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.ServiceControlPolicyProvider;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;
import dev.terrarium.services.iam.IamService;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * AWS Organizations: an organization per management account, its root, OUs, member accounts (CreateAccount
 * makes a usable account: its root signs with access key id = account id and secret "test", and the
 * management account can assume OrganizationAccountAccessRole in it), policies with attachments and
 * delegated administrators. As {@link ServiceControlPolicyProvider} it hands the IAM engine each member
 * account's SCPs.
 */
@Service("organizations")
public final class OrganizationsService implements AwsService, ServiceControlPolicyProvider {
    static final String MEMBER_ROOT_SECRET = "test";
    private static final String FULL_ACCESS_CONTENT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private final ServiceContext context;
    private final CredentialStore credentials;
    /** account id -> its organization (the management account and every member) */
    private final Map<String, Organization> byAccount = new ConcurrentHashMap<>();
    private final Map<String, Struct> createAccountStatuses = new ConcurrentHashMap<>();
    private final Map<String, Organization.Handshake> handshakes = new ConcurrentHashMap<>();

    public OrganizationsService(ServiceContext context) {
        this.context = context;
        this.credentials = context.credentials();
    }

    @Override
    public void reset() {
        for (Organization o : byAccount.values()) {
            for (String account : o.accounts.keySet()) {
                if (!account.equals(o.managementAccount)) {
                    credentials.revoke(account);
                }
            }
        }
        byAccount.clear();
        createAccountStatuses.clear();
        handshakes.clear();
    }

    @Override
    public List<List<Policy>> serviceControlPolicies(String accountId) {
        Organization o = byAccount.get(accountId);
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
        Organization o = byAccount.get(accountId);
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
        Organization o = byAccount.get(accountId);
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

    private Instant now() {
        return context.clock().now().truncatedTo(ChronoUnit.SECONDS);
    }

    // ---------------------------------------------------------------- organization

    @AwsOperation("CreateOrganization")
    public Struct createOrganization(Call call, Struct in) {
        String account = call.account();
        String featureSet = in.string("FeatureSet", "ALL");
        synchronized (byAccount) {
            if (byAccount.containsKey(account)) {
                throw OrgErrors.of("AlreadyInOrganizationException", "The AWS account is already a member of an organization.");
            }
            Organization o = new Organization(OrgIds.organization(), account, "management+" + account + "@example.com",
                    featureSet, OrgIds.root());
            Organization.Member m = new Organization.Member(account, o.arn("account/" + o.id + "/" + account),
                    o.managementEmail, "management", "INVITED", now(), o.root.id);
            o.accounts.put(account, m);
            o.policies.put(Organization.FULL_AWS_ACCESS, new Organization.OrgPolicy(Organization.FULL_AWS_ACCESS,
                    "arn:aws:organizations::aws:policy/service_control_policy/" + Organization.FULL_AWS_ACCESS,
                    Organization.SCP, true, "FullAWSAccess", "Allows access to every operation", FULL_ACCESS_CONTENT));
            byAccount.put(account, o);
            synchronized (o) {
                return Struct.of("Organization", organization(o));
            }
        }
    }

    @AwsOperation("DescribeOrganization")
    public Struct describeOrganization(Call call, Struct in) {
        Organization o = member(call);
        synchronized (o) {
            return Struct.of("Organization", organization(o));
        }
    }

    @AwsOperation("DeleteOrganization")
    public Struct deleteOrganization(Call call, Struct in) {
        Organization o = management(call);
        synchronized (byAccount) {
            synchronized (o) {
                if (o.accounts.size() > 1) {
                    throw OrgErrors.of("OrganizationNotEmptyException", "To delete an organization you must first "
                            + "remove all member accounts (except the master).");
                }
                byAccount.remove(o.managementAccount);
                return Struct.empty();
            }
        }
    }

    @AwsOperation("EnableAllFeatures")
    public Struct enableAllFeatures(Call call, Struct in) {
        management(call);
        return Struct.of("Handshake", null);
    }

    @AwsOperation("ListRoots")
    public Struct listRoots(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            return page(in, List.of(o.root), n -> n.id, "Roots", n -> root(o, n));
        }
    }

    @AwsOperation("EnablePolicyType")
    public Struct enablePolicyType(Call call, Struct in) {
        Organization o = management(call);
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
        Organization o = management(call);
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

    // ---------------------------------------------------------------- organizational units

    @AwsOperation("CreateOrganizationalUnit")
    public Struct createOrganizationalUnit(Call call, Struct in) {
        Organization o = management(call);
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
        Organization o = reader(call);
        synchronized (o) {
            return Struct.of("OrganizationalUnit", ou(o, requireOu(o, in.string("OrganizationalUnitId"))));
        }
    }

    @AwsOperation("UpdateOrganizationalUnit")
    public Struct updateOrganizationalUnit(Call call, Struct in) {
        Organization o = management(call);
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
        Organization o = management(call);
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
        Organization o = reader(call);
        synchronized (o) {
            Organization.Node parent = requireParent(o, in.string("ParentId"));
            List<Organization.Node> ous = o.nodes.values().stream().filter(n -> parent.id.equals(n.parentId)).toList();
            return page(in, ous, n -> n.id, "OrganizationalUnits", n -> ou(o, n));
        }
    }

    @AwsOperation("ListChildren")
    public Struct listChildren(Call call, Struct in) {
        Organization o = reader(call);
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
        Organization o = reader(call);
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

    // ---------------------------------------------------------------- accounts

    @AwsOperation("CreateAccount")
    public Struct createAccount(Call call, Struct in) {
        Organization o = management(call);
        String requestId = OrgIds.createAccountRequest();
        Instant now = now();
        String email = in.string("Email");
        String name = in.string("AccountName");
        String roleName = in.string("RoleName", "OrganizationAccountAccessRole");
        Struct status = Struct.of("Id", requestId, "AccountName", name, "State", "SUCCEEDED",
                "RequestedTimestamp", now, "CompletedTimestamp", now);
        Organization.Member m;
        synchronized (o) {
            if (!email.matches("[^\\s@]+@[^\\s@]+\\.[^\\s@]+")) {
                throw OrgErrors.invalidInput("INVALID_EMAIL_ADDRESS_TARGET", "You provided an invalid email address.");
            }
            if (o.accounts.values().stream().anyMatch(a -> a.email.equalsIgnoreCase(email))) {
                status.put("State", "FAILED").put("FailureReason", "EMAIL_ALREADY_EXISTS");
                createAccountStatuses.put(requestId, status);
                return Struct.of("CreateAccountStatus", inProgress(status));
            }
            String id;
            do {
                id = OrgIds.account();
            } while (byAccount.containsKey(id) || credentials.find(id) != null);
            m = new Organization.Member(id, o.arn("account/" + o.id + "/" + id), email, name, "CREATED", now, o.root.id);
            m.tags.putAll(tags(in));
            if (o.enabledPolicyTypes.contains(Organization.SCP)) {
                m.policies.add(Organization.FULL_AWS_ACCESS);
            }
            o.accounts.put(id, m);
            byAccount.put(id, o);
        }
        credentials.register(new Credential(m.id, MEMBER_ROOT_SECRET, null, Identity.root(m.id, m.id), null));
        IamService iam = context.peers().find("iam", IamService.class);
        if (iam != null) {
            iam.createOrganizationAccessRole(m.id, roleName, o.managementAccount);
        }
        status.put("AccountId", m.id);
        createAccountStatuses.put(requestId, status);
        return Struct.of("CreateAccountStatus", inProgress(status));
    }

    /** CreateAccount answers IN_PROGRESS, as AWS does; DescribeCreateAccountStatus then tells the outcome. */
    private static Struct inProgress(Struct status) {
        return Struct.of("Id", status.get("Id"), "AccountName", status.get("AccountName"), "State", "IN_PROGRESS",
                "RequestedTimestamp", status.get("RequestedTimestamp"));
    }

    @AwsOperation("DescribeCreateAccountStatus")
    public Struct describeCreateAccountStatus(Call call, Struct in) {
        management(call);
        Struct s = createAccountStatuses.get(in.string("CreateAccountRequestId"));
        if (s == null) {
            throw OrgErrors.of("CreateAccountStatusNotFoundException",
                    "We can't find a create account request with the CreateAccountRequestId that you specified.");
        }
        return Struct.of("CreateAccountStatus", s);
    }

    @AwsOperation("ListCreateAccountStatus")
    public Struct listCreateAccountStatus(Call call, Struct in) {
        management(call);
        List<String> states = in.strings("States");
        List<Struct> all = createAccountStatuses.values().stream()
                .filter(s -> states == null || states.isEmpty() || states.contains(s.string("State")))
                .sorted(Comparator.comparing(s -> s.string("Id"))).toList();
        return page(in, all, s -> s.string("Id"), "CreateAccountStatuses", s -> s);
    }

    @AwsOperation("DescribeAccount")
    public Struct describeAccount(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            return Struct.of("Account", account(o, requireAccount(o, in.string("AccountId"))));
        }
    }

    @AwsOperation("ListAccounts")
    public Struct listAccounts(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            return page(in, List.copyOf(o.accounts.values()), m -> m.id, "Accounts", m -> account(o, m));
        }
    }

    @AwsOperation("ListAccountsForParent")
    public Struct listAccountsForParent(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            Organization.Node parent = requireParent(o, in.string("ParentId"));
            List<Organization.Member> ms = o.accounts.values().stream().filter(m -> parent.id.equals(m.parentId)).toList();
            return page(in, ms, m -> m.id, "Accounts", m -> account(o, m));
        }
    }

    @AwsOperation("MoveAccount")
    public Struct moveAccount(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            if (!o.nodes.containsKey(in.string("SourceParentId"))) {
                throw OrgErrors.of("SourceParentNotFoundException", "You specified a source parent that doesn't exist.");
            }
            if (!o.nodes.containsKey(in.string("DestinationParentId"))) {
                throw OrgErrors.of("DestinationParentNotFoundException", "You specified a destination parent that doesn't exist.");
            }
            if (!m.parentId.equals(in.string("SourceParentId"))) {
                throw OrgErrors.of("AccountNotFoundException", "You specified an account that doesn't exist.");
            }
            if (m.parentId.equals(in.string("DestinationParentId"))) {
                throw OrgErrors.of("DuplicateAccountException", "That account is already present in the specified destination.");
            }
            m.parentId = in.string("DestinationParentId");
            return Struct.empty();
        }
    }

    @AwsOperation("RemoveAccountFromOrganization")
    public Struct removeAccountFromOrganization(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            if (m.id.equals(o.managementAccount)) {
                throw OrgErrors.of("MasterCannotLeaveOrganizationException", "You can't remove a management account "
                        + "from an organization. If you want the management account to become a member account in "
                        + "another organization, you must first delete the current organization.");
            }
            o.accounts.remove(m.id);
            byAccount.remove(m.id, o);
            o.delegatedAdministrators.values().forEach(admins -> admins.remove(m.id));
            return Struct.empty();
        }
    }

    @AwsOperation("LeaveOrganization")
    public Struct leaveOrganization(Call call, Struct in) {
        Organization o = member(call);
        synchronized (o) {
            if (call.account().equals(o.managementAccount)) {
                throw OrgErrors.of("MasterCannotLeaveOrganizationException", "You can't remove a management account "
                        + "from an organization. If you want the management account to become a member account in "
                        + "another organization, you must first delete the current organization.");
            }
            o.accounts.remove(call.account());
            byAccount.remove(call.account(), o);
            return Struct.empty();
        }
    }

    @AwsOperation("CloseAccount")
    public Struct closeAccount(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            if (m.id.equals(o.managementAccount)) {
                throw OrgErrors.constraint("CANNOT_CLOSE_MANAGEMENT_ACCOUNT", "You can't close the management account.");
            }
            if (!m.state.equals("ACTIVE")) {
                throw OrgErrors.of("AccountAlreadyClosedException", "You attempted to close an account that is already closed.");
            }
            m.state = "PENDING_CLOSURE";
            credentials.revoke(m.id);
            return Struct.empty();
        }
    }

    // ---------------------------------------------------------------- invitations (handshakes)

    @AwsOperation("InviteAccountToOrganization")
    public Struct inviteAccountToOrganization(Call call, Struct in) {
        Organization o = management(call);
        Struct target = in.struct("Target");
        String id = target.string("Id");
        String type = target.string("Type");
        if (type.equals("ACCOUNT") && !id.matches("\\d{12}")) {
            throw OrgErrors.invalidInput("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type for the handshake party.");
        }
        if (type.equals("ACCOUNT") && byAccount.containsKey(id)) {
            throw new AwsException("HandshakeConstraintViolationException", "The account is already a member of an organization.")
                    .withFields(Struct.of("Reason", "ALREADY_IN_AN_ORGANIZATION"));
        }
        boolean duplicate = handshakes.values().stream().anyMatch(h -> h.organization == o && h.target.equals(id)
                && h.state.equals("OPEN"));
        if (duplicate) {
            throw OrgErrors.of("DuplicateHandshakeException", "A handshake with the same action and target already exists.");
        }
        Organization.Handshake h = new Organization.Handshake(OrgIds.handshake(), o, id, type, in.string("Notes"), now());
        handshakes.put(h.id, h);
        return Struct.of("Handshake", handshake(h));
    }

    @AwsOperation("AcceptHandshake")
    public Struct acceptHandshake(Call call, Struct in) {
        Organization.Handshake h = visibleHandshake(call, in.string("HandshakeId"));
        if (!isTarget(h, call.account())) {
            throw OrgErrors.accessDenied();
        }
        synchronized (byAccount) {
            transition(h, "ACCEPTED");
            if (byAccount.containsKey(call.account())) {
                throw new AwsException("HandshakeConstraintViolationException", "The account is already a member of an organization.")
                        .withFields(Struct.of("Reason", "ALREADY_IN_AN_ORGANIZATION"));
            }
            Organization o = h.organization;
            synchronized (o) {
                Organization.Member m = new Organization.Member(call.account(), o.arn("account/" + o.id + "/" + call.account()),
                        "account+" + call.account() + "@example.com", call.account(), "INVITED", now(), o.root.id);
                if (o.enabledPolicyTypes.contains(Organization.SCP)) {
                    m.policies.add(Organization.FULL_AWS_ACCESS);
                }
                o.accounts.put(m.id, m);
                byAccount.put(m.id, o);
                h.state = "ACCEPTED";
                return Struct.of("Handshake", handshake(h));
            }
        }
    }

    @AwsOperation("DeclineHandshake")
    public Struct declineHandshake(Call call, Struct in) {
        Organization.Handshake h = visibleHandshake(call, in.string("HandshakeId"));
        if (!isTarget(h, call.account())) {
            throw OrgErrors.accessDenied();
        }
        transition(h, "DECLINED");
        h.state = "DECLINED";
        return Struct.of("Handshake", handshake(h));
    }

    @AwsOperation("CancelHandshake")
    public Struct cancelHandshake(Call call, Struct in) {
        Organization.Handshake h = visibleHandshake(call, in.string("HandshakeId"));
        if (!h.organization.managementAccount.equals(call.account())) {
            throw OrgErrors.accessDenied();
        }
        transition(h, "CANCELED");
        h.state = "CANCELED";
        return Struct.of("Handshake", handshake(h));
    }

    @AwsOperation("DescribeHandshake")
    public Struct describeHandshake(Call call, Struct in) {
        return Struct.of("Handshake", handshake(visibleHandshake(call, in.string("HandshakeId"))));
    }

    @AwsOperation("ListHandshakesForAccount")
    public Struct listHandshakesForAccount(Call call, Struct in) {
        List<Organization.Handshake> mine = handshakes.values().stream().filter(h -> isTarget(h, call.account()))
                .sorted(Comparator.comparing(h -> h.id)).toList();
        return page(in, mine, h -> h.id, "Handshakes", this::handshake);
    }

    @AwsOperation("ListHandshakesForOrganization")
    public Struct listHandshakesForOrganization(Call call, Struct in) {
        Organization o = reader(call);
        List<Organization.Handshake> sent = handshakes.values().stream().filter(h -> h.organization == o)
                .sorted(Comparator.comparing(h -> h.id)).toList();
        return page(in, sent, h -> h.id, "Handshakes", this::handshake);
    }

    private Organization.Handshake visibleHandshake(Call call, String id) {
        Organization.Handshake h = id == null ? null : handshakes.get(id);
        if (h == null || !(isTarget(h, call.account()) || h.organization.managementAccount.equals(call.account()))) {
            throw OrgErrors.of("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.");
        }
        if (h.state.equals("OPEN") && !now().isBefore(h.expires)) {
            h.state = "EXPIRED";
        }
        return h;
    }

    private static boolean isTarget(Organization.Handshake h, String account) {
        return h.targetType.equals("ACCOUNT") && h.target.equals(account);
    }

    private static void transition(Organization.Handshake h, String to) {
        if (h.state.equals(to)) {
            throw OrgErrors.of("HandshakeAlreadyInStateException", "The specified handshake is already in the requested state.");
        }
        if (!h.state.equals("OPEN")) {
            throw OrgErrors.of("InvalidHandshakeTransitionException", "You can't perform the operation on the handshake in its current state.");
        }
    }

    private Struct handshake(Organization.Handshake h) {
        Organization o = h.organization;
        List<Object> orgResources = List.of(Struct.of("Type", "MASTER_EMAIL", "Value", o.managementEmail),
                Struct.of("Type", "MASTER_NAME", "Value", "management"),
                Struct.of("Type", "ORGANIZATION_FEATURE_SET", "Value", o.featureSet));
        List<Object> resources = new ArrayList<>(List.of(
                Struct.of("Type", "ORGANIZATION", "Value", o.id, "Resources", new ArrayList<>(orgResources)),
                Struct.of("Type", h.targetType.equals("EMAIL") ? "EMAIL" : "ACCOUNT", "Value", h.target)));
        if (h.notes != null) {
            resources.add(Struct.of("Type", "NOTES", "Value", h.notes));
        }
        return Struct.of("Id", h.id, "Arn", h.arn,
                "Parties", List.of(Struct.of("Id", o.id.substring(2), "Type", "ORGANIZATION"), Struct.of("Id", h.target, "Type", h.targetType)),
                "State", h.state, "RequestedTimestamp", h.requested, "ExpirationTimestamp", h.expires, "Action", "INVITE",
                "Resources", resources);
    }

    // ---------------------------------------------------------------- the organization's resource policy

    @AwsOperation("PutResourcePolicy")
    public Struct putResourcePolicy(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            String content = in.string("Content");
            try {
                PolicyDocument.parse(content, PolicyKind.RESOURCE);
            } catch (MalformedPolicyException e) {
                throw OrgErrors.invalidInput("INVALID_RESOURCE_POLICY_JSON", "You provided a resource policy that is not valid JSON or not a valid policy.");
            }
            if (o.resourcePolicyId == null) {
                o.resourcePolicyId = OrgIds.resourcePolicy();
            }
            o.resourcePolicy = content;
            o.resourcePolicyTags.putAll(tags(in));
            return Struct.of("ResourcePolicy", resourcePolicy(o));
        }
    }

    @AwsOperation("DescribeResourcePolicy")
    public Struct describeResourcePolicy(Call call, Struct in) {
        Organization o = member(call);
        synchronized (o) {
            if (o.resourcePolicy == null) {
                throw OrgErrors.of("ResourcePolicyNotFoundException", "We can't find a resource policy request with the parameter that you specified.");
            }
            return Struct.of("ResourcePolicy", resourcePolicy(o));
        }
    }

    @AwsOperation("DeleteResourcePolicy")
    public Struct deleteResourcePolicy(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            if (o.resourcePolicy == null) {
                throw OrgErrors.of("ResourcePolicyNotFoundException", "We can't find a resource policy request with the parameter that you specified.");
            }
            o.resourcePolicy = null;
            o.resourcePolicyTags.clear();
            return Struct.empty();
        }
    }

    private static Struct resourcePolicy(Organization o) {
        return Struct.of("ResourcePolicySummary", Struct.of("Id", o.resourcePolicyId,
                "Arn", o.arn("resourcepolicy/" + o.id + "/" + o.resourcePolicyId)), "Content", o.resourcePolicy);
    }

    // ---------------------------------------------------------------- policies

    @AwsOperation("CreatePolicy")
    public Struct createPolicy(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            String type = in.string("Type");
            String name = in.string("Name");
            if (o.policies.values().stream().anyMatch(p -> p.type.equals(type) && p.name.equals(name))) {
                throw OrgErrors.of("DuplicatePolicyException", "A policy with the same name already exists.");
            }
            String content = in.string("Content");
            validateContent(type, content);
            String id = OrgIds.policy();
            Organization.OrgPolicy p = new Organization.OrgPolicy(id,
                    o.arn("policy/" + o.id + "/" + type.toLowerCase() + "/" + id), type, false, name,
                    in.string("Description"), content);
            p.tags.putAll(tags(in));
            o.policies.put(id, p);
            return Struct.of("Policy", policy(o, p));
        }
    }

    @AwsOperation("DescribePolicy")
    public Struct describePolicy(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            return Struct.of("Policy", policy(o, requirePolicy(o, in.string("PolicyId"))));
        }
    }

    @AwsOperation("UpdatePolicy")
    public Struct updatePolicy(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            if (p.awsManaged) {
                throw OrgErrors.invalidInput("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.");
            }
            if (in.string("Content") != null) {
                validateContent(p.type, in.string("Content"));
                p.content = in.string("Content");
            }
            if (in.string("Name") != null) {
                p.name = in.string("Name");
            }
            if (in.string("Description") != null) {
                p.description = in.string("Description");
            }
            return Struct.of("Policy", policy(o, p));
        }
    }

    @AwsOperation("DeletePolicy")
    public Struct deletePolicy(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            if (p.awsManaged) {
                throw OrgErrors.invalidInput("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.");
            }
            if (o.attachmentCount(p.id) > 0) {
                throw OrgErrors.of("PolicyInUseException", "The policy is attached to one or more entities. You must "
                        + "detach it from all roots, OUs, and accounts before performing this operation.");
            }
            o.policies.remove(p.id);
            return Struct.empty();
        }
    }

    @AwsOperation("ListPolicies")
    public Struct listPolicies(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            String type = in.string("Filter");
            List<Organization.OrgPolicy> ps = o.policies.values().stream().filter(p -> p.type.equals(type)).toList();
            return page(in, ps, p -> p.id, "Policies", this::summary);
        }
    }

    @AwsOperation("ListPoliciesForTarget")
    public Struct listPoliciesForTarget(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            java.util.Set<String> attached = requireTarget(o, in.string("TargetId"));
            String type = in.string("Filter");
            List<Organization.OrgPolicy> ps = attached.stream().map(o.policies::get)
                    .filter(p -> p != null && p.type.equals(type)).sorted(Comparator.comparing(p -> p.id)).toList();
            return page(in, ps, p -> p.id, "Policies", this::summary);
        }
    }

    @AwsOperation("ListTargetsForPolicy")
    public Struct listTargetsForPolicy(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            List<Struct> targets = new ArrayList<>();
            for (Organization.Node n : o.nodes.values()) {
                if (n.policies.contains(p.id)) {
                    targets.add(Struct.of("TargetId", n.id, "Arn", n.arn, "Name", n.name,
                            "Type", n.isRoot() ? "ROOT" : "ORGANIZATIONAL_UNIT"));
                }
            }
            for (Organization.Member m : o.accounts.values()) {
                if (m.policies.contains(p.id)) {
                    targets.add(Struct.of("TargetId", m.id, "Arn", m.arn, "Name", m.name, "Type", "ACCOUNT"));
                }
            }
            targets.sort(Comparator.comparing(t -> t.string("TargetId")));
            return page(in, targets, t -> t.string("TargetId"), "Targets", t -> t);
        }
    }

    @AwsOperation("AttachPolicy")
    public Struct attachPolicy(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            java.util.Set<String> attached = requireTarget(o, in.string("TargetId"));
            if (!o.enabledPolicyTypes.contains(p.type)) {
                throw OrgErrors.of("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.");
            }
            if (!attached.add(p.id)) {
                throw OrgErrors.of("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DetachPolicy")
    public Struct detachPolicy(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            java.util.Set<String> attached = requireTarget(o, in.string("TargetId"));
            if (!attached.contains(p.id)) {
                throw OrgErrors.of("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.");
            }
            if (p.type.equals(Organization.SCP) && attached.stream().map(o.policies::get)
                    .filter(x -> x != null && x.type.equals(Organization.SCP)).count() == 1) {
                throw OrgErrors.constraint("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to detach a "
                        + "policy from an entity that would leave the entity with fewer than the minimum number of "
                        + "policies of that type required.");
            }
            attached.remove(p.id);
            return Struct.empty();
        }
    }

    @AwsOperation("DescribeEffectivePolicy")
    public Struct describeEffectivePolicy(Call call, Struct in) {
        Organization o = member(call);
        synchronized (o) {
            String type = in.string("PolicyType");
            String target = in.string("TargetId", call.account());
            Organization.Member m = o.accounts.get(target);
            if (m == null) {
                throw OrgErrors.targetNotFound();
            }
            List<String> ids = new ArrayList<>();
            o.path(m).forEach(n -> ids.addAll(n.policies));
            ids.addAll(m.policies);
            Map<String, Object> merged = new java.util.LinkedHashMap<>();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String id : ids) {
                Organization.OrgPolicy p = o.policies.get(id);
                if (p != null && p.type.equals(type)) {
                    try {
                        merged.putAll(json.readValue(p.content, Map.class));
                    } catch (Exception e) {
                        // stored content was validated as JSON
                    }
                }
            }
            if (merged.isEmpty()) {
                throw OrgErrors.of("EffectivePolicyNotFoundException", "We can't find an effective policy of that type for the target.");
            }
            try {
                return Struct.of("EffectivePolicy", Struct.of("PolicyContent", json.writeValueAsString(merged),
                        "LastUpdatedTimestamp", now(), "TargetId", target, "PolicyType", type));
            } catch (Exception e) {
                throw AwsException.internal(e.getMessage());
            }
        }
    }

    private static void validateContent(String type, String content) {
        if (content == null || content.isBlank()) {
            throw malformed();
        }
        if (type.equals(Organization.SCP)) {
            try {
                PolicyDocument.parse(content, PolicyKind.SERVICE_CONTROL);
            } catch (MalformedPolicyException e) {
                throw malformed();
            }
            return;
        }
        try {
            if (!new com.fasterxml.jackson.databind.ObjectMapper().readTree(content).isObject()) {
                throw malformed();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw malformed();
        }
    }

    private static AwsException malformed() {
        return OrgErrors.of("MalformedPolicyDocumentException",
                "The provided policy document does not meet the requirements of the specified policy type.");
    }

    // ---------------------------------------------------------------- delegated administrators and service access

    @AwsOperation("RegisterDelegatedAdministrator")
    public Struct registerDelegatedAdministrator(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            if (m.id.equals(o.managementAccount)) {
                throw OrgErrors.constraint("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
                        "You cannot register the management account of an organization as a delegated administrator.");
            }
            Map<String, Instant> admins = o.delegatedAdministrators.computeIfAbsent(servicePrincipal(in), k -> new java.util.TreeMap<>());
            if (admins.containsKey(m.id)) {
                throw OrgErrors.of("AccountAlreadyRegisteredException",
                        "The provided account is already a delegated administrator for your organization.");
            }
            admins.put(m.id, now());
            return Struct.empty();
        }
    }

    @AwsOperation("DeregisterDelegatedAdministrator")
    public Struct deregisterDelegatedAdministrator(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            Map<String, Instant> admins = o.delegatedAdministrators.get(servicePrincipal(in));
            if (admins == null || admins.remove(m.id) == null) {
                throw OrgErrors.of("AccountNotRegisteredException",
                        "The provided account is not a registered delegated administrator for your organization.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("ListDelegatedAdministrators")
    public Struct listDelegatedAdministrators(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            String service = in.string("ServicePrincipal");
            Map<String, Instant> since = new java.util.TreeMap<>();
            o.delegatedAdministrators.forEach((svc, admins) -> {
                if (service == null || service.equals(svc)) {
                    admins.forEach(since::putIfAbsent);
                }
            });
            List<Organization.Member> ms = since.keySet().stream().map(o.accounts::get).filter(java.util.Objects::nonNull).toList();
            return page(in, ms, m -> m.id, "DelegatedAdministrators", m -> {
                Struct a = account(o, m);
                return Struct.of("Id", a.get("Id"), "Arn", a.get("Arn"), "Email", a.get("Email"), "Name", a.get("Name"),
                        "Status", a.get("Status"), "State", a.get("State"), "JoinedMethod", a.get("JoinedMethod"),
                        "JoinedTimestamp", a.get("JoinedTimestamp"), "DelegationEnabledDate", since.get(m.id));
            });
        }
    }

    @AwsOperation("ListDelegatedServicesForAccount")
    public Struct listDelegatedServicesForAccount(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            List<Struct> services = new ArrayList<>();
            o.delegatedAdministrators.forEach((svc, admins) -> {
                if (admins.containsKey(m.id)) {
                    services.add(Struct.of("ServicePrincipal", svc, "DelegationEnabledDate", admins.get(m.id)));
                }
            });
            if (services.isEmpty()) {
                throw OrgErrors.of("AccountNotRegisteredException",
                        "The provided account is not a registered delegated administrator for your organization.");
            }
            return page(in, services, s -> s.string("ServicePrincipal"), "DelegatedServices", s -> s);
        }
    }

    @AwsOperation("EnableAWSServiceAccess")
    public Struct enableAwsServiceAccess(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            o.serviceAccess.putIfAbsent(servicePrincipal(in), now());
            return Struct.empty();
        }
    }

    @AwsOperation("DisableAWSServiceAccess")
    public Struct disableAwsServiceAccess(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            o.serviceAccess.remove(servicePrincipal(in));
            return Struct.empty();
        }
    }

    @AwsOperation("ListAWSServiceAccessForOrganization")
    public Struct listAwsServiceAccessForOrganization(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            return page(in, List.copyOf(o.serviceAccess.keySet()), Function.identity(), "EnabledServicePrincipals",
                    s -> Struct.of("ServicePrincipal", s, "DateEnabled", o.serviceAccess.get(s)));
        }
    }

    private static String servicePrincipal(Struct in) {
        String sp = in.string("ServicePrincipal");
        if (sp == null || !sp.matches("[\\w+=,.@-]+\\.amazonaws\\.com")) {
            throw OrgErrors.invalidInput("UNRECOGNIZED_SERVICE_PRINCIPAL", "You specified an unrecognized service principal.");
        }
        return sp;
    }

    // ---------------------------------------------------------------- tags

    @AwsOperation("TagResource")
    public Struct tagResource(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Map<String, String> tags = tagsOf(o, in.string("ResourceId"));
            tags.putAll(tags(in));
            if (tags.size() > Tags.MAX_TAGS) {
                throw OrgErrors.constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum number of tags allowed on this resource.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("UntagResource")
    public Struct untagResource(Call call, Struct in) {
        Organization o = management(call);
        synchronized (o) {
            Map<String, String> tags = tagsOf(o, in.string("ResourceId"));
            in.strings("TagKeys").forEach(tags::remove);
            return Struct.empty();
        }
    }

    @AwsOperation("ListTagsForResource")
    public Struct listTagsForResource(Call call, Struct in) {
        Organization o = reader(call);
        synchronized (o) {
            Map<String, String> tags = tagsOf(o, in.string("ResourceId"));
            return page(in, List.copyOf(tags.keySet()), Function.identity(), "Tags",
                    k -> Struct.of("Key", k, "Value", tags.get(k)));
        }
    }

    private static Map<String, String> tagsOf(Organization o, String id) {
        if (o.nodes.containsKey(id)) {
            return o.nodes.get(id).tags;
        }
        if (o.accounts.containsKey(id)) {
            return o.accounts.get(id).tags;
        }
        Organization.OrgPolicy p = o.policies.get(id);
        if (p != null && !p.awsManaged) {
            return p.tags;
        }
        throw OrgErrors.targetNotFound();
    }

    private static Map<String, String> tags(Struct in) {
        List<Struct> list = in.structs("Tags");
        return list == null ? Map.of() : Tags.fromList(list, "Key", "Value");
    }

    // ---------------------------------------------------------------- who may call

    /** The caller's organization, for any member account. */
    private Organization member(Call call) {
        Organization o = byAccount.get(call.account());
        if (o == null) {
            throw OrgErrors.notInUse();
        }
        return o;
    }

    /** The organization, when the caller is its management account. */
    private Organization management(Call call) {
        Organization o = member(call);
        if (!o.managementAccount.equals(call.account())) {
            throw OrgErrors.accessDenied();
        }
        return o;
    }

    /** The organization, for its management account and its delegated administrators (read-only operations). */
    private Organization reader(Call call) {
        Organization o = member(call);
        if (o.managementAccount.equals(call.account())) {
            return o;
        }
        synchronized (o) {
            boolean delegated = o.delegatedAdministrators.values().stream().anyMatch(a -> a.containsKey(call.account()));
            if (!delegated) {
                throw OrgErrors.accessDenied();
            }
        }
        return o;
    }

    // ---------------------------------------------------------------- lookups

    private static Organization.Node requireRoot(Organization o, String id) {
        if (!o.root.id.equals(id)) {
            throw OrgErrors.rootNotFound();
        }
        return o.root;
    }

    private static Organization.Node requireOu(Organization o, String id) {
        Organization.Node n = id == null ? null : o.nodes.get(id);
        if (n == null || n.isRoot()) {
            throw OrgErrors.ouNotFound();
        }
        return n;
    }

    private static Organization.Node requireParent(Organization o, String id) {
        Organization.Node n = id == null ? null : o.nodes.get(id);
        if (n == null) {
            throw OrgErrors.parentNotFound();
        }
        return n;
    }

    private static Organization.Member requireAccount(Organization o, String id) {
        Organization.Member m = id == null ? null : o.accounts.get(id);
        if (m == null) {
            throw OrgErrors.accountNotFound();
        }
        return m;
    }

    private static Organization.OrgPolicy requirePolicy(Organization o, String id) {
        Organization.OrgPolicy p = id == null ? null : o.policies.get(id);
        if (p == null) {
            throw OrgErrors.policyNotFound();
        }
        return p;
    }

    private static java.util.Set<String> requireTarget(Organization o, String id) {
        java.util.Set<String> attached = id == null ? null : o.attachments(id);
        if (attached == null) {
            throw OrgErrors.targetNotFound();
        }
        return attached;
    }

    private static int depth(Organization o, Organization.Node n) {
        int d = 0;
        for (Organization.Node x = n; !x.isRoot(); x = o.nodes.get(x.parentId)) {
            d++;
        }
        return d;
    }

    // ---------------------------------------------------------------- shapes

    private static Struct organization(Organization o) {
        return Struct.of("Id", o.id, "Arn", o.arn("organization/" + o.id), "FeatureSet", o.featureSet,
                "MasterAccountArn", o.accounts.get(o.managementAccount).arn, "MasterAccountId", o.managementAccount,
                "MasterAccountEmail", o.managementEmail,
                "AvailablePolicyTypes", List.of(Struct.of("Type", Organization.SCP, "Status", "ENABLED")));
    }

    private static Struct root(Organization o, Organization.Node n) {
        List<Struct> types = o.enabledPolicyTypes.stream().map(t -> Struct.of("Type", t, "Status", "ENABLED")).toList();
        return Struct.of("Id", n.id, "Arn", n.arn, "Name", n.name, "PolicyTypes", new ArrayList<Object>(types));
    }

    private static Struct ou(Organization o, Organization.Node n) {
        return Struct.of("Id", n.id, "Arn", n.arn, "Name", n.name, "Path", o.path(n));
    }

    private static Struct account(Organization o, Organization.Member m) {
        String status = m.state.equals("ACTIVE") ? "ACTIVE" : m.state.equals("PENDING_CLOSURE") ? "PENDING_CLOSURE" : "SUSPENDED";
        return Struct.of("Id", m.id, "Arn", m.arn, "Email", m.email, "Name", m.name, "Status", status, "State", m.state,
                "JoinedMethod", m.joinedMethod, "JoinedTimestamp", m.joined);
    }

    private Struct summary(Organization.OrgPolicy p) {
        return Struct.of("Id", p.id, "Arn", p.arn, "Name", p.name, "Description", p.description, "Type", p.type,
                "AwsManaged", p.awsManaged);
    }

    private Struct policy(Organization o, Organization.OrgPolicy p) {
        return Struct.of("PolicySummary", summary(p), "Content", p.content);
    }

    private static <T> Struct page(Struct in, List<T> items, Function<T, String> key, String member,
                                   Function<T, Struct> render) {
        Integer max = in.integer("MaxResults");
        if (max != null && (max < 1 || max > 20)) {
            throw OrgErrors.invalidInput("MAX_VALUE_EXCEEDED", "You provided a value that is too high.");
        }
        Pagination.Page<T> page = Pagination.page(items, key, in.string("NextToken"), max == null ? 20 : max,
                () -> OrgErrors.invalidInput("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken."));
        List<Object> out = new ArrayList<>();
        page.items().forEach(i -> out.add(render.apply(i)));
        return Struct.of(member, out, "NextToken", page.nextToken());
    }
}
