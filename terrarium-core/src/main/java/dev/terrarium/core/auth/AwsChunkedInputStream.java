package dev.terrarium.core.auth;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an aws-chunked body while it is read, without buffering it:
 * {@code <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n[trailers\r\n]\r\n}.
 * With a {@link ChunkSignatureChain} every chunk signature (and the trailer signature) is verified
 * as the chunk ends, before its last bytes are handed out. Checksum trailers (x-amz-checksum-*) that
 * were declared in x-amz-trailer are checked against the decoded content, and the decoded length
 * against x-amz-decoded-content-length.
 *
 * <p>Failures are thrown from {@code read} as {@link AuthException} (unchecked), carrying AWS's error:
 * SignatureDoesNotMatch, IncompleteBody, BadDigest.
 */
public final class AwsChunkedInputStream extends InputStream {
    private static final int MAX_LINE = 16 * 1024;
    private static final String SIGNATURE_EXTENSION = "chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private final InputStream in;
    private final ChunkSignatureChain chain;
    private final long expectedLength;
    private final Map<Checksums.Algorithm, Checksums.Hasher> checksums = new LinkedHashMap<>();
    private final Map<String, String> trailers = new LinkedHashMap<>();

    private long chunkRemaining;
    private String chunkSignature;
    private MessageDigest chunkDigest;
    private long decoded;
    private boolean finished;

    /**
     * @param raw              the body as received
     * @param chain            the signature chain to verify, or null to decode without verifying
     * @param decodedLength    x-amz-decoded-content-length, or -1 when not given
     * @param declaredTrailers the names listed in x-amz-trailer (checksum trailers among them are verified)
     */
    public AwsChunkedInputStream(InputStream raw, ChunkSignatureChain chain, long decodedLength,
                                 List<String> declaredTrailers) {
        this.in = raw instanceof BufferedInputStream ? raw : new BufferedInputStream(raw, 16 * 1024);
        this.chain = chain;
        this.expectedLength = decodedLength;
        for (String name : declaredTrailers) {
            Checksums.Algorithm algorithm = Checksums.Algorithm.fromHeaderName(name);
            if (algorithm != null) {
                checksums.put(algorithm, algorithm.newHasher());
            }
        }
    }

    /** Decoding only: no signatures, no declared trailers. */
    public static AwsChunkedInputStream unverified(InputStream raw) {
        return new AwsChunkedInputStream(raw, null, -1, List.of());
    }

    /** The trailing headers (lower-cased names, x-amz-trailer-signature left out); complete once the stream ended. */
    public Map<String, String> trailers() { return Collections.unmodifiableMap(trailers); }

    public String trailer(String name) { return trailers.get(name.toLowerCase(Locale.ROOT)); }

    /** Decoded bytes handed out so far. */
    public long decodedBytes() { return decoded; }

    /** True once the final chunk and trailers were read and verified. */
    public boolean isFinished() { return finished; }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!finished) {
            if (chunkRemaining > 0) {
                int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
                if (n < 0) {
                    throw SigV4Errors.incompleteBody();
                }
                chunkRemaining -= n;
                decoded += n;
                if (expectedLength >= 0 && decoded > expectedLength) {
                    throw SigV4Errors.incompleteBody();
                }
                if (chunkDigest != null) {
                    chunkDigest.update(b, off, n);
                }
                for (Checksums.Hasher h : checksums.values()) {
                    h.update(b, off, n);
                }
                if (chunkRemaining == 0) {
                    endChunk();
                }
                return n;
            }
            startChunk();
        }
        return -1;
    }

    @Override
    public int available() throws IOException {
        return finished ? 0 : (int) Math.min(in.available(), chunkRemaining);
    }

    @Override
    public void close() throws IOException { in.close(); }

    private void startChunk() throws IOException {
        String header = readLine();
        if (header == null) {
            throw SigV4Errors.incompleteBody();
        }
        int semicolon = header.indexOf(';');
        String sizeText = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        long size;
        try {
            size = Long.parseLong(sizeText, 16);
        } catch (NumberFormatException e) {
            throw SigV4Errors.invalidChunkEncoding("bad chunk size '" + abbreviate(sizeText) + "'");
        }
        if (size < 0 || sizeText.length() > 16) {
            throw SigV4Errors.invalidChunkEncoding("bad chunk size '" + abbreviate(sizeText) + "'");
        }
        chunkSignature = semicolon < 0 ? null : signatureExtension(header.substring(semicolon + 1));
        if (chain != null && chunkSignature == null) {
            throw chain.missingSignature();
        }
        chunkDigest = chain != null ? SigV4Crypto.sha256() : null;
        if (size == 0) {
            finish();
        } else {
            chunkRemaining = size;
        }
    }

    private void endChunk() throws IOException {
        int cr = in.read();
        int lf = cr == '\r' ? in.read() : cr;
        if (lf != '\n') {
            throw cr < 0 || lf < 0 ? SigV4Errors.incompleteBody()
                    : SigV4Errors.invalidChunkEncoding("chunk data is not followed by CRLF");
        }
        if (chain != null) {
            chain.verifyChunk(chunkSignature, SigV4Crypto.hex(chunkDigest.digest()));
        }
    }

    private void finish() throws IOException {
        if (chain != null) {
            chain.verifyChunk(chunkSignature, SigV4Crypto.EMPTY_SHA256);
        }
        String trailerSignature = null;
        StringBuilder canonicalTrailers = new StringBuilder();
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw SigV4Errors.invalidChunkEncoding("bad trailer '" + abbreviate(line) + "'");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals(TRAILER_SIGNATURE)) {
                trailerSignature = value;
            } else {
                trailers.put(name, value);
                canonicalTrailers.append(name).append(':').append(value).append('\n');
            }
        }
        if (chain != null && chain.signsTrailer()) {
            chain.verifyTrailer(trailerSignature, canonicalTrailers.toString());
        }
        if (expectedLength >= 0 && decoded != expectedLength) {
            throw SigV4Errors.incompleteBody();
        }
        for (Map.Entry<Checksums.Algorithm, Checksums.Hasher> e : checksums.entrySet()) {
            String sent = trailers.get(e.getKey().headerName());
            if (sent != null && !sent.equals(e.getValue().base64())) {
                throw SigV4Errors.badDigest(e.getKey());
            }
        }
        finished = true;
    }

    private static String signatureExtension(String extensions) {
        for (String ext : extensions.split(";")) {
            String e = ext.trim();
            if (e.startsWith(SIGNATURE_EXTENSION)) {
                return e.substring(SIGNATURE_EXTENSION.length()).trim();
            }
        }
        return null;
    }

    /** A line without its CRLF (or LF); null at end of stream before any byte. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(96);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE) {
                throw SigV4Errors.invalidChunkEncoding("line too long");
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) { return s.length() > 40 ? s.substring(0, 40) + "..." : s; }
}
