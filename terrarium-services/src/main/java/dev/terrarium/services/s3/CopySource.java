package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** x-amz-copy-source: "[/]bucket/key[?versionId=id]", URL-encoded. */
record CopySource(String bucket, String key, String versionId) {

    static CopySource parse(String header) {
        if (header == null || header.isEmpty()) {
            throw invalid();
        }
        String h = header;
        String versionId = null;
        int q = h.indexOf('?');
        if (q >= 0) {
            String query = h.substring(q + 1);
            h = h.substring(0, q);
            for (String pair : query.split("&")) {
                if (pair.startsWith("versionId=")) {
                    versionId = decode(pair.substring("versionId=".length()));
                }
            }
        }
        String path = decode(h);
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw invalid();
        }
        return new CopySource(path.substring(0, slash), path.substring(slash + 1), versionId);
    }

    private static AwsException invalid() {
        return S3Errors.invalidArgument("Invalid copy source object key", "x-amz-copy-source", null);
    }

    /** Percent-decoding that keeps '+' (a literal plus in a key). */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }
}
