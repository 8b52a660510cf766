package dev.terrarium.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.clock.VirtualClock;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests signed by botocore (the signer of boto3 and the AWS CLI) verify with our canonicalization. */
class BotocoreSigningTest {
    private static final Instant SIGNED_AT = Instant.parse("2025-01-01T12:00:00Z");

    /** Signs a set of requests with botocore at a fixed time and prints them as JSON. */
    private static final String SCRIPT = """
            import base64, datetime, json, sys
            from urllib.parse import urlsplit
            import botocore.auth
            from botocore.auth import SigV4Auth, S3SigV4Auth, SigV4QueryAuth, S3SigV4QueryAuth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials

            botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime(2025, 1, 1, 12, 0, 0)
            test = Credentials('test', 'test')
            session = Credentials('ASIABOTOCORE', 'session-secret', 'botocore-token')

            def case(name, signer, method, url, body=b'', headers=None):
                req = AWSRequest(method=method, url=url, data=body, headers=headers or {})
                signer.add_auth(req)
                prepared = req.prepare()
                parts = urlsplit(prepared.url)
                hs = [[k, v] for k, v in prepared.headers.items()]
                if not any(k.lower() == 'host' for k, _ in hs):
                    hs.append(['Host', parts.netloc])
                out[name] = {'method': method, 'path': parts.path, 'query': parts.query, 'headers': hs,
                             'body': base64.b64encode(prepared.body or b'').decode()}

            out = {}
            case('sqs-query', SigV4Auth(test, 'sqs', 'us-east-1'), 'POST', 'http://localhost:4566/',
                 b'Action=SendMessage&MessageBody=hello%20%20world%21&QueueUrl=http%3A%2F%2Flocalhost%3A4566%2F000000000000%2Fq',
                 {'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'})
            case('sts-get', SigV4Auth(test, 'sts', 'eu-west-1'), 'GET',
                 'http://localhost:4566/?Version=2011-06-15&Action=GetCallerIdentity&Odd=a%20b%2Bc~%2A%C3%BC&Empty=')
            case('lambda-path', SigV4Auth(test, 'lambda', 'us-east-1'), 'POST',
                 'http://localhost:4566/2015-03-31/functions/my-fn%3Aprod/invocations?Qualifier=%24LATEST',
                 b'{"key": "value"}', {'X-Amz-Invocation-Type': '  Event  ', 'X-Amz-Log-Type': 'None'})
            case('dynamodb-session', SigV4Auth(session, 'dynamodb', 'us-east-1'), 'POST', 'http://localhost:4566/',
                 b'{"TableName": "t"}', {'X-Amz-Target': 'DynamoDB_20120810.ListTables',
                                         'Content-Type': 'application/x-amz-json-1.0'})
            case('s3-put', S3SigV4Auth(test, 's3', 'us-east-1'), 'PUT',
                 'http://localhost:4566/bucket/dir/my%20key%2B%C3%BC%21.txt', b'object bytes',
                 {'Content-Type': 'text/plain', 'x-amz-meta-Note': 'a   b'})
            case('s3-list', S3SigV4Auth(test, 's3', 'us-east-1'), 'GET',
                 'http://localhost:4566/bucket?list-type=2&prefix=dir%2Fmy%20key&delimiter=%2F&encoding-type=url')
            case('s3-presigned', S3SigV4QueryAuth(test, 's3', 'us-east-1', expires=600), 'GET',
                 'http://localhost:4566/bucket/a%20b%2Bc.txt?versionId=x%2By&response-content-type=text%2Fplain')
            case('sts-presigned', SigV4QueryAuth(test, 'sts', 'us-east-1', expires=60), 'GET',
                 'http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15')
            json.dump(out, sys.stdout)
            """;

    private static JsonNode signed;
    private CredentialStore store;
    private SigV4Verifier verifier;

    @BeforeAll
    static void signWithBotocore() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", SCRIPT).redirectErrorStream(false).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not available");
            return;
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Assumptions.assumeFalse(err.contains("No module named 'botocore'"), "botocore is not installed");
        assertThat(p.exitValue()).as(err).isZero();
        signed = new ObjectMapper().readTree(out);
    }

    @BeforeEach
    void setUp() {
        store = new CredentialStore("000000000000");
        store.register(new Credential("ASIABOTOCORE", "session-secret", "botocore-token",
                new Identity("000000000000", "ASIABOTOCORE", "arn:aws:sts::000000000000:assumed-role/r/s",
                        "AROA:s", Identity.Kind.ASSUMED_ROLE, "botocore-token"), null));
        verifier = new SigV4Verifier(store, new VirtualClock(SIGNED_AT.plusSeconds(5)), true, true);
    }

    private static HttpRequest request(String name) {
        JsonNode c = signed.get(name);
        assertThat(c).as(name).isNotNull();
        Headers headers = new Headers();
        c.get("headers").forEach(h -> headers.add(h.get(0).asText(), h.get(1).asText()));
        String query = c.get("query").asText();
        return HttpRequest.of(c.get("method").asText(), c.get("path").asText() + (query.isEmpty() ? "" : "?" + query),
                headers, Base64.getDecoder().decode(c.get("body").asText()));
    }

    private Authentication verify(String name, SigningDialect dialect) {
        Authentication auth = verifier.authenticate(request(name), dialect);
        assertThat(auth.verified()).as(name).isTrue();
        return auth;
    }

    @Test
    void queryProtocolPost() {
        assertThat(verify("sqs-query", SigningDialect.STANDARD).signed().service()).isEqualTo("sqs");
    }

    /** botocore signs the query as its serializer encoded it (AWS's encoding: '~' bare, '*' as %2A). */
    @Test
    void getWithAwkwardQueryValues() {
        assertThat(verify("sts-get", SigningDialect.STANDARD).region()).isEqualTo("eu-west-1");
    }

    @Test
    void restJsonPathWithEncodedCharacters() {
        verify("lambda-path", SigningDialect.STANDARD);
    }

    @Test
    void sessionCredentials() {
        assertThat(verify("dynamodb-session", SigningDialect.STANDARD).identity().kind())
                .isEqualTo(Identity.Kind.ASSUMED_ROLE);
    }

    @Test
    void s3PutWithAnEncodedKey() {
        HttpRequest req = request("s3-put");
        verifier.authenticate(req, SigningDialect.S3);
        assertThat(new String(req.body(), StandardCharsets.UTF_8)).isEqualTo("object bytes");
    }

    @Test
    void s3ListWithEncodedQuery() {
        verify("s3-list", SigningDialect.S3);
    }

    @Test
    void s3PresignedUrl() {
        verify("s3-presigned", SigningDialect.S3);
        SigV4Verifier later = new SigV4Verifier(store, new VirtualClock(SIGNED_AT.plus(Duration.ofMinutes(11))),
                true, true);
        AuthException e = catchThrowableOfType(() -> later.authenticate(request("s3-presigned"), SigningDialect.S3),
                AuthException.class);
        assertThat(e.code()).isEqualTo("AccessDenied");
    }

    @Test
    void nonS3PresignedUrl() {
        verify("sts-presigned", SigningDialect.STANDARD);
    }

    @Test
    void tamperingABotocoreRequestFails() {
        HttpRequest req = request("sts-get");
        assertThat(req.rawQuery()).endsWith("&Empty=");
        for (HttpRequest r : new HttpRequest[] {
                SdkSigning.withPathAndQuery(req, "/?" + req.rawQuery().replace("&Empty=", "&Empty=x")),
                SdkSigning.withPathAndQuery(req, "/?" + req.rawQuery().replace("GetCallerIdentity", "GetSessionToken")),
                SdkSigning.withHeader(req, "Authorization", req.header("Authorization").replace("eu-west-1", "us-east-1"))}) {
            AuthException e = catchThrowableOfType(() -> verifier.authenticate(r, SigningDialect.STANDARD),
                    AuthException.class);
            assertThat(e).as(r.toString()).isNotNull();
            assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        }
    }
}
