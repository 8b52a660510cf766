package dev.terrarium.services.sqs;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SqsLongPollTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        sqs = terrarium.client(SqsClient::builder);
    }

    @Test
    void longPollReturnsAsSoonAsAMessageArrives() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("wake")).queueUrl();
        CompletableFuture<List<Message>> polled = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)).messages());
        Thread.sleep(300);
        assertThat(polled).isNotDone();
        long sent = System.nanoTime();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("now"));
        List<Message> got = polled.get(5, TimeUnit.SECONDS);
        assertThat(got).extracting(Message::body).containsExactly("now");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isLessThan(1000);
    }

    @Test
    void longPollEndsEmptyAfterWaitTimeSeconds() {
        String url = sqs.createQueue(b -> b.queueName("empty")).queueUrl();
        long start = System.nanoTime();
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()).isEmpty();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(ms).isBetween(900L, 3000L);
    }

    @Test
    void queueWaitTimeAppliesWhenTheReceiveGivesNone() {
        String url = sqs.createQueue(b -> b.queueName("queue-wait")
                .attributesWithStrings(java.util.Map.of("ReceiveMessageWaitTimeSeconds", "1"))).queueUrl();
        long start = System.nanoTime();
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(900L);
    }

    @Test
    void aThousandParkedReceiversHoldNoThreads() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("crowd")).queueUrl();
        AtomicReference<SdkHttpRequest> signed = new AtomicReference<>();
        AtomicReference<byte[]> body = new AtomicReference<>();
        try (SqsClient capturing = terrarium.client(() -> SqsClient.builder().overrideConfiguration(c -> c.addExecutionInterceptor(
                new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission ctx, ExecutionAttributes attrs) {
                        signed.set(ctx.httpRequest());
                        ctx.requestBody().ifPresent(rb -> {
                            try (var in = rb.contentStreamProvider().newStream()) {
                                body.set(in.readAllBytes());
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                    }
                })))) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("capture"));
            capturing.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20).visibilityTimeout(300));
        }
        // the one signed long poll, replayed 1,000 times at once
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Set<String> restricted = Set.of("host", "content-length", "connection", "expect");
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(terrarium.endpoint() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.get()));
        signed.get().headers().forEach((k, vs) -> {
            if (!restricted.contains(k.toLowerCase())) {
                vs.forEach(v -> rb.header(k, v));
            }
        });
        HttpRequest poll = rb.build();
        int n = 1000;
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            polls.add(http.sendAsync(poll, HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        SqsService service = (SqsService) terrarium.server().registry().implementation("sqs").service();
        int reconnected = 0;
        while (service.parkedReceives() < n && System.nanoTime() < deadline) {
            for (int i = 0; i < n; i++) {
                CompletableFuture<HttpResponse<String>> p = polls.get(i);
                if (p.isDone()) {
                    // a connection lost in the burst of 1,000 connects is the client's to retry; an answer is a failure
                    assertThat(p).as("a parked receive answered before any message was sent").isCompletedExceptionally();
                    polls.set(i, http.sendAsync(poll, HttpResponse.BodyHandlers.ofString()));
                    reconnected++;
                }
            }
            Thread.sleep(50);
        }
        assertThat(reconnected).as("connections lost in the burst").isLessThan(n / 10);
        assertThat(service.parkedReceives()).isEqualTo(n);
        assertThat(polls).noneMatch(CompletableFuture::isDone);
        assertThat(threadsInTerrarium()).as("threads inside Terrarium's request path while %d receives are parked", n)
                .isEmpty();
        for (int i = 0; i < n / 10; i++) {
            int batch = i;
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, 10).mapToObj(j ->
                    SendMessageBatchRequestEntry.builder().id("e" + j).messageBody("m" + (batch * 10 + j)).build()).toList()));
        }
        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        Set<String> bodies = new java.util.HashSet<>();
        for (CompletableFuture<HttpResponse<String>> p : polls) {
            HttpResponse<String> r = p.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            int at = r.body().indexOf("\"Body\":\"");
            assertThat(at).as(r.body()).isPositive();
            bodies.add(r.body().substring(at + 8, r.body().indexOf('"', at + 8)));
        }
        assertThat(bodies).hasSize(n);
    }

    /** Server threads whose stack is in Terrarium's request path (a blocked long poll would be). */
    private static List<String> threadsInTerrarium() {
        List<String> out = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("terrarium")) {
                for (StackTraceElement e : stack) {
                    if (e.getClassName().startsWith("dev.terrarium")) {
                        out.add(t.getName() + " at " + e);
                        break;
                    }
                }
            }
        });
        return out;
    }
}
