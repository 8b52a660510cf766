package dev.terrarium.core.robustness;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The capture the robustness tests rely on does see server errors and stack traces (and ignores INFO). */
class LogCaptureTest {
    @Test
    void seesErrorsWarningsAndStackTracesButNotInfo() {
        Logger log = LoggerFactory.getLogger("terrarium.request");
        try (LogCapture capture = new LogCapture()) {
            log.info("sqs SendMessage 200 1ms");
            assertThat(capture.problems()).isEmpty();
            log.warn("something odd");
            log.error("sqs SendMessage failed", new IllegalStateException("boom"));
            assertThat(capture.problems()).anyMatch(l -> l.contains("something odd"))
                    .anyMatch(l -> l.contains("sqs SendMessage failed"))
                    .anyMatch(l -> l.startsWith("\tat "));
            LoggerFactory.getLogger("org.eclipse.jetty.server.Server").warn("from jetty");
            assertThat(capture.problems()).anyMatch(l -> l.contains("from jetty"));
        }
    }
}
