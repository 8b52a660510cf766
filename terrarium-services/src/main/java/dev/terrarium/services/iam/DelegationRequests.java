package dev.terrarium.services.iam;

import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.terrarium.services.iam.IamSupport.*;

/**
 * Temporary delegation: a partner creates a delegation request (UNASSIGNED); a customer identity associates it
 * (ASSIGNED), may send it for approval with notes (PENDING_APPROVAL), accepts (ACCEPTED: the accepting identity
 * is the one the delegated credentials act as) or rejects it (REJECTED); SendDelegationToken then sends the
 * exchange token to the partner's notification channel (FINALIZED), and the partner trades it in through STS
 * GetDelegatedAccessToken. A request not finalized before its expiration is EXPIRED.
 */
final class DelegationRequests {
    /** How long a request waits for its owner: AWS does not publish the figure; one week here. */
    static final Duration REQUEST_LIFETIME = Duration.ofDays(7);
    private final IamSupport iam;

    DelegationRequests(IamSupport iam) {
        this.iam = iam;
    }

    /** One delegation request. */
    static final class Delegation {
        final String id;
        final String requestorAccount;
        final String requestorName;
        final Struct permissions;
        final String permissionPolicy;
        final String description;
        final String requestMessage;
        final String workflowId;
        final String redirectUrl;
        final String notificationChannel;
        final int sessionDuration;
        final boolean onlySendByOwner;
        final Instant created;
        final Instant expires;
        String ownerAccount;
        String ownerId;
        String state = "UNASSIGNED";
        String notes;
        String rejectionReason;
        Identity approver;
        String exchangeToken;
        String sentToken;
        Instant updated;

        Delegation(String id, String requestorAccount, String requestorName, Struct in, String permissionPolicy, Instant now) {
            this.id = id;
            this.requestorAccount = requestorAccount;
            this.requestorName = requestorName;
            this.permissions = in.struct("Permissions");
            this.permissionPolicy = permissionPolicy;
            this.description = in.string("Description");
            this.requestMessage = in.string("RequestMessage");
            this.workflowId = in.string("RequestorWorkflowId");
            this.redirectUrl = in.string("RedirectUrl");
            this.notificationChannel = in.string("NotificationChannel");
            this.sessionDuration = in.integer("SessionDuration");
            this.onlySendByOwner = Boolean.TRUE.equals(in.get("OnlySendByOwner"));
            this.ownerAccount = in.string("OwnerAccountId");
            this.created = now;
            this.updated = now;
            this.expires = now.plus(REQUEST_LIFETIME);
        }

        String state(Instant now) {
            if (now.isAfter(expires) && !List.of("FINALIZED", "REJECTED", "EXPIRED").contains(state)) {
                state = "EXPIRED";
            }
            return state;
        }
    }

    @AwsOperation("CreateDelegationRequest")
    public Struct createDelegationRequest(Call call, Struct in) {
        if (in.integer("SessionDuration") == null) {
            throw new AwsException("InvalidInputException", "SessionDuration is required.");
        }
        for (Delegation d : iam.state.delegations.values()) {
            if (d.requestorAccount.equals(call.account()) && d.workflowId.equals(in.string("RequestorWorkflowId"))
                    && !List.of("REJECTED", "EXPIRED", "FINALIZED").contains(d.state(iam.now()))) {
                throw exists("A delegation request with requestor workflow id " + d.workflowId + " already exists.");
            }
        }
        String policy = permissionPolicy(call, in.struct("Permissions"));
        String id = "dr-" + UUID.randomUUID().toString().replace("-", "");
        Delegation d = new Delegation(id, call.account(), call.identity().arn(), in, policy, iam.now());
        iam.state.delegations.put(id, d);
        return Struct.of("DelegationRequestId", id,
                "ConsoleDeepLink", "https://console.aws.amazon.com/iam/home#/delegation-requests/" + id);
    }

    @AwsOperation("GetDelegationRequest")
    public Struct getDelegationRequest(Call call, Struct in) {
        Delegation d = visible(call, in.string("DelegationRequestId"));
        synchronized (d) {
            Struct out = Struct.of("DelegationRequest", shape(d));
            if (Boolean.TRUE.equals(in.get("DelegationPermissionCheck"))) {
                // whether the caller could grant what is asked: its own policies must allow every action asked for
                out.put("PermissionCheckStatus", "COMPLETE").put("PermissionCheckResult", grantable(call, d) ? "ALLOWED" : "DENIED");
            }
            return out;
        }
    }

    @AwsOperation("ListDelegationRequests")
    public Struct listDelegationRequests(Call call, Struct in) {
        String ownerId = in.string("OwnerId");
        List<Delegation> mine = new ArrayList<>();
        for (Delegation d : iam.state.delegations.values()) {
            boolean visible = call.account().equals(d.ownerAccount) || call.account().equals(d.requestorAccount);
            if (visible && (ownerId == null || ownerId.equals(d.ownerId))) {
                mine.add(d);
            }
        }
        mine.sort(java.util.Comparator.comparing((Delegation d) -> d.created).thenComparing(d -> d.id));
        Struct page = page(in, mine, d -> d.id, "DelegationRequests", d -> {
            synchronized (d) {
                return shape(d);
            }
        });
        // this operation's output spells the flag isTruncated
        return Struct.of("DelegationRequests", page.get("DelegationRequests"), "Marker", page.get("Marker"),
                "isTruncated", page.get("IsTruncated"));
    }

    @AwsOperation("AssociateDelegationRequest")
    public Struct associateDelegationRequest(Call call, Struct in) {
        Delegation d = require(in.string("DelegationRequestId"));
        synchronized (d) {
            if (d.ownerAccount != null && !d.ownerAccount.equals(call.account())) {
                throw notFound(d.id);
            }
            inState(d, "associate", "UNASSIGNED");
            d.ownerAccount = call.account();
            d.ownerId = call.identity().arn();
            move(d, "ASSIGNED");
            return Struct.empty();
        }
    }

    @AwsOperation("UpdateDelegationRequest")
    public Struct updateDelegationRequest(Call call, Struct in) {
        Delegation d = owned(call, in.string("DelegationRequestId"));
        synchronized (d) {
            inState(d, "update", "ASSIGNED", "PENDING_APPROVAL");
            d.notes = in.string("Notes");
            move(d, "PENDING_APPROVAL");
            return Struct.empty();
        }
    }

    @AwsOperation("AcceptDelegationRequest")
    public Struct acceptDelegationRequest(Call call, Struct in) {
        Delegation d = owned(call, in.string("DelegationRequestId"));
        synchronized (d) {
            inState(d, "accept", "ASSIGNED", "PENDING_APPROVAL");
            d.approver = call.identity();
            move(d, "ACCEPTED");
            return Struct.empty();
        }
    }

    @AwsOperation("RejectDelegationRequest")
    public Struct rejectDelegationRequest(Call call, Struct in) {
        Delegation d = owned(call, in.string("DelegationRequestId"));
        synchronized (d) {
            inState(d, "reject", "ASSIGNED", "PENDING_APPROVAL", "ACCEPTED");
            d.rejectionReason = in.string("Notes");
            d.approver = null;
            move(d, "REJECTED");
            return Struct.empty();
        }
    }

    @AwsOperation("SendDelegationToken")
    public Struct sendDelegationToken(Call call, Struct in) {
        Delegation d = owned(call, in.string("DelegationRequestId"));
        synchronized (d) {
            inState(d, "send the token of", "ACCEPTED");
            if (d.onlySendByOwner && !call.identity().arn().equals(d.ownerId)) {
                throw new AwsException("InvalidInputException", "Only the owner of delegation request " + d.id
                        + " can send its delegation token.");
            }
            d.exchangeToken = "dt-" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
            d.sentToken = d.exchangeToken;
            move(d, "FINALIZED");
            iam.context.events().publish(d.notificationChannel, Struct.of("Type", "DelegationToken",
                    "DelegationRequestId", d.id, "RequestorWorkflowId", d.workflowId, "ExchangeToken", d.exchangeToken));
            return Struct.empty();
        }
    }

    @AwsOperation("GetHumanReadableSummary")
    public Struct getHumanReadableSummary(Call call, Struct in) {
        dev.terrarium.core.arn.Arn arn = dev.terrarium.core.arn.Arn.parse(in.string("EntityArn"));
        if (arn == null || !"iam".equals(arn.service()) || !"delegation-request".equals(arn.resourceType())) {
            throw new AwsException("InvalidInputException", "Invalid entity ARN " + in.string("EntityArn")
                    + ": the only supported entity type is delegation-request.");
        }
        Delegation d = visible(call, arn.resourceName());
        String locale = in.string("Locale", "en-US");
        if (!locale.toLowerCase(java.util.Locale.ROOT).startsWith("en")) {
            return Struct.of("Locale", locale, "SummaryState", "NOT_SUPPORTED");
        }
        synchronized (d) {
            String hours = d.sessionDuration % 3600 == 0 ? (d.sessionDuration / 3600) + " hour" + (d.sessionDuration == 3600 ? "" : "s")
                    : (d.sessionDuration / 60) + " minutes";
            String text = "Account " + d.requestorAccount + " asks for temporary access for " + hours + ": " + d.description
                    + (d.requestMessage == null ? "" : " (" + d.requestMessage + ")") + "\nThe delegated permissions:\n"
                    + PolicySummary.of(d.permissionPolicy);
            return Struct.of("SummaryContent", text, "Locale", locale, "SummaryState", "AVAILABLE");
        }
    }

    /** The permission policy a request asks for: its template (a managed policy) with ${Name} parameters filled in. */
    private String permissionPolicy(Call call, Struct permissions) {
        String arn = permissions == null ? null : permissions.string("PolicyTemplateArn");
        if (arn == null) {
            throw new AwsException("InvalidInputException", "Permissions must name a PolicyTemplateArn.");
        }
        Principals.ManagedPolicy template = iam.state.policy(iam.account(call), arn);
        if (template == null) {
            throw noSuch("Policy template " + arn + " does not exist.");
        }
        String document = template.defaultDocument();
        List<Struct> parameters = permissions.structs("Parameters");
        if (parameters != null) {
            for (Struct p : parameters) {
                List<String> values = p.strings("Values");
                String value = values == null || values.isEmpty() ? "" : values.get(0);
                document = document.replace("${" + p.string("Name") + "}", value);
            }
        }
        return document;
    }

    private boolean grantable(Call call, Delegation d) {
        if (call.identity().kind() == Identity.Kind.ROOT) {
            return true;
        }
        IamAccount a = iam.account(call);
        dev.terrarium.core.iam.PolicyDocument asked = dev.terrarium.core.iam.PolicyDocument.parse(d.permissionPolicy,
                dev.terrarium.core.iam.PolicyKind.IDENTITY);
        String name = call.identity().arn().substring(call.identity().arn().lastIndexOf('/') + 1);
        Principals.User u;
        synchronized (a) {
            u = a.users.get(name);
        }
        if (u == null) {
            return false;
        }
        EffectivePolicies policies;
        synchronized (a) {
            policies = EffectivePolicies.of(iam.state, a, u);
        }
        for (dev.terrarium.core.iam.Statement s : asked.statements()) {
            if (s.effect() != dev.terrarium.core.iam.Effect.ALLOW || s.notAction()) {
                continue;
            }
            for (String action : s.actions()) {
                dev.terrarium.core.iam.AuthorizationRequest req = new dev.terrarium.core.iam.AuthorizationRequest(
                        dev.terrarium.core.iam.Principal.user(u.arn, a.id), action, "*").identityPolicies(policies.identity())
                        .permissionsBoundary(policies.boundary());
                if (!dev.terrarium.core.iam.PolicyEvaluator.evaluate(req).allowed()) {
                    return false;
                }
            }
        }
        return true;
    }

    private Struct shape(Delegation d) {
        String state = d.state(iam.now());
        return Struct.of("DelegationRequestId", d.id, "OwnerAccountId", d.ownerAccount, "Description", d.description,
                "RequestMessage", d.requestMessage, "Permissions", d.permissions, "PermissionPolicy", d.permissionPolicy,
                "OwnerId", d.ownerId, "ApproverId", d.approver == null ? null : d.approver.arn(), "State", state,
                "ExpirationTime", d.expires, "RequestorId", d.requestorAccount, "RequestorName", d.requestorName,
                "CreateDate", d.created, "SessionDuration", d.sessionDuration, "RedirectUrl", d.redirectUrl,
                "Notes", d.notes, "RejectionReason", d.rejectionReason, "OnlySendByOwner", d.onlySendByOwner,
                "UpdatedTime", d.updated);
    }

    private void move(Delegation d, String state) {
        d.state = state;
        d.updated = iam.now();
    }

    private void inState(Delegation d, String verb, String... allowed) {
        String state = d.state(iam.now());
        if (!List.of(allowed).contains(state)) {
            throw new AwsException("InvalidInputException", "Cannot " + verb + " delegation request " + d.id
                    + " in state " + state + ".");
        }
    }

    private Delegation require(String id) {
        Delegation d = id == null ? null : iam.state.delegations.get(id);
        if (d == null) {
            throw notFound(id);
        }
        return d;
    }

    /** A request the caller's account created or owns. */
    private Delegation visible(Call call, String id) {
        Delegation d = require(id);
        if (!call.account().equals(d.requestorAccount) && !call.account().equals(d.ownerAccount)) {
            throw notFound(id);
        }
        return d;
    }

    /** A request the caller's account owns (associated with one of its identities). */
    private Delegation owned(Call call, String id) {
        Delegation d = require(id);
        if (!call.account().equals(d.ownerAccount) || d.ownerId == null) {
            throw notFound(id);
        }
        return d;
    }

    private static AwsException notFound(String id) {
        return noSuch("Delegation request " + id + " does not exist.");
    }

    /** For STS GetDelegatedAccessToken: the finalized request an exchange token belongs to (the token is used once). */
    Delegation redeem(String token) {
        for (Delegation d : iam.state.delegations.values()) {
            synchronized (d) {
                if (token.equals(d.exchangeToken) && "FINALIZED".equals(d.state)) {
                    d.exchangeToken = null;
                    return d;
                }
            }
        }
        return null;
    }
}
