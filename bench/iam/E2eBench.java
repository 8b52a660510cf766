import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cost of IAM enforcement per request, end to end through the AWS SDK for Java v2: two servers of one kind run
 * side by side, one open and one enforcing IAM, and the same calls, signed with an IAM user's key created through
 * IAM, alternate between them in rounds (so the machine's load weighs on both alike). Per workload it prints the
 * median latency on each server, and each server's CPU time per request (from /proc, steadier than wall time).
 * Usage: java -cp CP E2eBench.java <terrarium|moto> <open-endpoint> <open-pid> <enforced-endpoint> <enforced-pid>
 *        [calls-per-round] [rounds]
 */
public class E2eBench {
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:*:*:bench-queue\","
            + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}},"
            + "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bench-bucket/data/*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"blue\"}}},"
            + "{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\"}]}";

    record Target(String endpoint, int pid, SqsClient sqs, S3Client s3, String queueUrl) {
    }

    static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C client(B builder,
            String endpoint, String key, String secret) {
        return builder.endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryPolicy(software.amazon.awssdk.core.retry.RetryPolicy.none()))
                .build();
    }

    /** Creates the user, its policy and key, the queue, the bucket and the object; returns clients signed by the user. */
    static Target setUp(String kind, String endpoint, int pid, boolean enforce) throws Exception {
        IamClient iam = client(IamClient.builder(), endpoint, "test", "test");
        iam.createUser(r -> r.userName("bench").tags(t -> t.key("team").value("blue")));
        iam.putUserPolicy(r -> r.userName("bench").policyName("bench").policyDocument(POLICY));
        AccessKey key = iam.createAccessKey(r -> r.userName("bench")).accessKey();
        SqsClient rootSqs = client(SqsClient.builder(), endpoint, "test", "test");
        String url = rootSqs.createQueue(r -> r.queueName("bench-queue")).queueUrl();
        S3Client rootS3 = client(S3Client.builder().forcePathStyle(true), endpoint, "test", "test");
        rootS3.createBucket(r -> r.bucket("bench-bucket"));
        rootS3.putObject(r -> r.bucket("bench-bucket").key("data/object.txt"), RequestBody.fromString("x".repeat(256)));
        if (kind.equals("moto") && enforce) { // moto authenticates and authorizes every request from now on
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/reset-auth"))
                    .POST(HttpRequest.BodyPublishers.ofString("0")).build(), HttpResponse.BodyHandlers.ofString());
        }
        return new Target(endpoint, pid, client(SqsClient.builder(), endpoint, key.accessKeyId(), key.secretAccessKey()),
                client(S3Client.builder().forcePathStyle(true), endpoint, key.accessKeyId(), key.secretAccessKey()), url);
    }

    /** user + system CPU time of a process and its threads, in nanoseconds. */
    static long cpuNanos(int pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // clock ticks of 10 ms
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int perRound = args.length > 5 ? Integer.parseInt(args[5]) : 200;
        int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 10;
        Target open = setUp(kind, args[1], Integer.parseInt(args[2]), false);
        Target enforced = setUp(kind, args[3], Integer.parseInt(args[4]), true);
        Map<String, Function<Target, Boolean>> workloads = new LinkedHashMap<>(); // returns whether the call was allowed
        workloads.put("sqs-send-allowed", t -> call(() -> t.sqs().sendMessage(r -> r.queueUrl(t.queueUrl()).messageBody("hello"))));
        workloads.put("s3-get-allowed", t -> call(() -> t.s3().getObjectAsBytes(r -> r.bucket("bench-bucket").key("data/object.txt"))));
        workloads.put("sqs-attrs-implicit-deny", t -> call(() -> t.sqs().getQueueAttributes(r -> r.queueUrl(t.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))));
        workloads.put("s3-delete-explicit-deny", t -> call(() -> t.s3().deleteObject(r -> r.bucket("bench-bucket").key("data/none"))));
        Map<String, List<Long>> latencies = new LinkedHashMap<>();
        Map<String, Boolean> allowed = new LinkedHashMap<>();
        Map<Target, Long> cpu = new LinkedHashMap<>();
        Map<Target, Integer> calls = new LinkedHashMap<>();
        for (String w : workloads.keySet()) { // warm-up
            for (Target t : List.of(open, enforced)) {
                for (int i = 0; i < perRound; i++) {
                    workloads.get(w).apply(t);
                }
            }
        }
        Map<String, Long> cpuByWorkload = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String w : workloads.keySet()) {
                for (Target t : round % 2 == 0 ? List.of(open, enforced) : List.of(enforced, open)) {
                    String label = (t == open ? "open" : "enforced") + " " + w;
                    long c0 = cpuNanos(t.pid());
                    for (int i = 0; i < perRound; i++) {
                        long t0 = System.nanoTime();
                        boolean ok = workloads.get(w).apply(t);
                        latencies.computeIfAbsent(label, k -> new ArrayList<>()).add(System.nanoTime() - t0);
                        allowed.put(label, ok);
                    }
                    cpuByWorkload.merge(label, cpuNanos(t.pid()) - c0, Long::sum);
                }
            }
        }
        int n = perRound * rounds;
        for (String w : workloads.keySet()) {
            double[] med = new double[2];
            double[] cpuPer = new double[2];
            String[] verdict = new String[2];
            int i = 0;
            for (String mode : List.of("open", "enforced")) {
                List<Long> l = latencies.get(mode + " " + w);
                Collections.sort(l);
                med[i] = l.get(l.size() / 2) / 1000.0;
                cpuPer[i] = cpuByWorkload.get(mode + " " + w) / (double) n / 1000.0;
                verdict[i] = allowed.get(mode + " " + w) ? "allowed" : "denied";
                i++;
            }
            System.out.printf("%s %-24s open: %s %.0f us (server cpu %.0f us) | enforced: %s %.0f us (server cpu %.0f us)"
                            + " | overhead: %+.0f us latency, %+.0f us server cpu%n", kind, w, verdict[0], med[0], cpuPer[0],
                    verdict[1], med[1], cpuPer[1], med[1] - med[0], cpuPer[1] - cpuPer[0]);
        }
    }

    static boolean call(Runnable r) {
        try {
            r.run();
            return true;
        } catch (SdkServiceException e) {
            if (e.statusCode() == 403) {
                return false;
            }
            throw e;
        }
    }
}
