package dev.terrarium.services.sts;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.auth.AccessKeys;
import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;

import dev.terrarium.services.iam.IamService;
import dev.terrarium.services.iam.OutboundFederation;
import dev.terrarium.services.organizations.OrganizationsService;

import java.time.Duration;
import java.util.List;
import java.time.Instant;

/** AWS Security Token Service: who am I, and temporary credentials that then sign requests. */
@Service("sts")
public final class StsService implements AwsService, dev.terrarium.core.iam.IamResourceProvider,
        dev.terrarium.core.iam.IamActionProvider {
    private static final int ONE_HOUR = 3600;
    private static final int TWELVE_HOURS = 43200;
    private static final int THIRTY_SIX_HOURS = 129600;

    private final ServiceContext context;
    private final CredentialStore credentials;
    private final SessionCredentials sessions;
    /** access key id of a session -> its session tags (the aws:PrincipalTag/... keys of its requests) */
    private final java.util.Map<String, java.util.Map<String, String>> sessionTags = new java.util.concurrent.ConcurrentHashMap<>();

    public StsService(ServiceContext context) {
        this.context = context;
        this.credentials = context.credentials();
        this.sessions = new SessionCredentials(context.credentials());
    }

    /** The role a call assumes (AssumeRole and its kin name it by RoleArn). */
    @Override
    public String resourceArn(Call call, Struct in) {
        return in.string("RoleArn");
    }

    /** STS's actions are its operations' names. */
    @Override
    public String iamAction(Call call, Struct in) {
        return null;
    }

    /** GetWebIdentityToken's keys: the audiences, the token's lifetime and its signing algorithm. */
    @Override
    public void conditionKeys(Call call, Struct in, dev.terrarium.core.iam.ContextKeys keys) {
        if (!call.operation().name().equals("GetWebIdentityToken")) {
            return;
        }
        if (in.strings("Audience") != null) {
            keys.put("sts:IdentityTokenAudience", in.strings("Audience"));
        }
        keys.put("sts:DurationSeconds", Integer.toString(in.integer("DurationSeconds", 300)));
        if (in.string("SigningAlgorithm") != null) {
            keys.put("sts:SigningAlgorithm", in.string("SigningAlgorithm"));
        }
    }

    @Override
    public void reset() {
        sessions.revokeAll();
        sessionTags.clear();
    }

    /** The session tags passed when the credentials with this access key id were issued (empty when none). */
    public java.util.Map<String, String> sessionTags(String accessKeyId) {
        return accessKeyId == null ? java.util.Map.of() : sessionTags.getOrDefault(accessKeyId, java.util.Map.of());
    }

    private void recordSessionTags(Credential credential, Struct in) {
        List<Struct> tags = in.structs("Tags");
        if (tags != null && !tags.isEmpty()) {
            java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
            tags.forEach(t -> map.put(t.string("Key"), t.string("Value", "")));
            sessionTags.put(credential.accessKeyId(), java.util.Map.copyOf(map));
        }
    }

    @AwsOperation("GetCallerIdentity")
    public Struct getCallerIdentity(Call call, Struct in) {
        Identity id = call.identity();
        return Struct.of("UserId", id.userId(), "Account", id.accountId(), "Arn", id.arn());
    }

    @AwsOperation("AssumeRole")
    public Struct assumeRole(Call call, Struct in) {
        Arn role = roleArn(in.string("RoleArn"));
        int duration = duration(in, ONE_HOUR, TWELVE_HOURS);
        rejectRoleChainingBeyondOneHour(call.identity(), duration);
        SessionTags.check(in);
        SessionPolicies.check(in.string("Policy"));
        AssumedRole assumed = AssumedRole.of(role, in.string("RoleSessionName"));
        Credential credential = sessions.issue(SessionPolicies.record(assumed.identity(), in, null), expiry(call, duration));
        recordSessionTags(credential, in);
        return assumedRoleOutput(credential, assumed, in)
                .put("SourceIdentity", in.string("SourceIdentity"));
    }

    @AwsOperation("AssumeRoleWithWebIdentity")
    public Struct assumeRoleWithWebIdentity(Call call, Struct in) {
        Arn role = roleArn(in.string("RoleArn"));
        int duration = duration(in, ONE_HOUR, TWELVE_HOURS);
        WebIdentityToken token = WebIdentityToken.parse(in.string("WebIdentityToken"), call.receivedAt());
        SessionPolicies.check(in.string("Policy"));
        AssumedRole assumed = AssumedRole.of(role, in.string("RoleSessionName"));
        Credential credential = sessions.issue(SessionPolicies.record(assumed.identity(), in, null), expiry(call, duration));
        return assumedRoleOutput(credential, assumed, in)
                .put("SubjectFromWebIdentityToken", token.subject())
                .put("Audience", token.audience())
                .put("Provider", token.provider());
    }

    @AwsOperation("AssumeRoleWithSAML")
    public Struct assumeRoleWithSaml(Call call, Struct in) {
        Arn role = roleArn(in.string("RoleArn"));
        Arn provider = Arn.parse(in.string("PrincipalArn"));
        if (provider == null || !"iam".equals(provider.service()) || !"saml-provider".equals(provider.resourceType())) {
            throw new AwsException("ValidationError", "PrincipalArn must be the ARN of a SAML provider");
        }
        int duration = duration(in, ONE_HOUR, TWELVE_HOURS);
        SamlAssertion saml = SamlAssertion.parse(in.string("SAMLAssertion"), call.receivedAt());
        SessionPolicies.check(in.string("Policy"));
        AssumedRole assumed = AssumedRole.of(role, saml.sessionName());
        Credential credential = sessions.issue(SessionPolicies.record(assumed.identity(), in, null), expiry(call, duration));
        return assumedRoleOutput(credential, assumed, in)
                .put("Subject", saml.subject())
                .put("SubjectType", saml.subjectType())
                .put("Issuer", saml.issuer())
                .put("Audience", saml.audience())
                .put("NameQualifier", saml.nameQualifier(role.account(), provider.resourceName()));
    }

    /** The AWS managed policies that may scope a root session (AWS's list for AssumeRoot's TaskPolicyArn). */
    static final List<String> ROOT_TASK_POLICIES = List.of(
            "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
            "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
            "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
            "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
            "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy");

    /**
     * A privileged session as the root user of a member account, scoped by one of AWS's root-task policies. Only
     * a principal (not the root user) of the management account or of IAM's delegated administrator may ask, once
     * centralized root sessions are enabled, and only for a member account of the same organization.
     */
    @AwsOperation("AssumeRoot")
    public Struct assumeRoot(Call call, Struct in) {
        String target = in.string("TargetPrincipal");
        if (target != null && target.startsWith("arn:")) {
            Arn arn = Arn.parse(target);
            target = arn == null ? target : arn.account();
        }
        if (target == null || !target.matches("\\d{12}")) {
            throw new AwsException("ValidationError", "TargetPrincipal must be a 12-digit account id");
        }
        int duration = in.integer("DurationSeconds", 900);
        if (duration > 900) {
            throw new AwsException("ValidationError",
                    "1 validation error detected: Value '" + duration
                            + "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900");
        }
        Struct task = in.struct("TaskPolicyArn");
        String taskArn = task == null ? null : task.string("arn");
        if (!ROOT_TASK_POLICIES.contains(taskArn)) {
            throw new AwsException("ValidationError", "TaskPolicyArn " + taskArn + " is not valid: it must be one of "
                    + String.join(", ", ROOT_TASK_POLICIES));
        }
        Identity caller = call.identity();
        if (caller.kind() == Identity.Kind.ROOT) {
            throw new AwsException("AccessDenied", "Root user credentials cannot call AssumeRoot.", 403);
        }
        OrganizationsService orgs = context.peers().findStarted("organizations", OrganizationsService.class);
        OrganizationsService.Membership mine = orgs == null ? null : orgs.membership(caller.accountId(), "iam.amazonaws.com");
        if (mine == null || !(mine.managementAccount().equals(caller.accountId()) || mine.delegatedAdministrator())) {
            throw new AwsException("AccessDenied", "AssumeRoot can only be called from the management account of an "
                    + "organization or from the delegated administrator account for IAM.", 403);
        }
        IamService iam = context.peers().find("iam", IamService.class);
        if (iam == null || !iam.rootSessionsEnabled(mine.managementAccount())) {
            throw new AwsException("AccessDenied", "Centralized root access (root sessions) is not enabled for organization "
                    + mine.organizationId() + ".", 403);
        }
        OrganizationsService.Membership theirs = orgs.membership(target, "iam.amazonaws.com");
        if (theirs == null || !theirs.organizationId().equals(mine.organizationId()) || target.equals(mine.managementAccount())) {
            throw new AwsException("AccessDenied", "Account " + target + " is not a member account of organization "
                    + mine.organizationId() + ".", 403);
        }
        Identity root = Identity.root(target, null)
                .withSessionPolicy(new dev.terrarium.core.auth.SessionPolicy(null, List.of(taskArn), null));
        Credential credential = sessions.issue(root, expiry(call, duration));
        return Struct.of("Credentials", credentialsOf(credential), "SourceIdentity", null);
    }

    @AwsOperation("GetDelegatedAccessToken")
    public Struct getDelegatedAccessToken(Call call, Struct in) {
        IamService iam = context.peers().find("iam", IamService.class);
        IamService.DelegatedAccess access = iam == null ? null : iam.redeemDelegationToken(in.string("TradeInToken"));
        if (access == null) {
            throw new AwsException("ExpiredTradeInTokenException",
                    "The trade-in token provided in the request has expired or is not valid.");
        }
        // the accepting identity, limited by the delegated permission policy as a session policy
        Identity who = access.principal();
        Identity delegated = new Identity(who.accountId(), null, who.arn(), who.userId(), who.kind(), null)
                .withSessionPolicy(new dev.terrarium.core.auth.SessionPolicy(access.permissionPolicy(), List.of(), null));
        Credential credential = sessions.issue(delegated, expiry(call, access.sessionDurationSeconds()));
        return Struct.of("Credentials", credentialsOf(credential), "AssumedPrincipal", who.arn());
    }

    @AwsOperation("GetSessionToken")
    public Struct getSessionToken(Call call, Struct in) {
        Identity caller = longTermCaller(call, "GetSessionToken");
        int duration = duration(in, TWELVE_HOURS, caller.kind() == Identity.Kind.ROOT ? ONE_HOUR : THIRTY_SIX_HOURS);
        Credential credential = sessions.issue(caller, expiry(call, duration));
        return Struct.of("Credentials", credentialsOf(credential));
    }

    @AwsOperation("GetFederationToken")
    public Struct getFederationToken(Call call, Struct in) {
        Identity caller = longTermCaller(call, "GetFederationToken");
        int duration = duration(in, TWELVE_HOURS, caller.kind() == Identity.Kind.ROOT ? ONE_HOUR : THIRTY_SIX_HOURS);
        SessionTags.check(in);
        SessionPolicies.check(in.string("Policy"));
        String name = in.string("Name");
        String account = caller.accountId();
        Identity federated = new Identity(account, null, "arn:aws:sts::" + account + ":federated-user/" + name,
                account + ":" + name, Identity.Kind.FEDERATED_USER, null);
        Credential credential = sessions.issue(SessionPolicies.record(federated, in, caller.arn()), expiry(call, duration));
        recordSessionTags(credential, in);
        return Struct.of("Credentials", credentialsOf(credential),
                "FederatedUser", Struct.of("FederatedUserId", federated.userId(), "Arn", federated.arn()),
                "PackedPolicySize", SessionPolicies.packedSize(in));
    }

    /** The caller of an operation that only long-term credentials (a user's or root's access key) may call. */
    private static Identity longTermCaller(Call call, String operation) {
        Identity caller = call.identity();
        if (caller.sessionToken() != null || caller.kind() == Identity.Kind.ASSUMED_ROLE) {
            throw new AwsException("AccessDenied", "Cannot call " + operation + " with session credentials", 403);
        }
        return caller;
    }

    @AwsOperation("GetWebIdentityToken")
    public Struct getWebIdentityToken(Call call, Struct in) {
        Identity caller = call.identity();
        String algorithm = in.string("SigningAlgorithm");
        if (!"RS256".equals(algorithm) && !"ES384".equals(algorithm)) {
            throw new AwsException("ValidationError", "1 validation error detected: Value '" + algorithm
                    + "' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]");
        }
        IamService iam = context.peers().find("iam", IamService.class);
        OutboundFederation federation = iam == null ? null : iam.outboundFederation(caller.accountId());
        if (federation == null) {
            throw new AwsException("OutboundWebIdentityFederationDisabledException",
                    "Outbound web identity federation is disabled for this account.");
        }
        int duration = in.integer("DurationSeconds", 300);
        Instant now = context.clock().now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant expiration = now.plusSeconds(duration);
        Credential used = credentials.find(caller.accessKeyId());
        if (used != null && used.expiration() != null && expiration.isAfter(used.expiration())) {
            throw new AwsException("SessionDurationEscalationException",
                    "The requested token duration would extend the session beyond its original expiration time.");
        }
        java.util.Map<String, Object> aws = new java.util.LinkedHashMap<>();
        aws.put("aws_account", caller.accountId());
        aws.put("source_region", call.region());
        String[] org = organizationPath(caller.accountId());
        if (org != null) {
            aws.put("org_id", org[0]);
            aws.put("ou_path", org[1]);
        }
        List<Struct> tags = in.structs("Tags");
        if (tags != null && !tags.isEmpty()) {
            java.util.Map<String, String> requestTags = new java.util.LinkedHashMap<>();
            tags.forEach(t -> requestTags.put(t.string("Key"), t.string("Value")));
            aws.put("request_tags", requestTags);
        }
        List<String> audience = in.strings("Audience");
        java.util.Map<String, Object> claims = new java.util.LinkedHashMap<>();
        claims.put("iss", federation.issuer());
        claims.put("aud", audience.size() == 1 ? audience.get(0) : audience);
        claims.put("sub", subject(caller));
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", expiration.getEpochSecond());
        claims.put("jti", java.util.UUID.randomUUID().toString());
        claims.put(OutboundTokens.CLAIMS_NAMESPACE, aws);
        return Struct.of("WebIdentityToken", OutboundTokens.sign(federation, algorithm, claims), "Expiration", expiration);
    }

    /** The principal a token asserts: the user, the role of a role session, or the account root. */
    private static String subject(Identity caller) {
        if (caller.kind() == Identity.Kind.ASSUMED_ROLE) {
            String[] parts = caller.arn().split("/");
            return "arn:aws:iam::" + caller.accountId() + ":role/" + (parts.length > 1 ? parts[1] : "");
        }
        return caller.arn();
    }

    private String[] organizationPath(String account) {
        OrganizationsService orgs = context.peers().findStarted("organizations", OrganizationsService.class);
        return orgs == null ? null : orgs.organizationPath(account);
    }

    @AwsOperation("GetAccessKeyInfo")
    public Struct getAccessKeyInfo(Call call, Struct in) {
        String key = in.string("AccessKeyId");
        Credential known = credentials.find(key);
        String account = known != null ? known.identity().accountId() : AccessKeys.accountOf(key);
        if (account == null) {
            account = credentials.accountForUnknownKey(key);
        }
        return Struct.of("Account", account);
    }

    @AwsOperation("DecodeAuthorizationMessage")
    public Struct decodeAuthorizationMessage(Call call, Struct in) {
        return Struct.of("DecodedMessage", AuthorizationMessages.decode(in.string("EncodedMessage")));
    }

    private Struct assumedRoleOutput(Credential credential, AssumedRole assumed, Struct in) {
        return Struct.of("Credentials", credentialsOf(credential),
                "AssumedRoleUser", Struct.of("AssumedRoleId", assumed.identity().userId(), "Arn", assumed.identity().arn()),
                "PackedPolicySize", SessionPolicies.packedSize(in));
    }

    private static Struct credentialsOf(Credential c) {
        return Struct.of("AccessKeyId", c.accessKeyId(), "SecretAccessKey", c.secretAccessKey(),
                "SessionToken", c.sessionToken(), "Expiration", c.expiration());
    }

    private static Arn roleArn(String text) {
        Arn arn = Arn.parse(text);
        if (arn == null || !"iam".equals(arn.service()) || !"role".equals(arn.resourceType())
                || !arn.account().matches("\\d{12}") || arn.resourceName().isEmpty()) {
            throw new AwsException("ValidationError", text + " is not a valid role ARN");
        }
        return arn;
    }

    private static int duration(Struct in, int fallback, int max) {
        int duration = in.integer("DurationSeconds", fallback);
        if (duration > max) {
            throw new AwsException("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration "
                    + "set for this role.");
        }
        return duration;
    }

    private static void rejectRoleChainingBeyondOneHour(Identity caller, int duration) {
        if (caller.kind() == Identity.Kind.ASSUMED_ROLE && duration > ONE_HOUR) {
            throw new AwsException("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit "
                    + "for roles assumed by role chaining.");
        }
    }

    private Instant expiry(Call call, int seconds) {
        return context.clock().now().plus(Duration.ofSeconds(seconds)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}
