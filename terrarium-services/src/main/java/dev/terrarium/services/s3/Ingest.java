package dev.terrarium.services.s3;

import dev.terrarium.core.auth.AwsChunkedInputStream;
import dev.terrarium.core.auth.Checksums.Algorithm;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A request body (PutObject, UploadPart) written to the blob store and checked against what the
 * request claimed: Content-MD5, an x-amz-checksum-* header or trailer, the declared length.
 */
final class Ingest {
    /** The stored content and its flexible checksum (algorithm and base64 value, or nulls). */
    record Result(Blob blob, Algorithm algorithm, String checksum) {
    }

    private Ingest() {}

    static Result body(BlobStore store, Struct in, StreamingBody body, String declaredTrailers) {
        return body(store, in, body, declaredTrailers, null);
    }

    /**
     * As {@link #body(BlobStore, Struct, StreamingBody, String)}, computing {@code fallback} when the request
     * names no checksum (S3 gives every new object a CRC64NVME checksum since 2025).
     */
    static Result body(BlobStore store, Struct in, StreamingBody body, String declaredTrailers, Algorithm fallback) {
        byte[] md5 = contentMd5(in.string("ContentMD5"));
        Algorithm claimed = null;
        String claimedValue = null;
        for (Algorithm a : Algorithm.values()) {
            String v = in.string("Checksum" + a.awsName());
            if (v != null) {
                claimed = a;
                claimedValue = v;
            }
        }
        Algorithm algorithm = claimed;
        if (algorithm == null) {
            algorithm = Algorithm.fromName(in.string("ChecksumAlgorithm"));
        }
        if (algorithm == null && declaredTrailers != null) {
            for (String t : declaredTrailers.split(",")) {
                Algorithm a = Algorithm.fromHeaderName(t);
                if (a != null) {
                    algorithm = a;
                }
            }
        }
        if (algorithm == null) {
            algorithm = fallback;
        }
        Set<Algorithm> algorithms = algorithm == null ? EnumSet.noneOf(Algorithm.class) : EnumSet.of(algorithm);
        InputStream stream = body == null ? InputStream.nullInputStream() : body.stream();
        Blob blob = store.write(stream, algorithms, body == null ? 0 : body.length());
        try {
            if (body != null && body.length() >= 0 && blob.size() != body.length()) {
                throw new AwsException("IncompleteBody", "You did not provide the number of bytes specified by the "
                        + "Content-Length HTTP header", 400);
            }
            if (md5 != null && !MessageDigest.isEqual(md5, blob.md5())) {
                throw S3Errors.badDigest("The Content-MD5 you specified did not match what we received.")
                        .withFields(Struct.of("ExpectedDigest", HexFormat.of().formatHex(md5),
                                "CalculatedDigest", Base64.getEncoder().encodeToString(blob.md5())));
            }
            String computed = algorithm == null ? null : blob.checksums().get(algorithm);
            if (claimedValue != null && !claimedValue.equals(computed)) {
                throw S3Errors.badDigest("The " + algorithm.awsName() + " you specified did not match the "
                        + "calculated checksum.");
            }
            if (claimedValue == null && algorithm != null && stream instanceof AwsChunkedInputStream chunked) {
                String trailer = chunked.trailer(algorithm.headerName());
                if (trailer != null && !trailer.equals(computed)) {
                    throw S3Errors.badDigest("The " + algorithm.awsName() + " you specified did not match the "
                            + "calculated checksum.");
                }
            }
            return new Result(blob, algorithm, computed);
        } catch (AwsException e) {
            store.delete(blob);
            throw e;
        }
    }

    static byte[] contentMd5(String header) {
        if (header == null) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(header.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to InvalidDigest
        }
        throw new AwsException("InvalidDigest", "The Content-MD5 you specified was invalid.", 400)
                .withFields(Struct.of("Content-MD5", header));
    }
}
