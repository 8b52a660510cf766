package dev.terrarium.services.organizations;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Responsibility transfers (billing): a management account invites another organization's management account to
 * designate it with a responsibility for that organization. The invitation is a handshake (TRANSFER_RESPONSIBILITY);
 * its answer moves the transfer from REQUESTED to ACCEPTED, DECLINED, CANCELED or EXPIRED; an accepted transfer ends
 * with TerminateResponsibilityTransfer (WITHDRAWN). For the inviter the transfer is inbound (it receives the
 * responsibility), for the invited organization outbound.
 */
final class ResponsibilityTransfers {
    private final OrgSupport org;

    ResponsibilityTransfers(OrgSupport org) {
        this.org = org;
    }

    /** One transfer: Source is the inviting management account, Target the invited one. */
    static final class Transfer {
        final String id;
        final String type;
        final Organization source;
        final String targetId;
        final String targetType;
        final Instant start;
        final Organization.Handshake handshake;
        String name;
        String status = "REQUESTED";
        Organization target;
        Instant end;

        Transfer(String id, String type, Organization source, String targetId, String targetType, Instant start, String name,
                 Organization.Handshake handshake) {
            this.id = id;
            this.type = type;
            this.source = source;
            this.targetId = targetId;
            this.targetType = targetType;
            this.start = start;
            this.name = name;
            this.handshake = handshake;
        }

        void accepted(Organization targetOrganization) {
            target = targetOrganization;
            status = "ACCEPTED";
        }
    }

    @AwsOperation("InviteOrganizationToTransferResponsibility")
    public Struct inviteOrganizationToTransferResponsibility(Call call, Struct in) {
        Organization o = org.management(call);
        if (!"BILLING".equals(in.string("Type"))) {
            throw OrgErrors.invalidInput("INVALID_ENUM", "You specified an invalid value: only BILLING transfers exist.");
        }
        Struct target = in.struct("Target");
        String id = target.string("Id");
        String type = target.string("Type");
        if (type.equals("ORGANIZATION") || (type.equals("ACCOUNT") && !id.matches("\\d{12}"))) {
            throw OrgErrors.invalidInput("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type for the handshake party.");
        }
        if (id.equals(call.account())) {
            throw new AwsException("HandshakeConstraintViolationException", "You can't transfer a responsibility to your own account.")
                    .withFields(Struct.of("Reason", "INVALID_HANDSHAKE_PARTY"));
        }
        boolean duplicate = org.transfers.values().stream().anyMatch(t -> t.source == o && t.targetId.equals(id)
                && (t.status.equals("REQUESTED") || t.status.equals("ACCEPTED")));
        if (duplicate) {
            throw OrgErrors.of("DuplicateHandshakeException", "A handshake with the same action and target already exists.");
        }
        Organization.Handshake h = new Organization.Handshake(OrgIds.handshake(), o, id, type, in.string("Notes"), org.now());
        Transfer t = new Transfer("rt-" + OrgIds.random(12, "abcdefghijklmnopqrstuvwxyz0123456789"), "BILLING", o, id, type,
                (Instant) in.get("StartTimestamp"), in.string("SourceName"), h);
        h.transfer = t;
        org.handshakes.put(h.id, h);
        org.transfers.put(t.id, t);
        return Struct.of("Handshake", new Handshakes(org).handshake(h));
    }

    @AwsOperation("DescribeResponsibilityTransfer")
    public Struct describeResponsibilityTransfer(Call call, Struct in) {
        Transfer t = visible(call, in.string("Id"));
        return Struct.of("ResponsibilityTransfer", shape(t, call.account()));
    }

    @AwsOperation("UpdateResponsibilityTransfer")
    public Struct updateResponsibilityTransfer(Call call, Struct in) {
        Transfer t = visible(call, in.string("Id"));
        synchronized (t) {
            t.name = in.string("Name");
            return Struct.of("ResponsibilityTransfer", shape(t, call.account()));
        }
    }

    @AwsOperation("TerminateResponsibilityTransfer")
    public Struct terminateResponsibilityTransfer(Call call, Struct in) {
        Transfer t = visible(call, in.string("Id"));
        synchronized (t) {
            status(t);
            if (t.status.equals("WITHDRAWN")) {
                throw OrgErrors.of("ResponsibilityTransferAlreadyInStatusException", "The responsibility transfer is already in the WITHDRAWN status.");
            }
            if (!t.status.equals("ACCEPTED")) {
                throw OrgErrors.of("InvalidResponsibilityTransferTransitionException",
                        "You can't end a responsibility transfer in the " + t.status + " status.");
            }
            t.status = "WITHDRAWN";
            t.end = in.get("EndTimestamp") instanceof Instant when ? when : org.now();
            return Struct.of("ResponsibilityTransfer", shape(t, call.account()));
        }
    }

    @AwsOperation("ListInboundResponsibilityTransfers")
    public Struct listInboundResponsibilityTransfers(Call call, Struct in) {
        Organization o = org.management(call);
        String only = in.string("Id");
        List<Transfer> mine = org.transfers.values().stream()
                .filter(t -> t.source == o && t.type.equals(in.string("Type")) && (only == null || only.equals(t.id)))
                .sorted(Comparator.comparing(t -> t.id)).toList();
        if (only != null && mine.isEmpty()) {
            throw notFound();
        }
        return OrgSupport.page(in, mine, t -> t.id, "ResponsibilityTransfers", t -> shape(t, call.account()));
    }

    @AwsOperation("ListOutboundResponsibilityTransfers")
    public Struct listOutboundResponsibilityTransfers(Call call, Struct in) {
        org.management(call);
        List<Transfer> mine = org.transfers.values().stream()
                .filter(t -> isTarget(t, call.account()) && t.type.equals(in.string("Type")))
                .sorted(Comparator.comparing(t -> t.id)).toList();
        return OrgSupport.page(in, mine, t -> t.id, "ResponsibilityTransfers", t -> shape(t, call.account()));
    }

    private Transfer visible(Call call, String id) {
        org.member(call);
        Transfer t = id == null ? null : org.transfers.get(id);
        if (t == null || !(t.source.managementAccount.equals(call.account()) || isTarget(t, call.account()))) {
            throw notFound();
        }
        return t;
    }

    private static boolean isTarget(Transfer t, String account) {
        return t.target != null ? t.target.managementAccount.equals(account) : t.targetType.equals("ACCOUNT") && t.targetId.equals(account);
    }

    private static AwsException notFound() {
        return OrgErrors.of("ResponsibilityTransferNotFoundException", "We can't find a responsibility transfer with the Id that you specified.");
    }

    /** A requested transfer whose handshake has run out expires with it. */
    private void status(Transfer t) {
        if (t.status.equals("REQUESTED") && !org.now().isBefore(t.handshake.expires)) {
            t.status = "EXPIRED";
            t.handshake.state = "EXPIRED";
        }
    }

    private Struct shape(Transfer t, String viewer) {
        status(t);
        boolean inbound = t.source.managementAccount.equals(viewer);
        String viewerOrg = inbound ? t.source.id : t.target != null ? t.target.id : "o-unknown";
        String targetAccount = t.target != null ? t.target.managementAccount : t.targetType.equals("ACCOUNT") ? t.targetId : null;
        String targetEmail = t.target != null ? t.target.managementEmail : t.targetType.equals("EMAIL") ? t.targetId : null;
        return Struct.of("Arn", "arn:aws:organizations::" + viewer + ":transfer/" + viewerOrg + "/billing/"
                        + (inbound ? "inbound" : "outbound") + "/" + t.id,
                "Name", t.name, "Id", t.id, "Type", t.type, "Status", t.status,
                "Source", Struct.of("ManagementAccountId", t.source.managementAccount, "ManagementAccountEmail", t.source.managementEmail),
                "Target", Struct.of("ManagementAccountId", targetAccount, "ManagementAccountEmail", targetEmail),
                "StartTimestamp", t.start, "EndTimestamp", t.end,
                "ActiveHandshakeId", t.status.equals("REQUESTED") ? t.handshake.id : null);
    }
}
