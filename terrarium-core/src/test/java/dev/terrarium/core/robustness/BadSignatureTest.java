package dev.terrarium.core.robustness;

import dev.terrarium.core.robustness.ErrorBody.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Broken SigV4: truncated and garbage Authorization headers, bad dates, bad presigned queries, on every protocol. */
class BadSignatureTest extends RobustnessSupport {
    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @AfterEach
    void stillUp() {
        assertAlive();
    }

    /** A seed and the signing name its scope must carry. */
    record Target(Seeds.Seed seed, String signingName) {
        @Override
        public String toString() {
            return seed.toString();
        }
    }

    static List<Target> targets() {
        return List.of(new Target(Seeds.sqs(), "sqs"), new Target(Seeds.logs(), "logs"),
                new Target(Seeds.stsAssumeRole(), "sts"), new Target(Seeds.iamCreateUser(), "iam"),
                new Target(Seeds.s3PutObject(), "s3"), new Target(Seeds.lambdaGet(), "lambda"),
                new Target(Seeds.ec2(), "ec2"), new Target(Seeds.cloudwatch(), "monitoring"));
    }

    private static String now() {
        return BASIC.format(Instant.now());
    }

    private static List<String[]> badHeaders(String svc) {
        String now = now();
        String day = now.substring(0, 8);
        String scope = day + "/us-east-1/" + svc + "/aws4_request";
        String sig = "Signature=" + "a".repeat(64);
        List<String[]> h = new ArrayList<>();
        // {Authorization, X-Amz-Date (null: none)}
        h.add(new String[]{"AWS4-HMAC-SHA256", now});
        h.add(new String[]{"AWS4-HMAC-SHA256 ", now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=", now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + day, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=host", now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=host, Signature=", now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=host;x-amz-date, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=;;;, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=nothere;host, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=host, Signature=zz%", now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=////, SignedHeaders=host, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=host, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=\u00e9\u00e8/" + scope + ", SignedHeaders=host, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=" + "K".repeat(20_000) + "/" + scope + ", SignedHeaders=host, "
                + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + day + "/us-east-1/" + svc + "/aws5_request, "
                + "SignedHeaders=host, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + day + "//" + svc + "/aws4_request, "
                + "SignedHeaders=host, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + day + "/us-east-1/nosuchsvc/aws4_request, "
                + "SignedHeaders=host, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/19991301/us-east-1/" + svc + "/aws4_request, "
                + "SignedHeaders=host, " + sig, now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=host, " + sig, null});
        for (String date : List.of("", "yesterday", "2025-01-01T00:00:00Z", "20251301T000000Z", "99999999T999999Z",
                "20250101T250000Z", "Thu, 01 Jan 1970 00:00:00 GMT", "-1", "2025010", day + "T000000", "\u00e9")) {
            h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=host;x-amz-date, " + sig, date});
            h.add(new String[]{"AWS4-HMAC-SHA256 Credential=" + Seeds.UNKNOWN_KEY + "/" + scope
                    + ", SignedHeaders=host;x-amz-date, " + sig, date});
        }
        h.add(new String[]{"AWS AKIDEXAMPLE:c2lnbmF0dXJl", now});
        h.add(new String[]{"AWS :", now});
        h.add(new String[]{"Bearer abc.def.ghi", now});
        h.add(new String[]{"Basic dGVzdDp0ZXN0", now});
        h.add(new String[]{"AWS4-ECDSA-P256-SHA256 Credential=test/" + day + "/" + svc + "/aws4_request, "
                + "SignedHeaders=host, Signature=3045", now});
        h.add(new String[]{"AWS4-ECDSA-P256-SHA256 Credential=x", now});
        h.add(new String[]{"aws4-hmac-sha256 Credential=test/" + scope + ", SignedHeaders=host, " + sig, now});
        h.add(new String[]{",,,,===,,,", now});
        h.add(new String[]{"AWS4-HMAC-SHA256 Credential=test/" + scope + ",,,SignedHeaders=host,,Signature==,=,", now});
        return h;
    }


    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void garbageAuthorizationHeaders(Target t) {
        for (String[] h : badHeaders(t.signingName())) {
            RawHttp.Request r = t.seed().copy().removeHeader("Authorization").removeHeader("X-Amz-Date")
                    .header("Authorization", h[0]);
            if (h[1] != null) {
                r.header("X-Amz-Date", h[1]);
            }
            if (t.signingName().equals("s3")) {
                r.header("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
            }
            RawHttp.Reply reply = http.send(r);
            String what = t + " with Authorization: " + abbreviate(h[0]) + " X-Amz-Date: " + h[1];
            if (reply.status() / 100 == 2) {
                continue;
            }
            checkError(what, reply, null, null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void aBadSignatureByAKnownKeyIsRefused(Target t) {
        String now = now();
        RawHttp.Request r = t.seed().copy().removeHeader("Authorization").removeHeader("X-Amz-Date")
                .header("X-Amz-Date", now)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/" + now.substring(0, 8) + "/us-east-1/"
                        + t.signingName() + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64));
        if (t.signingName().equals("s3")) {
            r.header("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        }
        RawHttp.Reply reply = http.send(r);
        ErrorBody e = checkError(t, reply, t.seed().wire(), null);
        assertThat(reply.status()).as("%s", reply).isEqualTo(403);
        assertThat(e.code()).isIn("SignatureDoesNotMatch", "InvalidSignatureException");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void garbagePresignedQueries(Target t) {
        String now = now();
        String cred = "test%2F" + now.substring(0, 8) + "%2Fus-east-1%2F" + t.signingName() + "%2Faws4_request";
        List<String> queries = List.of(
                "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "X-Amz-Signature=abc",
                "X-Amz-Credential=%01%02",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + cred + "&X-Amz-Date=bad&X-Amz-Expires=60"
                        + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + cred + "&X-Amz-Date=" + now
                        + "&X-Amz-Expires=-1&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + cred + "&X-Amz-Date=" + now
                        + "&X-Amz-Expires=99999999999999999999999&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + cred + "&X-Amz-Date=" + now
                        + "&X-Amz-Expires=abc&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + cred + "&X-Amz-Date=" + now
                        + "&X-Amz-Expires=60&X-Amz-SignedHeaders=&X-Amz-Signature=",
                "X-Amz-Algorithm=MD5&X-Amz-Credential=" + cred + "&X-Amz-Date=" + now
                        + "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Algorithm=x&X-Amz-Credential=" + cred + "&X-Amz-Credential=y"
                        + "&X-Amz-Date=" + now + "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00",
                "AWSAccessKeyId=test&Signature=abc&Expires=abc");
        for (String q : queries) {
            RawHttp.Request r = t.seed().copy().removeHeader("Authorization").removeHeader("X-Amz-Date");
            String target = new String(r.target, java.nio.charset.StandardCharsets.UTF_8);
            r.target = (target + (target.contains("?") ? "&" : "?") + q).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            RawHttp.Reply reply = http.send(r);
            if (reply.status() / 100 != 2) {
                checkError(t + " presigned " + q, reply, null, null);
            }
        }
    }

    @Test
    void s3PayloadHashGames() {
        String now = now();
        String auth = "AWS4-HMAC-SHA256 Credential=test/" + now.substring(0, 8) + "/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + "0".repeat(64);
        for (String sha : List.of("", "nothex", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "0".repeat(64), "Z".repeat(64))) {
            for (String key : List.of("test", Seeds.UNKNOWN_KEY)) {
                RawHttp.Request r = Seeds.s3PutObject().copy().header("X-Amz-Date", now)
                        .header("x-amz-content-sha256", sha).header("x-amz-decoded-content-length", "zz")
                        .header("Authorization", auth.replace("test/", key + "/"));
                RawHttp.Reply reply = http.send(r);
                if (reply.status() / 100 != 2) {
                    checkError("PutObject with x-amz-content-sha256 " + sha + " by " + key, reply, Wire.S3_XML, null);
                }
                RawHttp.Request chunked = Seeds.s3PutObject().copy().header("X-Amz-Date", now)
                        .header("x-amz-content-sha256", sha).header("Content-Encoding", "aws-chunked")
                        .header("Authorization", auth.replace("test/", key + "/"))
                        .body("5;chunk-signature=zz\r\nhel");
                reply = http.send(chunked);
                if (reply.status() / 100 != 2) {
                    checkError("aws-chunked PutObject with " + sha + " by " + key, reply, Wire.S3_XML, null);
                }
            }
        }
    }

    @Test
    void twoAuthorizationHeadersAndGarbageSessionTokens() {
        String now = now();
        String scope = now.substring(0, 8) + "/us-east-1/sts/aws4_request";
        RawHttp.Request r = Seeds.stsAssumeRole().copy().header("X-Amz-Date", now)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/" + scope + ", SignedHeaders=host, Signature=00")
                .header("Authorization", "Bearer x")
                .header("X-Amz-Security-Token", "\u00ff".repeat(300));
        RawHttp.Reply reply = http.send(r);
        checkError(r, reply, Wire.QUERY_XML, null);
        RawHttp.Request asia = Seeds.stsAssumeRole().copy().header("X-Amz-Date", now)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAXXXXXXXXXXXXXXXX/" + scope
                        + ", SignedHeaders=host, Signature=00").header("X-Amz-Security-Token", "garbage");
        reply = http.send(asia);
        if (reply.status() / 100 != 2) {
            checkError(asia, reply, Wire.QUERY_XML, null);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
