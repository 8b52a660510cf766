package dev.terrarium.services.s3;

import dev.terrarium.core.service.Struct;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The .torrent S3 answers GetObjectTorrent with: a single-file BitTorrent metainfo (BEP 3) whose info dictionary
 * holds the object's length, a name (the key's last segment), 256 KiB pieces with the SHA-1 of each, and the bucket
 * and key (x-amz-bucket, x-amz-key) that make its info hash the object's; the announce URL is the S3 tracker of the
 * bucket's region. S3 makes a torrent on the first request and keeps it until the object changes: so do we, for
 * the last objects asked about (the pieces of a 5 GB object take seconds to hash).
 */
final class Torrents {
    /** S3's limit: "Torrent creation is not supported for objects larger than 5368709120". */
    static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;
    static final int PIECE_LENGTH = 256 * 1024;
    static final String CONTENT_TYPE = "application/x-bittorrent";
    private static final int CACHED = 32;

    private final BlobStore blobs;
    private final Map<Blob, byte[]> pieces = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Blob, byte[]> eldest) {
            return size() > CACHED;
        }
    };

    Torrents(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * Refuses what S3 makes no torrent for (InvalidRequest): objects over 5 GB, and objects encrypted with a
     * customer-provided key (SSE-C) or a KMS key.
     */
    static void checkAllowed(S3Object o) {
        Struct encryption = o.meta.encryption();
        if (encryption.string("SSECustomerAlgorithm") != null) {
            throw S3Errors.invalidRequest("Torrent creation is not supported for objects encrypted with "
                    + "customer-provided keys (SSE-C)");
        }
        String sse = encryption.string("ServerSideEncryption");
        if (sse != null && sse.startsWith("aws:kms")) {
            throw S3Errors.invalidRequest("Torrent creation is not supported for objects encrypted with AWS KMS keys");
        }
        if (o.size() > MAX_OBJECT_SIZE) {
            throw S3Errors.invalidRequest("Torrent creation is not supported for objects larger than " + MAX_OBJECT_SIZE);
        }
    }

    /** The bencoded metainfo of an object; the caller has checked that S3 would make one (checkAllowed). */
    byte[] of(Bucket b, S3Object o) {
        String tracker = tracker(b.region);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("length", o.size());
        info.put("name", name(o.key));
        info.put("piece length", PIECE_LENGTH);
        info.put("pieces", pieces(o.blob));
        info.put("x-amz-bucket", b.name);
        info.put("x-amz-key", o.key);
        Map<String, Object> torrent = new LinkedHashMap<>();
        torrent.put("announce", tracker);
        torrent.put("announce-list", List.of(List.of(tracker)));
        torrent.put("info", info);
        return Bencode.encode(torrent);
    }

    /** The torrent's file name: the key's last path segment (the whole key when that is empty). */
    static String name(String key) {
        String trimmed = key;
        while (trimmed.endsWith("/") && trimmed.length() > 1) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        int slash = trimmed.lastIndexOf('/');
        String last = slash < 0 ? trimmed : trimmed.substring(slash + 1);
        return last.isEmpty() ? key : last;
    }

    static String tracker(String region) {
        return "us-east-1".equals(region) ? "http://s3-tracker.amazonaws.com:6969/announce"
                : "http://s3-tracker." + region + ".amazonaws.com:6969/announce";
    }

    /** The concatenated SHA-1 of each PIECE_LENGTH piece of the content (the last one may be shorter). */
    private byte[] pieces(Blob blob) {
        synchronized (pieces) {
            byte[] known = pieces.get(blob);
            if (known != null) {
                return known;
            }
        }
        byte[] hashes = hash(blob);
        synchronized (pieces) {
            pieces.put(blob, hashes);
        }
        return hashes;
    }

    private byte[] hash(Blob blob) {
        long size = blob.size();
        int count = (int) ((size + PIECE_LENGTH - 1) / PIECE_LENGTH);
        byte[] out = new byte[count * 20];
        MessageDigest sha1 = sha1();
        byte[] piece = new byte[PIECE_LENGTH];
        try (InputStream in = blobs.open(blob)) {
            for (int i = 0; i < count; i++) {
                int n = in.readNBytes(piece, 0, (int) Math.min(PIECE_LENGTH, size - (long) i * PIECE_LENGTH));
                sha1.update(piece, 0, n);
                System.arraycopy(sha1.digest(), 0, out, i * 20, 20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
