package dev.terrarium.services.dynamodb;

import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.Struct;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A table's stream: every change as a record in one shard, numbered in order, kept 24 hours.
 * A disabled stream stays readable (as AWS keeps it) but takes no new records.
 */
public final class StreamLog {
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";
    private static final java.time.format.DateTimeFormatter LABEL =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);

    private final String arn;
    private final String label;
    private final String tableName;
    private final String region;
    private final String viewType;
    private final String shardId;
    private final Clock clock;
    private final Instant created;
    private final List<StreamRecord> records = new ArrayList<>();
    private long nextSequence = 1;
    private volatile boolean enabled = true;

    /** One record and the sequence number it has in its shard. */
    public record StreamRecord(long sequence, Instant at, Struct wire) {
        public String sequenceNumber() { return StreamLog.sequenceNumber(sequence); }
    }

    public StreamLog(String tableArn, String tableName, String region, String viewType, Clock clock) {
        this.created = clock.now();
        this.label = LABEL.format(created);
        this.arn = tableArn + "/stream/" + label;
        this.tableName = tableName;
        this.region = region;
        this.viewType = viewType;
        this.clock = clock;
        this.shardId = "shardId-" + String.format("%020d", created.toEpochMilli()) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public String arn() { return arn; }
    public String label() { return label; }
    public String tableName() { return tableName; }
    public String viewType() { return viewType; }
    public String shardId() { return shardId; }
    public Instant created() { return created; }
    public boolean enabled() { return enabled; }
    public void disable() { enabled = false; }

    public static String sequenceNumber(long n) { return String.format("%021d", n + 100000000000000000L); }

    public static long parseSequence(String s) { return Long.parseLong(s) - 100000000000000000L; }

    public synchronized long firstSequence() {
        trim();
        return records.isEmpty() ? nextSequence : records.get(0).sequence();
    }

    public synchronized long nextSequence() { return nextSequence; }

    void append(KeySchema schema, PrimaryKey key, Item before, Item after, String userIdentity) {
        if (!enabled) {
            return;
        }
        String event = before == null ? "INSERT" : after == null ? "REMOVE" : "MODIFY";
        Instant now = clock.now();
        Struct data = new Struct()
                .put("ApproximateCreationDateTime", Instant.ofEpochSecond(now.getEpochSecond()))
                .put("Keys", AttributeValues.toWire(key.asItem(schema)));
        if (after != null && ("NEW_IMAGE".equals(viewType) || "NEW_AND_OLD_IMAGES".equals(viewType))) {
            data.put("NewImage", AttributeValues.toWire(after.attributes()));
        }
        if (before != null && ("OLD_IMAGE".equals(viewType) || "NEW_AND_OLD_IMAGES".equals(viewType))) {
            data.put("OldImage", AttributeValues.toWire(before.attributes()));
        }
        int size = AttributeValues.itemSize(key.asItem(schema))
                + (data.has("NewImage") ? after.size() : 0) + (data.has("OldImage") ? before.size() : 0);
        synchronized (this) {
            long seq = nextSequence++;
            data.put("SequenceNumber", sequenceNumber(seq)).put("SizeBytes", (long) size).put("StreamViewType", viewType);
            Struct record = Struct.of("eventID", UUID.randomUUID().toString().replace("-", ""),
                    "eventName", event, "eventVersion", "1.1", "eventSource", "aws:dynamodb", "awsRegion", region,
                    "dynamodb", data);
            if (userIdentity != null) {
                record.put("userIdentity", Struct.of("PrincipalId", TTL_PRINCIPAL, "Type", "Service"));
            }
            records.add(new StreamRecord(seq, now, record));
            trim();
        }
    }

    /** Records with sequence >= from, at most limit of them. */
    public synchronized List<StreamRecord> read(long from, int limit) {
        trim();
        List<StreamRecord> out = new ArrayList<>();
        int lo = 0;
        int hi = records.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (records.get(mid).sequence() < from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < records.size() && out.size() < limit; i++) {
            out.add(records.get(i));
        }
        return out;
    }

    private void trim() {
        Instant oldest = clock.now().minus(RETENTION);
        int drop = 0;
        while (drop < records.size() && records.get(drop).at().isBefore(oldest)) {
            drop++;
        }
        if (drop > 0) {
            records.subList(0, drop).clear();
        }
    }
}
