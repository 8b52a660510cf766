package dev.terrarium.services.s3;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** encoding-type=url: keys and prefixes in listings percent-encoded, as S3 encodes them. */
final class UrlEncoding {
    private UrlEncoding() {}

    static String encode(String s) {
        return s == null ? null : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2F", "/").replace("*", "%2A")
                .replace("%7E", "~");
    }
}
