package dev.terrarium.services.logs;

import dev.terrarium.core.service.Daemons;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.s3.S3Service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.zip.GZIPOutputStream;

/**
 * Export tasks: the events of a group (or of its streams with a prefix) in [from, to) written to an S3
 * bucket through the S3 service, in AWS's layout: {prefix}/{taskId}/{logStream}/000000.gz, each a gzip of
 * lines "{ISO-8601 timestamp} {message}", plus the aws-logs-write-test object AWS leaves at the prefix.
 * PENDING, then RUNNING, then COMPLETED (or FAILED) on a worker; one active task per account at a time.
 */
final class ExportTasks implements LogsService.Resettable {
    private static final String TASKS = "export-task";

    private final LogStore store;
    private final Peers peers;
    private final ExecutorService worker = Daemons.single("logs-export");

    ExportTasks(LogStore store, ServiceContext context) {
        this.store = store;
        this.peers = context.peers();
    }

    @Override
    public void reset() {
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    @AwsOperation("CreateExportTask")
    public Struct createExportTask(Call call, Struct in) {
        LogGroup g = store.group(call, in.string("logGroupName"));
        long from = in.longValue("from");
        long to = in.longValue("to");
        if (to < from) {
            throw LogsErrors.invalidParameter("Specified time range of " + from + " and " + to + " is not valid. "
                    + "Please make sure the values are non-negative and the start time is before the end time.");
        }
        S3Service s3 = peers.find("s3", S3Service.class);
        String bucket = in.string("destination");
        if (s3 == null) {
            throw LogsErrors.invalidParameter("The given bucket does not exist. Please make sure the bucket is valid.");
        }
        if (s3.bucketRegion(bucket) == null) {
            throw LogsErrors.invalidParameter("The given bucket does not exist. Please make sure the bucket is valid.");
        }
        Map<String, Struct> tasks = store.records(TASKS, call.account(), call.region());
        String id = UUID.randomUUID().toString();
        String prefix = in.string("destinationPrefix", "exportedlogs");
        synchronized (tasks) {
            if (tasks.values().stream().anyMatch(t -> active(t.struct("status").string("code")))) {
                throw new AwsException("LimitExceededException", "Resource limit exceeded.");
            }
            tasks.put(id, Struct.of("taskId", id, "taskName", in.string("taskName"), "logGroupName", g.name,
                    "from", from, "to", to, "destination", bucket, "destinationPrefix", prefix,
                    "status", Struct.of("code", "PENDING", "message", "Pending"),
                    "executionInfo", Struct.of("creationTime", store.now())));
        }
        String streamPrefix = in.string("logStreamNamePrefix");
        worker.execute(() -> run(tasks, id, s3, g, streamPrefix, from, to, bucket, prefix));
        return Struct.of("taskId", id);
    }

    private static boolean active(String code) {
        return code.equals("PENDING") || code.equals("RUNNING");
    }

    private void run(Map<String, Struct> tasks, String id, S3Service s3, LogGroup g, String streamPrefix,
                     long from, long to, String bucket, String prefix) {
        if (!setStatus(tasks, id, "RUNNING", "Started")) {
            return;
        }
        try {
            s3.putObjectBytes(bucket, prefix + "/aws-logs-write-test",
                    "Permission Check Successful".getBytes(StandardCharsets.UTF_8), "text/plain");
            long retainedFrom = g.retainedFrom(store.now());
            for (LogStream s : g.streams.values()) {
                if (streamPrefix != null && !s.name.startsWith(streamPrefix)) {
                    continue;
                }
                List<LogEvent> events = s.events(from, to, retainedFrom);
                if (events.isEmpty()) {
                    continue;
                }
                StringBuilder text = new StringBuilder();
                for (LogEvent e : events) {
                    text.append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(e.timestamp())))
                            .append(' ').append(e.message(false)).append('\n');
                }
                s3.putObjectBytes(bucket, prefix + "/" + id + "/" + s.name + "/000000.gz", gzip(text.toString()),
                        "application/x-gzip");
            }
            setStatus(tasks, id, "COMPLETED", "Completed successfully");
        } catch (RuntimeException e) {
            setStatus(tasks, id, "FAILED", e.getMessage());
        }
    }

    private boolean setStatus(Map<String, Struct> tasks, String id, String code, String message) {
        synchronized (tasks) {
            Struct t = tasks.get(id);
            if (t == null || !active(t.struct("status").string("code"))) {
                return false;
            }
            Struct updated = t.copy();
            updated.put("status", Struct.of("code", code, "message", message));
            if (!active(code)) {
                Struct info = t.struct("executionInfo").copy();
                info.put("completionTime", store.now());
                updated.put("executionInfo", info);
            }
            tasks.put(id, updated);
            return true;
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @AwsOperation("DescribeExportTasks")
    public Struct describeExportTasks(Call call, Struct in) {
        String taskId = in.string("taskId");
        String code = in.string("statusCode");
        List<Struct> matching = new ArrayList<>(store.records(TASKS, call.account(), call.region()).values().stream()
                .filter(t -> taskId == null || taskId.equals(t.string("taskId")))
                .filter(t -> code == null || code.equals(t.struct("status").string("code"))).toList());
        matching.sort(Comparator.comparing((Struct t) -> -t.struct("executionInfo").longValue("creationTime"))
                .thenComparing(t -> t.string("taskId")));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < matching.size(); i++) {
            keys.add(String.format("%08d", i));
        }
        Pagination.Page<String> page = Pagination.page(keys, k -> k, in.string("nextToken"), in.integer("limit", 50),
                LogsErrors::invalidToken);
        return Struct.of("exportTasks", page.items().stream().map(k -> matching.get(Integer.parseInt(k))).toList(),
                "nextToken", page.nextToken());
    }

    @AwsOperation("CancelExportTask")
    public Struct cancelExportTask(Call call, Struct in) {
        Map<String, Struct> tasks = store.records(TASKS, call.account(), call.region());
        Struct t = tasks.get(in.string("taskId"));
        if (t == null) {
            throw new AwsException("ResourceNotFoundException", "The specified export task does not exist.");
        }
        if (!setStatus(tasks, t.string("taskId"), "CANCELLED", "Cancelled by user")) {
            throw new AwsException("InvalidOperationException", "The specified export task has already finished.");
        }
        return null;
    }
}
