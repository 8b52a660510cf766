package dev.terrarium.services.iam;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.organizations.OrganizationsService;

import java.util.ArrayList;

/** Centralized root access for an organization's member accounts. */
final class RootAccessManagement {
    private final IamSupport iam;

    RootAccessManagement(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("EnableOrganizationsRootCredentialsManagement")
    public Struct enableOrganizationsRootCredentialsManagement(Call call, Struct in) {
        return organizationFeature(call, "RootCredentialsManagement", true);
    }

    @AwsOperation("DisableOrganizationsRootCredentialsManagement")
    public Struct disableOrganizationsRootCredentialsManagement(Call call, Struct in) {
        return organizationFeature(call, "RootCredentialsManagement", false);
    }

    @AwsOperation("EnableOrganizationsRootSessions")
    public Struct enableOrganizationsRootSessions(Call call, Struct in) {
        return organizationFeature(call, "RootSessions", true);
    }

    @AwsOperation("DisableOrganizationsRootSessions")
    public Struct disableOrganizationsRootSessions(Call call, Struct in) {
        return organizationFeature(call, "RootSessions", false);
    }

    @AwsOperation("ListOrganizationsFeatures")
    public Struct listOrganizationsFeatures(Call call, Struct in) {
        return organizationFeature(call, null, false);
    }

    /**
     * Centralized root access of an organization: the management account (or IAM's delegated administrator,
     * except to enable) turns features on or off once trusted access for IAM is enabled; they are kept on the
     * management account.
     */
    private Struct organizationFeature(Call call, String feature, boolean enable) {
        OrganizationsService orgs = iam.context.peers().findStarted("organizations", OrganizationsService.class);
        OrganizationsService.Membership m = orgs == null ? null : orgs.membership(call.account(), "iam.amazonaws.com");
        if (m == null) {
            throw new AwsException("OrganizationNotFoundException",
                    "The request was rejected because no organization is associated with your account.");
        }
        if (!m.allFeatures()) {
            throw new AwsException("OrganizationNotInAllFeaturesModeException",
                    "The request was rejected because your organization does not have All features enabled.");
        }
        if (!m.trustedAccess()) {
            throw new AwsException("ServiceAccessNotEnabledException",
                    "The request was rejected because trusted access is not enabled for IAM in AWS Organizations.");
        }
        boolean management = m.managementAccount().equals(call.account());
        if (feature != null && enable && !management) {
            throw new AwsException("CallerIsNotManagementAccountException",
                    "The request was rejected because the account making the request is not the management account for the organization.");
        }
        if (!management && !m.delegatedAdministrator()) {
            throw new AwsException("AccountNotManagementOrDelegatedAdministratorException", "The request was rejected "
                    + "because the account making the request is not the management account or delegated administrator "
                    + "account for centralized root access.");
        }
        IamAccount home = iam.state.account(m.managementAccount());
        synchronized (home) {
            if (feature != null) {
                if (enable) {
                    home.organizationFeatures.add(feature);
                } else {
                    home.organizationFeatures.remove(feature);
                }
            }
            return Struct.of("OrganizationId", m.organizationId(), "EnabledFeatures", new ArrayList<Object>(home.organizationFeatures));
        }
    }
}
