package dev.terrarium.core.robustness;

import dev.terrarium.core.robustness.ErrorBody.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP-level abuse: odd methods and versions, unicode and raw bytes in every position, huge headers and
 * paths, bad percent-encodings, duplicate keys, Content-Type games. Jetty's own rejections answer the
 * pre-routing JSON error; everything that reaches Terrarium answers its protocol's error.
 */
class HttpEdgeCaseTest extends RobustnessSupport {
    /** Unicode that breaks naive code: non-BMP (surrogate pairs), combining marks, RTL, BOM, noncharacters. */
    static final List<String> UNICODE = List.of("\uD83D\uDE00", "e\u0301", "\u202Eabc", "\uFEFF", "\uFFFF",
            "\u0000", "\u00e9t\u00e9", "\u4e2d\u6587", "\uD800\uDC00", "%F0%9F%98%80", "\u2028");

    @AfterEach
    void stillUp() {
        assertAlive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATCH", "OPTIONS", "TRACE", "DELETE", "HEAD", "PROPFIND", "FOO", "GET"})
    void oddMethodsOnEveryProtocol(String method) {
        for (Seeds.Seed seed : Seeds.all()) {
            RawHttp.Request r = seed.copy();
            r.method = method;
            RawHttp.Reply reply = http.send(r);
            if (method.equals("HEAD")) {
                assertThat(reply.status()).as("%s as HEAD: %s", seed, reply).isIn(200, 400, 404, 405, 501);
                assertThat(reply.body()).isEmpty();
            } else if (reply.status() / 100 != 2) {
                checkError(seed + " as " + method, reply, null, null);
            }
        }
    }

    @Test
    void http10WithoutHost() {
        for (Seeds.Seed seed : Seeds.all()) {
            RawHttp.Request r = seed.copy();
            r.version = "HTTP/1.0";
            r.host = false;
            RawHttp.Reply reply = http.send(r);
            if (reply.status() / 100 != 2) {
                checkError(seed + " over HTTP/1.0", reply, null, null);
            }
        }
    }

    @Test
    void http11WithoutHostIsRejectedByJettyWithJson() {
        RawHttp.Request r = Seeds.sqs().copy();
        r.host = false;
        expectError(r, Wire.AWS_JSON, "BadRequest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTPS/1.1", "http/1.1"})
    void strangeHttpVersions(String version) {
        RawHttp.Request r = Seeds.sqs().copy();
        r.version = version;
        RawHttp.Reply reply = http.send(r);
        if (reply.status() / 100 != 2) {
            ErrorBody e = ErrorBody.parseAny(reply);
            assertThat(reply.status()).as("%s: %s", version, reply).isIn(400, 426, 501, 505);
            assertThat(reply.text()).doesNotContain("\tat ");
            assertThat(e.code()).isNotBlank();
        }
    }

    @Test
    void garbageRequestLine() {
        for (String line : List.of("\r\n\r\n", "GET\r\n\r\n", "GET /\r\n\r\n", "G\u00e9T / HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n: empty name\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc")) {
            RawHttp.Reply reply;
            try {
                reply = http.sendBytes(line.getBytes(StandardCharsets.ISO_8859_1), true, true);
            } catch (java.io.UncheckedIOException closedWithoutAnswer) {
                continue; // Jetty may drop a connection that is not HTTP at all: fine, as long as it stays up
            }
            assertThat(reply.status()).as("%s: %s", line, reply).isBetween(400, 505);
            assertThat(reply.status()).as("%s: %s", line, reply).isNotEqualTo(500);
            ErrorBody.parseAny(reply);
        }
    }

    static List<String> unicode() {
        return UNICODE;
    }

    @ParameterizedTest
    @MethodSource("unicode")
    void unicodeInPathsQueriesHeadersAndBodies(String u) {
        String enc = java.net.URLEncoder.encode(u, StandardCharsets.UTF_8);
        List<Object[]> attempts = new ArrayList<>();
        // raw UTF-8 bytes and the percent-encoded form, in the S3 key, the lambda function name, the query
        for (Seeds.Seed seed : Seeds.all()) {
            RawHttp.Request r = seed.copy();
            String target = new String(r.target, StandardCharsets.UTF_8);
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            String query = q < 0 ? "" : target.substring(q + 1);
            attempts.add(new Object[]{seed, with(r.copy(), path + u + (q < 0 ? "" : "?" + query))});
            attempts.add(new Object[]{seed, with(r.copy(), path + enc + (q < 0 ? "" : "?" + query))});
            attempts.add(new Object[]{seed, with(r.copy(), path + "?" + query + (query.isEmpty() ? "" : "&") + enc + "=" + u)});
            attempts.add(new Object[]{seed, r.copy().header("x-amz-meta-" + enc, u)});
            attempts.add(new Object[]{seed, r.copy().header("X-Amz-Target", u)});
            attempts.add(new Object[]{seed, r.copy().header("Content-Type", u)});
            attempts.add(new Object[]{seed, r.copy().body(new String(r.body, StandardCharsets.UTF_8).replace("m", u))});
        }
        for (Object[] a : attempts) {
            RawHttp.Request r = (RawHttp.Request) a[1];
            RawHttp.Reply reply = http.send(r);
            if (reply.status() / 100 != 2) {
                checkError(a[0] + " with " + r, reply, null, null);
            }
        }
    }

    private static RawHttp.Request with(RawHttp.Request r, String target) {
        r.target = target.getBytes(StandardCharsets.UTF_8);
        return r;
    }

    @Test
    void invalidUtf8AndNulInThePathAndQuery() {
        byte[][] targets = {
                {'/', 'b', '/', (byte) 0xC3, 0x28},
                {'/', 'b', '/', (byte) 0xFF, (byte) 0xFE},
                {'/', '?', 'A', 'c', 't', 'i', 'o', 'n', '=', (byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "/b/%C3%28".getBytes(StandardCharsets.US_ASCII),
                "/b/%ED%A0%80".getBytes(StandardCharsets.US_ASCII),
                "/b/a%00b".getBytes(StandardCharsets.US_ASCII),
                "/2015-03-31/functions/%00".getBytes(StandardCharsets.US_ASCII),
                "/2015-03-31/functions/%C0%AF".getBytes(StandardCharsets.US_ASCII),
                "/?Action=GetCallerIdentity&Version=2011-06-15&x=%C3%28".getBytes(StandardCharsets.US_ASCII),
                "/?Action=DescribeInstances&Version=2016-11-15&InstanceId.1=%00".getBytes(StandardCharsets.US_ASCII),
        };
        for (byte[] t : targets) {
            for (String method : List.of("GET", "PUT", "POST", "DELETE")) {
                RawHttp.Request r = Seeds.lambda(new RawHttp.Request(method, t));
                RawHttp.Reply reply = http.send(r);
                if (reply.status() / 100 != 2) {
                    checkError(r, reply, null, null);
                }
                RawHttp.Reply unsigned = http.send(new RawHttp.Request(method, t));
                if (unsigned.status() / 100 != 2) {
                    checkError(r, unsigned, null, null);
                }
            }
        }
    }

    @Test
    void badPercentEncodings() {
        for (String t : List.of("/b/%", "/b/%z", "/b/%zz/k", "/b/k%", "/b/%%%", "/%2e%2e/%2e%2e/etc/passwd",
                "/b/..%2f..%2fk", "/b/k?%=%", "/b/k?a=%G1", "/?Action=%zz&Version=2011-06-15",
                "/2015-03-31/functions/%E0%A4%A", "/2015-03-31/functions/f%/invocations",
                "/2015-03-31/functions?Marker=%ZZ&MaxItems=%31%30")) {
            for (RawHttp.Request r : List.of(new RawHttp.Request("GET", t), Seeds.lambda(new RawHttp.Request("GET", t)),
                    new RawHttp.Request("PUT", t).body("x"), new RawHttp.Request("POST", t).header("Content-Type",
                            Seeds.FORM).body("Action=GetCallerIdentity&Version=2011-06-15&%zz=%"))) {
                RawHttp.Reply reply = http.send(r);
                if (reply.status() / 100 != 2) {
                    checkError(r, reply, null, null);
                }
            }
        }
    }

    @Test
    void duplicateQueryKeys() {
        List<RawHttp.Request> requests = List.of(
                new RawHttp.Request("GET", "/b?list-type=2&list-type=1&max-keys=1&max-keys=abc"),
                new RawHttp.Request("GET", "/?Action=GetCallerIdentity&Action=AssumeRole&Version=2011-06-15&Version=x"),
                Seeds.form("Action=CreateUser&Action=DeleteUser&Version=2010-05-08&UserName=a&UserName=b"),
                Seeds.form("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=a&InstanceId.1=b&MaxResults=5"
                        + "&MaxResults=x"),
                Seeds.lambda(new RawHttp.Request("GET", "/2015-03-31/functions?MaxItems=1&MaxItems=2&Marker=a&Marker=b")),
                new RawHttp.Request("POST", "/?Action=GetCallerIdentity&Version=2011-06-15").header("Content-Type",
                        Seeds.FORM).body("Action=AssumeRole&Version=2011-06-15"));
        for (RawHttp.Request r : requests) {
            RawHttp.Reply reply = http.send(r);
            if (reply.status() / 100 != 2) {
                checkError(r, reply, null, null);
            }
        }
    }

    @Test
    void contentTypeGames() {
        for (Seeds.Seed seed : Seeds.all()) {
            List<RawHttp.Request> variants = List.of(
                    seed.copy().removeHeader("Content-Type"),
                    seed.copy().removeHeader("Content-Type").header("Content-Type", ""),
                    seed.copy().removeHeader("Content-Type").header("Content-Type", "text/plain"),
                    seed.copy().removeHeader("Content-Type").header("Content-Type", "application/json; charset=utf-16"),
                    seed.copy().removeHeader("Content-Type").header("Content-Type", ";;;=;"),
                    seed.copy().header("Content-Type", "application/xml"),
                    seed.copy().removeHeader("Content-Type").header("Content-Type", "multipart/form-data; boundary="));
            for (RawHttp.Request r : variants) {
                RawHttp.Reply reply = http.send(r);
                if (reply.status() / 100 != 2) {
                    checkError(seed + " " + r.headers.stream().map(h -> h[0] + "=" + h[1]).toList(), reply, null, null);
                }
            }
        }
    }

    @Test
    void veryLongHeaderValuesAndManyHeaders() {
        for (Seeds.Seed seed : Seeds.all()) {
            for (RawHttp.Request r : List.of(seed.copy().header("x-amz-meta-big", "v".repeat(60_000)),
                    seed.copy().header("X-Amz-Target", "A".repeat(30_000) + ".B"),
                    seed.copy().header("x-amz-security-token", "t".repeat(100_000)),
                    manyHeaders(seed.copy(), 2_000))) {
                RawHttp.Reply reply = http.send(r);
                if (reply.status() / 100 != 2) {
                    checkError(seed + " with big headers", reply, null, null);
                }
            }
        }
    }

    private static RawHttp.Request manyHeaders(RawHttp.Request r, int n) {
        for (int i = 0; i < n; i++) {
            r.header("x-amz-meta-h" + i, "v" + i);
        }
        return r;
    }

    @Test
    void veryLongPaths() {
        for (int length : new int[]{1_024, 8_192, 60_000, 200_000}) {
            String seg = "/b/" + "k".repeat(length);
            for (RawHttp.Request r : List.of(new RawHttp.Request("GET", seg), new RawHttp.Request("PUT", seg).body("x"),
                    Seeds.lambda(new RawHttp.Request("GET", "/2015-03-31/functions/" + "f".repeat(length))),
                    new RawHttp.Request("GET", "/b/" + "a/".repeat(length / 2)),
                    new RawHttp.Request("GET", "/?Action=GetCallerIdentity&Version=2011-06-15&p=" + "q".repeat(length)))) {
                RawHttp.Reply reply;
                try {
                    reply = http.send(r);
                } catch (java.io.UncheckedIOException closedWhileSending) {
                    // past the 64 KiB request-header limit the server answers 431 and closes; a client still
                    // writing its request line may see the close before the answer. The server must stay up.
                    assertThat(length).as("only requests past the header limit may be cut off").isGreaterThan(64 * 1024);
                    assertAlive();
                    continue;
                }
                if (reply.status() / 100 != 2) {
                    checkError(r, reply, null, null);
                }
            }
        }
    }

    @Test
    void unknownTargetsAndServices() {
        expectError(Seeds.json("Nope_20200101.DoIt", Seeds.JSON_10, "{}"), null, null);
        expectError(Seeds.json("AmazonSQS.", Seeds.JSON_10, "{}"), Wire.AWS_JSON, "UnknownOperationException");
        expectError(Seeds.json(".SendMessage", Seeds.JSON_10, "{}"), null, null);
        expectError(Seeds.json("AmazonSQS.SendMessage.Extra", Seeds.JSON_10, "{}"), null, null);
        expectError(Seeds.json("amazonsqs.sendmessage", Seeds.JSON_10, "{}"), null, null);
        expectError(Seeds.json("DynamoDB_20120810.ListQueues", Seeds.JSON_10, "{}"), Wire.AWS_JSON,
                "UnknownOperationException");
        expectError(Seeds.form("Action=DescribeInstances&Version=1999-01-01"), null, null);
        expectError(Seeds.form("Version=2011-06-15"), null, null);
        expectError(Seeds.form("Action=&Version=2011-06-15"), Wire.QUERY_XML, "MissingAction");
        expectError(Seeds.cborBytes("Nope", new byte[0]), Wire.CBOR, "UnknownOperationException");
        expectError(new RawHttp.Request("POST", "/service/Nope/operation/X").header("Smithy-Protocol", "rpc-v2-cbor")
                .header("Content-Type", "application/cbor"), null, null);
        expectError(new RawHttp.Request("POST", "/service/GraniteServiceVersion20100801/operation/")
                .header("Smithy-Protocol", "rpc-v2-cbor").header("Content-Type", "application/cbor"), null, null);
        expectError(new RawHttp.Request("POST", "/service/GraniteServiceVersion20100801")
                .header("Smithy-Protocol", "rpc-v2-cbor").header("Content-Type", "application/cbor"), null, null);
        expectError(Seeds.signedFor("nosuchservice", new RawHttp.Request("GET", "/x")), null, null);
        expectError(Seeds.signedFor("execute-api", new RawHttp.Request("GET", "/x")), null, null);
    }
}
