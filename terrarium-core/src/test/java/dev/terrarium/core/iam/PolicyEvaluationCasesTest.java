package dev.terrarium.core.iam;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static dev.terrarium.core.iam.PolicyCases.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policy evaluation cases built from the examples of AWS's IAM User Guide (condition operators,
 * policy variables, example policies, permissions boundaries, SCPs, cross-account access), each
 * with the decision AWS documents for it.
 */
class PolicyEvaluationCasesTest {
    private static final Decision.PolicyType ID = Decision.PolicyType.IDENTITY;
    private static final Decision.PolicyType RES = Decision.PolicyType.RESOURCE;
    private static final Decision.PolicyType PB = Decision.PolicyType.PERMISSIONS_BOUNDARY;
    private static final Decision.PolicyType SES = Decision.PolicyType.SESSION;
    private static final Decision.PolicyType SCP = Decision.PolicyType.SERVICE_CONTROL;
    private static final List<Case> CASES = new ArrayList<>();

    private static void ok(String name, AuthorizationRequest r) {
        CASES.add(new Case(name, r, Decision.Outcome.ALLOW, null));
    }

    private static void implicit(String name, AuthorizationRequest r, Decision.PolicyType by) {
        CASES.add(new Case(name, r, Decision.Outcome.IMPLICIT_DENY, by));
    }

    private static void explicit(String name, AuthorizationRequest r, Decision.PolicyType by) {
        CASES.add(new Case(name, r, Decision.Outcome.EXPLICIT_DENY, by));
    }

    static List<Case> cases() {
        if (!CASES.isEmpty()) {
            return CASES;
        }
        actionsAndResources();
        stringConditions();
        numericDateBool();
        ipAndArn();
        nullAndIfExists();
        setOperators();
        variables();
        notElements();
        boundariesSessionsScps();
        resourcePolicies();
        userGuideExamples();
        return CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides_as_aws_documents(Case c) {
        Decision d = PolicyEvaluator.evaluate(c.request());
        assertThat(d.outcome()).as(c.name() + " " + d.trace()).isEqualTo(c.expected());
        if (c.by() != null) {
            assertThat(d.decidedBy()).as(c.name()).isEqualTo(c.by());
        }
    }

    @org.junit.jupiter.api.Test
    void the_suite_has_at_least_200_cases() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(200);
    }

    /** An older policy, as a resource policy or SCP may still be (IAM itself refuses them for identity policies). */
    private static Policy lenient(String json) {
        return new Policy("legacy", PolicyDocument.parse(json, PolicyKind.SERVICE_CONTROL));
    }

    private static void actionsAndResources() {
        String s3Read = policy(allow("s3:Get*,s3:List*", "*"));
        ok("s3:Get* allows s3:GetObject", bob("s3:GetObject", "arn:aws:s3:::b/k", s3Read));
        ok("s3:List* allows s3:ListBucket", bob("s3:ListBucket", "arn:aws:s3:::b", s3Read));
        implicit("s3:Get* does not allow s3:PutObject", bob("s3:PutObject", "arn:aws:s3:::b/k", s3Read), ID);
        ok("action names are case-insensitive", bob("S3:getobject", "arn:aws:s3:::b/k", s3Read));
        implicit("no policy at all is an implicit deny", bob("s3:GetObject", "arn:aws:s3:::b/k"), ID);
        String star = policy(allow("*", "*"));
        ok("*:* allows anything", bob("dynamodb:DeleteTable", "arn:aws:dynamodb:us-east-1:111122223333:table/T", star));
        ok("* allows actions without a resource", bob("s3:ListAllMyBuckets", null, star));
        String accessKeys = policy(allow("iam:*AccessKey*", "arn:aws:iam::111122223333:user/*"));
        ok("iam:*AccessKey* allows iam:CreateAccessKey", bob("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob", accessKeys));
        ok("iam:*AccessKey* allows iam:ListAccessKeys", bob("iam:ListAccessKeys", "arn:aws:iam::111122223333:user/alice", accessKeys));
        ok("iam:*AccessKey* allows iam:UpdateAccessKey", bob("iam:UpdateAccessKey", "arn:aws:iam::111122223333:user/x", accessKeys));
        implicit("iam:*AccessKey* does not allow iam:CreateUser", bob("iam:CreateUser", "arn:aws:iam::111122223333:user/x", accessKeys), ID);
        implicit("user/* does not match a role", bob("iam:ListAccessKeys", "arn:aws:iam::111122223333:role/x", accessKeys), ID);
        implicit("user/* in another account does not match", bob("iam:ListAccessKeys", "arn:aws:iam::444455556666:user/x", accessKeys), ID);
        String table = policy(allow("dynamodb:GetItem,dynamodb:Query,dynamodb:PutItem",
                "arn:aws:dynamodb:us-east-1:111122223333:table/Books"));
        ok("table policy allows GetItem on its table", bob("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/Books", table));
        ok("table policy allows Query", bob("dynamodb:Query", "arn:aws:dynamodb:us-east-1:111122223333:table/Books", table));
        implicit("table policy on another table", bob("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/Other", table), ID);
        implicit("table policy in another region", bob("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/Books", table), ID);
        implicit("table policy does not allow DeleteItem", bob("dynamodb:DeleteItem", "arn:aws:dynamodb:us-east-1:111122223333:table/Books", table), ID);
        implicit("resource ARNs are case-sensitive", bob("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/books", table), ID);
        String anyRegion = policy(allow("dynamodb:*", "arn:aws:dynamodb:*:111122223333:table/Books*"));
        ok("region wildcard and name prefix", bob("dynamodb:Scan", "arn:aws:dynamodb:ap-south-1:111122223333:table/Books2", anyRegion));
        ok("name prefix with index path", bob("dynamodb:Query", "arn:aws:dynamodb:us-east-1:111122223333:table/Books/index/ByAuthor", anyRegion));
        String q = policy(allow("sqs:SendMessage", "arn:aws:sqs:us-east-?:111122223333:queue-?"));
        ok("? matches one character", bob("sqs:SendMessage", "arn:aws:sqs:us-east-2:111122223333:queue-1", q));
        implicit("? does not match two characters", bob("sqs:SendMessage", "arn:aws:sqs:us-east-2:111122223333:queue-12", q), ID);
        String bucketObjects = policy(allow("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/*"));
        ok("bucket/* matches an object", bob("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/a/b/c.txt", bucketObjects));
        implicit("bucket/* does not match the bucket", bob("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket", bucketObjects), ID);
        implicit("bucket/* does not match a longer bucket name", bob("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket2/k", bucketObjects), ID);
        String denyDelete = policy(allow("s3:*", "*"), deny("s3:DeleteBucket", "*"));
        explicit("explicit deny overrides allow", bob("s3:DeleteBucket", "arn:aws:s3:::b", denyDelete), ID);
        ok("deny of another action leaves the allow", bob("s3:DeleteObject", "arn:aws:s3:::b/k", denyDelete));
        explicit("deny in a second policy wins", bob("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")),
                policy(deny("s3:GetObject", "arn:aws:s3:::b/*"))), ID);
        ok("allow in either of two policies", bob("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:111122223333:q",
                policy(allow("s3:*", "*")), policy(allow("sqs:*", "*"))));
        String multiResource = policy(allow("s3:PutObject", "arn:aws:s3:::a/*,arn:aws:s3:::b/*"));
        ok("any of several resources", bob("s3:PutObject", "arn:aws:s3:::b/x", multiResource));
        implicit("none of several resources", bob("s3:PutObject", "arn:aws:s3:::c/x", multiResource), ID);
        ok("root is allowed without policies", new AuthorizationRequest(Principal.root(ACCOUNT), "s3:DeleteBucket", "arn:aws:s3:::b"));
        implicit("an unknown resource matches only *", bob("s3:GetObject", null, bucketObjects), ID);
        ok("service wildcard action", bob("ec2:DescribeInstances", null, policy(allow("ec2:Describe*", "*"))));
        implicit("service wildcard action, other service", bob("rds:DescribeDBInstances", null, policy(allow("ec2:Describe*", "*"))), ID);
    }

    private static void stringConditions() {
        String jobCategory = policy(allowIf("iam:*AccessKey*", "arn:aws:iam::111122223333:user/*",
                "{'StringEquals':{'aws:PrincipalTag/job-category':'iamuser-admin'}}"));
        ok("StringEquals on principal tag", with(bob("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/x", jobCategory),
                "aws:PrincipalTag/job-category", "iamuser-admin"));
        implicit("StringEquals with another value", with(bob("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/x", jobCategory),
                "aws:PrincipalTag/job-category", "dev"), ID);
        implicit("StringEquals without the tag", bob("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/x", jobCategory), ID);
        implicit("StringEquals is case-sensitive", with(bob("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/x", jobCategory),
                "aws:PrincipalTag/job-category", "IAMUser-Admin"), ID);
        ok("condition key names are case-insensitive", with(bob("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/x", jobCategory),
                "AWS:PRINCIPALTAG/JOB-CATEGORY", "iamuser-admin"));
        String ignoreCase = policy(allowIf("ec2:RunInstances", "*", "{'StringEqualsIgnoreCase':{'aws:PrincipalTag/team':'Blue'}}"));
        ok("StringEqualsIgnoreCase matches other case", with(bob("ec2:RunInstances", null, ignoreCase), "aws:PrincipalTag/team", "BLUE"));
        implicit("StringEqualsIgnoreCase needs the same letters", with(bob("ec2:RunInstances", null, ignoreCase), "aws:PrincipalTag/team", "red"), ID);
        String notEquals = policy(allowIf("ec2:RunInstances", "*", "{'StringNotEquals':{'aws:PrincipalTag/team':['audit','security']}}"));
        ok("StringNotEquals: a value that is none of them", with(bob("ec2:RunInstances", null, notEquals), "aws:PrincipalTag/team", "dev"));
        implicit("StringNotEquals: the first value", with(bob("ec2:RunInstances", null, notEquals), "aws:PrincipalTag/team", "audit"), ID);
        implicit("StringNotEquals: the second value (values are NORed)", with(bob("ec2:RunInstances", null, notEquals), "aws:PrincipalTag/team", "security"), ID);
        ok("StringNotEquals: a missing key passes", bob("ec2:RunInstances", null, notEquals));
        String notEqIc = policy(allowIf("ec2:RunInstances", "*", "{'StringNotEqualsIgnoreCase':{'aws:PrincipalTag/team':'audit'}}"));
        implicit("StringNotEqualsIgnoreCase in other case", with(bob("ec2:RunInstances", null, notEqIc), "aws:PrincipalTag/team", "AUDIT"), ID);
        ok("StringNotEqualsIgnoreCase another value", with(bob("ec2:RunInstances", null, notEqIc), "aws:PrincipalTag/team", "dev"));
        String like = policy(allowIf("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket",
                "{'StringLike':{'s3:prefix':['','home/','home/${aws:username}/*']}}"));
        ok("StringLike: empty prefix", with(bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", like), "s3:prefix", ""));
        ok("StringLike: home/", with(bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", like), "s3:prefix", "home/"));
        ok("StringLike: own folder with variable", with(bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", like), "s3:prefix", "home/bob/photos/"));
        implicit("StringLike: another user's folder", with(bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", like), "s3:prefix", "home/alice/"), ID);
        implicit("StringLike: no prefix key", bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", like), ID);
        String notLike = policy(allowIf("s3:ListBucket", "*", "{'StringNotLike':{'s3:prefix':'private/*'}}"));
        ok("StringNotLike: public prefix", with(bob("s3:ListBucket", "arn:aws:s3:::b", notLike), "s3:prefix", "public/x"));
        implicit("StringNotLike: private prefix", with(bob("s3:ListBucket", "arn:aws:s3:::b", notLike), "s3:prefix", "private/x"), ID);
        ok("StringNotLike: missing key passes", bob("s3:ListBucket", "arn:aws:s3:::b", notLike));
        String twoKeys = policy(allowIf("ec2:StartInstances", "*",
                "{'StringEquals':{'aws:ResourceTag/Project':'Alpha','aws:PrincipalTag/Project':'Alpha'}}"));
        ok("two keys: both match", with(bob("ec2:StartInstances", null, twoKeys), "aws:ResourceTag/Project", "Alpha", "aws:PrincipalTag/Project", "Alpha"));
        implicit("two keys are ANDed", with(bob("ec2:StartInstances", null, twoKeys), "aws:ResourceTag/Project", "Alpha", "aws:PrincipalTag/Project", "Beta"), ID);
        String twoOps = policy(allowIf("ec2:StartInstances", "*",
                "{'StringEquals':{'aws:ResourceTag/Env':'dev'},'Bool':{'aws:MultiFactorAuthPresent':'true'}}"));
        ok("two operators: both hold", with(bob("ec2:StartInstances", null, twoOps), "aws:ResourceTag/Env", "dev", "aws:MultiFactorAuthPresent", "true"));
        implicit("two operators are ANDed", with(bob("ec2:StartInstances", null, twoOps), "aws:ResourceTag/Env", "dev", "aws:MultiFactorAuthPresent", "false"), ID);
        String tagMatch = policy(allowIf("ec2:StartInstances", "*",
                "{'StringEquals':{'aws:ResourceTag/Owner':'${aws:username}'}}"));
        ok("resource tag equals the caller's name", with(bob("ec2:StartInstances", null, tagMatch), "aws:ResourceTag/Owner", "bob"));
        implicit("resource tag of someone else", with(bob("ec2:StartInstances", null, tagMatch), "aws:ResourceTag/Owner", "alice"), ID);
        String abac = policy(allowIf("secretsmanager:GetSecretValue", "*",
                "{'StringEquals':{'aws:ResourceTag/access-project':'${aws:PrincipalTag/access-project}'}}"));
        ok("ABAC: tags agree", with(bob("secretsmanager:GetSecretValue", null, abac), "aws:ResourceTag/access-project", "peg", "aws:PrincipalTag/access-project", "peg"));
        implicit("ABAC: tags differ", with(bob("secretsmanager:GetSecretValue", null, abac), "aws:ResourceTag/access-project", "peg", "aws:PrincipalTag/access-project", "ag"), ID);
        implicit("ABAC: principal untagged", with(bob("secretsmanager:GetSecretValue", null, abac), "aws:ResourceTag/access-project", "peg"), ID);
        String literalStar = policy(allowIf("s3:GetObject", "*", "{'StringEquals':{'s3:prefix':'a*'}}"));
        ok("StringEquals treats * literally", with(bob("s3:GetObject", null, literalStar), "s3:prefix", "a*"));
        implicit("StringEquals does not expand *", with(bob("s3:GetObject", null, literalStar), "s3:prefix", "abc"), ID);
    }

    private static void numericDateBool() {
        String maxKeys = policy(allowIf("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket",
                "{'NumericLessThanEquals':{'s3:max-keys':'10'}}"));
        ok("NumericLessThanEquals: 10", with(bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", maxKeys), "s3:max-keys", "10"));
        ok("NumericLessThanEquals: 5", with(bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", maxKeys), "s3:max-keys", "5"));
        implicit("NumericLessThanEquals: 11", with(bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", maxKeys), "s3:max-keys", "11"), ID);
        implicit("NumericLessThanEquals: key missing", bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", maxKeys), ID);
        implicit("NumericLessThanEquals: not a number", with(bob("s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", maxKeys), "s3:max-keys", "ten"), ID);
        String[][] numeric = {
                {"NumericEquals", "5", "5", "y"}, {"NumericEquals", "5", "5.0", "y"}, {"NumericEquals", "5", "6", "n"},
                {"NumericNotEquals", "5", "6", "y"}, {"NumericNotEquals", "5", "5", "n"},
                {"NumericLessThan", "5", "4", "y"}, {"NumericLessThan", "5", "5", "n"},
                {"NumericGreaterThan", "5", "6", "y"}, {"NumericGreaterThan", "5", "5", "n"},
                {"NumericGreaterThanEquals", "5", "5", "y"}, {"NumericGreaterThanEquals", "5", "4.9", "n"},
                {"NumericLessThan", "-1", "-2", "y"}};
        for (String[] n : numeric) {
            AuthorizationRequest r = with(bob("s3:ListBucket", null, policy(allowIf("s3:ListBucket", "*",
                    "{'" + n[0] + "':{'s3:max-keys':'" + n[1] + "'}}"))), "s3:max-keys", n[2]);
            String name = n[0] + " " + n[1] + " vs " + n[2];
            if (n[3].equals("y")) {
                ok(name, r);
            } else {
                implicit(name, r, ID);
            }
        }
        String window = policy(allowIf("*", "*",
                "{'DateGreaterThan':{'aws:CurrentTime':'2020-04-01T00:00:00Z'},'DateLessThan':{'aws:CurrentTime':'2020-06-30T23:59:59Z'}}"));
        ok("Date window: inside", with(bob("s3:GetObject", null, window), "aws:CurrentTime", "2020-05-15T12:00:00Z"));
        implicit("Date window: before", with(bob("s3:GetObject", null, window), "aws:CurrentTime", "2020-03-31T23:59:59Z"), ID);
        implicit("Date window: after", with(bob("s3:GetObject", null, window), "aws:CurrentTime", "2020-07-01T00:00:00Z"), ID);
        ok("Date window: epoch seconds in the request", with(bob("s3:GetObject", null, window), "aws:CurrentTime", "1589544000"));
        ok("Date window: zone offsets", with(bob("s3:GetObject", null, window), "aws:CurrentTime", "2020-04-01T01:00:00+00:30"));
        String epoch = policy(allowIf("*", "*", "{'DateLessThan':{'aws:EpochTime':'1589544000'}}"));
        ok("DateLessThan with an epoch policy value", with(bob("s3:GetObject", null, epoch), "aws:EpochTime", "1589543999"));
        implicit("DateLessThan with an epoch policy value, later", with(bob("s3:GetObject", null, epoch), "aws:EpochTime", "1589544001"), ID);
        String[][] dates = {
                {"DateEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "y"},
                {"DateEquals", "2020-01-01", "2020-01-01T00:00:00Z", "y"},
                {"DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", "y"},
                {"DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "n"},
                {"DateLessThanEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "y"},
                {"DateGreaterThanEquals", "2020-01-01T00:00:00Z", "2019-12-31T23:59:59Z", "n"},
                {"DateGreaterThan", "2020-01-01T00:00:00Z", "not-a-date", "n"}};
        for (String[] d : dates) {
            AuthorizationRequest r = with(bob("s3:GetObject", null, policy(allowIf("*", "*",
                    "{'" + d[0] + "':{'aws:CurrentTime':'" + d[1] + "'}}"))), "aws:CurrentTime", d[2]);
            String name = d[0] + " " + d[1] + " vs " + d[2];
            if (d[3].equals("y")) {
                ok(name, r);
            } else {
                implicit(name, r, ID);
            }
        }
        String mfaAge = policy(allowIf("ec2:StopInstances", "*", "{'NumericLessThan':{'aws:MultiFactorAuthAge':'3600'}}"));
        ok("MFA within the hour", with(bob("ec2:StopInstances", null, mfaAge), "aws:MultiFactorAuthAge", "1200"));
        implicit("MFA too old", with(bob("ec2:StopInstances", null, mfaAge), "aws:MultiFactorAuthAge", "7200"), ID);
        implicit("no MFA at all", bob("ec2:StopInstances", null, mfaAge), ID);
        String tls = policy(allow("s3:*", "*"), denyIf("s3:*", "*", "{'Bool':{'aws:SecureTransport':'false'}}"));
        explicit("deny plain HTTP", with(bob("s3:GetObject", "arn:aws:s3:::b/k", tls), "aws:SecureTransport", "false"), ID);
        ok("allow HTTPS", with(bob("s3:GetObject", "arn:aws:s3:::b/k", tls), "aws:SecureTransport", "true"));
        explicit("Bool values are case-insensitive", with(bob("s3:GetObject", "arn:aws:s3:::b/k", tls), "aws:SecureTransport", "FALSE"), ID);
        String mfa = policy(allowIf("iam:DeleteUser", "*", "{'Bool':{'aws:MultiFactorAuthPresent':'true'}}"));
        ok("MFA present", with(bob("iam:DeleteUser", "arn:aws:iam::111122223333:user/x", mfa), "aws:MultiFactorAuthPresent", "true"));
        implicit("MFA absent key", bob("iam:DeleteUser", "arn:aws:iam::111122223333:user/x", mfa), ID);
        implicit("MFA false", with(bob("iam:DeleteUser", "arn:aws:iam::111122223333:user/x", mfa), "aws:MultiFactorAuthPresent", "false"), ID);
        String binary = policy(allowIf("*", "*", "{'BinaryEquals':{'key':'QmluYXJ5VmFsdWVJbkJhc2U2NA=='}}"));
        ok("BinaryEquals same base64", with(bob("s3:GetObject", null, binary), "key", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="));
        implicit("BinaryEquals other bytes", with(bob("s3:GetObject", null, binary), "key", "b3RoZXI="), ID);
    }

    private static void ipAndArn() {
        String ip = policy(allow("*", "*"), denyIf("*", "*",
                "{'NotIpAddress':{'aws:SourceIp':['192.0.2.0/24','203.0.113.0/24']}}"));
        ok("NotIpAddress deny: inside first range", with(bob("s3:GetObject", null, ip), "aws:SourceIp", "192.0.2.17"));
        ok("NotIpAddress deny: inside second range", with(bob("s3:GetObject", null, ip), "aws:SourceIp", "203.0.113.255"));
        explicit("NotIpAddress deny: outside", with(bob("s3:GetObject", null, ip), "aws:SourceIp", "198.51.100.7"), ID);
        explicit("NotIpAddress deny: no source IP key", bob("s3:GetObject", null, ip), ID);
        String allowIp = policy(allowIf("*", "*", "{'IpAddress':{'aws:SourceIp':['203.0.113.0/24','2001:DB8:1234:5678::/64']}}"));
        ok("IpAddress IPv4 in range", with(bob("s3:GetObject", null, allowIp), "aws:SourceIp", "203.0.113.9"));
        implicit("IpAddress IPv4 out of range", with(bob("s3:GetObject", null, allowIp), "aws:SourceIp", "203.0.114.9"), ID);
        ok("IpAddress IPv6 in range", with(bob("s3:GetObject", null, allowIp), "aws:SourceIp", "2001:db8:1234:5678::1"));
        implicit("IpAddress IPv6 out of range", with(bob("s3:GetObject", null, allowIp), "aws:SourceIp", "2001:db8:1234:5679::1"), ID);
        implicit("IpAddress with a host name never matches", with(bob("s3:GetObject", null, allowIp), "aws:SourceIp", "localhost"), ID);
        String single = policy(allowIf("*", "*", "{'IpAddress':{'aws:SourceIp':'127.0.0.1'}}"));
        ok("IpAddress bare address", with(bob("s3:GetObject", null, single), "aws:SourceIp", "127.0.0.1"));
        implicit("IpAddress bare address, neighbour", with(bob("s3:GetObject", null, single), "aws:SourceIp", "127.0.0.2"), ID);
        String wide = policy(allowIf("*", "*", "{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}"));
        ok("IpAddress /8", with(bob("s3:GetObject", null, wide), "aws:SourceIp", "10.200.3.4"));
        implicit("IpAddress /8 other", with(bob("s3:GetObject", null, wide), "aws:SourceIp", "11.0.0.1"), ID);
        String odd = policy(allowIf("*", "*", "{'IpAddress':{'aws:SourceIp':'192.168.1.128/25'}}"));
        ok("IpAddress /25 upper half", with(bob("s3:GetObject", null, odd), "aws:SourceIp", "192.168.1.200"));
        implicit("IpAddress /25 lower half", with(bob("s3:GetObject", null, odd), "aws:SourceIp", "192.168.1.100"), ID);
        String sns = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'Service':'sns.amazonaws.com'},"
                + "'Action':'sqs:SendMessage','Resource':'arn:aws:sqs:us-east-1:111122223333:q',"
                + "'Condition':{'ArnEquals':{'aws:SourceArn':'arn:aws:sns:us-east-1:111122223333:topic'}}}]}";
        AuthorizationRequest fromTopic = new AuthorizationRequest(Principal.service("sns.amazonaws.com"), "sqs:SendMessage",
                "arn:aws:sqs:us-east-1:111122223333:q").resourcePolicy(resource(sns), ACCOUNT);
        fromTopic.context().put("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:topic");
        ok("queue policy lets the topic's service send", fromTopic);
        AuthorizationRequest otherTopic = new AuthorizationRequest(Principal.service("sns.amazonaws.com"), "sqs:SendMessage",
                "arn:aws:sqs:us-east-1:111122223333:q").resourcePolicy(resource(sns), ACCOUNT);
        otherTopic.context().put("aws:SourceArn", "arn:aws:sns:us-east-1:111122223333:other");
        implicit("queue policy refuses another topic", otherTopic, RES);
        String arnLike = policy(allowIf("iam:PassRole", "*", "{'ArnLike':{'iam:AssociatedResourceArn':'arn:aws:ec2:*:111122223333:instance/*'}}"));
        ok("ArnLike with wildcards per component", with(bob("iam:PassRole", null, arnLike), "iam:AssociatedResourceArn", "arn:aws:ec2:us-west-2:111122223333:instance/i-1"));
        implicit("ArnLike wildcard does not span the account", with(bob("iam:PassRole", null, arnLike), "iam:AssociatedResourceArn", "arn:aws:ec2:us-west-2:444455556666:instance/i-1"), ID);
        implicit("ArnLike with a non-ARN value", with(bob("iam:PassRole", null, arnLike), "iam:AssociatedResourceArn", "i-1"), ID);
        String arnNotLike = policy(allow("*", "*"), denyIf("*", "*", "{'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/Admin*'}}"));
        explicit("ArnNotLike deny: not an admin", bob("s3:DeleteBucket", "arn:aws:s3:::b", arnNotLike), ID);
        ok("ArnNotLike deny: an admin role", with(bob("s3:DeleteBucket", "arn:aws:s3:::b", arnNotLike), "aws:PrincipalArn", "arn:aws:iam::111122223333:role/AdminTeam"));
        String arnNotEquals = policy(allowIf("*", "*", "{'ArnNotEquals':{'aws:SourceArn':'arn:aws:s3:::bad'}}"));
        ok("ArnNotEquals another ARN", with(bob("s3:GetObject", null, arnNotEquals), "aws:SourceArn", "arn:aws:s3:::good"));
        implicit("ArnNotEquals the same ARN", with(bob("s3:GetObject", null, arnNotEquals), "aws:SourceArn", "arn:aws:s3:::bad"), ID);
        ok("ArnNotEquals with the key missing", bob("s3:GetObject", null, arnNotEquals));
    }

    private static void nullAndIfExists() {
        String tempOnly = policy(allow("*", "*"), denyIf("*", "*", "{'Null':{'aws:TokenIssueTime':'true'}}"));
        explicit("Null true: long-term keys denied", bob("ec2:RunInstances", null, tempOnly), ID);
        ok("Null true: temporary credentials pass", with(bob("ec2:RunInstances", null, tempOnly), "aws:TokenIssueTime", "2024-01-01T00:00:00Z"));
        String tagRequired = policy(allowIf("ec2:CreateVolume", "*", "{'Null':{'aws:RequestTag/CostCenter':'false'}}"));
        ok("Null false: tag present", with(bob("ec2:CreateVolume", null, tagRequired), "aws:RequestTag/CostCenter", "42"));
        implicit("Null false: tag absent", bob("ec2:CreateVolume", null, tagRequired), ID);
        String ifExists = policy(allowIf("ec2:*", "*", "{'StringEqualsIfExists':{'ec2:InstanceType':['t1.*','t2.micro','m1.small']}}"));
        ok("IfExists: key absent passes", bob("ec2:DescribeInstances", null, ifExists));
        ok("IfExists: allowed type", with(bob("ec2:RunInstances", null, ifExists), "ec2:InstanceType", "t2.micro"));
        implicit("IfExists: other type", with(bob("ec2:RunInstances", null, ifExists), "ec2:InstanceType", "m5.large"), ID);
        implicit("IfExists on StringEquals does not expand *", with(bob("ec2:RunInstances", null, ifExists), "ec2:InstanceType", "t1.micro"), ID);
        String likeIfExists = policy(allowIf("ec2:*", "*", "{'StringLikeIfExists':{'ec2:InstanceType':['t1.*','t2.*']}}"));
        ok("StringLikeIfExists: t1.micro", with(bob("ec2:RunInstances", null, likeIfExists), "ec2:InstanceType", "t1.micro"));
        implicit("StringLikeIfExists: m5.large", with(bob("ec2:RunInstances", null, likeIfExists), "ec2:InstanceType", "m5.large"), ID);
        String mfaDeny = policy(allow("*", "*"), "{'Effect':'Deny','NotAction':['iam:ChangePassword','iam:GetUser','sts:GetSessionToken'],"
                + "'Resource':'*','Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}");
        explicit("BoolIfExists deny without MFA key (long-term keys)", bob("s3:ListAllMyBuckets", null, policy(allow("*", "*"),
                "{'Effect':'Deny','NotAction':['iam:ChangePassword','iam:GetUser','sts:GetSessionToken'],'Resource':'*','Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}")), ID);
        explicit("BoolIfExists deny with MFA false", with(bob("s3:ListAllMyBuckets", null, policy(allow("*", "*"),
                "{'Effect':'Deny','NotAction':['iam:ChangePassword','iam:GetUser','sts:GetSessionToken'],'Resource':'*','Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}")),
                "aws:MultiFactorAuthPresent", "false"), ID);
        ok("BoolIfExists deny lifted with MFA", with(bob("s3:ListAllMyBuckets", null, policy(allow("*", "*"),
                "{'Effect':'Deny','NotAction':['iam:ChangePassword','iam:GetUser','sts:GetSessionToken'],'Resource':'*','Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}}")),
                "aws:MultiFactorAuthPresent", "true"));
        ok("NotAction exempts GetSessionToken without MFA", bob("sts:GetSessionToken", null, j(mfaDeny)));
        String numIfExists = policy(allowIf("s3:ListBucket", "*", "{'NumericLessThanEqualsIfExists':{'s3:max-keys':'100'}}"));
        ok("NumericIfExists absent", bob("s3:ListBucket", "arn:aws:s3:::b", numIfExists));
        implicit("NumericIfExists too many", with(bob("s3:ListBucket", "arn:aws:s3:::b", numIfExists), "s3:max-keys", "1000"), ID);
        String ipIfExists = policy(allowIf("*", "*", "{'IpAddressIfExists':{'aws:SourceIp':'10.0.0.0/8'}}"));
        ok("IpAddressIfExists absent (a service calling)", bob("s3:GetObject", null, ipIfExists));
        implicit("IpAddressIfExists outside", with(bob("s3:GetObject", null, ipIfExists), "aws:SourceIp", "8.8.8.8"), ID);
    }

    private static void setOperators() {
        String allowedKeys = policy(allowIf("ec2:CreateTags", "*",
                "{'ForAllValues:StringEquals':{'aws:TagKeys':['environment','cost-center']}}"));
        ok("ForAllValues: subset", with(bob("ec2:CreateTags", null, allowedKeys), "aws:TagKeys", "environment"));
        ok("ForAllValues: both", with(bob("ec2:CreateTags", null, allowedKeys), "aws:TagKeys", "environment|cost-center"));
        implicit("ForAllValues: one extra key", with(bob("ec2:CreateTags", null, allowedKeys), "aws:TagKeys", "environment|owner"), ID);
        ok("ForAllValues: absent key is vacuously true", bob("ec2:CreateTags", null, allowedKeys));
        String anyKey = policy(allowIf("ec2:CreateTags", "*", "{'ForAnyValue:StringEquals':{'aws:TagKeys':['environment','cost-center']}}"));
        ok("ForAnyValue: one of them", with(bob("ec2:CreateTags", null, anyKey), "aws:TagKeys", "owner|cost-center"));
        implicit("ForAnyValue: none of them", with(bob("ec2:CreateTags", null, anyKey), "aws:TagKeys", "owner|project"), ID);
        implicit("ForAnyValue: absent key is false", bob("ec2:CreateTags", null, anyKey), ID);
        String denyKeys = policy(allow("*", "*"), denyIf("ec2:CreateTags", "*", "{'ForAnyValue:StringEquals':{'aws:TagKeys':'protected'}}"));
        explicit("ForAnyValue deny hits one key", with(bob("ec2:CreateTags", null, denyKeys), "aws:TagKeys", "a|protected"), ID);
        ok("ForAnyValue deny misses", with(bob("ec2:CreateTags", null, denyKeys), "aws:TagKeys", "a|b"));
        String calledVia = policy(allowIf("s3:*", "*", "{'ForAnyValue:StringEquals':{'aws:CalledVia':['cloudformation.amazonaws.com']}}"));
        ok("CalledVia CloudFormation", with(bob("s3:CreateBucket", null, calledVia), "aws:CalledVia", "cloudformation.amazonaws.com"));
        implicit("Called directly", bob("s3:CreateBucket", null, calledVia), ID);
        String allLike = policy(allowIf("ec2:CreateTags", "*", "{'ForAllValues:StringLike':{'aws:TagKeys':['team-*','env']}}"));
        ok("ForAllValues:StringLike all match", with(bob("ec2:CreateTags", null, allLike), "aws:TagKeys", "team-a|env|team-b"));
        implicit("ForAllValues:StringLike one misses", with(bob("ec2:CreateTags", null, allLike), "aws:TagKeys", "team-a|owner"), ID);
        String allNot = policy(allowIf("ec2:CreateTags", "*", "{'ForAllValues:StringNotEquals':{'aws:TagKeys':['secret','admin']}}"));
        ok("ForAllValues:StringNotEquals none forbidden", with(bob("ec2:CreateTags", null, allNot), "aws:TagKeys", "a|b"));
        implicit("ForAllValues:StringNotEquals one forbidden", with(bob("ec2:CreateTags", null, allNot), "aws:TagKeys", "a|admin"), ID);
        String anyNot = policy(allowIf("ec2:CreateTags", "*", "{'ForAnyValue:StringNotEquals':{'aws:TagKeys':'admin'}}"));
        ok("ForAnyValue:StringNotEquals one other", with(bob("ec2:CreateTags", null, anyNot), "aws:TagKeys", "admin|b"));
        implicit("ForAnyValue:StringNotEquals only admin", with(bob("ec2:CreateTags", null, anyNot), "aws:TagKeys", "admin"), ID);
        String dynamoAttrs = policy(allowIf("dynamodb:GetItem", "*",
                "{'ForAllValues:StringEquals':{'dynamodb:Attributes':['ID','Message','Tags']}}"));
        ok("DynamoDB attributes within the list", with(bob("dynamodb:GetItem", null, dynamoAttrs), "dynamodb:Attributes", "ID|Message"));
        implicit("DynamoDB attributes beyond the list", with(bob("dynamodb:GetItem", null, dynamoAttrs), "dynamodb:Attributes", "ID|Secret"), ID);
        String leading = policy(allowIf("dynamodb:GetItem,dynamodb:Query", "arn:aws:dynamodb:*:*:table/GameScores",
                "{'ForAllValues:StringEquals':{'dynamodb:LeadingKeys':['${aws:userid}']}}"));
        ok("LeadingKeys equal the caller's id", with(bob("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/GameScores", leading), "dynamodb:LeadingKeys", "AIDAEXAMPLEBOB"));
        implicit("LeadingKeys of another user", with(bob("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/GameScores", leading), "dynamodb:LeadingKeys", "AIDAOTHER"), ID);
    }

    private static void variables() {
        String home = policy(allow("s3:GetObject,s3:PutObject,s3:DeleteObject", "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"));
        ok("${aws:username} in Resource: own folder", bob("s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/notes.txt", home));
        implicit("${aws:username} in Resource: other folder", bob("s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/notes.txt", home), ID);
        implicit("${aws:username} is absent for role sessions", session("s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/x", home), ID);
        String old = j("{'Version':'2008-10-17','Statement':[" + allow("s3:GetObject", "arn:aws:s3:::b/${aws:username}/*") + "]}");
        implicit("2008-10-17: variables are literal text", bob("s3:GetObject", "arn:aws:s3:::b/bob/x").identityPolicy(lenient(old)), ID);
        ok("2008-10-17: the literal text matches", bob("s3:GetObject", "arn:aws:s3:::b/${aws:username}/x").identityPolicy(lenient(old)));
        String noVersion = j("{'Statement':[" + allow("s3:GetObject", "arn:aws:s3:::b/${aws:username}/*") + "]}");
        AuthorizationRequest nv = bob("s3:GetObject", "arn:aws:s3:::b/bob/x");
        nv.identityPolicy(lenient(noVersion));
        implicit("no Version: variables are literal text", nv, ID);
        String escapes = policy(allow("s3:GetObject", "arn:aws:s3:::b/${*}${?}${$}/*"));
        ok("${*} ${?} ${$} are literal characters", bob("s3:GetObject", "arn:aws:s3:::b/*?$/k", escapes));
        implicit("${*} is not a wildcard", bob("s3:GetObject", "arn:aws:s3:::b/abc/k", escapes), ID);
        String withDefault = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*\"}}";
        ok("default value used when the tag is absent", bob("s3:GetObject", "arn:aws:s3:::b/shared/k", withDefault));
        ok("tag value used when present", with(bob("s3:GetObject", "arn:aws:s3:::b/blue/k", withDefault), "aws:PrincipalTag/team", "blue"));
        implicit("tag value replaces the default", with(bob("s3:GetObject", "arn:aws:s3:::b/shared/k", withDefault), "aws:PrincipalTag/team", "blue"), ID);
        String userid = policy(allow("s3:*", "arn:aws:s3:::b/${aws:userid}/*"));
        ok("${aws:userid} of a role session contains the session name", session("s3:GetObject", "arn:aws:s3:::b/AROAEXAMPLE:ci/k", userid));
        String ownUser = policy(allow("iam:ChangePassword,iam:GetUser", "arn:aws:iam::*:user/${aws:username}"));
        ok("own user: ChangePassword", bob("iam:ChangePassword", USER_ARN, ownUser));
        implicit("own user: someone else", bob("iam:ChangePassword", "arn:aws:iam::111122223333:user/alice", ownUser), ID);
        String ownKeys = policy(allow("iam:CreateAccessKey,iam:DeleteAccessKey", "arn:aws:iam::111122223333:user/${aws:username}"));
        ok("own access keys", bob("iam:CreateAccessKey", USER_ARN, ownKeys));
        implicit("another user's access keys", bob("iam:DeleteAccessKey", "arn:aws:iam::111122223333:user/alice", ownKeys), ID);
        String likeVar = policy(allowIf("s3:ListBucket", "arn:aws:s3:::b", "{'StringLike':{'s3:prefix':'${aws:username}/*'}}"));
        ok("variable in StringLike", with(bob("s3:ListBucket", "arn:aws:s3:::b", likeVar), "s3:prefix", "bob/docs"));
        implicit("variable in StringLike, other prefix", with(bob("s3:ListBucket", "arn:aws:s3:::b", likeVar), "s3:prefix", "alice/docs"), ID);
        String principalVar = policy(allowIf("sqs:*", "*", "{'StringEquals':{'aws:PrincipalAccount':'${aws:ResourceAccount}'}}"));
        ok("variable of another key", with(bob("sqs:SendMessage", null, principalVar), "aws:ResourceAccount", ACCOUNT));
        implicit("variable of another key, differing", with(bob("sqs:SendMessage", null, principalVar), "aws:ResourceAccount", OTHER), ID);
        implicit("variable of a missing key", bob("sqs:SendMessage", null, principalVar), ID);
    }

    private static void notElements() {
        String notAction = policy("{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}");
        ok("NotAction allows other services", bob("s3:GetObject", "arn:aws:s3:::b/k", notAction));
        implicit("NotAction does not allow the listed service", bob("iam:CreateUser", "arn:aws:iam::111122223333:user/x", notAction), ID);
        implicit("NotAction matches case-insensitively", bob("IAM:createuser", "arn:aws:iam::111122223333:user/x", notAction), ID);
        String notResource = policy(allow("s3:*", "*"), "{'Effect':'Deny','Action':'s3:*','NotResource':['arn:aws:s3:::hr','arn:aws:s3:::hr/*']}");
        ok("NotResource deny: the listed bucket", bob("s3:GetObject", "arn:aws:s3:::hr/payroll", notResource));
        explicit("NotResource deny: another bucket", bob("s3:GetObject", "arn:aws:s3:::finance/x", notResource), ID);
        String regions = policy(allow("*", "*"), "{'Effect':'Deny','NotAction':['iam:*','organizations:*','route53:*','sts:*','support:*'],"
                + "'Resource':'*','Condition':{'StringNotEquals':{'aws:RequestedRegion':['eu-central-1','eu-west-1']}}}");
        explicit("region lock: us-east-1 denied", with(bob("ec2:RunInstances", null, regions), "aws:RequestedRegion", "us-east-1"), ID);
        ok("region lock: eu-west-1 allowed", with(bob("ec2:RunInstances", null, regions), "aws:RequestedRegion", "eu-west-1"));
        ok("region lock: global IAM exempt", with(bob("iam:ListUsers", null, regions), "aws:RequestedRegion", "us-east-1"));
        ok("region lock: STS exempt", with(bob("sts:AssumeRole", null, regions), "aws:RequestedRegion", "us-east-1"));
        String notResAllow = policy("{'Effect':'Allow','Action':'s3:*','NotResource':'arn:aws:s3:::secret/*'}");
        ok("NotResource allow: other objects", bob("s3:GetObject", "arn:aws:s3:::public/x", notResAllow));
        implicit("NotResource allow: the excluded objects", bob("s3:GetObject", "arn:aws:s3:::secret/x", notResAllow), ID);
        String notPrincipal = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'},"
                + "{'Effect':'Deny','NotPrincipal':{'AWS':['arn:aws:iam::111122223333:user/bob','arn:aws:iam::111122223333:root']},"
                + "'Action':'s3:*','Resource':'arn:aws:s3:::b/*'}]}";
        ok("NotPrincipal deny exempts the listed user", bob("s3:GetObject", "arn:aws:s3:::b/k").resourcePolicy(resource(notPrincipal), ACCOUNT));
        AuthorizationRequest alice = new AuthorizationRequest(Principal.user("arn:aws:iam::111122223333:user/alice", ACCOUNT),
                "s3:GetObject", "arn:aws:s3:::b/k").resourcePolicy(resource(notPrincipal), ACCOUNT);
        explicit("NotPrincipal deny hits everyone else", alice, RES);
    }

    private static void boundariesSessionsScps() {
        String boundary = policy(allow("s3:*,cloudwatch:*,ec2:*", "*"));
        String createUser = policy(allow("iam:CreateUser", "*"));
        implicit("boundary: identity allows, boundary does not", bob("iam:CreateUser", "arn:aws:iam::111122223333:user/x", createUser)
                .permissionsBoundary(identity(boundary)), PB);
        implicit("boundary: boundary allows, identity does not", bob("s3:GetObject", "arn:aws:s3:::b/k")
                .permissionsBoundary(identity(boundary)), ID);
        ok("boundary: both allow", bob("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:GetObject", "*")))
                .permissionsBoundary(identity(boundary)));
        explicit("boundary: explicit deny in the boundary", bob("s3:DeleteBucket", "arn:aws:s3:::b", policy(allow("s3:*", "*")))
                .permissionsBoundary(identity(policy(allow("s3:*", "*"), deny("s3:DeleteBucket", "*")))), PB);
        String boundaryWithCondition = policy(allowIf("s3:*", "*", "{'StringEquals':{'aws:RequestedRegion':'us-east-1'}}"));
        ok("boundary with condition holds", with(bob("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .permissionsBoundary(identity(boundaryWithCondition)), "aws:RequestedRegion", "us-east-1"));
        implicit("boundary with condition fails", with(bob("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .permissionsBoundary(identity(boundaryWithCondition)), "aws:RequestedRegion", "eu-west-1"), PB);
        String sessionPolicy = policy(allow("s3:GetObject", "*"));
        ok("session: role allows, session allows", session("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .sessionPolicy(identity(sessionPolicy)));
        implicit("session: role allows, session does not", session("s3:PutObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .sessionPolicy(identity(sessionPolicy)), SES);
        implicit("session: session allows, role does not", session("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q")
                .sessionPolicy(identity(policy(allow("*", "*")))), ID);
        explicit("session: explicit deny in session policy", session("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .sessionPolicy(identity(policy(allow("*", "*"), deny("s3:GetObject", "*")))), SES);
        ok("session: no session policy leaves the role's permissions", session("s3:PutObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*"))));
        List<Policy> fullAccess = List.of(identity(policy(allow("*", "*"))));
        List<List<Policy>> scps = List.of(fullAccess, List.of(identity(policy(allow("*", "*"),
                deny("organizations:LeaveOrganization", "*")))), fullAccess);
        explicit("SCP denies leaving the organization", bob("organizations:LeaveOrganization", null, policy(allow("*", "*")))
                .serviceControlPolicies(scps), SCP);
        ok("SCP with FullAWSAccess everywhere", bob("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("*", "*"))).serviceControlPolicies(scps));
        List<List<Policy>> allowList = List.of(fullAccess, List.of(identity(policy(allow("ec2:*,s3:*", "*")))), fullAccess);
        implicit("SCP allow list without the service", bob("dynamodb:ListTables", null, policy(allow("*", "*"))).serviceControlPolicies(allowList), SCP);
        ok("SCP allow list with the service", bob("s3:ListAllMyBuckets", null, policy(allow("*", "*"))).serviceControlPolicies(allowList));
        implicit("SCP allows but identity does not", bob("s3:ListAllMyBuckets", null).serviceControlPolicies(allowList), ID);
        implicit("SCP at the account level missing FullAWSAccess", bob("s3:ListAllMyBuckets", null, policy(allow("*", "*")))
                .serviceControlPolicies(List.of(fullAccess, fullAccess, List.of())), SCP);
        implicit("SCP limits root of a member account", new AuthorizationRequest(Principal.root(ACCOUNT), "dynamodb:ListTables", null)
                .serviceControlPolicies(allowList), SCP);
        List<List<Policy>> regionScp = List.of(fullAccess, List.of(identity(policy(allow("*", "*"),
                denyIf("*", "*", "{'StringNotEquals':{'aws:RequestedRegion':'eu-west-1'}}")))));
        explicit("SCP region deny", with(bob("ec2:RunInstances", null, policy(allow("*", "*"))).serviceControlPolicies(regionScp),
                "aws:RequestedRegion", "us-east-1"), SCP);
        ok("SCP region deny, allowed region", with(bob("ec2:RunInstances", null, policy(allow("*", "*"))).serviceControlPolicies(regionScp),
                "aws:RequestedRegion", "eu-west-1"));
        explicit("SCP deny beats a same-account resource policy", bob("s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource("{'Statement':[{'Effect':'Allow','Principal':{'AWS':'" + USER_ARN + "'},'Action':'s3:*','Resource':'*'}]}"), ACCOUNT)
                .serviceControlPolicies(List.of(List.of(identity(policy(allow("*", "*"), deny("s3:*", "*")))))), SCP);
    }

    private static void resourcePolicies() {
        String bucketForBob = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'" + USER_ARN
                + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]}";
        ok("same account: bucket policy naming the user allows alone", bob("s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(bucketForBob), ACCOUNT));
        ok("same account: bucket policy naming the user passes a boundary", bob("s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(bucketForBob), ACCOUNT).permissionsBoundary(identity(policy(allow("sqs:*", "*")))));
        implicit("same account: bucket policy for another action", bob("s3:PutObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(bucketForBob), ACCOUNT), ID);
        String bucketForAccount = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::"
                + ACCOUNT + ":root'},'Action':'s3:*','Resource':'arn:aws:s3:::b/*'}]}";
        implicit("same account: account principal delegates to identity policies", bob("s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(bucketForAccount), ACCOUNT), ID);
        ok("same account: account principal plus identity allow", bob("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:GetObject", "*")))
                .resourcePolicy(resource(bucketForAccount), ACCOUNT));
        String denyBucket = "{'Version':'2012-10-17','Statement':[{'Effect':'Deny','Principal':'*','Action':'s3:DeleteObject','Resource':'arn:aws:s3:::b/*'}]}";
        explicit("resource policy explicit deny beats identity allow", bob("s3:DeleteObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .resourcePolicy(resource(denyBucket), ACCOUNT), RES);
        explicit("resource policy deny applies to root", new AuthorizationRequest(Principal.root(ACCOUNT), "s3:DeleteObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(denyBucket), ACCOUNT), RES);
        String crossBucket = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + OTHER
                + ":root'},'Action':['s3:GetObject','s3:ListBucket'],'Resource':['arn:aws:s3:::b','arn:aws:s3:::b/*']}]}";
        ok("cross account: both sides allow", stranger("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:GetObject", "arn:aws:s3:::b/*")))
                .resourcePolicy(resource(crossBucket), ACCOUNT));
        implicit("cross account: bucket allows, identity does not", stranger("s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(crossBucket), ACCOUNT), ID);
        implicit("cross account: identity allows, bucket does not", stranger("s3:PutObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .resourcePolicy(resource(crossBucket), ACCOUNT), RES);
        implicit("cross account: no resource policy", stranger("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .resourceAccount(ACCOUNT), RES);
        implicit("cross account: boundary still limits", stranger("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .resourcePolicy(resource(crossBucket), ACCOUNT).permissionsBoundary(identity(policy(allow("sqs:*", "*")))), PB);
        String crossUser = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + OTHER
                + ":user/carol'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]}";
        ok("cross account: principal named by user ARN", stranger("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .resourcePolicy(resource(crossUser), ACCOUNT));
        implicit("cross account: naming the user does not skip the identity side", stranger("s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(crossUser), ACCOUNT), ID);
        String publicRead = "{'Version':'2012-10-17','Statement':[{'Sid':'PublicRead','Effect':'Allow','Principal':'*','Action':['s3:GetObject','s3:GetObjectVersion'],'Resource':'arn:aws:s3:::b/*'}]}";
        ok("public read: anonymous", new AuthorizationRequest(Principal.anonymous(), "s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(publicRead), ACCOUNT));
        implicit("public read: anonymous write", new AuthorizationRequest(Principal.anonymous(), "s3:PutObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(publicRead), ACCOUNT), RES);
        ok("public read: any account", stranger("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .resourcePolicy(resource(publicRead), ACCOUNT));
        implicit("anonymous without a resource policy", new AuthorizationRequest(Principal.anonymous(), "s3:GetObject", "arn:aws:s3:::b/k"), ID);
        String orgOnly = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*',"
                + "'Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}]}";
        ok("PrincipalOrgID matches", with(stranger("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .resourcePolicy(resource(orgOnly), ACCOUNT), "aws:PrincipalOrgID", "o-a1b2c3d4e5"));
        implicit("PrincipalOrgID differs", with(stranger("s3:GetObject", "arn:aws:s3:::b/k", policy(allow("s3:*", "*")))
                .resourcePolicy(resource(orgOnly), ACCOUNT), "aws:PrincipalOrgID", "o-other"), RES);
        String trust = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + OTHER
                + ":root'},'Action':'sts:AssumeRole','Condition':{'StringEquals':{'sts:ExternalId':'Unique-ID'}}}]}";
        Policy trustPolicy = new Policy("trust", PolicyDocument.parse(j(trust), PolicyKind.TRUST));
        ok("trust: other account with external id", with(stranger("sts:AssumeRole", ROLE_ARN, policy(allow("sts:AssumeRole", "*")))
                .resourcePolicy(trustPolicy, ACCOUNT), "sts:ExternalId", "Unique-ID"));
        implicit("trust: wrong external id", with(stranger("sts:AssumeRole", ROLE_ARN, policy(allow("sts:AssumeRole", "*")))
                .resourcePolicy(trustPolicy, ACCOUNT), "sts:ExternalId", "guess"), RES);
        implicit("trust: caller's account lets it not", with(stranger("sts:AssumeRole", ROLE_ARN)
                .resourcePolicy(trustPolicy, ACCOUNT), "sts:ExternalId", "Unique-ID"), ID);
        String lambdaTrust = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'Service':'lambda.amazonaws.com'},'Action':'sts:AssumeRole'}]}";
        ok("trust: service principal", new AuthorizationRequest(Principal.service("lambda.amazonaws.com"), "sts:AssumeRole", ROLE_ARN)
                .resourcePolicy(new Policy("trust", PolicyDocument.parse(j(lambdaTrust), PolicyKind.TRUST)), ACCOUNT));
        implicit("trust: another service", new AuthorizationRequest(Principal.service("ec2.amazonaws.com"), "sts:AssumeRole", ROLE_ARN)
                .resourcePolicy(new Policy("trust", PolicyDocument.parse(j(lambdaTrust), PolicyKind.TRUST)), ACCOUNT), RES);
        String sameAccountTrust = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'" + USER_ARN + "'},'Action':'sts:AssumeRole'}]}";
        ok("trust: same-account user named directly", bob("sts:AssumeRole", ROLE_ARN)
                .resourcePolicy(new Policy("trust", PolicyDocument.parse(j(sameAccountTrust), PolicyKind.TRUST)), ACCOUNT));
        Policy lambdaOnly = new Policy("trust", PolicyDocument.parse(j(lambdaTrust), PolicyKind.TRUST));
        implicit("trust: same-account user allowed by identity but not trusted", bob("sts:AssumeRole", ROLE_ARN,
                policy(allow("sts:AssumeRole", "*"))).resourcePolicy(lambdaOnly, ACCOUNT).requireResourcePolicy(), RES);
        String accountTrust = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + ACCOUNT
                + ":root'},'Action':'sts:AssumeRole'}]}";
        Policy trustsAccount = new Policy("trust", PolicyDocument.parse(j(accountTrust), PolicyKind.TRUST));
        ok("trust: account trusted and identity allows", bob("sts:AssumeRole", ROLE_ARN, policy(allow("sts:AssumeRole", "*")))
                .resourcePolicy(trustsAccount, ACCOUNT).requireResourcePolicy());
        implicit("trust: account trusted but identity silent", bob("sts:AssumeRole", ROLE_ARN)
                .resourcePolicy(trustsAccount, ACCOUNT).requireResourcePolicy(), ID);
        String roleBucket = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'" + ROLE_ARN
                + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]}";
        ok("role ARN in a bucket policy allows its sessions", session("s3:GetObject", "arn:aws:s3:::b/k").resourcePolicy(resource(roleBucket), ACCOUNT));
        implicit("role ARN grant is still limited by a session policy", session("s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(roleBucket), ACCOUNT).sessionPolicy(identity(policy(allow("sqs:*", "*")))), SES);
        String sessionBucket = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'" + SESSION_ARN
                + "'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]}";
        ok("session ARN grant ignores the session policy", session("s3:GetObject", "arn:aws:s3:::b/k")
                .resourcePolicy(resource(sessionBucket), ACCOUNT).sessionPolicy(identity(policy(allow("sqs:*", "*")))));
        String accountId = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':'" + OTHER
                + "'},'Action':'sqs:SendMessage','Resource':'*'}]}";
        ok("bare account id as principal", stranger("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q", policy(allow("sqs:*", "*")))
                .resourcePolicy(resource(accountId), ACCOUNT));
        implicit("resource policy for another principal type", stranger("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q",
                policy(allow("sqs:*", "*"))).resourcePolicy(resource("{'Statement':[{'Effect':'Allow','Principal':{'Service':'sns.amazonaws.com'},'Action':'sqs:*','Resource':'*'}]}"), ACCOUNT), RES);
    }

    /** More of the IAM User Guide's example policies (MFA, tags, time windows, PassRole, root sessions, cross-account). */
    private static void userGuideExamples() {
        // "AWS: Denies access to AWS based on MFA": BoolIfExists so that a missing key denies too
        String mfa = policy(allow("ec2:*", "*"), denyIf("ec2:StopInstances,ec2:TerminateInstances", "*",
                "{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}"));
        explicit("MFA example: no MFA key denies stopping", bob("ec2:StopInstances", null, mfa), ID);
        explicit("MFA example: MFA false denies stopping", with(bob("ec2:StopInstances", null, mfa), "aws:MultiFactorAuthPresent", "false"), ID);
        ok("MFA example: MFA true allows stopping", with(bob("ec2:StopInstances", null, mfa), "aws:MultiFactorAuthPresent", "true"));
        ok("MFA example: other actions need no MFA", bob("ec2:DescribeInstances", null, mfa));
        String mfaAge = policy(allowIf("iam:*", "*", "{'NumericLessThan':{'aws:MultiFactorAuthAge':'3600'}}"));
        ok("MFA age under an hour", with(bob("iam:ListUsers", null, mfaAge), "aws:MultiFactorAuthAge", "1800"));
        implicit("MFA age over an hour", with(bob("iam:ListUsers", null, mfaAge), "aws:MultiFactorAuthAge", "7200"), ID);
        implicit("MFA age missing", bob("iam:ListUsers", null, mfaAge), ID);
        // "AWS: Allows access within specific dates"
        String window = policy(allowIf("dynamodb:*", "*",
                "{'DateGreaterThan':{'aws:CurrentTime':'2026-04-01T00:00:00Z'},'DateLessThan':{'aws:CurrentTime':'2026-06-30T23:59:59Z'}}"));
        ok("date window: inside", with(bob("dynamodb:GetItem", null, window), "aws:CurrentTime", "2026-05-15T12:00:00Z"));
        implicit("date window: before", with(bob("dynamodb:GetItem", null, window), "aws:CurrentTime", "2026-03-31T23:59:59Z"), ID);
        implicit("date window: after", with(bob("dynamodb:GetItem", null, window), "aws:CurrentTime", "2026-07-01T00:00:00Z"), ID);
        // "EC2: Start or stop instances based on tags": ResourceTag/Owner must be the user name
        String owner = policy(allowIf("ec2:StartInstances,ec2:StopInstances", "arn:aws:ec2:*:*:instance/*",
                "{'StringEquals':{'aws:ResourceTag/Owner':'${aws:username}'}}"));
        ok("owner tag matches the user name", with(bob("ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", owner),
                "aws:ResourceTag/Owner", "bob"));
        implicit("owner tag names someone else", with(bob("ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", owner),
                "aws:ResourceTag/Owner", "alice"), ID);
        implicit("owner tag missing", bob("ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", owner), ID);
        // "IAM: Pass an IAM role to a specific AWS service"
        String passRole = policy(allowIf("iam:PassRole", "arn:aws:iam::111122223333:role/lambda-*",
                "{'StringEquals':{'iam:PassedToService':'lambda.amazonaws.com'}}"));
        ok("PassRole to Lambda", with(bob("iam:PassRole", "arn:aws:iam::111122223333:role/lambda-exec", passRole),
                "iam:PassedToService", "lambda.amazonaws.com"));
        implicit("PassRole to EC2", with(bob("iam:PassRole", "arn:aws:iam::111122223333:role/lambda-exec", passRole),
                "iam:PassedToService", "ec2.amazonaws.com"), ID);
        implicit("PassRole of another role", with(bob("iam:PassRole", "arn:aws:iam::111122223333:role/admin", passRole),
                "iam:PassedToService", "lambda.amazonaws.com"), ID);
        // "IAM: Tag users only with allowed keys": RequestTag and ForAllValues on TagKeys
        String tagging = policy(allowIf("iam:TagUser", "*",
                "{'ForAllValues:StringEquals':{'aws:TagKeys':['Department','JobFunction']},'StringEqualsIfExists':{'aws:RequestTag/Department':['Sales','Finance']}}"));
        ok("tag keys all allowed", with(bob("iam:TagUser", "arn:aws:iam::111122223333:user/x", tagging),
                "aws:TagKeys", "Department|JobFunction", "aws:RequestTag/Department", "Sales"));
        implicit("a tag key outside the list", with(bob("iam:TagUser", "arn:aws:iam::111122223333:user/x", tagging),
                "aws:TagKeys", "Department|CostCenter", "aws:RequestTag/Department", "Sales"), ID);
        implicit("a department value outside the list", with(bob("iam:TagUser", "arn:aws:iam::111122223333:user/x", tagging),
                "aws:TagKeys", "Department", "aws:RequestTag/Department", "Engineering"), ID);
        ok("only JobFunction, no department value", with(bob("iam:TagUser", "arn:aws:iam::111122223333:user/x", tagging),
                "aws:TagKeys", "JobFunction"));
        // StringEqualsIgnoreCase
        String ignoreCase = policy(allowIf("s3:GetObject", "*", "{'StringEqualsIgnoreCase':{'aws:PrincipalTag/team':'Blue'}}"));
        ok("StringEqualsIgnoreCase ignores case", with(bob("s3:GetObject", "arn:aws:s3:::b/k", ignoreCase), "aws:PrincipalTag/team", "BLUE"));
        implicit("StringEqualsIgnoreCase still compares", with(bob("s3:GetObject", "arn:aws:s3:::b/k", ignoreCase), "aws:PrincipalTag/team", "red"), ID);
        // root sessions of sts:AssumeRoot are scoped by their task policy (a session policy)
        String unlock = policy(allow("s3:DeleteBucketPolicy,s3:GetBucketPolicy,s3:PutBucketPolicy,s3:ListAllMyBuckets", "*"));
        ok("root session within its task policy", new AuthorizationRequest(Principal.root(ACCOUNT), "s3:DeleteBucketPolicy", "arn:aws:s3:::b")
                .sessionPolicy(identity(unlock)));
        implicit("root session outside its task policy", new AuthorizationRequest(Principal.root(ACCOUNT), "s3:CreateBucket", "arn:aws:s3:::b")
                .sessionPolicy(identity(unlock)), SES);
        ok("root without a session has every permission", new AuthorizationRequest(Principal.root(ACCOUNT), "s3:CreateBucket", "arn:aws:s3:::b"));
        // cross-account access needs both sides
        String bucketForOther = "{'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::" + OTHER + ":root'},"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::shared/*'}]}";
        ok("cross-account: bucket policy and identity policy agree", stranger("s3:GetObject", "arn:aws:s3:::shared/k",
                policy(allow("s3:GetObject", "arn:aws:s3:::shared/*"))).resourcePolicy(resource(bucketForOther), ACCOUNT));
        implicit("cross-account: only the bucket policy allows", stranger("s3:GetObject", "arn:aws:s3:::shared/k")
                .resourcePolicy(resource(bucketForOther), ACCOUNT), ID);
        implicit("cross-account: only the identity policy allows", stranger("s3:GetObject", "arn:aws:s3:::shared/k",
                policy(allow("s3:GetObject", "*"))).resourceAccount(ACCOUNT), RES);
        implicit("cross-account: the bucket policy allows another action", stranger("s3:PutObject", "arn:aws:s3:::shared/k",
                policy(allow("s3:*", "*"))).resourcePolicy(resource(bucketForOther), ACCOUNT), RES);
        String orgBucket = "{'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::shared/*',"
                + "'Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}]}";
        ok("cross-account: PrincipalOrgID grants an organization", with(stranger("s3:GetObject", "arn:aws:s3:::shared/k",
                policy(allow("s3:GetObject", "*"))).resourcePolicy(resource(orgBucket), ACCOUNT), "aws:PrincipalOrgID", "o-a1b2c3d4e5"));
        implicit("cross-account: PrincipalOrgID of another organization", with(stranger("s3:GetObject", "arn:aws:s3:::shared/k",
                policy(allow("s3:GetObject", "*"))).resourcePolicy(resource(orgBucket), ACCOUNT), "aws:PrincipalOrgID", "o-zzzzzzzzzz"), RES);
    }
}
