package dev.terrarium.services.lambda;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads the lines a process appended to its output file since the last read (a partial last line waits). */
final class OutputLines {
    private final Path file;
    private long position;
    private final StringBuilder partial = new StringBuilder();

    /** Run before everything is read: waits for output still on its way to the file (a container's logs), or null. */
    private volatile Runnable settle;

    OutputLines(Path file) {
        this.file = file;
    }

    void settleBeforeReadAll(Runnable settle) {
        this.settle = settle;
    }

    synchronized List<String> read() {
        List<String> lines = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size <= position) {
                return lines;
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - position, 16 * 1024 * 1024));
            while (buf.hasRemaining() && ch.read(buf, position + buf.position()) > 0) {
                // read until the buffer is full or the end is reached
            }
            position += buf.position();
            partial.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return lines;
        }
        int start = 0;
        for (int nl = partial.indexOf("\n"); nl >= 0; nl = partial.indexOf("\n", start)) {
            String line = partial.substring(start, nl);
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            start = nl + 1;
        }
        partial.delete(0, start);
        return lines;
    }

    /** The lines since the last read and the partial last one (an invocation is over: what it printed is its own). */
    synchronized List<String> readAll() {
        Runnable wait = settle;
        if (wait != null) {
            wait.run();
        }
        List<String> lines = read();
        if (partial.length() > 0) {
            lines.add(partial.toString());
            partial.setLength(0);
        }
        return lines;
    }
}
