package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Java functions run by AWS's runtime interface client on a local JDK. */
class LambdaJavaTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    @RegisterExtension
    static TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();

    static final String HANDLER = """
            package example;
            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.util.Map;
            public class Hello implements RequestHandler<Map<String, Object>, String> {
                static int count;
                public String handleRequest(Map<String, Object> event, Context context) {
                    count++;
                    context.getLogger().log("hello from java " + event.get("name"));
                    if (event.containsKey("fail")) {
                        throw new IllegalStateException("java boom");
                    }
                    return Helper.greet(event.get("name")) + " #" + count + " " + context.getFunctionName() + " "
                            + context.getMemoryLimitInMB() + " " + System.getenv("GREETING") + " "
                            + (context.getRemainingTimeInMillis() > 0) + " java" + Runtime.version().feature();
                }
            }
            """;
    static final String HELPER = """
            package example;
            public class Helper {
                public static String greet(Object name) { return "hi " + name; }
            }
            """;

    static byte[] zip;

    /** Compiles the handler against aws-lambda-java-core; Helper goes into lib/helper.jar, as a build would put it. */
    @BeforeAll
    static void build() throws IOException {
        Path src = Files.createTempDirectory("java-fn-src");
        Path out = Files.createTempDirectory("java-fn-out");
        Files.createDirectories(src.resolve("example"));
        Files.writeString(src.resolve("example/Hello.java"), HANDLER);
        Files.writeString(src.resolve("example/Helper.java"), HELPER);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path core = JavaRuntime.jars().resolve("aws-lambda-java-core.jar");
        int rc = javac.run(null, null, null, "--release", "17", "-cp", core.toString(), "-d", out.toString(),
                src.resolve("example/Hello.java").toString(), src.resolve("example/Helper.java").toString());
        assertThat(rc).isZero();
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(jar)) {
            j.putNextEntry(new ZipEntry("example/Helper.class"));
            j.write(Files.readAllBytes(out.resolve("example/Helper.class")));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("example/Hello.class", Files.readAllBytes(out.resolve("example/Hello.class")));
        files.put("lib/helper.jar", jar.toByteArray());
        zip = zip(files);
    }

    /** A layer's java/lib/*.jar is on the classpath, as /opt/java/lib is on Lambda. */
    @Test
    void libraryJarsComeFromALayer() throws IOException {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        Map<String, byte[]> layerFiles = new LinkedHashMap<>();
        Map<String, byte[]> functionFiles = new LinkedHashMap<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                (e.getName().startsWith("lib/") ? layerFiles : functionFiles)
                        .put(e.getName().startsWith("lib/") ? "java/" + e.getName() : e.getName(), in.readAllBytes());
            }
        }
        String layer = lambda.publishLayerVersion(b -> b.layerName("helper").compatibleRuntimes(Runtime.JAVA17)
                .content(c -> {
                    try {
                        c.zipFile(SdkBytes.fromByteArray(zip(layerFiles)));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })).layerVersionArn();
        byte[] code = zip(functionFiles);
        lambda.createFunction(b -> b.functionName("layered").runtime(Runtime.JAVA17).role(ROLE).layers(layer)
                .handler("example.Hello::handleRequest").timeout(20).code(c -> c.zipFile(SdkBytes.fromByteArray(code))));
        InvokeResponse r = lambda.invoke(b -> b.functionName("layered").payload(SdkBytes.fromUtf8String("{\"name\":\"l\"}")));
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asUtf8String()).startsWith("\"hi l #1 layered ");

        lambda.createFunction(b -> b.functionName("nolayer").runtime(Runtime.JAVA17).role(ROLE)
                .handler("example.Hello::handleRequest").timeout(20).code(c -> c.zipFile(SdkBytes.fromByteArray(code))));
        InvokeResponse missing = lambda.invoke(b -> b.functionName("nolayer").payload(SdkBytes.fromUtf8String("{}")));
        assertThat(missing.functionError()).as("Helper is only in the layer").isEqualTo("Unhandled");
        assertThat(missing.payload().asUtf8String()).contains("NoClassDefFoundError");
    }

    /** AWS_LAMBDA_EXEC_WRAPPER: the Java runtime starts through a layer's wrapper script, which sets GREETING. */
    @Test
    void theRuntimeStartsThroughAnExecWrapper() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        String layer = lambda.publishLayerVersion(b -> b.layerName("wrapper").content(c -> c.zipFile(SdkBytes.fromByteArray(
                Zips.zip("wrapper", "#!/bin/bash\nexport GREETING=wrapped\nexec \"$@\"\n"))))).layerVersionArn();
        lambda.createFunction(b -> b.functionName("wrapped").runtime(Runtime.JAVA17).role(ROLE).layers(layer)
                .environment(e -> e.variables(Map.of("AWS_LAMBDA_EXEC_WRAPPER", "/opt/wrapper")))
                .handler("example.Hello::handleRequest").timeout(20).code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        InvokeResponse r = lambda.invoke(b -> b.functionName("wrapped").payload(SdkBytes.fromUtf8String("{\"name\":\"w\"}")));
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asUtf8String()).startsWith("\"hi w #1 wrapped 128 wrapped true java");
    }

    static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void java17HandlerRunsWarmAndReportsErrors() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        lambda.createFunction(b -> b.functionName("java").runtime(Runtime.JAVA17).role(ROLE).handler("example.Hello::handleRequest")
                .memorySize(512).timeout(20).environment(e -> e.variables(Map.of("GREETING", "hello")))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        long start = System.nanoTime();
        InvokeResponse cold = lambda.invoke(b -> b.functionName("java").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"ann\"}")));
        double coldMs = (System.nanoTime() - start) / 1e6;
        assertThat(cold.functionError()).isNull();
        assertThat(cold.payload().asUtf8String()).startsWith("\"hi ann #1 java 512 hello true java");
        String log = new String(Base64.getDecoder().decode(cold.logResult()), StandardCharsets.UTF_8);
        assertThat(log).contains("hello from java ann", "REPORT RequestId");
        start = System.nanoTime();
        InvokeResponse warm = lambda.invoke(b -> b.functionName("java").payload(SdkBytes.fromUtf8String("{\"name\":\"bob\"}")));
        double warmMs = (System.nanoTime() - start) / 1e6;
        assertThat(warm.payload().asUtf8String()).startsWith("\"hi bob #2 ");
        System.out.printf("java17 cold start %.1f ms, warm %.1f ms%n", coldMs, warmMs);

        InvokeResponse failed = lambda.invoke(b -> b.functionName("java").payload(SdkBytes.fromUtf8String("{\"fail\":1}")));
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        assertThat(failed.payload().asUtf8String()).contains("\"errorMessage\":\"java boom\"",
                "\"errorType\":\"java.lang.IllegalStateException\"", "stackTrace");
    }

    /** The first environment of a JDK records a class-data archive when it stops; later cold starts use it. */
    @Test
    void laterColdStartsUseTheRecordedClassArchive() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        for (String name : new String[]{"first", "second", "third"}) {
            lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).role(ROLE)
                    .handler("example.Hello::handleRequest").timeout(20).code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
            long start = System.nanoTime();
            InvokeResponse r = lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{\"name\":\"" + name + "\"}")));
            System.out.printf("java17 cold start (%s) %.1f ms%n", name, (System.nanoTime() - start) / 1e6);
            assertThat(r.functionError()).isNull();
            assertThat(r.payload().asUtf8String()).startsWith("\"hi " + name + " #1 ");
            lambda.deleteFunction(b -> b.functionName(name));
            for (int i = 0; i < 100 && !hasArchive(); i++) {
                Thread.sleep(100);
            }
        }
        assertThat(hasArchive()).isTrue();
    }

    private static boolean hasArchive() throws IOException {
        try (var s = Files.list(JavaRuntime.jars())) {
            return s.anyMatch(p -> p.toString().endsWith(".jsa"));
        }
    }

    @Test
    void java21RunsOnARecentEnoughJdkAndABadHandlerFails() {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        lambda.createFunction(b -> b.functionName("j21").runtime(Runtime.JAVA21).role(ROLE).handler("example.Hello")
                .timeout(20).code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        String body = lambda.invoke(b -> b.functionName("j21").payload(SdkBytes.fromUtf8String("{\"name\":\"x\"}")))
                .payload().asUtf8String();
        assertThat(body).startsWith("\"hi x #1 ");
        int feature = Integer.parseInt(body.replaceAll(".* java(\\d+)\"$", "$1"));
        assertThat(feature).isGreaterThanOrEqualTo(21);

        lambda.createFunction(b -> b.functionName("missing").runtime(Runtime.JAVA17).role(ROLE).handler("example.Nope::handle")
                .timeout(20).code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        InvokeResponse bad = lambda.invoke(b -> b.functionName("missing"));
        assertThat(bad.functionError()).isEqualTo("Unhandled");
        assertThat(bad.payload().asUtf8String()).contains("ClassNotFoundException", "example.Nope");
    }
}
