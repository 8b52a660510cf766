package dev.terrarium.core.protocol.xml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.StreamingBody;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RestXmlCodecTest {
    static final Models MODELS = Models.fromClasspath();
    static final ServiceModel S3 = MODELS.model("s3");
    static final ServiceModel ROUTE53 = MODELS.model("route53");
    final RestXmlCodec codec = new RestXmlCodec();

    private record Parsed(Operation op, Struct in) {
    }

    private Parsed parse(ServiceModel model, String operation, String paramsJson) {
        HttpRequest req = Botocore.get().request(model.name(), operation, paramsJson);
        Operation op = codec.resolveOperation(model, req);
        assertThat(op).as(req.toString()).isNotNull().extracting(Operation::name).isEqualTo(operation);
        return new Parsed(op, codec.parseRequest(model, op, req));
    }

    private static HttpRequest request(String method, String pathAndQuery, String body) {
        return HttpRequest.of(method, pathAndQuery, new Headers().add("Host", "localhost"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    // ---- S3 requests ----

    @Test
    void createBucketWithPayloadStructureAndHeaders() {
        Struct in = parse(S3, "CreateBucket", "{\"Bucket\":\"my-bucket\",\"ACL\":\"private\","
                + "\"CreateBucketConfiguration\":{\"LocationConstraint\":\"eu-west-1\"}}").in();
        assertThat(in).isEqualTo(Struct.of("ACL", "private", "Bucket", "my-bucket",
                "CreateBucketConfiguration", Struct.of("LocationConstraint", "eu-west-1")));
        Struct bare = parse(S3, "CreateBucket", "{\"Bucket\":\"b2\"}").in();
        assertThat(bare).isEqualTo(Struct.of("Bucket", "b2"));
    }

    @Test
    void putObjectStreamsTheBodyAndReadsPrefixHeaders() throws IOException {
        Parsed p = parse(S3, "PutObject", "{\"Bucket\":\"b\",\"Key\":\"dir/ü file.txt\",\"Body\":\"hello\","
                + "\"ContentType\":\"text/plain\",\"Metadata\":{\"color\":\"blue\"}}");
        assertThat(p.in().string("Key")).isEqualTo("dir/ü file.txt");
        assertThat(p.in().string("ContentType")).isEqualTo("text/plain");
        assertThat(p.in().map("Metadata")).isEqualTo(Map.of("color", "blue"));
        StreamingBody body = p.in().stream("Body");
        assertThat(new String(body.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void listObjectsV2QueryBindingsAndBadValues() {
        Struct in = parse(S3, "ListObjectsV2", "{\"Bucket\":\"b\",\"Prefix\":\"a/\",\"MaxKeys\":10,\"Delimiter\":\"/\"}").in();
        assertThat(in).isEqualTo(Struct.of("Bucket", "b", "Delimiter", "/", "MaxKeys", 10, "Prefix", "a/"));

        HttpRequest bad = request("GET", "/b?list-type=2&max-keys=ten", null);
        Operation op = codec.resolveOperation(S3, bad);
        assertThat(op.name()).isEqualTo("ListObjectsV2");
        AwsException e = catchThrowableOfType(() -> codec.parseRequest(S3, op, bad), AwsException.class);
        assertThat(e.code()).isEqualTo("InvalidArgument");
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void deleteObjectsWithFlattenedListAndUnicode() {
        Struct in = parse(S3, "DeleteObjects", "{\"Bucket\":\"b\",\"Delete\":{\"Objects\":"
                + "[{\"Key\":\"a&b<c>\"},{\"Key\":\"日本 😀\",\"VersionId\":\"v1\"}],\"Quiet\":true}}").in();
        assertThat(in.struct("Delete")).isEqualTo(Struct.of("Objects",
                List.of(Struct.of("Key", "a&b<c>"), Struct.of("Key", "日本 😀", "VersionId", "v1")), "Quiet", true));
    }

    @Test
    void malformedAndHostileBodiesAreMalformedXml() {
        Operation op = S3.operation("PutBucketTagging");
        for (String body : List.of("<Tagging><TagSet>", "{\"json\":true}",
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Tagging><TagSet><Tag><Key>&e;</Key></Tag></TagSet></Tagging>")) {
            HttpRequest req = request("PUT", "/b?tagging", body);
            assertThat(codec.resolveOperation(S3, req)).isEqualTo(op);
            AwsException e = catchThrowableOfType(() -> codec.parseRequest(S3, op, req), AwsException.class);
            assertThat(e).as(body).isNotNull();
            assertThat(e.code()).isEqualTo("MalformedXML");
            assertThat(e.status()).isEqualTo(400);
        }
        HttpRequest empty = request("PUT", "/b?tagging", "");
        assertThat(codec.parseRequest(S3, op, empty)).isEqualTo(Struct.of("Bucket", "b"));
    }

    // ---- S3 responses and errors ----

    @Test
    void listObjectsResponseParsesWithBotocore() {
        Struct out = Struct.of("IsTruncated", true, "Name", "b", "Prefix", "", "KeyCount", 1, "MaxKeys", 1,
                "NextContinuationToken", "tok", "RequestCharged", "requester",
                "Contents", List.of(Struct.of("Key", "k&1", "Size", 10L, "ETag", "\"e\"",
                        "LastModified", Instant.parse("2024-02-03T04:05:06Z"), "StorageClass", "STANDARD")));
        HttpResponse r = codec.serializeResponse(S3, S3.operation("ListObjectsV2"), out, "req-1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/xml");
        assertThat(r.headers().get("x-amz-request-charged")).isEqualTo("requester");
        assertThat(r.headers().get("x-amz-request-id")).isEqualTo("req-1");
        assertThat(r.headers().get("x-amz-id-2")).isNotEmpty();
        assertThat(r.bodyText()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>true</IsTruncated>");
        JsonNode parsed = Botocore.get().parse("s3", "ListObjectsV2", r);
        assertThat(parsed.at("/Contents/0/Key").asText()).isEqualTo("k&1");
        assertThat(parsed.at("/NextContinuationToken").asText()).isEqualTo("tok");
        assertThat(parsed.at("/RequestCharged").asText()).isEqualTo("requester");
        assertThat(parsed.at("/ResponseMetadata/RequestId").asText()).isEqualTo("req-1");
    }

    @Test
    void getObjectStreamsThePayloadWithHeaders() throws IOException {
        Struct out = Struct.of("Body", StreamingBody.of("data".getBytes(StandardCharsets.UTF_8)),
                "ContentLength", 4L, "ContentType", "text/plain", "ETag", "\"abc\"",
                "LastModified", Instant.parse("2024-02-03T04:05:06Z"), "Metadata", Map.of("color", "blue"));
        HttpResponse r = codec.serializeResponse(S3, S3.operation("GetObject"), out, "req-2");
        assertThat(r.isStreamed()).isTrue();
        assertThat(r.bodyStream().readAllBytes()).isEqualTo("data".getBytes(StandardCharsets.UTF_8));
        assertThat(r.headers().get("Content-Type")).isEqualTo("text/plain");
        assertThat(r.headers().get("Last-Modified")).isEqualTo("Sat, 03 Feb 2024 04:05:06 GMT");
        assertThat(r.headers().get("x-amz-meta-color")).isEqualTo("blue");
    }

    @Test
    void payloadStructureAndScalarRootResponses() {
        HttpResponse copy = codec.serializeResponse(S3, S3.operation("CopyObject"), Struct.of("CopyObjectResult",
                Struct.of("ETag", "\"e\"", "LastModified", Instant.parse("2024-01-01T00:00:00Z")), "VersionId", "v"), "r");
        assertThat(copy.bodyText()).contains("<CopyObjectResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<ETag>&quot;e&quot;</ETag><LastModified>2024-01-01T00:00:00Z</LastModified></CopyObjectResult>");
        JsonNode parsed = Botocore.get().parse("s3", "CopyObject", copy);
        assertThat(parsed.at("/CopyObjectResult/ETag").asText()).isEqualTo("\"e\"");
        assertThat(parsed.at("/VersionId").asText()).isEqualTo("v");

        HttpResponse location = codec.serializeResponse(S3, S3.operation("GetBucketLocation"),
                Struct.of("LocationConstraint", "eu-west-1"), "r");
        assertThat(location.bodyText()).endsWith(
                "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>");
        HttpResponse usEast = codec.serializeResponse(S3, S3.operation("GetBucketLocation"), Struct.empty(), "r");
        assertThat(usEast.bodyText()).endsWith("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");

        HttpResponse put = codec.serializeResponse(S3, S3.operation("PutObject"), Struct.of("ETag", "\"x\""), "r");
        assertThat(put.body()).isEmpty();
        assertThat(put.headers().get("ETag")).isEqualTo("\"x\"");
    }

    @Test
    void s3ErrorsAreBareErrorElements() {
        AwsException e = new AwsException("NoSuchKey", "The specified key does not exist.")
                .withFields(Struct.of("Key", "a<b"));
        HttpResponse r = codec.serializeError(S3, S3.operation("GetObject"), e, "req-3");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                + "<Message>The specified key does not exist.</Message><Key>a&lt;b</Key><RequestId>req-3</RequestId><HostId>");
        JsonNode parsed = Botocore.get().parse("s3", "GetObject", r);
        assertThat(parsed.at("/Error/Code").asText()).isEqualTo("NoSuchKey");
        assertThat(parsed.at("/Error/Key").asText()).isEqualTo("a<b");
        assertThat(parsed.at("/ResponseMetadata/RequestId").asText()).isEqualTo("req-3");
        assertThat(parsed.at("/ResponseMetadata/HostId").asText()).isEqualTo(r.headers().get("x-amz-id-2"));

        HttpResponse head = codec.serializeError(S3, S3.operation("HeadObject"),
                new AwsException("NotFound", "Not Found", 404), "req-4");
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
        assertThat(Botocore.get().parse("s3", "HeadObject", head).at("/Error/Code").asText()).isEqualTo("404");

        HttpResponse malformed = codec.serializeError(S3, null, XmlShapeReader.restXml().parseError(), "r");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(Botocore.get().parse("s3", "PutBucketTagging", malformed).at("/Error/Code").asText())
                .isEqualTo("MalformedXML");
    }

    // ---- Route 53 ----

    @Test
    void route53InputRootAndNestedWrappedLists() {
        Struct in = parse(ROUTE53, "ChangeResourceRecordSets", "{\"HostedZoneId\":\"Z1\",\"ChangeBatch\":{"
                + "\"Comment\":\"c\",\"Changes\":[{\"Action\":\"UPSERT\",\"ResourceRecordSet\":{\"Name\":\"a.example.com.\","
                + "\"Type\":\"A\",\"TTL\":300,\"ResourceRecords\":[{\"Value\":\"1.2.3.4\"},{\"Value\":\"5.6.7.8\"}]}}]}}").in();
        assertThat(in.string("HostedZoneId")).isEqualTo("Z1");
        Struct change = in.struct("ChangeBatch").structs("Changes").get(0);
        assertThat(change.string("Action")).isEqualTo("UPSERT");
        Struct set = change.struct("ResourceRecordSet");
        assertThat(set.get("TTL")).isEqualTo(300L);
        assertThat(set.structs("ResourceRecords")).containsExactly(Struct.of("Value", "1.2.3.4"), Struct.of("Value", "5.6.7.8"));
    }

    @Test
    void route53ResponsesStatusHeadersAndErrors() {
        Struct out = Struct.of("HostedZone", Struct.of("Id", "/hostedzone/Z1", "Name", "example.com.", "CallerReference", "c",
                        "ResourceRecordSetCount", 2L),
                "ChangeInfo", Struct.of("Id", "/change/C1", "Status", "PENDING", "SubmittedAt", Instant.parse("2024-01-01T00:00:00Z")),
                "DelegationSet", Struct.of("NameServers", List.of("ns1.example", "ns2.example")),
                "Location", "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1");
        HttpResponse r = codec.serializeResponse(ROUTE53, ROUTE53.operation("CreateHostedZone"), out, "req-5");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.headers().get("Location")).isEqualTo("https://route53.amazonaws.com/2013-04-01/hostedzone/Z1");
        assertThat(r.bodyText()).contains("<CreateHostedZoneResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">")
                .contains("<NameServers><NameServer>ns1.example</NameServer><NameServer>ns2.example</NameServer></NameServers>");
        JsonNode parsed = Botocore.get().parse("route53", "CreateHostedZone", r);
        assertThat(parsed.at("/HostedZone/ResourceRecordSetCount").asLong()).isEqualTo(2);
        assertThat(parsed.at("/DelegationSet/NameServers/1").asText()).isEqualTo("ns2.example");
        assertThat(parsed.at("/Location").asText()).endsWith("/hostedzone/Z1");
        assertThat(parsed.at("/ResponseMetadata/RequestId").asText()).isEqualTo("req-5");

        HttpResponse err = codec.serializeError(ROUTE53, ROUTE53.operation("GetHostedZone"),
                new AwsException("NoSuchHostedZone", "No hosted zone found with ID: Z9"), "req-6");
        assertThat(err.status()).isEqualTo(404);
        assertThat(err.bodyText()).endsWith("<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                + "<Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z9</Message>"
                + "</Error><RequestId>req-6</RequestId></ErrorResponse>");
        JsonNode e = Botocore.get().parse("route53", "GetHostedZone", err);
        assertThat(e.at("/Error/Code").asText()).isEqualTo("NoSuchHostedZone");
        assertThat(e.at("/ResponseMetadata/RequestId").asText()).isEqualTo("req-6");

        HttpRequest badTtl = request("POST", "/2013-04-01/hostedzone/Z1/rrset/",
                "<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeBatch>"
                        + "<Changes><Change><Action>CREATE</Action><ResourceRecordSet><Name>a.</Name><Type>A</Type>"
                        + "<TTL>forever</TTL></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>");
        Operation change = codec.resolveOperation(ROUTE53, badTtl);
        assertThat(change.name()).isEqualTo("ChangeResourceRecordSets");
        assertThat(catchThrowableOfType(() -> codec.parseRequest(ROUTE53, change, badTtl), AwsException.class).code())
                .isEqualTo("MalformedXML");
    }
}
