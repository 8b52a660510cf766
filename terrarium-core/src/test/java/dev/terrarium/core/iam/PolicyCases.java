package dev.terrarium.core.iam;

import java.util.ArrayList;
import java.util.List;

/** Small builders for policy evaluation cases: policies written with ' for ", principals and requests. */
final class PolicyCases {
    static final String ACCOUNT = "111122223333";
    static final String OTHER = "444455556666";
    static final String USER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/bob";
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/app/Builder";
    static final String SESSION_ARN = "arn:aws:sts::" + ACCOUNT + ":assumed-role/Builder/ci";

    record Case(String name, AuthorizationRequest request, Decision.Outcome expected, Decision.PolicyType by) {
        @Override
        public String toString() { return name; }
    }

    private PolicyCases() {
    }

    static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A 2012-10-17 policy of the given statements (each written with '). */
    static String policy(String... statements) {
        return j("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}");
    }

    static String allow(String action, String resource) {
        return "{'Effect':'Allow','Action':" + list(action) + ",'Resource':" + list(resource) + "}";
    }

    static String deny(String action, String resource) {
        return "{'Effect':'Deny','Action':" + list(action) + ",'Resource':" + list(resource) + "}";
    }

    static String allowIf(String action, String resource, String condition) {
        return "{'Effect':'Allow','Action':" + list(action) + ",'Resource':" + list(resource) + ",'Condition':" + condition + "}";
    }

    static String denyIf(String action, String resource, String condition) {
        return "{'Effect':'Deny','Action':" + list(action) + ",'Resource':" + list(resource) + ",'Condition':" + condition + "}";
    }

    /** "a,b" -> ['a','b']; a single value stays a string. */
    static String list(String csv) {
        String[] parts = csv.split(",");
        if (parts.length == 1) {
            return "'" + csv + "'";
        }
        List<String> quoted = new ArrayList<>();
        for (String p : parts) {
            quoted.add("'" + p + "'");
        }
        return "[" + String.join(",", quoted) + "]";
    }

    static Policy identity(String json) {
        return new Policy("identity", PolicyDocument.parse(json, PolicyKind.IDENTITY));
    }

    static Policy resource(String json) {
        return new Policy("resource", PolicyDocument.parse(j(json), PolicyKind.RESOURCE));
    }

    /** bob's request, with the keys AWS sets for an IAM user. */
    static AuthorizationRequest bob(String action, String resource, String... identityPolicies) {
        AuthorizationRequest r = new AuthorizationRequest(Principal.user(USER_ARN, ACCOUNT), action, resource)
                .context(new ContextKeys().put("aws:username", "bob").put("aws:userid", "AIDAEXAMPLEBOB")
                        .put("aws:PrincipalArn", USER_ARN).put("aws:PrincipalAccount", ACCOUNT)
                        .put("aws:PrincipalType", "User").put("aws:SecureTransport", "true"));
        for (String p : identityPolicies) {
            r.identityPolicy(identity(p));
        }
        return r;
    }

    /** A session of role app/Builder. */
    static AuthorizationRequest session(String action, String resource, String... identityPolicies) {
        AuthorizationRequest r = new AuthorizationRequest(Principal.roleSession(SESSION_ARN, ACCOUNT, ROLE_ARN), action,
                resource).context(new ContextKeys().put("aws:userid", "AROAEXAMPLE:ci")
                .put("aws:PrincipalArn", ROLE_ARN).put("aws:PrincipalAccount", ACCOUNT).put("aws:PrincipalType", "AssumedRole"));
        for (String p : identityPolicies) {
            r.identityPolicy(identity(p));
        }
        return r;
    }

    /** A user of the other account. */
    static AuthorizationRequest stranger(String action, String resource, String... identityPolicies) {
        String arn = "arn:aws:iam::" + OTHER + ":user/carol";
        AuthorizationRequest r = new AuthorizationRequest(Principal.user(arn, OTHER), action, resource)
                .context(new ContextKeys().put("aws:username", "carol").put("aws:PrincipalAccount", OTHER));
        for (String p : identityPolicies) {
            r.identityPolicy(identity(p));
        }
        return r;
    }

    static AuthorizationRequest with(AuthorizationRequest r, String... keyValues) {
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            String v = keyValues[i + 1];
            r.context().put(keyValues[i], v.contains("|") ? List.of(v.split("\\|", -1)) : List.of(v));
        }
        return r;
    }
}
