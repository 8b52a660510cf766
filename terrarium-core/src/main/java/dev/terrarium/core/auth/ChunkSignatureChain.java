package dev.terrarium.core.auth;

/**
 * The chained signatures of an aws-chunked body: each chunk is signed over the previous signature
 * (the first over the request's seed signature), and the trailers over the last chunk's.
 */
public final class ChunkSignatureChain {
    private static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
    private static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";

    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private final String accessKeyId;
    private final SigningDialect dialect;
    private final boolean signsTrailer;
    private String previousSignature;

    /**
     * @param seedSignature the (verified) signature of the request headers
     * @param signsTrailer  true for STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
     */
    public ChunkSignatureChain(byte[] signingKey, SignedRequest signed, String seedSignature, boolean signsTrailer,
                               SigningDialect dialect) {
        this.signingKey = signingKey;
        this.amzDate = signed.amzDate();
        this.scope = signed.scope().scope();
        this.accessKeyId = signed.accessKeyId();
        this.previousSignature = seedSignature;
        this.signsTrailer = signsTrailer;
        this.dialect = dialect;
    }

    public boolean signsTrailer() { return signsTrailer; }

    /** Checks one chunk's signature (the final empty chunk included) and moves the chain on. */
    public void verifyChunk(String provided, String dataSha256Hex) {
        String stringToSign = CHUNK_ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + previousSignature + '\n'
                + SigV4Crypto.EMPTY_SHA256 + '\n' + dataSha256Hex;
        previousSignature = check(stringToSign, provided);
    }

    /** Checks the signature over the canonical trailers ("name:value\n" each, in the order sent). */
    public void verifyTrailer(String provided, String canonicalTrailers) {
        String stringToSign = TRAILER_ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + previousSignature + '\n'
                + SigV4Crypto.sha256Hex(canonicalTrailers);
        previousSignature = check(stringToSign, provided);
    }

    /** A chunk header without its chunk-signature. */
    AuthException missingSignature() {
        return SigV4Errors.signatureDoesNotMatch(dialect, accessKeyId, null, null, null);
    }

    private String check(String stringToSign, String provided) {
        String expected = SigV4Crypto.signatureHex(signingKey, stringToSign);
        if (!SigV4Crypto.constantTimeEquals(expected, provided)) {
            throw SigV4Errors.signatureDoesNotMatch(dialect, accessKeyId, stringToSign, provided, null);
        }
        return expected;
    }
}
