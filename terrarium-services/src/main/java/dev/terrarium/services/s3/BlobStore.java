package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums;
import dev.terrarium.core.auth.Checksums.Algorithm;
import dev.terrarium.core.service.AwsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Object bodies as files in one temporary directory: written once from a stream (hashing as the bytes
 * pass, never holding the body in memory), read as streams of any range, shared by hard links on copy.
 * A file is never modified after it is written, so readers need no locks and a replaced object's
 * readers keep reading the old file.
 */
public final class BlobStore {
    private static final int BUFFER = 64 * 1024;
    private final Path dir;
    private final AtomicLong sequence = new AtomicLong();

    public BlobStore() {
        try {
            this.dir = Files.createTempDirectory("terrarium-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteAll, "terrarium-s3-cleanup"));
    }

    public Path directory() { return dir; }

    private Path newFile() {
        return dir.resolve(Long.toString(sequence.incrementAndGet(), 36));
    }

    /** Writes a body to a new file, computing its MD5 and the requested checksums. */
    public Blob write(InputStream in, Set<Algorithm> algorithms) {
        Path file = newFile();
        MessageDigest md5 = md5();
        Map<Algorithm, Checksums.Hasher> hashers = new EnumMap<>(Algorithm.class);
        for (Algorithm a : algorithms) {
            hashers.put(a, a.newHasher());
        }
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                md5.update(buffer, 0, n);
                for (Checksums.Hasher h : hashers.values()) {
                    h.update(buffer, 0, n);
                }
                size += n;
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof AwsException aws) {
                throw aws;
            }
            throw new AwsException("IncompleteBody", "The request body terminated unexpectedly", 400);
        }
        Map<Algorithm, String> checksums = new EnumMap<>(Algorithm.class);
        hashers.forEach((a, h) -> checksums.put(a, h.base64()));
        return new Blob(file, size, md5.digest(), checksums);
    }

    /** The bytes [offset, offset + length) of a blob. */
    public InputStream open(Blob blob, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(blob.path(), StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException e) {
            throw AwsException.internal("object content is unreadable: " + e.getMessage());
        }
    }

    public InputStream open(Blob blob) {
        return open(blob, 0, blob.size());
    }

    /** A second, independent reference to the same content (a hard link, or a copy where links fail). */
    public Blob share(Blob blob) {
        Path file = newFile();
        try {
            try {
                Files.createLink(file, blob.path());
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(blob.path(), file);
            }
        } catch (IOException e) {
            throw AwsException.internal("object content could not be copied: " + e.getMessage());
        }
        return new Blob(file, blob.size(), blob.md5(), blob.checksums());
    }

    /** A new blob holding a range of another, hashed anew. */
    public Blob slice(Blob blob, long offset, long length, Set<Algorithm> algorithms) {
        if (offset == 0 && length == blob.size() && blob.md5().length > 0
                && blob.checksums().keySet().containsAll(algorithms)) {
            return share(blob);
        }
        try (InputStream in = open(blob, offset, length)) {
            return write(in, algorithms);
        } catch (IOException e) {
            throw AwsException.internal(e.getMessage());
        }
    }

    /** The parts joined into one new blob; md5 is left empty (a multipart ETag is not a body MD5). */
    public Blob concat(List<Blob> parts, Set<Algorithm> algorithms) {
        Path file = newFile();
        long size = 0;
        Map<Algorithm, Checksums.Hasher> hashers = new EnumMap<>(Algorithm.class);
        for (Algorithm a : algorithms) {
            hashers.put(a, a.newHasher());
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (Blob part : parts) {
                if (hashers.isEmpty()) {
                    try (FileChannel in = FileChannel.open(part.path(), StandardOpenOption.READ)) {
                        long done = 0;
                        while (done < part.size()) {
                            done += in.transferTo(done, part.size() - done, out);
                        }
                    }
                } else {
                    try (InputStream in = Files.newInputStream(part.path())) {
                        byte[] buffer = new byte[BUFFER];
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(java.nio.ByteBuffer.wrap(buffer, 0, n));
                            for (Checksums.Hasher h : hashers.values()) {
                                h.update(buffer, 0, n);
                            }
                        }
                    }
                }
                size += part.size();
            }
        } catch (IOException e) {
            deleteQuietly(file);
            throw AwsException.internal("parts could not be joined: " + e.getMessage());
        }
        Map<Algorithm, String> checksums = new EnumMap<>(Algorithm.class);
        hashers.forEach((a, h) -> checksums.put(a, h.base64()));
        return new Blob(file, size, new byte[0], checksums);
    }

    public void delete(Blob blob) {
        if (blob != null) {
            deleteQuietly(blob.path());
        }
    }

    /** Removes every file (reset); the directory stays. */
    public void clear() {
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(BlobStore::deleteQuietly);
        } catch (IOException ignored) {
            // the directory is gone: nothing to clear
        }
    }

    private void deleteAll() {
        clear();
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a temp file left behind is harmless
        }
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

}
