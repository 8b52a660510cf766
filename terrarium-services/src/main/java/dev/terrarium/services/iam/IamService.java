package dev.terrarium.services.iam;

import dev.terrarium.core.iam.Authorizer;
import dev.terrarium.core.iam.Decision;
import dev.terrarium.core.iam.IamResourceProvider;
import dev.terrarium.core.iam.ResourcePolicyProvider;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;

import java.util.List;

/**
 * AWS Identity and Access Management. Access keys it creates really sign requests; with --enforce-iam,
 * {@link IamAuthorizer} evaluates every request against what is stored here. The operations, grouped as
 * the API reference groups them:
 * <ul>
 *   <li>{@link Users}, {@link Groups}, {@link Roles} (service-linked roles included), {@link InstanceProfiles};</li>
 *   <li>{@link AccessKeysAndPasswords}, {@link MfaDevices}, {@link UserCredentials} (signing certificates,
 *       SSH keys, service-specific credentials);</li>
 *   <li>{@link ManagedPolicies} (versions, attachments), {@link InlinePolicies};</li>
 *   <li>{@link IdentityProviders} (OIDC, SAML), {@link ServerCertificates};</li>
 *   <li>{@link AccountSettings} (aliases, password policy, summary, authorization details);</li>
 *   <li>{@link PolicySimulation}, {@link LastAccessed} (access advisor), {@link CredentialReports};</li>
 *   <li>{@link RootAccessManagement} (organization features), {@link OutboundWebIdentityFederation},
 *       {@link DelegationRequests} (temporary delegation to partners).</li>
 * </ul>
 */
@Service(value = "iam", groups = {Users.class, Groups.class, Roles.class, InstanceProfiles.class,
        AccessKeysAndPasswords.class, MfaDevices.class, UserCredentials.class, ManagedPolicies.class,
        InlinePolicies.class, IdentityProviders.class, ServerCertificates.class, AccountSettings.class,
        PolicySimulation.class, LastAccessed.class, CredentialReports.class, RootAccessManagement.class,
        OutboundWebIdentityFederation.class, DelegationRequests.class})
public final class IamService implements AwsService, Authorizer, IamResourceProvider, ResourcePolicyProvider {
    private final IamState state;
    private final IamSupport iam;
    private final IamAuthorizer authorizer;
    private final List<Object> groups;
    private final DelegationRequests delegations;

    public IamService(ServiceContext context) {
        this.state = new IamState(context.credentials());
        this.iam = new IamSupport(context, state);
        this.authorizer = new IamAuthorizer(context, state);
        this.delegations = new DelegationRequests(iam);
        this.groups = List.of(new Users(iam), new Groups(iam), new Roles(iam), new InstanceProfiles(iam),
                new AccessKeysAndPasswords(iam), new MfaDevices(iam), new UserCredentials(iam), new ManagedPolicies(iam),
                new InlinePolicies(iam), new IdentityProviders(iam), new ServerCertificates(iam), new AccountSettings(iam),
                new PolicySimulation(iam), new LastAccessed(iam), new CredentialReports(iam), new RootAccessManagement(iam),
                new OutboundWebIdentityFederation(iam), delegations);
    }

    @Override
    public List<Object> operationGroups() {
        return groups;
    }

    @Override
    public Decision authorize(Call call, Struct input) {
        return authorizer.authorize(call, input);
    }

    @Override
    public String encode(Decision decision) {
        return authorizer.encode(decision);
    }

    /** The policy, role, group or user a call names. */
    @Override
    public String resourceArn(Call call, Struct input) {
        IamResources.Named named = IamResources.of(call, input, state.existing(call.account()));
        return named == null ? null : named.arn();
    }

    /** The tags of the policy, role or user a call names (aws:ResourceTag and iam:ResourceTag); IAM has no resource policies. */
    @Override
    public ResourcePolicy resourcePolicy(Call call, Struct input) {
        IamResources.Named named = IamResources.of(call, input, state.existing(call.account()));
        return named == null || named.tags().isEmpty() ? null
                : new ResourcePolicy(call.account(), null, named.tags(), IamResources.iamTagKeys(named.tags()));
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
            Principals.Role r = new Principals.Role(roleName, IamIds.of("AROA"), a.arn("role", "/", roleName), "/", iam.now());
            r.trustPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                    + "\"arn:aws:iam::" + managementAccount + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
            r.attached.add("arn:aws:iam::aws:policy/AdministratorAccess");
            a.roles.put(roleName, r);
        }
    }

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

    /** What a delegation's exchange token grants: whom the credentials act as, limited to which policy, for how long. */
    public record DelegatedAccess(dev.terrarium.core.auth.Identity principal, String permissionPolicy, int sessionDurationSeconds) {
    }

    /** For STS GetDelegatedAccessToken: trades an exchange token in (once); null when unknown or already used. */
    public DelegatedAccess redeemDelegationToken(String token) {
        DelegationRequests.Delegation d = token == null ? null : delegations.redeem(token);
        return d == null ? null : new DelegatedAccess(d.approver, d.permissionPolicy, d.sessionDuration);
    }

    /**
     * The exchange token SendDelegationToken sent for a request (also published on the event bus under the request's
     * notification channel, where an SNS topic would pick it up), or null before it was sent.
     */
    public String sentDelegationToken(String delegationRequestId) {
        DelegationRequests.Delegation d = state.delegations.get(delegationRequestId);
        if (d == null) {
            return null;
        }
        synchronized (d) {
            return d.sentToken;
        }
    }

    /** For STS AssumeRoot: whether the management account has centralized root sessions (privileged root actions) on. */
    public boolean rootSessionsEnabled(String managementAccount) {
        IamAccount a = state.existing(managementAccount);
        if (a == null) {
            return false;
        }
        synchronized (a) {
            return a.organizationFeatures.contains("RootSessions");
        }
    }
}
