package dev.terrarium.services.s3;

import dev.terrarium.core.auth.Checksums.Algorithm;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Small bodies live in memory, larger ones in files; both read, share, slice and join alike. */
class BlobStoreTest {
    private final BlobStore store = new BlobStore();

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void smallBodiesStayInMemoryAndLargeOnesGoToFiles() throws IOException {
        byte[] small = bytes(4096);
        byte[] large = bytes(BlobStore.SMALL + 1);
        Blob s = store.write(new ByteArrayInputStream(small), Set.of(), small.length);
        Blob l = store.write(new ByteArrayInputStream(large), Set.of(), large.length);
        assertThat(s.inMemory()).isTrue();
        assertThat(s.path()).isNull();
        assertThat(l.inMemory()).isFalse();
        assertThat(Files.size(l.path())).isEqualTo(large.length);
        assertThat(read(store.open(s))).isEqualTo(small);
        assertThat(read(store.open(l))).isEqualTo(large);
        assertThat(read(store.open(s, 10, 20))).isEqualTo(java.util.Arrays.copyOfRange(small, 10, 30));
        assertThat(store.bytesInMemory()).isEqualTo(4096);
        store.delete(s);
        store.delete(l);
        assertThat(store.bytesInMemory()).isZero();
        assertThat(Files.exists(l.path())).isFalse();
    }

    @Test
    void pastTheMemoryBudgetSmallBodiesGoToFiles() throws IOException {
        BlobStore tight = new BlobStore(10_000);
        byte[] body = bytes(4000);
        Blob first = tight.write(new ByteArrayInputStream(body), Set.of(), body.length);
        Blob second = tight.write(new ByteArrayInputStream(body), Set.of(), body.length);
        Blob third = tight.write(new ByteArrayInputStream(body), Set.of(), body.length);
        assertThat(first.inMemory()).isTrue();
        assertThat(second.inMemory()).isTrue();
        assertThat(third.inMemory()).isFalse();
        assertThat(read(tight.open(third))).isEqualTo(body);
        Blob shared = tight.share(first);
        assertThat(shared.inMemory()).isFalse();
        assertThat(read(tight.open(shared))).isEqualTo(body);
        tight.delete(first);
        assertThat(tight.write(new ByteArrayInputStream(body), Set.of(), body.length).inMemory()).isTrue();
    }

    @Test
    void aBodyLongerThanAnnouncedStillEndsUpWholeInAFile() throws IOException {
        byte[] body = bytes(BlobStore.SMALL * 3);
        Blob b = store.write(new ByteArrayInputStream(body), Set.of(Algorithm.CRC32), 100);
        assertThat(b.inMemory()).isFalse();
        assertThat(b.size()).isEqualTo(body.length);
        assertThat(read(store.open(b))).isEqualTo(body);
        Blob again = store.write(new ByteArrayInputStream(body), Set.of(Algorithm.CRC32), -1);
        assertThat(b.md5()).isEqualTo(again.md5());
        assertThat(b.checksums()).isEqualTo(again.checksums());
    }

    @Test
    void hashesAreTheSameInMemoryAndOnDisk() {
        byte[] body = bytes(1000);
        Set<Algorithm> all = EnumSet.of(Algorithm.CRC32, Algorithm.SHA256);
        Blob memory = store.write(new ByteArrayInputStream(body), all, body.length);
        Blob file = store.write(new ByteArrayInputStream(body), all, -1);
        assertThat(memory.inMemory()).isTrue();
        assertThat(file.inMemory()).isFalse();
        assertThat(memory.etag()).isEqualTo(file.etag());
        assertThat(memory.checksums()).isEqualTo(file.checksums());
    }

    @Test
    void sharesSlicesAndJoinsMixMemoryAndFiles() throws IOException {
        byte[] a = bytes(3000);
        byte[] b = bytes(BlobStore.SMALL + 5000);
        Blob ma = store.write(new ByteArrayInputStream(a), Set.of(), a.length);
        Blob fb = store.write(new ByteArrayInputStream(b), Set.of(), b.length);
        Blob shared = store.share(ma);
        assertThat(shared.inMemory()).isTrue();
        assertThat(store.bytesInMemory()).isEqualTo(6000);
        store.delete(ma);
        assertThat(read(store.open(shared))).isEqualTo(a);
        Blob slice = store.slice(fb, 100, 2000, Set.of());
        assertThat(slice.inMemory()).isTrue();
        assertThat(read(store.open(slice))).isEqualTo(java.util.Arrays.copyOfRange(b, 100, 2100));
        Blob joined = store.concat(List.of(shared, fb, slice), Set.of(Algorithm.CRC32));
        byte[] expected = new byte[a.length + b.length + 2000];
        System.arraycopy(a, 0, expected, 0, a.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        System.arraycopy(b, 100, expected, a.length + b.length, 2000);
        assertThat(read(store.open(joined))).isEqualTo(expected);
        store.clear();
        assertThat(store.bytesInMemory()).isZero();
    }
}
