package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** FunctionConfiguration and AliasConfiguration structures as Lambda returns them. */
final class FunctionConfigurations {
    private FunctionConfigurations() {
    }

    static Struct of(FunctionVersion v) {
        return Struct.of("FunctionName", v.functionName,
                "FunctionArn", v.version.equals("$LATEST") ? v.functionArn : v.qualifiedArn(),
                "Runtime", v.runtime, "Role", v.role, "Handler", v.handler, "CodeSize", v.code.size(),
                "Description", v.description, "Timeout", v.timeout, "MemorySize", v.memorySize,
                "LastModified", v.lastModified, "CodeSha256", v.code.sha256, "Version", v.version,
                "Environment", v.environment.isEmpty() ? null : Struct.of("Variables", Map.copyOf(v.environment)),
                "TracingConfig", Struct.of("Mode", v.tracingMode), "RevisionId", v.revisionId,
                "State", v.state, "StateReason", v.stateReason, "StateReasonCode", v.stateReasonCode,
                "LastUpdateStatus", v.lastUpdateStatus, "PackageType", v.image == null ? "Zip" : "Image",
                "ImageConfigResponse", v.image == null ? null : v.image.imageConfigResponse(),
                "Architectures", new ArrayList<>(v.architectures),
                "EphemeralStorage", Struct.of("Size", v.ephemeralStorage),
                "SnapStart", Struct.of("ApplyOn", "None", "OptimizationStatus", "Off"),
                "LoggingConfig", Struct.of("LogFormat", v.logFormat, "LogGroup", v.logGroup),
                "DeadLetterConfig", v.deadLetterTarget == null ? null : Struct.of("TargetArn", v.deadLetterTarget),
                "Layers", v.layers.isEmpty() ? null : v.layers.stream().map(LayerVersion::functionLayer).toList(),
                "CapacityProviderConfig", v.capacityProviderConfig,
                "DurableConfig", v.durableConfig == null ? null : v.durableConfig.copy());
    }

    static Struct alias(Alias a) {
        Map<String, Double> weights = a.additionalWeights;
        return Struct.of("AliasArn", a.arn, "Name", a.name, "FunctionVersion", a.functionVersion,
                "Description", a.description == null ? "" : a.description,
                "RoutingConfig", weights == null || weights.isEmpty() ? null : Struct.of("AdditionalVersionWeights", weights),
                "RevisionId", a.revisionId);
    }

    static List<Struct> all(List<FunctionVersion> versions) {
        return versions.stream().map(FunctionConfigurations::of).toList();
    }
}
