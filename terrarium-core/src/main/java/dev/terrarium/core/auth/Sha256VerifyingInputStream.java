package dev.terrarium.core.auth;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes a body through while hashing it and, at its end, fails with XAmzContentSHA256Mismatch when
 * it does not hash to the x-amz-content-sha256 the client signed (S3 checks this without buffering).
 */
public final class Sha256VerifyingInputStream extends FilterInputStream {
    private final MessageDigest digest = SigV4Crypto.sha256();
    private final String expectedHex;
    private final SigningDialect dialect;
    private boolean checked;

    public Sha256VerifyingInputStream(InputStream in, String expectedHex, SigningDialect dialect) {
        super(in);
        this.expectedHex = expectedHex;
        this.dialect = dialect;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c < 0) {
            check();
        } else {
            digest.update((byte) c);
        }
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            check();
        } else {
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() { return false; }

    private void check() {
        if (checked) {
            return;
        }
        checked = true;
        String actual = SigV4Crypto.hex(digest.digest());
        if (!actual.equalsIgnoreCase(expectedHex)) {
            throw SigV4Errors.contentSha256Mismatch(dialect, expectedHex, actual);
        }
    }
}
