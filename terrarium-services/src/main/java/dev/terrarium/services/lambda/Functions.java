package dev.terrarium.services.lambda;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** All functions, per account and region. */
final class Functions {
    private final Map<String, ConcurrentSkipListMap<String, LambdaFunction>> byScope = new ConcurrentHashMap<>();

    ConcurrentSkipListMap<String, LambdaFunction> in(String account, String region) {
        return byScope.computeIfAbsent(account + "/" + region, k -> new ConcurrentSkipListMap<>());
    }

    LambdaFunction require(String account, String region, FunctionNames name) {
        LambdaFunction f = in(account, region).get(name.name());
        if (f == null) {
            throw LambdaErrors.functionNotFound(arn(account, region, name.name())
                    + (name.qualifier() == null ? "" : ":" + name.qualifier()));
        }
        return f;
    }

    Collection<ConcurrentSkipListMap<String, LambdaFunction>> scopes() {
        return byScope.values();
    }

    static String arn(String account, String region, String name) {
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
    }

    void clear() {
        byScope.clear();
    }
}
