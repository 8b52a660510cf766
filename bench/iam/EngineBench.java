import dev.terrarium.core.iam.AuthorizationRequest;
import dev.terrarium.core.iam.ContextKeys;
import dev.terrarium.core.iam.Decision;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyEvaluator;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.Principal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The policy engine alone: the time of one authorization of a realistic request — a role session with three
 * identity policies, a permissions boundary, SCPs at three levels, a bucket policy and a session policy, with
 * conditions on IP, transport, time, tags and prefix, and policy variables. Policies are parsed once (as the
 * server keeps them); what is timed is PolicyEvaluator.evaluate, with its trace: thread CPU time per call
 * (steady on a shared machine) and wall time, medians over batches.
 * Usage: java -cp <core classes + deps> bench/iam/EngineBench.java [iterations-per-batch] [batches]
 */
public class EngineBench {
    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static final String ACCOUNT = "111122223333";
    static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/app/Builder";
    static final String SESSION = "arn:aws:sts::" + ACCOUNT + ":assumed-role/Builder/ci";

    static Policy p(String name, PolicyKind kind, String singleQuoted) {
        return new Policy(name, PolicyDocument.parse(singleQuoted.replace('\'', '"'), kind));
    }

    static final List<Policy> IDENTITY = List.of(
            p("S3HomeFolders", PolicyKind.IDENTITY, "{'Version':'2012-10-17','Statement':["
                    + "{'Sid':'ListHome','Effect':'Allow','Action':'s3:ListBucket','Resource':'arn:aws:s3:::data-bucket',"
                    + "'Condition':{'StringLike':{'s3:prefix':['home/${aws:PrincipalTag/team}/*','shared/*']}}},"
                    + "{'Sid':'ReadWriteHome','Effect':'Allow','Action':['s3:GetObject','s3:PutObject','s3:DeleteObject'],"
                    + "'Resource':['arn:aws:s3:::data-bucket/home/${aws:PrincipalTag/team}/*','arn:aws:s3:::data-bucket/shared/*']},"
                    + "{'Sid':'DenyUnencryptedPut','Effect':'Deny','Action':'s3:PutObject','Resource':'*',"
                    + "'Condition':{'StringNotEquals':{'s3:x-amz-server-side-encryption':'aws:kms'}}}]}"),
            p("QueuesByTag", PolicyKind.IDENTITY, "{'Version':'2012-10-17','Statement':["
                    + "{'Effect':'Allow','Action':['sqs:SendMessage','sqs:ReceiveMessage','sqs:DeleteMessage'],"
                    + "'Resource':'arn:aws:sqs:*:" + ACCOUNT + ":*',"
                    + "'Condition':{'StringEquals':{'aws:ResourceTag/team':'${aws:PrincipalTag/team}'},"
                    + "'IpAddress':{'aws:SourceIp':['10.0.0.0/8','127.0.0.0/8']}}},"
                    + "{'Effect':'Allow','Action':['dynamodb:GetItem','dynamodb:Query'],'Resource':'arn:aws:dynamodb:*:*:table/app-*'}]}"),
            p("DenyOutsideHours", PolicyKind.IDENTITY, "{'Version':'2012-10-17','Statement':["
                    + "{'Effect':'Deny','NotAction':['iam:Get*','iam:List*','sts:GetCallerIdentity'],'Resource':'*',"
                    + "'Condition':{'DateGreaterThan':{'aws:CurrentTime':'2030-01-01T00:00:00Z'}}},"
                    + "{'Effect':'Deny','Action':'*','Resource':'*','Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'},"
                    + "'StringEquals':{'aws:RequestedRegion':'ap-east-1'}}}]}"));
    static final Policy BOUNDARY = p("Boundary", PolicyKind.IDENTITY, "{'Version':'2012-10-17','Statement':["
            + "{'Effect':'Allow','Action':['s3:*','sqs:*','dynamodb:*','logs:*'],'Resource':'*'},"
            + "{'Effect':'Deny','Action':['s3:DeleteBucket','sqs:DeleteQueue'],'Resource':'*'}]}");
    static final List<List<Policy>> SCPS = List.of(
            List.of(p("FullAWSAccess", PolicyKind.SERVICE_CONTROL,
                    "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'*'}]}")),
            List.of(p("FullAWSAccess", PolicyKind.SERVICE_CONTROL,
                            "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'*'}]}"),
                    p("RegionLock", PolicyKind.SERVICE_CONTROL, "{'Version':'2012-10-17','Statement':["
                            + "{'Sid':'DenyOtherRegions','Effect':'Deny','NotAction':['iam:*','organizations:*','sts:*','support:*'],"
                            + "'Resource':'*','Condition':{'StringNotEquals':{'aws:RequestedRegion':['us-east-1','eu-west-1']},"
                            + "'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/Admin'}}}]}")),
            List.of(p("FullAWSAccess", PolicyKind.SERVICE_CONTROL,
                    "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'*'}]}")));
    static final Policy BUCKET = p("data-bucket policy", PolicyKind.RESOURCE, "{'Version':'2012-10-17','Statement':["
            + "{'Sid':'TLSOnly','Effect':'Deny','Principal':'*','Action':'s3:*','Resource':['arn:aws:s3:::data-bucket',"
            + "'arn:aws:s3:::data-bucket/*'],'Condition':{'Bool':{'aws:SecureTransport':'false'}}},"
            + "{'Sid':'OrgRead','Effect':'Allow','Principal':'*','Action':['s3:GetObject','s3:ListBucket'],"
            + "'Resource':['arn:aws:s3:::data-bucket','arn:aws:s3:::data-bucket/*'],"
            + "'Condition':{'StringEquals':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}},"
            + "{'Sid':'Partner','Effect':'Allow','Principal':{'AWS':'arn:aws:iam::444455556666:root'},'Action':'s3:GetObject',"
            + "'Resource':'arn:aws:s3:::data-bucket/partner/*'}]}");
    static final Policy SESSION_POLICY = p("session policy", PolicyKind.IDENTITY, "{'Version':'2012-10-17','Statement':["
            + "{'Effect':'Allow','Action':['s3:GetObject','s3:ListBucket','sqs:SendMessage'],'Resource':'*'}]}");

    static AuthorizationRequest request(String action, String resource, String secure, String prefix) {
        ContextKeys keys = new ContextKeys().put("aws:userid", "AROAEXAMPLEID:ci").put("aws:PrincipalArn", ROLE)
                .put("aws:PrincipalAccount", ACCOUNT).put("aws:PrincipalType", "AssumedRole")
                .put("aws:PrincipalOrgID", "o-a1b2c3d4e5").put("aws:PrincipalTag/team", "blue")
                .put("aws:SourceIp", "127.0.0.1").put("aws:SecureTransport", secure)
                .put("aws:CurrentTime", "2026-11-26T12:00:00Z").put("aws:EpochTime", "1795694400")
                .put("aws:RequestedRegion", "us-east-1").put("aws:TokenIssueTime", "2026-11-26T11:00:00Z")
                .put("aws:ResourceTag/team", "blue");
        if (prefix != null) {
            keys.put("s3:prefix", prefix);
        }
        return new AuthorizationRequest(Principal.roleSession(SESSION, ACCOUNT, ROLE), action, resource).context(keys)
                .identityPolicies(IDENTITY).permissionsBoundary(BOUNDARY).serviceControlPolicies(SCPS)
                .resourcePolicy(BUCKET, ACCOUNT).sessionPolicy(SESSION_POLICY);
    }

    record Workload(String name, Supplier<AuthorizationRequest> request, Decision.Outcome expected) {
    }

    public static void main(String[] args) {
        int perBatch = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<Workload> workloads = List.of(
                new Workload("allow-get-object", () -> request("s3:GetObject",
                        "arn:aws:s3:::data-bucket/home/blue/report.csv", "true", null), Decision.Outcome.ALLOW),
                new Workload("allow-list-prefix", () -> request("s3:ListBucket", "arn:aws:s3:::data-bucket", "true",
                        "home/blue/"), Decision.Outcome.ALLOW),
                new Workload("allow-by-bucket-policy", () -> request("s3:GetObject", "arn:aws:s3:::data-bucket/home/red/x",
                        "true", null), Decision.Outcome.ALLOW),
                new Workload("implicit-deny", () -> request("dynamodb:DeleteItem",
                        "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/app-orders", "true", null), Decision.Outcome.IMPLICIT_DENY),
                new Workload("explicit-deny-tls", () -> request("s3:GetObject",
                        "arn:aws:s3:::data-bucket/home/blue/report.csv", "false", null), Decision.Outcome.EXPLICIT_DENY),
                new Workload("explicit-deny-boundary", () -> request("sqs:DeleteQueue",
                        "arn:aws:sqs:us-east-1:" + ACCOUNT + ":jobs", "true", null), Decision.Outcome.EXPLICIT_DENY));
        System.out.printf("engine java=%s iterations=%d x %d batches%n", System.getProperty("java.version"), perBatch, batches);
        for (Workload w : workloads) {
            // built once, evaluated many times: what is timed is the evaluation, as the server does per request
            AuthorizationRequest req = w.request().get();
            Decision d = PolicyEvaluator.evaluate(req);
            if (d.outcome() != w.expected()) {
                throw new IllegalStateException(w.name() + ": expected " + w.expected() + " got " + d.outcome() + " " + d.trace());
            }
            int statements = d.trace().size();
            long sink = 0;
            for (int i = 0; i < perBatch * 2; i++) { // warm-up
                sink += PolicyEvaluator.evaluate(req).trace().size();
            }
            double[] ns = new double[batches];
            double[] cpu = new double[batches];
            for (int b = 0; b < batches; b++) {
                long t0 = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < perBatch; i++) {
                    sink += PolicyEvaluator.evaluate(req).trace().size();
                }
                cpu[b] = (THREADS.getCurrentThreadCpuTime() - c0) / (double) perBatch;
                ns[b] = (System.nanoTime() - t0) / (double) perBatch;
            }
            Arrays.sort(ns);
            Arrays.sort(cpu);
            System.out.printf("engine %-24s %-13s statements=%d cpu=%.2f us wall=%.2f us (wall min %.2f, max %.2f; sink %d)%n",
                    w.name(), d.outcome(), statements, cpu[batches / 2] / 1000, ns[batches / 2] / 1000, ns[0] / 1000,
                    ns[batches - 1] / 1000, sink % 7);
        }
        // the same request with the policies parsed on every evaluation (an upper bound, had the server no parsed copies)
        String[] docs = {"{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:GetObject','Resource':'*'}]}"};
        long t0 = THREADS.getCurrentThreadCpuTime();
        int n = perBatch;
        long sink = 0;
        for (int i = 0; i < n; i++) {
            sink += PolicyDocument.parse(docs[0].replace('\'', '"'), PolicyKind.IDENTITY).statements().size();
        }
        System.out.printf("engine %-24s %-13s statements=1  cpu=%.2f us (one pass after the rest; sink %d)%n", "parse-one-policy", "-",
                (THREADS.getCurrentThreadCpuTime() - t0) / (double) n / 1000, sink % 7);
    }
}
