import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DynamoDB workloads against one endpoint, through the AWS SDK for Java v2 (the same client for every peer):
 *   put    PutItem of ~250-byte items, THREADS threads, items/s
 *   get    GetItem of random existing keys, items/s
 *   query  Query of one partition returning a 100-item page, queries/s
 *   batch  BatchWriteItem of 25 items, items/s
 * Usage: java -cp CP DynamoDbBench.java <name> <endpoint> [seconds] [threads]; prints one line per workload.
 */
public class DynamoDbBench {
    static final String PAYLOAD = "x".repeat(200);
    static final int KEYS = 2000;

    interface Step {
        int run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(URI.create(args[1])).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads * 2 + 4).socketTimeout(Duration.ofSeconds(60)))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        String table = "bench" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        ddb.waiter().waitUntilTableExists(b -> b.tableName(table));

        // preload: KEYS items for get, a 100-item partition for query (also warms both sides up)
        timed(pool, threads, 2, () -> {
            int i = ThreadLocalRandom.current().nextInt(KEYS);
            ddb.putItem(b -> b.tableName(table).item(item("k" + i, i)));
            return 1;
        });
        for (int i = 0; i < KEYS; i += 25) {
            List<WriteRequest> keyed = new ArrayList<>();
            for (int j = i; j < i + 25; j++) {
                int n = j;
                keyed.add(WriteRequest.builder().putRequest(p -> p.item(item("k" + n, n))).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of(table, keyed)));
        }
        for (int i = 0; i < 100; i += 25) {
            List<WriteRequest> page = new ArrayList<>();
            for (int j = i; j < i + 25; j++) {
                int n = j;
                page.add(WriteRequest.builder().putRequest(p -> p.item(item("page", n))).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of(table, page)));
        }
        int pageSize = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("page")))).count();
        if (pageSize != 100) {
            throw new IllegalStateException(name + ": query page has " + pageSize + " items, not 100");
        }

        AtomicLong seq = new AtomicLong();
        print(name, "put", timed(pool, threads, seconds, () -> {
            long n = seq.incrementAndGet();
            ddb.putItem(b -> b.tableName(table).item(item("p" + n, n)));
            return 1;
        }), "items/s");
        print(name, "get", timed(pool, threads, seconds, () -> {
            int i = ThreadLocalRandom.current().nextInt(KEYS);
            if (!ddb.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("k" + i),
                    "sk", AttributeValue.fromN(Integer.toString(i))))).hasItem()) {
                throw new IllegalStateException("missing k" + i);
            }
            return 1;
        }), "items/s");
        print(name, "query", timed(pool, threads, seconds, () -> {
            int count = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("page")))).count();
            if (count != 100) {
                throw new IllegalStateException("query returned " + count);
            }
            return 1;
        }), "queries/s");
        print(name, "batch", timed(pool, threads, seconds, () -> {
            List<WriteRequest> writes = new ArrayList<>(25);
            for (int j = 0; j < 25; j++) {
                long n = seq.incrementAndGet();
                writes.add(WriteRequest.builder().putRequest(p -> p.item(item("b" + n, n))).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of(table, writes)));
            return 25;
        }), "items/s");
        pool.shutdown();
        ddb.close();
    }

    static Map<String, AttributeValue> item(String pk, long sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Long.toString(sk)),
                "payload", AttributeValue.fromS(PAYLOAD), "count", AttributeValue.fromN("42"),
                "tags", AttributeValue.fromSs(List.of("a", "b", "c")), "active", AttributeValue.fromBool(true));
    }

    static double timed(ExecutorService pool, int threads, int seconds, Step step) throws Exception {
        AtomicLong units = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
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
        return units.get() / ((System.nanoTime() - start) / 1e9);
    }

    static void print(String name, String workload, double rate, String unit) {
        System.out.printf("%s %s %.0f %s%n", name, workload, rate, unit);
    }
}
