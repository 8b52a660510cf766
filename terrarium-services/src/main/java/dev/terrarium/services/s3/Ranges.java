package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

/** The single byte range S3 serves for a Range header: bytes=a-b, bytes=a-, bytes=-n. */
record Ranges(long start, long end) {

    long length() { return end - start + 1; }

    String contentRange(long size) {
        return "bytes " + start + "-" + end + "/" + size;
    }

    /**
     * The range of an object of this size, or null to serve it whole (no header, or one S3 ignores:
     * not bytes=, several ranges, unparsable). An unsatisfiable range is InvalidRange (416).
     */
    static Ranges parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    throw invalid(header, size);
                }
                return new Ranges(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Long.parseLong(last);
            if (start < 0 || (!last.isEmpty() && end < start)) {
                return null;
            }
            if (start >= size) {
                throw invalid(header, size);
            }
            return new Ranges(start, Math.min(end, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static AwsException invalid(String header, long size) {
        return new AwsException("InvalidRange", "The requested range is not satisfiable", 416)
                .withFields(Struct.of("RangeRequested", header, "ActualObjectSize", Long.toString(size)));
    }
}
