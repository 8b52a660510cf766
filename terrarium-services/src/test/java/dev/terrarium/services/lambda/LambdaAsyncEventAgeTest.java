package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Events older than MaximumEventAgeInSeconds (on the server's clock) are dropped with an EventAgeExceeded record. */
class LambdaAsyncEventAgeTest {
    @RegisterExtension
    static final TerrariumExtension terrarium =
            new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();

    @Test
    void throttledEventIsDroppedOnceTooOld() throws Exception {
        LambdaClient lambda = terrarium.client(LambdaClient::builder);
        SqsClient sqs = terrarium.client(SqsClient::builder);
        sqs.createQueue(b -> b.queueName("expired"));
        lambda.createFunction(b -> b.functionName("busy").runtime(Runtime.PYTHON3_12).role(LambdaInvokeTest.ROLE)
                .handler("app.handler").code(c -> c.zipFile(SdkBytes.fromByteArray(Zips.zip("app.py", LambdaAsyncTest.HANDLER)))));
        lambda.putFunctionConcurrency(b -> b.functionName("busy").reservedConcurrentExecutions(0));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("busy").maximumEventAgeInSeconds(60)
                .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:expired"))));

        var r = lambda.invoke(b -> b.functionName("busy").invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{\"n\": 5}")));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(LambdaAsyncTest.receive(terrarium, sqs, "expired", 1, 1500, 0)).as("still waiting for a slot").isEmpty();

        terrarium.server().clock().advance(Duration.ofSeconds(61));
        List<Message> got = LambdaAsyncTest.receive(terrarium, sqs, "expired", 1, 10_000, 0);
        assertThat(got).hasSize(1);
        JsonNode record = LambdaAsyncTest.JSON.readTree(got.get(0).body());
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("EventAgeExceeded");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isZero();
        assertThat(record.path("requestPayload").path("n").asInt()).isEqualTo(5);
        assertThat(record.has("responseContext")).isFalse();
    }
}
