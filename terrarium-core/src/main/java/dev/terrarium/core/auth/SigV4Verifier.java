package dev.terrarium.core.auth;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.service.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Server-side AWS Signature Version 4: checks a request's signature and says who sent it.
 *
 * <p>Policy (DESIGN.md): a key whose secret the {@link CredentialStore} knows is always verified;
 * an unknown key is taken on trust as the root of {@link CredentialStore#accountForUnknownKey}
 * unless IAM is enforced (then InvalidClientTokenId); with signature verification off nothing is
 * checked. Failures are {@link AuthException}s with AWS's code, message and status for the dialect.
 *
 * <p>An aws-chunked body is replaced on the request by a decoding {@link AwsChunkedInputStream}
 * (verifying chunk signatures as it is read); "aws-chunked" is then dropped from Content-Encoding
 * and Content-Length set to the decoded length when known. An S3 body with a literal
 * x-amz-content-sha256 is wrapped so that a mismatch fails at its end.
 */
public final class SigV4Verifier {
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    public static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    private static final List<String> S3_CONTENT_SHA256_CONSTANTS = List.of(UNSIGNED_PAYLOAD, STREAMING_SIGNED,
            STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER, "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
            "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER");

    private final CredentialStore credentials;
    private final Clock clock;
    private final boolean verifySignatures;
    private final boolean enforceIam;
    private final SigningKeyCache signingKeys = new SigningKeyCache();

    public SigV4Verifier(CredentialStore credentials, Clock clock, boolean verifySignatures, boolean enforceIam) {
        this.credentials = credentials;
        this.clock = clock;
        this.verifySignatures = verifySignatures;
        this.enforceIam = enforceIam;
    }

    public SigV4Verifier(CredentialStore credentials, Clock clock, Config config) {
        this(credentials, clock, config.verifySignatures(), config.enforceIam());
    }

    /** The caller's identity; see {@link #authenticate(HttpRequest, SigningDialect, boolean)}. */
    public Identity verify(HttpRequest request, SigningDialect dialect) {
        return authenticate(request, dialect, false).identity();
    }

    public Authentication authenticate(HttpRequest request, SigningDialect dialect) {
        return authenticate(request, dialect, false);
    }

    /**
     * @param anonymousAllowed true for operations AWS serves unsigned (authtype "none", e.g.
     *                         AssumeRoleWithWebIdentity); an unsigned request is then never refused here.
     *                         Unsigned S3 requests are never refused here either: bucket policies decide.
     * @throws AuthException with AWS's error when the request must be refused
     */
    public Authentication authenticate(HttpRequest request, SigningDialect dialect, boolean anonymousAllowed) {
        SignedRequest signed;
        try {
            signed = SignedRequest.parse(request, dialect);
        } catch (AuthException e) {
            if (verifySignatures) {
                throw e;
            }
            return trusted(request, CredentialScope.of(request), null);
        }
        if (signed == null) {
            if (verifySignatures && enforceIam && !anonymousAllowed && !dialect.isS3()) {
                throw SigV4Errors.missingAuthenticationToken(dialect);
            }
            AwsChunkedInputStream chunked = installBody(request, null, dialect, null, null);
            return new Authentication(Identity.anonymous(credentials.defaultAccount()), null, false, chunked);
        }
        Credential credential = credentials.find(signed.accessKeyId());
        if (!verifySignatures || (credential == null && !enforceIam)) {
            return trusted(request, signed.scope(), signed);
        }
        if (credential == null) {
            throw SigV4Errors.invalidClientTokenId(dialect, signed.accessKeyId());
        }
        if (!SignedRequest.ALGORITHM.equals(signed.algorithm())) {
            throw SigV4Errors.unsupportedAlgorithm(dialect, signed.algorithm());
        }
        Instant now = clock.now();
        checkSessionToken(credential, signed, dialect, now);
        checkTime(signed, dialect, now);

        String contentSha256 = request.header("x-amz-content-sha256");
        String canonicalRequest = CanonicalRequest.of(request, signed, dialect,
                payloadHash(request, signed, dialect, contentSha256));
        String stringToSign = SignedRequest.ALGORITHM + '\n' + signed.amzDate() + '\n' + signed.scope().scope() + '\n'
                + SigV4Crypto.sha256Hex(canonicalRequest);
        byte[] signingKey = signingKeys.signingKey(credential.accessKeyId(), credential.secretAccessKey(),
                signed.scope());
        String expected = SigV4Crypto.signatureHex(signingKey, stringToSign);
        if (!SigV4Crypto.constantTimeEquals(expected, signed.signature())) {
            throw SigV4Errors.signatureDoesNotMatch(dialect, signed.accessKeyId(), stringToSign, signed.signature(),
                    canonicalRequest);
        }
        ChunkSignatureChain chain = null;
        if (STREAMING_SIGNED.equals(contentSha256) || STREAMING_SIGNED_TRAILER.equals(contentSha256)) {
            chain = new ChunkSignatureChain(signingKey, signed, expected,
                    STREAMING_SIGNED_TRAILER.equals(contentSha256), dialect);
        }
        AwsChunkedInputStream chunked = installBody(request, signed, dialect, contentSha256, chain);
        return new Authentication(credential.identity(), signed, true, chunked);
    }

    /** A request taken on trust: the known key's identity, or the root of the account the key stands for. */
    private Authentication trusted(HttpRequest request, CredentialScope scope, SignedRequest signed) {
        Identity identity;
        if (scope == null) {
            identity = Identity.anonymous(credentials.defaultAccount());
        } else {
            Credential known = credentials.find(scope.accessKeyId());
            identity = known != null ? known.identity()
                    : Identity.root(credentials.accountForUnknownKey(scope.accessKeyId()), scope.accessKeyId());
        }
        AwsChunkedInputStream chunked = installBody(request, signed, null, null, null);
        return new Authentication(identity, signed, false, chunked);
    }

    private static void checkSessionToken(Credential credential, SignedRequest signed, SigningDialect dialect,
                                          Instant now) {
        String token = signed.securityToken();
        // A token sent with a long-term key (AWS_SESSION_TOKEN left set next to test/test) is ignored:
        // AWS would refuse it, but refusing it here breaks common local setups for no benefit.
        if (credential.sessionToken() != null) {
            if (token == null || token.isEmpty()) {
                throw SigV4Errors.invalidClientTokenId(dialect, signed.accessKeyId());
            }
            if (!SigV4Crypto.constantTimeEquals(credential.sessionToken(), token)) {
                throw SigV4Errors.invalidToken(dialect, token);
            }
        }
        if (credential.expiredAt(now)) {
            throw SigV4Errors.expiredToken(dialect, token);
        }
    }

    private static void checkTime(SignedRequest signed, SigningDialect dialect, Instant now) {
        String requestDay = signed.amzDate().substring(0, 8);
        if (!signed.date().equals(requestDay)) {
            if (!dialect.isS3()) {
                throw SigV4Errors.signatureDoesNotMatch("Date in Credential scope does not match YYYYMMDD from "
                        + "ISO-8601 version of date from HTTP: '" + signed.date() + "' != '" + requestDay
                        + "', from '" + signed.amzDate() + "'.");
            }
            throw signed.presigned()
                    ? new AuthException("AuthorizationQueryParametersError", "Invalid credential date \""
                            + signed.date() + "\". This date is not the same as X-Amz-Date: \"" + requestDay + "\".", 400)
                    : new AuthException("AuthorizationHeaderMalformed", "The authorization header is malformed; "
                            + "Invalid credential date. Date is not the same as X-Amz-Date.", 400);
        }
        Instant signedAt = signed.signedAt();
        if (signed.presigned() && signed.expiresSeconds() >= 0) {
            if (signedAt.isAfter(now.plus(MAX_SKEW))) {
                throw SigV4Errors.presignedUrlNotYetValid(dialect, signedAt, now);
            }
            Instant expiresAt = signedAt.plusSeconds(signed.expiresSeconds());
            if (now.isAfter(expiresAt)) {
                throw SigV4Errors.presignedUrlExpired(dialect, signed.expiresSeconds(), expiresAt, now);
            }
            return;
        }
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw SigV4Errors.requestTimeSkewed(dialect, signed.amzDate(), signedAt, now, MAX_SKEW.toMillis());
        }
    }

    /** The payload hash that goes into the canonical request. */
    private static String payloadHash(HttpRequest request, SignedRequest signed, SigningDialect dialect,
                                      String contentSha256) {
        if (contentSha256 != null) {
            if (dialect.isS3() && !S3_CONTENT_SHA256_CONSTANTS.contains(contentSha256)
                    && !SigV4Crypto.isSha256Hex(contentSha256)) {
                throw SigV4Errors.invalidContentSha256(contentSha256);
            }
            return contentSha256;
        }
        if (dialect.isS3()) {
            if (signed.presigned()) {
                return UNSIGNED_PAYLOAD;
            }
            throw SigV4Errors.missingContentSha256();
        }
        return SigV4Crypto.sha256Hex(request.body());
    }

    /**
     * Puts the decoder (aws-chunked) or the hash check (literal x-amz-content-sha256) in front of the
     * body. A null dialect means the request is trusted: decode, verify nothing.
     */
    private static AwsChunkedInputStream installBody(HttpRequest request, SignedRequest signed,
                                                     SigningDialect dialect, String contentSha256,
                                                     ChunkSignatureChain chain) {
        String sha = contentSha256 != null ? contentSha256 : request.header("x-amz-content-sha256");
        if (isAwsChunked(request, sha)) {
            long decodedLength = decodedLength(request);
            AwsChunkedInputStream decoder = new AwsChunkedInputStream(request.bodyStream(), chain, decodedLength,
                    declaredTrailers(request));
            request.replaceBody(decoder);
            dropAwsChunkedEncoding(request, decodedLength);
            return decoder;
        }
        if (dialect != null && signed != null && SigV4Crypto.isSha256Hex(sha)) {
            if (dialect.isS3()) {
                request.replaceBody(new Sha256VerifyingInputStream(request.bodyStream(), sha, dialect));
            } else {
                String actual = SigV4Crypto.sha256Hex(request.body());
                if (!actual.equalsIgnoreCase(sha)) {
                    throw SigV4Errors.contentSha256Mismatch(dialect, sha, actual);
                }
            }
        }
        return null;
    }

    static boolean isAwsChunked(HttpRequest request, String contentSha256) {
        if (STREAMING_SIGNED.equals(contentSha256) || STREAMING_SIGNED_TRAILER.equals(contentSha256)
                || STREAMING_UNSIGNED_TRAILER.equals(contentSha256)) {
            return true;
        }
        for (String value : request.headers().all("content-encoding")) {
            for (String coding : value.split(",")) {
                if (coding.trim().equalsIgnoreCase("aws-chunked")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long decodedLength(HttpRequest request) {
        String value = request.header("x-amz-decoded-content-length");
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            if (length < 0) {
                throw SigV4Errors.invalidChunkEncoding("bad x-amz-decoded-content-length");
            }
            return length;
        } catch (NumberFormatException e) {
            throw SigV4Errors.invalidChunkEncoding("bad x-amz-decoded-content-length");
        }
    }

    private static List<String> declaredTrailers(HttpRequest request) {
        List<String> names = new ArrayList<>();
        for (String value : request.headers().all("x-amz-trailer")) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    /** What S3 stores is the content without its transfer coding: aws-chunked is not part of Content-Encoding. */
    private static void dropAwsChunkedEncoding(HttpRequest request, long decodedLength) {
        List<String> kept = new ArrayList<>();
        for (String value : request.headers().all("content-encoding")) {
            for (String coding : value.split(",")) {
                if (!coding.isBlank() && !coding.trim().equalsIgnoreCase("aws-chunked")) {
                    kept.add(coding.trim());
                }
            }
        }
        if (kept.isEmpty()) {
            request.headers().remove("content-encoding");
        } else {
            request.headers().set("Content-Encoding", String.join(",", kept));
        }
        if (decodedLength >= 0) {
            request.headers().set("Content-Length", Long.toString(decodedLength));
        }
    }
}
