package dev.terrarium.core.iam;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * IAM's policy grammar and the MalformedPolicyDocument messages it answers, checked in AWS's order:
 * syntax, version, legacy parsing (Effect case, dates, resource shapes), unique Sids, actions,
 * resources, resource formats, action prefixes.
 */
final class PolicyParser {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Principal", "NotPrincipal", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern VENDOR = Pattern.compile("[a-zA-Z0-9\\-.]+");
    private static final List<String> IAM_RESOURCE_TYPES = List.of("user/", "federated-user/", "role/", "group/",
            "instance-profile/", "mfa/", "server-certificate/", "policy/", "sms-mfa/", "saml-provider/",
            "oidc-provider/", "report/", "access-report/");

    static final String SYNTAX = "Syntax errors in policy.";

    private PolicyParser() {
    }

    static PolicyDocument parse(String text, PolicyKind kind) {
        if (text == null || text.isBlank()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException(SYNTAX);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        List<JsonNode> rawStatements = syntax(root, kind);
        String version = root.has("Version") ? root.get("Version").asText() : null;
        if (kind == PolicyKind.IDENTITY && !PolicyDocument.CURRENT_VERSION.equals(version)) {
            throw new MalformedPolicyException("Policy document must be version 2012-10-17 or greater.");
        }
        legacy(rawStatements);
        uniqueSids(rawStatements);
        List<Statement> statements = new ArrayList<>();
        for (JsonNode s : rawStatements) {
            statements.add(statement(s, kind));
        }
        String id = root.has("Id") ? root.get("Id").asText() : null;
        return new PolicyDocument(version, id, List.copyOf(statements));
    }

    // --- syntax: shapes and element names

    private static List<JsonNode> syntax(JsonNode root, PolicyKind kind) {
        Iterator<String> names = root.fieldNames();
        while (names.hasNext()) {
            if (!TOP.contains(names.next())) {
                throw new MalformedPolicyException(SYNTAX);
            }
        }
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual()
                && (version.asText().equals("2012-10-17") || version.asText().equals("2008-10-17")))) {
            throw new MalformedPolicyException(SYNTAX);
        }
        JsonNode id = root.get("Id");
        if (id != null && !id.isTextual()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        JsonNode st = root.get("Statement");
        List<JsonNode> statements = new ArrayList<>();
        if (st == null || !(st.isObject() || st.isArray())) {
            throw new MalformedPolicyException(SYNTAX);
        }
        if (st.isObject()) {
            statements.add(st);
        } else {
            st.forEach(statements::add);
        }
        if (statements.isEmpty()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        for (JsonNode s : statements) {
            statementSyntax(s, kind);
        }
        return statements;
    }

    private static void statementSyntax(JsonNode s, PolicyKind kind) {
        if (!s.isObject()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        Iterator<String> names = s.fieldNames();
        while (names.hasNext()) {
            if (!STATEMENT_ELEMENTS.contains(names.next())) {
                throw new MalformedPolicyException(SYNTAX);
            }
        }
        if ((s.has("Resource") && s.has("NotResource")) || (s.has("Action") && s.has("NotAction"))
                || (s.has("Principal") && s.has("NotPrincipal"))) {
            throw new MalformedPolicyException(SYNTAX);
        }
        JsonNode effect = s.get("Effect");
        if (effect == null || !effect.isTextual()
                || !(effect.asText().equalsIgnoreCase("Allow") || effect.asText().equalsIgnoreCase("Deny"))) {
            throw new MalformedPolicyException(SYNTAX);
        }
        for (String element : List.of("Action", "NotAction", "Resource", "NotResource")) {
            stringOrList(s.get(element));
        }
        if (s.has("Sid") && !s.get("Sid").isTextual()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        JsonNode condition = s.get("Condition");
        if (condition != null) {
            if (!condition.isObject()) {
                throw new MalformedPolicyException(SYNTAX);
            }
            Iterator<Map.Entry<String, JsonNode>> ops = condition.fields();
            while (ops.hasNext()) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!op.getValue().isObject()) {
                    throw new MalformedPolicyException(SYNTAX);
                }
                op.getValue().forEach(v -> {
                    if (!(v.isArray() || v.isValueNode()) || v.isNull()) {
                        throw new MalformedPolicyException(SYNTAX);
                    }
                    if (v.isArray()) {
                        v.forEach(x -> {
                            if (!x.isValueNode() || x.isNull()) {
                                throw new MalformedPolicyException(SYNTAX);
                            }
                        });
                    }
                });
                if (parseOperator(op.getKey()) == null && op.getValue().size() > 0) {
                    throw new MalformedPolicyException(SYNTAX);
                }
            }
        }
        JsonNode principal = s.has("Principal") ? s.get("Principal") : s.get("NotPrincipal");
        if (principal != null) {
            if (!kind.needsPrincipal()) {
                throw new MalformedPolicyException("Policy document should not specify a principal.");
            }
            principalSyntax(principal);
        } else if (kind.needsPrincipal()) {
            throw new MalformedPolicyException("Missing required field Principal");
        }
        if (kind == PolicyKind.TRUST && (s.has("Resource") || s.has("NotResource"))) {
            throw new MalformedPolicyException("Has prohibited field " + (s.has("Resource") ? "Resource" : "NotResource"));
        }
    }

    private static void principalSyntax(JsonNode p) {
        if (p.isTextual()) {
            if (!p.asText().equals("*")) {
                throw new MalformedPolicyException("Invalid principal in policy: " + p);
            }
            return;
        }
        if (!p.isObject() || p.size() == 0) {
            throw new MalformedPolicyException(SYNTAX);
        }
        Iterator<Map.Entry<String, JsonNode>> types = p.fields();
        while (types.hasNext()) {
            Map.Entry<String, JsonNode> t = types.next();
            if (!PRINCIPAL_TYPES.contains(t.getKey())) {
                throw new MalformedPolicyException("Invalid principal in policy: \"" + t.getKey() + "\"");
            }
            stringOrList(t.getValue());
        }
    }

    private static void stringOrList(JsonNode n) {
        if (n == null) {
            return;
        }
        if (n.isTextual()) {
            return;
        }
        if (!n.isArray()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        n.forEach(x -> {
            if (!x.isTextual()) {
                throw new MalformedPolicyException(SYNTAX);
            }
        });
    }

    // --- legacy parsing: what the old parser refused

    private static void legacy(List<JsonNode> statements) {
        for (JsonNode s : statements) {
            String effect = s.get("Effect").asText();
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw legacyFailure();
            }
            JsonNode condition = s.get("Condition");
            if (condition != null) {
                condition.fields().forEachRemaining(op -> {
                    Parsed parsed = parseOperator(op.getKey());
                    if (parsed != null && parsed.op.family() == ConditionOperator.Family.DATE) {
                        op.getValue().forEach(v -> values(v).forEach(d -> {
                            if (!Patterns.hasVariable(d) && ConditionEvaluator.instant(d) == null) {
                                throw legacyFailure();
                            }
                        }));
                    }
                });
            }
            for (String element : List.of("Resource", "NotResource")) {
                for (String r : values(s.get(element))) {
                    if (!r.equals("*") && r.contains("::") && r.split(":", -1).length < 6) {
                        throw legacyFailure();
                    }
                }
            }
        }
    }

    private static MalformedPolicyException legacyFailure() {
        return new MalformedPolicyException("The policy failed legacy parsing");
    }

    private static void uniqueSids(List<JsonNode> statements) {
        Set<String> sids = new HashSet<>();
        for (JsonNode s : statements) {
            JsonNode sid = s.get("Sid");
            if (sid != null && !sid.asText().isEmpty() && !sids.add(sid.asText())) {
                throw new MalformedPolicyException("Statement IDs (SID) in a single policy must be unique.");
            }
        }
    }

    // --- semantic checks and building the statement

    private static Statement statement(JsonNode s, PolicyKind kind) {
        boolean notAction = s.has("NotAction");
        List<String> actions = values(notAction ? s.get("NotAction") : s.get("Action"));
        if (actions.isEmpty()) {
            throw new MalformedPolicyException("Policy statement must contain actions.");
        }
        boolean notResource = s.has("NotResource");
        List<String> resources = null;
        if (kind != PolicyKind.TRUST) {
            resources = values(notResource ? s.get("NotResource") : s.get("Resource"));
            if (resources.isEmpty()) {
                throw new MalformedPolicyException("Policy statement must contain resources.");
            }
            for (String r : resources) {
                resourceFormat(r);
            }
        }
        for (String a : actions) {
            actionFormat(a);
        }
        boolean notPrincipal = s.has("NotPrincipal");
        JsonNode p = notPrincipal ? s.get("NotPrincipal") : s.get("Principal");
        PrincipalSpec principal = p == null ? null : principal(p);
        Effect effect = s.get("Effect").asText().equals("Allow") ? Effect.ALLOW : Effect.DENY;
        String sid = s.has("Sid") ? s.get("Sid").asText() : null;
        return new Statement(sid, effect, actions, notAction, resources, notResource, principal, notPrincipal,
                conditions(s.get("Condition")));
    }

    private static void resourceFormat(String r) {
        if (r.equals("*")) {
            return;
        }
        String[] parts = r.split(":", 6);
        if (parts.length < 2) {
            throw new MalformedPolicyException("Resource " + r + " must be in ARN format or \"*\".");
        }
        if (!parts[1].equals("aws") && !parts[1].equals("aws-cn") && !parts[1].equals("aws-us-gov")
                && !parts[1].equals("*")) {
            String p = parts[1];
            throw new MalformedPolicyException("Partition \"" + p + "\" is not valid for resource \"arn:" + p + ":"
                    + part(parts, 2) + ":" + part(parts, 3) + ":" + part(parts, 4) + ":" + part(parts, 5) + "\".");
        }
        if (parts.length < 3) {
            throw new MalformedPolicyException("Resource vendor must be fully qualified and cannot contain regexes.");
        }
        String service = parts[2];
        String region = parts.length > 3 ? parts[3] : "";
        if (service.equals("iam") && !region.isEmpty()) {
            throw new MalformedPolicyException("IAM resource " + r + " cannot contain region information.");
        }
        if (service.equals("s3") && !region.isEmpty()) {
            throw new MalformedPolicyException("Resource " + r + " can not contain region information.");
        }
        if (service.equals("iam") && parts.length == 6 && !parts[5].equals("*") && !parts[5].equals("root")
                && IAM_RESOURCE_TYPES.stream().noneMatch(parts[5]::startsWith) && !parts[5].startsWith("${")) {
            throw new MalformedPolicyException("IAM resource path must either be \"*\" or start with "
                    + String.join(", ", IAM_RESOURCE_TYPES) + ".");
        }
    }

    private static String part(String[] parts, int i) {
        return parts.length > i && !(parts[i].isEmpty() && parts.length == i + 1) ? parts[i] : "*";
    }

    private static void actionFormat(String action) {
        if (action.equals("*")) {
            return;
        }
        String[] parts = action.split(":", -1);
        if (parts.length == 1) {
            throw new MalformedPolicyException("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
        }
        if (parts.length > 2) {
            throw new MalformedPolicyException("Actions/Condition can contain only one colon.");
        }
        if (!parts[0].equals("*") && !VENDOR.matcher(parts[0]).matches()) {
            throw new MalformedPolicyException("Vendor " + parts[0] + " is not valid");
        }
    }

    private static PrincipalSpec principal(JsonNode p) {
        if (p.isTextual()) {
            return new PrincipalSpec(true, Map.of());
        }
        Map<String, List<String>> byType = new LinkedHashMap<>();
        p.fields().forEachRemaining(e -> byType.put(e.getKey(), values(e.getValue())));
        return new PrincipalSpec(false, byType);
    }

    private static List<Condition> conditions(JsonNode block) {
        List<Condition> out = new ArrayList<>();
        if (block == null) {
            return out;
        }
        block.fields().forEachRemaining(op -> {
            Parsed parsed = parseOperator(op.getKey());
            if (parsed == null) {
                return;
            }
            op.getValue().fields().forEachRemaining(k -> out.add(new Condition(op.getKey(), parsed.op, parsed.qualifier,
                    parsed.ifExists, k.getKey(), values(k.getValue()))));
        });
        return List.copyOf(out);
    }

    private record Parsed(ConditionOperator op, Condition.SetQualifier qualifier, boolean ifExists) {
    }

    /** "ForAnyValue:StringLikeIfExists" -> its parts; null for an operator IAM does not know. */
    private static Parsed parseOperator(String text) {
        Condition.SetQualifier q = Condition.SetQualifier.NONE;
        String rest = text;
        if (rest.startsWith("ForAllValues:")) {
            q = Condition.SetQualifier.FOR_ALL_VALUES;
            rest = rest.substring("ForAllValues:".length());
        } else if (rest.startsWith("ForAnyValue:")) {
            q = Condition.SetQualifier.FOR_ANY_VALUE;
            rest = rest.substring("ForAnyValue:".length());
        }
        boolean ifExists = false;
        if (rest.endsWith("IfExists")) {
            ifExists = true;
            rest = rest.substring(0, rest.length() - "IfExists".length());
        }
        ConditionOperator op = ConditionOperator.byName(rest);
        if (op == null || (op == ConditionOperator.NULL && ifExists)) {
            return null;
        }
        return new Parsed(op, q, ifExists);
    }

    private static List<String> values(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else {
            out.add(n.asText());
        }
        return out;
    }
}
