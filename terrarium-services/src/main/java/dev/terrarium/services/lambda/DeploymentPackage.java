package dev.terrarium.services.lambda;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A .zip deployment package: its bytes, AWS's CodeSha256 (base64 SHA-256) and its unpacked files. */
final class DeploymentPackage {
    /** Unpacked directories still on disk: whatever is left when the JVM stops is removed then. */
    private static final java.util.Set<Path> UNPACKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> UNPACKED.forEach(DeploymentPackage::deleteTree),
                "lambda-code-cleanup"));
    }

    final byte[] zip;
    final String sha256;
    private Path dir;

    private DeploymentPackage(byte[] zip) {
        this(zip, sha256(zip));
    }

    private DeploymentPackage(byte[] zip, String sha256) {
        this.zip = zip;
        this.sha256 = sha256;
    }

    /** The (empty) package of an image function: its CodeSha256 is the image's, its size 0. */
    static DeploymentPackage image(ContainerImage image) {
        return new DeploymentPackage(new byte[0], image.codeSha256());
    }

    /** Checks that the bytes are a readable zip, as AWS does on upload. */
    static DeploymentPackage of(byte[] zip) {
        if (zip == null || zip.length == 0) {
            throw LambdaErrors.invalid("Please provide a source for function code.");
        }
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            int entries = 0;
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                entries++;
            }
            if (entries == 0) {
                throw new IOException("no entries");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw LambdaErrors.invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
        }
        return new DeploymentPackage(zip);
    }

    long size() { return zip.length; }

    /** The package unpacked in its own temporary directory (once); bootstrap and #! scripts are made executable. */
    synchronized Path directory() {
        if (dir != null && Files.isDirectory(dir)) {
            return dir;
        }
        try {
            Path target = Files.createTempDirectory("terrarium-lambda-");
            extractTo(target);
            dir = target;
            UNPACKED.add(target);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks the files into a directory (over what is there: layers stack); bootstrap and #! scripts become executable. */
    void extractTo(Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path p = target.resolve(e.getName()).normalize();
                if (!p.startsWith(target)) {
                    continue;
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                    continue;
                }
                Files.createDirectories(p.getParent());
                Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
                if (p.getFileName().toString().equals("bootstrap") || startsWithShebang(p)
                        || p.getParent().getFileName().toString().equals("bin")) {
                    p.toFile().setExecutable(true);
                }
            }
        }
    }

    synchronized void delete() {
        if (dir != null) {
            deleteTree(dir);
            UNPACKED.remove(dir);
            dir = null;
        }
    }

    /** Registers a temporary directory to be removed when the JVM stops, if it is still there. */
    static void deleteOnExit(Path dir) {
        UNPACKED.add(dir);
    }

    static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: temporary files
        }
    }

    private static boolean startsWithShebang(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            return in.read() == '#' && in.read() == '!';
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
