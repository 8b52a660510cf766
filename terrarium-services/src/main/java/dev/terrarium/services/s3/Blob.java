package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums.Algorithm;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Object content: an immutable file (path), or for a small object the bytes themselves (data, path null),
 * its size, MD5 and the flexible checksums computed while it was written (base64, as the
 * x-amz-checksum-* headers carry them). Neither the file nor the bytes change once written.
 */
public record Blob(Path path, byte[] data, long size, byte[] md5, Map<Algorithm, String> checksums) {

    /** Content in a file. */
    public Blob(Path path, long size, byte[] md5, Map<Algorithm, String> checksums) {
        this(path, null, size, md5, checksums);
    }

    /** True when the content is held in memory (a small object) rather than in a file. */
    public boolean inMemory() { return data != null; }

    /** The quoted hex MD5, S3's ETag of a single-part object. */
    public String etag() {
        return '"' + HexFormat.of().formatHex(md5) + '"';
    }
}
