package dev.terrarium.services.organizations;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.iam.IamService;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import static dev.terrarium.services.organizations.OrgSupport.*;

/** Member accounts: created (usable at once), moved, removed, closed. */
final class Accounts {
    private final OrgSupport org;

    Accounts(OrgSupport org) {
        this.org = org;
    }

    static final String MEMBER_ROOT_SECRET = "test";

    /**
     * AWS GovCloud (US) accounts can only be created by a management account paired with a GovCloud account;
     * no organization here is, so the answer is AWS's for a management account not enabled for GovCloud.
     */
    @AwsOperation("CreateGovCloudAccount")
    public Struct createGovCloudAccount(Call call, Struct in) {
        org.management(call);
        throw OrgErrors.constraint("MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED", "You attempted to create a GovCloud account, "
                + "but your management account is not enabled for AWS GovCloud (US).");
    }

    @AwsOperation("CreateAccount")
    public Struct createAccount(Call call, Struct in) {
        Organization o = org.management(call);
        String requestId = OrgIds.createAccountRequest();
        Instant now = org.now();
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
                org.createAccountStatuses.put(requestId, status);
                return Struct.of("CreateAccountStatus", inProgress(status));
            }
            String id;
            do {
                id = OrgIds.account();
            } while (org.byAccount.containsKey(id) || org.credentials.find(id) != null);
            m = new Organization.Member(id, o.arn("account/" + o.id + "/" + id), email, name, "CREATED", now, o.root.id);
            m.tags.putAll(tags(in));
            if (o.enabledPolicyTypes.contains(Organization.SCP)) {
                m.policies.add(Organization.FULL_AWS_ACCESS);
            }
            o.accounts.put(id, m);
            org.byAccount.put(id, o);
        }
        org.credentials.register(new Credential(m.id, MEMBER_ROOT_SECRET, null, Identity.root(m.id, m.id), null));
        IamService iam = org.context.peers().find("iam", IamService.class);
        if (iam != null) {
            iam.createOrganizationAccessRole(m.id, roleName, o.managementAccount);
        }
        status.put("AccountId", m.id);
        org.createAccountStatuses.put(requestId, status);
        return Struct.of("CreateAccountStatus", inProgress(status));
    }

    /** CreateAccount answers IN_PROGRESS, as AWS does; DescribeCreateAccountStatus then tells the outcome. */
    private static Struct inProgress(Struct status) {
        return Struct.of("Id", status.get("Id"), "AccountName", status.get("AccountName"), "State", "IN_PROGRESS",
                "RequestedTimestamp", status.get("RequestedTimestamp"));
    }

    @AwsOperation("DescribeCreateAccountStatus")
    public Struct describeCreateAccountStatus(Call call, Struct in) {
        org.management(call);
        Struct s = org.createAccountStatuses.get(in.string("CreateAccountRequestId"));
        if (s == null) {
            throw OrgErrors.of("CreateAccountStatusNotFoundException",
                    "We can't find a create account request with the CreateAccountRequestId that you specified.");
        }
        return Struct.of("CreateAccountStatus", s);
    }

    @AwsOperation("ListCreateAccountStatus")
    public Struct listCreateAccountStatus(Call call, Struct in) {
        org.management(call);
        List<String> states = in.strings("States");
        List<Struct> all = org.createAccountStatuses.values().stream()
                .filter(s -> states == null || states.isEmpty() || states.contains(s.string("State")))
                .sorted(Comparator.comparing(s -> s.string("Id"))).toList();
        return page(in, all, s -> s.string("Id"), "CreateAccountStatuses", s -> s);
    }

    @AwsOperation("DescribeAccount")
    public Struct describeAccount(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            return Struct.of("Account", account(o, requireAccount(o, in.string("AccountId"))));
        }
    }

    @AwsOperation("ListAccounts")
    public Struct listAccounts(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            return page(in, List.copyOf(o.accounts.values()), m -> m.id, "Accounts", m -> account(o, m));
        }
    }

    @AwsOperation("ListAccountsForParent")
    public Struct listAccountsForParent(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            Organization.Node parent = requireParent(o, in.string("ParentId"));
            List<Organization.Member> ms = o.accounts.values().stream().filter(m -> parent.id.equals(m.parentId)).toList();
            return page(in, ms, m -> m.id, "Accounts", m -> account(o, m));
        }
    }

    @AwsOperation("MoveAccount")
    public Struct moveAccount(Call call, Struct in) {
        Organization o = org.management(call);
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
        Organization o = org.management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            if (m.id.equals(o.managementAccount)) {
                throw OrgErrors.of("MasterCannotLeaveOrganizationException", "You can't remove a management account "
                        + "from an organization. If you want the management account to become a member account in "
                        + "another organization, you must first delete the current organization.");
            }
            o.accounts.remove(m.id);
            org.byAccount.remove(m.id, o);
            o.delegatedAdministrators.values().forEach(admins -> admins.remove(m.id));
            return Struct.empty();
        }
    }

    @AwsOperation("LeaveOrganization")
    public Struct leaveOrganization(Call call, Struct in) {
        Organization o = org.member(call);
        synchronized (o) {
            if (call.account().equals(o.managementAccount)) {
                throw OrgErrors.of("MasterCannotLeaveOrganizationException", "You can't remove a management account "
                        + "from an organization. If you want the management account to become a member account in "
                        + "another organization, you must first delete the current organization.");
            }
            o.accounts.remove(call.account());
            org.byAccount.remove(call.account(), o);
            return Struct.empty();
        }
    }

    @AwsOperation("CloseAccount")
    public Struct closeAccount(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            if (m.id.equals(o.managementAccount)) {
                throw OrgErrors.constraint("CANNOT_CLOSE_MANAGEMENT_ACCOUNT", "You can't close the management account.");
            }
            if (!m.state.equals("ACTIVE")) {
                throw OrgErrors.of("AccountAlreadyClosedException", "You attempted to close an account that is already closed.");
            }
            m.state = "PENDING_CLOSURE";
            org.credentials.revoke(m.id);
            return Struct.empty();
        }
    }
}
