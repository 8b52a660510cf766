package dev.terrarium.services.organizations;

import dev.terrarium.core.iam.MalformedPolicyException;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import static dev.terrarium.services.organizations.OrgSupport.*;

/** The organization's resource-based delegation policy. */
final class ResourcePolicies {
    private final OrgSupport org;

    ResourcePolicies(OrgSupport org) {
        this.org = org;
    }

    @AwsOperation("PutResourcePolicy")
    public Struct putResourcePolicy(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            String content = in.string("Content");
            try {
                PolicyDocument.parse(content, PolicyKind.RESOURCE);
            } catch (MalformedPolicyException e) {
                throw OrgErrors.invalidInput("INVALID_RESOURCE_POLICY_JSON", "You provided a resource policy that is not valid JSON or not a valid policy.");
            }
            if (o.resourcePolicyId == null) {
                o.resourcePolicyId = OrgIds.resourcePolicy();
            }
            o.resourcePolicy = content;
            o.resourcePolicyTags.putAll(tags(in));
            return Struct.of("ResourcePolicy", resourcePolicy(o));
        }
    }

    @AwsOperation("DescribeResourcePolicy")
    public Struct describeResourcePolicy(Call call, Struct in) {
        Organization o = org.member(call);
        synchronized (o) {
            requireResourcePolicy(o);
            return Struct.of("ResourcePolicy", resourcePolicy(o));
        }
    }

    @AwsOperation("DeleteResourcePolicy")
    public Struct deleteResourcePolicy(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            requireResourcePolicy(o);
            o.resourcePolicy = null;
            o.resourcePolicyTags.clear();
            return Struct.empty();
        }
    }

    private static void requireResourcePolicy(Organization o) {
        if (o.resourcePolicy == null) {
            throw OrgErrors.of("ResourcePolicyNotFoundException", "We can't find a resource policy request with the parameter that you specified.");
        }
    }

    private static Struct resourcePolicy(Organization o) {
        return Struct.of("ResourcePolicySummary", Struct.of("Id", o.resourcePolicyId,
                "Arn", o.arn("resourcepolicy/" + o.id + "/" + o.resourcePolicyId)), "Content", o.resourcePolicy);
    }
}
