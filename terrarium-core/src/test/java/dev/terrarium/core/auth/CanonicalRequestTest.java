package dev.terrarium.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalRequestTest {

    @Test
    void encodesTheAwsWay() {
        assertThat(CanonicalRequest.encode("AZaz09-_.~", false)).isEqualTo("AZaz09-_.~");
        assertThat(CanonicalRequest.encode("a b+c*d/e=f&g%", false)).isEqualTo("a%20b%2Bc%2Ad%2Fe%3Df%26g%25");
        assertThat(CanonicalRequest.encode("ü€", false)).isEqualTo("%C3%BC%E2%82%AC");
        assertThat(CanonicalRequest.encode("/a b/c", true)).isEqualTo("/a%20b/c");
    }

    @Test
    void pathsTakenAsTheyAreNormalizeToThemselves() {
        for (String path : List.of("/", "/a", "/a/", "/2015-03-31/functions/f/invocations", "//", "/a//b", "/a/./b",
                "/a/../b", "/.", "/..", "/a/.", "/a/..", "/.a/b..", "/a b", "/a%20b", "/~x_y-z.", "a/b", "/a/b/",
                "///", "/a/b/..", "/..a", "/a./", "/ü")) {
            String slow = CanonicalRequest.encode(CanonicalRequest.removeDotSegments(path), true);
            assertThat(CanonicalRequest.uri(path, true)).as(path).isEqualTo(slow);
            if (CanonicalRequest.isCanonicalAlready(path)) {
                assertThat(slow).as(path).isEqualTo(path);
            }
        }
        assertThat(CanonicalRequest.isCanonicalAlready("/2015-03-31/functions/f/invocations")).isTrue();
        assertThat(CanonicalRequest.isCanonicalAlready("/a/./b")).isFalse();
    }

    @Test
    void queryIsDecodedReEncodedAndSorted() {
        assertThat(CanonicalRequest.query("b=2&a=1&A=0", false)).isEqualTo("A=0&a=1&b=2");
        assertThat(CanonicalRequest.query("k=z&k=a&k=", false)).isEqualTo("k=&k=a&k=z");
        assertThat(CanonicalRequest.query("flag&x=%7e%2a%20", false)).isEqualTo("flag=&x=~%2A%20");
        assertThat(CanonicalRequest.query("q=a+b", false)).isEqualTo("q=a%20b");
        assertThat(CanonicalRequest.query("bad=%zz%4", false)).isEqualTo("bad=%25zz%254");
        assertThat(CanonicalRequest.query("a=1&X-Amz-Signature=abc", true)).isEqualTo("a=1");
        assertThat(CanonicalRequest.query("a=1&X-Amz-Signature=abc", false)).isEqualTo("X-Amz-Signature=abc&a=1");
        assertThat(CanonicalRequest.query("", false)).isEmpty();
    }

    @Test
    void pathNormalization() {
        assertThat(CanonicalRequest.uri("/a/./b/../c//d/", true)).isEqualTo("/a/c/d/");
        assertThat(CanonicalRequest.uri("/../..", true)).isEqualTo("/");
        assertThat(CanonicalRequest.uri("", true)).isEqualTo("/");
        assertThat(CanonicalRequest.uri("/a%20b", true)).isEqualTo("/a%2520b");
        assertThat(CanonicalRequest.uri("/a%20b/./c//", false)).isEqualTo("/a%20b/./c//");
        assertThat(CanonicalRequest.uri("", false)).isEqualTo("/");
    }

    @Test
    void canonicalRequestLayout() {
        HttpRequest req = HttpRequest.of("POST", "/p?b=2&a=1", new Headers()
                .add("Host", "localhost:4566")
                .add("X-Multi", " one  two ")
                .add("X-Multi", "three"), null);
        SignedRequest signed = new SignedRequest(SignedRequest.ALGORITHM,
                new CredentialScope("k", "20250101", "us-east-1", "sqs"), List.of("host", "x-missing", "x-multi"),
                "sig", "20250101T000000Z", java.time.Instant.EPOCH, false, -1, null);
        assertThat(CanonicalRequest.of(req, signed, SigningDialect.STANDARD, "HASH")).isEqualTo(
                "POST\n/p\na=1&b=2\nhost:localhost:4566\nx-missing:\nx-multi:one two,three\n\n"
                        + "host;x-missing;x-multi\nHASH");
    }
}
