package dev.terrarium.core.auth;

import dev.terrarium.core.http.HttpRequest;

/**
 * The credential scope of a SigV4 signature: access key id, date (yyyyMMdd), region and service
 * (the signing name). Routing reads it before any verification, so {@link #of} is cheap and lenient.
 */
public record CredentialScope(String accessKeyId, String date, String region, String service) {
    public static final String TERMINATOR = "aws4_request";

    /** The scope of a signed request (Authorization header or presigned query), or null when unsigned or malformed. */
    public static CredentialScope of(HttpRequest request) {
        String authorization = request.header("authorization");
        if (authorization != null) {
            String trimmed = authorization.trim();
            if (trimmed.startsWith(SignedRequest.ALGORITHM)) {
                return parse(parameter(trimmed, "Credential="));
            }
            if (trimmed.startsWith(SignedRequest.ALGORITHM_V4A)) {
                return parseV4a(parameter(trimmed, "Credential="), request.header("x-amz-region-set"));
            }
            return null;
        }
        String credential = request.queryParam("X-Amz-Credential");
        if (credential == null) {
            return null;
        }
        if (SignedRequest.ALGORITHM_V4A.equals(request.queryParam("X-Amz-Algorithm"))) {
            return parseV4a(credential, request.queryParam("X-Amz-Region-Set"));
        }
        return parse(credential);
    }

    /** Parses "AKID/20250101/us-east-1/sqs/aws4_request"; null unless it has exactly five parts ending in aws4_request. */
    public static CredentialScope parse(String credential) {
        if (credential == null) {
            return null;
        }
        String[] parts = credential.split("/", -1);
        if (parts.length != 5 || !TERMINATOR.equals(parts[4])) {
            return null;
        }
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty()) {
                return null;
            }
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
    }

    /** SigV4a scopes have no region ("AKID/date/service/aws4_request"); the region comes from the region set. */
    private static CredentialScope parseV4a(String credential, String regionSet) {
        if (credential == null) {
            return null;
        }
        String[] parts = credential.split("/", -1);
        if (parts.length != 4 || !TERMINATOR.equals(parts[3])) {
            return null;
        }
        String region = regionSet == null || regionSet.isBlank() ? "*" : regionSet.split(",")[0].trim();
        return new CredentialScope(parts[0], parts[1], region, parts[2]);
    }

    /** The value of "Name=" in an Authorization header, up to the next comma or whitespace; null when absent. */
    static String parameter(String authorization, String nameWithEquals) {
        int start = authorization.indexOf(nameWithEquals);
        if (start < 0) {
            return null;
        }
        start += nameWithEquals.length();
        int end = start;
        while (end < authorization.length()) {
            char c = authorization.charAt(end);
            if (c == ',' || Character.isWhitespace(c)) {
                break;
            }
            end++;
        }
        return authorization.substring(start, end);
    }

    /** "20250101/us-east-1/sqs/aws4_request", as it appears in the string to sign. */
    public String scope() {
        return date + "/" + region + "/" + service + "/" + TERMINATOR;
    }

    @Override
    public String toString() { return accessKeyId + "/" + scope(); }
}
