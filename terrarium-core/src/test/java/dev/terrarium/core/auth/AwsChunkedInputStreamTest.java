package dev.terrarium.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing of aws-chunked bodies, independent of signatures. */
class AwsChunkedInputStreamTest {

    private static AwsChunkedInputStream stream(String encoded, long decodedLength, List<String> trailers) {
        return new AwsChunkedInputStream(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.ISO_8859_1)), null,
                decodedLength, trailers);
    }

    private static AuthException failure(InputStream in) {
        return catchThrowableOfType(in::readAllBytes, AuthException.class);
    }

    @Test
    void decodesUnsignedChunksWithTrailers() throws Exception {
        String crc = Checksums.crc32("hello world".getBytes(StandardCharsets.US_ASCII));
        AwsChunkedInputStream in = stream("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:" + crc
                + "\r\n\r\n", 11, List.of("x-amz-checksum-crc32"));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
        assertThat(in.isFinished()).isTrue();
        assertThat(in.trailers()).containsEntry("x-amz-checksum-crc32", crc);
        assertThat(in.decodedBytes()).isEqualTo(11);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void acceptsUppercaseHexBareLineFeedsAndAMissingFinalBlankLine() throws Exception {
        AwsChunkedInputStream in = stream("A\nabcdefghij\n0\n", -1, List.of());
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcdefghij");
    }

    @Test
    void ignoresChunkSignaturesWhenNotVerifying() throws Exception {
        AwsChunkedInputStream in = stream("3;chunk-signature=00\r\nabc\r\n0;chunk-signature=11\r\n\r\n", 3,
                List.of());
        assertThat(in.readAllBytes()).containsExactly('a', 'b', 'c');
    }

    @Test
    void malformedFraming() {
        assertThat(failure(stream("zz\r\nabc\r\n0\r\n\r\n", -1, List.of())).code()).isEqualTo("InvalidRequest");
        assertThat(failure(stream("-3\r\nabc\r\n0\r\n\r\n", -1, List.of())).code()).isEqualTo("InvalidRequest");
        assertThat(failure(stream("3\r\nabcd\r\n0\r\n\r\n", -1, List.of())).code()).isEqualTo("InvalidRequest");
        assertThat(failure(stream("3\r\nabc\r\n0\r\nno-colon\r\n\r\n", -1, List.of())).code())
                .isEqualTo("InvalidRequest");
        assertThat(failure(stream("1".repeat(20_000), -1, List.of())).code()).isEqualTo("InvalidRequest");
    }

    @Test
    void truncatedBodies() {
        assertThat(failure(stream("", -1, List.of())).code()).isEqualTo("IncompleteBody");
        assertThat(failure(stream("10\r\nabc", -1, List.of())).code()).isEqualTo("IncompleteBody");
        assertThat(failure(stream("3\r\nabc", -1, List.of())).code()).isEqualTo("IncompleteBody");
        assertThat(failure(stream("3\r\nabc\r\n", -1, List.of())).code()).isEqualTo("IncompleteBody");
    }

    @Test
    void decodedLengthIsEnforced() {
        assertThat(failure(stream("3\r\nabc\r\n0\r\n\r\n", 4, List.of())).code()).isEqualTo("IncompleteBody");
        assertThat(failure(stream("3\r\nabc\r\n0\r\n\r\n", 2, List.of())).code()).isEqualTo("IncompleteBody");
    }

    @Test
    void checksumTrailerMismatchIsBadDigest() {
        AuthException e = failure(stream("3\r\nabc\r\n0\r\nx-amz-checksum-sha256:"
                + Checksums.sha256("abd".getBytes(StandardCharsets.US_ASCII)) + "\r\n\r\n", 3,
                List.of("x-amz-checksum-sha256")));
        assertThat(e.code()).isEqualTo("BadDigest");
        assertThat(e.getMessage()).isEqualTo("The SHA256 you specified did not match the calculated checksum.");
    }
}
