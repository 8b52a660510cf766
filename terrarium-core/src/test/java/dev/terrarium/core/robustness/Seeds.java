package dev.terrarium.core.robustness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.terrarium.core.robustness.ErrorBody.Wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Valid requests, one or more per protocol, as SDKs send them: the starting points that tests break. */
final class Seeds {
    private Seeds() {
    }

    /** A valid request and the error shape its protocol answers in. */
    record Seed(String name, Wire wire, RawHttp.Request request) {
        RawHttp.Request copy() {
            return request.copy();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String JSON_10 = "application/x-amz-json-1.0";
    static final String JSON_11 = "application/x-amz-json-1.1";
    static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";

    static Seed sqs() {
        return new Seed("awsJson1.0 SQS SendMessage", Wire.AWS_JSON, json("AmazonSQS.SendMessage", JSON_10,
                "{\"QueueUrl\":\"http://localhost:4566/000000000000/q\",\"MessageBody\":\"hi\",\"DelaySeconds\":1,"
                        + "\"MessageAttributes\":{\"a\":{\"DataType\":\"String\",\"StringValue\":\"v\"}}}"));
    }

    static Seed dynamodb() {
        return new Seed("awsJson1.0 DynamoDB PutItem", Wire.AWS_JSON, json("DynamoDB_20120810.PutItem", JSON_10,
                "{\"TableName\":\"t\",\"Item\":{\"k\":{\"S\":\"v\"},\"n\":{\"N\":\"1\"},\"b\":{\"B\":\"AAE=\"},"
                        + "\"l\":{\"L\":[{\"BOOL\":true},{\"NULL\":true}]}}}"));
    }

    static Seed logs() {
        return new Seed("awsJson1.1 Logs PutLogEvents", Wire.AWS_JSON, json("Logs_20140328.PutLogEvents", JSON_11,
                "{\"logGroupName\":\"g\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":1700000000000,"
                        + "\"message\":\"m\"}]}"));
    }

    static Seed lambdaCreate() {
        return new Seed("restJson Lambda CreateFunction", Wire.REST_JSON,
                lambda(new RawHttp.Request("POST", "/2015-03-31/functions")).header("Content-Type", "application/json")
                        .body("{\"FunctionName\":\"f\",\"Role\":\"arn:aws:iam::000000000000:role/r\","
                                + "\"Runtime\":\"python3.12\",\"Handler\":\"h.h\",\"Code\":{\"ZipFile\":\"UEsDBA==\"},"
                                + "\"Timeout\":3,\"Environment\":{\"Variables\":{\"Ab\":\"b\"}}}"));
    }

    static Seed lambdaGet() {
        return new Seed("restJson Lambda GetFunction", Wire.REST_JSON,
                lambda(new RawHttp.Request("GET", "/2015-03-31/functions/my-fn?Qualifier=1")));
    }

    static Seed s3CreateBucket() {
        return new Seed("restXml S3 CreateBucket", Wire.S3_XML, new RawHttp.Request("PUT", "/my-bucket")
                .header("Content-Type", "application/xml").header("x-amz-acl", "private")
                .body("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        + "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"));
    }

    static Seed s3DeleteObjects() {
        return new Seed("restXml S3 DeleteObjects", Wire.S3_XML, new RawHttp.Request("POST", "/my-bucket?delete")
                .header("Content-Type", "application/xml").header("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")
                .body("<Delete><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>v</VersionId></Object>"
                        + "<Quiet>true</Quiet></Delete>"));
    }

    static Seed s3PutObject() {
        return new Seed("restXml S3 PutObject", Wire.S3_XML, new RawHttp.Request("PUT", "/my-bucket/dir/key.txt")
                .header("Content-Type", "text/plain").header("x-amz-meta-a", "b").header("x-amz-storage-class", "STANDARD")
                .body("hello"));
    }

    static Seed s3List() {
        return new Seed("restXml S3 ListObjectsV2", Wire.S3_XML,
                new RawHttp.Request("GET", "/my-bucket?list-type=2&max-keys=5&prefix=a%2Fb&fetch-owner=true"));
    }

    static Seed stsAssumeRole() {
        return new Seed("awsQuery STS AssumeRole", Wire.QUERY_XML, form("Action=AssumeRole&Version=2011-06-15"
                + "&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&RoleSessionName=sess&DurationSeconds=900"
                + "&Tags.member.1.Key=k&Tags.member.1.Value=v"));
    }

    static Seed iamCreateUser() {
        return new Seed("awsQuery IAM CreateUser", Wire.QUERY_XML, form("Action=CreateUser&Version=2010-05-08"
                + "&UserName=u&Path=%2F&Tags.member.1.Key=k&Tags.member.1.Value=v"));
    }

    static Seed ec2() {
        return new Seed("ec2Query EC2 DescribeInstances", Wire.EC2_XML, form("Action=DescribeInstances"
                + "&Version=2016-11-15&InstanceId.1=i-1234&Filter.1.Name=tag%3AName&Filter.1.Value.1=x&MaxResults=10"));
    }

    static Seed cloudwatch() {
        return new Seed("rpcv2Cbor CloudWatch PutMetricData", Wire.CBOR,
                cbor("PutMetricData", Map.of("Namespace", "ns", "MetricData", List.of(Map.of(
                        "MetricName", "m", "Value", 1.5, "Unit", "Count",
                        "Dimensions", List.of(Map.of("Name", "d", "Value", "v")))))));
    }

    static List<Seed> all() {
        return List.of(sqs(), dynamodb(), logs(), lambdaCreate(), lambdaGet(), s3CreateBucket(), s3DeleteObjects(),
                s3PutObject(), s3List(), stsAssumeRole(), iamCreateUser(), ec2(), cloudwatch());
    }

    /** An access key Terrarium never issued: its requests are taken on trust, signature unchecked (DESIGN.md). */
    static final String UNKNOWN_KEY = "AKIAROBUSTNESS000001";

    /** Signed-looking for a service by an unknown key: how restJson requests find their service. */
    static RawHttp.Request signedFor(String signingName, RawHttp.Request request) {
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        return request.header("X-Amz-Date", now).header("Authorization", "AWS4-HMAC-SHA256 Credential=" + UNKNOWN_KEY
                + "/" + now.substring(0, 8) + "/us-east-1/" + signingName + "/aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=" + "0".repeat(64));
    }

    static RawHttp.Request lambda(RawHttp.Request request) {
        return signedFor("lambda", request);
    }

    static RawHttp.Request json(String target, String contentType, String body) {
        return new RawHttp.Request("POST", "/").header("X-Amz-Target", target).header("Content-Type", contentType)
                .body(body);
    }

    static RawHttp.Request form(String body) {
        return new RawHttp.Request("POST", "/").header("Content-Type", FORM).body(body);
    }

    static RawHttp.Request cbor(String operation, Object body) {
        return cborBytes(operation, encodeCbor(body));
    }

    static RawHttp.Request cborBytes(String operation, byte[] body) {
        return new RawHttp.Request("POST", "/service/GraniteServiceVersion20100801/operation/" + operation)
                .header("Smithy-Protocol", "rpc-v2-cbor").header("Content-Type", "application/cbor")
                .header("Accept", "application/cbor").body(body);
    }

    static byte[] encodeCbor(Object value) {
        try {
            return new ObjectMapper(new CBORFactory()).writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
