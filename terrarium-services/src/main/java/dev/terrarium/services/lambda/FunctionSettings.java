package dev.terrarium.services.lambda;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-function settings Lambda stores and reports: provisioned concurrency, recursive loop detection and
 * runtime management. Provisioned concurrency starts real environments (see {@link ProvisionedEnvironments}): the
 * configuration is IN_PROGRESS until all are initialized, then READY, or FAILED when one fails its init.
 */
final class FunctionSettings {
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    record Provisioned(int requested, String lastModified) {
    }

    record RuntimeManagement(String updateRuntimeOn, String runtimeVersionArn) {
    }

    private final Clock clock;
    private final Functions functions;
    private final Invoker invoker;

    FunctionSettings(Clock clock, Functions functions, Invoker invoker) {
        this.clock = clock;
        this.functions = functions;
        this.invoker = invoker;
    }

    private String now() {
        return TIMESTAMP.format(clock.now());
    }

    // --- provisioned concurrency

    /** The function and the version or alias a provisioned concurrency call names (never $LATEST). */
    private LambdaFunction provisionedTarget(Call call, Struct in, String latestMessage) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), in.string("Qualifier"));
        String q = names.qualifier();
        if (q == null || q.equals("$LATEST")) {
            throw LambdaErrors.invalid(latestMessage);
        }
        LambdaFunction f = functions.in(call.account(), call.region()).get(names.name());
        String arn = Functions.arn(call.account(), call.region(), names.name()) + ":" + q;
        if (q.matches("\\d+")) {
            if (f == null || !q.matches("\\d{1,9}") || !f.versions.containsKey(Integer.parseInt(q))) {
                throw LambdaErrors.functionNotFound(arn);
            }
        } else if (f == null || !f.aliases.containsKey(q)) {
            throw LambdaErrors.notFound("Cannot find alias arn: " + arn);
        }
        return f;
    }

    private static String qualifier(Call call, Struct in) {
        return FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), in.string("Qualifier")).qualifier();
    }

    @AwsOperation("PutProvisionedConcurrencyConfig")
    public Struct putProvisionedConcurrencyConfig(Call call, Struct in) {
        LambdaFunction f = provisionedTarget(call, in,
                "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        String q = qualifier(call, in);
        int requested = in.integer("ProvisionedConcurrentExecutions");
        if (q.matches("\\d+")) {
            for (Alias a : f.aliases.values()) {
                if (q.equals(a.functionVersion) && f.provisionedConcurrency.containsKey(a.name)) {
                    throw LambdaErrors.conflict("Version is pointed by a Provisioned Concurrency alias");
                }
            }
        } else {
            Alias a = f.aliases.get(q);
            if (a.functionVersion != null && f.provisionedConcurrency.containsKey(a.functionVersion)) {
                throw LambdaErrors.conflict("Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
            }
        }
        Integer reserved = f.reservedConcurrency;
        int others = f.provisionedConcurrency.entrySet().stream().filter(e -> !e.getKey().equals(q))
                .mapToInt(e -> e.getValue().requested()).sum();
        if (reserved != null && others + requested > reserved) {
            throw LambdaErrors.invalid("Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function");
        }
        if (others + requested > Concurrency.ACCOUNT_LIMIT - Concurrency.UNRESERVED_MINIMUM) {
            throw LambdaErrors.invalid("Specified ConcurrentExecutions for function is greater than account's unreserved concurrency "
                    + "[" + (Concurrency.ACCOUNT_LIMIT - others) + "].");
        }
        Provisioned p = new Provisioned(requested, now());
        f.provisionedConcurrency.put(q, p);
        provision(call, f, q, requested);
        return Struct.of("RequestedProvisionedConcurrentExecutions", requested, "AvailableProvisionedConcurrentExecutions", 0,
                "AllocatedProvisionedConcurrentExecutions", 0, "Status", "IN_PROGRESS", "LastModified", p.lastModified());
    }

    /**
     * Starts (or resizes) the environments of a qualifier's provisioned concurrency, for the versions it names now: an
     * alias with routing weights splits them between its versions by weight (the additional version's share rounded).
     */
    private void provision(Call call, LambdaFunction f, String q, int count) {
        Map<String, Integer> byVersion = new java.util.LinkedHashMap<>();
        if (q.matches("\\d+")) {
            byVersion.put(q, count);
        } else {
            Alias a = f.aliases.get(q);
            int rest = count;
            Map<String, Double> weights = a.additionalWeights == null ? Map.of() : a.additionalWeights;
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                int share = Math.min(rest, (int) Math.round(count * w.getValue()));
                byVersion.put(w.getKey(), share);
                rest -= share;
            }
            byVersion.put(a.functionVersion, rest);
        }
        Map<Invoker.Target, Integer> counts = new java.util.LinkedHashMap<>();
        byVersion.forEach((version, n) -> {
            FunctionVersion v = f.versions.get(Integer.parseInt(version));
            if (v != null) {
                counts.put(new Invoker.Target(call.account(), call.region(), f, v, f.arn + ":" + q, call.endpoint()), n);
            }
        });
        invoker.provision(f, q, counts);
    }

    /** An alias with provisioned concurrency now names another version: its environments are replaced. */
    void aliasUpdated(Call call, LambdaFunction f, String alias) {
        Provisioned p = f.provisionedConcurrency.get(alias);
        if (p != null) {
            provision(call, f, alias, p.requested());
        }
    }

    /** The configuration with its allocation as it is now: READY once every requested environment is initialized. */
    private Struct describe(LambdaFunction f, String q, Provisioned p) {
        ProvisionedEnvironments.Allocation a = invoker.allocation(f, q);
        int allocated = Math.min(a.allocated(), p.requested());
        String status = a.failure() != null ? "FAILED" : allocated >= p.requested() ? "READY" : "IN_PROGRESS";
        return Struct.of("RequestedProvisionedConcurrentExecutions", p.requested(),
                "AvailableProvisionedConcurrentExecutions", allocated,
                "AllocatedProvisionedConcurrentExecutions", allocated, "Status", status,
                "StatusReason", a.failure(), "LastModified", p.lastModified());
    }

    @AwsOperation("GetProvisionedConcurrencyConfig")
    public Struct getProvisionedConcurrencyConfig(Call call, Struct in) {
        LambdaFunction f = provisionedTarget(call, in, "The function resource provided must be an alias or a published version.");
        Provisioned p = f.provisionedConcurrency.get(qualifier(call, in));
        if (p == null) {
            throw new AwsException("ProvisionedConcurrencyConfigNotFoundException",
                    "No Provisioned Concurrency Config found for this function").withFields(Struct.of("Type", "User"));
        }
        return describe(f, qualifier(call, in), p);
    }

    @AwsOperation("DeleteProvisionedConcurrencyConfig")
    public Struct deleteProvisionedConcurrencyConfig(Call call, Struct in) {
        LambdaFunction f = provisionedTarget(call, in, "The function resource provided must be an alias or a published version.");
        String q = qualifier(call, in);
        f.provisionedConcurrency.remove(q);
        invoker.unprovision(f, q);
        return null;
    }

    @AwsOperation("ListProvisionedConcurrencyConfigs")
    public Struct listProvisionedConcurrencyConfigs(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), null);
        LambdaFunction f = functions.require(call.account(), call.region(), new FunctionNames(names.name(), null));
        List<Map.Entry<String, Provisioned>> all = new ArrayList<>(f.provisionedConcurrency.entrySet());
        Pagination.Page<Map.Entry<String, Provisioned>> page = Pagination.page(all, Map.Entry::getKey, in.string("Marker"),
                in.integer("MaxItems", 50), () -> LambdaErrors.invalid("Invalid Marker."));
        List<Struct> items = new ArrayList<>();
        for (Map.Entry<String, Provisioned> e : page.items()) {
            Struct item = describe(f, e.getKey(), e.getValue());
            item.put("FunctionArn", f.arn + ":" + e.getKey());
            items.add(item);
        }
        return Struct.of("ProvisionedConcurrencyConfigs", items, "NextMarker", page.nextToken());
    }

    // --- recursive loop detection

    @AwsOperation("PutFunctionRecursionConfig")
    public Struct putFunctionRecursionConfig(Call call, Struct in) {
        LambdaFunction f = unqualified(call, in);
        f.recursiveLoop = in.string("RecursiveLoop");
        return Struct.of("RecursiveLoop", f.recursiveLoop);
    }

    @AwsOperation("GetFunctionRecursionConfig")
    public Struct getFunctionRecursionConfig(Call call, Struct in) {
        return Struct.of("RecursiveLoop", unqualified(call, in).recursiveLoop);
    }

    private LambdaFunction unqualified(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), null);
        return functions.require(call.account(), call.region(), new FunctionNames(names.name(), null));
    }

    // --- runtime management

    /** The function and its "$LATEST" or version qualifier (aliases are not accepted here). */
    private record Versioned(LambdaFunction function, String qualifier, String arn) {
    }

    private Versioned versioned(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), in.string("Qualifier"));
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        String q = names.qualifier() == null ? "$LATEST" : names.qualifier();
        if (!q.equals("$LATEST") && (!q.matches("\\d{1,9}") || !f.versions.containsKey(Integer.parseInt(q)))) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + q);
        }
        return new Versioned(f, q, names.qualifier() == null ? f.arn : f.arn + ":" + q);
    }

    @AwsOperation("PutRuntimeManagementConfig")
    public Struct putRuntimeManagementConfig(Call call, Struct in) {
        Versioned v = versioned(call, in);
        String on = in.string("UpdateRuntimeOn");
        String version = in.string("RuntimeVersionArn");
        if (on.equals("Manual") && version == null) {
            throw LambdaErrors.invalid("RuntimeVersionArn must be specified when UpdateRuntimeOn is Manual.");
        }
        if (!on.equals("Manual") && version != null) {
            throw LambdaErrors.invalid("RuntimeVersionArn can be specified only when UpdateRuntimeOn is Manual.");
        }
        if (version != null && !version.matches("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+::runtime:[a-f0-9]{64}")) {
            throw LambdaErrors.invalid("Invalid RuntimeVersionArn: " + version);
        }
        v.function().runtimeManagement.put(v.qualifier(), new RuntimeManagement(on, version));
        return Struct.of("UpdateRuntimeOn", on, "FunctionArn", v.arn(), "RuntimeVersionArn", version);
    }

    @AwsOperation("GetRuntimeManagementConfig")
    public Struct getRuntimeManagementConfig(Call call, Struct in) {
        Versioned v = versioned(call, in);
        RuntimeManagement r = v.function().runtimeManagement.get(v.qualifier());
        return Struct.of("UpdateRuntimeOn", r == null ? "Auto" : r.updateRuntimeOn(),
                "RuntimeVersionArn", r == null ? null : r.runtimeVersionArn(), "FunctionArn", v.arn());
    }
}
