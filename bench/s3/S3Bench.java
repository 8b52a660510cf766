import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * S3 workloads against one endpoint, through the AWS SDK for Java v2 (path style, same client for every peer):
 *   put4k / get4k   PutObject / GetObject of 4 KiB objects, THREADS threads, ops/s
 *   put4m / get4m   PutObject / GetObject of 4 MiB objects, THREADS threads, ops/s
 *   list            ListObjectsV2 pages (1000 keys each) walking a bucket of KEYS keys, pages/s
 *   large           one LARGE_MIB object: PutObject streamed from a generated stream, then GetObject drained, MiB/s each
 * Usage: java -cp CP S3Bench.java <name> <endpoint> [seconds] [threads] [keys] [large-mib]; one line per workload.
 */
public class S3Bench {
    public static void main(String[] args) throws Exception {
        String name = args[0];
        String endpoint = args[1];
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int keys = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        int largeMib = args.length > 5 ? Integer.parseInt(args[5]) : 256;
        S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads * 2 + 4)
                        .socketTimeout(Duration.ofSeconds(120)))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
        String bucket = "bench-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        s3.createBucket(b -> b.bucket(bucket));
        byte[] small = new byte[4096];
        byte[] big = new byte[4 * 1024 * 1024];
        new Random(1).nextBytes(small);
        new Random(2).nextBytes(big);

        AtomicInteger seq = new AtomicInteger();
        CURRENT = "warm-up";
        timed(pool, threads, Integer.getInteger("warmup", 2), () -> { // warm-up (-Dwarmup=seconds, default 2)
            s3.putObject(b -> b.bucket(bucket).key("warm/" + seq.incrementAndGet()), RequestBody.fromBytes(small));
            s3.getObjectAsBytes(b -> b.bucket(bucket).key("warm/1"));
            return 1;
        });

        AtomicInteger n4k = new AtomicInteger();
        CURRENT = "put4k";
        print(name, "put4k", timed(pool, threads, seconds, () -> {
            s3.putObject(b -> b.bucket(bucket).key("s/" + n4k.incrementAndGet()), RequestBody.fromBytes(small));
            return 1;
        }), "ops/s");
        int smallCount = n4k.get();
        CURRENT = "get4k";
        print(name, "get4k", timed(pool, threads, seconds, () -> {
            int k = 1 + ThreadLocalRandom.current().nextInt(smallCount);
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key("s/" + k)).asByteArray().length == 4096 ? 1 : 0;
        }), "ops/s");

        if (System.getProperty("smallOnly") != null) { // -DsmallOnly: put4k and get4k only (profiling)
            pool.shutdownNow();
            s3.close();
            return;
        }
        AtomicInteger n4m = new AtomicInteger();
        CURRENT = "put4m";
        print(name, "put4m", timed(pool, threads, seconds, () -> {
            s3.putObject(b -> b.bucket(bucket).key("m/" + n4m.incrementAndGet()), RequestBody.fromBytes(big));
            return 1;
        }), "ops/s");
        int bigCount = n4m.get();
        CURRENT = "get4m";
        print(name, "get4m", timed(pool, threads, seconds, () -> {
            int k = 1 + ThreadLocalRandom.current().nextInt(bigCount);
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key("m/" + k))) {
                return in.transferTo(java.io.OutputStream.nullOutputStream()) == big.length ? 1 : 0;
            }
        }), "ops/s");

        String listBucket = bucket + "-list";
        s3.createBucket(b -> b.bucket(listBucket));
        AtomicInteger filled = new AtomicInteger();
        List<Future<?>> fills = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fills.add(pool.submit(() -> {
                for (int i; (i = filled.incrementAndGet()) <= keys; ) {
                    String key = String.format("dir%02d/key-%06d", i % 20, i);
                    s3.putObject(b -> b.bucket(listBucket).key(key), RequestBody.empty());
                }
                return null;
            }));
        }
        for (Future<?> f : fills) {
            f.get();
        }
        int listed = 0;
        String next = null;
        do {
            String t = next;
            ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(listBucket).continuationToken(t));
            listed += r.keyCount();
            next = r.nextContinuationToken();
        } while (next != null);
        if (listed != keys) {
            throw new IllegalStateException("listed " + listed + " keys of " + keys);
        }
        // one op = one page of 1000 keys; each thread walks the listing from start to end, over and over
        ThreadLocal<String[]> cursor = ThreadLocal.withInitial(() -> new String[1]);
        CURRENT = "list";
        print(name, "list", timed(pool, threads, seconds, () -> {
            String[] c = cursor.get();
            String t = c[0];
            ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(listBucket).continuationToken(t));
            c[0] = r.nextContinuationToken();
            return 1;
        }), "pages/s");

        long largeBytes = (long) largeMib * 1024 * 1024;
        long t0 = System.nanoTime();
        s3.putObject(b -> b.bucket(bucket).key("large"), RequestBody.fromContentProvider(
                () -> new GeneratedStream(largeBytes), largeBytes, "application/octet-stream"));
        double putSecs = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        long got = s3.getObject(b -> b.bucket(bucket).key("large"), ResponseTransformer.toInputStream())
                .transferTo(java.io.OutputStream.nullOutputStream());
        double getSecs = (System.nanoTime() - t0) / 1e9;
        if (got != largeBytes) {
            throw new IllegalStateException("large object came back with " + got + " bytes");
        }
        print(name, "largeput", largeMib / putSecs, "MiB/s");
        print(name, "largeget", largeMib / getSecs, "MiB/s");
        pool.shutdownNow();
        s3.close();
    }

    /** A stream of len pseudo-random bytes, generated as read: no heap on the client side either. */
    static final class GeneratedStream extends InputStream {
        private long left;
        private final byte[] block = new byte[64 * 1024];

        GeneratedStream(long len) {
            this.left = len;
            new Random(3).nextBytes(block);
        }

        @Override
        public int read() {
            return left-- > 0 ? block[(int) (left % block.length)] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, left), block.length);
            System.arraycopy(block, 0, b, off, n);
            left -= n;
            return n;
        }
    }

    /** -DcpuPid=PID: also report that process's CPU time per op (stderr), for profiling one server. */
    static final String CPU_PID = System.getProperty("cpuPid");
    static String CURRENT = "warm-up";

    static double timed(ExecutorService pool, int threads, int seconds, Callable<Integer> op) throws Exception {
        long cpuBefore = CPU_PID == null ? 0 : cpuMillis(CPU_PID);
        long sysBefore = CPU_PID == null ? 0 : sysMillis(CPU_PID);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<Long>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                long done = 0;
                while (System.nanoTime() < end) {
                    done += op.call();
                }
                return done;
            }));
        }
        long total = 0;
        for (Future<Long> f : fs) {
            total += f.get();
        }
        if (CPU_PID != null) {
            System.err.printf("%s cpu %.3f ms/op, of which system %.3f (%d ops)%n", CURRENT,
                    (cpuMillis(CPU_PID) - cpuBefore) / (double) total,
                    (sysMillis(CPU_PID) - sysBefore) / (double) total, total);
        }
        return total / (double) seconds;
    }

    /** User + system CPU time of a process, from /proc (Linux). */
    static long cpuMillis(String pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / 100;
    }

    /** System (kernel) CPU time of a process, from /proc (Linux). */
    static long sysMillis(String pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[12]) * 1000 / 100;
    }

    static void print(String name, String workload, double value, String unit) {
        System.out.printf("%s %s %.1f %s%n", name, workload, value, unit);
    }
}
