package dev.terrarium.core.auth;

/**
 * How a service canonicalizes and answers signatures. S3 (and the services signing as S3) neither
 * normalizes nor double-encodes the path and has its own error codes (XML, with StringToSign details);
 * every other service normalizes the path, encodes it a second time and uses the common codes.
 */
public enum SigningDialect {
    STANDARD, S3;

    /** The dialect of a SigV4 signing name (the service part of the credential scope). */
    public static SigningDialect forSigningName(String signingName) {
        if (signingName == null) {
            return STANDARD;
        }
        return switch (signingName) {
            case "s3", "s3-object-lambda", "s3-outposts", "s3express" -> S3;
            default -> STANDARD;
        };
    }

    /** True when the canonical URI is the path with dot segments removed and percent-encoded again. */
    public boolean normalizesPath() { return this == STANDARD; }

    public boolean isS3() { return this == S3; }
}
