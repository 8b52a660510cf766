package dev.terrarium.services.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ImportTableDescription;
import software.amazon.awssdk.services.dynamodb.model.InputCompressionType;
import software.amazon.awssdk.services.dynamodb.model.InputFormat;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbExportImportTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static DynamoDbClient ddb;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
        s3 = terrarium.client(() -> S3Client.builder().forcePathStyle(true));
    }

    private static final Map<String, AttributeValue> RICH = Map.of("pk", s("rich"), "n", n("1.50"),
            "b", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")), "ss", AttributeValue.fromSs(List.of("x", "y")),
            "m", AttributeValue.fromM(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromBool(true), AttributeValue.fromNul(true))))));

    private static String exportTable() {
        createTable(ddb, "T", null);
        ddb.putItem(b -> b.tableName("T").item(RICH));
        for (int i = 0; i < 10; i++) {
            String pk = "k" + i;
            ddb.putItem(b -> b.tableName("T").item(Map.of("pk", s(pk), "v", n(String.valueOf(pk.length())))));
        }
        String tableArn = ddb.describeTable(b -> b.tableName("T")).table().tableArn();
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("exports")),
                "PointInTimeRecoveryUnavailableException", "Point in time recovery is not enabled for table 'T'");
        ddb.updateContinuousBackups(b -> b.tableName("T").pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        return tableArn;
    }

    @Test
    void exportWritesDynamoDbJsonAndManifestsToTheBucket() throws IOException {
        String tableArn = exportTable();
        s3.createBucket(b -> b.bucket("exports"));
        ExportDescription started = ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("exports").s3Prefix("backups"))
                .exportDescription();
        assertThat(started.exportStatusAsString()).isEqualTo("IN_PROGRESS");
        assertThat(started.exportArn()).startsWith(tableArn + "/export/");
        ExportDescription done = ddb.describeExport(b -> b.exportArn(started.exportArn())).exportDescription();
        assertThat(done.exportStatusAsString()).isEqualTo("COMPLETED");
        assertThat(done.itemCount()).isEqualTo(11L);
        assertThat(done.exportFormatAsString()).isEqualTo("DYNAMODB_JSON");

        String id = started.exportArn().substring(started.exportArn().lastIndexOf('/') + 1);
        String base = "backups/AWSDynamoDB/" + id + "/";
        List<String> keys = s3.listObjectsV2(b -> b.bucket("exports").prefix(base)).contents().stream().map(S3Object::key).toList();
        assertThat(keys).contains(base + "manifest-summary.json", base + "manifest-files.json", base + "manifest-summary.md5",
                base + "manifest-files.md5", base + "_started");
        assertThat(done.exportManifest()).isEqualTo(base + "manifest-summary.json");
        ObjectMapper json = new ObjectMapper();
        JsonNode summary = json.readTree(s3.getObjectAsBytes(b -> b.bucket("exports").key(base + "manifest-summary.json")).asUtf8String());
        assertThat(summary.get("itemCount").asLong()).isEqualTo(11);
        assertThat(summary.get("outputFormat").asText()).isEqualTo("DYNAMODB_JSON");
        JsonNode file = json.readTree(s3.getObjectAsBytes(b -> b.bucket("exports").key(base + "manifest-files.json")).asUtf8String());
        String dataKey = file.get("dataFileS3Key").asText();
        assertThat(dataKey).startsWith(base + "data/").endsWith(".json.gz");
        byte[] gz = s3.getObjectAsBytes(b -> b.bucket("exports").key(dataKey)).asByteArray();
        List<String> lines = List.of(new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertThat(lines).hasSize(11);
        JsonNode rich = lines.stream().map(l -> {
            try {
                return json.readTree(l).get("Item");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(i -> i.get("pk").get("S").asText().equals("rich")).findFirst().orElseThrow();
        assertThat(rich.get("n").get("N").asText()).isEqualTo("1.5");
        assertThat(rich.get("b").get("B").asText()).isEqualTo("Ynl0ZXM=");
        assertThat(rich.get("m").get("M").get("l").get("L").get(1).get("NULL").asBoolean()).isTrue();

        assertThat(ddb.listExports(b -> b.tableArn(tableArn)).exportSummaries()).extracting(e -> e.exportArn())
                .containsExactly(started.exportArn());

        ImportTableDescription imported = ddb.importTable(b -> b.inputFormat(InputFormat.DYNAMODB_JSON)
                .inputCompressionType(InputCompressionType.GZIP)
                .s3BucketSource(src -> src.s3Bucket("exports").s3KeyPrefix(base + "data/"))
                .tableCreationParameters(p -> p.tableName("Copy").billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)))).importTableDescription();
        ImportTableDescription importDone = ddb.describeImport(b -> b.importArn(imported.importArn())).importTableDescription();
        assertThat(importDone.importStatusAsString()).isEqualTo("COMPLETED");
        assertThat(importDone.importedItemCount()).isEqualTo(11L);
        assertThat(importDone.errorCount()).isZero();
        assertThat(ddb.getItem(b -> b.tableName("Copy").key(Map.of("pk", s("rich")))).item()).isEqualTo(
                ddb.getItem(b -> b.tableName("T").key(Map.of("pk", s("rich")))).item());
        assertThat(ddb.listImports(b -> b.tableArn(importDone.tableArn())).importSummaryList()).hasSize(1);
        fails(() -> ddb.importTable(b -> b.inputFormat(InputFormat.DYNAMODB_JSON)
                        .s3BucketSource(src -> src.s3Bucket("exports").s3KeyPrefix(base + "data/"))
                        .tableCreationParameters(p -> p.tableName("Copy").billingMode("PAY_PER_REQUEST")
                                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)))),
                "ResourceInUseException", "Table already exists: Copy");
    }

    @Test
    void exportToAMissingBucketFails() {
        String tableArn = exportTable();
        ExportDescription started = ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("nowhere")).exportDescription();
        ExportDescription failed = ddb.describeExport(b -> b.exportArn(started.exportArn())).exportDescription();
        assertThat(failed.exportStatusAsString()).isEqualTo("FAILED");
        assertThat(failed.failureCode()).isEqualTo("S3NoSuchBucket");
        fails(() -> ddb.describeExport(b -> b.exportArn(tableArn + "/export/nope")), "ExportNotFoundException",
                "Export not found: Export not found: " + tableArn + "/export/nope");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("nowhere").exportTime(Instant.now().plusSeconds(3600))),
                "InvalidExportTimeException", "Export Time is invalid");
        fails(() -> ddb.describeExport(b -> b.exportArn(tableArn)), "ValidationException", "Invalid Export ARN");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn("T").s3Bucket("nowhere")),
                "ValidationException", "One or more parameter values were invalid: tableArn is not a valid ARN");
        ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("nowhere").clientToken("tok-1"));
        assertThat(ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("nowhere").clientToken("tok-1"))
                .exportDescription().clientToken()).as("an identical replay answers the same export").isEqualTo("tok-1");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("nowhere").s3Prefix("other").clientToken("tok-1")),
                "ExportConflictException", "Export conflict: Duplicate request detected with conflicting parameters");
        fails(() -> ddb.exportTableToPointInTime(b -> b.tableArn(tableArn.replace("table/T", "table/Nope")).s3Bucket("anything")),
                "TableNotFoundException", "Table not found: " + tableArn.replace("table/T", "table/Nope"));
    }

    @Test
    void csvImportTypesKeysAndCountsBadLines() {
        s3.createBucket(b -> b.bucket("incoming"));
        s3.putObject(b -> b.bucket("incoming").key("csv/part-1.csv"), RequestBody.fromString(
                "id,score,name\n1,10,\"Smith, Jo\"\n2,20,Ann\nnot-a-number,5,Bad\n"));
        s3.putObject(b -> b.bucket("incoming").key("csv/part-2.csv"), RequestBody.fromString("id,score,name\n3,30,Cy\n"));
        s3.putObject(b -> b.bucket("incoming").key("other/ignored.csv"), RequestBody.fromString("id\n9\n"));
        ImportTableDescription started = ddb.importTable(b -> b.inputFormat(InputFormat.CSV)
                .s3BucketSource(src -> src.s3Bucket("incoming").s3KeyPrefix("csv/"))
                .tableCreationParameters(p -> p.tableName("People").billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.N))
                        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)))).importTableDescription();
        assertThat(started.importStatusAsString()).isEqualTo("IN_PROGRESS");
        ImportTableDescription done = ddb.describeImport(b -> b.importArn(started.importArn())).importTableDescription();
        assertThat(done.importedItemCount()).isEqualTo(3L);
        assertThat(done.processedItemCount()).isEqualTo(4L);
        assertThat(done.errorCount()).isEqualTo(1L);
        assertThat(done.importStatusAsString()).as("any error fails the import; the valid rows stay").isEqualTo("FAILED");
        assertThat(done.failureCode()).isEqualTo("ItemValidationError");
        assertThat(done.failureMessage()).isEqualTo(
                "Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.");
        Map<String, AttributeValue> one = ddb.getItem(b -> b.tableName("People").key(Map.of("id", n("1")))).item();
        assertThat(one).containsEntry("score", s("10")).containsEntry("name", s("Smith, Jo"));
        fails(() -> ddb.describeImport(b -> b.importArn(started.importArn() + "x")), "ImportNotFoundException",
                "Import not found: " + started.importArn() + "x");
        List<String> arns = new ArrayList<>();
        ddb.listImports(b -> b.pageSize(1)).importSummaryList().forEach(i -> arns.add(i.importArn()));
        assertThat(arns).containsExactly(started.importArn());
    }

    @Test
    void jsonImportStopsAnObjectAtALineThatIsNotJsonAndReadsGzipOnlyWhenToldSo() {
        String tableArn = exportTable();
        s3.createBucket(b -> b.bucket("exports"));
        ExportDescription started = ddb.exportTableToPointInTime(b -> b.tableArn(tableArn).s3Bucket("exports").s3Prefix("exp"))
                .exportDescription();
        String root = "exp/AWSDynamoDB/" + started.exportArn().substring(started.exportArn().lastIndexOf('/') + 1) + "/";
        // the export's root: the data file and 4 manifests that are not gzip (each one error); _started is empty
        ImportTableDescription fromRoot = importJson("FromRoot", "exports", root, InputCompressionType.GZIP);
        assertThat(fromRoot.importStatusAsString()).isEqualTo("FAILED");
        assertThat(fromRoot.importedItemCount()).isEqualTo(11L);
        assertThat(fromRoot.errorCount()).isEqualTo(4L);
        assertThat(fromRoot.processedItemCount()).isEqualTo(15L);
        ImportTableDescription notUnzipped = importJson("NotUnzipped", "exports", root + "data/", InputCompressionType.NONE);
        assertThat(notUnzipped.importStatusAsString()).as("gzip is read only as InputCompressionType GZIP").isEqualTo("FAILED");
        assertThat(notUnzipped.importedItemCount()).isZero();
        assertThat(ddb.scan(b -> b.tableName("NotUnzipped")).count()).isZero();

        String lines = IntStream.range(0, 10).mapToObj(i -> i == 5 ? "{not json" : i == 2 ? "{\"Item\":{\"other\":{\"S\":\"no key\"}}}"
                : "{\"Item\":{\"pk\":{\"S\":\"p" + i + "\"}}}").collect(Collectors.joining("\n"));
        s3.putObject(b -> b.bucket("exports").key("lines/one.json"), RequestBody.fromString(lines));
        s3.putObject(b -> b.bucket("exports").key("lines/two.json"), RequestBody.fromString("{\"Item\":{\"pk\":{\"S\":\"q\"}}}\n"));
        ImportTableDescription partial = importJson("Partial", "exports", "lines/", null);
        assertThat(partial.importStatusAsString()).isEqualTo("FAILED");
        assertThat(partial.processedItemCount()).as("lines 0-5 of one.json, then two.json").isEqualTo(7L);
        assertThat(partial.importedItemCount()).as("p0, p1, p3, p4, q").isEqualTo(5L);
        assertThat(partial.errorCount()).isEqualTo(2L);
        assertThat(ddb.scan(b -> b.tableName("Partial")).count()).isEqualTo(5);

        ImportTableDescription clean = importJson("Clean", "exports", root + "data/", InputCompressionType.GZIP);
        assertThat(clean.importStatusAsString()).isEqualTo("COMPLETED");
        assertThat(clean.failureCode()).isNull();
    }

    private static ImportTableDescription importJson(String table, String bucket, String prefix, InputCompressionType compression) {
        ImportTableDescription started = ddb.importTable(b -> b.inputFormat(InputFormat.DYNAMODB_JSON).inputCompressionType(compression)
                .s3BucketSource(src -> src.s3Bucket(bucket).s3KeyPrefix(prefix))
                .tableCreationParameters(p -> p.tableName(table).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)))).importTableDescription();
        return ddb.describeImport(b -> b.importArn(started.importArn())).importTableDescription();
    }
}
