package dev.terrarium.services.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.clock.Clock;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Peers;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.s3.S3Service;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * ExportTableToPointInTime, DescribeExport, ListExports, ImportTable, DescribeImport, ListImports: table
 * data to and from S3 buckets of this server (found through Peers), in AWS's layout.
 * <p>
 * An export writes, under {prefix}/AWSDynamoDB/{exportId}/, a gzip'd data file of DynamoDB JSON or Amazon Ion
 * (one {"Item":{...}} a line; an incremental export's lies in the shared {prefix}/AWSDynamoDB/data/),
 * manifest-files.json (one line per data file), manifest-summary.json (the ExportManifest), each manifest
 * with its .md5, and an empty _started. Work runs within the call (the answer says IN_PROGRESS as AWS's does;
 * Describe then says COMPLETED or FAILED). The content of an export (the items at a past ExportTime, the
 * changes of an incremental window) comes from {@link ExportContent}, out of what PITR keeps.
 * <p>
 * An import creates the table and reads every object under the prefix (DynamoDB JSON, Amazon Ion or CSV,
 * gunzipped when InputCompressionType is GZIP); a value that is not a valid item is counted in ErrorCount and
 * fails the import with ItemValidationError, the valid items staying imported, as on AWS.
 */
public final class ExportsAndImports {
    private final Tables tables;
    private final ControlPlane control;
    private final Clock clock;
    private final Peers peers;
    private final Map<String, Struct> exports = new ConcurrentHashMap<>();
    private final Map<String, Struct> imports = new ConcurrentHashMap<>();

    ExportsAndImports(Tables tables, ControlPlane control, Clock clock, Peers peers) {
        this.tables = tables;
        this.control = control;
        this.clock = clock;
        this.peers = peers;
    }

    void clear() {
        exports.clear();
        imports.clear();
    }

    private S3Service s3() { return peers == null ? null : peers.findStarted("s3", S3Service.class); }

    /** An export's or import's id as AWS makes them: the start in epoch milliseconds (14 digits), a dash, 8 hex. */
    private static String newId(Instant start) {
        return String.format("%014d", start.toEpochMilli()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- exports

    @AwsOperation("ExportTableToPointInTime")
    public Struct exportTableToPointInTime(Call call, Struct in) {
        String tableArn = in.string("TableArn");
        if (!tableArn.startsWith("arn:")) {
            throw Errors.invalidParameter("tableArn is not a valid ARN");
        }
        Table t = tables.find(call.account(), call.region(), tableArn);
        if (t == null) {
            throw new AwsException("TableNotFoundException", "Table not found: " + tableArn);
        }
        String exportType = in.string("ExportType");
        Struct spec = in.struct("IncrementalExportSpecification");
        boolean incremental = "INCREMENTAL_EXPORT".equals(exportType);
        if (spec != null && exportType == null) {
            throw Errors.validation("Invalid Request: Export Type expected to be Incremental Export when incremental export specification is provided");
        }
        if (spec != null && !incremental) {
            throw Errors.validation("Invalid Request: When Export Type is Full Export , Incremental Export Specification should not be provided");
        }
        if (incremental && spec == null) {
            throw Errors.validation("Invalid Request: Incremental Export Specification expected when export type is set as Incremental Export");
        }
        if (incremental && spec.timestamp("ExportFromTime") == null) {
            throw Errors.validation("Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification");
        }
        Instant now = clock.now();
        Instant exportTime = null;
        Struct window = null;
        if (incremental) {
            window = ExportContent.window(t, spec, now);
        } else {
            if (!t.settings.pointInTimeRecovery) {
                throw new AwsException("PointInTimeRecoveryUnavailableException",
                        "Point in time recovery is not enabled for table '" + t.name() + "'");
            }
            exportTime = in.timestamp("ExportTime") == null ? now : in.timestamp("ExportTime");
            ExportContent.checkExportTime(t, exportTime, now);
        }
        String format = in.string("ExportFormat", "DYNAMODB_JSON");
        String token = in.string("ClientToken");
        if (token != null) {
            for (Struct e : exports.values()) {
                if (token.equals(e.string("ClientToken"))) {
                    if (t.arn().equals(e.string("TableArn")) && Objects.equals(in.string("S3Bucket"), e.string("S3Bucket"))
                            && Objects.equals(in.string("S3Prefix"), e.string("S3Prefix"))
                            && Objects.equals(format, e.string("ExportFormat"))
                            && Objects.equals(incremental ? "INCREMENTAL_EXPORT" : "FULL_EXPORT", e.string("ExportType"))
                            && sameWindow(spec, e.struct("IncrementalExportSpecification"))) {
                        return Struct.of("ExportDescription", e);
                    }
                    throw new AwsException("ExportConflictException", "Export conflict: Duplicate request detected with conflicting parameters");
                }
            }
        }
        String id = newId(now);
        String arn = t.arn() + "/export/" + id;
        String bucket = in.string("S3Bucket");
        String prefix = in.string("S3Prefix");
        String root = (prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/") + "AWSDynamoDB/";
        Struct d = Struct.of("ExportArn", arn, "ExportStatus", "IN_PROGRESS", "StartTime", now, "TableArn", t.arn(),
                "TableId", t.id(), "ExportTime", exportTime, "ClientToken", token, "S3Bucket", bucket,
                "S3BucketOwner", in.string("S3BucketOwner"), "S3Prefix", prefix,
                "S3SseAlgorithm", in.string("S3SseAlgorithm", "AES256"), "S3SseKmsKeyId", in.string("S3SseKmsKeyId"),
                "ExportFormat", format, "ExportType", incremental ? "INCREMENTAL_EXPORT" : "FULL_EXPORT",
                "IncrementalExportSpecification", window);
        Struct answer = d.copy();
        S3Service s3 = s3();
        if (s3 == null || s3.bucketRegion(bucket) == null) {
            d.put("ExportStatus", "FAILED").put("FailureCode", "S3NoSuchBucket")
                    .put("FailureMessage", "The specified bucket does not exist").put("EndTime", clock.now());
        } else {
            ExportContent content = incremental
                    ? ExportContent.incremental(t, window.timestamp("ExportFromTime"), window.timestamp("ExportToTime"),
                            window.string("ExportViewType"))
                    : ExportContent.full(t, exportTime);
            write(s3, t, d, root, id, content);
        }
        exports.put(arn, d);
        return Struct.of("ExportDescription", answer);
    }

    /** Whether a replayed request asks for the window an export has (an omitted ExportToTime asks for any). */
    private static boolean sameWindow(Struct asked, Struct kept) {
        if (asked == null || kept == null) {
            return asked == null && kept == null;
        }
        return Objects.equals(asked.timestamp("ExportFromTime"), kept.timestamp("ExportFromTime"))
                && (asked.timestamp("ExportToTime") == null || asked.timestamp("ExportToTime").equals(kept.timestamp("ExportToTime")))
                && asked.string("ExportViewType", "NEW_AND_OLD_IMAGES").equals(kept.string("ExportViewType"));
    }

    /**
     * Writes AWS's layout and completes the description: under {prefix}/AWSDynamoDB/{exportId}/ the manifests
     * (each with its .md5) and an empty _started; the data file in that folder's data/ for a full export, in
     * the data/ folder that incremental exports share ({prefix}/AWSDynamoDB/data/) for an incremental one.
     */
    private void write(S3Service s3, Table t, Struct d, String root, String id, ExportContent content) {
        String bucket = d.string("S3Bucket");
        String base = root + id + "/";
        s3.putObjectBytes(bucket, base + "_started", new byte[0], "application/octet-stream");
        boolean ion = "ION".equals(d.string("ExportFormat"));
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(raw)) {
            for (Map<String, Map<String, AttributeValue>> line : content.lines()) {
                if (ion) {
                    gz.write(IonItems.line(line).getBytes(StandardCharsets.UTF_8));
                } else {
                    ObjectNode node = DynamoJson.MAPPER.createObjectNode();
                    line.forEach((name, item) -> node.set(name, DynamoJson.item(item)));
                    gz.write(DynamoJson.MAPPER.writeValueAsBytes(node));
                }
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] data = raw.toByteArray();
        String dataKey = (content.incremental() ? root : base) + "data/"
                + dataFileName() + (ion ? ".ion.gz" : ".json.gz");
        s3.putObjectBytes(bucket, dataKey, data, "application/octet-stream");
        long count = content.lines().size();

        ObjectNode file = DynamoJson.MAPPER.createObjectNode();
        file.put("itemCount", count).put("md5Checksum", Base64.getEncoder().encodeToString(md5(data)))
                .put("etag", HexFormat.of().formatHex(md5(data))).put("dataFileS3Key", dataKey);
        byte[] files = (file + "\n").getBytes(StandardCharsets.UTF_8);
        String filesKey = base + "manifest-files.json";
        s3.putObjectBytes(bucket, filesKey, files, "application/json");
        s3.putObjectBytes(bucket, base + "manifest-files.md5", hex(files), "text/plain");

        Instant end = clock.now();
        ObjectNode summary = DynamoJson.MAPPER.createObjectNode();
        summary.put("version", content.incremental() ? "2023-08-01" : "2020-06-30").put("exportArn", d.string("ExportArn"))
                .put("startTime", iso(d.timestamp("StartTime"))).put("endTime", iso(end))
                .put("tableArn", t.arn()).put("tableId", t.id());
        if (content.incremental()) {
            Struct window = d.struct("IncrementalExportSpecification");
            summary.put("exportFromTime", iso(window.timestamp("ExportFromTime")))
                    .put("exportToTime", iso(window.timestamp("ExportToTime")));
        } else {
            summary.put("exportTime", iso(d.timestamp("ExportTime")));
        }
        summary.put("s3Bucket", bucket).put("s3Prefix", d.string("S3Prefix"))
                .put("s3SseAlgorithm", d.string("S3SseAlgorithm")).put("s3SseKmsKeyId", d.string("S3SseKmsKeyId"))
                .put("manifestFilesS3Key", filesKey).put("billedSizeBytes", content.billedBytes()).put("itemCount", count)
                .put("outputFormat", d.string("ExportFormat"));
        if (content.incremental()) {
            summary.put("outputView", d.struct("IncrementalExportSpecification").string("ExportViewType"))
                    .put("exportType", "INCREMENTAL_EXPORT");
        }
        byte[] summaryBytes = summary.toString().getBytes(StandardCharsets.UTF_8);
        String summaryKey = base + "manifest-summary.json";
        s3.putObjectBytes(bucket, summaryKey, summaryBytes, "application/json");
        s3.putObjectBytes(bucket, base + "manifest-summary.md5", hex(summaryBytes), "text/plain");
        d.put("ExportStatus", "COMPLETED").put("EndTime", end).put("ExportManifest", summaryKey)
                .put("BilledSizeBytes", content.billedBytes()).put("ItemCount", count);
    }

    /** A data file's name as AWS's look: 26 characters of lower-case base32. */
    private static String dataFileName() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        StringBuilder name = new StringBuilder(26);
        for (int i = 0; i < 26; i++) {
            name.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return name.toString();
    }

    /** A manifest's time: ISO 8601 in milliseconds, as AWS writes them. */
    private static String iso(Instant t) { return t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(); }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hex(byte[] data) { return HexFormat.of().formatHex(md5(data)).getBytes(StandardCharsets.UTF_8); }

    @AwsOperation("DescribeExport")
    public Struct describeExport(Call call, Struct in) {
        if (!in.string("ExportArn").contains("/export/")) {
            throw Errors.validation("Invalid Export ARN");
        }
        Struct d = exports.get(in.string("ExportArn"));
        if (d == null || !d.string("TableArn").contains(":" + call.account() + ":")) {
            throw new AwsException("ExportNotFoundException", "Export not found: Export not found: " + in.string("ExportArn"));
        }
        return Struct.of("ExportDescription", d);
    }

    @AwsOperation("ListExports")
    public Struct listExports(Call call, Struct in) {
        String tableArn = in.string("TableArn");
        List<Struct> matching = new ArrayList<>();
        for (Struct d : exports.values()) {
            String arn = d.string("TableArn");
            if (arn.contains(":" + call.region() + ":" + call.account() + ":") && (tableArn == null || tableArn.equals(arn))) {
                matching.add(d);
            }
        }
        matching.sort((a, b) -> a.string("ExportArn").compareTo(b.string("ExportArn")));
        Page page = page(matching, "ExportArn", in.string("NextToken"), in.integer("MaxResults", 25));
        List<Object> out = new ArrayList<>();
        for (Struct d : page.items()) {
            out.add(Struct.of("ExportArn", d.string("ExportArn"), "ExportStatus", d.string("ExportStatus"),
                    "ExportType", d.string("ExportType")));
        }
        return Struct.of("ExportSummaries", out, "NextToken", page.next());
    }

    private record Page(List<Struct> items, String next) {
    }

    /** Items after the one whose key member is the token, at most limit; the token is the last one's key. */
    private static Page page(List<Struct> sorted, String keyMember, String token, int limit) {
        List<Struct> out = new ArrayList<>();
        for (Struct d : sorted) {
            if (token != null && d.string(keyMember).compareTo(token) <= 0) {
                continue;
            }
            if (out.size() == limit) {
                return new Page(out, out.get(limit - 1).string(keyMember));
            }
            out.add(d);
        }
        return new Page(out, null);
    }

    // ---- imports

    @AwsOperation("ImportTable")
    public Struct importTable(Call call, Struct in) {
        String format = in.string("InputFormat");
        if (!"CSV".equals(format) && in.struct("InputFormatOptions") != null && in.struct("InputFormatOptions").has("Csv")) {
            throw Errors.validation("Invalid Request: Unsupported InputFormatOptions for the given input format: " + format + ".");
        }
        String compression = in.string("InputCompressionType", "NONE");
        if ("ZSTD".equals(compression)) {
            throw Errors.validation("Terrarium reads GZIP and NONE only; InputCompressionType ZSTD is not supported");
        }
        Struct params = in.struct("TableCreationParameters");
        Struct source = in.struct("S3BucketSource");
        String token = in.string("ClientToken");
        if (token != null) {
            for (Struct d : imports.values()) {
                if (token.equals(d.string("ClientToken")) && d.string("ImportArn").contains(":" + call.account() + ":")) {
                    return Struct.of("ImportTableDescription", d);
                }
            }
        }
        S3Service s3 = s3();
        String bucket = source.string("S3Bucket");
        Instant start = clock.now();
        if (s3 == null || s3.bucketRegion(bucket) == null) {
            String tableArn = "arn:aws:dynamodb:" + call.region() + ":" + call.account() + ":table/" + params.string("TableName");
            Struct d = description(tableArn + "/import/" + newId(start), tableArn, null, in, start)
                    .put("ImportStatus", "FAILED").put("FailureCode", "S3NoSuchBucket")
                    .put("FailureMessage", "The specified bucket does not exist").put("EndTime", clock.now());
            imports.put(d.string("ImportArn"), d);
            return Struct.of("ImportTableDescription", d);
        }
        Struct create = new Struct();
        for (String member : List.of("TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput",
                "OnDemandThroughput", "SSESpecification", "GlobalSecondaryIndexes")) {
            if (params.has(member)) {
                create.put(member, params.get(member));
            }
        }
        control.createTable(call, create);
        Table t = tables.require(call.account(), call.region(), params.string("TableName"));
        Struct d = description(t.arn() + "/import/" + newId(start), t.arn(), t.id(), in, start);
        long processedBytes = 0;
        ImportCounts counts = new ImportCounts(t);
        for (String key : s3.listKeys(bucket, source.string("S3KeyPrefix"))) {
            byte[] content = s3.readObject(bucket, key, null);
            processedBytes += content.length;
            if (content.length == 0) {
                continue;
            }
            byte[] data = "GZIP".equals(compression) ? gunzip(content) : content;
            if (data == null) {
                counts.error();
            } else if ("ION".equals(format)) {
                IonItems.read(new ByteArrayInputStream(data), counts);
            } else if ("CSV".equals(format)) {
                readCsv(t, data, in.struct("InputFormatOptions"), counts);
            } else {
                readJson(data, counts);
            }
        }
        d.put("ImportStatus", "COMPLETED").put("EndTime", clock.now()).put("ProcessedSizeBytes", processedBytes)
                .put("ProcessedItemCount", counts.processed).put("ImportedItemCount", counts.imported)
                .put("ErrorCount", counts.errors);
        if (counts.errors > 0) {
            d.put("ImportStatus", "FAILED").put("FailureCode", "ItemValidationError").put("FailureMessage",
                    "Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.");
        }
        imports.put(d.string("ImportArn"), d);
        return Struct.of("ImportTableDescription", d.copy().put("ImportStatus", "IN_PROGRESS").put("EndTime", null));
    }

    private static Struct description(String importArn, String tableArn, String tableId, Struct in, Instant start) {
        return Struct.of("ImportArn", importArn, "ImportStatus", "IN_PROGRESS", "TableArn", tableArn, "TableId", tableId,
                "ClientToken", in.string("ClientToken"), "S3BucketSource", in.struct("S3BucketSource"),
                "ErrorCount", 0L, "CloudWatchLogGroupArn", "arn:aws:logs:" + tableArn.split(":")[3] + ":" + tableArn.split(":")[4]
                        + ":log-group:/aws-dynamodb/imports:*",
                "InputFormat", in.string("InputFormat"), "InputFormatOptions", in.struct("InputFormatOptions"),
                "InputCompressionType", in.string("InputCompressionType", "NONE"),
                "TableCreationParameters", in.struct("TableCreationParameters"), "StartTime", start);
    }

    private static List<String> lines(byte[] data) {
        return new ArrayList<>(List.of(new String(data, StandardCharsets.UTF_8).split("\r?\n")));
    }

    /** A GZIP object's content, or null when it is not gzip (the whole object is then one error, as on AWS). */
    private static byte[] gunzip(byte[] content) {
        try {
            return new GZIPInputStream(new ByteArrayInputStream(content)).readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** DynamoDB JSON lines: a line that is not JSON ends the object (one error); one that is not an item is one error. */
    private static void readJson(byte[] data, ImportCounts counts) {
        for (String line : lines(data)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = DynamoJson.MAPPER.readTree(line);
            } catch (IOException e) {
                counts.error();
                return;
            }
            try {
                counts.attributes(DynamoJson.parseItem(node.get("Item")));
            } catch (RuntimeException e) {
                counts.error();
            }
        }
    }

    /** CSV lines under the header of the options or of the object's first line. */
    private static void readCsv(Table t, byte[] data, Struct options, ImportCounts counts) {
        List<String> lines = lines(data);
        Struct csv = options == null ? null : options.struct("Csv");
        String delimiter = csv == null ? "," : csv.string("Delimiter", ",");
        List<String> header = csv == null ? null : csv.strings("HeaderList");
        if (header == null && !lines.isEmpty()) {
            header = Csv.split(lines.remove(0), delimiter);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                counts.attributes(csvItem(t, header, Csv.split(line, delimiter)));
            } catch (RuntimeException e) {
                counts.error();
            }
        }
    }

    /** Writes an import's items into its new table, counting them as DescribeImport reports. */
    private static final class ImportCounts implements IonItems.Sink {
        private final Table table;
        long processed;
        long imported;
        long errors;

        ImportCounts(Table table) { this.table = table; }

        void attributes(Map<String, AttributeValue> attributes) { item(AttributeValues.toWire(attributes)); }

        @Override
        public void item(Map<String, Object> wire) {
            processed++;
            try {
                Item item = ItemWrites.newItem(table, wire);
                table.write(table.schema().keyOfItem(item.attributes()), old -> item, null);
                imported++;
            } catch (RuntimeException e) {
                errors++;
            }
        }

        @Override
        public void error() {
            processed++;
            errors++;
        }
    }

    /** A CSV line as an item: key attributes with their defined types, every other value a string (as AWS imports). */
    private static Map<String, AttributeValue> csvItem(Table t, List<String> header, List<String> values) {
        Map<String, Object> wire = new java.util.LinkedHashMap<>();
        for (int i = 0; i < header.size() && i < values.size(); i++) {
            String name = header.get(i);
            String value = values.get(i);
            String type = "S";
            for (Struct def : t.attributeDefinitions()) {
                if (def.string("AttributeName").equals(name)) {
                    type = def.string("AttributeType");
                }
            }
            if (value.isEmpty() && !"S".equals(type)) {
                continue;
            }
            wire.put(name, "B".equals(type) ? Struct.of("B", Base64.getDecoder().decode(value)) : Struct.of(type, value));
        }
        return AttributeValues.fromWire(wire);
    }

    @AwsOperation("DescribeImport")
    public Struct describeImport(Call call, Struct in) {
        Struct d = imports.get(in.string("ImportArn"));
        if (d == null || !d.string("ImportArn").contains(":" + call.account() + ":")) {
            throw new AwsException("ImportNotFoundException", "Import not found: " + in.string("ImportArn"));
        }
        return Struct.of("ImportTableDescription", d);
    }

    @AwsOperation("ListImports")
    public Struct listImports(Call call, Struct in) {
        String tableArn = in.string("TableArn");
        List<Struct> matching = new ArrayList<>();
        for (Struct d : imports.values()) {
            String arn = d.string("TableArn");
            if (arn.contains(":" + call.region() + ":" + call.account() + ":") && (tableArn == null || tableArn.equals(arn))) {
                matching.add(d);
            }
        }
        matching.sort((a, b) -> a.string("ImportArn").compareTo(b.string("ImportArn")));
        Page page = page(matching, "ImportArn", in.string("NextToken"), in.integer("PageSize", 25));
        List<Object> out = new ArrayList<>();
        for (Struct d : page.items()) {
            out.add(Struct.of("ImportArn", d.string("ImportArn"), "ImportStatus", d.string("ImportStatus"),
                    "TableArn", d.string("TableArn"), "S3BucketSource", d.struct("S3BucketSource"),
                    "CloudWatchLogGroupArn", d.string("CloudWatchLogGroupArn"), "InputFormat", d.string("InputFormat"),
                    "StartTime", d.timestamp("StartTime"), "EndTime", d.timestamp("EndTime")));
        }
        return Struct.of("ImportSummaryList", out, "NextToken", page.next());
    }

    /** RFC 4180 fields of one line: quoted fields may hold the delimiter and doubled quotes. */
    static final class Csv {
        private Csv() {
        }

        static List<String> split(String line, String delimiter) {
            char d = delimiter.isEmpty() ? ',' : delimiter.charAt(0);
            List<String> out = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == d) {
                    out.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            out.add(field.toString());
            return out;
        }
    }
}
