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

    /**
     * The account a FunctionName's ARN or partial ARN names, else the caller's: invocations may name a function
     * of another account (IAM enforcement then asks the function's resource policy).
     */
    static String ownerAccount(String value, String callerAccount) {
        Matcher m = value == null ? null : FORM.matcher(value);
        return m != null && m.matches() && m.group(2) != null ? m.group(2) : callerAccount;
    }

    static FunctionNames parse(String value, String account, String region, String explicitQualifier) {
        Matcher m = value == null ? null : FORM.matcher(value);
        if (m == null || !m.matches() || m.group(3).length() > 64) {
            throw LambdaErrors.invalid("1 validation error detected: Value '" + value
                    + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + FORM.pattern());
        }
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
