package dev.terrarium.services.s3;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompressionType;
import software.amazon.awssdk.services.s3.model.ExpressionType;
import software.amazon.awssdk.services.s3.model.FileHeaderInfo;
import software.amazon.awssdk.services.s3.model.InputSerialization;
import software.amazon.awssdk.services.s3.model.JSONType;
import software.amazon.awssdk.services.s3.model.OutputSerialization;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.SelectObjectContentRequest;
import software.amazon.awssdk.services.s3.model.SelectObjectContentResponseHandler;
import software.amazon.awssdk.services.s3.model.Stats;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** SelectObjectContent through the SDK's async client (the sync one has no event streams) and boto3. */
class S3SelectTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static S3Client s3;
    private static S3AsyncClient async;

    private static final String CSV = "name,city,age,score\n"
            + "Alice,Paris,30,8.5\n"
            + "Bob,\"Berlin, DE\",25,7\n"
            + "carol,Paris,41,9.25\n"
            + "Dave,,35,\n";

    @BeforeAll
    static void clients() {
        s3 = terrarium.client(() -> S3Client.builder().forcePathStyle(true));
        async = terrarium.client(() -> S3AsyncClient.builder().forcePathStyle(true)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()));
    }

    @BeforeEach
    void objects() throws IOException {
        s3.createBucket(b -> b.bucket("sel"));
        s3.putObject(b -> b.bucket("sel").key("people.csv"), RequestBody.fromString(CSV));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("1;x\n2;y\n3;z\n".getBytes(StandardCharsets.UTF_8));
        }
        s3.putObject(b -> b.bucket("sel").key("plain.csv.gz"), RequestBody.fromBytes(gz.toByteArray()));
        s3.putObject(b -> b.bucket("sel").key("lines.json"), RequestBody.fromString(
                "{\"id\":1,\"user\":{\"name\":\"ann\"},\"tags\":[\"a\"]}\n{\"id\":2,\"user\":{\"name\":\"ben\"}}\n{\"id\":3}\n"));
        s3.putObject(b -> b.bucket("sel").key("doc.json"), RequestBody.fromString(
                "{\"items\":[{\"n\":1,\"v\":\"one\"},{\"n\":2,\"v\":\"two\"}]}"));
    }

    record Result(String records, Stats stats, boolean ended) {
    }

    private static Result select(String key, String sql, InputSerialization in, OutputSerialization out) {
        StringBuilder records = new StringBuilder();
        List<Stats> stats = new ArrayList<>();
        List<Boolean> end = new ArrayList<>();
        SelectObjectContentResponseHandler handler = SelectObjectContentResponseHandler.builder()
                .subscriber(SelectObjectContentResponseHandler.Visitor.builder()
                        .onRecords(r -> records.append(r.payload().asUtf8String()))
                        .onStats(s -> stats.add(s.details()))
                        .onEnd(e -> end.add(true))
                        .build())
                .build();
        async.selectObjectContent(SelectObjectContentRequest.builder().bucket("sel").key(key).expression(sql)
                .expressionType(ExpressionType.SQL).inputSerialization(in).outputSerialization(out).build(), handler)
                .orTimeout(20, TimeUnit.SECONDS).join();
        return new Result(records.toString(), stats.isEmpty() ? null : stats.get(0), !end.isEmpty());
    }

    private static InputSerialization csvIn(FileHeaderInfo header) {
        return InputSerialization.builder().csv(c -> c.fileHeaderInfo(header)).build();
    }

    private static final OutputSerialization CSV_OUT = OutputSerialization.builder().csv(c -> { }).build();
    private static final OutputSerialization JSON_OUT = OutputSerialization.builder().json(j -> { }).build();

    @Test
    void selectsCsvWithHeaderWhereAndProjection() {
        Result r = select("people.csv", "SELECT s.name, UPPER(s.city) AS c FROM S3Object s WHERE s.city = 'Paris' AND CAST(s.age AS INT) > 20",
                csvIn(FileHeaderInfo.USE), CSV_OUT);
        assertThat(r.records()).isEqualTo("Alice,PARIS\ncarol,PARIS\n");
        assertThat(r.ended()).isTrue();
        assertThat(r.stats().bytesScanned()).isEqualTo(CSV.length());
        assertThat(r.stats().bytesProcessed()).isEqualTo(CSV.length());
        assertThat(r.stats().bytesReturned()).isEqualTo(r.records().length());

        assertThat(select("people.csv", "SELECT * FROM S3Object", csvIn(FileHeaderInfo.NONE), CSV_OUT).records())
                .startsWith("name,city,age,score\nAlice,Paris,30,8.5\nBob,\"Berlin, DE\",25,7\n");
        assertThat(select("people.csv", "select s._1, s._3 from s3object s where s._3 between 30 and 40 limit 1",
                csvIn(FileHeaderInfo.IGNORE), CSV_OUT).records()).isEqualTo("Alice,30\n");
        assertThat(select("people.csv", "SELECT s.\"name\" FROM S3Object AS s WHERE s.name LIKE '_o%' OR s.score IS NULL OR s.score = ''",
                csvIn(FileHeaderInfo.USE), CSV_OUT).records()).isEqualTo("Bob\nDave\n");
        assertThat(select("people.csv", "SELECT name FROM S3Object WHERE NOT city IN ('Paris', '') ",
                csvIn(FileHeaderInfo.USE), JSON_OUT).records()).isEqualTo("{\"name\":\"Bob\"}\n");
        assertThat(select("people.csv", "SELECT SUBSTRING(s.name, 1, 3), CHAR_LENGTH(s.city), LOWER(s.name), TRIM('  x  ') "
                        + "FROM S3Object s WHERE s.age <> '30' AND s.age < 30",
                csvIn(FileHeaderInfo.USE), JSON_OUT).records())
                .isEqualTo("{\"_1\":\"Bob\",\"_2\":10,\"_3\":\"bob\",\"_4\":\"x\"}\n");
    }

    @Test
    void aggregatesOverCsvAndGzip() {
        Result r = select("people.csv", "SELECT COUNT(*), SUM(CAST(s.age AS INT)), AVG(CAST(s.age AS INT)), MIN(s.age), MAX(s.name) "
                + "FROM S3Object s WHERE s.city <> ''", csvIn(FileHeaderInfo.USE), CSV_OUT);
        assertThat(r.records()).isEqualTo("3,96,32,25,carol\n");

        InputSerialization gz = InputSerialization.builder().compressionType(CompressionType.GZIP)
                .csv(c -> c.fileHeaderInfo(FileHeaderInfo.NONE).fieldDelimiter(";")).build();
        Result g = select("plain.csv.gz", "SELECT s._2 FROM S3Object s WHERE CAST(s._1 AS INT) >= 2", gz,
                OutputSerialization.builder().csv(c -> c.recordDelimiter("|")).build());
        assertThat(g.records()).isEqualTo("y|z|");
        assertThat(g.stats().bytesProcessed()).isEqualTo(12);
        assertThat(g.stats().bytesScanned()).isGreaterThan(12);

        // with RequestProgress a Progress event (same counts) comes before the Stats
        StringBuilder kinds = new StringBuilder();
        async.selectObjectContent(SelectObjectContentRequest.builder().bucket("sel").key("people.csv")
                .expression("SELECT COUNT(*) FROM S3Object").expressionType(ExpressionType.SQL)
                .requestProgress(p -> p.enabled(true)).inputSerialization(csvIn(FileHeaderInfo.USE))
                .outputSerialization(CSV_OUT).build(), SelectObjectContentResponseHandler.builder()
                .subscriber(e -> kinds.append(e.sdkEventType()).append(' ')).build())
                .orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(kinds.toString().trim()).isEqualTo("Records Progress Stats End");
    }

    @Test
    void scanRangeTakesTheRecordsStartingInIt() {
        // "1;x\n" is bytes 0-3, "2;y\n" 4-7, "3;z\n" 8-11
        s3.putObject(b -> b.bucket("sel").key("plain.csv"), RequestBody.fromString("1;x\n2;y\n3;z\n"));
        InputSerialization in = InputSerialization.builder()
                .csv(c -> c.fileHeaderInfo(FileHeaderInfo.NONE).fieldDelimiter(";")).build();
        assertThat(range("plain.csv", in, 1L, 5L).records()).isEqualTo("2\n");
        assertThat(range("plain.csv", in, 0L, 4L).records()).isEqualTo("1\n2\n");
        assertThat(range("plain.csv", in, 4L, null).records()).isEqualTo("2\n3\n");
        assertThat(range("plain.csv", in, null, 5L).records()).isEqualTo("3\n");
        Throwable t = catchThrowable(() -> range("plain.csv.gz", InputSerialization.builder().compressionType(CompressionType.GZIP)
                .csv(c -> c.fieldDelimiter(";")).build(), 0L, 4L));
        assertThat(((S3Exception) t.getCause()).awsErrorDetails().errorCode()).isEqualTo("UnsupportedScanRangeInput");
    }

    private static Result range(String key, InputSerialization in, Long start, Long end) {
        StringBuilder records = new StringBuilder();
        async.selectObjectContent(SelectObjectContentRequest.builder().bucket("sel").key(key)
                .expression("SELECT s._1 FROM S3Object s").expressionType(ExpressionType.SQL)
                .scanRange(r -> r.start(start).end(end)).inputSerialization(in).outputSerialization(CSV_OUT).build(),
                SelectObjectContentResponseHandler.builder().subscriber(SelectObjectContentResponseHandler.Visitor.builder()
                        .onRecords(r -> records.append(r.payload().asUtf8String())).build()).build())
                .orTimeout(20, TimeUnit.SECONDS).join();
        return new Result(records.toString(), null, true);
    }

    @Test
    void selectsJsonLinesAndDocuments() {
        InputSerialization lines = InputSerialization.builder().json(j -> j.type(JSONType.LINES)).build();
        assertThat(select("lines.json", "SELECT s.id, s.user.name FROM S3Object s WHERE s.id > 1", lines, JSON_OUT).records())
                .isEqualTo("{\"id\":2,\"name\":\"ben\"}\n{\"id\":3}\n");
        assertThat(select("lines.json", "SELECT * FROM S3Object s WHERE s.user.name = 'ann'", lines, JSON_OUT).records())
                .isEqualTo("{\"id\":1,\"user\":{\"name\":\"ann\"},\"tags\":[\"a\"]}\n");
        assertThat(select("lines.json", "SELECT COUNT(*) FROM S3Object s WHERE s.user IS NOT NULL", lines, CSV_OUT).records())
                .isEqualTo("2\n");
        InputSerialization doc = InputSerialization.builder().json(j -> j.type(JSONType.DOCUMENT)).build();
        assertThat(select("doc.json", "SELECT i.v FROM S3Object[*].items[*] i WHERE i.n = 2", doc, CSV_OUT).records())
                .isEqualTo("two\n");
    }

    @Test
    void errorsAreS3s() {
        assertThat(errorOf("people.csv", "SELECT FROM S3Object")).isEqualTo("ParseUnexpectedToken");
        assertThat(errorOf("people.csv", "SELECT * S3Object")).isEqualTo("ParseExpectedKeyword");
        assertThat(errorOf("people.csv", "SELECT * FROM S3Object s WHERE")).isEqualTo("ParseUnexpectedToken");
        assertThat(errorOf("people.csv", "SELECT CAST(s.name AS INT) FROM S3Object s")).isEqualTo("CastFailed");
        assertThat(errorOf("missing.csv", "SELECT * FROM S3Object")).isEqualTo("NoSuchKey");
        Throwable t = catchThrowable(() -> async.selectObjectContent(SelectObjectContentRequest.builder().bucket("sel")
                .key("people.csv").expression("SELECT * FROM S3Object").expressionType("XPATH")
                .inputSerialization(csvIn(FileHeaderInfo.USE)).outputSerialization(CSV_OUT).build(),
                SelectObjectContentResponseHandler.builder().subscriber(e -> { }).build()).join());
        S3Exception e = (S3Exception) t.getCause();
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidExpressionType");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(s3.headBucket(b -> b.bucket("sel")).sdkHttpResponse().isSuccessful()).isTrue();
    }

    private static String errorOf(String key, String sql) {
        Throwable t = catchThrowable(() -> select(key, sql, csvIn(FileHeaderInfo.USE), CSV_OUT));
        assertThat(t).isInstanceOf(CompletionException.class);
        S3Exception e = (S3Exception) t.getCause();
        assertThat(e.statusCode()).isIn(400, 404);
        return e.awsErrorDetails().errorCode();
    }

    @Test
    void boto3ReadsTheEventStream() throws Exception {
        String script = String.join("\n",
                "import boto3, sys",
                "c = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')",
                "r = c.select_object_content(Bucket='sel', Key='people.csv', ExpressionType='SQL',",
                "    Expression=\"SELECT s.name FROM S3Object s WHERE s.city = 'Paris'\",",
                "    InputSerialization={'CSV': {'FileHeaderInfo': 'USE'}}, OutputSerialization={'JSON': {}})",
                "out = []",
                "for e in r['Payload']:",
                "    if 'Records' in e: out.append(e['Records']['Payload'].decode())",
                "    if 'Stats' in e: out.append('stats=%d' % e['Stats']['Details']['BytesReturned'])",
                "    if 'End' in e: out.append('end')",
                "try:",
                "    c.select_object_content(Bucket='sel', Key='people.csv', ExpressionType='SQL', Expression='SELECT * FRM S3Object',",
                "        InputSerialization={'CSV': {}}, OutputSerialization={'CSV': {}})",
                "except c.exceptions.ClientError as err:",
                "    out.append(err.response['Error']['Code'])",
                "print('|'.join(out))");
        Process p = new ProcessBuilder("python3", "-c", script, terrarium.endpoint().toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEqualTo("{\"name\":\"Alice\"}\n{\"name\":\"carol\"}\n|stats=34|end|ParseExpectedKeyword");
    }
}
