package dev.terrarium.core.robustness;

import dev.terrarium.core.http.BodyTooLargeException;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.robustness.ErrorBody.Wire;
import dev.terrarium.core.routing.BodyLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bodies read into memory are capped (BodyLimits): over the cap the request gets the AWS error in its
 * protocol's shape without the rest of the body being read; streaming payloads are not capped.
 */
class BodyLimitTest extends RobustnessSupport {
    private static final long OVER = BodyLimits.DEFAULT_MAX_BYTES + 1;

    @AfterEach
    void stillUp() {
        assertAlive();
    }

    /** Declares a body over the limit but sends only its first bytes: an answer proves nothing waited for the rest. */
    private static RawHttp.Request declaring(RawHttp.Request r, long length) {
        return r.removeHeader("Content-Length").header("Content-Length", Long.toString(length));
    }

    @Test
    void awsJsonAnswers413WithoutReadingTheBody() {
        ErrorBody e = expectError(declaring(Seeds.sqs().copy(), OVER), Wire.AWS_JSON, "RequestEntityTooLarge");
        assertThat(e.message()).contains(Long.toString(BodyLimits.DEFAULT_MAX_BYTES));
        expectError(declaring(Seeds.logs().copy(), 1L << 40), Wire.AWS_JSON, "RequestEntityTooLarge");
    }

    @Test
    void statusIs413() {
        assertThat(http.send(declaring(Seeds.dynamodb().copy(), OVER)).status()).isEqualTo(413);
        assertThat(http.send(declaring(Seeds.s3DeleteObjects().copy(), OVER)).status()).isEqualTo(400);
    }

    @Test
    void queryProtocolsAnswerInTheirShape() {
        expectError(declaring(Seeds.signedFor("sts", Seeds.stsAssumeRole().copy()), OVER), Wire.QUERY_XML,
                "RequestEntityTooLarge");
        expectError(declaring(Seeds.signedFor("ec2", Seeds.ec2().copy()), OVER), Wire.EC2_XML, "RequestEntityTooLarge");
    }

    @Test
    void s3AnswersMaxMessageLengthExceeded() {
        expectError(declaring(Seeds.s3DeleteObjects().copy(), OVER), Wire.S3_XML, "MaxMessageLengthExceeded");
        expectError(declaring(Seeds.s3CreateBucket().copy(), OVER), Wire.S3_XML, "MaxMessageLengthExceeded");
    }

    @Test
    void cborAnswers413() {
        expectError(declaring(Seeds.cloudwatch().copy(), OVER), Wire.CBOR, "RequestEntityTooLarge");
    }

    @Test
    void lambdaHasALargerLimitAndItsOwnModeledError() {
        RawHttp.Request invoke = Seeds.lambda(new RawHttp.Request("POST", "/2015-03-31/functions/f/invocations"))
                .body("{}");
        expectError(declaring(invoke, BodyLimits.LAMBDA_MAX_BYTES + 1), Wire.REST_JSON, "RequestTooLargeException");
        assertThat(BodyLimits.forService("lambda")).isGreaterThan(50L * 1024 * 1024 * 4 / 3);
    }

    @Test
    void streamingPayloadsAreNotLimited() {
        // PutObject and UploadPart stream their body: a 5 GiB declaration goes through to the (absent) service
        expectAccepted(declaring(Seeds.s3PutObject().copy(), 5L << 30), Wire.S3_XML);
        expectAccepted(declaring(new RawHttp.Request("PUT", "/my-bucket/k?partNumber=1&uploadId=u").body("x"),
                OVER), Wire.S3_XML);
    }

    @Test
    void aChunkedBodyIsCutOffJustPastTheLimit() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.server().port()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (written.get() < 4 * OVER) {
                        out.write(head);
                        out.write(chunk);
                        out.write('\r');
                        out.write('\n');
                        written.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException serverStoppedReading) {
                    // expected: the server answers and closes once past the limit
                }
            });
            writer.start();
            RawHttp.Reply reply = RawHttp.read(s.getInputStream(), true);
            checkError("21 MiB chunked SendMessage", reply, Wire.AWS_JSON, "RequestEntityTooLarge");
            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.header("x-amzn-query-error")).as("SQS's codec answered, not Jetty")
                    .isEqualTo("RequestEntityTooLarge;Sender");
            s.close();
            writer.join(10_000);
            assertThat(written.get()).isLessThan(4 * OVER);
        }
    }

    // ---- HttpRequest.body() itself ----

    @Test
    void bodyReadsAtMostOneByteMoreThanTheLimit() {
        AtomicLong read = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                read.addAndGet(len);
                return len;
            }
        };
        HttpRequest r = new HttpRequest("POST", "/", "", new Headers(), endless, "127.0.0.1");
        r.limitBody(1000);
        assertThatThrownBy(r::body).isInstanceOf(BodyTooLargeException.class);
        assertThat(read.get()).isEqualTo(1001);
        assertThatThrownBy(r::body).as("stays refused").isInstanceOf(BodyTooLargeException.class);
        assertThat(read.get()).isEqualTo(1001);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedUnread() {
        AtomicLong read = new AtomicLong();
        InputStream counting = new InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return -1;
            }
        };
        HttpRequest r = new HttpRequest("POST", "/", "", new Headers().add("Content-Length", "1001"), counting,
                "127.0.0.1");
        r.limitBody(1000);
        assertThatThrownBy(r::body).isInstanceOf(BodyTooLargeException.class);
        assertThat(read.get()).isZero();
    }

    @Test
    void aBodyAtTheLimitIsRead() {
        byte[] body = new byte[1000];
        HttpRequest r = new HttpRequest("POST", "/", "", new Headers(), new java.io.ByteArrayInputStream(body),
                "127.0.0.1");
        r.limitBody(1000);
        assertThat(r.body()).hasSize(1000);
    }

    @Test
    void theStreamIsNotLimited() throws IOException {
        HttpRequest r = new HttpRequest("PUT", "/b/k", "", new Headers().add("Content-Length", "5000"),
                new java.io.ByteArrayInputStream(new byte[5000]), "127.0.0.1");
        r.limitBody(1000);
        assertThat(r.bodyStream().readAllBytes()).hasSize(5000);
    }
}
