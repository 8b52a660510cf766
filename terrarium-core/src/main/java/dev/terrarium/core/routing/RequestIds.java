package dev.terrarium.core.routing;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids as AWS makes them: UUIDs for most services, 16 upper-case hex digits for S3. */
public final class RequestIds {
    private RequestIds() {
    }

    public static String uuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    public static String s3() {
        long v = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        return new String(out);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
