package dev.terrarium.services.lambda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The configuration and code of one version of a function ($LATEST or a published number).
 * Published versions are never changed; $LATEST is replaced by an updated copy on every update.
 */
final class FunctionVersion {
    String functionName;
    String functionArn;
    String version = "$LATEST";
    String runtime;
    String role;
    String handler;
    String description = "";
    int timeout = 3;
    int memorySize = 128;
    int ephemeralStorage = 512;
    Map<String, String> environment = new LinkedHashMap<>();
    List<String> architectures = List.of("x86_64");
    String tracingMode = "PassThrough";
    String logGroup;
    String logFormat = "Text";
    /** DeadLetterConfig.TargetArn: where failed asynchronous events go (SQS queue or SNS topic), or null. */
    String deadLetterTarget;
    String lastModified;
    String revisionId = UUID.randomUUID().toString();
    volatile String state = "Pending";
    volatile String stateReason = "The function is being created.";
    volatile String stateReasonCode = "Creating";
    volatile String lastUpdateStatus;
    DeploymentPackage code;
    /** The image of a PackageType Image function (its code is then empty), or null for a .zip one. */
    ContainerImage image;
    /** Layer versions, extracted in this order into the environment's /opt equivalent. */
    List<LayerVersion> layers = List.of();
    /** CapacityProviderConfig as given (Lambda Managed Instances; see CapacityProviders), or null for default compute. */
    dev.terrarium.core.service.Struct capacityProviderConfig;
    /** FunctionScalingConfig of a published version on a capacity provider (not copied: it is the version's own). */
    volatile dev.terrarium.core.service.Struct scalingConfig;
    /** DurableConfig (ExecutionTimeout, RetentionPeriodInDays) of a durable function, or null. */
    dev.terrarium.core.service.Struct durableConfig;

    FunctionVersion copy() {
        FunctionVersion c = new FunctionVersion();
        c.functionName = functionName;
        c.functionArn = functionArn;
        c.version = version;
        c.runtime = runtime;
        c.role = role;
        c.handler = handler;
        c.description = description;
        c.timeout = timeout;
        c.memorySize = memorySize;
        c.ephemeralStorage = ephemeralStorage;
        c.environment = new LinkedHashMap<>(environment);
        c.architectures = architectures;
        c.tracingMode = tracingMode;
        c.logGroup = logGroup;
        c.logFormat = logFormat;
        c.deadLetterTarget = deadLetterTarget;
        c.lastModified = lastModified;
        c.revisionId = revisionId;
        c.state = state;
        c.stateReason = stateReason;
        c.stateReasonCode = stateReasonCode;
        c.lastUpdateStatus = lastUpdateStatus;
        c.code = code;
        c.image = image;
        c.layers = layers;
        c.capacityProviderConfig = capacityProviderConfig;
        c.durableConfig = durableConfig;
        return c;
    }

    /** The qualified ARN of this version (function ARN + ":" + version). */
    String qualifiedArn() {
        return functionArn + ":" + version;
    }

    void activate() {
        state = "Active";
        stateReason = null;
        stateReasonCode = null;
        lastUpdateStatus = "Successful";
        if (runtime != null && JavaRuntime.handles(runtime)) {
            JavaRuntime.prepare(runtime);
        }
    }
}
