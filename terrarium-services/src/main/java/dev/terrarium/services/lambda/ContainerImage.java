package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code of a PackageType Image function: its image reference (Code.ImageUri) and the ImageConfig overrides of the
 * image's ENTRYPOINT, CMD and WORKDIR. AWS only takes Amazon ECR URIs; Terrarium takes any Docker image reference, since
 * the image is run by the local Docker engine (which pulls it from wherever it names, or finds it built locally).
 */
final class ContainerImage {
    /** [registry[:port]/]path[:tag][@sha256:digest], as Docker references are written. */
    private static final Pattern REFERENCE = Pattern.compile(
            "((?:[a-zA-Z0-9.-]+(?::\\d+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
                    + "(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?");

    final String imageUri;
    final String repository;
    /** The tag to pull (latest when the reference names none), or null when the reference is pinned by digest. */
    final String tag;
    /** sha256:... when the reference is pinned by digest, else null. */
    final String digest;
    final List<String> entryPoint;
    final List<String> command;
    final String workingDirectory;
    /** repository@sha256:digest once known: given in the URI, or learned from the engine when it had the image. */
    volatile String resolvedImageUri;

    private ContainerImage(String imageUri, String repository, String tag, String digest, List<String> entryPoint,
                           List<String> command, String workingDirectory) {
        this.imageUri = imageUri;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
        this.entryPoint = entryPoint;
        this.command = command;
        this.workingDirectory = workingDirectory;
        this.resolvedImageUri = digest == null ? null : repository + "@" + digest;
    }

    /** The image of Code.ImageUri with the ImageConfig of the request (either may be null), checked as Lambda does. */
    static ContainerImage of(String imageUri, Struct imageConfig) {
        if (imageUri == null || imageUri.isEmpty()) {
            throw LambdaErrors.invalid("Please provide ImageUri when PackageType is Image.");
        }
        Matcher m = REFERENCE.matcher(imageUri);
        if (imageUri.length() > 1024 || !m.matches()) {
            throw LambdaErrors.invalid("Source image " + imageUri + " is not valid. Provide a valid source image.");
        }
        String digest = m.group(3);
        String tag = m.group(2) != null ? m.group(2) : digest == null ? "latest" : null;
        ContainerImage plain = new ContainerImage(imageUri, m.group(1), tag, digest, null, null, null);
        return imageConfig == null ? plain : plain.withConfig(imageConfig);
    }

    /** The same image with the overrides of an ImageConfig (UpdateFunctionConfiguration replaces them all). */
    ContainerImage withConfig(Struct imageConfig) {
        List<String> entry = imageConfig.strings("EntryPoint");
        List<String> cmd = imageConfig.strings("Command");
        String dir = imageConfig.string("WorkingDirectory");
        ContainerImage c = new ContainerImage(imageUri, repository, tag, digest,
                entry == null || entry.isEmpty() ? null : List.copyOf(entry),
                cmd == null || cmd.isEmpty() ? null : List.copyOf(cmd), dir == null || dir.isEmpty() ? null : dir);
        c.resolvedImageUri = resolvedImageUri;
        return c;
    }

    /** Another image with these overrides (UpdateFunctionCode keeps the ImageConfig). */
    ContainerImage withUri(String newUri) {
        ContainerImage other = of(newUri, null);
        return new ContainerImage(other.imageUri, other.repository, other.tag, other.digest, entryPoint, command,
                workingDirectory);
    }

    /** The reference Docker pulls and runs. */
    String reference() {
        return digest != null ? repository + "@" + digest : repository + ":" + tag;
    }

    /**
     * CodeSha256 of the function: the image digest (hex) when the URI pins one; otherwise the SHA-256 of the URI
     * itself, so that a changed URI is a changed code (Terrarium does not resolve tags without a registry).
     */
    String codeSha256() {
        if (digest != null) {
            return digest.substring("sha256:".length());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(imageUri.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GetFunction's Code member. */
    Struct codeLocation() {
        return Struct.of("RepositoryType", "ECR", "ImageUri", imageUri, "ResolvedImageUri", resolvedImageUri);
    }

    /** FunctionConfiguration's ImageConfigResponse (absent when no override was given, as Lambda answers). */
    Struct imageConfigResponse() {
        if (entryPoint == null && command == null && workingDirectory == null) {
            return null;
        }
        return Struct.of("ImageConfig", Struct.of("EntryPoint", entryPoint, "Command", command,
                "WorkingDirectory", workingDirectory));
    }
}
