package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function URLs answered on their own host names. The requests go over a plain socket to 127.0.0.1 with the URL's
 * Host header (java.net.http refuses to set Host, and *.localhost names need not resolve everywhere).
 */
class LambdaFunctionUrlTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    @RegisterExtension
    static TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();

    static final String ECHO = """
            import base64, json
            def handler(event, context):
                path = event["rawPath"]
                if path == "/plain":
                    return {"just": "json"}
                if path == "/boom":
                    raise RuntimeError("no")
                if path == "/binary":
                    return {"statusCode": 201, "headers": {"content-type": "image/png", "x-custom": "1"},
                            "body": base64.b64encode(b"\\x89PNG").decode(), "isBase64Encoded": True,
                            "cookies": ["a=1; Path=/", "b=2"]}
                return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}
            """;

    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }
    }

    /** One HTTP/1.1 exchange over a socket (Connection: close, so the body ends with the stream). */
    static Reply send(String method, String host, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException {
        int port = terrarium.endpoint().getPort();
        try (Socket s = new Socket("127.0.0.1", port)) {
            StringBuilder req = new StringBuilder(method + " " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, List<String>> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                h.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if ("chunked".equalsIgnoreCase(h.getOrDefault("transfer-encoding", List.of("")).get(0))) {
                rest = dechunk(rest);
            }
            return new Reply(Integer.parseInt(lines[0].split(" ")[1]), h, rest);
        }
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        InputStream in = new java.io.ByteArrayInputStream(chunked);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            in.read();
            in.read();
        }
    }

    private static String hostOf(String url) {
        return URI.create(url).getHost();
    }

    /**
     * The statements AWS's console adds with an AuthType NONE URL (CreateFunctionUrlConfig does not): since
     * October 2025 a public URL needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction.
     */
    static void allowPublicAccess(LambdaClient lambda, String function) {
        allowUrlAction(lambda, function, null);
        allowInvokeAction(lambda, function, null);
    }

    private static void allowUrlAction(LambdaClient lambda, String function, String qualifier) {
        lambda.addPermission(b -> b.functionName(function).qualifier(qualifier).statementId("FunctionURLAllowPublicAccess")
                .action("lambda:InvokeFunctionUrl").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
    }

    private static void allowInvokeAction(LambdaClient lambda, String function, String qualifier) {
        lambda.addPermission(b -> b.functionName(function).qualifier(qualifier).statementId("FunctionURLAllowInvokeAction")
                .action("lambda:InvokeFunction").principal("*").invokedViaFunctionUrl(true));
    }

    private String createUrl(LambdaClient lambda, FunctionUrlAuthType auth, boolean cors) {
        lambda.createFunction(b -> b.functionName("web").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", ECHO)))));
        if (auth == FunctionUrlAuthType.NONE) {
            allowPublicAccess(lambda, "web");
        }
        return lambda.createFunctionUrlConfig(b -> {
            b.functionName("web").authType(auth);
            if (cors) {
                b.cors(c -> c.allowOrigins("https://app.example").allowMethods("GET", "POST").allowHeaders("x-token")
                        .exposeHeaders("x-custom").maxAge(60).allowCredentials(true));
            }
        }).functionUrl();
    }

    @Test
    void theFunctionGetsTheVersion2EventAndItsAnswerBecomesTheResponse() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        String url = createUrl(lambda, FunctionUrlAuthType.NONE, false);
        assertThat(url).matches("http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:\\d+/");
        String host = hostOf(url);

        Reply echo = send("POST", host, "/some/path?a=1&a=2&b=x", Map.of("Content-Type", "application/json",
                "Cookie", "c1=v1; c2=v2", "X-Thing", "yes"), "{\"in\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.header("x-amzn-RequestId")).isNotBlank();
        Map<String, Object> event = Json.object(echo.body());
        assertThat(event).containsEntry("version", "2.0").containsEntry("routeKey", "$default")
                .containsEntry("rawPath", "/some/path").containsEntry("rawQueryString", "a=1&a=2&b=x")
                .containsEntry("body", "{\"in\":1}").containsEntry("isBase64Encoded", false)
                .containsEntry("cookies", List.of("c1=v1", "c2=v2"));
        assertThat((Map<String, Object>) event.get("queryStringParameters")).containsEntry("a", "1,2").containsEntry("b", "x");
        assertThat((Map<String, Object>) event.get("headers")).containsEntry("x-thing", "yes").doesNotContainKey("cookie");
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        assertThat(context).containsEntry("domainName", host).containsEntry("apiId", host.substring(0, 32))
                .containsEntry("stage", "$default").doesNotContainKey("authorizer");
        assertThat((Map<String, Object>) context.get("http")).containsEntry("method", "POST").containsEntry("path", "/some/path");

        Reply binaryIn = send("PUT", host, "/", Map.of("Content-Type", "application/octet-stream"), new byte[]{1, 2, 3});
        assertThat(Json.object(binaryIn.body())).containsEntry("body", "AQID").containsEntry("isBase64Encoded", true);

        Reply plain = send("GET", host, "/plain", Map.of(), new byte[0]);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("content-type")).startsWith("application/json");
        assertThat(plain.text()).isEqualTo("{\"just\": \"json\"}");

        Reply binary = send("GET", host, "/binary", Map.of(), new byte[0]);
        assertThat(binary.status()).isEqualTo(201);
        assertThat(binary.header("content-type")).isEqualTo("image/png");
        assertThat(binary.header("x-custom")).isEqualTo("1");
        assertThat(binary.body()).containsExactly(0x89, 'P', 'N', 'G');
        assertThat(binary.headers().get("set-cookie")).containsExactly("a=1; Path=/", "b=2");

        Reply failed = send("GET", host, "/boom", Map.of(), new byte[0]);
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.text()).contains("Internal Server Error");

        Reply unknown = send("GET", "0123456789abcdef0123456789abcdef.lambda-url.us-east-1.localhost", "/", Map.of(), new byte[0]);
        assertThat(unknown.status()).isEqualTo(404);

        lambda.deleteFunctionUrlConfig(b -> b.functionName("web"));
        assertThat(send("GET", host, "/plain", Map.of(), new byte[0]).status()).isEqualTo(404);
        assertThat(lambda.listFunctions().functions()).hasSize(1);
    }

    @Test
    void authTypeNoneNeedsThePublicStatementInTheFunctionPolicy() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        lambda.createFunction(b -> b.functionName("web").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", ECHO)))));
        String host = hostOf(lambda.createFunctionUrlConfig(b -> b.functionName("web").authType(FunctionUrlAuthType.NONE))
                .functionUrl());

        // no resource policy: Lambda answers 403 without invoking the function
        Reply denied = send("GET", host, "/plain", Map.of(), new byte[0]);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.text()).isEqualTo("{\"Message\":\"Forbidden\"}");
        assertThat(denied.header("content-type")).startsWith("application/json");

        // statements that do not open the URL to anyone: another action, one account, the other auth type
        lambda.addPermission(b -> b.functionName("web").statementId("invoke").action("lambda:InvokeFunction").principal("*"));
        lambda.addPermission(b -> b.functionName("web").statementId("account").action("lambda:InvokeFunctionUrl")
                .principal("111122223333").functionUrlAuthType(FunctionUrlAuthType.NONE));
        lambda.addPermission(b -> b.functionName("web").statementId("iam").action("lambda:InvokeFunctionUrl")
                .principal("*").functionUrlAuthType(FunctionUrlAuthType.AWS_IAM));
        assertThat(send("GET", host, "/plain", Map.of(), new byte[0]).status()).isEqualTo(403);
        lambda.removePermission(b -> b.functionName("web").statementId("invoke"));

        // lambda:InvokeFunctionUrl alone is no longer enough (AWS, since October 2025): lambda:InvokeFunction too
        allowUrlAction(lambda, "web", null);
        assertThat(send("GET", host, "/plain", Map.of(), new byte[0]).status()).isEqualTo(403);
        allowInvokeAction(lambda, "web", null);
        String policy = lambda.getPolicy(b -> b.functionName("web")).policy();
        assertThat(Json.object(policy.getBytes(StandardCharsets.UTF_8)).get("Statement").toString())
                .contains("Sid=FunctionURLAllowPublicAccess, Effect=Allow, Principal=*, Action=lambda:InvokeFunctionUrl")
                .contains("Condition={StringEquals={lambda:FunctionUrlAuthType=NONE}}");
        Reply ok = send("GET", host, "/plain", Map.of(), new byte[0]);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.text()).isEqualTo("{\"just\": \"json\"}");

        // removing the statement closes the URL again
        lambda.removePermission(b -> b.functionName("web").statementId("FunctionURLAllowPublicAccess"));
        assertThat(send("GET", host, "/plain", Map.of(), new byte[0]).status()).isEqualTo(403);
        allowUrlAction(lambda, "web", null);
        assertThat(send("GET", host, "/plain", Map.of(), new byte[0]).status()).isEqualTo(200);

        // an alias's URL reads the alias's policy, not the function's
        lambda.publishVersion(b -> b.functionName("web"));
        lambda.createAlias(b -> b.functionName("web").name("live").functionVersion("1"));
        String live = hostOf(lambda.createFunctionUrlConfig(b -> b.functionName("web").qualifier("live")
                .authType(FunctionUrlAuthType.NONE)).functionUrl());
        assertThat(send("GET", live, "/plain", Map.of(), new byte[0]).status()).isEqualTo(403);
        allowUrlAction(lambda, "web", "live");
        allowInvokeAction(lambda, "web", "live");
        assertThat(send("GET", live, "/plain", Map.of(), new byte[0]).status()).isEqualTo(200);
        assertThat(lambda.listFunctions().functions()).hasSize(1);
    }

    @Test
    void awsIamUrlsNeedASignature() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        String url = createUrl(lambda, FunctionUrlAuthType.AWS_IAM, false);
        String host = hostOf(url);
        assertThat(send("GET", host, "/plain", Map.of(), new byte[0]).status()).isEqualTo(403);

        int port = terrarium.endpoint().getPort();
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("http").host(host).port(port)
                .encodedPath("/echo").putRawQueryParameter("q", "1").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.request(unsigned)
                .identity(AwsBasicCredentials.create("test", "test"))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host")) {
                headers.put(k, v.get(0));
            }
        });
        Reply ok = send("GET", host, "/echo?q=1", headers, new byte[0]);
        assertThat(ok.status()).isEqualTo(200);
        Map<String, Object> context = (Map<String, Object>) Json.object(ok.body()).get("requestContext");
        Map<String, Object> iam = (Map<String, Object>) ((Map<String, Object>) context.get("authorizer")).get("iam");
        assertThat(iam).containsEntry("accountId", "000000000000").containsEntry("accessKey", "test");

        headers.put("Authorization", headers.get("Authorization").replaceAll("Signature=[0-9a-f]+", "Signature=" + "0".repeat(64)));
        assertThat(send("GET", host, "/echo?q=1", headers, new byte[0]).status()).isEqualTo(403);
    }

    @Test
    void responseStreamUrlsStreamWithTheHttpPrelude() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        lambda.createFunction(b -> b.functionName("stream").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("index.js", """
                        exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
                          const out = awslambda.HttpResponseStream.from(responseStream, {
                            statusCode: 207, headers: { 'content-type': 'text/plain', 'x-streamed': 'yes' } });
                          out.write('first ' + event.rawPath + ';');
                          await new Promise((r) => setTimeout(r, 50));
                          out.write('second;');
                          out.end();
                        });
                        """)))));
        allowPublicAccess(lambda, "stream");
        String host = hostOf(lambda.createFunctionUrlConfig(b -> b.functionName("stream").authType(FunctionUrlAuthType.NONE)
                .invokeMode("RESPONSE_STREAM")).functionUrl());
        Reply r = send("GET", host, "/s", Map.of(), new byte[0]);
        assertThat(r.status()).isEqualTo(207);
        assertThat(r.header("content-type")).isEqualTo("text/plain");
        assertThat(r.header("x-streamed")).isEqualTo("yes");
        assertThat(r.header("content-length")).as("sent as it comes").isNull();
        assertThat(r.text()).isEqualTo("first /s;second;");

        // a function that does not stream, behind a RESPONSE_STREAM URL, is answered as buffered
        createUrl(lambda, FunctionUrlAuthType.NONE, false);
        lambda.updateFunctionUrlConfig(b -> b.functionName("web").invokeMode("RESPONSE_STREAM"));
        String web = hostOf(lambda.getFunctionUrlConfig(b -> b.functionName("web")).functionUrl());
        assertThat(send("GET", web, "/plain", Map.of(), new byte[0]).text()).isEqualTo("{\"just\": \"json\"}");
    }

    @Test
    void corsFromTheConfiguration() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        String host = hostOf(createUrl(lambda, FunctionUrlAuthType.NONE, true));
        Reply preflight = send("OPTIONS", host, "/binary", Map.of("Origin", "https://app.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-token"), new byte[0]);
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("access-control-allow-origin")).isEqualTo("https://app.example");
        assertThat(preflight.header("access-control-allow-methods")).isEqualTo("GET,POST");
        assertThat(preflight.header("access-control-allow-headers")).isEqualTo("x-token");
        assertThat(preflight.header("access-control-max-age")).isEqualTo("60");
        assertThat(preflight.header("access-control-allow-credentials")).isEqualTo("true");

        Reply other = send("OPTIONS", host, "/binary", Map.of("Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"), new byte[0]);
        assertThat(other.header("access-control-allow-origin")).isNull();

        Reply get = send("GET", host, "/binary", Map.of("Origin", "https://app.example"), new byte[0]);
        assertThat(get.status()).isEqualTo(201);
        assertThat(get.header("access-control-allow-origin")).isEqualTo("https://app.example");
        assertThat(get.header("access-control-expose-headers")).isEqualTo("x-custom");
    }
}
