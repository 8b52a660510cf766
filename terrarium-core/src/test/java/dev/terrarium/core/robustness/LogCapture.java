package dev.terrarium.core.robustness;

import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Catches what the server logs (Jetty's slf4j appender, shared by every logger) while a test runs:
 * WARN and ERROR lines and stack-trace lines are kept; the one INFO line per request is dropped.
 */
final class LogCapture implements AutoCloseable {
    /** Jetty's format: "2025-01-01 00:00:00.000:WARN :logger:thread: message". */
    private static final java.util.regex.Pattern LEVEL = java.util.regex.Pattern.compile(":(WARN|ERROR)\\s*:");
    private final StdErrAppender appender;
    private final PrintStream original;
    private final List<String> kept = new ArrayList<>();

    LogCapture() {
        appender = (StdErrAppender) ((JettyLogger) LoggerFactory.getLogger("terrarium.request")).getAppender();
        original = appender.getStream();
        appender.setStream(new PrintStream(new LineSink(), true, StandardCharsets.UTF_8));
    }

    /** WARN/ERROR lines and stack-trace lines logged so far. */
    synchronized List<String> problems() {
        return List.copyOf(kept);
    }

    synchronized void clear() {
        kept.clear();
    }

    private synchronized void line(String line) {
        if (LEVEL.matcher(line).find() || line.startsWith("\tat ")
                || line.startsWith("Caused by") || line.matches("^[a-z][\\w.$]*(Exception|Error)\\b.*")) {
            kept.add(line);
        }
    }

    @Override
    public void close() {
        appender.setStream(original);
    }

    private final class LineSink extends OutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                line(buffer.toString(StandardCharsets.UTF_8));
                buffer.reset();
            } else {
                buffer.write(b);
            }
        }
    }
}
