package dev.terrarium.services.dynamodb;

import com.amazon.ion.IonBlob;
import com.amazon.ion.IonDecimal;
import com.amazon.ion.IonList;
import com.amazon.ion.IonStruct;
import com.amazon.ion.IonSystem;
import com.amazon.ion.IonType;
import com.amazon.ion.IonValue;
import com.amazon.ion.system.IonSystemBuilder;
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
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ImportTableDescription;
import software.amazon.awssdk.services.dynamodb.model.InputCompressionType;
import software.amazon.awssdk.services.dynamodb.model.InputFormat;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;

/** ExportFormat ION and InputFormat ION: AWS's Ion text layout, read back by ion-java and by ImportTable. */
class DynamoDbIonExportImportTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static final IonSystem ION = IonSystemBuilder.standard().build();
    private static DynamoDbClient ddb;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
        s3 = terrarium.client(() -> S3Client.builder().forcePathStyle(true));
    }

    private static AttributeValue b(String utf8) { return AttributeValue.fromB(SdkBytes.fromUtf8String(utf8)); }

    /** Every DynamoDB type, with numbers AWS writes in exponent form and names Ion must quote. */
    private static final Map<String, AttributeValue> ALL_TYPES = Map.ofEntries(
            Map.entry("pk", s("all")),
            Map.entry("s", s("a \"quoted\" ünïcode\nline")),
            Map.entry("empty", s("")),
            Map.entry("n600", n("600")),
            Map.entry("n103", n("103")),
            Map.entry("frac", n("-1.50")),
            Map.entry("tiny", n("0.000001")),
            Map.entry("big", n("12345678901234567890123456789012345678")),
            Map.entry("zero", n("0")),
            Map.entry("bin", b("bytes")),
            Map.entry("yes", AttributeValue.fromBool(true)),
            Map.entry("no", AttributeValue.fromBool(false)),
            Map.entry("nothing", AttributeValue.fromNul(true)),
            Map.entry("ss", AttributeValue.fromSs(List.of("Author1", "Author2"))),
            Map.entry("ns", AttributeValue.fromNs(List.of("1", "2.5", "-3000"))),
            Map.entry("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("up"), SdkBytes.fromUtf8String("down")))),
            Map.entry("with-dash and space", s("quoted field name")),
            Map.entry("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("x", n("1"))),
                    "list", AttributeValue.fromL(List.of(s("y"), n("2"), AttributeValue.fromNul(true)))))),
            Map.entry("l", AttributeValue.fromL(List.of(AttributeValue.fromSs(List.of("in-list")), b("z"),
                    AttributeValue.fromL(List.of()), AttributeValue.fromM(Map.of()), AttributeValue.fromBool(true)))),
            Map.entry("emptyList", AttributeValue.fromL(List.of())),
            Map.entry("emptyMap", AttributeValue.fromM(Map.of())));

    private static String pitrTable(String name) {
        createTable(ddb, name, null);
        ddb.putItem(x -> x.tableName(name).item(ALL_TYPES));
        for (int i = 0; i < 5; i++) {
            Map<String, AttributeValue> item = Map.of("pk", s("k" + i), "v", n(String.valueOf(i * 100)));
            ddb.putItem(x -> x.tableName(name).item(item));
        }
        ddb.updateContinuousBackups(x -> x.tableName(name).pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        return ddb.describeTable(x -> x.tableName(name)).table().tableArn();
    }

    private static List<Map<String, AttributeValue>> scan(String table) {
        return ddb.scan(x -> x.tableName(table)).items().stream()
                .sorted(Comparator.comparing(i -> i.get("pk").s())).toList();
    }

    private static String gunzip(byte[] gz) throws IOException {
        return new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void ionExportIsAwsIonTextAndImportsBackIntoAnEqualTable() throws Exception {
        String tableArn = pitrTable("Books");
        s3.createBucket(x -> x.bucket("exports"));
        ExportDescription started = ddb.exportTableToPointInTime(x -> x.tableArn(tableArn).s3Bucket("exports")
                .s3Prefix("ion").exportFormat(ExportFormat.ION)).exportDescription();
        assertThat(started.exportFormat()).isEqualTo(ExportFormat.ION);
        ExportDescription done = ddb.describeExport(x -> x.exportArn(started.exportArn())).exportDescription();
        assertThat(done.exportStatusAsString()).isEqualTo("COMPLETED");
        assertThat(done.itemCount()).isEqualTo(6L);
        assertThat(done.exportFormat()).isEqualTo(ExportFormat.ION);

        String id = started.exportArn().substring(started.exportArn().lastIndexOf('/') + 1);
        String base = "ion/AWSDynamoDB/" + id + "/";
        assertThat(id).matches("\\d{14}-[0-9a-f]{8}");
        ObjectMapper json = new ObjectMapper();
        JsonNode summary = json.readTree(s3.getObjectAsBytes(x -> x.bucket("exports").key(done.exportManifest())).asUtf8String());
        assertThat(done.exportManifest()).isEqualTo(base + "manifest-summary.json");
        assertThat(summary.get("outputFormat").asText()).isEqualTo("ION");
        assertThat(summary.get("version").asText()).isEqualTo("2020-06-30");
        assertThat(summary.get("itemCount").asLong()).isEqualTo(6);
        assertThat(summary.get("manifestFilesS3Key").asText()).isEqualTo(base + "manifest-files.json");
        JsonNode file = json.readTree(s3.getObjectAsBytes(x -> x.bucket("exports").key(base + "manifest-files.json")).asUtf8String());
        String dataKey = file.get("dataFileS3Key").asText();
        assertThat(dataKey).matches(java.util.regex.Pattern.quote(base + "data/") + "[a-z2-7]{26}\\.ion\\.gz");
        assertThat(file.get("itemCount").asLong()).isEqualTo(6);
        byte[] gz = s3.getObjectAsBytes(x -> x.bucket("exports").key(dataKey)).asByteArray();
        assertThat(file.get("md5Checksum").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(gz)));

        String text = gunzip(gz);
        List<String> lines = List.of(text.split("\n"));
        assertThat(lines).hasSize(6).allSatisfy(line -> assertThat(line).startsWith("$ion_1_0 {Item:{"));
        String all = lines.stream().filter(l -> l.contains("pk:\"all\"")).findFirst().orElseThrow();
        assertThat(all).contains("n600:6d2", "n103:103.", "frac:-1.5", "zero:0.", "yes:true", "nothing:null",
                "ss:$dynamodb_SS::[\"Author1\",\"Author2\"]", "bin:{{Ynl0ZXM=}}", "'with-dash and space':\"quoted field name\"");

        // read independently with ion-java: every line is one struct {Item:{...}} with Ion's types
        Map<String, IonStruct> byPk = new LinkedHashMap<>();
        for (IonValue value : ION.getLoader().load(text)) {
            assertThat(value.getType()).isEqualTo(IonType.STRUCT);
            IonStruct item = (IonStruct) ((IonStruct) value).get("Item");
            byPk.put(((com.amazon.ion.IonText) item.get("pk")).stringValue(), item);
        }
        assertThat(byPk).hasSize(6).containsKeys("all", "k0", "k4");
        IonStruct item = byPk.get("all");
        assertThat(((IonDecimal) item.get("n600")).bigDecimalValue()).isEqualByComparingTo(new BigDecimal("600"));
        assertThat(((IonDecimal) item.get("big")).bigDecimalValue()).isEqualTo(new BigDecimal("12345678901234567890123456789012345678"));
        assertThat(((IonDecimal) item.get("tiny")).bigDecimalValue()).isEqualByComparingTo("0.000001");
        assertThat(((IonBlob) item.get("bin")).getBytes()).isEqualTo("bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(item.get("nothing").isNullValue()).isTrue();
        assertThat(item.get("yes").getType()).isEqualTo(IonType.BOOL);
        assertThat(item.get("s").getType()).isEqualTo(IonType.STRING);
        assertThat(((com.amazon.ion.IonText) item.get("s")).stringValue()).isEqualTo("a \"quoted\" ünïcode\nline");
        for (String set : List.of("ss", "ns", "bs")) {
            assertThat(item.get(set).getType()).isEqualTo(IonType.LIST);
            assertThat(item.get(set).getTypeAnnotations()).containsExactly("$dynamodb_" + set.toUpperCase());
        }
        assertThat(((IonList) item.get("ns")).get(2)).isInstanceOf(IonDecimal.class);
        assertThat(((IonList) item.get("bs")).get(0)).isInstanceOf(IonBlob.class);
        IonList l = (IonList) item.get("l");
        assertThat(l.get(0).getTypeAnnotations()).containsExactly("$dynamodb_SS");
        assertThat(l.get(3).getType()).isEqualTo(IonType.STRUCT);
        assertThat(item.get("m").getType()).isEqualTo(IonType.STRUCT);
        assertThat(item.get("emptyList").getTypeAnnotations()).isEmpty();

        ImportTableDescription imported = ddb.importTable(x -> x.inputFormat(InputFormat.ION)
                .inputCompressionType(InputCompressionType.GZIP)
                .s3BucketSource(src -> src.s3Bucket("exports").s3KeyPrefix(base + "data/"))
                .tableCreationParameters(p -> p.tableName("Copy").billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)))).importTableDescription();
        assertThat(imported.inputFormat()).isEqualTo(InputFormat.ION);
        ImportTableDescription importDone = ddb.describeImport(x -> x.importArn(imported.importArn())).importTableDescription();
        assertThat(importDone.importStatusAsString()).isEqualTo("COMPLETED");
        assertThat(importDone.importedItemCount()).isEqualTo(6L);
        assertThat(importDone.processedItemCount()).isEqualTo(6L);
        assertThat(importDone.errorCount()).isZero();
        assertThat(scan("Copy")).isEqualTo(scan("Books"));
        Map<String, AttributeValue> normalised = new LinkedHashMap<>(ALL_TYPES);
        normalised.put("frac", n("-1.5"));
        assertThat(scan("Copy").get(0)).isEqualTo(normalised);
    }

    @Test
    void ionImportReadsAwsExamplesAndCountsValuesThatAreNotItems() throws IOException {
        s3.createBucket(x -> x.bucket("incoming"));
        // AWS's documented line, a multi-line value, an Ion int as a number, and values that are not items
        String good = "$ion_1_0 {Item:{Authors:$dynamodb_SS::[\"Author1\",\"Author2\"],Dimensions:\"8.5 x 11.0 x 1.5\","
                + "ISBN:\"333-3333333333\",Id:103.,InPublication:false,PageCount:6d2,Price:2d3,ProductCategory:\"Book\","
                + "Title:\"Book 103 Title\"}}\n"
                + "$ion_1_0 {\n  Item:{\n    Id:104,\n    Scores:$dynamodb_NS::[1, 2.5],\n    Blobs:$dynamodb_BS::[{{aGk=}}]\n  }\n}\n"
                + "$ion_1_0 {Item:{Id:105., When:2024-01-01T00:00:00Z}}\n"
                + "$ion_1_0 {Item:{Id:106., Odd:$dynamodb_XS::[\"x\"]}}\n"
                + "$ion_1_0 {Item:{Id:107., Dup:$dynamodb_SS::[\"a\",\"a\"]}}\n"
                + "$ion_1_0 [1, 2]\n"
                + "$ion_1_0 {NotItem:{Id:108.}}\n"
                + "$ion_1_0 {Item:{Name:\"no key\"}}\n";
        s3.putObject(x -> x.bucket("incoming").key("ion/part-1.ion.gz"), RequestBody.fromBytes(gzip(good)));
        s3.putObject(x -> x.bucket("incoming").key("ion/part-2.ion"),
                RequestBody.fromString("$ion_1_0 {Item:{Id:200.}}\n{Item:{Id:201.}} {Item:{Id: }"));
        ImportTableDescription started = ddb.importTable(x -> x.inputFormat(InputFormat.ION)
                .s3BucketSource(src -> src.s3Bucket("incoming").s3KeyPrefix("ion/"))
                .tableCreationParameters(p -> p.tableName("Products").billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("Id").attributeType(ScalarAttributeType.N))
                        .keySchema(k -> k.attributeName("Id").keyType(KeyType.HASH)))).importTableDescription();
        ImportTableDescription done = ddb.describeImport(x -> x.importArn(started.importArn())).importTableDescription();
        assertThat(done.importStatusAsString()).isEqualTo("FAILED");
        assertThat(done.failureCode()).isEqualTo("ItemValidationError");
        assertThat(done.importedItemCount()).as("103, 104, 200, 201").isEqualTo(4L);
        assertThat(done.errorCount()).as("timestamp, unknown annotation, duplicate in set, list, no Item, no key, broken tail")
                .isEqualTo(7L);
        assertThat(done.processedItemCount()).isEqualTo(11L);
        Map<String, AttributeValue> book = ddb.getItem(x -> x.tableName("Products").key(Map.of("Id", n("103")))).item();
        assertThat(book).containsEntry("PageCount", n("600")).containsEntry("Price", n("2000"))
                .containsEntry("Authors", AttributeValue.fromSs(List.of("Author1", "Author2")))
                .containsEntry("InPublication", AttributeValue.fromBool(false));
        Map<String, AttributeValue> other = ddb.getItem(x -> x.tableName("Products").key(Map.of("Id", n("104")))).item();
        assertThat(other).containsEntry("Scores", AttributeValue.fromNs(List.of("1", "2.5")))
                .containsEntry("Blobs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("hi"))));
        assertThat(ddb.getItem(x -> x.tableName("Products").key(Map.of("Id", n("201")))).item()).isNotEmpty();
    }

    @Test
    void exportFormatOutsideTheEnumIsRefused() {
        String tableArn = pitrTable("Books");
        DynamoDbTestSupport.fails(() -> ddb.exportTableToPointInTime(x -> x.tableArn(tableArn).s3Bucket("exports").exportFormat("CSV")),
                "ValidationException", "1 validation error detected: Value 'CSV' at 'exportFormat' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [DYNAMODB_JSON, ION]");
        fails(() -> ddb.importTable(x -> x.inputFormat("PARQUET")
                        .s3BucketSource(src -> src.s3Bucket("incoming"))
                        .tableCreationParameters(p -> p.tableName("Pqr").attributeDefinitions(a -> a.attributeName("Id").attributeType(ScalarAttributeType.N))
                                .keySchema(k -> k.attributeName("Id").keyType(KeyType.HASH)))),
                "ValidationException", "1 validation error detected: Value 'PARQUET' at 'inputFormat' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [DYNAMODB_JSON, ION, CSV]");
        fails(() -> ddb.importTable(x -> x.inputFormat(InputFormat.ION).inputFormatOptions(o -> o.csv(c -> c.delimiter(";")))
                        .s3BucketSource(src -> src.s3Bucket("incoming"))
                        .tableCreationParameters(p -> p.tableName("Pqr").billingMode("PAY_PER_REQUEST")
                                .attributeDefinitions(a -> a.attributeName("Id").attributeType(ScalarAttributeType.N))
                                .keySchema(k -> k.attributeName("Id").keyType(KeyType.HASH)))),
                "ValidationException", "Invalid Request: Unsupported InputFormatOptions for the given input format: ION.");
        assertThat(ddb.listTables().tableNames()).containsExactly("Books");
    }
}
