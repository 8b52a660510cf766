package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A function: $LATEST, its published versions, aliases, tags and reserved concurrency. */
final class LambdaFunction {
    final String name;
    final String arn;
    volatile FunctionVersion latest;
    final ConcurrentSkipListMap<Integer, FunctionVersion> versions = new ConcurrentSkipListMap<>();
    final Map<String, Alias> aliases = new ConcurrentSkipListMap<>();
    final Tags tags = new Tags();
    /** Resource policies by qualifier ("" for the unqualified function). */
    final Map<String, FunctionUrl> urls = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, LambdaResourcePolicy> policies = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger lastVersion = new AtomicInteger();
    volatile Integer reservedConcurrency;
    /** Asynchronous invocation settings by qualifier ("$LATEST", a version number or an alias name). */
    final Map<String, EventInvokeConfig> eventInvokeConfigs = new ConcurrentSkipListMap<>();
    /** Provisioned concurrency by qualifier (a version number or an alias name). */
    final Map<String, FunctionSettings.Provisioned> provisionedConcurrency = new ConcurrentSkipListMap<>();
    /** Runtime management settings by qualifier ("$LATEST" or a version number); absent means Auto. */
    final Map<String, FunctionSettings.RuntimeManagement> runtimeManagement = new ConcurrentSkipListMap<>();
    volatile String codeSigningConfigArn;
    volatile String recursiveLoop = "Terminate";
    /** The RevisionId $LATEST had when the last version was published from it. */
    volatile String publishedRevision;

    LambdaFunction(String name, String arn, FunctionVersion latest) {
        this.name = name;
        this.arn = arn;
        this.latest = latest;
    }

    /** The version a qualifier names ($LATEST, a number or an alias), or null. */
    FunctionVersion version(String qualifier, double random) {
        if (qualifier == null || qualifier.equals("$LATEST")) {
            return latest;
        }
        if (qualifier.matches("\\d+")) {
            try {
                return versions.get(Integer.parseInt(qualifier));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        Alias a = aliases.get(qualifier);
        return a == null ? null : version(a.pickVersion(random), random);
    }
}
