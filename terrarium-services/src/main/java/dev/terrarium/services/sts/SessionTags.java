package dev.terrarium.services.sts;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The rules AWS applies to session tags: unique keys (ignoring case), transitive keys among them. */
final class SessionTags {
    private SessionTags() {
    }

    static void check(Struct in) {
        List<Struct> tags = in.structs("Tags");
        Set<String> keys = new HashSet<>();
        if (tags != null) {
            for (Struct tag : tags) {
                if (!keys.add(tag.string("Key").toLowerCase(Locale.ROOT))) {
                    throw new AwsException("InvalidParameterValue",
                            "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
                }
            }
        }
        List<String> transitive = in.strings("TransitiveTagKeys");
        if (transitive != null) {
            for (String key : transitive) {
                if (!keys.contains(key.toLowerCase(Locale.ROOT))) {
                    throw new AwsException("InvalidParameterValue",
                            "The specified transitive tag key must be included in the requested tags.");
                }
            }
        }
    }
}
