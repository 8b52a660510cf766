package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** AWS_LAMBDA_EXEC_WRAPPER: a layer's wrapper script starts the runtime (exec "$@") after changing its environment. */
class LambdaExecWrapperTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    @RegisterExtension
    static TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();

    /** Sets WRAPPED to the number of arguments it was given (the runtime's command line) and runs them. */
    static final String WRAPPER = """
            #!/bin/bash
            echo "wrapper starts the runtime"
            export WRAPPED="args=$#"
            exec "$@"
            """;

    private static LambdaClient lambda;

    private static String wrapperLayer() {
        lambda = terrarium.client(LambdaClient::builder);
        return lambda.publishLayerVersion(b -> b.layerName("wrapper")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("wrapper", WRAPPER))))).layerVersionArn();
    }

    private static InvokeResponse invoke(String name) {
        return lambda.invoke(b -> b.functionName(name).logType(LogType.TAIL));
    }

    private static String tail(InvokeResponse r) {
        return new String(Base64.getDecoder().decode(r.logResult()));
    }

    @Test
    void pythonAndNodeRuntimesStartThroughTheWrapper() {
        String layer = wrapperLayer();
        Map<String, String> env = Map.of("AWS_LAMBDA_EXEC_WRAPPER", "/opt/wrapper");
        lambda.createFunction(b -> b.functionName("py").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).environment(e -> e.variables(env)).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", """
                        import os
                        def handler(event, context):
                            return os.environ.get("WRAPPED")
                        """)))));
        InvokeResponse py = invoke("py");
        assertThat(py.functionError()).isNull();
        assertThat(py.payload().asUtf8String()).matches("\"args=\\d+\"").isNotEqualTo("\"args=0\"");
        assertThat(tail(py)).contains("wrapper starts the runtime");

        lambda.createFunction(b -> b.functionName("node").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .layers(layer).environment(e -> e.variables(env)).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("index.js", """
                        exports.handler = async () => process.env.WRAPPED;
                        """)))));
        InvokeResponse node = invoke("node");
        assertThat(node.functionError()).isNull();
        assertThat(node.payload().asUtf8String()).matches("\"args=\\d+\"");

        // without the variable the same layer changes nothing
        lambda.createFunction(b -> b.functionName("plain").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", """
                        import os
                        def handler(event, context):
                            return os.environ.get("WRAPPED", "none")
                        """)))));
        assertThat(invoke("plain").payload().asUtf8String()).isEqualTo("\"none\"");
    }

    @Test
    void aMissingWrapperFailsTheInvocation() {
        String layer = wrapperLayer();
        lambda.createFunction(b -> b.functionName("missing").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .layers(layer).environment(e -> e.variables(Map.of("AWS_LAMBDA_EXEC_WRAPPER", "/opt/nope")))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", "def handler(e, c):\n    return 1\n")))));
        InvokeResponse r = invoke("missing");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(r.payload().asUtf8String()).contains("\"errorType\":\"Runtime.InvalidEntrypoint\"")
                .contains("fork/exec /opt/nope: no such file or directory");
        // the server is fine, and the function runs once the variable is gone
        lambda.updateFunctionConfiguration(b -> b.functionName("missing").environment(e -> e.variables(Map.of())));
        assertThat(invoke("missing").payload().asUtf8String()).isEqualTo("1");
    }

    @Test
    void customRuntimesIgnoreTheWrapper() {
        String layer = wrapperLayer();
        String bootstrap = """
                #!/bin/bash
                API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
                while true; do
                  H="$(mktemp)"
                  curl -sS -D "$H" -o /dev/null "$API/invocation/next"
                  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$H" | tr -d '[:space:]' | cut -d: -f2)
                  curl -sS -X POST "$API/invocation/$ID/response" -d "\\"${WRAPPED:-unwrapped}\\"" > /dev/null
                done
                """;
        lambda.createFunction(b -> b.functionName("sh").runtime(Runtime.PROVIDED_AL2023).role(ROLE).handler("x")
                .layers(layer).environment(e -> e.variables(Map.of("AWS_LAMBDA_EXEC_WRAPPER", "/opt/wrapper")))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("bootstrap", bootstrap)))));
        assertThat(invoke("sh").payload().asUtf8String()).isEqualTo("\"unwrapped\"");
    }
}
