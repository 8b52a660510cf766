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
                return parseParameter(trimmed);
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
        Parsed recent = lastParsed;
        if (recent != null && recent.credential.equals(credential)) {
            return recent.scope;
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
        CredentialScope scope = new CredentialScope(parts[0], parts[1], parts[2], parts[3]);
        lastParsed = new Parsed(credential, scope, parts[1] + "/" + parts[2] + "/" + parts[3] + "/" + TERMINATOR);
        return scope;
    }

    /**
     * The credential last parsed (by any thread), its scope and scope string: a client signs request after
     * request with the same credential, so parsing it (and building the scope string) once is enough.
     */
    private record Parsed(String credential, CredentialScope scope, String scopeString) {
    }

    private static volatile Parsed lastParsed;

    /** parse(text.substring(start, end)), without the substring when it is the credential last parsed. */
    private static CredentialScope parse(String text, int start, int end) {
        Parsed recent = lastParsed;
        if (recent != null && recent.credential.length() == end - start
                && text.regionMatches(start, recent.credential, 0, end - start)) {
            return recent.scope;
        }
        return parse(text.substring(start, end));
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
        return authorization.substring(start, parameterEnd(authorization, start));
    }

    private static int parameterEnd(String authorization, int start) {
        int end = start;
        while (end < authorization.length()) {
            char c = authorization.charAt(end);
            if (c == ',' || Character.isWhitespace(c)) {
                break;
            }
            end++;
        }
        return end;
    }

    /** The scope of the Credential= parameter of a SigV4 Authorization header, or null. */
    private static CredentialScope parseParameter(String authorization) {
        int start = authorization.indexOf("Credential=");
        if (start < 0) {
            return null;
        }
        start += "Credential=".length();
        return parse(authorization, start, parameterEnd(authorization, start));
    }

    /** "20250101/us-east-1/sqs/aws4_request", as it appears in the string to sign. */
    public String scope() {
        Parsed recent = lastParsed;
        if (recent != null && recent.scope == this) {
            return recent.scopeString;
        }
        return date + "/" + region + "/" + service + "/" + TERMINATOR;
    }

    @Override
    public String toString() { return accessKeyId + "/" + scope(); }
}
