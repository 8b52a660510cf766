package dev.terrarium.services.lambda;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda Managed Instances: capacity providers, the function versions attached to them (CapacityProviderConfig)
 * and the scaling of those versions (FunctionScalingConfig).
 * <p>
 * Terrarium launches no EC2 instances. The VPC, operator role, instance requirements and scaling settings are
 * validated and stored as given, and reported back; a function attached to a capacity provider still runs as
 * local processes like every other function (Invoker), with the same environments, limits and logs.
 */
final class CapacityProviders {
    private static final Pattern ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):capacity-provider:([a-zA-Z0-9-_]+)");

    /** One capacity provider: what CreateCapacityProvider was given, with its ARN, state and tags. */
    private static final class Provider {
        final String name;
        final String arn;
        final Struct vpcConfig;
        final Struct permissionsConfig;
        final Struct instanceRequirements;
        final String kmsKeyArn;
        final Tags tags = new Tags();
        volatile Struct scalingConfig;
        volatile String lastModified;
        volatile String state = "Active";

        Provider(String name, String arn, Struct in) {
            this.name = name;
            this.arn = arn;
            this.vpcConfig = in.struct("VpcConfig").copy();
            this.permissionsConfig = in.struct("PermissionsConfig").copy();
            this.instanceRequirements = in.struct("InstanceRequirements") == null ? null : in.struct("InstanceRequirements").copy();
            this.kmsKeyArn = in.string("KmsKeyArn");
            this.scalingConfig = in.struct("CapacityProviderScalingConfig") == null ? null
                    : in.struct("CapacityProviderScalingConfig").copy();
        }

        Struct describe(String shownState) {
            return Struct.of("CapacityProviderArn", arn, "State", shownState, "VpcConfig", vpcConfig,
                    "PermissionsConfig", permissionsConfig, "InstanceRequirements", instanceRequirements,
                    "CapacityProviderScalingConfig", scalingConfig, "KmsKeyArn", kmsKeyArn, "LastModified", lastModified);
        }

        Struct describe() {
            return describe(state);
        }
    }

    private final Clock clock;
    private final Functions functions;
    /** By account/region, then by name. */
    private final Map<String, ConcurrentSkipListMap<String, Provider>> byScope = new ConcurrentHashMap<>();

    CapacityProviders(Clock clock, Functions functions) {
        this.clock = clock;
        this.functions = functions;
    }

    void reset() {
        byScope.clear();
    }

    private ConcurrentSkipListMap<String, Provider> in(Call call) {
        return byScope.computeIfAbsent(call.account() + "/" + call.region(), k -> new ConcurrentSkipListMap<>());
    }

    private String now() {
        return FunctionSettings.TIMESTAMP.format(clock.now());
    }

    /** The name a CapacityProviderName (a name or this account's and region's ARN) gives; another scope's ARN finds nothing. */
    private static String nameOf(Call call, String nameOrArn) {
        Matcher m = ARN.matcher(nameOrArn);
        if (!m.matches()) {
            return nameOrArn;
        }
        return m.group(1).equals(call.region()) && m.group(2).equals(call.account()) ? m.group(3) : null;
    }

    private Provider require(Call call, String nameOrArn) {
        String name = nameOf(call, nameOrArn);
        Provider p = name == null ? null : in(call).get(name);
        if (p == null) {
            throw LambdaErrors.notFound("Capacity provider not found: " + arn(call, nameOrArn));
        }
        return p;
    }

    private static String arn(Call call, String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn
                : "arn:aws:lambda:" + call.region() + ":" + call.account() + ":capacity-provider:" + nameOrArn;
    }

    /** Manual scaling is driven by its target tracking policies (at least one); Auto scaling takes none. */
    private static void checkScaling(Struct scaling) {
        if (scaling == null) {
            return;
        }
        List<Struct> policies = scaling.structs("ScalingPolicies");
        boolean hasPolicies = policies != null && !policies.isEmpty();
        if ("Manual".equals(scaling.string("ScalingMode")) && !hasPolicies) {
            throw LambdaErrors.invalid("ScalingPolicies must be provided when ScalingMode is Manual.");
        }
        if (!"Manual".equals(scaling.string("ScalingMode")) && hasPolicies) {
            throw LambdaErrors.invalid("ScalingPolicies can only be provided when ScalingMode is Manual.");
        }
    }

    @AwsOperation("CreateCapacityProvider")
    public Struct createCapacityProvider(Call call, Struct in) {
        String given = in.string("CapacityProviderName");
        String name = nameOf(call, given);
        if (name == null) {
            throw LambdaErrors.invalid("The capacity provider ARN " + given + " does not belong to this account and Region.");
        }
        checkScaling(in.struct("CapacityProviderScalingConfig"));
        Provider p = new Provider(name, arn(call, name), in);
        p.lastModified = now();
        if (in.stringMap("Tags") != null) {
            p.tags.put(in.stringMap("Tags"), "InvalidParameterValueException");
        }
        if (in(call).putIfAbsent(name, p) != null) {
            throw LambdaErrors.conflict("Capacity provider already exists: " + p.arn);
        }
        // AWS answers while the provider is being set up; with no instances to launch it is Active from the next call
        return Struct.of("CapacityProvider", p.describe("Pending"));
    }

    @AwsOperation("GetCapacityProvider")
    public Struct getCapacityProvider(Call call, Struct in) {
        return Struct.of("CapacityProvider", require(call, in.string("CapacityProviderName")).describe());
    }

    @AwsOperation("UpdateCapacityProvider")
    public Struct updateCapacityProvider(Call call, Struct in) {
        Provider p = require(call, in.string("CapacityProviderName"));
        Struct scaling = in.struct("CapacityProviderScalingConfig");
        checkScaling(scaling);
        synchronized (p) {
            if (scaling != null) {
                p.scalingConfig = scaling.copy();
            }
            p.lastModified = now();
        }
        return Struct.of("CapacityProvider", p.describe());
    }

    @AwsOperation("DeleteCapacityProvider")
    public Struct deleteCapacityProvider(Call call, Struct in) {
        Provider p = require(call, in.string("CapacityProviderName"));
        synchronized (p) {
            List<FunctionVersion> users = versionsOn(call, p.arn);
            if (!users.isEmpty()) {
                throw LambdaErrors.conflict("The capacity provider " + p.arn + " cannot be deleted because it is used by "
                        + users.size() + " function version(s), such as " + qualifiedArn(users.get(0)) + ".");
            }
            in(call).remove(p.name, p);
        }
        return Struct.of("CapacityProvider", p.describe("Deleting"));
    }

    @AwsOperation("ListCapacityProviders")
    public Struct listCapacityProviders(Call call, Struct in) {
        String state = in.string("State");
        List<Provider> all = in(call).values().stream().filter(p -> state == null || state.equals(p.state)).toList();
        Pagination.Page<Provider> page = Pagination.page(all, p -> p.name, in.string("Marker"), in.integer("MaxItems", 50),
                () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("CapacityProviders", page.items().stream().map(Provider::describe).toList(),
                "NextMarker", page.nextToken());
    }

    @AwsOperation("ListFunctionVersionsByCapacityProvider")
    public Struct listFunctionVersionsByCapacityProvider(Call call, Struct in) {
        Provider p = require(call, in.string("CapacityProviderName"));
        Pagination.Page<FunctionVersion> page = Pagination.page(versionsOn(call, p.arn), CapacityProviders::sortKey,
                in.string("Marker"), in.integer("MaxItems", 50), () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("CapacityProviderArn", p.arn,
                "FunctionVersions", page.items().stream()
                        .map(v -> Struct.of("FunctionArn", qualifiedArn(v), "State", v.state)).toList(),
                "NextMarker", page.nextToken());
    }

    /** $LATEST and the published versions of this scope's functions that run on the provider, by function then version. */
    private List<FunctionVersion> versionsOn(Call call, String providerArn) {
        List<FunctionVersion> out = new ArrayList<>();
        for (LambdaFunction f : functions.in(call.account(), call.region()).values()) {
            List<FunctionVersion> versions = new ArrayList<>();
            versions.add(f.latest);
            versions.addAll(f.versions.values());
            for (FunctionVersion v : versions) {
                if (providerArn.equals(providerArnOf(v))) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private static String sortKey(FunctionVersion v) {
        return v.functionName + ":" + (v.version.equals("$LATEST") ? "0" : String.format("1%010d", Integer.parseInt(v.version)));
    }

    private static String qualifiedArn(FunctionVersion v) {
        return v.qualifiedArn();
    }

    private static String providerArnOf(FunctionVersion v) {
        Struct config = v.capacityProviderConfig;
        Struct managed = config == null ? null : config.struct("LambdaManagedInstancesCapacityProviderConfig");
        return managed == null ? null : managed.string("CapacityProviderArn");
    }

    /**
     * The CapacityProviderConfig given to CreateFunction or UpdateFunctionConfiguration, stored as given once its
     * capacity provider is found in the caller's account and Region (null passes: the function runs on default compute).
     */
    Struct checked(Call call, Struct config) {
        if (config == null) {
            return null;
        }
        String arn = config.struct("LambdaManagedInstancesCapacityProviderConfig").string("CapacityProviderArn");
        String name = nameOf(call, arn);
        Provider p = name == null ? null : in(call).get(name);
        if (p == null) {
            throw LambdaErrors.invalid("The capacity provider " + arn + " does not exist.");
        }
        return config.copy();
    }

    /** The tags of the capacity provider an ARN names (TagResource, UntagResource, ListTags). */
    Tags tags(Call call, String arn) {
        return require(call, arn).tags;
    }

    /** For IAM: the capacity provider a call names (its ARN), or null. */
    static String resourceArn(Call call, Struct in) {
        String nameOrArn = in.string("CapacityProviderName");
        return nameOrArn == null ? null : arn(call, nameOrArn);
    }

    static boolean names(String resourceArn) {
        return resourceArn != null && resourceArn.contains(":capacity-provider:");
    }

    // --- scaling of the published versions of functions that run on a capacity provider

    /** The published version a FunctionName and Qualifier name; it must run on a capacity provider. */
    private FunctionVersion managedVersion(Call call, Struct in) {
        FunctionNames names = FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), null);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        String qualifier = in.string("Qualifier");
        FunctionVersion v = qualifier.matches("\\d+") ? f.version(qualifier, 0) : null;
        if (v == null) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + qualifier);
        }
        if (providerArnOf(v) == null) {
            throw LambdaErrors.invalid("The function " + v.qualifiedArn() + " does not run on a capacity provider: "
                    + "function scaling configurations apply to Lambda Managed Instances functions only.");
        }
        return v;
    }

    @AwsOperation("PutFunctionScalingConfig")
    public Struct putFunctionScalingConfig(Call call, Struct in) {
        FunctionVersion v = managedVersion(call, in);
        Struct config = in.struct("FunctionScalingConfig");
        Struct stored = config == null ? Struct.empty() : config.copy();
        Integer min = stored.integer("MinExecutionEnvironments");
        Integer max = stored.integer("MaxExecutionEnvironments");
        if (min != null && max != null && min > max) {
            throw LambdaErrors.invalid("MinExecutionEnvironments (" + min + ") must be less than or equal to "
                    + "MaxExecutionEnvironments (" + max + ").");
        }
        v.scalingConfig = stored;
        return Struct.of("FunctionState", v.state);
    }

    @AwsOperation("GetFunctionScalingConfig")
    public Struct getFunctionScalingConfig(Call call, Struct in) {
        FunctionVersion v = managedVersion(call, in);
        Struct config = v.scalingConfig;
        // no instances to wait for: what was requested is applied at once
        return Struct.of("FunctionArn", v.qualifiedArn(), "AppliedFunctionScalingConfig", config,
                "RequestedFunctionScalingConfig", config);
    }
}
