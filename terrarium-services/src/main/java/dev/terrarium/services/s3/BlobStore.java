package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums;
import dev.terrarium.core.auth.Checksums.Algorithm;
import dev.terrarium.core.service.AwsException;

import java.io.ByteArrayInputStream;
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
 *
 * <p>Small bodies (up to {@link #SMALL} bytes) are kept in memory instead, while all of them together stay
 * under {@link #MEMORY_BUDGET}: creating, writing and closing a file per object cost a 4 KiB PutObject more
 * CPU (most of it in the kernel) than everything else it does. Past the budget, small bodies go to files too.
 */
public final class BlobStore {
    private static final int BUFFER = 64 * 1024;
    /** The largest body kept in memory. */
    static final int SMALL = 64 * 1024;
    /** The most memory all in-memory bodies may take together. */
    static final long MEMORY_BUDGET = Long.getLong("terrarium.s3.memoryBlobBytes", 64L * 1024 * 1024);
    private final Path dir;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong inMemory = new AtomicLong();
    private final long memoryBudget;

    public BlobStore() {
        this(MEMORY_BUDGET);
    }

    /** With another in-memory budget (tests). */
    BlobStore(long memoryBudget) {
        this.memoryBudget = memoryBudget;
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
        return write(in, algorithms, -1);
    }

    /**
     * As {@link #write(InputStream, Set)}, for a body of about expectedSize bytes (-1: unknown): a small
     * body is kept in memory (within the budget), a larger one goes to a file.
     */
    public Blob write(InputStream in, Set<Algorithm> algorithms, long expectedSize) {
        MessageDigest md5 = MD5.get(); // one per thread: finding MD5 through the providers costs more than hashing 4 KiB
        md5.reset();
        Map<Algorithm, Checksums.Hasher> hashers = new EnumMap<>(Algorithm.class);
        for (Algorithm a : algorithms) {
            hashers.put(a, a.newHasher());
        }
        byte[] head = null;
        int headLength = 0;
        if (expectedSize >= 0 && expectedSize <= SMALL) {
            // read up to SMALL + 1 bytes: a body that ends within SMALL stays in memory
            try {
                head = in.readNBytes(SMALL + 1);
            } catch (IOException | RuntimeException e) {
                throw incomplete(e);
            }
            headLength = head.length;
            update(md5, hashers, head, headLength);
            if (headLength <= SMALL && reserve(headLength)) {
                return new Blob(null, head, headLength, md5.digest(), checksums(hashers));
            }
        }
        Path file = newFile();
        long size = headLength;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (head != null) {
                out.write(head, 0, headLength);
            }
            if (head == null || headLength > SMALL) { // the rest of the stream
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    update(md5, hashers, buffer, n);
                    size += n;
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw incomplete(e);
        }
        return new Blob(file, size, md5.digest(), checksums(hashers));
    }

    private static void update(MessageDigest md5, Map<Algorithm, Checksums.Hasher> hashers, byte[] b, int n) {
        md5.update(b, 0, n);
        for (Checksums.Hasher h : hashers.values()) {
            h.update(b, 0, n);
        }
    }

    private static Map<Algorithm, String> checksums(Map<Algorithm, Checksums.Hasher> hashers) {
        Map<Algorithm, String> checksums = new EnumMap<>(Algorithm.class);
        hashers.forEach((a, h) -> checksums.put(a, h.base64()));
        return checksums;
    }

    private static AwsException incomplete(Exception e) {
        if (e instanceof AwsException aws) {
            return aws;
        }
        return new AwsException("IncompleteBody", "The request body terminated unexpectedly", 400);
    }

    /** Takes bytes from the in-memory budget; false when they would exceed it. */
    private boolean reserve(long bytes) {
        while (true) {
            long used = inMemory.get();
            if (used + bytes > memoryBudget) {
                return false;
            }
            if (inMemory.compareAndSet(used, used + bytes)) {
                return true;
            }
        }
    }

    /** Bytes of object content held in memory now. */
    long bytesInMemory() { return inMemory.get(); }

    /** The bytes [offset, offset + length) of a blob. */
    public InputStream open(Blob blob, long offset, long length) {
        if (blob.inMemory()) {
            return new ByteArrayInputStream(blob.data(), (int) offset, (int) Math.min(length, blob.size() - offset));
        }
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
        if (blob.inMemory()) { // the bytes never change: both blobs hold the same array, each counted
            if (reserve(blob.size())) {
                return new Blob(null, blob.data(), blob.size(), blob.md5(), blob.checksums());
            }
            Path file = newFile();
            try {
                Files.write(file, blob.data(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                deleteQuietly(file);
                throw AwsException.internal("object content could not be copied: " + e.getMessage());
            }
            return new Blob(file, blob.size(), blob.md5(), blob.checksums());
        }
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
            return write(in, algorithms, length);
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
                if (part.inMemory()) {
                    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(part.data());
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                    for (Checksums.Hasher h : hashers.values()) {
                        h.update(part.data(), 0, part.data().length);
                    }
                } else if (hashers.isEmpty()) {
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
        if (blob == null) {
            return;
        }
        if (blob.inMemory()) {
            inMemory.addAndGet(-blob.size());
        } else {
            deleteQuietly(blob.path());
        }
    }

    /** Removes every file (reset); the directory stays. */
    public void clear() {
        inMemory.set(0);
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

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(BlobStore::md5);

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

}
