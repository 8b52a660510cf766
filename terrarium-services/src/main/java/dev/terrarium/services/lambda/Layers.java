package dev.terrarium.services.lambda;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.s3.S3Service;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda layers: PublishLayerVersion, Get/List/Delete, and the layer version's resource policy
 * (Add/RemoveLayerVersionPermission, GetLayerVersionPolicy). Functions name up to five layer versions;
 * {@link #resolve} checks them, and the invoker extracts them into the environment's /opt equivalent.
 */
final class Layers {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final Pattern LAYER_ARN =
            Pattern.compile("arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\\d{12}):layer:([a-zA-Z0-9-_]+)");
    private static final Pattern VERSION_ARN =
            Pattern.compile("arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)");
    static final int MAX_FUNCTION_LAYERS = 5;

    /** A layer: its versions by number; numbers are never reused, even after a delete. */
    private static final class Layer {
        final ConcurrentSkipListMap<Integer, LayerVersion> versions = new ConcurrentSkipListMap<>();
        final AtomicInteger last = new AtomicInteger();
    }

    private final Clock clock;
    private final Peers peers;
    /** Layers by their ARN (without version). */
    private final Map<String, Layer> layers = new ConcurrentSkipListMap<>();

    Layers(Clock clock, Peers peers) {
        this.clock = clock;
        this.peers = peers;
    }

    void reset() {
        layers.clear();
    }

    /** The layer ARN a LayerName (name or ARN) stands for, in the caller's account and region for a name. */
    private static String layerArn(Call call, String nameOrArn) {
        Matcher m = LAYER_ARN.matcher(nameOrArn);
        if (m.matches()) {
            return nameOrArn;
        }
        return "arn:aws:lambda:" + call.region() + ":" + call.account() + ":layer:" + nameOrArn;
    }

    private static String nameOf(String layerArn) {
        return layerArn.substring(layerArn.lastIndexOf(':') + 1);
    }

    private LayerVersion find(String layerArn, long version) {
        Layer layer = layers.get(layerArn);
        return layer == null || version > Integer.MAX_VALUE ? null : layer.versions.get((int) version);
    }

    /** The content (zip) of a layer version, or null (for its Location URL). */
    byte[] content(String account, String region, String name, long version) {
        LayerVersion v = find("arn:aws:lambda:" + region + ":" + account + ":layer:" + name, version);
        return v == null ? null : v.content.zip;
    }

    private LayerVersion require(Call call, Struct in) {
        LayerVersion v = find(layerArn(call, in.string("LayerName")), in.longValue("VersionNumber"));
        if (v == null) {
            throw LambdaErrors.notFound("The resource you requested does not exist.");
        }
        return v;
    }

    @AwsOperation("PublishLayerVersion")
    public Struct publishLayerVersion(Call call, Struct in) {
        String arn = layerArn(call, in.string("LayerName"));
        Matcher m = LAYER_ARN.matcher(arn);
        if (!m.matches() || !m.group(1).equals(call.region()) || !m.group(2).equals(call.account())) {
            throw LambdaErrors.invalid("Layers can only be published in the caller's account and region: " + arn);
        }
        Struct content = in.struct("Content");
        byte[] zip = content.blob("ZipFile");
        if (zip == null && content.string("S3Bucket") != null) {
            zip = S3Code.fetch(peers.find("s3", S3Service.class), content.string("S3Bucket"), content.string("S3Key"),
                    content.string("S3ObjectVersion"));
        }
        DeploymentPackage code = DeploymentPackage.of(zip);
        Layer layer = layers.computeIfAbsent(arn, k -> new Layer());
        LayerVersion v = new LayerVersion(call.account(), call.region(), nameOf(arn), layer.last.incrementAndGet(), code,
                DATE.format(clock.now()));
        v.description = in.string("Description", "");
        v.licenseInfo = in.string("LicenseInfo");
        if (in.strings("CompatibleRuntimes") != null) {
            v.compatibleRuntimes = List.copyOf(in.strings("CompatibleRuntimes"));
        }
        if (in.strings("CompatibleArchitectures") != null) {
            v.compatibleArchitectures = List.copyOf(in.strings("CompatibleArchitectures"));
        }
        layer.versions.put(v.version, v);
        return v.describe(call);
    }

    @AwsOperation("GetLayerVersion")
    public Struct getLayerVersion(Call call, Struct in) {
        return require(call, in).describe(call);
    }

    @AwsOperation("GetLayerVersionByArn")
    public Struct getLayerVersionByArn(Call call, Struct in) {
        Matcher m = VERSION_ARN.matcher(in.string("Arn"));
        LayerVersion v = m.matches() ? find(in.string("Arn").substring(0, in.string("Arn").lastIndexOf(':')),
                Long.parseLong(m.group(4))) : null;
        if (v == null) {
            throw LambdaErrors.notFound("The resource you requested does not exist.");
        }
        return v.describe(call);
    }

    @AwsOperation("ListLayerVersions")
    public Struct listLayerVersions(Call call, Struct in) {
        Layer layer = layers.get(layerArn(call, in.string("LayerName")));
        String runtime = in.string("CompatibleRuntime");
        String arch = in.string("CompatibleArchitecture");
        List<LayerVersion> matching = layer == null ? List.of() : layer.versions.descendingMap().values().stream()
                .filter(v -> v.matches(runtime, arch)).toList();
        Pagination.Page<LayerVersion> page = Pagination.page(matching, v -> String.format("%010d", Integer.MAX_VALUE - v.version),
                in.string("Marker"), maxItems(in), () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("LayerVersions", page.items().stream().map(LayerVersion::listItem).toList(),
                "NextMarker", page.nextToken());
    }

    @AwsOperation("ListLayers")
    public Struct listLayers(Call call, Struct in) {
        String runtime = in.string("CompatibleRuntime");
        String arch = in.string("CompatibleArchitecture");
        String prefix = "arn:aws:lambda:" + call.region() + ":" + call.account() + ":layer:";
        List<Struct> items = new ArrayList<>();
        layers.forEach((arn, layer) -> {
            if (!arn.startsWith(prefix)) {
                return;
            }
            layer.versions.descendingMap().values().stream().filter(v -> v.matches(runtime, arch)).findFirst()
                    .ifPresent(v -> items.add(Struct.of("LayerName", v.layerName, "LayerArn", v.layerArn,
                            "LatestMatchingVersion", v.listItem())));
        });
        Pagination.Page<Struct> page = Pagination.page(items, s -> s.string("LayerName"), in.string("Marker"), maxItems(in),
                () -> LambdaErrors.invalid("Invalid Marker."));
        return Struct.of("Layers", page.items(), "NextMarker", page.nextToken());
    }

    private static int maxItems(Struct in) {
        return in.integer("MaxItems", 50);
    }

    /** Deleting is idempotent, as in AWS; functions that use the version keep their copy of it. */
    @AwsOperation("DeleteLayerVersion")
    public Struct deleteLayerVersion(Call call, Struct in) {
        Layer layer = layers.get(layerArn(call, in.string("LayerName")));
        long n = in.longValue("VersionNumber");
        if (layer != null && n <= Integer.MAX_VALUE) {
            layer.versions.remove((int) n);
        }
        return null;
    }

    @AwsOperation("AddLayerVersionPermission")
    public Struct addLayerVersionPermission(Call call, Struct in) {
        LayerVersion v = require(call, in);
        String principal = in.string("Principal");
        if (in.string("OrganizationId") != null && !principal.equals("*")) {
            throw LambdaErrors.invalid("OrganizationId can only be specified when Principal is '*'.");
        }
        Map<String, Object> statement = v.policy.add(in.string("StatementId"), in.string("Action"), principal, v.arn(),
                null, null, in.string("OrganizationId"), in.string("RevisionId"));
        return Struct.of("Statement", LambdaResourcePolicy.json(statement), "RevisionId", v.policy.revisionId());
    }

    @AwsOperation("RemoveLayerVersionPermission")
    public Struct removeLayerVersionPermission(Call call, Struct in) {
        LayerVersion v = require(call, in);
        if (v.policy.isEmpty()) {
            throw LambdaErrors.notFound("No policy is associated with the given resource.");
        }
        v.policy.remove(in.string("StatementId"), in.string("RevisionId"));
        return null;
    }

    @AwsOperation("GetLayerVersionPolicy")
    public Struct getLayerVersionPolicy(Call call, Struct in) {
        LayerVersion v = require(call, in);
        if (v.policy.isEmpty()) {
            throw LambdaErrors.notFound("No policy is associated with the given resource.");
        }
        return Struct.of("Policy", v.policy.document(), "RevisionId", v.policy.revisionId());
    }

    /**
     * The layer versions a function's Layers member names, checked as Lambda does: at most five, each existing,
     * in the function's region, usable by the caller's account, and no two versions of the same layer.
     */
    List<LayerVersion> resolve(Call call, List<String> arns) {
        if (arns == null) {
            return null;
        }
        if (arns.size() > MAX_FUNCTION_LAYERS) {
            throw LambdaErrors.invalid("Cannot reference more than " + MAX_FUNCTION_LAYERS + " layers.");
        }
        Map<String, String> seen = new HashMap<>();
        List<LayerVersion> out = new ArrayList<>();
        for (String arn : arns) {
            Matcher m = VERSION_ARN.matcher(arn);
            if (!m.matches()) {
                throw LambdaErrors.invalid("Layer version arn " + arn + " is not valid.");
            }
            String layerArn = arn.substring(0, arn.lastIndexOf(':'));
            String other = seen.putIfAbsent(layerArn, arn);
            if (other != null) {
                throw LambdaErrors.invalid("Two different versions of the same layer are not allowed to be referenced in "
                        + "the same function. " + other + " and " + arn + " are versions of the same layer.");
            }
            LayerVersion v = find(layerArn, Long.parseLong(m.group(4)));
            boolean foreign = !m.group(2).equals(call.account());
            if (!m.group(1).equals(call.region()) || (foreign && (v == null || !v.policy.allowsAccount(call.account())))) {
                throw new AwsException("AccessDeniedException", "User: arn:aws:iam::" + call.account()
                        + ":root is not authorized to perform: lambda:GetLayerVersion on resource: " + arn
                        + " because no resource-based policy allows the lambda:GetLayerVersion action", 403);
            }
            if (v == null) {
                throw LambdaErrors.invalid("Layer version " + arn + " does not exist.");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }
}
