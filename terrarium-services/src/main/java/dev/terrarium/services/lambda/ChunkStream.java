package dev.terrarium.services.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body written as it comes: chunks are put by the Runtime API's thread and read by the HTTP response,
 * each read returning (part of) the next chunk and blocking until one comes or the stream is ended.
 */
final class ChunkStream extends InputStream {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private byte[] current;
    private int pos;
    private boolean ended;
    private volatile int count;

    void put(byte[] chunk) {
        if (chunk.length > 0) {
            count++;
            queue.add(chunk);
        }
    }

    void end() {
        queue.add(END);
    }

    /** How many chunks were put. */
    int count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        if (current == null || pos == current.length) {
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            pos = 0;
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }
}
