package dev.terrarium.services.lambda;

import java.util.Map;
import java.util.UUID;

/** A function alias: a name for a version, optionally with weighted routing to a second version. */
final class Alias {
    final String name;
    final String arn;
    volatile String functionVersion;
    volatile String description;
    volatile Map<String, Double> additionalWeights;
    volatile String revisionId = UUID.randomUUID().toString();

    Alias(String name, String arn, String functionVersion, String description, Map<String, Double> additionalWeights) {
        this.name = name;
        this.arn = arn;
        this.functionVersion = functionVersion;
        this.description = description;
        this.additionalWeights = additionalWeights;
    }

    /** The version one invocation runs: the additional version with its weight's probability, else the main one. */
    String pickVersion(double random) {
        Map<String, Double> weights = additionalWeights;
        if (weights != null) {
            double acc = 0;
            for (Map.Entry<String, Double> e : weights.entrySet()) {
                acc += e.getValue();
                if (random < acc) {
                    return e.getKey();
                }
            }
        }
        return functionVersion;
    }
}
