package dev.terrarium.services.organizations;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.terrarium.services.organizations.OrgSupport.*;

/** Tags of accounts, OUs, roots and policies. */
final class ResourceTags {
    private final OrgSupport org;

    ResourceTags(OrgSupport org) {
        this.org = org;
    }

    @AwsOperation("TagResource")
    public Struct tagResource(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Map<String, String> tags = tagsOf(o, in.string("ResourceId"));
            tags.putAll(tags(in));
            if (tags.size() > Tags.MAX_TAGS) {
                throw OrgErrors.constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum number of tags allowed on this resource.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("UntagResource")
    public Struct untagResource(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Map<String, String> tags = tagsOf(o, in.string("ResourceId"));
            in.strings("TagKeys").forEach(tags::remove);
            return Struct.empty();
        }
    }

    @AwsOperation("ListTagsForResource")
    public Struct listTagsForResource(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            Map<String, String> tags = tagsOf(o, in.string("ResourceId"));
            return page(in, List.copyOf(tags.keySet()), Function.identity(), "Tags",
                    k -> Struct.of("Key", k, "Value", tags.get(k)));
        }
    }

    private static Map<String, String> tagsOf(Organization o, String id) {
        if (o.nodes.containsKey(id)) {
            return o.nodes.get(id).tags;
        }
        if (o.accounts.containsKey(id)) {
            return o.accounts.get(id).tags;
        }
        Organization.OrgPolicy p = o.policies.get(id);
        if (p != null && !p.awsManaged) {
            return p.tags;
        }
        throw OrgErrors.targetNotFound();
    }
}
