package dev.terrarium.services.lambda;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.AwsService;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Service;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.services.logs.LogsService;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/** AWS Lambda: functions, versions, aliases, tags, concurrency and invocation in local processes. */
@Service(value = "lambda", groups = {EventInvokeConfigs.class, FunctionSettings.class, CodeSigningConfigs.class,
        Layers.class, ResponseStreaming.class, CapacityProviders.class, DurableExecutions.class})
public final class LambdaService implements AwsService, dev.terrarium.core.service.RawRequests,
        dev.terrarium.core.iam.ResourcePolicyProvider, dev.terrarium.core.iam.IamActionProvider,
        dev.terrarium.core.iam.IamResourceProvider {
    private static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private static final int SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
    private static final int ASYNC_PAYLOAD_LIMIT = 256 * 1024;

    private final Clock clock;
    private final Functions functions = new Functions();
    private final Invoker invoker;
    private final String defaultAccount;
    private final dev.terrarium.core.service.Peers peers;
    private final Layers layers;
    private final ResponseStreaming responseStreaming;
    private final FunctionUrls functionUrls;

    public LambdaService(ServiceContext context) {
        this.clock = context.clock();
        this.defaultAccount = context.config().defaultAccount();
        this.peers = context.peers();
        this.layers = new Layers(context.clock(), context.peers());
        this.invoker = new Invoker(() -> {
            LogsService logs = context.peers().find("logs", LogsService.class);
            return logs == null ? null : logs.logStore();
        });
        this.settings = new FunctionSettings(clock, functions, invoker);
        this.codeSigning = new CodeSigningConfigs(clock, functions);
        this.capacityProviders = new CapacityProviders(clock, functions);
        this.streams = new StreamMappings(() -> dev.terrarium.services.dynamodb.DynamoDbState.of(context));
        this.eventInvokes = new EventInvokeConfigs(clock, context.events(), context.peers(), functions, invoker,
                context.config().port());
        this.responseStreaming = new ResponseStreaming(functions, invoker);
        this.durable = new DurableExecutions(clock, functions, invoker);
        this.functionUrls = new FunctionUrls(functions, invoker,
                new dev.terrarium.core.auth.SigV4Verifier(context.credentials(), context.clock(), context.config()));
    }

    private final EventInvokeConfigs eventInvokes;
    private final DurableExecutions durable;
    private final StreamMappings streams;
    private final FunctionSettings settings;
    private final CodeSigningConfigs codeSigning;
    private final CapacityProviders capacityProviders;

    @Override
    public List<Object> operationGroups() {
        return List.of(eventInvokes, settings, codeSigning, layers, responseStreaming, capacityProviders,
                durable);
    }

    @Override
    public void close() {
        pollers.values().forEach(MappingPoller::stop);
        eventInvokes.close();
        durable.close();
    }

    private final Map<String, EventSourceMapping> mappings = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, MappingPoller> pollers = new java.util.concurrent.ConcurrentHashMap<>();

    /** Requests on a function URL's host name are answered by the function (see FunctionUrls); code locations. */
    @Override
    public Answer answer(dev.terrarium.core.http.HttpRequest request, String requestId) {
        Answer url = functionUrls.answer(request, requestId);
        return url != null ? url : CodeLocations.answer(request, requestId, clock.now(), functions, layers);
    }

    @Override
    public void reset() {
        layers.reset();
        pollers.values().forEach(MappingPoller::stop);
        pollers.clear();
        mappings.clear();
        eventInvokes.reset();
        durable.reset();
        codeSigning.reset();
        capacityProviders.reset();
        invoker.stopAll();
        for (var scope : functions.scopes()) {
            scope.values().forEach(LambdaService::deleteCode);
        }
        functions.clear();
    }

    private String now() {
        return LAST_MODIFIED.format(clock.now());
    }

    private static final java.util.regex.Pattern FUNCTION_ARN =
            java.util.regex.Pattern.compile("arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:.+");

    /**
     * For other services, through Peers (S3 validating a notification destination): whether the function a
     * (possibly qualified) ARN names exists and its resource policy for that qualifier lets servicePrincipal
     * (s3.amazonaws.com...) invoke it on behalf of sourceArn and sourceAccount (aws:SourceArn, aws:SourceAccount).
     */
    public boolean allowsServiceInvoke(String functionArn, String servicePrincipal, String sourceArn,
                                       String sourceAccount) {
        java.util.regex.Matcher m = FUNCTION_ARN.matcher(functionArn == null ? "" : functionArn);
        if (!m.matches()) {
            return false;
        }
        String region = m.group(1);
        String account = m.group(2);
        FunctionNames names;
        try {
            names = FunctionNames.parse(functionArn, account, region, null);
        } catch (AwsException e) {
            return false;
        }
        LambdaFunction f = functions.in(account, region).get(names.name());
        String qualifier = names.qualifier();
        if (f == null || (qualifier != null && !"$LATEST".equals(qualifier) && f.version(qualifier, 0) == null)) {
            return false;
        }
        LambdaResourcePolicy policy = f.policies.get(qualifier == null ? "" : qualifier);
        String invoked = qualifier == null ? f.arn : f.arn + ":" + qualifier;
        return policy != null && policy.allowsService(servicePrincipal, invoked, account, sourceArn, sourceAccount);
    }

    private LambdaFunction function(Call call, Struct in) {
        return functions.require(call.account(), call.region(), names(call, in));
    }

    private static FunctionNames names(Call call, Struct in) {
        return FunctionNames.parse(in.string("FunctionName"), call.account(), call.region(), in.string("Qualifier"));
    }

    // --- functions

    @AwsOperation("CreateFunction")
    public Struct createFunction(Call call, Struct in) {
        FunctionNames names = names(call, in);
        if (names.qualifier() != null) {
            throw LambdaErrors.invalid("Unsupported function name: qualifiers are not allowed in CreateFunction.");
        }
        Struct code = in.struct("Code");
        FunctionVersion v = new FunctionVersion();
        if ("Image".equals(in.string("PackageType"))) {
            // run by Docker when an engine answers (ContainerExecutor); created either way, as AWS would
            v.image = image(in, code);
            v.code = DeploymentPackage.image(v.image);
        } else {
            if (code.string("ImageUri") != null || in.struct("ImageConfig") != null) {
                throw LambdaErrors.invalid("Please don't provide ImageUri or ImageConfig when the intended function "
                        + "PackageType is Zip.");
            }
            if (in.string("Runtime") == null || in.string("Handler") == null) {
                throw LambdaErrors.invalid("Runtime and Handler are mandatory parameters for functions created with deployment packages.");
            }
            v.code = DeploymentPackage.of(zip(call, code));
        }
        v.functionName = names.name();
        v.functionArn = Functions.arn(call.account(), call.region(), names.name());
        v.role = in.string("Role");
        v.logGroup = "/aws/lambda/" + names.name();
        applyConfiguration(v, in);
        applyLayers(call, v, in);
        v.capacityProviderConfig = capacityProviders.checked(call, in.struct("CapacityProviderConfig"));
        v.lastModified = now();
        LambdaFunction f = new LambdaFunction(names.name(), v.functionArn, v);
        Map<String, String> tags = in.stringMap("Tags");
        if (tags != null) {
            f.tags.put(tags, "InvalidParameterValueException");
        }
        f.codeSigningConfigArn = codeSigning.checked(call, in.string("CodeSigningConfigArn"));
        if (functions.in(call.account(), call.region()).putIfAbsent(names.name(), f) != null) {
            throw LambdaErrors.conflict("Function already exist: " + names.name());
        }
        Struct out = FunctionConfigurations.of(v);
        v.code.directory();
        v.activate();
        if (in.bool("Publish", false)) {
            return FunctionConfigurations.of(publish(f, null));
        }
        return out;
    }

    /** The image of a PackageType Image function: no Runtime, Handler or Layers (the image has them), no .zip. */
    private static ContainerImage image(Struct in, Struct code) {
        List<String> layerArns = in.strings("Layers");
        if (in.string("Runtime") != null || in.string("Handler") != null || (layerArns != null && !layerArns.isEmpty())) {
            throw LambdaErrors.invalid("Please don't provide Handler or Runtime or Layer when the intended function "
                    + "PackageType is Image.");
        }
        if (code.blob("ZipFile") != null || code.string("S3Bucket") != null || code.string("S3Key") != null) {
            throw LambdaErrors.invalid("Please don't provide ZipFile or S3Bucket/S3Key when the intended function "
                    + "PackageType is Image: provide ImageUri.");
        }
        return ContainerImage.of(code.string("ImageUri"), in.struct("ImageConfig"));
    }

    /** The package bytes: ZipFile inline, or the object S3Bucket/S3Key(/S3ObjectVersion) in Terrarium's S3. */
    private byte[] zip(Call call, Struct code) {
        if (code.blob("ZipFile") != null || code.string("S3Bucket") == null) {
            return code.blob("ZipFile");
        }
        return S3Code.fetch(peers.find("s3", dev.terrarium.services.s3.S3Service.class), code.string("S3Bucket"),
                code.string("S3Key"), code.string("S3ObjectVersion"));
    }

    /** The configuration members shared by CreateFunction and UpdateFunctionConfiguration. */
    private static void applyConfiguration(FunctionVersion v, Struct in) {
        if (in.has("Runtime")) {
            v.runtime = in.string("Runtime");
        }
        if (in.has("Handler")) {
            v.handler = in.string("Handler");
        }
        if (in.has("Role")) {
            v.role = in.string("Role");
        }
        if (in.has("Description")) {
            v.description = in.string("Description");
        }
        if (in.has("Timeout")) {
            int timeout = in.integer("Timeout");
            if (timeout > 900) {
                throw LambdaErrors.invalid("1 validation error detected: Value '" + timeout
                        + "' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
            }
            v.timeout = timeout;
        }
        if (in.has("MemorySize")) {
            v.memorySize = in.integer("MemorySize");
        }
        if (in.struct("Environment") != null) {
            v.environment = EnvironmentVariables.check(in.struct("Environment").stringMap("Variables"));
        }
        if (in.struct("TracingConfig") != null && in.struct("TracingConfig").string("Mode") != null) {
            v.tracingMode = in.struct("TracingConfig").string("Mode");
        }
        if (in.struct("EphemeralStorage") != null) {
            v.ephemeralStorage = in.struct("EphemeralStorage").integer("Size", 512);
        }
        if (in.strings("Architectures") != null) {
            v.architectures = List.copyOf(in.strings("Architectures"));
        }
        if (in.struct("DeadLetterConfig") != null) {
            v.deadLetterTarget = AsyncDestinations.deadLetterTarget(in.struct("DeadLetterConfig").string("TargetArn"));
        }
        if (in.struct("DurableConfig") != null) {
            v.durableConfig = in.struct("DurableConfig").copy();
        }
        Struct logging = in.struct("LoggingConfig");
        if (logging != null) {
            v.logFormat = logging.string("LogFormat", v.logFormat);
            v.logGroup = logging.string("LogGroup", v.logGroup);
        }
    }

    private void applyLayers(Call call, FunctionVersion v, Struct in) {
        List<LayerVersion> named = layers.resolve(call, in.strings("Layers"));
        if (named != null) {
            v.layers = named;
        }
    }

    @AwsOperation("GetFunction")
    public Struct getFunction(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        FunctionVersion v = exactVersion(f, names);
        return Struct.of("Configuration", FunctionConfigurations.of(v),
                "Code", v.image != null ? v.image.codeLocation() : Struct.of("RepositoryType", "S3",
                        "Location", CodeLocations.function(call, f.name, v.version)),
                "Tags", names.qualifier() == null ? f.tags.asMap() : null,
                "Concurrency", f.reservedConcurrency == null ? null
                        : Struct.of("ReservedConcurrentExecutions", f.reservedConcurrency));
    }

    @AwsOperation("GetFunctionConfiguration")
    public Struct getFunctionConfiguration(Call call, Struct in) {
        FunctionNames names = names(call, in);
        return FunctionConfigurations.of(exactVersion(functions.require(call.account(), call.region(), names), names));
    }

    /** The version a qualifier names; for an alias, the alias's main version. */
    private FunctionVersion exactVersion(LambdaFunction f, FunctionNames names) {
        String q = names.qualifier();
        Alias alias = q == null ? null : f.aliases.get(q);
        FunctionVersion v = f.version(alias != null ? alias.functionVersion : q, 1.0);
        if (v == null) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + q);
        }
        return v;
    }

    @AwsOperation("ListFunctions")
    public Struct listFunctions(Call call, Struct in) {
        boolean all = "ALL".equals(in.string("FunctionVersion"));
        List<FunctionVersion> versions = new ArrayList<>();
        for (LambdaFunction f : functions.in(call.account(), call.region()).values()) {
            versions.add(f.latest);
            if (all) {
                versions.addAll(f.versions.values());
            }
        }
        Pagination.Page<FunctionVersion> page = Pagination.page(versions, v -> v.functionName + ":" + sortable(v.version),
                in.string("Marker"), maxItems(in), () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("Functions", FunctionConfigurations.all(page.items()), "NextMarker", page.nextToken());
    }

    private static String sortable(String version) {
        return version.equals("$LATEST") ? "0" : String.format("1%010d", Integer.parseInt(version));
    }

    private static int maxItems(Struct in) {
        int max = in.integer("MaxItems", 50);
        if (max < 1 || max > 10000) {
            throw LambdaErrors.invalid("1 validation error detected: Value '" + max
                    + "' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000");
        }
        return max;
    }

    @AwsOperation("UpdateFunctionCode")
    public Struct updateFunctionCode(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        synchronized (f) {
            checkRevision(f.latest.revisionId, in.string("RevisionId"));
            ContainerImage image = updatedImage(f.latest, in);
            DeploymentPackage code = image != null ? DeploymentPackage.image(image) : DeploymentPackage.of(zip(call, in));
            if (in.bool("DryRun", false)) {
                FunctionVersion preview = f.latest.copy();
                preview.code = code;
                preview.image = image;
                return FunctionConfigurations.of(preview);
            }
            FunctionVersion v = f.latest.copy();
            v.code = code;
            v.image = image;
            return update(f, v, in.bool("Publish", false));
        }
    }

    /** UpdateFunctionCode of an image function takes ImageUri (its ImageConfig stays), of a .zip one a package. */
    private static ContainerImage updatedImage(FunctionVersion current, Struct in) {
        boolean zip = in.blob("ZipFile") != null || in.string("S3Bucket") != null || in.string("S3Key") != null;
        if (current.image == null) {
            if (in.string("ImageUri") != null) {
                throw LambdaErrors.invalid("Please don't provide ImageUri when updating a function with packageType Zip.");
            }
            return null;
        }
        if (zip || in.string("ImageUri") == null) {
            throw LambdaErrors.invalid("Please provide ImageUri when updating a function with packageType Image.");
        }
        return current.image.withUri(in.string("ImageUri"));
    }

    @AwsOperation("UpdateFunctionConfiguration")
    public Struct updateFunctionConfiguration(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        synchronized (f) {
            checkRevision(f.latest.revisionId, in.string("RevisionId"));
            FunctionVersion v = f.latest.copy();
            List<String> layerArns = in.strings("Layers");
            if (v.image != null && (in.string("Runtime") != null || in.string("Handler") != null
                    || (layerArns != null && !layerArns.isEmpty()))) {
                throw LambdaErrors.invalid("Please don't provide Handler or Runtime or Layer when the intended function "
                        + "PackageType is Image.");
            }
            if (in.struct("ImageConfig") != null) {
                if (v.image == null) {
                    throw LambdaErrors.invalid("ImageConfig is only supported for functions with PackageType Image.");
                }
                v.image = v.image.withConfig(in.struct("ImageConfig"));
            }
            applyConfiguration(v, in);
            applyLayers(call, v, in);
            if (in.struct("CapacityProviderConfig") != null) {
                v.capacityProviderConfig = capacityProviders.checked(call, in.struct("CapacityProviderConfig"));
            }
            return update(f, v, false);
        }
    }

    /** Replaces $LATEST: the answer shows the update in progress, the stored version is then ready. */
    private Struct update(LambdaFunction f, FunctionVersion v, boolean publish) {
        v.lastModified = now();
        v.revisionId = java.util.UUID.randomUUID().toString();
        v.lastUpdateStatus = "InProgress";
        Struct out = FunctionConfigurations.of(v);
        v.code.directory();
        v.lastUpdateStatus = "Successful";
        FunctionVersion old = f.latest;
        f.latest = v;
        retire(old, v);
        if (publish) {
            return FunctionConfigurations.of(publish(f, null));
        }
        return out;
    }

    /** Removes the unpacked code of a deleted function (environments of it have been stopped). */
    private static void deleteCode(LambdaFunction f) {
        f.latest.code.delete();
        f.versions.values().forEach(v -> v.code.delete());
    }

    /** Hook for the runtime: environments of a replaced $LATEST are stopped. */
    private void retire(FunctionVersion old, FunctionVersion replacement) {
        invoker.retire(old);
    }

    // --- invocation

    /** Invoke's IAM action is lambda:InvokeFunction (so is InvokeWithResponseStream's); the others are their names. */
    @Override
    public String iamAction(Call call, Struct in) {
        switch (call.operation().name()) {
            case "Invoke":
            case "InvokeWithResponseStream":
                return "InvokeFunction";
            case "GetLayerVersionByArn":
                return "GetLayerVersion";
            default:
                return null;
        }
    }

    /** The function a call names, by name or ARN, or its version or alias when a Qualifier is given. */
    @Override
    public String resourceArn(Call call, Struct in) {
        String fn = in.string("FunctionName");
        if (fn == null) {
            return CapacityProviders.resourceArn(call, in);
        }
        String function = fn.startsWith("arn:") ? fn : "arn:aws:lambda:" + call.region() + ":" + call.account() + ":function:" + fn;
        return in.string("Qualifier") == null ? function : function + ":" + in.string("Qualifier");
    }

    /** The function a call names (in its owner's account), its resource policy for the qualifier and its tags. */
    @Override
    public ResourcePolicy resourcePolicy(Call call, Struct in) {
        String name = in.string("FunctionName");
        if (name == null) {
            return null;
        }
        FunctionNames.Owned named;
        try {
            named = FunctionNames.parseOwned(name, call.account(), call.region(), in.string("Qualifier"));
        } catch (AwsException e) {
            return null;
        }
        LambdaFunction f = functions.in(named.account(), call.region()).get(named.names().name());
        if (f == null) {
            return null;
        }
        String qualifier = named.names().qualifier();
        LambdaResourcePolicy rp = f.policies.get(qualifier == null ? "" : qualifier);
        return new ResourcePolicy(named.account(), rp == null ? null : rp.policy(), f.tags.asMap());
    }

    @AwsOperation("Invoke")
    public CompletionStage<Struct> invoke(Call call, Struct in) {
        FunctionNames.Owned named = FunctionNames.parseOwned(in.string("FunctionName"), call.account(), call.region(),
                in.string("Qualifier"));
        String owner = named.account();
        FunctionNames names = named.names();
        LambdaFunction f = functions.require(owner, call.region(), names);
        FunctionVersion v = f.version(names.qualifier(), random());
        if (v == null) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + names.qualifier());
        }
        String type = in.string("InvocationType", "RequestResponse");
        byte[] payload = InvokeChecks.payload(in.blob("Payload"), type.equals("Event") ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT);
        InvokeChecks.invocable(v, invoker);
        String invokedArn = names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier();
        Invoker.Target target = new Invoker.Target(owner, call.region(), f, v, invokedArn, call.endpoint());
        String clientContext = decodeClientContext(in.string("ClientContext"));
        if (v.durableConfig != null && !type.equals("DryRun")) {
            return durable.invoke(target, names.qualifier(), payload, type, in.string("DurableExecutionName"));
        }
        switch (type) {
            case "DryRun":
                return CompletableFuture.completedFuture(Struct.of("StatusCode", 204));
            case "Event":
                eventInvokes.submit(target, payload, clientContext, call.requestId());
                return CompletableFuture.completedFuture(Struct.of("StatusCode", 202));
            case "RequestResponse":
                break;
            default:
                throw LambdaErrors.invalid("1 validation error detected: Value '" + type
                        + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        }
        invoker.reserve(f);
        boolean tail = "Tail".equals(in.string("LogType"));
        return invoker.invoke(target, payload, clientContext).thenApply(o -> Struct.of("StatusCode", 200,
                "FunctionError", o.result().functionError(), "LogResult", tail ? o.tail() : null,
                "Payload", o.result().payload(), "ExecutedVersion", v.version));
    }

    /** X-Amz-Client-Context is base64 JSON on the wire; the runtime gets the JSON. */
    private static String decodeClientContext(String value) {
        if (value == null) {
            return null;
        }
        try {
            return new String(java.util.Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LambdaErrors.invalid("Client context must be a valid Base64-encoded JSON object.");
        }
    }

    private static void checkRevision(String current, String given) {
        if (given != null && !given.equals(current)) {
            throw LambdaErrors.preconditionFailed();
        }
    }

    @AwsOperation("DeleteFunction")
    public Struct deleteFunction(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        String q = names.qualifier();
        if (q == null) {
            functions.in(call.account(), call.region()).remove(f.name, f);
            retire(f.latest, null);
            f.versions.values().forEach(v -> retire(v, null));
            deleteCode(f);
            return Struct.of("StatusCode", 204);
        }
        if (q.equals("$LATEST") || !q.matches("\\d+")) {
            throw LambdaErrors.invalid("Deletion of aliases or $LATEST is not supported by DeleteFunction: use DeleteAlias or omit the qualifier.");
        }
        for (Alias a : f.aliases.values()) {
            if (a.functionVersion.equals(q) || (a.additionalWeights != null && a.additionalWeights.containsKey(q))) {
                throw LambdaErrors.conflict("Unable to delete version because the following aliases reference it: [" + a.name + "]");
            }
        }
        FunctionVersion removed = f.versions.remove(Integer.parseInt(q));
        if (removed == null) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + q);
        }
        f.provisionedConcurrency.remove(q); // its environments stop with the version
        retire(removed, null);
        return Struct.of("StatusCode", 204);
    }

    // --- versions and aliases

    @AwsOperation("PublishVersion")
    public Struct publishVersion(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        synchronized (f) {
            checkRevision(f.latest.revisionId, in.string("RevisionId"));
            String sha = in.string("CodeSha256");
            if (sha != null && !sha.equals(f.latest.code.sha256)) {
                throw LambdaErrors.invalid("CodeSHA256 (" + sha + ") is different from current CodeSHA256 in $LATEST ("
                        + f.latest.code.sha256 + "). Please try again with the CodeSHA256 in $LATEST.");
            }
            return FunctionConfigurations.of(publish(f, in.string("Description")));
        }
    }

    private FunctionVersion publish(LambdaFunction f, String description) {
        synchronized (f) {
            Map.Entry<Integer, FunctionVersion> last = f.versions.lastEntry();
            if (last != null && f.latest.revisionId.equals(f.publishedRevision)) {
                return last.getValue();
            }
            FunctionVersion v = f.latest.copy();
            v.version = Integer.toString(f.lastVersion.incrementAndGet());
            v.revisionId = java.util.UUID.randomUUID().toString();
            v.lastModified = now();
            if (description != null) {
                v.description = description;
            }
            v.activate();
            f.versions.put(Integer.parseInt(v.version), v);
            f.publishedRevision = f.latest.revisionId;
            return v;
        }
    }

    @AwsOperation("ListVersionsByFunction")
    public Struct listVersionsByFunction(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        List<FunctionVersion> all = new ArrayList<>();
        all.add(f.latest);
        all.addAll(f.versions.values());
        Pagination.Page<FunctionVersion> page = Pagination.page(all, v -> sortable(v.version), in.string("Marker"),
                maxItems(in), () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("Versions", FunctionConfigurations.all(page.items()), "NextMarker", page.nextToken());
    }

    @AwsOperation("CreateAlias")
    public Struct createAlias(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        String name = in.string("Name");
        if (name.matches("\\d+") || name.equals("$LATEST")) {
            throw LambdaErrors.invalid("Alias name cannot be a version number or $LATEST: " + name);
        }
        Alias a = new Alias(name, f.arn + ":" + name, checkedVersion(f, in.string("FunctionVersion")),
                in.string("Description", ""), weights(f, in));
        synchronized (f) {
            if (f.aliases.putIfAbsent(name, a) != null) {
                throw LambdaErrors.conflict("Alias already exists: " + a.arn);
            }
        }
        return FunctionConfigurations.alias(a);
    }

    private static String checkedVersion(LambdaFunction f, String version) {
        if (version == null) {
            return null;
        }
        if (!version.equals("$LATEST") && (!version.matches("\\d{1,9}") || !f.versions.containsKey(Integer.parseInt(version)))) {
            throw LambdaErrors.functionNotFound(f.arn + ":" + version);
        }
        return version;
    }

    private static Map<String, Double> weights(LambdaFunction f, Struct in) {
        Struct routing = in.struct("RoutingConfig");
        if (routing == null || routing.map("AdditionalVersionWeights") == null) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : routing.map("AdditionalVersionWeights").entrySet()) {
            double w = ((Number) e.getValue()).doubleValue();
            if (w < 0 || w > 1) {
                throw LambdaErrors.invalid("Invalid weight " + w + " for version " + e.getKey() + ": must be between 0.0 and 1.0");
            }
            out.put(checkedVersion(f, e.getKey()), w);
        }
        if (out.size() > 1) {
            throw LambdaErrors.invalid("Number of items in AdditionalVersionWeights cannot be greater than 1");
        }
        return out;
    }

    private static Alias alias(LambdaFunction f, String name) {
        Alias a = f.aliases.get(name);
        if (a == null) {
            throw LambdaErrors.notFound("Alias not found: " + f.arn + ":" + name);
        }
        return a;
    }

    @AwsOperation("GetAlias")
    public Struct getAlias(Call call, Struct in) {
        return FunctionConfigurations.alias(alias(function(call, in), in.string("Name")));
    }

    @AwsOperation("UpdateAlias")
    public Struct updateAlias(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        Alias a = alias(f, in.string("Name"));
        synchronized (a) {
            checkRevision(a.revisionId, in.string("RevisionId"));
            if (in.string("FunctionVersion") != null) {
                a.functionVersion = checkedVersion(f, in.string("FunctionVersion"));
            }
            if (in.has("Description")) {
                a.description = in.string("Description");
            }
            if (in.has("RoutingConfig")) {
                a.additionalWeights = weights(f, in);
            }
            a.revisionId = java.util.UUID.randomUUID().toString();
        }
        settings.aliasUpdated(call, f, a.name);
        return FunctionConfigurations.alias(a);
    }

    @AwsOperation("DeleteAlias")
    public Struct deleteAlias(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        String name = in.string("Name");
        f.aliases.remove(name);
        // the alias's provisioned concurrency goes with it
        f.provisionedConcurrency.remove(name);
        invoker.unprovision(f, name);
        return null;
    }

    @AwsOperation("ListAliases")
    public Struct listAliases(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        String version = in.string("FunctionVersion");
        List<Alias> matching = f.aliases.values().stream()
                .filter(a -> version == null || version.equals(a.functionVersion)).toList();
        Pagination.Page<Alias> page = Pagination.page(matching, a -> a.name, in.string("Marker"), maxItems(in),
                () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("Aliases", page.items().stream().map(FunctionConfigurations::alias).toList(),
                "NextMarker", page.nextToken());
    }

    // --- function URLs (configuration; serving them needs the core's host-name routing, see the report)

    private static String urlKey(FunctionNames names) {
        String q = names.qualifier();
        if (q != null && (q.equals("$LATEST") || q.matches("\\d+"))) {
            throw LambdaErrors.invalid("The qualifier of a function URL must be an alias name: " + q);
        }
        return q == null ? "" : q;
    }

    @AwsOperation("CreateFunctionUrlConfig")
    public Struct createFunctionUrlConfig(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        String key = urlKey(names);
        if (!key.isEmpty()) {
            alias(f, key);
        }
        String id = java.util.UUID.randomUUID().toString().replace("-", "");
        java.net.URI endpoint = java.net.URI.create(call.endpoint());
        String url = "http://" + id + ".lambda-url." + call.region() + ".localhost"
                + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "") + "/";
        FunctionUrl u = new FunctionUrl(url, key.isEmpty() ? f.arn : f.arn + ":" + key, now());
        u.authType = in.string("AuthType");
        u.cors = in.struct("Cors");
        u.invokeMode = in.string("InvokeMode", "BUFFERED");
        if (f.urls.putIfAbsent(key, u) != null) {
            throw LambdaErrors.conflict("Failed to create function url config for [functionArn = " + u.functionArn
                    + "]. Error message:  FunctionUrlConfig exists for this Lambda function");
        }
        Struct out = u.describe();
        out.put("LastModifiedTime", null);
        return out;
    }

    private FunctionUrl url(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        FunctionUrl u = f.urls.get(urlKey(names));
        if (u == null) {
            throw LambdaErrors.notFound("The resource you requested does not exist.");
        }
        return u;
    }

    @AwsOperation("GetFunctionUrlConfig")
    public Struct getFunctionUrlConfig(Call call, Struct in) {
        return url(call, in).describe();
    }

    @AwsOperation("UpdateFunctionUrlConfig")
    public Struct updateFunctionUrlConfig(Call call, Struct in) {
        FunctionUrl u = url(call, in);
        if (in.has("AuthType")) {
            u.authType = in.string("AuthType");
        }
        if (in.has("Cors")) {
            u.cors = in.struct("Cors");
        }
        if (in.has("InvokeMode")) {
            u.invokeMode = in.string("InvokeMode");
        }
        u.lastModifiedTime = now();
        return u.describe();
    }

    @AwsOperation("DeleteFunctionUrlConfig")
    public Struct deleteFunctionUrlConfig(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        if (f.urls.remove(urlKey(names)) == null) {
            throw LambdaErrors.notFound("The resource you requested does not exist.");
        }
        return null;
    }

    @AwsOperation("ListFunctionUrlConfigs")
    public Struct listFunctionUrlConfigs(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        List<FunctionUrl> all = f.urls.values().stream()
                .sorted(java.util.Comparator.comparing(u -> u.functionArn)).toList();
        Pagination.Page<FunctionUrl> page = Pagination.page(all, u -> u.functionArn, in.string("Marker"), maxItems(in),
                () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("FunctionUrlConfigs", page.items().stream().map(FunctionUrl::describe).toList(),
                "NextMarker", page.nextToken());
    }

    // --- resource policy

    @AwsOperation("AddPermission")
    public Struct addPermission(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        exactVersion(f, names);
        LambdaResourcePolicy policy = f.policies.computeIfAbsent(names.qualifier() == null ? "" : names.qualifier(),
                q -> new LambdaResourcePolicy());
        String resource = names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier();
        Map<String, Object> statement = policy.add(in.string("StatementId"), in.string("Action"), in.string("Principal"),
                resource, in.string("SourceArn"), in.string("SourceAccount"), in.string("PrincipalOrgID"),
                in.string("RevisionId"), in.string("FunctionUrlAuthType"), in.bool("InvokedViaFunctionUrl"));
        return Struct.of("Statement", LambdaResourcePolicy.json(statement));
    }

    @AwsOperation("RemovePermission")
    public Struct removePermission(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        LambdaResourcePolicy policy = f.policies.get(names.qualifier() == null ? "" : names.qualifier());
        if (policy == null) {
            throw LambdaErrors.notFound("No policy is associated with the given resource.");
        }
        policy.remove(in.string("StatementId"), in.string("RevisionId"));
        return null;
    }

    @AwsOperation("GetPolicy")
    public Struct getPolicy(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        LambdaResourcePolicy policy = f.policies.get(names.qualifier() == null ? "" : names.qualifier());
        if (policy == null || policy.isEmpty()) {
            throw LambdaErrors.notFound("The resource you requested does not exist.");
        }
        return Struct.of("Policy", policy.document(), "RevisionId", policy.revisionId());
    }

    // --- event source mappings (SQS)

    @AwsOperation("CreateEventSourceMapping")
    public Struct createEventSourceMapping(Call call, Struct in) {
        String source = in.string("EventSourceArn");
        if (StreamMappings.isStreamArn(source)) {
            return createStreamMapping(call, in);
        }
        java.util.regex.Matcher m = source == null ? null
                : java.util.regex.Pattern.compile("arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\\d{12}):([\\w-]+(\\.fifo)?)").matcher(source);
        if (m == null || !m.matches()) {
            throw LambdaErrors.invalid("Unsupported event source type: Terrarium maps SQS queues (arn:aws:sqs:...) to functions.");
        }
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        EventSourceMapping esm = new EventSourceMapping(java.util.UUID.randomUUID().toString(), call.account(), call.region(),
                source, call.endpoint() + "/" + m.group(2) + "/" + m.group(3));
        esm.functionName = f.name;
        esm.qualifier = names.qualifier();
        esm.functionArn = names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier();
        esm.enabled = in.bool("Enabled", true);
        configureMapping(esm, in, m.group(4) != null);
        checkNoDuplicate(esm, "An event source mapping with SQS arn (\" " + source + " \") and function (\" " + f.name
                + " \") already exists. Please update or delete the existing mapping with UUID ");
        esm.lastModified = clock.now();
        mappings.put(esm.uuid, esm);
        Struct out = esm.describe();
        esm.state = esm.enabled ? "Enabled" : "Disabled";
        start(esm, new SqsPoller(esm, new PeerSqsClient(peers), this::target, invoker));
        return out;
    }

    private void start(EventSourceMapping esm, MappingPoller poller) {
        pollers.put(esm.uuid, poller);
        Thread t = new Thread(poller, "lambda-poller-" + esm.uuid);
        t.setDaemon(true);
        t.start();
    }

    /** One mapping per source and function, as Lambda allows (messageStart + the existing UUID). */
    private void checkNoDuplicate(EventSourceMapping esm, String messageStart) {
        for (EventSourceMapping other : mappings.values()) {
            if (other.eventSourceArn.equals(esm.eventSourceArn) && other.functionArn.equals(esm.functionArn)
                    && other.account.equals(esm.account)) {
                throw LambdaErrors.conflict(messageStart + other.uuid);
            }
        }
    }

    /** A DynamoDB stream mapping: read directly from the DynamoDB state, from TRIM_HORIZON or LATEST. */
    private Struct createStreamMapping(Call call, Struct in) {
        FunctionNames names = names(call, in);
        LambdaFunction f = functions.require(call.account(), call.region(), names);
        String source = in.string("EventSourceArn");
        EventSourceMapping esm = new EventSourceMapping(java.util.UUID.randomUUID().toString(), call.account(), call.region(),
                source, call.endpoint() + "/");
        esm.functionName = f.name;
        esm.qualifier = names.qualifier();
        esm.functionArn = names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier();
        esm.enabled = in.bool("Enabled", true);
        streams.create(esm, in);
        checkNoDuplicate(esm, "The event source arn (\" " + source + " \") and function (\" " + f.name
                + " \") provided mapping already exists. Please update or delete the existing mapping with UUID ");
        esm.lastModified = clock.now();
        mappings.put(esm.uuid, esm);
        Struct out = esm.describe();
        esm.state = esm.enabled ? "Enabled" : "Disabled";
        start(esm, new StreamPoller(esm, streams, this::target, invoker, eventInvokes.destinations(), clock));
        return out;
    }

    private static void configureMapping(EventSourceMapping esm, Struct in, boolean fifo) {
        int batch = in.integer("BatchSize", esm.batchSize == 0 ? 10 : esm.batchSize);
        int window = in.integer("MaximumBatchingWindowInSeconds", esm.batchingWindowSeconds);
        if (batch < 1 || batch > (fifo ? 10 : 10000)) {
            throw LambdaErrors.invalid("BatchSize must be between 1 and " + (fifo ? 10 : 10000) + " for this event source.");
        }
        if (batch > 10 && window < 1) {
            throw LambdaErrors.invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        }
        if (window < 0 || window > 300) {
            throw LambdaErrors.invalid("MaximumBatchingWindowInSeconds must be between 0 and 300.");
        }
        esm.batchSize = batch;
        esm.batchingWindowSeconds = window;
        if (in.strings("FunctionResponseTypes") != null) {
            esm.functionResponseTypes = List.copyOf(in.strings("FunctionResponseTypes"));
        }
        Struct destinations = in.struct("DestinationConfig");
        if (destinations != null && !destinations.isEmpty()) {
            throw LambdaErrors.invalid("Unsupported DestinationConfig parameter for given event source mapping type.");
        }
        if (in.has("FilterCriteria")) {
            esm.filters = EventFilters.parse(in.struct("FilterCriteria"));
        }
    }

    /** The function version a mapping's next batch goes to. */
    private Invoker.Target target(EventSourceMapping esm) {
        LambdaFunction f = functions.require(esm.account, esm.region, new FunctionNames(esm.functionName, esm.qualifier));
        FunctionVersion v = f.version(esm.qualifier, random());
        if (v == null) {
            throw LambdaErrors.functionNotFound(esm.functionArn);
        }
        String endpoint = esm.queueUrl.substring(0, esm.queueUrl.indexOf('/', "http://".length()));
        return new Invoker.Target(esm.account, esm.region, f, v, esm.functionArn, endpoint);
    }

    private EventSourceMapping mapping(Call call, String uuid) {
        EventSourceMapping esm = uuid == null ? null : mappings.get(uuid);
        if (esm == null || !esm.account.equals(call.account()) || !esm.region.equals(call.region())) {
            throw LambdaErrors.notFound("The resource you requested does not exist.");
        }
        return esm;
    }

    @AwsOperation("GetEventSourceMapping")
    public Struct getEventSourceMapping(Call call, Struct in) {
        return mapping(call, in.string("UUID")).describe();
    }

    @AwsOperation("UpdateEventSourceMapping")
    public Struct updateEventSourceMapping(Call call, Struct in) {
        EventSourceMapping esm = mapping(call, in.string("UUID"));
        synchronized (esm) {
            if (in.string("FunctionName") != null) {
                FunctionNames names = names(call, in);
                LambdaFunction f = functions.require(call.account(), call.region(), names);
                esm.functionName = f.name;
                esm.qualifier = names.qualifier();
                esm.functionArn = names.qualifier() == null ? f.arn : f.arn + ":" + names.qualifier();
            }
            if (esm.isStream()) {
                StreamMappings.configure(esm, in);
            } else {
                configureMapping(esm, in, esm.eventSourceArn.endsWith(".fifo"));
            }
            if (in.bool("Enabled") != null) {
                esm.enabled = in.bool("Enabled");
                esm.state = esm.enabled ? "Enabled" : "Disabled";
            }
            esm.lastModified = clock.now();
        }
        return esm.describe();
    }

    @AwsOperation("DeleteEventSourceMapping")
    public Struct deleteEventSourceMapping(Call call, Struct in) {
        EventSourceMapping esm = mapping(call, in.string("UUID"));
        mappings.remove(esm.uuid);
        MappingPoller poller = pollers.remove(esm.uuid);
        if (poller != null) {
            poller.stop();
        }
        esm.state = "Deleting";
        return esm.describe();
    }

    @AwsOperation("ListEventSourceMappings")
    public Struct listEventSourceMappings(Call call, Struct in) {
        String source = in.string("EventSourceArn");
        String fn = in.string("FunctionName");
        String fnName = fn == null ? null : FunctionNames.parse(fn, call.account(), call.region(), null).name();
        List<EventSourceMapping> matching = mappings.values().stream()
                .filter(e -> e.account.equals(call.account()) && e.region.equals(call.region()))
                .filter(e -> source == null || source.equals(e.eventSourceArn))
                .filter(e -> fnName == null || fnName.equals(e.functionName)).toList();
        Pagination.Page<EventSourceMapping> page = Pagination.page(matching, e -> e.uuid, in.string("Marker"), maxItems(in),
                () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("EventSourceMappings", page.items().stream().map(EventSourceMapping::describe).toList(),
                "NextMarker", page.nextToken());
    }

    // --- tags and concurrency

    private LambdaFunction byArn(Call call, String arn) {
        FunctionNames names = FunctionNames.parse(arn, call.account(), call.region(), null);
        if (!arn.startsWith("arn:")) {
            throw LambdaErrors.invalid("Invalid ARN: " + arn);
        }
        return functions.require(call.account(), call.region(), names);
    }

    /** The tags of a function or of a capacity provider (CapacityProviders). */
    private dev.terrarium.core.service.Tags tagsOf(Call call, String arn) {
        return CapacityProviders.names(arn) ? capacityProviders.tags(call, arn) : byArn(call, arn).tags;
    }

    @AwsOperation("TagResource")
    public Struct tagResource(Call call, Struct in) {
        tagsOf(call, in.string("Resource")).put(in.stringMap("Tags"), "InvalidParameterValueException");
        return null;
    }

    @AwsOperation("UntagResource")
    public Struct untagResource(Call call, Struct in) {
        tagsOf(call, in.string("Resource")).remove(in.strings("TagKeys"));
        return null;
    }

    @AwsOperation("ListTags")
    public Struct listTags(Call call, Struct in) {
        return Struct.of("Tags", tagsOf(call, in.string("Resource")).asMap());
    }

    @AwsOperation("PutFunctionConcurrency")
    public Struct putFunctionConcurrency(Call call, Struct in) {
        LambdaFunction f = function(call, in);
        int reserved = in.integer("ReservedConcurrentExecutions");
        if (reserved < 0 || reserved > Concurrency.ACCOUNT_LIMIT - Concurrency.UNRESERVED_MINIMUM) {
            throw LambdaErrors.invalid("Specified ReservedConcurrentExecutions for function decreases account's "
                    + "UnreservedConcurrentExecution below its minimum value of [" + Concurrency.UNRESERVED_MINIMUM + "].");
        }
        f.reservedConcurrency = reserved;
        return Struct.of("ReservedConcurrentExecutions", reserved);
    }

    @AwsOperation("GetFunctionConcurrency")
    public Struct getFunctionConcurrency(Call call, Struct in) {
        return Struct.of("ReservedConcurrentExecutions", function(call, in).reservedConcurrency);
    }

    @AwsOperation("DeleteFunctionConcurrency")
    public Struct deleteFunctionConcurrency(Call call, Struct in) {
        function(call, in).reservedConcurrency = null;
        return null;
    }

    @AwsOperation("GetAccountSettings")
    public Struct getAccountSettings(Call call, Struct in) {
        int count = functions.in(call.account(), call.region()).size();
        long size = functions.in(call.account(), call.region()).values().stream()
                .mapToLong(f -> f.latest.code.size() + f.versions.values().stream().mapToLong(v -> v.code.size()).sum()).sum();
        return Struct.of("AccountLimit", Struct.of("TotalCodeSize", 80_530_636_800L, "CodeSizeUnzipped", 262_144_000L,
                        "CodeSizeZipped", 52_428_800L, "ConcurrentExecutions", Concurrency.ACCOUNT_LIMIT,
                        "UnreservedConcurrentExecutions", Concurrency.ACCOUNT_LIMIT),
                "AccountUsage", Struct.of("TotalCodeSize", size, "FunctionCount", (long) count));
    }

    static double random() {
        return ThreadLocalRandom.current().nextDouble();
    }
}
