package dev.terrarium.services.s3;

import java.time.Instant;

/** HTTP preconditions as S3 evaluates them on reads, copies and conditional writes. */
final class Conditionals {
    private Conditionals() {}

    /**
     * GET/HEAD: If-Match (else If-Unmodified-Since) failing is 412; If-None-Match (else
     * If-Modified-Since) failing is 304.
     */
    static void checkRead(S3Object o, String ifMatch, Instant ifUnmodifiedSince, String ifNoneMatch,
                          Instant ifModifiedSince) {
        Instant modified = o.lastModified;
        if (ifMatch != null) {
            if (!matches(ifMatch, o.etag)) {
                throw S3Errors.preconditionFailed("If-Match");
            }
        } else if (ifUnmodifiedSince != null && modified.isAfter(ifUnmodifiedSince)) {
            throw S3Errors.preconditionFailed("If-Unmodified-Since");
        }
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, o.etag)) {
                throw S3Errors.notModified();
            }
        } else if (ifModifiedSince != null && !modified.isAfter(ifModifiedSince)) {
            throw S3Errors.notModified();
        }
    }

    /** x-amz-copy-source-if-*: every failure is 412. */
    static void checkCopySource(S3Object o, String ifMatch, Instant ifUnmodifiedSince, String ifNoneMatch,
                                Instant ifModifiedSince) {
        Instant modified = o.lastModified;
        if (ifMatch != null) {
            if (!matches(ifMatch, o.etag)) {
                throw S3Errors.preconditionFailed("x-amz-copy-source-If-Match");
            }
        } else if (ifUnmodifiedSince != null && modified.isAfter(ifUnmodifiedSince)) {
            throw S3Errors.preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
        }
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, o.etag)) {
                throw S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
            }
        } else if (ifModifiedSince != null && !modified.isAfter(ifModifiedSince)) {
            throw S3Errors.preconditionFailed("x-amz-copy-source-If-Modified-Since");
        }
    }

    /**
     * Conditional writes (PutObject, CompleteMultipartUpload, CopyObject): If-None-Match: * fails when
     * the key exists; If-Match fails when it does not (NoSuchKey) or its ETag differs.
     */
    static void checkWrite(S3Object live, String key, String ifMatch, String ifNoneMatch) {
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw new dev.terrarium.core.service.AwsException("NotImplemented",
                        "A header you provided implies functionality that is not implemented", 501)
                        .withFields(dev.terrarium.core.service.Struct.of("Header", "If-None-Match"));
            }
            if (live != null) {
                throw S3Errors.preconditionFailed("If-None-Match");
            }
        }
        if (ifMatch != null) {
            if (live == null) {
                throw S3Errors.noSuchKey(key);
            }
            if (!matches(ifMatch, live.etag)) {
                throw S3Errors.preconditionFailed("If-Match");
            }
        }
    }

    /** An ETag list ("a", "b", W/"c" or *) against an ETag, quotes optional. */
    static boolean matches(String header, String etag) {
        String bare = unquote(etag);
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (unquote(c).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        String t = etag.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
