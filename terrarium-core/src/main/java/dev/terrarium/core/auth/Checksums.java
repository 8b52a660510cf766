package dev.terrarium.core.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The flexible checksums of S3 (x-amz-checksum-*), computed and base64-encoded as AWS does:
 * CRC values as big-endian bytes (4 for CRC32/CRC32C, 8 for CRC64NVME), digests as their raw bytes.
 */
public final class Checksums {
    private Checksums() {}

    public enum Algorithm {
        CRC32("CRC32"), CRC32C("CRC32C"), CRC64NVME("CRC64NVME"), SHA1("SHA1"), SHA256("SHA256");

        private final String awsName;

        Algorithm(String awsName) { this.awsName = awsName; }

        /** The name AWS uses in x-amz-checksum-algorithm / x-amz-sdk-checksum-algorithm. */
        public String awsName() { return awsName; }

        /** The header (and trailer) carrying this checksum, e.g. x-amz-checksum-crc32c. */
        public String headerName() { return "x-amz-checksum-" + awsName.toLowerCase(Locale.ROOT); }

        public Hasher newHasher() {
            return switch (this) {
                case CRC32 -> new CrcHasher(new CRC32(), 4);
                case CRC32C -> new CrcHasher(new CRC32C(), 4);
                case CRC64NVME -> new CrcHasher(new Crc64Nvme(), 8);
                case SHA1 -> new DigestHasher("SHA-1");
                case SHA256 -> new DigestHasher("SHA-256");
            };
        }

        /** The algorithm named by an AWS name (case-insensitive), or null. */
        public static Algorithm fromName(String name) {
            if (name == null) {
                return null;
            }
            for (Algorithm a : values()) {
                if (a.awsName.equalsIgnoreCase(name.trim())) {
                    return a;
                }
            }
            return null;
        }

        /** The algorithm whose header this is (x-amz-checksum-crc32 ...), or null. */
        public static Algorithm fromHeaderName(String header) {
            if (header == null) {
                return null;
            }
            String lower = header.trim().toLowerCase(Locale.ROOT);
            return lower.startsWith("x-amz-checksum-") ? fromName(lower.substring("x-amz-checksum-".length())) : null;
        }
    }

    /** An incremental checksum. */
    public interface Hasher {
        void update(byte[] b, int off, int len);

        default void update(byte[] b) { update(b, 0, b.length); }

        /** The checksum bytes; the hasher must not be used afterwards. */
        byte[] digest();

        default String base64() { return Base64.getEncoder().encodeToString(digest()); }
    }

    /** The base64 checksum of these bytes, as the x-amz-checksum-* header carries it. */
    public static String base64(Algorithm algorithm, byte[] data) {
        Hasher h = algorithm.newHasher();
        h.update(data);
        return h.base64();
    }

    public static String crc32(byte[] data) { return base64(Algorithm.CRC32, data); }
    public static String crc32c(byte[] data) { return base64(Algorithm.CRC32C, data); }
    public static String crc64nvme(byte[] data) { return base64(Algorithm.CRC64NVME, data); }
    public static String sha1(byte[] data) { return base64(Algorithm.SHA1, data); }
    public static String sha256(byte[] data) { return base64(Algorithm.SHA256, data); }

    private static final class CrcHasher implements Hasher {
        private final Checksum crc;
        private final int width;

        CrcHasher(Checksum crc, int width) {
            this.crc = crc;
            this.width = width;
        }

        @Override
        public void update(byte[] b, int off, int len) { crc.update(b, off, len); }

        @Override
        public byte[] digest() {
            byte[] all = ByteBuffer.allocate(8).putLong(crc.getValue()).array();
            byte[] out = new byte[width];
            System.arraycopy(all, 8 - width, out, 0, width);
            return out;
        }
    }

    private static final class DigestHasher implements Hasher {
        private final MessageDigest digest;

        DigestHasher(String algorithm) {
            try {
                this.digest = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is part of every JDK", e);
            }
        }

        @Override
        public void update(byte[] b, int off, int len) { digest.update(b, off, len); }

        @Override
        public byte[] digest() { return digest.digest(); }
    }
}
