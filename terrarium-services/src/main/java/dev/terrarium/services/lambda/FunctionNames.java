package dev.terrarium.services.lambda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FunctionName parameter in its accepted forms: a name, a partial ARN (123456789012:function:name)
 * or a full ARN, each optionally with a ":qualifier" (version or alias).
 */
record FunctionNames(String name, String qualifier) {
    private static final Pattern FORM = Pattern.compile(
            "(?:arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):)?(?:(\\d{12}):)?(?:function:)?([a-zA-Z0-9-_]+)(?::(\\$LATEST|[a-zA-Z0-9-_]+))?");

    /** A FunctionName as an invocation may give it, another account's ARN included: the names and the owning account. */
    record Owned(String account, FunctionNames names) {
    }

    /**
     * Parses a FunctionName that may name a function of another account (ARN or partial ARN): the account it names,
     * else the caller's, owns the function (IAM enforcement then asks the function's resource policy).
     */
    static Owned parseOwned(String value, String callerAccount, String region, String explicitQualifier) {
        Matcher m = matcher(value);
        String account = m.group(2) != null ? m.group(2) : callerAccount;
        return new Owned(account, of(m, value, account, region, explicitQualifier));
    }

    static FunctionNames parse(String value, String account, String region, String explicitQualifier) {
        return of(matcher(value), value, account, region, explicitQualifier);
    }

    private static Matcher matcher(String value) {
        Matcher m = value == null ? null : FORM.matcher(value);
        if (m == null || !m.matches() || m.group(3).length() > 64) {
            throw LambdaErrors.invalid("1 validation error detected: Value '" + value
                    + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + FORM.pattern());
        }
        return m;
    }

    private static FunctionNames of(Matcher m, String value, String account, String region, String explicitQualifier) {
        if ((m.group(1) != null && !m.group(1).equals(region)) || (m.group(2) != null && !m.group(2).equals(account))) {
            throw LambdaErrors.functionNotFound(value);
        }
        String q = m.group(4);
        if (q != null && explicitQualifier != null && !q.equals(explicitQualifier)) {
            throw LambdaErrors.invalid("The derived qualifier from the function name does not match the specified qualifier.");
        }
        return new FunctionNames(m.group(3), q != null ? q : explicitQualifier);
    }
}
