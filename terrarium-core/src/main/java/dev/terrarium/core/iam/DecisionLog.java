package dev.terrarium.core.iam;

import java.util.LinkedHashMap;
import java.util.Map;

/** The latest authorization decisions by request id, for GET /_terrarium/iam/explain. */
public final class DecisionLog {
    private static final int CAPACITY = 1000;
    private final Map<String, Map<String, Object>> byRequest = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > CAPACITY;
        }
    };
    private String last;

    public synchronized void record(String requestId, Map<String, Object> decision) {
        byRequest.put(requestId, decision);
        last = requestId;
    }

    /** The decision of that request (the latest one when requestId is null), or null. */
    public synchronized Map<String, Object> find(String requestId) {
        return byRequest.get(requestId == null ? last : requestId);
    }
}
