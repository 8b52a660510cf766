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
 *   overwrite  PutItem replacing one of the existing items (not run unless named in -Dworkloads)
 *   get    GetItem of random existing keys, items/s
 *   query  Query of one partition returning a 100-item page, queries/s
 *   batch  BatchWriteItem of 25 items, items/s
 * First every workload runs unmeasured against every peer for -Dwarmup seconds (default 5), then each
 * workload runs ROUNDS measured rounds.
 * Prints one line per peer and workload: name workload rate unit.
 */
public class DynamoDbBench {
    static final String PAYLOAD = "x".repeat(200);
    static final int KEYS = 2000;

    interface Step {
        int run() throws Exception;
    }

    /** One peer: its name, client and the table prepared on it. */
    record Peer(String name, DynamoDbClient ddb, String table, AtomicLong seq) {
    }

    /**
     * Usage: java -cp CP DynamoDbBench.java seconds threads rounds name=endpoint...
     * Every workload runs in rounds, each round visiting every peer in turn, so that the load of a shared
     * machine weighs on all peers alike; the median round of each peer is printed.
     */
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Peer> peers = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] nameAndEndpoint = args[i].split("=", 2);
            peers.add(prepare(nameAndEndpoint[0], nameAndEndpoint[1], threads, pool));
        }
        Map<String, Workload> workloads = new java.util.LinkedHashMap<>();
        workloads.put("put", p -> {
            long n = p.seq().incrementAndGet();
            p.ddb().putItem(b -> b.tableName(p.table()).item(item("p" + n, n)));
            return 1;
        });
        workloads.put("overwrite", p -> {
            int i = ThreadLocalRandom.current().nextInt(KEYS);
            p.ddb().putItem(b -> b.tableName(p.table()).item(item("k" + i, i)));
            return 1;
        });
        workloads.put("get", p -> {
            int i = ThreadLocalRandom.current().nextInt(KEYS);
            if (!p.ddb().getItem(b -> b.tableName(p.table()).key(Map.of("pk", AttributeValue.fromS("k" + i),
                    "sk", AttributeValue.fromN(Integer.toString(i))))).hasItem()) {
                throw new IllegalStateException("missing k" + i);
            }
            return 1;
        });
        workloads.put("query", p -> {
            int count = p.ddb().query(b -> b.tableName(p.table()).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("page")))).count();
            if (count != 100) {
                throw new IllegalStateException("query returned " + count);
            }
            return 1;
        });
        workloads.put("batch", p -> {
            List<WriteRequest> writes = new ArrayList<>(25);
            for (int j = 0; j < 25; j++) {
                long n = p.seq().incrementAndGet();
                writes.add(WriteRequest.builder().putRequest(r -> r.item(item("b" + n, n))).build());
            }
            p.ddb().batchWriteItem(b -> b.requestItems(Map.of(p.table(), writes)));
            return 25;
        });
        workloads.put("list", p -> {
            p.ddb().listTables(b -> b.limit(10));
            return 1;
        });
        Map<String, String> units = Map.of("put", "items/s", "overwrite", "items/s", "get", "items/s", "query", "queries/s", "batch", "items/s",
                "list", "calls/s");
        String only = System.getProperty("workloads", "put,get,query,batch");
        Map<String, Workload> chosen = new java.util.LinkedHashMap<>();
        for (String name : only.split(",")) {
            chosen.put(name, java.util.Objects.requireNonNull(workloads.get(name), "no workload " + name));
        }
        workloads = chosen;
        // -DcpuPid=PID: also report that process's CPU time per call (stderr), for profiling one server.
        String cpuPid = System.getProperty("cpuPid");
        // Warm-up, unmeasured: every workload against every peer, so that the JITs of the client and of a JVM
        // server have compiled all the code paths before any round counts (else the first workload pays for it).
        int warmup = Integer.getInteger("warmup", 5);
        for (Map.Entry<String, Workload> w : workloads.entrySet()) {
            for (Peer p : peers) {
                timed(pool, threads, warmup, CALLS, () -> w.getValue().run(p));
            }
        }
        for (Map.Entry<String, Workload> w : workloads.entrySet()) {
            Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (Peer p : peers) {
                    long cpuBefore = cpuPid == null ? 0 : cpuMillis(cpuPid);
                    long clientBefore = clientCpuNanos();
                    AtomicLong calls = new AtomicLong();
                    double rate = timed(pool, threads, seconds, CALLS, () -> {
                        calls.incrementAndGet();
                        return w.getValue().run(p);
                    });
                    rates.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(rate);
                    if (cpuPid != null) {
                        System.err.printf("%s %s cpu %.3f ms/call (%d calls; client %.3f ms/call)%n", p.name(),
                                w.getKey(), (cpuMillis(cpuPid) - cpuBefore) / (double) calls.get(), calls.get(),
                                (clientCpuNanos() - clientBefore) / 1e6 / calls.get());
                    }
                }
            }
            rates.forEach((name, list) -> {
                List<Double> sorted = list.stream().sorted().toList();
                print(name, w.getKey(), sorted.get(sorted.size() / 2), units.get(w.getKey()));
            });
        }
        pool.shutdown();
        peers.forEach(p -> p.ddb().close());
    }

    interface Workload {
        int run(Peer p) throws Exception;
    }

    /** Creates the table, loads KEYS items for get and a 100-item partition for query, and warms both sides up. */
    static Peer prepare(String name, String endpoint, int threads, ExecutorService pool) throws Exception {
        DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(httpClient(threads))
                .build();
        String table = "bench" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        ddb.waiter().waitUntilTableExists(b -> b.tableName(table));
        timed(pool, threads, 2, () -> {
            int i = ThreadLocalRandom.current().nextInt(KEYS);
            ddb.putItem(b -> b.tableName(table).item(item("warm" + i, i)));
            ddb.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("warm" + i), "sk", AttributeValue.fromN("" + i))));
            return 1;
        });
        for (int i = 0; i < KEYS + 100; i += 25) {
            List<WriteRequest> keyed = new ArrayList<>();
            for (int j = i; j < i + 25; j++) {
                int n = j;
                keyed.add(WriteRequest.builder().putRequest(p -> p.item(n < KEYS ? item("k" + n, n) : item("page", n))).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of(table, keyed)));
        }
        int pageSize = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("page")))).count();
        if (pageSize != 100) {
            throw new IllegalStateException(name + ": query page has " + pageSize + " items, not 100");
        }
        return new Peer(name, ddb, table, new AtomicLong());
    }

    /** -Dhttp=apache (default), apache5 or urlconnection: the SDK's HTTP client, the same for every peer. */
    static software.amazon.awssdk.http.SdkHttpClient.Builder<?> httpClient(int threads) {
        return switch (System.getProperty("http", "apache")) {
            case "apache5" -> software.amazon.awssdk.http.apache5.Apache5HttpClient.builder().maxConnections(threads * 2 + 4)
                    .socketTimeout(Duration.ofSeconds(60));
            case "urlconnection" -> software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                    .socketTimeout(Duration.ofSeconds(60));
            default -> ApacheHttpClient.builder().maxConnections(threads * 2 + 4).socketTimeout(Duration.ofSeconds(60));
        };
    }

    static Map<String, AttributeValue> item(String pk, long sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Long.toString(sk)),
                "payload", AttributeValue.fromS(PAYLOAD), "count", AttributeValue.fromN("42"),
                "tags", AttributeValue.fromSs(List.of("a", "b", "c")), "active", AttributeValue.fromBool(true));
    }

    /** -Dcalls=N: each measured round makes N calls (whatever the time) instead of running for its seconds. */
    static final long CALLS = Long.getLong("calls", 0);

    static double timed(ExecutorService pool, int threads, int seconds, Step step) throws Exception {
        return timed(pool, threads, seconds, 0, step);
    }

    static double timed(ExecutorService pool, int threads, int seconds, long maxCalls, Step step) throws Exception {
        AtomicLong started = new AtomicLong();
        AtomicLong units = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(maxCalls > 0 ? 3600 : seconds);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            all.add(CompletableFuture.runAsync(() -> {
                while (System.nanoTime() < end && (maxCalls == 0 || started.incrementAndGet() <= maxCalls)) {
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

    /** This (client) process's CPU time: what the SDK spends per call, on the same cores as the server. */
    static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** User + system CPU time of a process, from /proc (Linux). */
    static long cpuMillis(String pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / 100;
    }

    static void print(String name, String workload, double rate, String unit) {
        System.out.printf("%s %s %.0f %s%n", name, workload, rate, unit);
    }
}
