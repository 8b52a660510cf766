package dev.terrarium.core.robustness;

import dev.terrarium.core.robustness.ErrorBody.Wire;
import dev.terrarium.core.routing.BodyLimits;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50 threads x 40 requests, valid and invalid mixed across every protocol, all at once: every answer
 * is the one the request gets alone, request ids never repeat, and nothing deadlocks.
 */
class ConcurrencyTest extends RobustnessSupport {
    private static final int THREADS = 50;
    private static final int PER_THREAD = 40;

    /** A request and the answer it must get: status, wire and code. */
    record Expected(String name, Supplier<RawHttp.Request> request, int status, Wire wire, String code) {
    }

    static List<Expected> mix() {
        List<Expected> m = new ArrayList<>();
        for (Seeds.Seed s : Seeds.all()) {
            m.add(new Expected("valid " + s, s::copy, 501, s.wire(), "NotImplemented"));
        }
        m.add(new Expected("bad json", () -> Seeds.sqs().copy().body("{\"QueueUrl\":"), 400, Wire.AWS_JSON,
                "SerializationException"));
        m.add(new Expected("wrong type", () -> Seeds.json("Logs_20140328.PutLogEvents", Seeds.JSON_11,
                "{\"logGroupName\":[1]}"), 400, Wire.AWS_JSON, "SerializationException"));
        m.add(new Expected("dynamodb validation", () -> Seeds.json("DynamoDB_20120810.PutItem", Seeds.JSON_10, "{}"),
                400, Wire.AWS_JSON, "ValidationException"));
        m.add(new Expected("bad xml", () -> Seeds.s3DeleteObjects().copy().removeHeader("Content-MD5").body("<Delete>"),
                400, Wire.S3_XML, "MalformedXML"));
        m.add(new Expected("unknown action", () -> Seeds.form("Action=Nope&Version=2011-06-15"), 400, Wire.QUERY_XML,
                "InvalidAction"));
        m.add(new Expected("ec2 unknown action", () -> Seeds.form("Action=Nope&Version=2016-11-15"), 400, Wire.EC2_XML,
                "InvalidAction"));
        m.add(new Expected("cbor unknown op", () -> Seeds.cborBytes("Nope", new byte[0]), 404, Wire.CBOR,
                "UnknownOperationException"));
        m.add(new Expected("bad cbor", () -> Seeds.cborBytes("PutMetricData", new byte[]{(byte) 0xA2}), 400, Wire.CBOR,
                "SerializationException"));
        m.add(new Expected("bad signature", ConcurrencyTest::badlySigned, 403, Wire.QUERY_XML, "SignatureDoesNotMatch"));
        m.add(new Expected("too large", () -> Seeds.sqs().copy().header("Content-Length",
                Long.toString(BodyLimits.DEFAULT_MAX_BYTES + 1)), 413, Wire.AWS_JSON, "RequestEntityTooLarge"));
        m.add(new Expected("lambda bad json", () -> Seeds.lambda(new RawHttp.Request("POST", "/2015-03-31/functions"))
                .header("Content-Type", "application/json").body("[[["), 400, Wire.REST_JSON, "SerializationException"));
        return m;
    }

    private static RawHttp.Request badlySigned() {
        String now = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        return Seeds.form("Action=GetCallerIdentity&Version=2011-06-15").header("X-Amz-Date", now)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/" + now.substring(0, 8)
                        + "/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "1".repeat(64));
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnRightAnswer() throws Exception {
        List<Expected> mix = mix();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        Set<String> requestIds = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> duplicateIds = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(t);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        Expected e = mix.get(random.nextInt(mix.size()));
                        RawHttp.Reply reply = http.send(e.request().get());
                        try {
                            assertThat(reply.status()).as("%s: %s", e.name(), reply).isEqualTo(e.status());
                            ErrorBody body = ErrorBody.parse(e.wire(), reply);
                            assertThat(body.code()).as("%s: %s", e.name(), reply).isEqualTo(e.code());
                        } catch (AssertionError failure) {
                            wrong.add(failure.getMessage());
                        }
                        String id = reply.header("x-amzn-requestid") != null ? reply.header("x-amzn-requestid")
                                : reply.header("x-amz-request-id");
                        if (id != null && !requestIds.add(id)) {
                            duplicateIds.add(id);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(wrong).as("wrong answers").isEmpty();
        assertThat(duplicateIds).as("request ids given twice").isEmpty();
        assertThat(requestIds).hasSizeGreaterThan(THREADS * PER_THREAD * 9 / 10);
        assertAlive();
    }
}
