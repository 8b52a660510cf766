package dev.terrarium.core.auth;

import dev.terrarium.core.service.Struct;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The authentication errors AWS answers, with their exact codes, messages and statuses, per dialect. */
public final class SigV4Errors {
    public static final String SIGNATURE_MISMATCH_MESSAGE = "The request signature we calculated does not match the "
            + "signature you provided. Check your AWS Secret Access Key and signing method. "
            + "Consult the service documentation for details.";
    public static final String S3_SIGNATURE_MISMATCH_MESSAGE = "The request signature we calculated does not match "
            + "the signature you provided. Check your key and signing method.";
    public static final String INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid.";
    static final String S3_CREDENTIAL_FORMAT = "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"";

    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SigV4Errors() {}

    public static AuthException signatureDoesNotMatch(SigningDialect dialect, String accessKeyId, String stringToSign,
                                                      String signatureProvided, String canonicalRequest) {
        if (!dialect.isS3()) {
            return new AuthException("SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, 403);
        }
        Struct fields = Struct.of("AWSAccessKeyId", accessKeyId, "StringToSign", stringToSign,
                "SignatureProvided", signatureProvided,
                "StringToSignBytes", stringToSign == null ? null : spacedHex(stringToSign),
                "CanonicalRequest", canonicalRequest,
                "CanonicalRequestBytes", canonicalRequest == null ? null : spacedHex(canonicalRequest));
        return new AuthException("SignatureDoesNotMatch", S3_SIGNATURE_MISMATCH_MESSAGE, 403, fields);
    }

    /** A SignatureDoesNotMatch with a specific message (scope problems), as the non-S3 services word them. */
    static AuthException signatureDoesNotMatch(String message) {
        return new AuthException("SignatureDoesNotMatch", message, 403);
    }

    /** Malformed or incomplete signature parameters; S3 words each case itself, so it gets its own message. */
    public static AuthException incompleteSignature(SigningDialect dialect, boolean presigned, String message,
                                                    String s3Message) {
        if (!dialect.isS3()) {
            return new AuthException("IncompleteSignature", message, 400);
        }
        return presigned
                ? new AuthException("AuthorizationQueryParametersError", s3Message, 400)
                : new AuthException("AuthorizationHeaderMalformed", s3Message, 400);
    }

    public static AuthException invalidClientTokenId(SigningDialect dialect, String accessKeyId) {
        if (dialect.isS3()) {
            return new AuthException("InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.", 403,
                    Struct.of("AWSAccessKeyId", accessKeyId));
        }
        return new AuthException("InvalidClientTokenId", INVALID_TOKEN_MESSAGE, 403);
    }

    /** A session token that does not belong to the key. */
    public static AuthException invalidToken(SigningDialect dialect, String token) {
        if (dialect.isS3()) {
            return new AuthException("InvalidToken", "The provided token is malformed or otherwise invalid.", 400,
                    Struct.of("Token-0", token));
        }
        return new AuthException("InvalidClientTokenId", INVALID_TOKEN_MESSAGE, 403);
    }

    public static AuthException expiredToken(SigningDialect dialect, String token) {
        if (dialect.isS3()) {
            return new AuthException("ExpiredToken", "The provided token has expired.", 400,
                    Struct.of("Token-0", token));
        }
        return new AuthException("ExpiredToken", "The security token included in the request is expired", 403);
    }

    public static AuthException missingAuthenticationToken(SigningDialect dialect) {
        if (dialect.isS3()) {
            return new AuthException("AccessDenied", "Access Denied", 403);
        }
        return new AuthException("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
    }

    /** A header-signed request whose time is more than 15 minutes away from now. */
    public static AuthException requestTimeSkewed(SigningDialect dialect, String requestTime, Instant signedAt,
                                                  Instant now, long maxSkewMillis) {
        if (dialect.isS3()) {
            return new AuthException("RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.", 403,
                    Struct.of("RequestTime", requestTime, "ServerTime", now.toString(),
                            "MaxAllowedSkewMilliseconds", String.valueOf(maxSkewMillis)));
        }
        long minutes = maxSkewMillis / 60_000;
        String message = signedAt.isBefore(now)
                ? "Signature expired: " + BASIC.format(signedAt) + " is now earlier than "
                        + BASIC.format(now.minusMillis(maxSkewMillis)) + " (" + BASIC.format(now) + " - " + minutes
                        + " min.)"
                : "Signature not yet current: " + BASIC.format(signedAt) + " is still later than "
                        + BASIC.format(now.plusMillis(maxSkewMillis)) + " (" + BASIC.format(now) + " + " + minutes
                        + " min.)";
        return new AuthException("RequestExpired", message, 400);
    }

    /** A presigned URL used after X-Amz-Date + X-Amz-Expires. */
    public static AuthException presignedUrlExpired(SigningDialect dialect, long expiresSeconds, Instant expiredAt,
                                                    Instant now) {
        if (dialect.isS3()) {
            return new AuthException("AccessDenied", "Request has expired", 403,
                    Struct.of("X-Amz-Expires", String.valueOf(expiresSeconds), "Expires", expiredAt.toString(),
                            "ServerTime", now.toString()));
        }
        return new AuthException("RequestExpired", "Request has expired.", 400);
    }

    /** A presigned URL dated more than 15 minutes in the future. */
    public static AuthException presignedUrlNotYetValid(SigningDialect dialect, Instant signedAt, Instant now) {
        if (dialect.isS3()) {
            return new AuthException("AccessDenied", "Request is not valid yet", 403,
                    Struct.of("X-Amz-Date", BASIC.format(signedAt), "ServerTime", now.toString()));
        }
        return new AuthException("RequestExpired", "Request is not valid yet.", 400);
    }

    /** An algorithm other than AWS4-HMAC-SHA256 (SigV2, SigV4a, anything else). */
    public static AuthException unsupportedAlgorithm(SigningDialect dialect, String algorithm) {
        if (dialect.isS3()) {
            return new AuthException("InvalidRequest",
                    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
                    400);
        }
        return new AuthException("IncompleteSignature", "Unsupported AWS 'algorithm': '" + algorithm + "'", 400);
    }

    public static AuthException missingContentSha256() {
        return new AuthException("InvalidRequest",
                "Missing required header for this request: x-amz-content-sha256", 400);
    }

    public static AuthException invalidContentSha256(String value) {
        return new AuthException("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                + "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, "
                + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.", 400,
                Struct.of("ArgumentName", "x-amz-content-sha256", "ArgumentValue", value));
    }

    /** The body does not hash to the x-amz-content-sha256 the client signed. */
    public static AuthException contentSha256Mismatch(SigningDialect dialect, String clientHash, String computedHash) {
        if (dialect.isS3()) {
            return new AuthException("XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.", 400,
                    Struct.of("ClientComputedContentSHA256", clientHash, "S3ComputedContentSHA256", computedHash));
        }
        return new AuthException("SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, 403);
    }

    /** A checksum trailer (or header) that does not match the content. */
    public static AuthException badDigest(Checksums.Algorithm algorithm) {
        return new AuthException("BadDigest",
                "The " + algorithm.awsName() + " you specified did not match the calculated checksum.", 400);
    }

    /** An aws-chunked body that ends early, is malformed, or whose length differs from x-amz-decoded-content-length. */
    public static AuthException incompleteBody() {
        return new AuthException("IncompleteBody",
                "You did not provide the number of bytes specified by the Content-Length HTTP header", 400);
    }

    public static AuthException invalidChunkEncoding(String detail) {
        return new AuthException("InvalidRequest", "Invalid aws-chunked encoding: " + detail, 400);
    }

    /** S3's rendering of a string as its UTF-8 bytes in hex, separated by spaces ("41 57 53 34 ..."). */
    static String spacedHex(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
