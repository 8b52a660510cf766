package dev.terrarium.services.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.validation.InputValidator;
import dev.terrarium.core.validation.ValidationStyle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Policies, stored, validated and returned as AWS does: resource policies (account-wide or on a log group),
 * cross-account destinations and their access policies, account policies, data protection policies and
 * field index policies. They are state only: Terrarium does not mask data or build indexes from them.
 */
final class Policies {
    static final String DESTINATIONS = "destination";
    private static final String RESOURCE_POLICIES = "resource-policy";
    static final String ACCOUNT_POLICIES = "account-policy";
    private static final int MAX_RESOURCE_POLICIES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LogStore store;

    /** The input of TestTransformer in the model: a policy's processors are checked against it like an API call's. */
    private final java.util.function.Supplier<dev.terrarium.core.model.Shape> processorsShape;

    Policies(LogStore store, java.util.function.Supplier<dev.terrarium.core.model.Shape> processorsShape) {
        this.processorsShape = processorsShape;
        this.store = store;
    }

    /** A policy document must be a JSON object. */
    static JsonNode document(String text, String what) {
        try {
            JsonNode doc = JSON.readTree(text);
            if (doc != null && doc.isObject()) {
                return doc;
            }
        } catch (Exception e) {
            // refused below
        }
        throw LogsErrors.invalidParameter("Invalid " + what + ": the policy document must be a JSON object.");
    }

    // --- resource policies

    @AwsOperation("PutResourcePolicy")
    public Struct putResourcePolicy(Call call, Struct in) {
        String resourceArn = in.string("resourceArn");
        String name = in.string("policyName");
        String doc = in.string("policyDocument");
        if (doc == null) {
            throw LogsErrors.invalidParameter("policyDocument is required.");
        }
        document(doc, "policy document");
        String key;
        if (resourceArn != null) {
            store.group(call, resourceArn);
            key = "resource\u0000" + LogStore.nameOf(resourceArn);
            name = name == null ? "LogGroupResourcePolicy" : name;
        } else {
            if (name == null) {
                throw LogsErrors.invalidParameter("policyName is required for an account-level resource policy.");
            }
            key = "account\u0000" + name;
        }
        Map<String, Struct> policies = store.records(RESOURCE_POLICIES, call.account(), call.region());
        synchronized (policies) {
            Struct old = policies.get(key);
            String expected = in.string("expectedRevisionId");
            if (expected != null && (old == null || !expected.equals(old.string("revisionId")))) {
                throw new AwsException("OperationAbortedException",
                        "The expected revision id does not match the policy's current revision id.");
            }
            long accountLevel = policies.keySet().stream().filter(k -> k.startsWith("account\u0000")).count();
            if (old == null && resourceArn == null && accountLevel >= MAX_RESOURCE_POLICIES) {
                throw new AwsException("LimitExceededException", "Resource limit exceeded.");
            }
            String revision = UUID.randomUUID().toString();
            Struct policy = Struct.of("policyName", name, "policyDocument", doc, "lastUpdatedTime", store.now(),
                    "policyScope", resourceArn == null ? "ACCOUNT" : "RESOURCE",
                    "resourceArn", resourceArn == null ? null : store.group(call, resourceArn).arn, "revisionId", revision);
            policies.put(key, policy);
            return Struct.of("resourcePolicy", policy, "revisionId", revision);
        }
    }

    @AwsOperation("DescribeResourcePolicies")
    public Struct describeResourcePolicies(Call call, Struct in) {
        String scope = in.string("policyScope");
        String resourceArn = in.string("resourceArn");
        List<Struct> matching = new ArrayList<>();
        store.records(RESOURCE_POLICIES, call.account(), call.region()).forEach((k, p) -> {
            if ((scope == null || scope.equals(p.string("policyScope")))
                    && (resourceArn == null || LogStore.nameOf(resourceArn).equals(LogStore.nameOf(p.string("resourceArn"))))) {
                matching.add(p);
            }
        });
        Pagination.Page<Struct> page = Pagination.page(matching, p -> p.string("policyScope") + "\u0000" + p.string("policyName")
                + "\u0000" + p.string("resourceArn"), in.string("nextToken"), in.integer("limit", 50), LogsErrors::invalidToken);
        return Struct.of("resourcePolicies", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("DeleteResourcePolicy")
    public Struct deleteResourcePolicy(Call call, Struct in) {
        String resourceArn = in.string("resourceArn");
        String name = in.string("policyName");
        String key = resourceArn != null ? "resource\u0000" + LogStore.nameOf(resourceArn) : "account\u0000" + name;
        Map<String, Struct> policies = store.records(RESOURCE_POLICIES, call.account(), call.region());
        Struct old = policies.get(key);
        if (old == null) {
            throw new AwsException("ResourceNotFoundException", "Policy with name [" + (name == null ? resourceArn : name)
                    + "] does not exist");
        }
        String expected = in.string("expectedRevisionId");
        if (expected != null && !expected.equals(old.string("revisionId"))) {
            throw new AwsException("OperationAbortedException",
                    "The expected revision id does not match the policy's current revision id.");
        }
        policies.remove(key);
        return null;
    }

    // --- destinations

    @AwsOperation("PutDestination")
    public Struct putDestination(Call call, Struct in) {
        String name = in.string("destinationName");
        String target = in.string("targetArn");
        if (!target.startsWith("arn:") || !(target.contains(":kinesis:") || target.contains(":firehose:")
                || target.contains(":lambda:"))) {
            throw LogsErrors.invalidParameter("Invalid targetArn: " + target
                    + ". A destination delivers to a Kinesis stream, a Firehose delivery stream or a Lambda function.");
        }
        Map<String, Struct> destinations = store.records(DESTINATIONS, call.account(), call.region());
        Struct old = destinations.get(name);
        Struct d = Struct.of("destinationName", name, "targetArn", target, "roleArn", in.string("roleArn"),
                "accessPolicy", old == null ? null : old.string("accessPolicy"),
                "arn", "arn:aws:logs:" + call.region() + ":" + call.account() + ":destination:" + name,
                "creationTime", old == null ? store.now() : old.longValue("creationTime"));
        destinations.put(name, d);
        return Struct.of("destination", d);
    }

    @AwsOperation("PutDestinationPolicy")
    public Struct putDestinationPolicy(Call call, Struct in) {
        Map<String, Struct> destinations = store.records(DESTINATIONS, call.account(), call.region());
        Struct d = destinations.get(in.string("destinationName"));
        if (d == null) {
            throw new AwsException("ResourceNotFoundException", "The specified destination does not exist.");
        }
        document(in.string("accessPolicy"), "access policy");
        Struct updated = d.copy();
        updated.put("accessPolicy", in.string("accessPolicy"));
        destinations.put(d.string("destinationName"), updated);
        return null;
    }

    @AwsOperation("DescribeDestinations")
    public Struct describeDestinations(Call call, Struct in) {
        String prefix = in.string("DestinationNamePrefix");
        List<Struct> matching = store.records(DESTINATIONS, call.account(), call.region()).values().stream()
                .filter(d -> prefix == null || d.string("destinationName").startsWith(prefix)).toList();
        Pagination.Page<Struct> page = Pagination.page(matching, d -> d.string("destinationName"), in.string("nextToken"),
                in.integer("limit", 50), LogsErrors::invalidToken);
        return Struct.of("destinations", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("DeleteDestination")
    public Struct deleteDestination(Call call, Struct in) {
        if (store.records(DESTINATIONS, call.account(), call.region()).remove(in.string("destinationName")) == null) {
            throw new AwsException("ResourceNotFoundException", "The specified destination does not exist.");
        }
        return null;
    }

    // --- account policies

    @AwsOperation("PutAccountPolicy")
    public Struct putAccountPolicy(Call call, Struct in) {
        String type = in.string("policyType");
        String name = in.string("policyName");
        document(in.string("policyDocument"), "policy document");
        Map<String, Struct> policies = store.records(ACCOUNT_POLICIES, call.account(), call.region());
        String key = type + "\u0000" + name;
        if (type.equals("DATA_PROTECTION_POLICY") && in.string("selectionCriteria") != null) {
            throw LogsErrors.invalidParameter("selectionCriteria is not supported for the DATA_PROTECTION_POLICY policy type.");
        }
        List<String> prefixes = type.equals("TRANSFORMER_POLICY")
                ? transformerPolicy(in.string("policyDocument"), in.string("selectionCriteria")) : null;
        synchronized (policies) {
            if (prefixes != null) {
                checkTransformerScopes(policies, name, prefixes);
            }
            if (type.equals("DATA_PROTECTION_POLICY") && !policies.containsKey(key)
                    && policies.keySet().stream().anyMatch(k -> k.startsWith(type + "\u0000"))) {
                throw new AwsException("LimitExceededException",
                        "An account can have only one account-level data protection policy.");
            }
            Struct p = Struct.of("policyName", name, "policyDocument", in.string("policyDocument"),
                    "lastUpdatedTime", store.now(), "policyType", type, "scope", in.string("scope", "ALL"),
                    "selectionCriteria", in.string("selectionCriteria"), "accountId", call.account());
            policies.put(key, p);
            return Struct.of("accountPolicy", p);
        }
    }

    /** A TRANSFORMER_POLICY's processors checked like PutTransformer's; returns its prefixes (empty: all groups). */
    private List<String> transformerPolicy(String document, String selectionCriteria) {
        List<Struct> processors = LogTransformer.policyProcessors(document);
        AwsException invalid = new InputValidator(ValidationStyle.JSON).validate(processorsShape.get(),
                Struct.of("transformerConfig", processors, "logEventMessages", List.of("-")));
        if (invalid != null) {
            throw LogsErrors.invalidParameter("Invalid transformer policy document: " + invalid.getMessage());
        }
        LogTransformer.check(processors);
        return LogTransformer.policyPrefixes(selectionCriteria);
    }

    /**
     * AWS's rule for account-level transformers: one policy for every log group, or up to 20 scoped by name
     * prefixes that do not overlap one another.
     */
    private static void checkTransformerScopes(Map<String, Struct> policies, String name, List<String> prefixes) {
        List<List<String>> others = policies.values().stream()
                .filter(p -> "TRANSFORMER_POLICY".equals(p.string("policyType")) && !name.equals(p.string("policyName")))
                .map(p -> LogTransformer.policyPrefixes(p.string("selectionCriteria"))).toList();
        if (others.isEmpty()) {
            return;
        }
        if (prefixes.isEmpty() || others.stream().anyMatch(List::isEmpty)) {
            throw LogsErrors.invalidParameter("A transformer policy for all log groups cannot exist beside other "
                    + "account-level transformer policies.");
        }
        if (others.size() >= 20) {
            throw new AwsException("LimitExceededException", "An account can have at most 20 transformer policies.");
        }
        for (List<String> theirs : others) {
            for (String p : prefixes) {
                for (String q : theirs) {
                    if (p.startsWith(q) || q.startsWith(p)) {
                        throw LogsErrors.invalidParameter("The log group name prefix " + p
                                + " overlaps the prefix " + q + " of another transformer policy.");
                    }
                }
            }
        }
    }

    @AwsOperation("DescribeAccountPolicies")
    public Struct describeAccountPolicies(Call call, Struct in) {
        String type = in.string("policyType");
        String name = in.string("policyName");
        List<Struct> matching = store.records(ACCOUNT_POLICIES, call.account(), call.region()).values().stream()
                .filter(p -> type.equals(p.string("policyType")) && (name == null || name.equals(p.string("policyName"))))
                .toList();
        return Struct.of("accountPolicies", matching);
    }

    @AwsOperation("DeleteAccountPolicy")
    public Struct deleteAccountPolicy(Call call, Struct in) {
        String key = in.string("policyType") + "\u0000" + in.string("policyName");
        if (store.records(ACCOUNT_POLICIES, call.account(), call.region()).remove(key) == null) {
            throw new AwsException("ResourceNotFoundException", "Policy with name [" + in.string("policyName")
                    + "] does not exist");
        }
        return null;
    }

    // --- data protection policies (on a log group)

    @AwsOperation("PutDataProtectionPolicy")
    public Struct putDataProtectionPolicy(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        JsonNode doc = document(in.string("policyDocument"), "data protection policy");
        if (!doc.has("Statement") || !doc.get("Statement").isArray()) {
            throw LogsErrors.invalidParameter("Invalid data protection policy: it must have a Statement array.");
        }
        try {
            DataProtection.of(in.string("policyDocument"));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw LogsErrors.invalidParameter("Invalid data protection policy: a custom data identifier's Regex is not valid.");
        }
        g.dataProtectionPolicy = Struct.of("logGroupIdentifier", in.string("logGroupIdentifier"),
                "policyDocument", in.string("policyDocument"), "lastUpdatedTime", store.now());
        return g.dataProtectionPolicy;
    }

    @AwsOperation("GetDataProtectionPolicy")
    public Struct getDataProtectionPolicy(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        Struct p = g.dataProtectionPolicy;
        return p == null ? Struct.of("logGroupIdentifier", in.string("logGroupIdentifier")) : p;
    }

    @AwsOperation("DeleteDataProtectionPolicy")
    public Struct deleteDataProtectionPolicy(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        if (g.dataProtectionPolicy == null) {
            throw new AwsException("ResourceNotFoundException", "No data protection policy found for log group "
                    + g.name + ".");
        }
        g.dataProtectionPolicy = null;
        return null;
    }

    // --- field index policies

    @AwsOperation("PutIndexPolicy")
    public Struct putIndexPolicy(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        JsonNode doc = document(in.string("policyDocument"), "index policy");
        if (!doc.has("Fields") || !doc.get("Fields").isArray()) {
            throw LogsErrors.invalidParameter("Invalid index policy: it must have a Fields array.");
        }
        if (doc.get("Fields").size() > 20) {
            throw new AwsException("LimitExceededException", "An index policy can index at most 20 fields.");
        }
        g.indexPolicy = Struct.of("logGroupIdentifier", g.arn, "lastUpdateTime", store.now(),
                "policyDocument", in.string("policyDocument"), "policyName", "LogGroupIndexPolicy", "source", "LOG_GROUP");
        return Struct.of("indexPolicy", g.indexPolicy);
    }

    @AwsOperation("DescribeIndexPolicies")
    public Struct describeIndexPolicies(Call call, Struct in) {
        List<Struct> out = new ArrayList<>();
        for (String id : in.strings("logGroupIdentifiers")) {
            Struct p = store.group(call, id).indexPolicy;
            if (p != null) {
                out.add(p);
            }
        }
        return Struct.of("indexPolicies", out);
    }

    @AwsOperation("DeleteIndexPolicy")
    public Struct deleteIndexPolicy(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupIdentifier"));
        if (g.indexPolicy == null) {
            throw new AwsException("ResourceNotFoundException", "No index policy found for log group " + g.name + ".");
        }
        g.indexPolicy = null;
        return Struct.of();
    }

    @AwsOperation("DescribeFieldIndexes")
    public Struct describeFieldIndexes(Call call, Struct in) {
        List<Struct> out = new ArrayList<>();
        for (String id : in.strings("logGroupIdentifiers")) {
            LogGroup g = store.group(call, id);
            Struct p = g.indexPolicy;
            if (p == null) {
                continue;
            }
            for (JsonNode f : document(p.string("policyDocument"), "index policy").get("Fields")) {
                out.add(Struct.of("logGroupIdentifier", g.arn, "fieldIndexName", f.asText(),
                        "lastScanTime", p.longValue("lastUpdateTime")));
            }
        }
        return Struct.of("fieldIndexes", out);
    }

    // --- bearer token authentication (for HTTP log ingestion)

    @AwsOperation("PutBearerTokenAuthentication")
    public Struct putBearerTokenAuthentication(Call call, Struct in) {
        store.group(call, in.string("logGroupIdentifier")).bearerTokenAuthentication =
                in.bool("bearerTokenAuthenticationEnabled");
        return null;
    }
}
