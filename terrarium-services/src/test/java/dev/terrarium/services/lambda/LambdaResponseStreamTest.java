package dev.terrarium.services.lambda;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponseStreamUpdate;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamCompleteEvent;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamRequest;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponse;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaResponseStreamTest {
    static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    @RegisterExtension
    static TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();

    /** What the SDK's handler saw: chunks (with their arrival times), the completion event and the response. */
    static final class Seen {
        final List<String> chunks = new ArrayList<>();
        final List<Long> chunkMillis = new ArrayList<>();
        InvokeWithResponseStreamCompleteEvent complete;
        InvokeWithResponseStreamResponse response;

        String body() {
            return String.join("", chunks);
        }
    }

    static Seen stream(LambdaAsyncClient lambda, InvokeWithResponseStreamRequest request) throws Exception {
        Seen seen = new Seen();
        long start = System.nanoTime();
        InvokeWithResponseStreamResponseHandler handler = InvokeWithResponseStreamResponseHandler.builder()
                .onResponse(r -> seen.response = r)
                .subscriber(InvokeWithResponseStreamResponseHandler.Visitor.builder()
                        .onPayloadChunk((InvokeResponseStreamUpdate c) -> {
                            seen.chunks.add(c.payload().asUtf8String());
                            seen.chunkMillis.add((System.nanoTime() - start) / 1_000_000);
                        })
                        .onInvokeComplete(c -> seen.complete = c).build())
                .build();
        lambda.invokeWithResponseStream(request, handler).get(30, TimeUnit.SECONDS);
        return seen;
    }

    static final String STREAMING_NODE = """
            exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
              responseStream.setContentType('text/plain');
              for (let i = 1; i <= 3; i++) {
                responseStream.write(`part ${i} of ${event.name};`);
                await new Promise((r) => setTimeout(r, 150));
              }
              console.log('streamed for', context.functionName);
              responseStream.end();
            });
            """;

    @Test
    void aNormalResponseComesAsOneChunk() throws Exception {
        LambdaClient sync = terrarium.client(LambdaClient::builder);
        sync.createFunction(b -> b.functionName("py").runtime(Runtime.PYTHON3_12).role(ROLE).handler("app.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", """
                        def handler(event, context):
                            print("logged", event["name"])
                            if event.get("fail"):
                                raise KeyError("missing thing")
                            return {"hello": event["name"]}
                        """)))));
        LambdaAsyncClient lambda = terrarium.client(LambdaAsyncClient::builder);
        Seen seen = stream(lambda, InvokeWithResponseStreamRequest.builder().functionName("py").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"ann\"}")).build());
        assertThat(seen.response.statusCode()).isEqualTo(200);
        assertThat(seen.response.executedVersion()).isEqualTo("$LATEST");
        assertThat(seen.chunks).containsExactly("{\"hello\": \"ann\"}");
        assertThat(seen.complete).isNotNull();
        assertThat(seen.complete.errorCode()).isNull();
        assertThat(new String(Base64.getDecoder().decode(seen.complete.logResult()), StandardCharsets.UTF_8))
                .contains("logged ann", "REPORT RequestId");

        Seen failed = stream(lambda, InvokeWithResponseStreamRequest.builder().functionName("py")
                .payload(SdkBytes.fromUtf8String("{\"name\":\"bob\",\"fail\":true}")).build());
        assertThat(failed.chunks).isEmpty();
        assertThat(failed.complete.errorCode()).isEqualTo("KeyError");
        assertThat(failed.complete.errorDetails()).contains("missing thing");
        assertThat(failed.complete.logResult()).isNull();
    }

    @Test
    void aStreamingNodeFunctionSendsChunksAsTheyAreWritten() throws Exception {
        LambdaClient sync = terrarium.client(LambdaClient::builder);
        sync.createFunction(b -> b.functionName("js").runtime(Runtime.NODEJS20_X).role(ROLE).handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("index.js", STREAMING_NODE)))));
        LambdaAsyncClient lambda = terrarium.client(LambdaAsyncClient::builder);
        Seen seen = stream(lambda, InvokeWithResponseStreamRequest.builder().functionName("js").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{\"name\":\"x\"}")).build());
        assertThat(seen.body()).isEqualTo("part 1 of x;part 2 of x;part 3 of x;");
        assertThat(seen.chunks).hasSizeGreaterThanOrEqualTo(3);
        assertThat(seen.chunkMillis.get(seen.chunkMillis.size() - 1) - seen.chunkMillis.get(0))
                .as("chunks arrive as written, not at the end").isGreaterThanOrEqualTo(200);
        assertThat(seen.complete.errorCode()).isNull();
        assertThat(new String(Base64.getDecoder().decode(seen.complete.logResult()), StandardCharsets.UTF_8))
                .contains("streamed for js");

        // a buffered Invoke of a streaming function gets the whole response
        assertThat(sync.invoke(b -> b.functionName("js").payload(SdkBytes.fromUtf8String("{\"name\":\"y\"}")))
                .payload().asUtf8String()).isEqualTo("part 1 of y;part 2 of y;part 3 of y;");
    }

    @Test
    void errorsBeforeTheStream() {
        LambdaAsyncClient lambda = terrarium.client(LambdaAsyncClient::builder);
        assertThatThrownBy(() -> stream(lambda, InvokeWithResponseStreamRequest.builder().functionName("nope").build()))
                .hasCauseInstanceOf(ResourceNotFoundException.class);
        LambdaClient sync = terrarium.client(LambdaClient::builder);
        assertThat(sync.listFunctions().functions()).isEmpty();
    }
}
