package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums;
import dev.terrarium.core.auth.Checksums.Algorithm;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;

/** Multipart upload rules: part numbers and sizes, completion into one object, ETag "-N" and checksums. */
final class Multipart {
    static final long MIN_PART = 5L * 1024 * 1024;
    static final long MAX_PART = 5L * 1024 * 1024 * 1024;
    private final BlobStore blobs;

    Multipart(BlobStore blobs) {
        this.blobs = blobs;
    }

    static MultipartUpload require(Bucket b, String uploadId, String key) {
        MultipartUpload u = uploadId == null ? null : b.uploads.get(uploadId);
        if (u == null || (key != null && !u.key.equals(key))) {
            throw S3Errors.noSuchUpload(uploadId);
        }
        return u;
    }

    static void checkPartNumber(Integer n) {
        if (n == null || n < 1 || n > 10000) {
            throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive",
                    "partNumber", String.valueOf(n));
        }
    }

    /** The checksum type of an upload: what was asked, else COMPOSITE (CRC64NVME is always FULL_OBJECT). */
    static String checksumType(String algorithm, String requested) {
        if (algorithm == null) {
            return null;
        }
        if (requested != null) {
            if (requested.equals("COMPOSITE") && algorithm.equals("CRC64NVME")) {
                throw S3Errors.invalidRequest("The COMPOSITE checksum type cannot be used with the crc64nvme checksum "
                        + "algorithm.");
            }
            if (requested.equals("FULL_OBJECT") && (algorithm.equals("SHA1") || algorithm.equals("SHA256"))) {
                throw S3Errors.invalidRequest("The FULL_OBJECT checksum type cannot be used with the "
                        + algorithm.toLowerCase(java.util.Locale.ROOT) + " checksum algorithm.");
            }
            return requested;
        }
        return algorithm.equals("CRC64NVME") ? "FULL_OBJECT" : "COMPOSITE";
    }

    /** The parts a CompleteMultipartUpload names, checked as S3 checks them. */
    List<MultipartUpload.Part> select(MultipartUpload u, List<Struct> requested) {
        if (requested == null || requested.isEmpty()) {
            throw S3Errors.malformedXml();
        }
        List<MultipartUpload.Part> parts = new ArrayList<>(requested.size());
        int previous = 0;
        for (Struct r : requested) {
            Integer number = r.integer("PartNumber");
            if (number == null || number <= previous) {
                throw new AwsException("InvalidPartOrder", "The list of parts was not in ascending order. Parts must "
                        + "be ordered by part number.", 400).withFields(Struct.of("UploadId", u.id));
            }
            previous = number;
            MultipartUpload.Part part = u.parts.get(number);
            if (part == null || r.string("ETag") == null
                    || !Conditionals.unquote(r.string("ETag")).equals(Conditionals.unquote(part.etag()))) {
                throw invalidPart(u, number, r.string("ETag"));
            }
            if (u.checksumAlgorithm != null) {
                String claimed = r.string("Checksum" + u.checksumAlgorithm);
                if (claimed != null && !claimed.equals(part.checksum())) {
                    throw invalidPart(u, number, r.string("ETag"));
                }
            }
            parts.add(part);
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            if (parts.get(i).blob().size() < MIN_PART) {
                throw new AwsException("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed "
                        + "size", 400).withFields(Struct.of("ProposedSize", parts.get(i).blob().size(),
                        "MinSizeAllowed", MIN_PART, "PartNumber", parts.get(i).number(),
                        "ETag", Conditionals.unquote(parts.get(i).etag())));
            }
        }
        return parts;
    }

    private static AwsException invalidPart(MultipartUpload u, int number, String etag) {
        return new AwsException("InvalidPart", "One or more of the specified parts could not be found.  The part may "
                + "not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
                400).withFields(Struct.of("UploadId", u.id, "PartNumber", number, "ETag", etag));
    }

    /** The completed content, ETag and checksum of these parts. */
    /** The object's content, ETag, part sizes and checksum (the upload's, or S3's default full-object CRC64NVME). */
    record Assembled(Blob blob, String etag, long[] sizes, String checksum, String checksumAlgorithm,
                     String checksumType) {
    }

    Assembled assemble(MultipartUpload u, List<MultipartUpload.Part> parts) {
        Algorithm algorithm = Algorithm.fromName(u.checksumAlgorithm);
        String type = u.checksumType;
        if (algorithm == null) {
            algorithm = Algorithm.CRC64NVME; // S3's default for uploads created without a checksum
            type = "FULL_OBJECT";
        }
        boolean fullObject = "FULL_OBJECT".equals(type);
        List<Blob> content = new ArrayList<>(parts.size());
        long[] sizes = new long[parts.size()];
        MessageDigest md5s = BlobStore.md5();
        for (int i = 0; i < parts.size(); i++) {
            MultipartUpload.Part p = parts.get(i);
            content.add(p.blob());
            sizes[i] = p.blob().size();
            md5s.update(HexFormat.of().parseHex(Conditionals.unquote(p.etag())));
        }
        Blob blob = blobs.concat(content, fullObject ? EnumSet.of(algorithm) : EnumSet.noneOf(Algorithm.class));
        String etag = '"' + HexFormat.of().formatHex(md5s.digest()) + "-" + parts.size() + '"';
        String checksum = null;
        if (fullObject) {
            checksum = blob.checksums().get(algorithm);
        } else if (algorithm != null) {
            Checksums.Hasher h = algorithm.newHasher();
            for (MultipartUpload.Part p : parts) {
                if (p.checksum() != null) {
                    h.update(Base64.getDecoder().decode(p.checksum()));
                }
            }
            checksum = h.base64() + "-" + parts.size();
        }
        return new Assembled(blob, etag, sizes, checksum, algorithm.awsName(), type);
    }

    /** Frees every part of a finished or aborted upload. */
    void discard(MultipartUpload u) {
        for (MultipartUpload.Part p : u.parts.values()) {
            blobs.delete(p.blob());
        }
        u.parts.clear();
    }
}
