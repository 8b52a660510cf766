package dev.terrarium.core.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Pass/fail/skip counts per direction and protocol, printed and written to target/conformance/summary-*.txt. */
final class ConformanceReport {
    enum Outcome { PASS, FAIL, SKIP }

    private final String direction;
    private final Map<String, AtomicInteger[]> counts = new ConcurrentHashMap<>();

    ConformanceReport(String direction) {
        this.direction = direction;
    }

    void record(String protocol, Outcome outcome) {
        counts.computeIfAbsent(protocol, k -> new AtomicInteger[]{new AtomicInteger(), new AtomicInteger(), new AtomicInteger()})
                [outcome.ordinal()].incrementAndGet();
    }

    String summary() {
        StringBuilder sb = new StringBuilder("conformance " + direction + " (pass/total, skipped):\n");
        new TreeMap<>(counts).forEach((p, c) -> {
            int pass = c[0].get();
            int fail = c[1].get();
            int skip = c[2].get();
            sb.append(String.format("  %-12s %4d/%-4d skipped %d%n", p, pass, pass + fail, skip));
        });
        return sb.toString();
    }

    void write() {
        String s = summary();
        System.out.print(s);
        try {
            Files.createDirectories(Botocore.WORK);
            Files.writeString(Botocore.WORK.resolve("summary-" + direction + ".txt"), s);
        } catch (IOException ignored) {
            // the printed summary is enough
        }
    }
}
