package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.terrarium.services.iam.IamSupport.*;

/** The account's aliases, password policy, summary, authorization details and STS preferences. */
final class AccountSettings {
    private final IamSupport iam;

    AccountSettings(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("GetAccountAuthorizationDetails")
    public Struct getAccountAuthorizationDetails(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            List<String> filter = in.strings("Filter");
            boolean all = filter == null || filter.isEmpty();
            List<Object> users = new ArrayList<>();
            List<Object> groups = new ArrayList<>();
            List<Object> roles = new ArrayList<>();
            List<Object> policies = new ArrayList<>();
            if (all || filter.contains("User")) {
                for (Principals.User u : a.users.values()) {
                    users.add(Struct.of("Path", u.path, "UserName", u.name, "UserId", u.id, "Arn", u.arn, "CreateDate", u.created,
                            "UserPolicyList", inlineList(u), "GroupList", new ArrayList<Object>(u.groups),
                            "AttachedManagedPolicies", attachedList(u), "PermissionsBoundary", boundaryStruct(u.boundaryArn),
                            "Tags", tagList(u.tags)));
                }
            }
            if (all || filter.contains("Group")) {
                for (Principals.Group g : a.groups.values()) {
                    groups.add(Struct.of("Path", g.path, "GroupName", g.name, "GroupId", g.id, "Arn", g.arn, "CreateDate", g.created,
                            "GroupPolicyList", inlineList(g), "AttachedManagedPolicies", attachedList(g)));
                }
            }
            if (all || filter.contains("Role")) {
                for (Principals.Role r : a.roles.values()) {
                    List<Object> profiles = new ArrayList<>();
                    a.instanceProfiles.values().stream().filter(p -> p.roles.contains(r.name))
                            .forEach(p -> profiles.add(iam.instanceProfile(a, p)));
                    roles.add(Struct.of("Path", r.path, "RoleName", r.name, "RoleId", r.id, "Arn", r.arn, "CreateDate", r.created,
                            "AssumeRolePolicyDocument", PolicyDocs.encode(r.trustPolicy), "InstanceProfileList", profiles,
                            "RolePolicyList", inlineList(r), "AttachedManagedPolicies", attachedList(r),
                            "PermissionsBoundary", boundaryStruct(r.boundaryArn), "Tags", tagList(r.tags)));
                }
            }
            boolean local = all || filter.contains("LocalManagedPolicy");
            boolean aws = all || filter.contains("AWSManagedPolicy");
            List<Principals.ManagedPolicy> ps = new ArrayList<>();
            if (local) {
                ps.addAll(a.policies.values());
            }
            if (aws) {
                AwsManagedPolicies.all().values().stream().filter(p -> iam.state.attachmentCount(a, p.arn) > 0).forEach(ps::add);
            }
            for (Principals.ManagedPolicy p : ps) {
                List<Object> versions = new ArrayList<>();
                p.versions.values().forEach(v -> versions.add(version(p, v, true)));
                policies.add(iam.policy(a, p).put("Tags", null).put("PolicyVersionList", versions));
            }
            return Struct.of("UserDetailList", users, "GroupDetailList", groups, "RoleDetailList", roles,
                    "Policies", policies, "IsTruncated", false);
        }
    }

    @AwsOperation("GetAccountSummary")
    public Struct getAccountSummary(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("Users", a.users.size());
            m.put("UsersQuota", 5000);
            m.put("Groups", a.groups.size());
            m.put("GroupsQuota", 300);
            m.put("Roles", a.roles.size());
            m.put("RolesQuota", 1000);
            m.put("Policies", a.policies.size());
            m.put("PoliciesQuota", 1500);
            m.put("InstanceProfiles", a.instanceProfiles.size());
            m.put("InstanceProfilesQuota", 1000);
            m.put("ServerCertificates", a.serverCertificates.size());
            m.put("ServerCertificatesQuota", 20);
            m.put("MFADevices", a.mfaDevices.size());
            m.put("MFADevicesInUse", (int) a.mfaDevices.values().stream().filter(d -> d.userName != null).count());
            m.put("AccountMFAEnabled", 0);
            m.put("AccessKeysPerUserQuota", 2);
            m.put("AttachedPoliciesPerUserQuota", 10);
            m.put("AttachedPoliciesPerGroupQuota", 10);
            m.put("AttachedPoliciesPerRoleQuota", 10);
            m.put("PolicyVersionsInUse", a.policies.values().stream().mapToInt(p -> p.versions.size()).sum());
            m.put("PolicyVersionsInUseQuota", 10000);
            m.put("VersionsPerPolicyQuota", 5);
            m.put("PolicySizeQuota", 6144);
            m.put("UserPolicySizeQuota", 2048);
            m.put("GroupPolicySizeQuota", 5120);
            m.put("RolePolicySizeQuota", 10240);
            m.put("GroupsPerUserQuota", 10);
            m.put("SigningCertificatesPerUserQuota", 2);
            m.put("AccountSigningCertificatesPresent", 0);
            m.put("AccountAccessKeysPresent", 0);
            m.put("Providers", a.oidcProviders.size() + a.samlProviders.size());
            m.put("GlobalEndpointTokenVersion", 1);
            return Struct.of("SummaryMap", m);
        }
    }

    @AwsOperation("CreateAccountAlias")
    public Struct createAccountAlias(Call call, Struct in) {
        IamAccount a = iam.account(call);
        String alias = in.string("AccountAlias");
        synchronized (iam.state) {
            if (iam.state.aliasTaken(alias, a)) {
                throw exists("The account alias " + alias + " already exists.");
            }
            synchronized (a) {
                a.aliases.clear();
                a.aliases.add(alias);
            }
        }
        return Struct.empty();
    }

    @AwsOperation("DeleteAccountAlias")
    public Struct deleteAccountAlias(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            if (!a.aliases.remove(in.string("AccountAlias"))) {
                throw noSuch("The account alias " + in.string("AccountAlias") + " cannot be found.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("ListAccountAliases")
    public Struct listAccountAliases(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return Struct.of("AccountAliases", new ArrayList<Object>(a.aliases), "IsTruncated", false);
        }
    }

    @AwsOperation("UpdateAccountPasswordPolicy")
    public Struct updateAccountPasswordPolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Map<String, Object> p = new java.util.LinkedHashMap<>();
            p.put("MinimumPasswordLength", in.integer("MinimumPasswordLength", 6));
            p.put("RequireSymbols", in.bool("RequireSymbols", false));
            p.put("RequireNumbers", in.bool("RequireNumbers", false));
            p.put("RequireUppercaseCharacters", in.bool("RequireUppercaseCharacters", false));
            p.put("RequireLowercaseCharacters", in.bool("RequireLowercaseCharacters", false));
            p.put("AllowUsersToChangePassword", in.bool("AllowUsersToChangePassword", false));
            Integer maxAge = in.integer("MaxPasswordAge");
            p.put("ExpirePasswords", maxAge != null && maxAge > 0);
            p.put("MaxPasswordAge", maxAge);
            p.put("PasswordReusePrevention", in.integer("PasswordReusePrevention"));
            p.put("HardExpiry", in.bool("HardExpiry", false));
            a.passwordPolicy = p;
            return Struct.empty();
        }
    }

    @AwsOperation("GetAccountPasswordPolicy")
    public Struct getAccountPasswordPolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            if (a.passwordPolicy == null) {
                throw noSuch("The Password Policy with domain name " + a.id + " cannot be found.");
            }
            Struct p = new Struct();
            a.passwordPolicy.forEach(p::put);
            return Struct.of("PasswordPolicy", p);
        }
    }

    @AwsOperation("DeleteAccountPasswordPolicy")
    public Struct deleteAccountPasswordPolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            if (a.passwordPolicy == null) {
                throw noSuch("The account policy with name PasswordPolicy cannot be found.");
            }
            a.passwordPolicy = null;
            return Struct.empty();
        }
    }

    private static List<Object> inlineList(Principals.Entity e) {
        List<Object> out = new ArrayList<>();
        e.inlinePolicies.forEach((n, d) -> out.add(Struct.of("PolicyName", n, "PolicyDocument", PolicyDocs.encode(d))));
        return out;
    }

    private static List<Object> attachedList(Principals.Entity e) {
        List<Object> out = new ArrayList<>();
        e.attached.forEach(arn -> out.add(Struct.of("PolicyName", arn.substring(arn.lastIndexOf('/') + 1), "PolicyArn", arn)));
        return out;
    }

    @AwsOperation("SetSecurityTokenServicePreferences")
    public Struct setSecurityTokenServicePreferences(Call call, Struct in) {
        String version = in.string("GlobalEndpointTokenVersion");
        if (!"v1Token".equals(version) && !"v2Token".equals(version)) {
            throw new AwsException("ValidationError", "GlobalEndpointTokenVersion must be v1Token or v2Token");
        }
        return Struct.empty();
    }
}
