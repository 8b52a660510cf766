package dev.terrarium.services.organizations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One organization: its root, OUs, accounts, policies and their attachments. Guarded by its own monitor. */
final class Organization {
    static final String SCP = "SERVICE_CONTROL_POLICY";
    static final String FULL_AWS_ACCESS = "p-FullAWSAccess";

    final String id;
    final String managementAccount;
    final String managementEmail;
    final String featureSet;
    final Node root;
    final Map<String, Node> nodes = new TreeMap<>();
    final Map<String, Member> accounts = new TreeMap<>();
    final Map<String, OrgPolicy> policies = new TreeMap<>();
    final Set<String> enabledPolicyTypes = new LinkedHashSet<>();
    /** service principal -> delegated administrator account ids (with registration time) */
    final Map<String, Map<String, Instant>> delegatedAdministrators = new TreeMap<>();
    final Map<String, Instant> serviceAccess = new TreeMap<>();
    /** The organization's resource policy (id, content, tags), or null. */
    String resourcePolicyId;
    String resourcePolicy;
    final Map<String, String> resourcePolicyTags = new LinkedHashMap<>();

    Organization(String id, String managementAccount, String managementEmail, String featureSet, String rootId) {
        this.id = id;
        this.managementAccount = managementAccount;
        this.managementEmail = managementEmail;
        this.featureSet = featureSet;
        this.root = new Node(rootId, "Root", null, arn("root/" + id + "/" + rootId));
        nodes.put(rootId, root);
    }

    String arn(String resource) {
        return "arn:aws:organizations::" + managementAccount + ":" + resource;
    }

    /** A root or OU. */
    static final class Node {
        final String id;
        String name;
        final String parentId;
        final String arn;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Set<String> policies = new LinkedHashSet<>();

        Node(String id, String name, String parentId, String arn) {
            this.id = id;
            this.name = name;
            this.parentId = parentId;
            this.arn = arn;
        }

        boolean isRoot() { return parentId == null; }
    }

    static final class Member {
        final String id;
        final String arn;
        final String email;
        final String name;
        final String joinedMethod;
        final Instant joined;
        String parentId;
        String state = "ACTIVE";
        final Map<String, String> tags = new LinkedHashMap<>();
        final Set<String> policies = new LinkedHashSet<>();

        Member(String id, String arn, String email, String name, String joinedMethod, Instant joined, String parentId) {
            this.id = id;
            this.arn = arn;
            this.email = email;
            this.name = name;
            this.joinedMethod = joinedMethod;
            this.joined = joined;
            this.parentId = parentId;
        }
    }

    static final class OrgPolicy {
        final String id;
        final String arn;
        final String type;
        final boolean awsManaged;
        String name;
        String description;
        String content;
        final Map<String, String> tags = new LinkedHashMap<>();

        OrgPolicy(String id, String arn, String type, boolean awsManaged, String name, String description, String content) {
            this.id = id;
            this.arn = arn;
            this.type = type;
            this.awsManaged = awsManaged;
            this.name = name;
            this.description = description;
            this.content = content;
        }
    }

    /** The policy ids attached to a root, OU or account. */
    Set<String> attachments(String targetId) {
        Node n = nodes.get(targetId);
        if (n != null) {
            return n.policies;
        }
        Member m = accounts.get(targetId);
        return m == null ? null : m.policies;
    }

    /** Root first, then each OU down to the account's parent. */
    List<Node> path(Member m) {
        List<Node> out = new ArrayList<>();
        for (String id = m.parentId; id != null; id = nodes.get(id).parentId) {
            out.add(0, nodes.get(id));
        }
        return out;
    }

    /** orgId/rootId/ou.../ for an OU or root. */
    String path(Node n) {
        StringBuilder sb = new StringBuilder();
        for (Node x = n; x != null; x = x.parentId == null ? null : nodes.get(x.parentId)) {
            sb.insert(0, x.id + "/");
        }
        return id + "/" + sb;
    }

    int attachmentCount(String policyId) {
        int n = 0;
        for (Node x : nodes.values()) {
            n += x.policies.contains(policyId) ? 1 : 0;
        }
        for (Member m : accounts.values()) {
            n += m.policies.contains(policyId) ? 1 : 0;
        }
        return n;
    }

    /** An invitation from an organization to an account (or e-mail address). */
    static final class Handshake {
        final String id;
        final String arn;
        final Organization organization;
        final String target;
        final String targetType;
        final String notes;
        final Instant requested;
        final Instant expires;
        String state = "OPEN";
        /** The responsibility transfer this handshake proposes (action TRANSFER_RESPONSIBILITY), else null (INVITE). */
        ResponsibilityTransfers.Transfer transfer;

        Handshake(String id, Organization organization, String target, String targetType, String notes, Instant requested) {
            this.id = id;
            this.arn = organization.arn("handshake/" + organization.id + "/invite/" + id);
            this.organization = organization;
            this.target = target;
            this.targetType = targetType;
            this.notes = notes;
            this.requested = requested;
            this.expires = requested.plus(java.time.Duration.ofDays(15));
        }
    }
}
