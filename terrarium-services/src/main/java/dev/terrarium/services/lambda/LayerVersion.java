package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;

/** One published version of a layer: its content (a .zip like a deployment package), metadata and permissions. */
final class LayerVersion {
    final String account;
    final String region;
    final String layerName;
    final String layerArn;
    final int version;
    final DeploymentPackage content;
    final String createdDate;
    String description = "";
    List<String> compatibleRuntimes = List.of();
    List<String> compatibleArchitectures = List.of();
    String licenseInfo;
    final LambdaResourcePolicy policy = new LambdaResourcePolicy();

    LayerVersion(String account, String region, String layerName, int version, DeploymentPackage content,
                 String createdDate) {
        this.account = account;
        this.region = region;
        this.layerName = layerName;
        this.layerArn = "arn:aws:lambda:" + region + ":" + account + ":layer:" + layerName;
        this.version = version;
        this.content = content;
        this.createdDate = createdDate;
    }

    String arn() {
        return layerArn + ":" + version;
    }

    boolean matches(String runtime, String architecture) {
        return (runtime == null || compatibleRuntimes.contains(runtime))
                && (architecture == null || compatibleArchitectures.contains(architecture));
    }

    /** The members of LayerVersionsListItem. */
    Struct listItem() {
        return Struct.of("LayerVersionArn", arn(), "Version", (long) version, "Description", description,
                "CreatedDate", createdDate,
                "CompatibleRuntimes", compatibleRuntimes.isEmpty() ? null : new ArrayList<>(compatibleRuntimes),
                "LicenseInfo", licenseInfo,
                "CompatibleArchitectures", compatibleArchitectures.isEmpty() ? null : new ArrayList<>(compatibleArchitectures));
    }

    /** GetLayerVersion's and PublishLayerVersion's answer (Location: a download URL, see CodeLocations). */
    Struct describe(Call call) {
        Struct out = Struct.of("Content", Struct.of("Location", CodeLocations.layer(call, layerName, version),
                        "CodeSha256", content.sha256, "CodeSize", content.size()),
                "LayerArn", layerArn);
        listItem().asMap().forEach(out::put);
        return out;
    }

    /** The Layer structure of a function configuration. */
    Struct functionLayer() {
        return Struct.of("Arn", arn(), "CodeSize", content.size());
    }
}
