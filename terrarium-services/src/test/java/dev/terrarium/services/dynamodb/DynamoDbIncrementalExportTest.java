package dev.terrarium.services.dynamodb;

import com.amazon.ion.IonDecimal;
import com.amazon.ion.IonStruct;
import com.amazon.ion.IonSystem;
import com.amazon.ion.IonValue;
import com.amazon.ion.system.IonSystemBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.ExportViewType;
import software.amazon.awssdk.services.dynamodb.model.IncrementalExportSpecification;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ExportType INCREMENTAL_EXPORT and full exports at a past ExportTime, from what point-in-time recovery keeps,
 * on the virtual clock.
 */
class DynamoDbIncrementalExportTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true)).resetBeforeEach();
    private static final IonSystem ION = IonSystemBuilder.standard().build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DynamoDbClient ddb;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
        s3 = terrarium.client(() -> S3Client.builder().forcePathStyle(true));
    }

    private static Instant now() { return terrarium.server().clock().now(); }

    private static void advance(Duration d) { terrarium.server().clock().advance(d); }

    private static Map<String, AttributeValue> item(String pk, String v) { return Map.of("pk", s(pk), "v", n(v)); }

    private static void put(Map<String, AttributeValue> item) { ddb.putItem(b -> b.tableName("Orders").item(item)); }

    /** The times of the scenario: changes before, within and after a 20-minute window. */
    private record Scenario(String tableArn, Instant enabled, Instant from, Instant to, Instant lastWriteInWindow) {
    }

    /**
     * a, b, c exist before the window; in it a is changed twice, b deleted, d created, e created and deleted;
     * after it d changes again.
     */
    private static Scenario scenario() {
        createTable(ddb, "Orders", null);
        ddb.updateContinuousBackups(b -> b.tableName("Orders").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        Instant enabled = now();
        put(item("a", "1"));
        put(item("b", "1"));
        put(item("c", "1"));
        advance(Duration.ofMinutes(20));
        Instant from = now().truncatedTo(ChronoUnit.MILLIS);
        put(item("a", "2"));
        advance(Duration.ofSeconds(1));
        put(item("d", "1"));
        advance(Duration.ofSeconds(1));
        ddb.deleteItem(b -> b.tableName("Orders").key(Map.of("pk", s("b"))));
        put(item("e", "1"));
        advance(Duration.ofSeconds(1));
        ddb.deleteItem(b -> b.tableName("Orders").key(Map.of("pk", s("e"))));
        advance(Duration.ofSeconds(1));
        ddb.updateItem(b -> b.tableName("Orders").key(Map.of("pk", s("a"))).updateExpression("SET v = :v, w = :w")
                .expressionAttributeValues(Map.of(":v", n("3"), ":w", s("x"))));
        Instant lastWrite = now();
        advance(Duration.ofMinutes(20));
        Instant to = now().truncatedTo(ChronoUnit.MILLIS);
        put(item("d", "2"));
        advance(Duration.ofMinutes(1));
        String arn = ddb.describeTable(b -> b.tableName("Orders")).table().tableArn();
        return new Scenario(arn, enabled, from, to, lastWrite);
    }

    private static long micros(Instant t) { return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000; }

    private static ExportDescription export(Consumer<ExportTableToPointInTimeRequest.Builder> request) {
        ExportDescription started = ddb.exportTableToPointInTime(request).exportDescription();
        return ddb.describeExport(b -> b.exportArn(started.exportArn())).exportDescription();
    }

    private static String dataOf(ExportDescription done) throws IOException {
        JsonNode summary = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket("exports").key(done.exportManifest())).asUtf8String());
        JsonNode file = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket("exports").key(summary.get("manifestFilesS3Key").asText()))
                .asUtf8String());
        byte[] gz = s3.getObjectAsBytes(b -> b.bucket("exports").key(file.get("dataFileS3Key").asText())).asByteArray();
        return new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Map<String, JsonNode> linesByKey(String data) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (String line : data.split("\n")) {
            JsonNode node = JSON.readTree(line);
            out.put(node.get("Keys").get("pk").get("S").asText(), node);
        }
        return out;
    }

    @Test
    void incrementalExportWritesEachChangedItemOnceWithItsImagesAtTheWindowsEnds() throws IOException {
        Scenario sc = scenario();
        s3.createBucket(b -> b.bucket("exports"));
        ExportDescription done = export(b -> b.tableArn(sc.tableArn()).s3Bucket("exports").s3Prefix("cdc")
                .exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(i -> i.exportFromTime(sc.from()).exportToTime(sc.to())));
        assertThat(done.exportStatusAsString()).isEqualTo("COMPLETED");
        assertThat(done.exportType()).isEqualTo(ExportType.INCREMENTAL_EXPORT);
        assertThat(done.incrementalExportSpecification()).isEqualTo(IncrementalExportSpecification.builder()
                .exportFromTime(sc.from()).exportToTime(sc.to()).exportViewType(ExportViewType.NEW_AND_OLD_IMAGES).build());
        assertThat(done.exportTime()).isNull();
        assertThat(done.itemCount()).as("a, b, d; e was created and deleted within the window").isEqualTo(3L);
        assertThat(done.billedSizeBytes()).as("AWS bills at least 10 MB").isEqualTo(10_000_000L);

        String id = done.exportArn().substring(done.exportArn().lastIndexOf('/') + 1);
        String base = "cdc/AWSDynamoDB/" + id + "/";
        assertThat(done.exportManifest()).isEqualTo(base + "manifest-summary.json");
        List<String> keys = s3.listObjectsV2(b -> b.bucket("exports").prefix("cdc/")).contents().stream().map(S3Object::key).toList();
        assertThat(keys).contains(base + "manifest-summary.json", base + "manifest-files.json", base + "manifest-summary.md5",
                base + "manifest-files.md5", base + "_started");
        assertThat(keys).filteredOn(k -> k.startsWith("cdc/AWSDynamoDB/data/")).as("the data folder incremental exports share")
                .singleElement().asString().endsWith(".json.gz");
        JsonNode summary = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket("exports").key(base + "manifest-summary.json")).asUtf8String());
        assertThat(summary.get("exportType").asText()).isEqualTo("INCREMENTAL_EXPORT");
        assertThat(summary.get("outputView").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(summary.get("outputFormat").asText()).isEqualTo("DYNAMODB_JSON");
        assertThat(Instant.parse(summary.get("exportFromTime").asText())).isEqualTo(sc.from());
        assertThat(Instant.parse(summary.get("exportToTime").asText())).isEqualTo(sc.to());
        assertThat(summary.get("itemCount").asLong()).isEqualTo(3);

        Map<String, JsonNode> lines = linesByKey(dataOf(done));
        assertThat(lines).containsOnlyKeys("a", "b", "d");
        JsonNode a = lines.get("a");
        assertThat(a.fieldNames()).toIterable().containsExactly("Metadata", "Keys", "NewImage", "OldImage");
        assertThat(a.get("Metadata").get("WriteTimestampMicros").get("N").asLong()).isEqualTo(micros(sc.lastWriteInWindow()));
        assertThat(a.get("Keys").toString()).isEqualTo("{\"pk\":{\"S\":\"a\"}}");
        assertThat(a.get("OldImage").get("v").get("N").asText()).as("the image at the window's start").isEqualTo("1");
        assertThat(a.get("NewImage").get("v").get("N").asText()).as("the image at its end").isEqualTo("3");
        assertThat(a.get("NewImage").get("w").get("S").asText()).isEqualTo("x");
        JsonNode b = lines.get("b");
        assertThat(b.fieldNames()).toIterable().as("a deletion").containsExactly("Metadata", "Keys", "OldImage");
        JsonNode d = lines.get("d");
        assertThat(d.fieldNames()).toIterable().as("an insertion").containsExactly("Metadata", "Keys", "NewImage");
        assertThat(d.get("NewImage").get("v").get("N").asText()).as("the change after the window is not in it").isEqualTo("1");

        ExportDescription newOnly = export(r -> r.tableArn(sc.tableArn()).s3Bucket("exports").s3Prefix("cdc")
                .exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(i -> i.exportFromTime(sc.from()).exportToTime(sc.to()).exportViewType(ExportViewType.NEW_IMAGE)));
        Map<String, JsonNode> newLines = linesByKey(dataOf(newOnly));
        assertThat(newLines.get("a").fieldNames()).toIterable().containsExactly("Metadata", "Keys", "NewImage");
        assertThat(newLines.get("b").fieldNames()).toIterable().as("a deletion: keys only").containsExactly("Metadata", "Keys");
        assertThat(s3.listObjectsV2(r -> r.bucket("exports").prefix("cdc/AWSDynamoDB/data/")).contents()).hasSize(2);

        Consumer<ExportTableToPointInTimeRequest.Builder> tokened = r -> r.tableArn(sc.tableArn()).s3Bucket("exports").clientToken("cdc-1")
                .exportType(ExportType.INCREMENTAL_EXPORT).incrementalExportSpecification(i -> i.exportFromTime(sc.from()).exportToTime(sc.to()));
        String first = ddb.exportTableToPointInTime(tokened).exportDescription().exportArn();
        assertThat(ddb.exportTableToPointInTime(tokened).exportDescription().exportArn()).as("an identical replay").isEqualTo(first);
        fails(() -> ddb.exportTableToPointInTime(r -> r.tableArn(sc.tableArn()).s3Bucket("exports").clientToken("cdc-1")
                        .exportType(ExportType.INCREMENTAL_EXPORT).incrementalExportSpecification(i -> i.exportFromTime(sc.from())
                                .exportToTime(sc.to()).exportViewType(ExportViewType.NEW_IMAGE))),
                "ExportConflictException", "Export conflict: Duplicate request detected with conflicting parameters");
        fails(() -> ddb.exportTableToPointInTime(r -> r.tableArn(sc.tableArn()).s3Bucket("exports").clientToken("cdc-1")),
                "ExportConflictException", "Export conflict: Duplicate request detected with conflicting parameters");
    }

    @Test
    void incrementalIonExportAndADefaultExportToTime() throws IOException {
        Scenario sc = scenario();
        s3.createBucket(b -> b.bucket("exports"));
        ExportDescription done = export(b -> b.tableArn(sc.tableArn()).s3Bucket("exports").exportFormat(ExportFormat.ION)
                .exportType(ExportType.INCREMENTAL_EXPORT).incrementalExportSpecification(i -> i.exportFromTime(sc.from())));
        assertThat(done.incrementalExportSpecification().exportToTime()).as("now").isEqualTo(now().truncatedTo(ChronoUnit.MILLIS));
        assertThat(done.itemCount()).as("a, b, d (its later change included)").isEqualTo(3L);
        String data = dataOf(done);
        assertThat(data.split("\n")).allSatisfy(line -> assertThat(line).startsWith("$ion_1_0 {Metadata:{WriteTimestampMicros:"));
        Map<String, IonStruct> byKey = new HashMap<>();
        for (IonValue v : ION.getLoader().load(data)) {
            IonStruct line = (IonStruct) v;
            byKey.put(((com.amazon.ion.IonText) ((IonStruct) line.get("Keys")).get("pk")).stringValue(), line);
        }
        assertThat(byKey).containsOnlyKeys("a", "b", "d");
        IonStruct d = byKey.get("d");
        assertThat(((IonDecimal) ((IonStruct) d.get("NewImage")).get("v")).bigDecimalValue()).isEqualByComparingTo("2");
        assertThat(d.containsKey("OldImage")).isFalse();
        assertThat(((IonDecimal) ((IonStruct) d.get("Metadata")).get("WriteTimestampMicros")).bigDecimalValue().longValueExact())
                .isGreaterThanOrEqualTo(micros(sc.to()));
        assertThat(byKey.get("b").containsKey("NewImage")).isFalse();
        assertThat(byKey.get("b").containsKey("OldImage")).isTrue();
    }

    @Test
    void fullExportAtAPastExportTimeRewindsTheChangesMadeSince() throws IOException {
        Scenario sc = scenario();
        s3.createBucket(b -> b.bucket("exports"));
        ExportDescription before = export(b -> b.tableArn(sc.tableArn()).s3Bucket("exports").exportTime(sc.from()));
        assertThat(before.exportTime()).isEqualTo(sc.from());
        Map<String, String> items = new HashMap<>();
        for (String line : dataOf(before).split("\n")) {
            JsonNode item = JSON.readTree(line).get("Item");
            items.put(item.get("pk").get("S").asText(), item.get("v").get("N").asText());
        }
        assertThat(items).isEqualTo(Map.of("a", "1", "b", "1", "c", "1"));
        ExportDescription latest = export(b -> b.tableArn(sc.tableArn()).s3Bucket("exports"));
        assertThat(latest.itemCount()).as("a, c, d now").isEqualTo(3L);

        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(sc.tableArn()).s3Bucket("exports").exportTime(now().plusSeconds(5))),
                "InvalidExportTimeException", "Export Time is invalid");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(sc.tableArn()).s3Bucket("exports")
                        .exportTime(sc.enabled().minus(Duration.ofHours(1)))),
                "InvalidExportTimeException", "Export Time is invalid");
        createTable(ddb, "Later", null);
        advance(Duration.ofMinutes(5));
        Instant beforeEnabling = now();
        advance(Duration.ofMinutes(5));
        ddb.updateContinuousBackups(b -> b.tableName("Later").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        String later = ddb.describeTable(b -> b.tableName("Later")).table().tableArn();
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(later).s3Bucket("exports").exportTime(beforeEnabling)),
                "InvalidExportTimeException", "Point in Time Recovery is not available for specified export time");
    }

    @Test
    void restoreToPointInTimeReadsTheSameHistory() {
        Scenario sc = scenario();
        PointInTimeRecoveryDescription pitr = ddb.describeContinuousBackups(b -> b.tableName("Orders"))
                .continuousBackupsDescription().pointInTimeRecoveryDescription();
        assertThat(pitr.earliestRestorableDateTime()).isEqualTo(sc.enabled().truncatedTo(ChronoUnit.SECONDS));
        assertThat(pitr.latestRestorableDateTime()).isEqualTo(now().truncatedTo(ChronoUnit.MILLIS));
        ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("AtFrom").restoreDateTime(sc.from()));
        assertThat(values("AtFrom")).isEqualTo(Map.of("a", "1", "b", "1", "c", "1"));
        ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("AtTo").restoreDateTime(sc.to()));
        assertThat(values("AtTo")).isEqualTo(Map.of("a", "3", "c", "1", "d", "1"));
        ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Latest").useLatestRestorableTime(true));
        assertThat(values("Latest")).isEqualTo(Map.of("a", "3", "c", "1", "d", "2"));
        String message = "RestoreDateTime must be within EarliestRestorableDateTime and LatestRestorableDateTime";
        fails(() -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Early")
                .restoreDateTime(sc.enabled().minus(Duration.ofHours(1)))), "InvalidRestoreTimeException", message);
        fails(() -> ddb.restoreTableToPointInTime(b -> b.sourceTableName("Orders").targetTableName("Late")
                .restoreDateTime(now().plus(Duration.ofHours(1)))), "InvalidRestoreTimeException", message);
        assertThat(ddb.listTables().tableNames()).containsExactlyInAnyOrder("Orders", "AtFrom", "AtTo", "Latest");
    }

    private static Map<String, String> values(String table) {
        Map<String, String> out = new HashMap<>();
        ddb.scan(b -> b.tableName(table)).items().forEach(i -> out.put(i.get("pk").s(), i.get("v").n()));
        return out;
    }

    @Test
    void incrementalRequestsAreCheckedAsAwsChecksThem() {
        Scenario sc = scenario();
        String arn = sc.tableArn();
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(arn).s3Bucket("exports")
                        .incrementalExportSpecification(i -> i.exportFromTime(sc.from()))),
                "ValidationException", "Invalid Request: Export Type expected to be Incremental Export when incremental export specification is provided");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(arn).s3Bucket("exports").exportType(ExportType.FULL_EXPORT)
                        .incrementalExportSpecification(i -> i.exportFromTime(sc.from()))),
                "ValidationException", "Invalid Request: When Export Type is Full Export , Incremental Export Specification should not be provided");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(arn).s3Bucket("exports").exportType(ExportType.INCREMENTAL_EXPORT)),
                "ValidationException", "Invalid Request: Incremental Export Specification expected when export type is set as Incremental Export");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(arn).s3Bucket("exports").exportType(ExportType.INCREMENTAL_EXPORT)
                        .incrementalExportSpecification(i -> i.exportViewType(ExportViewType.NEW_IMAGE))),
                "ValidationException", "Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(arn).s3Bucket("exports").exportType(ExportType.INCREMENTAL_EXPORT)
                        .incrementalExportSpecification(i -> i.exportFromTime(sc.from()).exportViewType("NEW_IMAGES"))),
                "ValidationException", "1 validation error detected: Value 'NEW_IMAGES' at 'incrementalExportSpecification.exportViewType' "
                        + "failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, NEW_AND_OLD_IMAGES]");

        Instant beforePitr = sc.enabled().minus(Duration.ofMinutes(1));
        fails(() -> incremental(arn, beforePitr, sc.to()), "InvalidExportTimeException",
                "Incremental export period from time cannot be less than the table creation time : " + beforePitr.truncatedTo(ChronoUnit.SECONDS));
        Instant future = now().plus(Duration.ofHours(1));
        fails(() -> incremental(arn, sc.from(), future), "InvalidExportTimeException",
                "Incremental export period to time cannot be greater than the current time : " + future.truncatedTo(ChronoUnit.SECONDS));
        fails(() -> incremental(arn, sc.from(), sc.from().plus(Duration.ofMinutes(14))), "InvalidExportTimeException",
                "Difference between export period from time and export period to time is less than 15 minutes");
        fails(() -> incremental(arn, sc.to(), sc.from()), "InvalidExportTimeException",
                "Difference between export period from time and export period to time is less than 15 minutes");
        advance(Duration.ofHours(25));
        fails(() -> incremental(arn, sc.from(), now()), "InvalidExportTimeException",
                "Difference between export period from time and export period to time is greater than 24 hours");
        assertThat(ddb.listExports(b -> b.tableArn(arn)).exportSummaries()).isEmpty();

        ddb.updateContinuousBackups(b -> b.tableName("Orders").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(false)));
        fails(() -> incremental(arn, sc.from(), sc.to()), "InvalidExportTimeException",
                "Incremental export period from time cannot be less than the table creation time : " + sc.from().truncatedTo(ChronoUnit.SECONDS));
        ddb.updateContinuousBackups(b -> b.tableName("Orders").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        fails(() -> incremental(arn, sc.from(), sc.to()), "InvalidExportTimeException",
                "Incremental export period from time cannot be less than the table creation time : " + sc.from().truncatedTo(ChronoUnit.SECONDS));
    }

    private static void incremental(String arn, Instant from, Instant to) {
        ddb.exportTableToPointInTime(b -> b.tableArn(arn).s3Bucket("exports").exportType(ExportType.INCREMENTAL_EXPORT)
                .incrementalExportSpecification(i -> i.exportFromTime(from).exportToTime(to)));
    }
}
