package dev.terrarium.core.protocol.rest;

import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.protocol.json.Kitchen;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestBindingsTest {
    private static final ServiceModel KITCHEN = Kitchen.model();
    private static final ServiceModel S3 = Models.fromClasspath().model("s3");
    private static final ServiceModel APIGW = Models.fromClasspath().model("apigateway");
    private final RestBindings bindings = new RestBindings();

    private static HttpRequest request(String method, String pathAndQuery, String... headerPairs) {
        Headers h = new Headers();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], headerPairs[i + 1]);
        }
        return HttpRequest.of(method, pathAndQuery, h, new byte[0]);
    }

    private String resolve(ServiceModel model, String method, String pathAndQuery) {
        Operation op = bindings.resolveOperation(model, request(method, pathAndQuery));
        return op == null ? null : op.name();
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /things/abc?detail, GetThing",
            "GET, /things/abc?detail=&x=1, GetThing",
            "GET, /things/abc, GetThingPlain",
            "GET, /things/abc/, GetThingPlain",
            "GET, /things?list-type=2, ListThingsV2",
            "GET, /things?list-type=1, ListThings",
            "GET, /things, ListThings",
            "GET, /files/b/a/b/c.txt, GetFile",
            "GET, /files/b/a/b/meta, GetFileMeta",
            "PUT, /files/b/x, PutFile",
            "DELETE, /things/abc, DeleteThing",
            "POST, /things/abc, ",
            "GET, /nothing, ",
            "GET, /files/b, ",
            "GET, /things/%zz, ",
    })
    void choosesTheMostSpecificTemplate(String method, String path, String expected) {
        assertThat(resolve(KITCHEN, method, path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /bucket, ListObjects",
            "GET, /bucket?list-type=2&prefix=a, ListObjectsV2",
            "GET, /bucket?location, GetBucketLocation",
            "PUT, /bucket, CreateBucket",
            "PUT, /bucket?tagging, PutBucketTagging",
            "DELETE, /bucket, DeleteBucket",
            "GET, /bucket/a/b/c, GetObject",
            "HEAD, /bucket/k, HeadObject",
            "GET, /bucket/k?acl, GetObjectAcl",
            "POST, /bucket/k?uploads, CreateMultipartUpload",
            "PUT, /bucket/k?partNumber=1&uploadId=u, UploadPart",
            "POST, /bucket/k?uploadId=u, CompleteMultipartUpload",
            "PUT, /bucket/k, PutObject",
            "POST, /bucket?delete, DeleteObjects",
            "DELETE, /bucket/k, DeleteObject",
            "DELETE, /bucket/k?uploadId=u, AbortMultipartUpload",
            "GET, /bucket?analytics, ListBucketAnalyticsConfigurations",
            "GET, /bucket?analytics&id=a, GetBucketAnalyticsConfiguration",
    })
    void resolvesS3Operations(String method, String path, String expected) {
        assertThat(resolve(S3, method, path)).isEqualTo(expected);
    }

    @Test
    void operationsSharingATemplateAreToldApartByTheirRequiredBindings() {
        assertThat(bindings.resolveOperation(S3, request("PUT", "/b/k", "x-amz-copy-source", "src/k")).name())
                .isEqualTo("CopyObject");
        assertThat(bindings.resolveOperation(S3, request("PUT", "/b/k?partNumber=2&uploadId=u", "x-amz-copy-source", "src/k"))
                .name()).isEqualTo("UploadPartCopy");
        assertThat(bindings.resolveOperation(S3, request("PUT", "/b/k?partNumber=2&uploadId=u")).name()).isEqualTo("UploadPart");
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /?x-id=ListDirectoryBuckets, ListDirectoryBuckets",
            "GET, /?max-directory-buckets=5&x-id=ListDirectoryBuckets, ListDirectoryBuckets",
            "GET, /?x-id=ListBuckets, ListBuckets",
            "GET, /, ListBuckets",
            "GET, /?x-id=NoSuchOperation, ListBuckets",
            // x-id only chooses among operations whose method and requestUri match
            "GET, /bucket/k?x-id=ListDirectoryBuckets, GetObject",
            "GET, /bucket/k?x-id=GetObject, GetObject",
            "PUT, /bucket/k?partNumber=1&uploadId=u&x-id=UploadPart, UploadPart",
            "GET, /bucket?acl&x-id=GetObjectAcl, GetBucketAcl",
    })
    void theSmithyXIdLiteralNamesTheOperation(String method, String path, String expected) {
        assertThat(resolve(S3, method, path)).isEqualTo(expected);
    }

    @Test
    void aRequestSignedForS3ExpressIsTheDirectoryBucketListing() {
        String s3express = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3express/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=00";
        String s3 = s3express.replace("/s3express/", "/s3/");
        assertThat(bindings.resolveOperation(S3, request("GET", "/", "Authorization", s3express)).name())
                .isEqualTo("ListDirectoryBuckets");
        assertThat(bindings.resolveOperation(S3, request("GET", "/?max-directory-buckets=3", "Authorization", s3express))
                .name()).isEqualTo("ListDirectoryBuckets");
        assertThat(bindings.resolveOperation(S3, request("GET", "/", "Authorization", s3)).name()).isEqualTo("ListBuckets");
        assertThat(bindings.resolveOperation(S3, request("GET", "/")).name()).isEqualTo("ListBuckets");
        // the signing name only breaks ties: a more specific template still wins
        assertThat(bindings.resolveOperation(S3, request("GET", "/b?acl", "Authorization", s3express)).name())
                .isEqualTo("GetBucketAcl");
        assertThat(bindings.resolveOperation(S3, request("GET", "/b/k", "Authorization", s3express)).name())
                .isEqualTo("GetObject");
    }

    @Test
    void resolvesApiGatewayOperationsWithSeveralLabels() {
        Operation op = bindings.resolveOperation(APIGW, request("PUT", "/restapis/a1/resources/r2/methods/GET"));
        assertThat(op.name()).isEqualTo("PutMethod");
        Struct in = new Struct();
        bindings.readRequest(op, request("PUT", "/restapis/a1/resources/r2/methods/GET"),
                bindings.labels(op, request("PUT", "/restapis/a1/resources/r2/methods/GET")), in);
        assertThat(in.asMap()).containsEntry("restApiId", "a1").containsEntry("resourceId", "r2")
                .containsEntry("httpMethod", "GET");
    }

    @Test
    void labelsArePercentDecodedAndGreedyLabelsKeepSlashes() {
        HttpRequest r = request("GET", "/files/my%20bucket/dir%2Fx/a+b/%E2%82%AC.txt");
        RestBindings.Match m = bindings.match(KITCHEN, r);
        assertThat(m.operation().name()).isEqualTo("GetFile");
        Struct in = new Struct();
        bindings.readRequest(m.operation(), r, m.labels(), in);
        assertThat(in.string("Bucket")).isEqualTo("my bucket");
        assertThat(in.string("Path")).isEqualTo("dir/x/a+b/€.txt");
    }

    @Test
    void readsQueryHeadersAndPrefixHeaders() {
        String policy = Base64.getEncoder().encodeToString("{\"a\":[1]}".getBytes(StandardCharsets.UTF_8));
        HttpRequest r = request("GET", "/things/t1?detail&limit=5&tag=a&tag=b%20c&since=2024-01-02T03%3A04%3A05Z&flag=true",
                "If-Modified-Since", "Tue, 29 Apr 2014 18:30:38 GMT",
                "X-Epoch", "1398796238.5",
                "X-Names", "a, \"b,c\", \"d \\\"q\\\"\"",
                "X-Dates", "Tue, 29 Apr 2014 18:30:38 GMT, Wed, 30 Apr 2014 18:30:38 GMT",
                "X-Ratio", "-Infinity",
                "X-Policy", policy,
                "X-Meta-Color", "blue",
                "x-meta-size", "L");
        RestBindings.Match m = bindings.match(KITCHEN, r);
        Struct in = new Struct();
        bindings.readRequest(m.operation(), r, m.labels(), in);
        assertThat(in.string("Id")).isEqualTo("t1");
        assertThat(in.get("Limit")).isEqualTo(5);
        assertThat(in.list("Tags")).containsExactly("a", "b c");
        assertThat(in.timestamp("Since")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(in.bool("Flag")).isTrue();
        assertThat(in.timestamp("Modified")).isEqualTo(Instant.parse("2014-04-29T18:30:38Z"));
        assertThat(in.timestamp("Epoch")).isEqualTo(Instant.parse("2014-04-29T18:30:38.500Z"));
        assertThat(in.list("Names")).containsExactly("a", "b,c", "d \"q\"");
        assertThat(in.list("Dates")).containsExactly(Instant.parse("2014-04-29T18:30:38Z"), Instant.parse("2014-04-30T18:30:38Z"));
        assertThat(in.get("Ratio")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(in.string("Policy")).isEqualTo("{\"a\":[1]}");
        assertThat(in.map("Meta")).containsExactly(Map.entry("Color", "blue"), Map.entry("size", "L"));
        // a map bound to the whole query string receives every parameter but the literals of the URI template
        assertThat(in.map("Rest")).doesNotContainKey("detail").containsEntry("limit", "5").containsEntry("tag", "a");
    }

    @Test
    void absentBindingsStayAbsent() {
        HttpRequest r = request("GET", "/things/t1");
        RestBindings.Match m = bindings.match(KITCHEN, r);
        Struct in = new Struct();
        bindings.readRequest(m.operation(), r, m.labels(), in);
        assertThat(in.asMap()).containsOnlyKeys("Id");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/things/t?limit=abc|",
            "/things/t?limit=1.5|",
            "/things/t?limit=99999999999|",
            "/things/t?flag=yes|",
            "/things/t?flag=TRUE|",
            "/things/t?since=yesterday|",
            "/things/t|X-Epoch: soon",
            "/things/t|X-Ratio: 0x10",
            "/things/t|X-Policy: %%%",
            "/things/t|X-Policy: bm90IGpzb24=",
            "/things/t|If-Modified-Since: Tuesday",
    })
    void badBoundValuesAreTheProtocolsError(String path, String header) {
        HttpRequest r = header == null ? request("GET", path)
                : request("GET", path, header.substring(0, header.indexOf(':')), header.substring(header.indexOf(':') + 1).trim());
        Operation op = bindings.resolveOperation(KITCHEN, r);
        assertThatThrownBy(() -> bindings.readRequest(op, r, bindings.labels(op, r), new Struct()))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("SerializationException");
                    assertThat(e.status()).isEqualTo(400);
                });
        RestBindings xml = new RestBindings("InvalidArgument");
        assertThatThrownBy(() -> xml.readRequest(op, r, xml.labels(op, r), new Struct()))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidArgument"));
    }

    @Test
    void writesHeaderBindingsAndReturnsTheBody() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("Color", "blue");
        Struct out = Struct.of("Status", 202, "ETag", "\"abc\"", "Modified", Instant.parse("2014-04-29T18:30:38Z"),
                "Names", List.of("a", "b,c", "say \"hi\""), "Meta", meta, "Name", "n", "Created", Instant.EPOCH);
        HttpResponse resp = new HttpResponse(200);
        Struct body = bindings.writeResponse(KITCHEN.shape("GetThingOutput"), out, resp);
        assertThat(resp.status()).isEqualTo(202);
        assertThat(resp.headers().get("ETag")).isEqualTo("\"abc\"");
        assertThat(resp.headers().get("Last-Modified")).isEqualTo("Tue, 29 Apr 2014 18:30:38 GMT");
        assertThat(resp.headers().get("X-Names")).isEqualTo("a, \"b,c\", \"say \\\"hi\\\"\"");
        assertThat(resp.headers().get("X-Meta-Color")).isEqualTo("blue");
        assertThat(body.asMap()).containsOnlyKeys("Name", "Created");
        // and what we write, we read back
        assertThat(HttpValues.splitHeaderList(resp.headers().get("X-Names"), false)).containsExactly("a", "b,c", "say \"hi\"");
    }

    @Test
    void formatsScalarsAsTheyTravel() {
        var input = KITCHEN.shape("GetThingInput").members();
        assertThat(HttpValues.formatHeader(input.get("Epoch"), Instant.parse("2014-04-29T18:30:38.250Z"))).isEqualTo("1398796238.25");
        assertThat(HttpValues.formatHeader(input.get("Ratio"), Double.NaN)).isEqualTo("NaN");
        assertThat(HttpValues.formatHeader(input.get("Policy"), Map.of("a", 1)))
                .isEqualTo(Base64.getEncoder().encodeToString("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(HttpValues.format(input.get("Since"), Instant.parse("2014-04-29T18:30:38Z"), HttpValues.Where.QUERY))
                .isEqualTo("2014-04-29T18:30:38Z");
        assertThat(HttpValues.formatHeader(input.get("Names"), List.of())).isNull();
    }
}
