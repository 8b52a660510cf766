package dev.terrarium.core.auth;

import dev.terrarium.core.http.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The SigV4 canonical request of a received request, built exactly as the AWS SDKs build it when signing. */
public final class CanonicalRequest {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CanonicalRequest() {}

    /**
     * method \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash.
     */
    public static String of(HttpRequest request, SignedRequest signed, SigningDialect dialect, String payloadHash) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append(request.method()).append('\n');
        sb.append(uri(request.rawPath(), dialect.normalizesPath())).append('\n');
        sb.append(query(request.rawQuery(), signed.presigned())).append('\n');
        for (String name : signed.signedHeaders()) {
            sb.append(name).append(':');
            appendHeaderValue(request, name, sb);
            sb.append('\n');
        }
        sb.append('\n');
        sb.append(signed.signedHeaderList()).append('\n');
        sb.append(payloadHash);
        return sb.toString();
    }

    /**
     * The canonical URI. S3 signs the path exactly as sent; other services remove dot segments and
     * empty segments and percent-encode the (already encoded) path once more.
     */
    public static String uri(String rawPath, boolean normalize) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (!normalize || isCanonicalAlready(path)) {
            return path;
        }
        return encode(removeDotSegments(path), true);
    }

    /**
     * True when normalizing and encoding would give the path back unchanged: it starts with '/', has only
     * unreserved characters and slashes, and no empty, "." or ".." segment (a trailing slash is kept).
     * Most paths ("/", "/2015-03-31/functions/f/invocations") are, and need no work.
     */
    static boolean isCanonicalAlready(String path) {
        int n = path.length();
        if (n == 0 || path.charAt(0) != '/') {
            return false;
        }
        if (n == 1) {
            return true;
        }
        int segmentStart = 1;
        for (int i = 1; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '/') {
                int len = i - segmentStart;
                if (len == 0) {
                    if (i < n) {
                        return false; // an empty segment ("//")
                    }
                } else if (path.charAt(segmentStart) == '.' && (len == 1 || (len == 2 && path.charAt(segmentStart + 1) == '.'))) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~')) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 dot-segment removal, also dropping empty segments (as the SDKs do), keeping a trailing slash. */
    static String removeDotSegments(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(segment);
            }
        }
        String joined = String.join("/", out);
        String first = path.startsWith("/") ? "/" : "";
        String last = path.endsWith("/") && !out.isEmpty() ? "/" : "";
        return first + joined + last;
    }

    /**
     * The canonical query string: each name and value decoded and re-encoded the AWS way, sorted by
     * name then value; X-Amz-Signature left out of presigned URLs.
     */
    public static String query(String rawQuery, boolean presigned) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (presigned && name.equals("X-Amz-Signature")) {
                continue;
            }
            pairs.add(new String[] {encode(name, false), encode(value, false)});
        }
        pairs.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : a[1].compareTo(b[1]);
        });
        StringBuilder sb = new StringBuilder(rawQuery.length() + 16);
        for (String[] p : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** All values of a header joined by ',' , each trimmed with inner runs of whitespace collapsed to one space. */
    static String headerValue(HttpRequest request, String name) {
        StringBuilder sb = new StringBuilder();
        appendHeaderValue(request, name, sb);
        return sb.toString();
    }

    private static void appendHeaderValue(HttpRequest request, String name, StringBuilder sb) {
        List<String> values = request.headers().all(name);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            trimAll(values.get(i), sb);
        }
    }

    private static void trimAll(String value, StringBuilder sb) {
        if (!hasSpace(value)) { // the usual value: nothing to trim or collapse, appended whole
            sb.append(value);
            return;
        }
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                pendingSpace = started;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
                started = true;
            }
        }
    }

    private static boolean hasSpace(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                return true;
            }
        }
        return false;
    }

    /** AWS URI encoding of the UTF-8 bytes: unreserved characters (A-Z a-z 0-9 - _ . ~) kept, the rest %XX. */
    public static String encode(String s, boolean keepSlash) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** Percent-decoding to UTF-8 with '+' as a space; a malformed escape is kept literally. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0
                    && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    utf8 = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(utf8, 0, utf8.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
