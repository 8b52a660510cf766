package dev.terrarium.core.auth;

import dev.terrarium.core.http.HttpRequest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SigV4 signature parameters of a request, from its Authorization header or its presigned
 * query parameters: algorithm, credential scope, signed headers, signature, request time and,
 * for presigned URLs, the expiry.
 *
 * @param amzDate       the request time in ISO-8601 basic format (yyyyMMdd'T'HHmmss'Z'), as it goes in the string to sign
 * @param expiresSeconds X-Amz-Expires of a presigned URL, or -1
 * @param securityToken x-amz-security-token (header or query), or null
 */
public record SignedRequest(String algorithm, CredentialScope scope, List<String> signedHeaders, String signature,
                            String amzDate, Instant signedAt, boolean presigned, long expiresSeconds,
                            String securityToken) {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String ALGORITHM_V4A = "AWS4-ECDSA-P256-SHA256";
    /** The longest a presigned URL may live: one week. */
    public static final long MAX_EXPIRES_SECONDS = 604_800;

    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    public String accessKeyId() { return scope.accessKeyId(); }
    public String date() { return scope.date(); }
    public String region() { return scope.region(); }
    public String service() { return scope.service(); }

    /** The signed header names joined as in the canonical request ("host;x-amz-date"). */
    public String signedHeaderList() {
        HeaderList recent = lastHeaderList;
        return recent != null && recent.names == signedHeaders ? recent.joined : String.join(";", signedHeaders);
    }

    /**
     * The signature of this request, or null when it carries none.
     *
     * @throws AuthException IncompleteSignature (or S3's equivalent) when the signature parameters are malformed
     */
    public static SignedRequest parse(HttpRequest request, SigningDialect dialect) {
        String authorization = request.header("authorization");
        if (authorization != null) {
            return fromHeader(request, authorization.trim(), dialect);
        }
        if (request.queryParam("X-Amz-Algorithm") != null || request.queryParam("X-Amz-Credential") != null
                || request.queryParam("X-Amz-Signature") != null) {
            return fromQuery(request, dialect);
        }
        if (dialect.isS3() && request.queryParam("AWSAccessKeyId") != null && request.queryParam("Signature") != null) {
            throw SigV4Errors.unsupportedAlgorithm(dialect, "AWS");
        }
        return null;
    }

    private static SignedRequest fromHeader(HttpRequest request, String authorization, SigningDialect dialect) {
        int space = authorization.indexOf(' ');
        String algorithm = space < 0 ? authorization : authorization.substring(0, space);
        if (!ALGORITHM.equals(algorithm) && !ALGORITHM_V4A.equals(algorithm)) {
            throw SigV4Errors.unsupportedAlgorithm(dialect, algorithm);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        // the comma-separated Name=value parameters after the algorithm, read in place (no split, few substrings)
        int length = authorization.length();
        for (int from = algorithm.length(); from <= length; ) {
            int comma = authorization.indexOf(',', from);
            int end = comma < 0 ? length : comma;
            int eq = authorization.indexOf('=', from);
            if (eq >= 0 && eq < end) {
                int nameStart = skipSpace(authorization, from, eq);
                int nameEnd = trimEnd(authorization, nameStart, eq);
                int valueStart = skipSpace(authorization, eq + 1, end);
                int valueEnd = trimEnd(authorization, valueStart, end);
                if (isName(authorization, nameStart, nameEnd, "Credential")) {
                    credential = authorization.substring(valueStart, valueEnd);
                } else if (isName(authorization, nameStart, nameEnd, "SignedHeaders")) {
                    signedHeaders = authorization.substring(valueStart, valueEnd);
                } else if (isName(authorization, nameStart, nameEnd, "Signature")) {
                    signature = authorization.substring(valueStart, valueEnd);
                }
            }
            from = end + 1;
        }
        String dateValue = request.header("x-amz-date");
        boolean fromDateHeader = false;
        if (dateValue == null) {
            dateValue = request.header("date");
            fromDateHeader = dateValue != null;
        }

        StringBuilder missing = new StringBuilder();
        if (isBlank(credential)) {
            missing.append("Authorization header requires 'Credential' parameter. ");
        }
        if (isBlank(signature)) {
            missing.append("Authorization header requires 'Signature' parameter. ");
        }
        if (isBlank(signedHeaders)) {
            missing.append("Authorization header requires 'SignedHeaders' parameter. ");
        }
        if (dateValue == null && !dialect.isS3()) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (missing.length() > 0) {
            throw SigV4Errors.incompleteSignature(dialect, false, missing + "Authorization=" + authorization,
                    "The authorization header is malformed; the authorization header requires three components: "
                            + "Credential, SignedHeaders, and Signature.");
        }
        CredentialScope scope = scope(algorithm, credential, request, dialect);
        BasicTime recent = lastBasicTime;
        if (!fromDateHeader && recent != null && recent.value().equals(dateValue)) {
            // most requests of a busy second carry the same x-amz-date: skip parsing and formatting it again
            return new SignedRequest(algorithm, scope, splitHeaders(signedHeaders), signature, recent.amzDate(),
                    recent.signedAt(), false, -1, request.header("x-amz-security-token"));
        }
        Instant signedAt = dateValue == null ? null : parseTime(dateValue, fromDateHeader);
        if (signedAt == null) {
            if (dialect.isS3()) {
                throw new AuthException("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header",
                        403);
            }
            throw SigV4Errors.incompleteSignature(dialect, false, "Date must be in ISO-8601 'basic format'. Got '"
                    + dateValue + "'. See http://en.wikipedia.org/wiki/ISO_8601", null);
        }
        String amzDate = BASIC.format(signedAt.atOffset(ZoneOffset.UTC));
        if (!fromDateHeader) {
            lastBasicTime = new BasicTime(dateValue, signedAt, amzDate);
        }
        return new SignedRequest(algorithm, scope, splitHeaders(signedHeaders), signature, amzDate, signedAt, false, -1,
                request.header("x-amz-security-token"));
    }

    /** An x-amz-date header value as last parsed (by any thread), with its instant and canonical form. */
    private record BasicTime(String value, Instant signedAt, String amzDate) {
    }

    private static volatile BasicTime lastBasicTime;

    private static CredentialScope scope(String algorithm, String credential, HttpRequest request,
                                         SigningDialect dialect) {
        CredentialScope scope = ALGORITHM.equals(algorithm) ? CredentialScope.parse(credential)
                : CredentialScope.of(request);
        if (scope == null) {
            throw malformedCredential(dialect, false, credential);
        }
        return scope;
    }

    private static SignedRequest fromQuery(HttpRequest request, SigningDialect dialect) {
        String algorithm = request.queryParam("X-Amz-Algorithm");
        String credential = request.queryParam("X-Amz-Credential");
        String signature = request.queryParam("X-Amz-Signature");
        String signedHeaders = request.queryParam("X-Amz-SignedHeaders");
        String dateValue = request.queryParam("X-Amz-Date");
        String expires = request.queryParam("X-Amz-Expires");

        StringBuilder missing = new StringBuilder();
        appendMissing(missing, "X-Amz-Algorithm", algorithm);
        appendMissing(missing, "X-Amz-Credential", credential);
        appendMissing(missing, "X-Amz-Signature", signature);
        appendMissing(missing, "X-Amz-SignedHeaders", signedHeaders);
        appendMissing(missing, "X-Amz-Date", dateValue);
        if (missing.length() > 0 || (dialect.isS3() && isBlank(expires))) {
            throw SigV4Errors.incompleteSignature(dialect, true, missing + "Re-examine the query-string parameters.",
                    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                            + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        if (!ALGORITHM.equals(algorithm) && !ALGORITHM_V4A.equals(algorithm)) {
            if (dialect.isS3()) {
                throw new AuthException("AuthorizationQueryParametersError",
                        "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"", 400);
            }
            throw SigV4Errors.unsupportedAlgorithm(dialect, algorithm);
        }
        CredentialScope scope = ALGORITHM.equals(algorithm) ? CredentialScope.parse(credential)
                : CredentialScope.of(request);
        if (scope == null) {
            throw malformedCredential(dialect, true, credential);
        }
        Instant signedAt = parseTime(dateValue, false);
        if (signedAt == null) {
            throw SigV4Errors.incompleteSignature(dialect, true, "Date must be in ISO-8601 'basic format'. Got '"
                    + dateValue + "'. See http://en.wikipedia.org/wiki/ISO_8601",
                    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        long expiresSeconds = parseExpires(expires, dialect);
        return new SignedRequest(algorithm, scope, splitHeaders(signedHeaders), signature, dateValue, signedAt, true,
                expiresSeconds, request.queryParam("X-Amz-Security-Token"));
    }

    private static long parseExpires(String expires, SigningDialect dialect) {
        if (isBlank(expires)) {
            return -1;
        }
        long seconds;
        try {
            seconds = Long.parseLong(expires.trim());
        } catch (NumberFormatException e) {
            throw expiresError(dialect, "X-Amz-Expires should be a number");
        }
        if (seconds < 0) {
            throw expiresError(dialect, "X-Amz-Expires must be non-negative");
        }
        if (seconds > MAX_EXPIRES_SECONDS) {
            throw expiresError(dialect, "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
        }
        return seconds;
    }

    private static AuthException expiresError(SigningDialect dialect, String message) {
        return SigV4Errors.incompleteSignature(dialect, true, message, message);
    }

    private static AuthException malformedCredential(SigningDialect dialect, boolean presigned, String credential) {
        String s3Message = presigned
                ? "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "
                        + SigV4Errors.S3_CREDENTIAL_FORMAT + "."
                : "The authorization header is malformed; the Credential is mal-formed; expecting "
                        + SigV4Errors.S3_CREDENTIAL_FORMAT + ".";
        return SigV4Errors.incompleteSignature(dialect, presigned,
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
                        + credential + "'", s3Message);
    }

    /** ISO-8601 basic (x-amz-date) or, from the Date header, RFC 1123; null when neither parses. */
    static Instant parseTime(String value, boolean httpDate) {
        String v = value.trim();
        try {
            if (httpDate) {
                try {
                    return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                } catch (DateTimeParseException e) {
                    // a Date header may also carry the basic format
                }
            }
            if (v.length() != 16) {
                return null;
            }
            return LocalDateTime.parse(v, BASIC).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int skipSpace(String s, int from, int end) {
        while (from < end && s.charAt(from) <= ' ') {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int start, int end) {
        while (end > start && s.charAt(end - 1) <= ' ') {
            end--;
        }
        return end;
    }

    private static boolean isName(String s, int start, int end, String name) {
        return end - start == name.length() && s.startsWith(name, start);
    }

    /** The SignedHeaders value last split (by any thread), its names and their canonical joining. */
    private record HeaderList(String value, List<String> names, String joined) {
    }

    private static volatile HeaderList lastHeaderList;

    private static List<String> splitHeaders(String signedHeaders) {
        HeaderList recent = lastHeaderList;
        if (recent != null && recent.value.equals(signedHeaders)) {
            return recent.names;
        }
        List<String> names = split(signedHeaders);
        lastHeaderList = new HeaderList(signedHeaders, names, String.join(";", names));
        return names;
    }

    private static List<String> split(String signedHeaders) {
        List<String> names = new ArrayList<>();
        for (String name : signedHeaders.split(";")) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return List.copyOf(names);
    }

    private static void appendMissing(StringBuilder sb, String name, String value) {
        if (isBlank(value)) {
            sb.append("AWS query-string parameters must include '").append(name).append("'. ");
        }
    }

    private static boolean isBlank(String s) { return s == null || s.isBlank(); }
}
