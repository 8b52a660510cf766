package dev.terrarium.services.organizations;

import dev.terrarium.core.iam.MalformedPolicyException;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.terrarium.services.organizations.OrgSupport.*;

/** Policies (SCPs, tag policies, ...), their attachments and effective policies. */
final class Policies {
    private final OrgSupport org;

    Policies(OrgSupport org) {
        this.org = org;
    }

    @AwsOperation("CreatePolicy")
    public Struct createPolicy(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            String type = in.string("Type");
            String name = in.string("Name");
            if (o.policies.values().stream().anyMatch(p -> p.type.equals(type) && p.name.equals(name))) {
                throw OrgErrors.of("DuplicatePolicyException", "A policy with the same name already exists.");
            }
            String content = in.string("Content");
            validateContent(type, content);
            String id = OrgIds.policy();
            Organization.OrgPolicy p = new Organization.OrgPolicy(id,
                    o.arn("policy/" + o.id + "/" + type.toLowerCase() + "/" + id), type, false, name,
                    in.string("Description"), content);
            p.tags.putAll(tags(in));
            o.policies.put(id, p);
            return Struct.of("Policy", org.policy(o, p));
        }
    }

    @AwsOperation("DescribePolicy")
    public Struct describePolicy(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            return Struct.of("Policy", org.policy(o, requirePolicy(o, in.string("PolicyId"))));
        }
    }

    @AwsOperation("UpdatePolicy")
    public Struct updatePolicy(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            if (p.awsManaged) {
                throw OrgErrors.invalidInput("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.");
            }
            if (in.string("Content") != null) {
                validateContent(p.type, in.string("Content"));
                p.content = in.string("Content");
            }
            if (in.string("Name") != null) {
                p.name = in.string("Name");
            }
            if (in.string("Description") != null) {
                p.description = in.string("Description");
            }
            return Struct.of("Policy", org.policy(o, p));
        }
    }

    @AwsOperation("DeletePolicy")
    public Struct deletePolicy(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            if (p.awsManaged) {
                throw OrgErrors.invalidInput("IMMUTABLE_POLICY", "You specified a policy that is managed by AWS and can't be modified.");
            }
            if (o.attachmentCount(p.id) > 0) {
                throw OrgErrors.of("PolicyInUseException", "The policy is attached to one or more entities. You must "
                        + "detach it from all roots, OUs, and accounts before performing this operation.");
            }
            o.policies.remove(p.id);
            return Struct.empty();
        }
    }

    @AwsOperation("ListPolicies")
    public Struct listPolicies(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            String type = in.string("Filter");
            List<Organization.OrgPolicy> ps = o.policies.values().stream().filter(p -> p.type.equals(type)).toList();
            return page(in, ps, p -> p.id, "Policies", org::summary);
        }
    }

    @AwsOperation("ListPoliciesForTarget")
    public Struct listPoliciesForTarget(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            java.util.Set<String> attached = requireTarget(o, in.string("TargetId"));
            String type = in.string("Filter");
            List<Organization.OrgPolicy> ps = attached.stream().map(o.policies::get)
                    .filter(p -> p != null && p.type.equals(type)).sorted(Comparator.comparing(p -> p.id)).toList();
            return page(in, ps, p -> p.id, "Policies", org::summary);
        }
    }

    @AwsOperation("ListTargetsForPolicy")
    public Struct listTargetsForPolicy(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            List<Struct> targets = new ArrayList<>();
            for (Organization.Node n : o.nodes.values()) {
                if (n.policies.contains(p.id)) {
                    targets.add(Struct.of("TargetId", n.id, "Arn", n.arn, "Name", n.name,
                            "Type", n.isRoot() ? "ROOT" : "ORGANIZATIONAL_UNIT"));
                }
            }
            for (Organization.Member m : o.accounts.values()) {
                if (m.policies.contains(p.id)) {
                    targets.add(Struct.of("TargetId", m.id, "Arn", m.arn, "Name", m.name, "Type", "ACCOUNT"));
                }
            }
            targets.sort(Comparator.comparing(t -> t.string("TargetId")));
            return page(in, targets, t -> t.string("TargetId"), "Targets", t -> t);
        }
    }

    @AwsOperation("AttachPolicy")
    public Struct attachPolicy(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            java.util.Set<String> attached = requireTarget(o, in.string("TargetId"));
            if (!o.enabledPolicyTypes.contains(p.type)) {
                throw OrgErrors.of("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.");
            }
            if (!attached.add(p.id)) {
                throw OrgErrors.of("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DetachPolicy")
    public Struct detachPolicy(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.OrgPolicy p = requirePolicy(o, in.string("PolicyId"));
            java.util.Set<String> attached = requireTarget(o, in.string("TargetId"));
            if (!attached.contains(p.id)) {
                throw OrgErrors.of("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.");
            }
            if (p.type.equals(Organization.SCP) && attached.stream().map(o.policies::get)
                    .filter(x -> x != null && x.type.equals(Organization.SCP)).count() == 1) {
                throw OrgErrors.constraint("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to detach a "
                        + "policy from an entity that would leave the entity with fewer than the minimum number of "
                        + "policies of that type required.");
            }
            attached.remove(p.id);
            return Struct.empty();
        }
    }

    @AwsOperation("DescribeEffectivePolicy")
    public Struct describeEffectivePolicy(Call call, Struct in) {
        Organization o = org.member(call);
        synchronized (o) {
            String type = in.string("PolicyType");
            String target = in.string("TargetId", call.account());
            Organization.Member m = o.accounts.get(target);
            if (m == null) {
                throw OrgErrors.targetNotFound();
            }
            List<String> ids = new ArrayList<>();
            o.path(m).forEach(n -> ids.addAll(n.policies));
            ids.addAll(m.policies);
            Map<String, Object> merged = new java.util.LinkedHashMap<>();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String id : ids) {
                Organization.OrgPolicy p = o.policies.get(id);
                if (p != null && p.type.equals(type)) {
                    try {
                        merged.putAll(json.readValue(p.content, Map.class));
                    } catch (Exception e) {
                        // stored content was validated as JSON
                    }
                }
            }
            if (merged.isEmpty()) {
                throw OrgErrors.of("EffectivePolicyNotFoundException", "We can't find an effective policy of that type for the target.");
            }
            try {
                return Struct.of("EffectivePolicy", Struct.of("PolicyContent", json.writeValueAsString(merged),
                        "LastUpdatedTimestamp", org.now(), "TargetId", target, "PolicyType", type));
            } catch (Exception e) {
                throw AwsException.internal(e.getMessage());
            }
        }
    }

    private static void validateContent(String type, String content) {
        if (content == null || content.isBlank()) {
            throw malformed();
        }
        if (type.equals(Organization.SCP)) {
            try {
                PolicyDocument.parse(content, PolicyKind.SERVICE_CONTROL);
            } catch (MalformedPolicyException e) {
                throw malformed();
            }
            return;
        }
        try {
            if (!new com.fasterxml.jackson.databind.ObjectMapper().readTree(content).isObject()) {
                throw malformed();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw malformed();
        }
    }

    private static AwsException malformed() {
        return OrgErrors.of("MalformedPolicyDocumentException",
                "The provided policy document does not meet the requirements of the specified policy type.");
    }

    private static Organization.OrgPolicy requirePolicy(Organization o, String id) {
        Organization.OrgPolicy p = id == null ? null : o.policies.get(id);
        if (p == null) {
            throw OrgErrors.policyNotFound();
        }
        return p;
    }

    private static java.util.Set<String> requireTarget(Organization o, String id) {
        java.util.Set<String> attached = id == null ? null : o.attachments(id);
        if (attached == null) {
            throw OrgErrors.targetNotFound();
        }
        return attached;
    }
}
