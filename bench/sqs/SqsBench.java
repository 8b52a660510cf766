import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * SQS workloads against one endpoint, through the AWS SDK for Java v2 (same client for every peer):
 *   send     SendMessage, THREADS threads, messages/s
 *   recvdel  ReceiveMessage (1) + DeleteMessage on a pre-filled queue, messages/s
 *   batch    SendMessageBatch(10) + ReceiveMessage(10) + DeleteMessageBatch(10), messages/s
 *   wake     long-poll wake-up: a parked ReceiveMessage(WaitTimeSeconds=20) gets a message sent after it, ms (median, p90)
 * Usage: java -cp CP SqsBench.java <name> <endpoint> [seconds] [threads]; prints one line per workload.
 */
public class SqsBench {
    static final String BODY = "x".repeat(256);

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String endpoint = args[1];
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads * 2 + 4)
                        .socketTimeout(Duration.ofSeconds(40)))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

        // warm-up: JIT on both sides
        String warm = sqs.createQueue(b -> b.queueName("warm-" + run)).queueUrl();
        timed(pool, threads, 2, () -> {
            sqs.sendMessage(b -> b.queueUrl(warm).messageBody(BODY));
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(warm).maxNumberOfMessages(1)).messages()) {
                sqs.deleteMessage(b -> b.queueUrl(warm).receiptHandle(m.receiptHandle()));
            }
            return 1;
        });

        String q1 = sqs.createQueue(b -> b.queueName("send-" + run)).queueUrl();
        double send = timed(pool, threads, seconds, () -> {
            sqs.sendMessage(b -> b.queueUrl(q1).messageBody(BODY));
            return 1;
        });
        print(name, "send", send, "msg/s");

        // the send queue now holds plenty of messages to receive and delete
        double recvdel = timed(pool, threads, seconds, () -> {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(q1).maxNumberOfMessages(1)).messages();
            for (Message m : got) {
                sqs.deleteMessage(b -> b.queueUrl(q1).receiptHandle(m.receiptHandle()));
            }
            return got.size();
        });
        print(name, "recvdel", recvdel, "msg/s");

        String q3 = sqs.createQueue(b -> b.queueName("batch-" + run)).queueUrl();
        List<SendMessageBatchRequestEntry> entries = IntStream.range(0, 10)
                .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(BODY).build()).toList();
        double batch = timed(pool, threads, seconds, () -> {
            sqs.sendMessageBatch(b -> b.queueUrl(q3).entries(entries));
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(q3).maxNumberOfMessages(10)).messages();
            if (!got.isEmpty()) {
                List<DeleteMessageBatchRequestEntry> del = new ArrayList<>();
                for (int i = 0; i < got.size(); i++) {
                    del.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(got.get(i).receiptHandle()).build());
                }
                sqs.deleteMessageBatch(b -> b.queueUrl(q3).entries(del));
            }
            return 10 + got.size();
        });
        print(name, "batch", batch, "msg/s (sent+received)");

        String q4 = sqs.createQueue(b -> b.queueName("wake-" + run)).queueUrl();
        int rounds = 30;
        double[] wake = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            CompletableFuture<Long> got = CompletableFuture.supplyAsync(() -> {
                List<Message> m = sqs.receiveMessage(b -> b.queueUrl(q4).waitTimeSeconds(20)).messages();
                long at = System.nanoTime();
                m.forEach(x -> sqs.deleteMessage(b -> b.queueUrl(q4).receiptHandle(x.receiptHandle())));
                return m.isEmpty() ? -1 : at;
            }, pool);
            Thread.sleep(200); // let the receive park
            long sent = System.nanoTime();
            sqs.sendMessage(b -> b.queueUrl(q4).messageBody("wake"));
            long at = got.get(30, TimeUnit.SECONDS);
            wake[i] = at < 0 ? Double.NaN : (at - sent) / 1e6;
        }
        Arrays.sort(wake);
        System.out.printf("%s wake median=%.1f p90=%.1f ms%n", name, wake[rounds / 2], wake[rounds * 9 / 10]);
        pool.shutdownNow();
        sqs.close();
    }

    interface Step {
        int run() throws Exception;
    }

    /** Runs step in a loop on threads threads for seconds; returns units per second. */
    static double timed(ExecutorService pool, int threads, int seconds, Step step) throws Exception {
        AtomicLong units = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            all.add(CompletableFuture.runAsync(() -> {
                while (System.nanoTime() < end) {
                    try {
                        units.addAndGet(step.run());
                    } catch (Exception e) {
                        if (errors.incrementAndGet() == 1) {
                            System.err.println("error: " + e);
                        }
                    }
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        return units.get() / elapsed;
    }

    static void print(String name, String workload, double rate, String unit) {
        System.out.printf("%s %s %.0f %s%n", name, workload, rate, unit);
    }
}
