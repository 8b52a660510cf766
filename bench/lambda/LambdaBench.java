import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Lambda cold start and warm invoke latency per runtime, through the AWS SDK for Java v2 (sync, URLConnection client):
 *   cold  a new function's first Invoke (process start, runtime init, the invocation), COLD samples, ms
 *   warm  Invoke of a warm environment, sequential, up to WARM samples or SECONDS seconds, ms p50 / p99
 * The function echoes its event. Usage:
 *   java -cp CP LambdaBench.java <name> <endpoint> <c-bootstrap|-> <aws-lambda-java-core.jar|-> [cold] [warm] [seconds]
 * Prints one line per runtime: name runtime cold_p50 cold_max warm_p50 warm_p99 warm_n
 */
public class LambdaBench {
    static final String ROLE = "arn:aws:iam::000000000000:role/bench";
    static final String PAYLOAD = "{\"hello\":\"world\",\"n\":42}";

    public static void main(String[] args) throws Exception {
        String name = args[0];
        String endpoint = args[1];
        String cBootstrap = args[2];
        String javaCore = args[3];
        int cold = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int warm = args.length > 5 ? Integer.parseInt(args[5]) : 500;
        int seconds = args.length > 6 ? Integer.parseInt(args[6]) : 10;
        LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .build();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

        Map<String, Object[]> functions = new LinkedHashMap<>(); // label -> runtime, handler, zip
        if (!cBootstrap.equals("-")) {
            functions.put("provided-c", new Object[]{Runtime.PROVIDED_AL2023, "x",
                    zip(Map.of("bootstrap", Files.readAllBytes(Path.of(cBootstrap))))});
        }
        functions.put("provided-sh", new Object[]{Runtime.PROVIDED_AL2023, "x", zip(Map.of("bootstrap", SHELL.getBytes()))});
        functions.put("python3.12", new Object[]{Runtime.PYTHON3_12, "app.handler",
                zip(Map.of("app.py", "def handler(event, context):\n    return event\n".getBytes()))});
        functions.put("nodejs20.x", new Object[]{Runtime.NODEJS20_X, "index.handler",
                zip(Map.of("index.js", "exports.handler = async (event) => event;\n".getBytes()))});
        if (!javaCore.equals("-")) {
            functions.put("java17", new Object[]{Runtime.JAVA17, "bench.Echo::handleRequest", javaZip(javaCore)});
        }

        for (var e : functions.entrySet()) {
            String label = e.getKey();
            Runtime runtime = (Runtime) e.getValue()[0];
            String handler = (String) e.getValue()[1];
            byte[] zip = (byte[]) e.getValue()[2];
            double[] colds = new double[cold];
            String fn = null;
            for (int i = 0; i < cold; i++) {
                fn = "bench-" + label.replace('.', '-') + "-" + run + "-" + i;
                String f = fn;
                lambda.createFunction(b -> b.functionName(f).runtime(runtime).role(ROLE).handler(handler).timeout(30)
                        .memorySize(512).code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
                long t0 = System.nanoTime();
                InvokeResponse r = invoke(lambda, f);
                colds[i] = (System.nanoTime() - t0) / 1e6;
                check(label, r);
                if (i < cold - 1) {
                    lambda.deleteFunction(b -> b.functionName(f)); // stops its environment: the machine stays quiet
                }
            }
            String warmFn = fn;
            long warmUntil = System.nanoTime() + 3_000_000_000L;
            for (int i = 0; i < 200 && System.nanoTime() < warmUntil; i++) {
                invoke(lambda, warmFn); // warm-up: the JIT of the server (and of the runtime)
            }
            List<Double> warms = new ArrayList<>();
            long until = System.nanoTime() + seconds * 1_000_000_000L;
            while (warms.size() < warm && System.nanoTime() < until) {
                long t0 = System.nanoTime();
                InvokeResponse r = invoke(lambda, warmFn);
                warms.add((System.nanoTime() - t0) / 1e6);
                check(label, r);
            }
            lambda.deleteFunction(b -> b.functionName(warmFn));
            Arrays.sort(colds);
            double[] w = warms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%s %s cold_p50=%.1f cold_max=%.1f warm_p50=%.2f warm_p99=%.2f warm_n=%d%n",
                    name, label, pct(colds, 50), colds[colds.length - 1], pct(w, 50), pct(w, 99), w.length);
        }
    }

    static InvokeResponse invoke(LambdaClient lambda, String fn) {
        return lambda.invoke(b -> b.functionName(fn).payload(SdkBytes.fromUtf8String(PAYLOAD)));
    }

    static void check(String label, InvokeResponse r) {
        String body = r.payload().asUtf8String();
        if (r.functionError() != null || !body.contains("world")) {
            throw new IllegalStateException(label + " answered " + r.functionError() + ": " + body);
        }
    }

    static double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static final String SHELL = """
            #!/bin/sh
            API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
            H="$(mktemp)"
            while true; do
              EVENT=$(curl -sS -D "$H" "$API/invocation/next")
              ID=$(sed -n 's/^[Ll]ambda-[Rr]untime-[Aa]ws-[Rr]equest-[Ii]d: *\\([^\\r]*\\).*/\\1/p' "$H" | tr -d '\\r')
              curl -sS -X POST "$API/invocation/$ID/response" -d "$EVENT" > /dev/null
            done
            """;

    static byte[] javaZip(String coreJar) throws Exception {
        Path src = Files.createTempDirectory("bench-java");
        Path out = Files.createTempDirectory("bench-java-out");
        Files.createDirectories(src.resolve("bench"));
        Files.writeString(src.resolve("bench/Echo.java"), """
                package bench;
                import com.amazonaws.services.lambda.runtime.Context;
                import com.amazonaws.services.lambda.runtime.RequestHandler;
                import java.util.Map;
                public class Echo implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) { return event; }
                }
                """);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-cp", coreJar,
                "-d", out.toString(), src.resolve("bench/Echo.java").toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed");
        }
        return zip(Map.of("bench/Echo.class", Files.readAllBytes(out.resolve("bench/Echo.class"))));
    }

    static byte[] zip(Map<String, byte[]> files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return bytes.toByteArray();
    }
}
