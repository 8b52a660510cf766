package dev.terrarium.services.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.terrarium.core.iam.AuthorizationRequest;
import dev.terrarium.core.iam.ContextKeys;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyEvaluator;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.Principal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A function's (or qualifier's) resource-based policy, built from AddPermission statements as Lambda writes them. */
final class LambdaResourcePolicy {
    private final Map<String, Map<String, Object>> statements = new LinkedHashMap<>();
    private String revisionId = UUID.randomUUID().toString();
    /** The statements parsed by the policy engine, until they change. */
    private Policy parsed;

    synchronized Map<String, Object> add(String sid, String action, String principal, String resource, String sourceArn,
                                         String sourceAccount, String orgId, String revision) {
        return add(sid, action, principal, resource, sourceArn, sourceAccount, orgId, revision, null, null);
    }

    /**
     * A statement as AddPermission writes it; functionUrlAuthType (NONE, AWS_IAM) becomes the condition
     * lambda:FunctionUrlAuthType, invokedViaFunctionUrl the condition lambda:InvokedViaFunctionUrl.
     */
    synchronized Map<String, Object> add(String sid, String action, String principal, String resource, String sourceArn,
                                         String sourceAccount, String orgId, String revision, String functionUrlAuthType,
                                         Boolean invokedViaFunctionUrl) {
        checkRevision(revision);
        if (statements.containsKey(sid)) {
            throw LambdaErrors.conflict("The statement id (" + sid + ") provided already exists. Please provide a new "
                    + "statement id, or remove the existing statement.");
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Sid", sid);
        s.put("Effect", "Allow");
        s.put("Principal", principal(principal));
        s.put("Action", action.contains(":") ? action : "lambda:" + action);
        s.put("Resource", resource);
        Map<String, Object> condition = new LinkedHashMap<>();
        if (sourceAccount != null || orgId != null || functionUrlAuthType != null) {
            Map<String, Object> eq = new LinkedHashMap<>();
            if (sourceAccount != null) {
                eq.put("AWS:SourceAccount", sourceAccount);
            }
            if (orgId != null) {
                eq.put("aws:PrincipalOrgID", orgId);
            }
            if (functionUrlAuthType != null) {
                eq.put("lambda:FunctionUrlAuthType", functionUrlAuthType);
            }
            condition.put("StringEquals", eq);
        }
        if (sourceArn != null) {
            condition.put("ArnLike", Map.of("AWS:SourceArn", sourceArn));
        }
        if (invokedViaFunctionUrl != null) {
            condition.put("Bool", Map.of("lambda:InvokedViaFunctionUrl", invokedViaFunctionUrl.toString()));
        }
        if (!condition.isEmpty()) {
            s.put("Condition", condition);
        }
        statements.put(sid, s);
        revisionId = UUID.randomUUID().toString();
        parsed = null;
        return s;
    }

    synchronized void remove(String sid, String revision) {
        checkRevision(revision);
        if (statements.remove(sid) == null) {
            throw LambdaErrors.notFound("Statement " + sid + " is not found in resource policy.");
        }
        revisionId = UUID.randomUUID().toString();
        parsed = null;
    }

    synchronized boolean isEmpty() { return statements.isEmpty(); }

    /** Whether a statement allows an account (by id, root ARN or "*"), as layer version policies grant use. */
    synchronized boolean allowsAccount(String account) {
        for (Map<String, Object> s : statements.values()) {
            Object p = s.get("Principal");
            if ("*".equals(p) || (p instanceof Map<?, ?> m && ("arn:aws:iam::" + account + ":root").equals(m.get("AWS")))) {
                return true;
            }
        }
        return false;
    }

    synchronized String revisionId() { return revisionId; }

    /**
     * The statements as a policy of the core engine, parsed once per revision (IAM enforcement asks on every
     * request); null when there are none.
     */
    synchronized Policy policy() {
        if (statements.isEmpty()) {
            return null;
        }
        if (parsed == null) {
            try {
                parsed = Policy.of("function-policy", document(), PolicyKind.RESOURCE);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return parsed;
    }

    /**
     * Whether this policy lets anyone call a function URL of AuthType NONE on the resource (the function's or a
     * qualifier's ARN): lambda:InvokeFunctionUrl and lambda:InvokeFunction for Principal "*", condition keys
     * lambda:FunctionUrlAuthType NONE, lambda:InvokedViaFunctionUrl and lambda:FunctionArn, evaluated by the IAM
     * policy engine as AWS does for such a URL.
     */
    synchronized boolean allowsPublicUrl(String resource, String account) {
        Policy policy = policy();
        if (policy == null) {
            return false;
        }
        ContextKeys keys = new ContextKeys().put("lambda:FunctionUrlAuthType", "NONE")
                .put("lambda:FunctionArn", resource).put("lambda:InvokedViaFunctionUrl", "true");
        // since October 2025 a public URL needs both actions granted (AWS's "Control access to function URLs")
        for (String action : List.of("lambda:InvokeFunctionUrl", "lambda:InvokeFunction")) {
            AuthorizationRequest request = new AuthorizationRequest(Principal.anonymous(), action, resource)
                    .context(keys).resourcePolicy(policy, account).requireResourcePolicy();
            if (!PolicyEvaluator.evaluate(request).allowed()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether this policy lets an AWS service principal invoke the resource (a function's or qualifier's ARN) for a
     * source resource and account, as the IAM policy engine evaluates lambda:InvokeFunction with aws:SourceArn and
     * aws:SourceAccount (an AddPermission with --source-arn / --source-account).
     */
    synchronized boolean allowsService(String servicePrincipal, String resource, String account, String sourceArn,
                                       String sourceAccount) {
        Policy policy = policy();
        if (policy == null) {
            return false;
        }
        ContextKeys keys = new ContextKeys();
        if (sourceArn != null) {
            keys.put("aws:SourceArn", sourceArn);
        }
        if (sourceAccount != null) {
            keys.put("aws:SourceAccount", sourceAccount);
        }
        AuthorizationRequest request = new AuthorizationRequest(Principal.service(servicePrincipal),
                "lambda:InvokeFunction", resource).context(keys).resourcePolicy(policy, account).requireResourcePolicy();
        return PolicyEvaluator.evaluate(request).allowed();
    }

    synchronized String document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Id", "default");
        doc.put("Statement", new ArrayList<>(statements.values()));
        return json(doc);
    }

    static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkRevision(String revision) {
        if (revision != null && !revision.equals(revisionId)) {
            throw LambdaErrors.preconditionFailed();
        }
    }

    private static Object principal(String p) {
        if (p.equals("*")) {
            return "*";
        }
        if (p.endsWith(".amazonaws.com") || p.endsWith(".amazonaws.com.cn")) {
            return Map.of("Service", p);
        }
        if (p.matches("\\d{12}")) {
            return Map.of("AWS", "arn:aws:iam::" + p + ":root");
        }
        if (p.startsWith("arn:")) {
            return Map.of("AWS", p);
        }
        throw LambdaErrors.invalid("The provided principal was invalid. Please check the principal and try again.");
    }
}
