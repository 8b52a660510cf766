package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A table's settings that UpdateTable and the other control-plane calls change; state kept as AWS reports it. */
public final class TableSettings {
    volatile List<Struct> attributeDefinitions;
    volatile String billingMode = "PROVISIONED";
    volatile Struct provisionedThroughput;
    volatile Instant billingModeChanged;
    volatile Struct streamSpecification;
    volatile Struct sseSpecification;
    volatile String tableClass = "STANDARD";
    volatile boolean deletionProtection;
    volatile String ttlAttribute;
    volatile boolean ttlEnabled;
    volatile boolean pointInTimeRecovery;
    volatile Integer recoveryPeriodInDays;
    volatile Instant pitrEnabledAt;
    volatile String resourcePolicy;
    volatile String resourcePolicyRevision;
    volatile String contributorInsights = "DISABLED";
    volatile Struct onDemandThroughput;
    volatile Struct warmThroughput;
    final Map<String, Struct> kinesisDestinations = new ConcurrentHashMap<>();
    final Map<String, String> indexContributorInsights = new ConcurrentHashMap<>();
    final Tags tags = new Tags();
    /** UpdateTableReplicaAutoScaling's settings: "read", "write", "index-read/NAME", "index-write/NAME". */
    final Map<String, Struct> autoScaling = new ConcurrentHashMap<>();

    public List<Struct> attributeDefinitions() { return attributeDefinitions; }

    synchronized void addAttributeDefinitions(List<Struct> defs) {
        List<Struct> merged = new ArrayList<>(attributeDefinitions);
        for (Struct d : defs) {
            boolean known = merged.stream().anyMatch(m -> m.string("AttributeName").equals(d.string("AttributeName")));
            if (!known) {
                merged.add(d);
            }
        }
        attributeDefinitions = List.copyOf(merged);
    }

    public String billingMode() { return billingMode; }
    public boolean deletionProtection() { return deletionProtection; }
    public String ttlAttribute() { return ttlEnabled ? ttlAttribute : null; }
}
