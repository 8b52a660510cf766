package dev.terrarium.services.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A multipart/form-data body read part by part as it arrives: small fields as text, the file part as a
 * stream that ends at the next boundary, so a browser upload of any size goes to disk, not to the heap.
 */
final class FormParts {
    /** One part: its form name, the file name (file parts), its Content-Type, and its content. */
    record Part(String name, String filename, String contentType, InputStream content) {
    }

    private static final int MAX_HEADER_LINE = 8192;
    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private boolean finished;
    private PartStream open;

    FormParts(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The boundary of a multipart/form-data Content-Type, or null. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9);
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    /** The next part (the previous part's content is skipped if unread), or null after the last. */
    Part next() {
        try {
            if (open == null) {
                skipPreamble();
            } else {
                open.transferTo(OutputStreamNull.INSTANCE);
            }
            if (finished) {
                return null;
            }
            String name = null;
            String filename = null;
            String type = null;
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw S3Errors.malformedPost("Malformed part header");
                }
                String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (header.equals("content-disposition")) {
                    name = param(value, "name");
                    filename = param(value, "filename");
                } else if (header.equals("content-type")) {
                    type = value;
                }
            }
            if (name == null) {
                throw S3Errors.malformedPost("A part has no form-data name");
            }
            open = new PartStream();
            return new Part(name, filename, type, open);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the text of a small part, refusing one longer than max bytes. */
    static String text(Part p, int max) {
        try {
            byte[] b = p.content().readNBytes(max + 1);
            if (b.length > max) {
                throw S3Errors.malformedPost("Form field " + p.name() + " is too large");
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String param(String disposition, String name) {
        for (String piece : disposition.split(";")) {
            String p = piece.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).trim();
                return v.startsWith("\"") && v.endsWith("\"") && v.length() > 1 ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** Skips up to and including the first boundary line (the body starts with --boundary, no CRLF before). */
    private void skipPreamble() throws IOException {
        String first = "--" + new String(delimiter, 4, delimiter.length - 4, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 100; i++) {
            String line = line();
            if (line.equals(first)) {
                return;
            }
            if (line.equals(first + "--")) {
                finished = true;
                return;
            }
        }
        throw S3Errors.malformedPost("No multipart boundary found");
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos == lim && !fill(1)) {
                throw S3Errors.malformedPost("Unexpected end of the form");
            }
            byte c = buf[pos++];
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() > MAX_HEADER_LINE) {
                throw S3Errors.malformedPost("Part header too long");
            }
            sb.append((char) (c & 0xFF));
        }
    }

    /** Ensures at least need buffered bytes unless the input ends first; false when fewer are available. */
    private boolean fill(int need) throws IOException {
        if (lim - pos >= need) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < need) {
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                return false;
            }
            lim += n;
        }
        return true;
    }

    /** The content of the current part: everything up to the next CRLF--boundary. */
    private final class PartStream extends InputStream {
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (!fill(delimiter.length)) {
                throw S3Errors.malformedPost("Unexpected end of the form");
            }
            int safe = 0;
            int scanEnd = lim - delimiter.length;
            for (int i = pos; i <= scanEnd; i++) {
                if (buf[i] == delimiter[0] && matchesAt(i)) {
                    if (i == pos) {
                        pos += delimiter.length;
                        afterBoundary();
                        ended = true;
                        return -1;
                    }
                    break;
                }
                safe++;
                if (safe == len) {
                    break;
                }
            }
            if (safe == 0) {
                // a partial delimiter at the buffer's end: read more and look again
                if (!fill(lim - pos + 1)) {
                    throw S3Errors.malformedPost("Unexpected end of the form");
                }
                return read(b, off, len);
            }
            System.arraycopy(buf, pos, b, off, safe);
            pos += safe;
            return safe;
        }

        private boolean matchesAt(int i) {
            for (int k = 1; k < delimiter.length; k++) {
                if (buf[i + k] != delimiter[k]) {
                    return false;
                }
            }
            return true;
        }

        /** After a boundary: "--" ends the form, CRLF starts the next part's headers. */
        private void afterBoundary() throws IOException {
            if (!fill(2)) {
                finished = true;
                return;
            }
            if (buf[pos] == '-' && buf[pos + 1] == '-') {
                finished = true;
                pos += 2;
                return;
            }
            line(); // rest of the boundary line (transport padding, CRLF)
        }
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
