package dev.terrarium.core.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpRequestBodyTest {
    private static HttpRequest request(String body, String contentLength) {
        Headers headers = new Headers();
        if (contentLength != null) {
            headers.add("Content-Length", contentLength);
        }
        return new HttpRequest("POST", "/", "", headers,
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "127.0.0.1");
    }

    private static String body(HttpRequest r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void readsTheBodyWithOrWithoutContentLength() {
        assertThat(body(request("{\"a\":1}", "7"))).isEqualTo("{\"a\":1}");
        assertThat(body(request("{\"a\":1}", null))).isEqualTo("{\"a\":1}");
        assertThat(body(request("", "0"))).isEmpty();
        assertThat(body(request("x".repeat(20_000), "20000"))).hasSize(20_000);
    }

    @Test
    void aContentLengthThatIsWrongStillYieldsWhatWasSent() {
        assertThat(body(request("abcdef", "3"))).isEqualTo("abcdef");
        assertThat(body(request("abc", "10"))).isEqualTo("abc");
        assertThat(body(request("abc", "nonsense"))).isEqualTo("abc");
    }

    @Test
    void aBodyPastTheLimitIsRejectedEvenWhenItsContentLengthUnderstates() {
        HttpRequest r = request("x".repeat(100), "10");
        r.limitBody(50);
        assertThatThrownBy(r::body).isInstanceOf(BodyTooLargeException.class);
        HttpRequest declared = request("x".repeat(100), "100");
        declared.limitBody(50);
        assertThatThrownBy(declared::body).isInstanceOf(BodyTooLargeException.class);
        HttpRequest fits = request("x".repeat(50), "50");
        fits.limitBody(50);
        assertThat(fits.body()).hasSize(50);
    }
}
