package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums.Algorithm;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Object content on disk: an immutable file, its size, MD5 and the flexible checksums computed while
 * it was written (base64, as the x-amz-checksum-* headers carry them).
 */
public record Blob(Path path, long size, byte[] md5, Map<Algorithm, String> checksums) {

    /** The quoted hex MD5, S3's ETag of a single-part object. */
    public String etag() {
        return '"' + HexFormat.of().formatHex(md5) + '"';
    }
}
