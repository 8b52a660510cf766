package dev.terrarium.core.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decision as JSON: the shape DecodeAuthorizationMessage answers in AWS (allowed, explicitDeny,
 * matchedStatements, failures, context) plus Terrarium's full statement trace.
 */
public final class DecisionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecisionJson() {
    }

    public static Map<String, Object> toMap(Decision d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("allowed", d.allowed());
        out.put("explicitDeny", d.outcome() == Decision.Outcome.EXPLICIT_DENY);
        List<Object> matched = new ArrayList<>();
        List<Object> trace = new ArrayList<>();
        for (TraceEntry t : d.trace()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("policyType", t.policyType());
            e.put("policyName", t.policyName());
            e.put("statementIndex", t.statement());
            if (t.sid() != null) {
                e.put("sid", t.sid());
            }
            e.put("effect", t.effect() == Effect.ALLOW ? "Allow" : "Deny");
            e.put("matched", t.matched());
            e.put("detail", t.detail());
            trace.add(e);
            if (t.matched()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("statementId", t.sid() == null ? "" : t.sid());
                m.put("effect", t.effect() == Effect.ALLOW ? "ALLOW" : "DENY");
                m.put("policy", t.policyName());
                m.put("policyType", t.policyType());
                matched.add(m);
            }
        }
        out.put("matchedStatements", Map.of("items", matched));
        out.put("failures", Map.of("items", List.of()));
        AuthorizationRequest r = d.request();
        Map<String, Object> context = new LinkedHashMap<>();
        Map<String, Object> principal = new LinkedHashMap<>();
        principal.put("arn", r.principal().arn());
        if (r.principal().account() != null) {
            principal.put("account", r.principal().account());
        }
        context.put("principal", principal);
        context.put("action", r.action());
        context.put("resource", r.resource());
        List<Object> conditions = new ArrayList<>();
        r.context().asMap().forEach((k, vals) -> {
            List<Object> items = new ArrayList<>();
            vals.forEach(v -> items.add(Map.of("value", v)));
            conditions.add(Map.of("key", k, "values", Map.of("items", items)));
        });
        context.put("conditions", Map.of("items", conditions));
        out.put("context", context);
        out.put("decision", d.outcome().name());
        if (!d.allowed()) {
            out.put("reason", d.reason());
            out.put("message", d.message());
        }
        out.put("trace", trace);
        return out;
    }

    public static String toJson(Decision d) {
        try {
            return JSON.writeValueAsString(toMap(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
