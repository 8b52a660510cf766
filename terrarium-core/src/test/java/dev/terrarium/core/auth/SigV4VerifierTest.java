package dev.terrarium.core.auth;

import static dev.terrarium.core.auth.SdkSigning.NOW;
import static dev.terrarium.core.auth.SdkSigning.TEST;
import static dev.terrarium.core.auth.SdkSigning.request;
import static dev.terrarium.core.auth.SdkSigning.sign;
import static dev.terrarium.core.auth.SdkSigning.withBody;
import static dev.terrarium.core.auth.SdkSigning.withHeader;
import static dev.terrarium.core.auth.SdkSigning.withPathAndQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.terrarium.core.clock.VirtualClock;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

class SigV4VerifierTest {
    private static final byte[] SQS_BODY =
            "{\"QueueUrl\":\"http://localhost:4566/000000000000/q\",\"MessageBody\":\"hello  world\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private CredentialStore store;
    private VirtualClock clock;
    private SigV4Verifier verifier;

    @BeforeEach
    void setUp() {
        store = new CredentialStore("000000000000");
        clock = new VirtualClock(NOW.plusSeconds(30));
        verifier = new SigV4Verifier(store, clock, true, false);
    }

    private static HttpRequest sqsRequest() {
        return sign(request("POST", "http://localhost:4566/")
                        .putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("X-Amz-Target", "AmazonSQS.SendMessage"),
                SQS_BODY, "sqs", "us-east-1", TEST, r -> { });
    }

    private AuthException fails(HttpRequest request, SigningDialect dialect) {
        return catchThrowableOfType(() -> verifier.authenticate(request, dialect), AuthException.class);
    }

    private static void assertError(AuthException e, String code, int status, String message) {
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.status()).isEqualTo(status);
        if (message != null) {
            assertThat(e.getMessage()).isEqualTo(message);
        }
    }

    private static void assertSignatureMismatch(AuthException e) {
        assertError(e, "SignatureDoesNotMatch", 403, SigV4Errors.SIGNATURE_MISMATCH_MESSAGE);
    }

    @Test
    void verifiesAnSdkSignedJsonRequest() {
        HttpRequest req = sqsRequest();
        Authentication auth = verifier.authenticate(req, SigningDialect.STANDARD);

        assertThat(auth.verified()).isTrue();
        assertThat(auth.identity().accountId()).isEqualTo("000000000000");
        assertThat(auth.identity().kind()).isEqualTo(Identity.Kind.ROOT);
        assertThat(auth.identity().accessKeyId()).isEqualTo("test");
        assertThat(auth.region()).isEqualTo("us-east-1");
        assertThat(auth.signed().service()).isEqualTo("sqs");
        assertThat(req.body()).isEqualTo(SQS_BODY);
    }

    @Test
    void credentialScopeIsReadCheaplyForRouting() {
        CredentialScope scope = CredentialScope.of(sqsRequest());
        assertThat(scope).isEqualTo(new CredentialScope("test", "20250101", "us-east-1", "sqs"));
        assertThat(scope.scope()).isEqualTo("20250101/us-east-1/sqs/aws4_request");
        assertThat(CredentialScope.of(HttpRequest.of("GET", "/", new Headers(), null))).isNull();
        assertThat(CredentialScope.of(HttpRequest.of("GET", "/", new Headers().add("Authorization", "Bearer x"),
                null))).isNull();
        assertThat(CredentialScope.of(HttpRequest.of("GET",
                "/?X-Amz-Credential=AKID%2F20250101%2Feu-west-1%2Fs3%2Faws4_request", new Headers(), null)))
                .isEqualTo(new CredentialScope("AKID", "20250101", "eu-west-1", "s3"));
        assertThat(CredentialScope.of(HttpRequest.of("GET", "/?X-Amz-Credential=AKID%2F20250101%2Fs3", new Headers(),
                null))).isNull();
    }

    @Test
    void tamperedHeaderFails() {
        HttpRequest req = withHeader(sqsRequest(), "X-Amz-Target", "AmazonSQS.DeleteQueue");
        assertSignatureMismatch(fails(req, SigningDialect.STANDARD));
    }

    @Test
    void tamperedBodyFails() {
        HttpRequest req = withBody(sqsRequest(), "{\"QueueUrl\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertSignatureMismatch(fails(req, SigningDialect.STANDARD));
    }

    @Test
    void tamperedQueryFails() {
        HttpRequest signed = sign(request("GET", "http://localhost:4566/?Action=ListQueues&Version=2012-11-05"),
                null, "sqs", "us-east-1", TEST, r -> { });
        assertThat(verifier.authenticate(signed, SigningDialect.STANDARD).verified()).isTrue();

        HttpRequest tampered = withPathAndQuery(signed, "/?Action=ListQueues&Version=2012-11-06");
        assertSignatureMismatch(fails(tampered, SigningDialect.STANDARD));
        HttpRequest added = withPathAndQuery(signed, "/?Action=ListQueues&Version=2012-11-05&QueueNamePrefix=a");
        assertSignatureMismatch(fails(added, SigningDialect.STANDARD));
    }

    @Test
    void tamperedTimeWithinTheDayFails() {
        HttpRequest req = withHeader(sqsRequest(), "X-Amz-Date", "20250101T120100Z");
        assertSignatureMismatch(fails(req, SigningDialect.STANDARD));
    }

    @Test
    void dateOtherThanTheScopeDateFails() {
        clock.advance(Duration.ofHours(12));
        HttpRequest req = withHeader(sqsRequest(), "X-Amz-Date", "20250102T000000Z");
        assertError(fails(req, SigningDialect.STANDARD), "SignatureDoesNotMatch", 403,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                        + "'20250101' != '20250102', from '20250102T000000Z'.");
    }

    @Test
    void tamperedRegionFails() {
        HttpRequest signed = sqsRequest();
        String auth = signed.header("Authorization").replace("/us-east-1/", "/us-west-2/");
        HttpRequest req = withHeader(signed, "Authorization", auth);
        assertThat(CredentialScope.of(req).region()).isEqualTo("us-west-2");
        assertSignatureMismatch(fails(req, SigningDialect.STANDARD));
    }

    @Test
    void tamperedSignatureFails() {
        HttpRequest signed = sqsRequest();
        String auth = signed.header("Authorization");
        char last = auth.charAt(auth.length() - 1);
        HttpRequest req = withHeader(signed, "Authorization", auth.substring(0, auth.length() - 1)
                + (last == '0' ? '1' : '0'));
        assertSignatureMismatch(fails(req, SigningDialect.STANDARD));
    }

    @Test
    void wrongSecretFails() {
        HttpRequest req = sign(request("POST", "http://localhost:4566/"), SQS_BODY, "sqs", "us-east-1",
                AwsCredentialsIdentity.create("test", "not-the-secret"), r -> { });
        assertSignatureMismatch(fails(req, SigningDialect.STANDARD));
    }

    @Test
    void nonS3PathsAreNormalizedAndDoubleEncoded() {
        HttpRequest req = sign(request("GET", "http://localhost:4566/2015-03-31/functions/my%20fn/./x/../invocations"),
                null, "lambda", "eu-central-1", TEST, r -> { });
        assertThat(verifier.authenticate(req, SigningDialect.STANDARD).verified()).isTrue();
        // a path that normalizes to the same segments carries the same signature
        HttpRequest same = withPathAndQuery(req, "/2015-03-31/functions/my%20fn//invocations");
        assertThat(verifier.authenticate(same, SigningDialect.STANDARD).verified()).isTrue();
        assertSignatureMismatch(fails(withPathAndQuery(req, "/2015-03-31/functions/my%20fn/x/invocations"),
                SigningDialect.STANDARD));
        // S3 canonicalizes the path as sent, so the same request does not verify the S3 way
        assertError(fails(req, SigningDialect.S3), "SignatureDoesNotMatch", 403, SigV4Errors.S3_SIGNATURE_MISMATCH_MESSAGE);
    }

    @Test
    void s3PathIsSignedAsSentWithSpecialCharacters() {
        String url = "http://localhost:4566/bucket/a%20b%2Bc/%C3%BC%21%27%28%29%2A/./x//y.txt";
        HttpRequest req = sign(request("PUT", url).putHeader("x-amz-meta-note", "  two   spaces  "),
                "data".getBytes(StandardCharsets.UTF_8), "s3", "us-east-1", TEST,
                r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        assertThat(req.header("x-amz-content-sha256")).hasSize(64);
        assertThat(verifier.authenticate(req, SigningDialect.S3).verified()).isTrue();
        // the STANDARD canonicalization (normalized, double-encoded) does not match an S3 signature
        assertThat(fails(req, SigningDialect.STANDARD)).isNotNull();
    }

    @Test
    void queryParametersAreCanonicalizedLikeTheSdk() {
        HttpRequest req = sign(request("GET", "http://localhost:4566/")
                        .putRawQueryParameter("Zeta", "z")
                        .putRawQueryParameter("alpha", java.util.List.of("b", "a", "a b+c/=&?ü~"))
                        .putRawQueryParameter("Empty", "")
                        .putRawQueryParameter("Action", "ListQueues"),
                null, "sqs", "us-east-1", TEST, r -> { });
        assertThat(req.rawQuery()).contains("a%20b%2Bc%2F%3D%26%3F%C3%BC~");
        assertThat(verifier.authenticate(req, SigningDialect.STANDARD).verified()).isTrue();
    }

    @Test
    void headerValuesAreTrimmedAndCollapsed() {
        HttpRequest req = sign(request("POST", "http://localhost:4566/")
                        .putHeader("X-Amz-Target", "AmazonSQS.SendMessage")
                        .putHeader("X-Custom", "  a   b \t c  "),
                SQS_BODY, "sqs", "us-east-1", TEST, r -> { });
        assertThat(req.header("Authorization")).contains("x-custom");
        assertThat(verifier.authenticate(req, SigningDialect.STANDARD).verified()).isTrue();
        HttpRequest respaced = withHeader(req, "X-Custom", "a b c");
        assertThat(verifier.authenticate(respaced, SigningDialect.STANDARD).verified()).isTrue();
        assertSignatureMismatch(fails(withHeader(req, "X-Custom", "a bc"), SigningDialect.STANDARD));
    }

    @Test
    void clockSkewOverFifteenMinutesIsRequestExpired() {
        clock.advance(Duration.ofMinutes(16));
        AuthException e = fails(sqsRequest(), SigningDialect.STANDARD);
        assertError(e, "RequestExpired", 400, "Signature expired: 20250101T120000Z is now earlier than "
                + "20250101T120130Z (20250101T121630Z - 15 min.)");
    }

    @Test
    void requestFromTheFutureIsRejected() {
        SigV4Verifier early = new SigV4Verifier(store, new VirtualClock(NOW.minus(Duration.ofMinutes(20))), true,
                false);
        AuthException e = catchThrowableOfType(() -> early.authenticate(sqsRequest(), SigningDialect.STANDARD),
                AuthException.class);
        assertError(e, "RequestExpired", 400, "Signature not yet current: 20250101T120000Z is still later than "
                + "20250101T115500Z (20250101T114000Z + 15 min.)");
    }

    @Test
    void s3ClockSkewIsRequestTimeTooSkewed() {
        HttpRequest req = sign(request("GET", "http://localhost:4566/bucket/key"), null, "s3", "us-east-1", TEST,
                r -> { });
        clock.advance(Duration.ofMinutes(20));
        AuthException e = fails(req, SigningDialect.S3);
        assertError(e, "RequestTimeTooSkewed", 403,
                "The difference between the request time and the current time is too large.");
        assertThat(e.fields().get("RequestTime")).isEqualTo("20250101T120000Z");
        assertThat(e.fields().get("MaxAllowedSkewMilliseconds")).isEqualTo("900000");
    }

    @Test
    void s3SignatureMismatchCarriesTheStringToSign() {
        HttpRequest req = sign(request("GET", "http://localhost:4566/bucket/key"), null, "s3", "us-east-1", TEST,
                r -> { });
        AuthException e = fails(withPathAndQuery(req, "/bucket/other"), SigningDialect.S3);
        assertError(e, "SignatureDoesNotMatch", 403, SigV4Errors.S3_SIGNATURE_MISMATCH_MESSAGE);
        assertThat(e.fields().get("AWSAccessKeyId")).isEqualTo("test");
        assertThat((String) e.fields().get("StringToSign")).startsWith("AWS4-HMAC-SHA256\n20250101T120000Z\n"
                + "20250101/us-east-1/s3/aws4_request\n");
        assertThat((String) e.fields().get("CanonicalRequest")).startsWith("GET\n/bucket/other\n");
        assertThat((String) e.fields().get("StringToSignBytes")).startsWith("41 57 53 34");
        assertThat(e.fields().get("SignatureProvided")).isEqualTo(req.header("Authorization")
                .substring(req.header("Authorization").indexOf("Signature=") + 10));
    }

    @Test
    void s3RequiresTheContentSha256Header() {
        HttpRequest req = sign(request("GET", "http://localhost:4566/bucket/key"), null, "s3", "us-east-1", TEST,
                r -> { });
        Headers headers = SdkSigning.copyHeaders(req);
        headers.remove("x-amz-content-sha256");
        AuthException e = fails(HttpRequest.of("GET", "/bucket/key", headers, null), SigningDialect.S3);
        assertError(e, "InvalidRequest", 400, "Missing required header for this request: x-amz-content-sha256");

        AuthException bad = fails(withHeader(req, "x-amz-content-sha256", "nonsense"), SigningDialect.S3);
        assertError(bad, "InvalidArgument", 400, null);
    }

    @Test
    void s3BodyMustMatchTheSignedContentSha256() throws Exception {
        byte[] body = "original".getBytes(StandardCharsets.UTF_8);
        HttpRequest req = sign(request("PUT", "http://localhost:4566/bucket/key"), body, "s3", "us-east-1", TEST,
                r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        HttpRequest ok = withBody(req, body);
        verifier.authenticate(ok, SigningDialect.S3);
        assertThat(ok.bodyStream().readAllBytes()).isEqualTo(body);

        HttpRequest tampered = withBody(req, "tampered".getBytes(StandardCharsets.UTF_8));
        verifier.authenticate(tampered, SigningDialect.S3); // the body is checked while streamed
        AuthException e = catchThrowableOfType(tampered::body, AuthException.class);
        assertError(e, "XAmzContentSHA256Mismatch", 400,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
        assertThat(e.fields().get("ClientComputedContentSHA256")).isEqualTo(req.header("x-amz-content-sha256"));
    }

    /** As the SDK's S3Presigner signs: query string, 5 minutes, UNSIGNED-PAYLOAD. */
    static void s3Presign(software.amazon.awssdk.http.auth.spi.signer.SignRequest.Builder<AwsCredentialsIdentity> r) {
        r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5))
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false);
    }

    @Test
    void presignedS3UrlIsVerifiedAndExpires() {
        HttpRequest req = sign(request("GET", "http://localhost:4566/bucket/some%20key"), null, "s3", "us-east-1",
                TEST, SigV4VerifierTest::s3Presign);
        assertThat(req.header("Authorization")).isNull();
        assertThat(req.queryParam("X-Amz-Expires")).isEqualTo("300");
        Authentication auth = verifier.authenticate(req, SigningDialect.S3);
        assertThat(auth.verified()).isTrue();
        assertThat(auth.signed().presigned()).isTrue();
        assertThat(CredentialScope.of(req).service()).isEqualTo("s3");

        AuthException tampered = fails(withPathAndQuery(req, req.rawPath() + "?" + req.rawQuery()
                + "&response-content-type=text%2Fhtml"), SigningDialect.S3);
        assertError(tampered, "SignatureDoesNotMatch", 403, SigV4Errors.S3_SIGNATURE_MISMATCH_MESSAGE);

        clock.advance(Duration.ofMinutes(5));
        AuthException expired = fails(req, SigningDialect.S3);
        assertError(expired, "AccessDenied", 403, "Request has expired");
        assertThat(expired.fields().get("X-Amz-Expires")).isEqualTo("300");
        assertThat(expired.fields().get("Expires")).isEqualTo("2025-01-01T12:05:00Z");
    }

    @Test
    void presignedNonS3UrlIsVerifiedAndExpires() {
        HttpRequest req = sign(request("GET",
                        "http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15"), null, "sts",
                "us-east-1", TEST, r -> r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(60)));
        assertThat(verifier.authenticate(req, SigningDialect.STANDARD).verified()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertError(fails(req, SigningDialect.STANDARD), "RequestExpired", 400, "Request has expired.");
    }

    @Test
    void presignedParametersAreChecked() {
        HttpRequest req = sign(request("GET", "http://localhost:4566/bucket/key"), null, "s3", "us-east-1",
                TEST, SigV4VerifierTest::s3Presign);
        String noSignature = req.rawQuery().replaceAll("&?X-Amz-Signature=[0-9a-f]+", "");
        assertError(fails(withPathAndQuery(req, "/bucket/key?" + noSignature), SigningDialect.S3),
                "AuthorizationQueryParametersError", 400, "Query-string authentication version 4 requires the "
                        + "X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                        + "X-Amz-Expires parameters.");
        assertError(fails(withPathAndQuery(req, "/?" + noSignature), SigningDialect.STANDARD),
                "IncompleteSignature", 400,
                "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.");
        String tooLong = req.rawQuery().replace("X-Amz-Expires=300", "X-Amz-Expires=604801");
        assertError(fails(withPathAndQuery(req, "/bucket/key?" + tooLong), SigningDialect.S3),
                "AuthorizationQueryParametersError", 400,
                "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
    }

    @Test
    void unknownKeysAreTrustedAsTheirAccountUnlessIamIsEnforced() {
        AwsCredentialsIdentity stranger = AwsCredentialsIdentity.create("AKIASTRANGER", "whatever");
        HttpRequest req = sign(request("POST", "http://localhost:4566/"), SQS_BODY, "sqs", "us-east-1", stranger,
                r -> { });
        Authentication auth = verifier.authenticate(withHeader(req, "X-Amz-Date", "20200101T000000Z"),
                SigningDialect.STANDARD);
        assertThat(auth.verified()).isFalse();
        assertThat(auth.identity()).isEqualTo(Identity.root("000000000000", "AKIASTRANGER"));

        HttpRequest account = sign(request("POST", "http://localhost:4566/"), SQS_BODY, "sqs", "us-east-1",
                AwsCredentialsIdentity.create("123456789012", "x"), r -> { });
        assertThat(verifier.verify(account, SigningDialect.STANDARD).accountId()).isEqualTo("123456789012");

        SigV4Verifier enforcing = new SigV4Verifier(store, clock, true, true);
        AuthException e = catchThrowableOfType(() -> enforcing.verify(req, SigningDialect.STANDARD),
                AuthException.class);
        assertError(e, "InvalidClientTokenId", 403, "The security token included in the request is invalid.");
        AuthException s3 = catchThrowableOfType(() -> enforcing.verify(req, SigningDialect.S3), AuthException.class);
        assertError(s3, "InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.");
        assertThat(s3.fields().get("AWSAccessKeyId")).isEqualTo("AKIASTRANGER");
        // the known key is still verified when IAM is enforced
        assertThat(enforcing.verify(sqsRequest(), SigningDialect.STANDARD).accountId()).isEqualTo("000000000000");
    }

    @Test
    void verificationCanBeTurnedOff() {
        SigV4Verifier relaxed = new SigV4Verifier(store, clock, false, false);
        HttpRequest bad = withBody(sqsRequest(), "{}".getBytes(StandardCharsets.UTF_8));
        Authentication auth = relaxed.authenticate(bad, SigningDialect.STANDARD);
        assertThat(auth.verified()).isFalse();
        assertThat(auth.identity().accessKeyId()).isEqualTo("test");
        HttpRequest garbage = HttpRequest.of("GET", "/", new Headers().add("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKID/2025/x"), null);
        assertThat(relaxed.verify(garbage, SigningDialect.STANDARD).kind()).isEqualTo(Identity.Kind.ANONYMOUS);
    }

    @Test
    void sessionCredentialsNeedTheirToken() {
        Identity role = new Identity("111122223333", "ASIAEXAMPLE", "arn:aws:sts::111122223333:assumed-role/r/s",
                "AROAEXAMPLE:s", Identity.Kind.ASSUMED_ROLE, "the-token");
        store.register(new Credential("ASIAEXAMPLE", "session-secret", "the-token", role,
                NOW.plus(Duration.ofHours(1))));
        AwsSessionCredentialsIdentity good = AwsSessionCredentialsIdentity.create("ASIAEXAMPLE", "session-secret",
                "the-token");
        HttpRequest req = sign(request("POST", "http://localhost:4566/"), SQS_BODY, "sqs", "us-east-1", good,
                r -> { });
        assertThat(req.header("X-Amz-Security-Token")).isEqualTo("the-token");
        assertThat(verifier.verify(req, SigningDialect.STANDARD)).isEqualTo(role);

        HttpRequest wrongToken = sign(request("POST", "http://localhost:4566/"), SQS_BODY, "sqs", "us-east-1",
                AwsSessionCredentialsIdentity.create("ASIAEXAMPLE", "session-secret", "other"), r -> { });
        assertError(fails(wrongToken, SigningDialect.STANDARD), "InvalidClientTokenId", 403,
                SigV4Errors.INVALID_TOKEN_MESSAGE);
        assertError(fails(wrongToken, SigningDialect.S3), "InvalidToken", 400,
                "The provided token is malformed or otherwise invalid.");

        HttpRequest noToken = sign(request("POST", "http://localhost:4566/"), SQS_BODY, "sqs", "us-east-1",
                AwsCredentialsIdentity.create("ASIAEXAMPLE", "session-secret"), r -> { });
        assertError(fails(noToken, SigningDialect.STANDARD), "InvalidClientTokenId", 403,
                SigV4Errors.INVALID_TOKEN_MESSAGE);

        clock.advance(Duration.ofHours(1));
        HttpRequest later = sign(request("POST", "http://localhost:4566/"), SQS_BODY, "sqs", "us-east-1", good,
                r -> { });
        assertError(fails(later, SigningDialect.STANDARD), "ExpiredToken", 403,
                "The security token included in the request is expired");
        assertError(fails(later, SigningDialect.S3), "ExpiredToken", 400, "The provided token has expired.");
    }

    @Test
    void aStrayTokenWithALongTermKeyIsIgnored() {
        HttpRequest req = sign(request("POST", "http://localhost:4566/"), SQS_BODY, "sqs", "us-east-1",
                AwsSessionCredentialsIdentity.create("test", "test", "left-over"), r -> { });
        assertThat(req.header("X-Amz-Security-Token")).isEqualTo("left-over");
        assertThat(verifier.authenticate(req, SigningDialect.STANDARD).verified()).isTrue();
    }

    @Test
    void unsignedRequestsAreAnonymousUnlessIamIsEnforced() {
        HttpRequest unsigned = HttpRequest.of("POST", "/", new Headers().add("Host", "localhost"), SQS_BODY);
        Authentication auth = verifier.authenticate(unsigned, SigningDialect.STANDARD);
        assertThat(auth.identity().kind()).isEqualTo(Identity.Kind.ANONYMOUS);
        assertThat(auth.signed()).isNull();
        assertThat(CredentialScope.of(unsigned)).isNull();

        SigV4Verifier enforcing = new SigV4Verifier(store, clock, true, true);
        AuthException e = catchThrowableOfType(() -> enforcing.verify(unsigned, SigningDialect.STANDARD),
                AuthException.class);
        assertError(e, "MissingAuthenticationToken", 403, "Request is missing Authentication Token");
        assertThat(enforcing.authenticate(unsigned, SigningDialect.STANDARD, true).identity().kind())
                .isEqualTo(Identity.Kind.ANONYMOUS);
        assertThat(enforcing.authenticate(unsigned, SigningDialect.S3).identity().kind())
                .isEqualTo(Identity.Kind.ANONYMOUS);
    }

    @Test
    void incompleteAuthorizationHeaders() {
        HttpRequest signed = sqsRequest();
        String auth = signed.header("Authorization");
        String noSignature = auth.substring(0, auth.indexOf(", Signature="));
        AuthException e = fails(withHeader(signed, "Authorization", noSignature), SigningDialect.STANDARD);
        assertError(e, "IncompleteSignature", 400,
                "Authorization header requires 'Signature' parameter. Authorization=" + noSignature);

        HttpRequest noDate = HttpRequest.of("GET", "/", new Headers().add("Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, "
                        + "Signature=abc"), null);
        assertError(fails(noDate, SigningDialect.STANDARD), "IncompleteSignature", 400,
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                        + "Authorization=AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, "
                        + "SignedHeaders=host, Signature=abc");
        assertError(fails(noDate, SigningDialect.S3), "AccessDenied", 403,
                "AWS authentication requires a valid Date or x-amz-date header");

        String badCredential = auth.replace("/sqs/aws4_request", "/sqs");
        assertError(fails(withHeader(signed, "Authorization", badCredential), SigningDialect.STANDARD),
                "IncompleteSignature", 400, "Credential must have exactly 5 slash-delimited elements, e.g. "
                        + "keyid/date/region/service/term, got 'test/20250101/us-east-1/sqs'");
        assertError(fails(withHeader(signed, "Authorization", badCredential), SigningDialect.S3),
                "AuthorizationHeaderMalformed", 400, "The authorization header is malformed; the Credential is "
                        + "mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");

        assertError(fails(withHeader(signed, "X-Amz-Date", "2025-01-01T12:00:00Z"), SigningDialect.STANDARD),
                "IncompleteSignature", 400, "Date must be in ISO-8601 'basic format'. Got '2025-01-01T12:00:00Z'. "
                        + "See http://en.wikipedia.org/wiki/ISO_8601");
    }

    @Test
    void otherAlgorithmsAreRefused() {
        HttpRequest v2 = HttpRequest.of("GET", "/bucket/key", new Headers().add("Authorization", "AWS test:c2ln")
                .add("Date", "Wed, 01 Jan 2025 12:00:00 GMT"), null);
        assertError(fails(v2, SigningDialect.S3), "InvalidRequest", 400,
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        assertError(fails(v2, SigningDialect.STANDARD), "IncompleteSignature", 400,
                "Unsupported AWS 'algorithm': 'AWS'");
    }

    @Test
    void signingKeysAreCachedPerScope() {
        SigningKeyCache cache = new SigningKeyCache();
        CredentialScope scope = new CredentialScope("test", "20250101", "us-east-1", "sqs");
        byte[] first = cache.signingKey("test", "test", scope);
        assertThat(cache.signingKey("test", "test", scope)).isSameAs(first);
        assertThat(cache.signingKey("test", "rotated", scope)).isNotEqualTo(first);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void dateHeaderMayReplaceXAmzDate() {
        // signed by hand with a Date header: the string to sign carries the date in basic format
        Headers headers = new Headers().add("Host", "localhost:4566").add("Date", "Wed, 01 Jan 2025 12:00:00 GMT");
        HttpRequest unsigned = HttpRequest.of("GET", "/?Action=ListQueues", headers, null);
        SignedRequest parsed = new SignedRequest(SignedRequest.ALGORITHM,
                new CredentialScope("test", "20250101", "us-east-1", "sqs"), java.util.List.of("date", "host"),
                "", "20250101T120000Z", Instant.parse("2025-01-01T12:00:00Z"), false, -1, null);
        String canonical = CanonicalRequest.of(unsigned, parsed, SigningDialect.STANDARD, SigV4Crypto.EMPTY_SHA256);
        String sts = "AWS4-HMAC-SHA256\n20250101T120000Z\n20250101/us-east-1/sqs/aws4_request\n"
                + SigV4Crypto.sha256Hex(canonical);
        String sig = SigV4Crypto.signatureHex(SigV4Crypto.signingKey("test", "20250101", "us-east-1", "sqs"), sts);
        headers.add("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, "
                + "SignedHeaders=date;host, Signature=" + sig);
        assertThat(verifier.authenticate(unsigned, SigningDialect.STANDARD).verified()).isTrue();
    }
}
