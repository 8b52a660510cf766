package dev.terrarium.services.organizations;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.terrarium.services.organizations.OrgSupport.*;

/** Handshakes: invitations of existing accounts and their answers. */
final class Handshakes {
    private final OrgSupport org;

    Handshakes(OrgSupport org) {
        this.org = org;
    }

    @AwsOperation("InviteAccountToOrganization")
    public Struct inviteAccountToOrganization(Call call, Struct in) {
        Organization o = org.management(call);
        Struct target = in.struct("Target");
        String id = target.string("Id");
        String type = target.string("Type");
        if (type.equals("ACCOUNT") && !id.matches("\\d{12}")) {
            throw OrgErrors.invalidInput("INVALID_PARTY_TYPE_TARGET", "You specified the wrong type for the handshake party.");
        }
        if (type.equals("ACCOUNT") && org.byAccount.containsKey(id)) {
            throw new AwsException("HandshakeConstraintViolationException", "The account is already a member of an organization.")
                    .withFields(Struct.of("Reason", "ALREADY_IN_AN_ORGANIZATION"));
        }
        boolean duplicate = org.handshakes.values().stream().anyMatch(h -> h.organization == o && h.target.equals(id)
                && h.state.equals("OPEN"));
        if (duplicate) {
            throw OrgErrors.of("DuplicateHandshakeException", "A handshake with the same action and target already exists.");
        }
        Organization.Handshake h = new Organization.Handshake(OrgIds.handshake(), o, id, type, in.string("Notes"), org.now());
        org.handshakes.put(h.id, h);
        return Struct.of("Handshake", handshake(h));
    }

    @AwsOperation("AcceptHandshake")
    public Struct acceptHandshake(Call call, Struct in) {
        Organization.Handshake h = visibleHandshake(call, in.string("HandshakeId"));
        if (!isTarget(h, call.account())) {
            throw OrgErrors.accessDenied();
        }
        if (h.transfer != null) {
            transition(h, "ACCEPTED");
            Organization mine = org.byAccount.get(call.account());
            if (mine == null || !mine.managementAccount.equals(call.account())) {
                throw new AwsException("HandshakeConstraintViolationException",
                        "Only the management account of an organization can accept a responsibility transfer.")
                        .withFields(Struct.of("Reason", "MANAGEMENT_ACCOUNT_EMAIL_NOT_VERIFIED"));
            }
            h.state = "ACCEPTED";
            h.transfer.accepted(mine);
            return Struct.of("Handshake", handshake(h));
        }
        synchronized (org.byAccount) {
            transition(h, "ACCEPTED");
            if (org.byAccount.containsKey(call.account())) {
                throw new AwsException("HandshakeConstraintViolationException", "The account is already a member of an organization.")
                        .withFields(Struct.of("Reason", "ALREADY_IN_AN_ORGANIZATION"));
            }
            Organization o = h.organization;
            synchronized (o) {
                Organization.Member m = new Organization.Member(call.account(), o.arn("account/" + o.id + "/" + call.account()),
                        "account+" + call.account() + "@example.com", call.account(), "INVITED", org.now(), o.root.id);
                if (o.enabledPolicyTypes.contains(Organization.SCP)) {
                    m.policies.add(Organization.FULL_AWS_ACCESS);
                }
                o.accounts.put(m.id, m);
                org.byAccount.put(m.id, o);
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
        return close(h, "DECLINED");
    }

    @AwsOperation("CancelHandshake")
    public Struct cancelHandshake(Call call, Struct in) {
        Organization.Handshake h = visibleHandshake(call, in.string("HandshakeId"));
        if (!h.organization.managementAccount.equals(call.account())) {
            throw OrgErrors.accessDenied();
        }
        return close(h, "CANCELED");
    }

    @AwsOperation("DescribeHandshake")
    public Struct describeHandshake(Call call, Struct in) {
        return Struct.of("Handshake", handshake(visibleHandshake(call, in.string("HandshakeId"))));
    }

    @AwsOperation("ListHandshakesForAccount")
    public Struct listHandshakesForAccount(Call call, Struct in) {
        List<Organization.Handshake> mine = org.handshakes.values().stream().filter(h -> isTarget(h, call.account()))
                .sorted(Comparator.comparing(h -> h.id)).toList();
        return page(in, mine, h -> h.id, "Handshakes", this::handshake);
    }

    @AwsOperation("ListHandshakesForOrganization")
    public Struct listHandshakesForOrganization(Call call, Struct in) {
        Organization o = org.reader(call);
        List<Organization.Handshake> sent = org.handshakes.values().stream().filter(h -> h.organization == o)
                .sorted(Comparator.comparing(h -> h.id)).toList();
        return page(in, sent, h -> h.id, "Handshakes", this::handshake);
    }

    Organization.Handshake visibleHandshake(Call call, String id) {
        Organization.Handshake h = id == null ? null : org.handshakes.get(id);
        if (h == null || !(isTarget(h, call.account()) || h.organization.managementAccount.equals(call.account()))) {
            throw OrgErrors.of("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.");
        }
        if (h.state.equals("OPEN") && !org.now().isBefore(h.expires)) {
            h.state = "EXPIRED";
            if (h.transfer != null) {
                h.transfer.status = "EXPIRED";
            }
        }
        return h;
    }

    private static boolean isTarget(Organization.Handshake h, String account) {
        return h.targetType.equals("ACCOUNT") && h.target.equals(account);
    }

    /** An open handshake declined or canceled (with the responsibility transfer it carries): the handshake as it is now. */
    private Struct close(Organization.Handshake h, String state) {
        transition(h, state);
        h.state = state;
        if (h.transfer != null) {
            h.transfer.status = state;
        }
        return Struct.of("Handshake", handshake(h));
    }

    private static void transition(Organization.Handshake h, String to) {
        if (h.state.equals(to)) {
            throw OrgErrors.of("HandshakeAlreadyInStateException", "The specified handshake is already in the requested state.");
        }
        if (!h.state.equals("OPEN")) {
            throw OrgErrors.of("InvalidHandshakeTransitionException", "You can't perform the operation on the handshake in its current state.");
        }
    }

    Struct handshake(Organization.Handshake h) {
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
        if (h.transfer != null) {
            resources.add(Struct.of("Type", "RESPONSIBILITY_TRANSFER", "Value", h.transfer.id));
            resources.add(Struct.of("Type", "TRANSFER_TYPE", "Value", h.transfer.type));
            resources.add(Struct.of("Type", "TRANSFER_START_TIMESTAMP", "Value", h.transfer.start.toString()));
        }
        return Struct.of("Id", h.id, "Arn", h.arn,
                "Parties", List.of(Struct.of("Id", o.id.substring(2), "Type", "ORGANIZATION"), Struct.of("Id", h.target, "Type", h.targetType)),
                "State", h.state, "RequestedTimestamp", h.requested, "ExpirationTimestamp", h.expires,
                "Action", h.transfer != null ? "TRANSFER_RESPONSIBILITY" : "INVITE",
                "Resources", resources);
    }
}
