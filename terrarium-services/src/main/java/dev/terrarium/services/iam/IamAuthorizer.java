package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.iam.AuthorizationRequest;
import dev.terrarium.core.iam.ContextKeys;
import dev.terrarium.core.iam.Decision;
import dev.terrarium.core.iam.DecisionJson;
import dev.terrarium.core.iam.PolicyEvaluator;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.IamActionProvider;
import dev.terrarium.core.iam.IamResourceProvider;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.Principal;
import dev.terrarium.core.iam.ResourcePolicyProvider;
import dev.terrarium.core.iam.ServiceControlPolicyProvider;
import dev.terrarium.core.auth.SessionPolicy;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.protocol.Timestamps;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.organizations.OrganizationsService;
import dev.terrarium.services.sts.AuthorizationMessages;

import java.util.List;
import java.util.Map;

/**
 * Builds each request's authorization question from IAM's state — the caller's identity policies
 * and boundary, the action (signing name:Operation), the resource and the global condition keys —
 * and answers it with the policy engine. sts:AssumeRole also needs the role to exist, its trust
 * policy to agree, and the duration to fit the role's MaxSessionDuration.
 */
final class IamAuthorizer {
    private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private final ServiceContext context;
    private final IamState state;

    IamAuthorizer(ServiceContext context, IamState state) {
        this.context = context;
        this.state = state;
    }

    Decision authorize(Call call, Struct in) {
        Identity id = call.identity();
        IamActionProvider actions = context.peers().find(call.service(), IamActionProvider.class);
        String actionName = actions == null ? null : actions.iamAction(call, in);
        String action = prefix(call.service()) + ":" + (actionName == null ? call.operation().name() : actionName);
        IamAccount home = state.existing(id.accountId());
        Principal principal;
        EffectivePolicies policies = new EffectivePolicies(List.of(), null);
        Map<String, String> principalTags = Map.of();
        boolean serviceLinked = false;
        ContextKeys keys = new ContextKeys();
        if (id.kind() == Identity.Kind.ROOT) {
            principal = Principal.root(id.accountId());
            keys.put("aws:PrincipalType", "Account").put("aws:PrincipalArn", id.arn()).put("aws:userid", id.userId());
        } else if (id.kind() == Identity.Kind.ANONYMOUS) {
            principal = Principal.anonymous();
        } else if (id.kind() == Identity.Kind.USER) {
            principal = Principal.user(id.arn(), id.accountId());
            if (home != null) {
                synchronized (home) {
                    Principals.User u = home.users.get(Arn.parse(id.arn()).resourceName());
                    if (u != null) {
                        policies = EffectivePolicies.of(state, home, u);
                        principalTags = Map.copyOf(u.tags);
                        keys.put("aws:username", u.name);
                        touch(home, id.accessKeyId(), call);
                        lastAccess(home, u.arn, action, call);
                    }
                }
            }
            keys.put("aws:PrincipalType", "User").put("aws:PrincipalArn", id.arn()).put("aws:userid", id.userId());
        } else if (id.kind() == Identity.Kind.FEDERATED_USER) {
            // a federated user has at most the permissions of the user (or root) that called GetFederationToken
            principal = new Principal(Principal.Type.FEDERATED_USER, id.arn(), id.accountId(), null, null, null);
            policies = federatingPolicies(id, home);
            keys.put("aws:PrincipalType", "FederatedUser").put("aws:PrincipalArn", id.arn()).put("aws:userid", id.userId());
        } else {
            String roleName = id.arn().split("/").length > 1 ? id.arn().split("/")[1] : "";
            String roleArn = "arn:aws:iam::" + id.accountId() + ":role/" + roleName;
            if (home != null) {
                synchronized (home) {
                    Principals.Role r = home.roles.get(roleName);
                    if (r != null) {
                        roleArn = r.arn;
                        serviceLinked = r.serviceLinked;
                        policies = EffectivePolicies.of(state, home, r);
                        principalTags = Map.copyOf(r.tags);
                        r.lastUsed = call.receivedAt();
                        r.lastUsedRegion = call.region();
                        lastAccess(home, r.arn, action, call);
                    }
                }
            }
            principal = Principal.roleSession(id.arn(), id.accountId(), roleArn);
            keys.put("aws:PrincipalType", "AssumedRole").put("aws:PrincipalArn", roleArn).put("aws:userid", id.userId())
                    .put("aws:TokenIssueTime", Timestamps.iso8601(call.receivedAt()));
        }
        if (id.kind() == Identity.Kind.ASSUMED_ROLE || id.kind() == Identity.Kind.FEDERATED_USER) {
            // session tags passed to AssumeRole / GetFederationToken override the role's tags of the same key
            dev.terrarium.services.sts.StsService sts = context.peers().findStarted("sts", dev.terrarium.services.sts.StsService.class);
            Map<String, String> session = sts == null ? Map.of() : sts.sessionTags(id.accessKeyId());
            if (!session.isEmpty()) {
                Map<String, String> merged = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                merged.putAll(principalTags);
                merged.putAll(session);
                principalTags = merged;
            }
        }
        principalTags.forEach((k, v) -> keys.put("aws:PrincipalTag/" + k, v));
        if (principal.account() != null) {
            keys.put("aws:PrincipalAccount", principal.account());
            organizationKeys(keys, principal.account());
        }
        globalKeys(keys, call, in);
        if (actions != null) {
            actions.conditionKeys(call, in, keys);
        }
        IamResourceProvider resources = context.peers().find(call.service(), IamResourceProvider.class);
        String resource = resources == null ? null : resources.resourceArn(call, in);
        AuthorizationRequest req = new AuthorizationRequest(principal, action, resource).context(keys)
                .identityPolicies(policies.identity()).permissionsBoundary(policies.boundary());
        sessionPolicies(req, id, home);
        // SCPs do not affect service-linked roles (AWS: "SCPs don't affect service-linked roles")
        List<List<Policy>> scps = principal.account() == null || serviceLinked ? null : serviceControlPolicies(principal.account());
        if (scps != null) {
            req.serviceControlPolicies(scps);
        }
        if (action.equals("sts:AssumeRole")) {
            trust(req, in);
        } else {
            resourcePolicy(req, call, in);
        }
        // root acting on its own account's resources, outside any SCP, is not subject to IAM
        if (id.kind() == Identity.Kind.ROOT && scps == null && !req.crossAccount() && !req.hasSessionPolicies()) {
            return null;
        }
        return PolicyEvaluator.evaluate(req);
    }

    /** The policies of the user (or root: everything) that called GetFederationToken. */
    private EffectivePolicies federatingPolicies(Identity id, IamAccount home) {
        SessionPolicy session = id.sessionPolicy();
        String parent = session == null ? null : session.federatedBy();
        if (parent == null || parent.endsWith(":root")) {
            return new EffectivePolicies(List.of(PolicyDocs.policy(parent == null ? "root" : parent, ALLOW_ALL,
                    PolicyKind.IDENTITY)), null);
        }
        if (home == null) {
            return new EffectivePolicies(List.of(), null);
        }
        synchronized (home) {
            Arn arn = Arn.parse(parent);
            Principals.User u = arn == null ? null : home.users.get(arn.resourceName());
            return u == null ? new EffectivePolicies(List.of(), null) : EffectivePolicies.of(state, home, u);
        }
    }

    /**
     * The session policies recorded with STS credentials. A federated user always has them: without any,
     * its session allows nothing (only resource policies naming it can).
     */
    private void sessionPolicies(AuthorizationRequest req, Identity id, IamAccount home) {
        SessionPolicy session = id.sessionPolicy();
        if (session == null) {
            return;
        }
        if (session.document() != null) {
            req.sessionPolicy(PolicyDocs.policy("session policy", session.document(), PolicyKind.IDENTITY));
        }
        for (String arn : session.managedPolicyArns()) {
            Principals.ManagedPolicy p = home == null ? AwsManagedPolicies.get(arn) : state.policy(home, arn);
            if (p != null) {
                req.sessionPolicy(PolicyDocs.policy(arn + " (session)", p.defaultDocument(), PolicyKind.IDENTITY));
            }
        }
        if (!req.hasSessionPolicies() && (session.limits() || id.kind() == Identity.Kind.FEDERATED_USER)) {
            // managed ARNs that no longer exist, or a federated user without policy: nothing is allowed
            req.sessionPolicy(new Policy("no session policy", new PolicyDocument(null, null, List.of())));
        }
    }

    /** aws:PrincipalOrgID and aws:PrincipalOrgPaths, for principals whose account is in an organization. */
    private void organizationKeys(ContextKeys keys, String account) {
        OrganizationsService orgs = context.peers().findStarted("organizations", OrganizationsService.class);
        String[] path = orgs == null ? null : orgs.organizationPath(account);
        if (path != null) {
            keys.put("aws:PrincipalOrgID", path[0]).put("aws:PrincipalOrgPaths", List.of(path[1]));
        }
    }

    private List<List<Policy>> serviceControlPolicies(String account) {
        ServiceControlPolicyProvider orgs = context.peers().findStarted("organizations", ServiceControlPolicyProvider.class);
        return orgs == null ? null : orgs.serviceControlPolicies(account);
    }

    /** The resource's own policy and owner, from the service that holds it (bucket policies, queue policies...). */
    private void resourcePolicy(AuthorizationRequest req, Call call, Struct in) {
        ResourcePolicyProvider provider = context.peers().find(call.service(), ResourcePolicyProvider.class);
        ResourcePolicyProvider.ResourcePolicy rp = provider == null ? null : provider.resourcePolicy(call, in);
        if (rp == null) {
            return;
        }
        rp.tags().forEach((k, v) -> req.context().put("aws:ResourceTag/" + k, v));
        rp.keys().forEach(req.context()::put);
        if (rp.policy() != null) {
            req.resourcePolicy(rp.policy(), rp.ownerAccount());
        } else {
            req.resourceAccount(rp.ownerAccount());
        }
    }

    String encode(Decision d) {
        return AuthorizationMessages.encode(DecisionJson.toJson(d));
    }

    /**
     * The role to assume must exist and trust the caller, and the session must fit its MaxSessionDuration. The
     * role's tags are its aws:ResourceTag and iam:ResourceTag keys.
     */
    private void trust(AuthorizationRequest req, Struct in) {
        req.requireResourcePolicy();
        Arn roleArn = Arn.parse(in.string("RoleArn"));
        IamAccount owner = roleArn == null ? null : state.existing(roleArn.account());
        Principals.Role role = null;
        Map<String, String> tags = Map.of();
        if (owner != null) {
            synchronized (owner) {
                role = owner.roles.get(roleArn.resourceName());
                tags = role == null ? tags : Map.copyOf(role.tags);
            }
        }
        if (role == null) {
            // AWS answers AccessDenied for a role that does not exist: the empty trust policy below trusts no one
            req.resourcePolicy(new Policy("no such role", new PolicyDocument(
                    null, null, List.of())), roleArn == null ? "000000000000" : roleArn.account());
            return;
        }
        Integer duration = in.integer("DurationSeconds");
        if (duration != null && duration > role.maxSessionDuration) {
            throw new AwsException("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        if (in.string("ExternalId") != null) {
            req.context().put("sts:ExternalId", in.string("ExternalId"));
        }
        tags.forEach((k, v) -> req.context().put("aws:ResourceTag/" + k, v));
        IamResources.iamTagKeys(tags).forEach(req.context()::put);
        req.resourcePolicy(PolicyDocs.policy(role.arn + " trust policy", role.trustPolicy, PolicyKind.TRUST), owner.id);
    }

    /** The keys every request carries: its time, region, transport and source, and its tags for the tagging operations. */
    private static void globalKeys(ContextKeys keys, Call call, Struct in) {
        keys.put("aws:CurrentTime", Timestamps.iso8601(call.receivedAt()))
                .put("aws:EpochTime", Long.toString(call.receivedAt().getEpochSecond()))
                .put("aws:RequestedRegion", call.region())
                .put("aws:SecureTransport", "false")
                .put("aws:SourceIp", call.request().remoteAddress());
        if (in.get("TagKeys") instanceof java.util.List<?> && in.strings("TagKeys") != null) {
            keys.put("aws:TagKeys", in.strings("TagKeys")); // the untag operations
        }
        if (in.get("Tags") instanceof java.util.List<?> list && !list.isEmpty() && list.get(0) instanceof Struct) {
            java.util.List<String> tagKeys = new java.util.ArrayList<>();
            for (Struct t : in.structs("Tags")) {
                String k = t.string("Key");
                if (k != null) {
                    tagKeys.add(k);
                    keys.put("aws:RequestTag/" + k, t.string("Value", ""));
                }
            }
            keys.put("aws:TagKeys", tagKeys);
        } else if ((in.get("Tags") instanceof Map<?, ?> || in.get("tags") instanceof Map<?, ?>)) {
            // services whose tags are a map (SQS, Lambda, ...)
            Map<?, ?> map = (Map<?, ?>) (in.get("Tags") instanceof Map<?, ?> m ? m : in.get("tags"));
            java.util.List<String> tagKeys = new java.util.ArrayList<>();
            map.forEach((k, v) -> {
                tagKeys.add(String.valueOf(k));
                keys.put("aws:RequestTag/" + k, String.valueOf(v));
            });
            if (!tagKeys.isEmpty()) {
                keys.put("aws:TagKeys", tagKeys);
            }
        }
    }

    /** For the access advisor: when this user or role last reached the action's service. */
    private static void lastAccess(IamAccount a, String entityArn, String action, Call call) {
        String namespace = action.substring(0, action.indexOf(':'));
        a.lastAccess.computeIfAbsent(entityArn, k -> new java.util.HashMap<>())
                .put(namespace, new Principals.LastAccess(call.receivedAt(), call.region(), entityArn));
    }

    private void touch(IamAccount a, String accessKeyId, Call call) {
        Principals.AccessKey k = accessKeyId == null ? null : a.accessKeys.get(accessKeyId);
        if (k != null) {
            k.lastUsed = call.receivedAt();
            k.lastService = call.service();
            k.lastRegion = call.region();
        }
    }

    /** The IAM action prefix: the service's signing name (s3, sqs, dynamodb, iam, sts, lambda, logs...). */
    private String prefix(String service) {
        ServiceInfo info = context.models().info(service);
        return info == null || info.signingName() == null ? service : info.signingName();
    }
}
