package dev.terrarium.core.model;

/** Where a member travels in an HTTP message (botocore's "location"); BODY when unset. */
public enum Location {
    BODY, HEADER, HEADERS, URI, QUERY_STRING, STATUS_CODE;

    public static Location of(String botocoreLocation) {
        if (botocoreLocation == null) {
            return BODY;
        }
        return switch (botocoreLocation) {
            case "header" -> HEADER;
            case "headers" -> HEADERS;
            case "uri" -> URI;
            case "querystring" -> QUERY_STRING;
            case "statusCode" -> STATUS_CODE;
            default -> BODY;
        };
    }
}
