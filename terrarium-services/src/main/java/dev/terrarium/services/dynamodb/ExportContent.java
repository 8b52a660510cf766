package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export writes, line by line, read from the table and what point-in-time recovery keeps of it
 * ({@link PitrHistory}): a full export's items as they were at its ExportTime ({"Item":...}), or an
 * incremental export's changes over its window, compacted to one line per item (Metadata, Keys, NewImage,
 * OldImage). Also the checks of the times an export names, with AWS's messages.
 */
record ExportContent(boolean incremental, List<Map<String, Map<String, AttributeValue>>> lines, long billedBytes) {
    /** AWS bills an incremental export at least 10 MB. */
    static final long INCREMENTAL_MINIMUM_BILLED = 10_000_000L;
    static final Duration SHORTEST_WINDOW = Duration.ofMinutes(15);
    static final Duration LONGEST_WINDOW = Duration.ofHours(24);

    /** A full export's ExportTime: not in the future, not before the table, within the PITR window. */
    static void checkExportTime(Table t, Instant exportTime, Instant now) {
        if (exportTime.isAfter(now) || exportTime.isBefore(t.created().truncatedTo(ChronoUnit.SECONDS))) {
            throw new AwsException("InvalidExportTimeException", "Export Time is invalid");
        }
        Instant earliest = PitrHistory.earliestRestorable(t, now);
        if (earliest == null || exportTime.isBefore(earliest)) {
            throw new AwsException("InvalidExportTimeException", "Point in Time Recovery is not available for specified export time");
        }
    }

    /**
     * An incremental export's window, checked as AWS checks it (every violation is InvalidExportTimeException;
     * the start within the PITR window first), as the description's IncrementalExportSpecification: ExportToTime
     * defaults to now, ExportViewType to NEW_AND_OLD_IMAGES.
     */
    static Struct window(Table t, Struct spec, Instant now) {
        Instant from = spec.timestamp("ExportFromTime");
        Instant to = spec.timestamp("ExportToTime") == null ? now : spec.timestamp("ExportToTime");
        Instant earliest = PitrHistory.earliestRestorable(t, now);
        if (earliest == null || from.isBefore(earliest)) {
            throw new AwsException("InvalidExportTimeException",
                    "Incremental export period from time cannot be less than the table creation time : " + seconds(from));
        }
        if (to.isAfter(now)) {
            throw new AwsException("InvalidExportTimeException",
                    "Incremental export period to time cannot be greater than the current time : " + seconds(to));
        }
        Duration length = Duration.between(from, to);
        if (length.compareTo(SHORTEST_WINDOW) < 0) {
            throw new AwsException("InvalidExportTimeException",
                    "Difference between export period from time and export period to time is less than 15 minutes");
        }
        if (length.compareTo(LONGEST_WINDOW) > 0) {
            throw new AwsException("InvalidExportTimeException",
                    "Difference between export period from time and export period to time is greater than 24 hours");
        }
        return Struct.of("ExportFromTime", from, "ExportToTime", to,
                "ExportViewType", spec.string("ExportViewType", "NEW_AND_OLD_IMAGES"));
    }

    private static String seconds(Instant t) { return t.truncatedTo(ChronoUnit.SECONDS).toString(); }

    /** The table's items at exportTime, one {"Item":...} line each. */
    static ExportContent full(Table t, Instant exportTime) {
        List<Item> items = PitrHistory.itemsAt(t, exportTime);
        List<Map<String, Map<String, AttributeValue>>> lines = new ArrayList<>(items.size());
        long billed = 0;
        for (Item item : items) {
            lines.add(Map.of("Item", item.attributes()));
            billed += item.size();
        }
        return new ExportContent(false, lines, billed);
    }

    /**
     * The changes of [from, to), one line per changed item: Metadata.WriteTimestampMicros of its last change,
     * Keys, NewImage unless it ends deleted, and OldImage (NEW_AND_OLD_IMAGES only) unless it did not exist at
     * the start. An item created and deleted within the window has no line.
     */
    static ExportContent incremental(Table t, Instant from, Instant to, String viewType) {
        List<Map<String, Map<String, AttributeValue>>> lines = new ArrayList<>();
        long billed = 0;
        boolean oldImages = "NEW_AND_OLD_IMAGES".equals(viewType);
        for (PitrHistory.Net net : t.pitrHistory().compacted(from, to)) {
            Map<String, Map<String, AttributeValue>> line = new LinkedHashMap<>();
            line.put("Metadata", Map.of("WriteTimestampMicros", AttributeValue.N.of(String.valueOf(net.last().micros()))));
            line.put("Keys", net.key().asItem(t.schema()));
            if (net.newImage() != null) {
                line.put("NewImage", net.newImage().attributes());
                billed += net.newImage().size();
            }
            if (oldImages && net.oldImage() != null) {
                line.put("OldImage", net.oldImage().attributes());
                billed += net.oldImage().size();
            }
            lines.add(line);
        }
        return new ExportContent(true, lines, Math.max(INCREMENTAL_MINIMUM_BILLED, billed));
    }
}
