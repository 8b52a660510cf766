package dev.terrarium.services.iam;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/** The resource ARN a request acts on, where its input names one; null when it does not (Resource "*" then applies). */
final class ResourceArns {
    private ResourceArns() {
    }

    static String of(Call call, Struct in, IamAccount iam) {
        String acct = call.account();
        String region = call.region();
        switch (call.service()) {
            case "iam":
                if (in.string("PolicyArn") != null) {
                    return in.string("PolicyArn");
                }
                if (in.string("RoleName") != null) {
                    Principals.Role r = iam == null ? null : iam.roles.get(in.string("RoleName"));
                    return r != null ? r.arn : "arn:aws:iam::" + acct + ":role/" + in.string("RoleName");
                }
                if (in.string("GroupName") != null) {
                    Principals.Group g = iam == null ? null : iam.groups.get(in.string("GroupName"));
                    return g != null ? g.arn : "arn:aws:iam::" + acct + ":group/" + in.string("GroupName");
                }
                if (in.string("UserName") != null) {
                    Principals.User u = iam == null ? null : iam.users.get(in.string("UserName"));
                    return u != null ? u.arn : "arn:aws:iam::" + acct + ":user/" + in.string("UserName");
                }
                return null;
            case "sts":
                return in.string("RoleArn");
            case "s3":
                String bucket = in.string("Bucket");
                if (bucket == null) {
                    return null;
                }
                return in.string("Key") == null ? "arn:aws:s3:::" + bucket : "arn:aws:s3:::" + bucket + "/" + in.string("Key");
            case "sqs":
                String url = in.string("QueueUrl");
                if (url != null) {
                    String[] parts = url.split("/");
                    if (parts.length >= 2) {
                        return "arn:aws:sqs:" + region + ":" + parts[parts.length - 2] + ":" + parts[parts.length - 1];
                    }
                }
                return in.string("QueueName") == null ? null : "arn:aws:sqs:" + region + ":" + acct + ":" + in.string("QueueName");
            case "dynamodb":
                String table = in.string("TableName");
                if (table == null) {
                    return null;
                }
                return table.startsWith("arn:") ? table : "arn:aws:dynamodb:" + region + ":" + acct + ":table/" + table;
            case "lambda":
                String fn = in.string("FunctionName");
                if (fn == null) {
                    return null;
                }
                String function = fn.startsWith("arn:") ? fn : "arn:aws:lambda:" + region + ":" + acct + ":function:" + fn;
                return in.string("Qualifier") == null ? function : function + ":" + in.string("Qualifier");
            case "logs":
                String group = in.string("logGroupName");
                return group == null ? null : "arn:aws:logs:" + region + ":" + acct + ":log-group:" + group;
            default:
                return null;
        }
    }
}
