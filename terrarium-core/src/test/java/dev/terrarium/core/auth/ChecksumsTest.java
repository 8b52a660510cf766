package dev.terrarium.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;

class ChecksumsTest {
    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void crc64NvmeMatchesTheCatalogueCheckValue() {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(CHECK, 0, CHECK.length);
        assertThat(crc.getValue()).isEqualTo(0xae8b14860a799888L);
        crc.reset();
        assertThat(crc.getValue()).isZero();
    }

    @Test
    void knownValuesAsAwsEncodesThem() {
        assertThat(Base64.getDecoder().decode(Checksums.crc32(CHECK))).containsExactly(0xcb, 0xf4, 0x39, 0x26);
        assertThat(Base64.getDecoder().decode(Checksums.crc32c(CHECK))).containsExactly(0xe3, 0x06, 0x92, 0x83);
        assertThat(Base64.getDecoder().decode(Checksums.crc64nvme(CHECK)))
                .containsExactly(0xae, 0x8b, 0x14, 0x86, 0x0a, 0x79, 0x98, 0x88);
        assertThat(Checksums.crc32(new byte[0])).isEqualTo("AAAAAA==");
        assertThat(Checksums.sha1(new byte[0])).isEqualTo("2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
        assertThat(Checksums.sha256(new byte[0])).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    @Test
    void crc64NvmeTableMatchesTheBitwiseDefinition() {
        byte[] data = new byte[10_007];
        new Random(3).nextBytes(data);
        long crc = ~0L;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
            }
        }
        Crc64Nvme table = new Crc64Nvme();
        table.update(data, 0, 5000);
        for (int i = 5000; i < data.length; i++) {
            table.update(data[i]);
        }
        assertThat(table.getValue()).isEqualTo(~crc);
    }

    /** The SDK computes CRC64NVME only through the native CRT, which is not on the classpath. */
    @ParameterizedTest
    @EnumSource(value = Checksums.Algorithm.class, names = "CRC64NVME", mode = EnumSource.Mode.EXCLUDE)
    void matchesTheSdk(Checksums.Algorithm algorithm) {
        byte[] data = new byte[100_003];
        new Random(7).nextBytes(data);
        ChecksumAlgorithm sdkAlgorithm = switch (algorithm) {
            case CRC32 -> DefaultChecksumAlgorithm.CRC32;
            case CRC32C -> DefaultChecksumAlgorithm.CRC32C;
            case CRC64NVME -> DefaultChecksumAlgorithm.CRC64NVME;
            case SHA1 -> DefaultChecksumAlgorithm.SHA1;
            case SHA256 -> DefaultChecksumAlgorithm.SHA256;
        };
        SdkChecksum sdk = SdkChecksum.forAlgorithm(sdkAlgorithm);
        sdk.update(data, 0, data.length);

        Checksums.Hasher ours = algorithm.newHasher();
        ours.update(data, 0, 50_000); // incremental updates give the same result
        ours.update(data, 50_000, data.length - 50_000);
        assertThat(ours.base64()).isEqualTo(Base64.getEncoder().encodeToString(sdk.getChecksumBytes()));
    }

    @Test
    void namesAndHeaders() {
        assertThat(Checksums.Algorithm.fromName("crc64nvme")).isEqualTo(Checksums.Algorithm.CRC64NVME);
        assertThat(Checksums.Algorithm.fromName("md5")).isNull();
        assertThat(Checksums.Algorithm.CRC32C.headerName()).isEqualTo("x-amz-checksum-crc32c");
        assertThat(Checksums.Algorithm.fromHeaderName("X-Amz-Checksum-SHA256")).isEqualTo(Checksums.Algorithm.SHA256);
        assertThat(Checksums.Algorithm.fromHeaderName("x-amz-meta-crc32")).isNull();
    }
}
