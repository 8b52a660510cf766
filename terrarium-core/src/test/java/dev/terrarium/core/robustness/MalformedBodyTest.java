package dev.terrarium.core.robustness;

import dev.terrarium.core.robustness.ErrorBody.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bodies that are not what the protocol says they are, per protocol: each gets that protocol's AWS error. */
class MalformedBodyTest extends RobustnessSupport {
    private static final String INVALID_UTF8 = "\u00c3\u0028";

    record Case(String name, RawHttp.Request request, Wire wire, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    @AfterEach
    void stillUp() {
        assertAlive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersTheProtocolsError(Case c) {
        expectError(c.request(), c.wire(), c.code());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void theValidSeedsAreAccepted(Seeds.Seed seed) {
        expectAccepted(seed.copy(), seed.wire());
    }

    static List<Seeds.Seed> seeds() {
        return Seeds.all();
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        jsonCases(cases, "sqs", "AmazonSQS.SendMessage", Seeds.JSON_10, "QueueUrl", "DelaySeconds");
        jsonCases(cases, "dynamodb", "DynamoDB_20120810.PutItem", Seeds.JSON_10, "TableName", "Item");
        jsonCases(cases, "logs", "Logs_20140328.PutLogEvents", Seeds.JSON_11, "logGroupName", "logEvents");
        restJsonCases(cases);
        restXmlCases(cases);
        queryCases(cases);
        cborCases(cases);
        return cases;
    }

    /** Bodies broken at the JSON level, then wrong types for a string and a number/list member. */
    private static void jsonCases(List<Case> cases, String svc, String target, String type, String stringMember,
                                  String otherMember) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("truncated", bytes("{\"" + stringMember + "\":\"x"));
        bodies.put("not json", bytes("Action=SendMessage"));
        bodies.put("trailing garbage", bytes("{}}"));
        bodies.put("array at top", bytes("[1,2]"));
        bodies.put("string at top", bytes("\"x\""));
        bodies.put("number at top", bytes("12"));
        bodies.put("single quotes", bytes("{'" + stringMember + "':'x'}"));
        bodies.put("comments", bytes("{/*c*/\"" + stringMember + "\":\"x\"}"));
        bodies.put("nested 100k deep", bytes("{\"" + stringMember + "\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        bodies.put("object nested 5k deep", bytes("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)));
        bodies.put("string member as number", bytes("{\"" + stringMember + "\":12}"));
        bodies.put("string member as object", bytes("{\"" + stringMember + "\":{\"a\":1}}"));
        bodies.put("string member as array", bytes("{\"" + stringMember + "\":[\"a\"]}"));
        bodies.put("string member as bool", bytes("{\"" + stringMember + "\":true}"));
        bodies.put("other member as string", bytes("{\"" + otherMember + "\":\"x\"}"));
        bodies.put("other member huge number", bytes("{\"" + otherMember + "\":1" + "0".repeat(400) + "}"));
        bodies.put("other member 1e999999", bytes("{\"" + otherMember + "\":1e999999}"));
        bodies.put("other member 5000 digits", bytes("{\"" + otherMember + "\":" + "9".repeat(5000) + "}"));
        bodies.put("invalid utf-8 in string", latin1("{\"" + stringMember + "\":\"" + INVALID_UTF8 + "\"}"));
        bodies.put("invalid utf-8 as key", latin1("{\"" + INVALID_UTF8 + "\":1}"));
        bodies.put("raw NUL in string", bytes("{\"" + stringMember + "\":\"a\u0000b\"}"));
        bodies.put("NUL bytes only", new byte[64]);
        bodies.put("utf-16 BOM", concat(new byte[]{(byte) 0xFE, (byte) 0xFF}, bytes("{}")));
        bodies.put("duplicate keys of other types", bytes("{\"" + stringMember + "\":\"a\",\"" + stringMember + "\":1}"));
        bodies.put("random binary", random(512, 7));
        bodies.forEach((name, body) -> cases.add(new Case(svc + ": " + name, Seeds.json(target, type, "")
                .body(body), Wire.AWS_JSON, "SerializationException")));
        cases.add(new Case(svc + ": null at top", Seeds.json(target, type, "null"), Wire.AWS_JSON, null));
        cases.add(new Case(svc + ": lone surrogate escape", Seeds.json(target, type, "{\"" + stringMember
                + "\":\"\\ud800\"}"), Wire.AWS_JSON, null));
        cases.add(new Case(svc + ": unknown operation", Seeds.json(target.substring(0, target.indexOf('.')) + ".Nope",
                type, "{}"), Wire.AWS_JSON, "UnknownOperationException"));
        cases.add(new Case(svc + ": control character in the target", Seeds.json(target + "\u0001", type, "{}"),
                Wire.AWS_JSON, null));
        cases.add(new Case(svc + ": target with no operation", Seeds.json(target.substring(0, target.indexOf('.') + 1),
                type, "{}"), Wire.AWS_JSON, "UnknownOperationException"));
    }

    private static void restJsonCases(List<Case> cases) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("truncated", bytes("{\"FunctionName\":\"f"));
        bodies.put("array at top", bytes("[]"));
        bodies.put("deep nesting", bytes("[".repeat(50_000)));
        bodies.put("FunctionName as number", bytes("{\"FunctionName\":1,\"Role\":\"r\",\"Code\":{}}"));
        bodies.put("Code as string", bytes("{\"FunctionName\":\"f\",\"Role\":\"r\",\"Code\":\"zip\"}"));
        bodies.put("ZipFile not base64", bytes("{\"FunctionName\":\"f\",\"Role\":\"r\",\"Code\":{\"ZipFile\":\"%%%\"}}"));
        bodies.put("Timeout huge", bytes("{\"FunctionName\":\"f\",\"Role\":\"r\",\"Code\":{},\"Timeout\":99999999999999}"));
        bodies.put("Timeout fraction", bytes("{\"FunctionName\":\"f\",\"Role\":\"r\",\"Code\":{},\"Timeout\":1.5}"));
        bodies.put("Environment.Variables as list", bytes("{\"FunctionName\":\"f\",\"Role\":\"r\",\"Code\":{},"
                + "\"Environment\":{\"Variables\":[1]}}"));
        bodies.put("invalid utf-8", latin1("{\"FunctionName\":\"" + INVALID_UTF8 + "\"}"));
        bodies.put("random binary", random(300, 11));
        bodies.forEach((name, body) -> cases.add(new Case("lambda: " + name, Seeds.lambda(new RawHttp.Request("POST",
                "/2015-03-31/functions")).header("Content-Type", "application/json").body(body), Wire.REST_JSON,
                "SerializationException")));
        cases.add(new Case("lambda: no such path", Seeds.lambda(new RawHttp.Request("GET", "/2015-03-31/nothing")), Wire.REST_JSON,
                null));
        cases.add(new Case("lambda: integer query param not a number", Seeds.lambda(new RawHttp.Request("GET",
                "/2015-03-31/functions?MaxItems=abc")), Wire.REST_JSON, null));
        cases.add(new Case("lambda: integer query param overflow", Seeds.lambda(new RawHttp.Request("GET",
                "/2015-03-31/functions?MaxItems=99999999999999999999")), Wire.REST_JSON, null));
    }

    private static void restXmlCases(List<Case> cases) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("truncated", bytes("<Delete><Object><Key>a</Key>"));
        bodies.put("not xml", bytes("{\"Objects\":[]}"));
        bodies.put("two roots", bytes("<Delete></Delete><Delete></Delete>"));
        bodies.put("mismatched tags", bytes("<Delete><Object></Delete></Object>"));
        bodies.put("nested 10k deep", bytes("<Delete>" + "<Object>".repeat(10_000) + "</Object>".repeat(10_000) + "</Delete>"));
        bodies.put("doctype", bytes("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x \"y\">]><Delete>&x;</Delete>"));
        bodies.put("xxe", bytes("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Delete><Object><Key>&x;</Key></Object></Delete>"));
        bodies.put("undeclared entity", bytes("<Delete><Object><Key>&nope;</Key></Object></Delete>"));
        bodies.put("Quiet not a boolean", bytes("<Delete><Object><Key>a</Key></Object><Quiet>maybe</Quiet></Delete>"));
        bodies.put("invalid utf-8", latin1("<Delete><Object><Key>" + INVALID_UTF8 + "</Key></Object></Delete>"));
        bodies.put("NUL in text", bytes("<Delete><Object><Key>a\u0000</Key></Object></Delete>"));
        bodies.put("bad char reference", bytes("<Delete><Object><Key>&#0;&#xD800;</Key></Object></Delete>"));
        bodies.put("declared encoding lies", bytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?><Delete/>"));
        bodies.put("unknown encoding", bytes("<?xml version=\"1.0\" encoding=\"x-nope\"?><Delete/>"));
        bodies.put("random binary", random(400, 5));
        bodies.forEach((name, body) -> cases.add(new Case("s3 DeleteObjects: " + name, Seeds.s3DeleteObjects().copy()
                .removeHeader("Content-MD5").body(body), Wire.S3_XML, "MalformedXML")));
        cases.add(new Case("s3 CreateBucket: not xml", Seeds.s3CreateBucket().copy().body("garbage"), Wire.S3_XML,
                "MalformedXML"));
        cases.add(new Case("s3 CreateBucket: unknown LocationConstraint", Seeds.s3CreateBucket().copy()
                .body("<CreateBucketConfiguration><LocationConstraint>" + "x".repeat(5000)
                        + "</LocationConstraint></CreateBucketConfiguration>"), Wire.S3_XML, null));
        cases.add(new Case("s3 ListObjectsV2: max-keys not a number", new RawHttp.Request("GET",
                "/my-bucket?list-type=2&max-keys=abc"), Wire.S3_XML, "InvalidArgument"));
        cases.add(new Case("s3 ListObjectsV2: max-keys overflow", new RawHttp.Request("GET",
                "/my-bucket?list-type=2&max-keys=99999999999999999999999"), Wire.S3_XML, "InvalidArgument"));
        cases.add(new Case("s3 ListObjectsV2: control characters echoed in the message", new RawHttp.Request("GET",
                "/my-bucket?list-type=2&max-keys=%01%1B"), Wire.S3_XML, "InvalidArgument"));
        cases.add(new Case("s3 GetObject: bad If-Modified-Since date", new RawHttp.Request("GET", "/b/k")
                .header("If-Modified-Since", "yesterday"), Wire.S3_XML, null));
        cases.add(new Case("s3 PutObject: Content-Length not a number", new RawHttp.Request("PUT", "/b/k")
                .header("x-amz-object-lock-retain-until-date", "not a date").body("x"), Wire.S3_XML, "InvalidArgument"));
        cases.add(new Case("s3: unsupported method on bucket", new RawHttp.Request("PATCH", "/b"), Wire.S3_XML,
                "MethodNotAllowed"));
    }

    private static void queryCases(List<Case> cases) {
        String sts = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr"
                + "&RoleSessionName=sess";
        cases.add(new Case("sts: DurationSeconds not a number", Seeds.form(sts + "&DurationSeconds=abc"), Wire.QUERY_XML, null));
        cases.add(new Case("sts: DurationSeconds overflow", Seeds.form(sts + "&DurationSeconds=99999999999999999999"),
                Wire.QUERY_XML, null));
        cases.add(new Case("sts: list index not a number", Seeds.form(sts + "&Tags.member.x.Key=k"), Wire.QUERY_XML, null));
        cases.add(new Case("sts: list index huge", Seeds.form(sts + "&Tags.member.99999999999.Key=k"), Wire.QUERY_XML, null));
        cases.add(new Case("sts: list index negative", Seeds.form(sts + "&Tags.member.-1.Key=k"), Wire.QUERY_XML, null));
        cases.add(new Case("sts: list index zero", Seeds.form(sts + "&Tags.member.0.Key=k"), Wire.QUERY_XML, null));
        cases.add(new Case("sts: bad percent escapes", Seeds.form(sts + "&Policy=%zz%&%=%"), Wire.QUERY_XML, null));
        cases.add(new Case("sts: unknown action", Seeds.form("Action=Nope&Version=2011-06-15"), Wire.QUERY_XML,
                "InvalidAction"));
        cases.add(new Case("sts: missing required", Seeds.form("Action=AssumeRole&Version=2011-06-15"), Wire.QUERY_XML,
                null));
        cases.add(new Case("iam: invalid utf-8 value", Seeds.form("Action=CreateUser&Version=2010-05-08&UserName=%C3%28"),
                Wire.QUERY_XML, null));
        cases.add(new Case("iam: raw invalid utf-8 body", new RawHttp.Request("POST", "/").header("Content-Type",
                Seeds.FORM).body(latin1("Action=CreateUser&Version=2010-05-08&UserName=" + INVALID_UTF8)),
                Wire.QUERY_XML, null));
        // control characters echoed in error messages must still make XML 1.0 that SDKs can parse
        cases.add(new Case("sts: control characters echoed in the message", Seeds.form(sts.replace("RoleSessionName=sess",
                "RoleSessionName=%01%13%1F")), Wire.QUERY_XML, "ValidationError"));
        cases.add(new Case("ec2: control characters echoed in the message", Seeds.form("Action=DescribeInstances"
                + "&Version=2016-11-15&MaxResults=%01%02"), Wire.EC2_XML, null));
        cases.add(new Case("iam: NUL in value", Seeds.form("Action=CreateUser&Version=2010-05-08&UserName=a%00b"),
                Wire.QUERY_XML, null));
        cases.add(new Case("iam: structure member given a value", Seeds.form("Action=CreateUser&Version=2010-05-08"
                + "&UserName=u&Tags=x&Tags.member=y"), Wire.QUERY_XML, null));
        cases.add(new Case("ec2: MaxResults not a number", Seeds.form("Action=DescribeInstances&Version=2016-11-15"
                + "&MaxResults=ten"), Wire.EC2_XML, null));
        cases.add(new Case("ec2: DryRun not a boolean", Seeds.form("Action=DescribeInstances&Version=2016-11-15"
                + "&DryRun=perhaps"), Wire.EC2_XML, null));
        cases.add(new Case("ec2: unknown action", Seeds.form("Action=DescribeNothing&Version=2016-11-15"), Wire.EC2_XML,
                "InvalidAction"));
        cases.add(new Case("ec2: filter index garbage", Seeds.form("Action=DescribeInstances&Version=2016-11-15"
                + "&Filter.a.Name=x&Filter.1.Value.b=y"), Wire.EC2_XML, null));
        cases.add(new Case("ec2: timestamp garbage", Seeds.form("Action=DescribeSpotPriceHistory&Version=2016-11-15"
                + "&StartTime=noon"), Wire.EC2_XML, null));
    }

    private static void cborCases(List<Case> cases) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("truncated map", new byte[]{(byte) 0xA2, 0x61, 0x61});
        bodies.put("reserved additional info", new byte[]{(byte) 0x1C});
        bodies.put("break outside indefinite", new byte[]{(byte) 0xFF});
        bodies.put("array at top", Seeds.encodeCbor(List.of(1, 2)));
        bodies.put("text at top", Seeds.encodeCbor("x"));
        bodies.put("Namespace as number", Seeds.encodeCbor(Map.of("Namespace", 12, "MetricData", List.of())));
        bodies.put("MetricData as map", Seeds.encodeCbor(Map.of("Namespace", "n", "MetricData", Map.of("a", 1))));
        bodies.put("Value as string", Seeds.encodeCbor(Map.of("Namespace", "n", "MetricData",
                List.of(Map.of("MetricName", "m", "Value", "1")))));
        bodies.put("huge map length", new byte[]{(byte) 0xBB, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        bodies.put("huge text length", new byte[]{(byte) 0xA1, 0x7B, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        bodies.put("nested 100k deep", nestedCborArrays(100_000));
        bodies.put("invalid utf-8 text", new byte[]{(byte) 0xA1, 0x69, 'N', 'a', 'm', 'e', 's', 'p', 'a', 'c', 'e',
                0x62, (byte) 0xC3, 0x28});
        bodies.put("bignum tag on a double (accepted)", concat(new byte[]{(byte) 0xA2, 0x69}, bytes("Namespace"),
                new byte[]{0x61, 'n', 0x6A}, bytes("MetricData"), new byte[]{(byte) 0x81, (byte) 0xA2, 0x6A},
                bytes("MetricName"), new byte[]{0x61, 'm', 0x65}, bytes("Value"),
                new byte[]{(byte) 0xC2, 0x58, 0x20}, new byte[32]));
        bodies.put("random binary", random(200, 3));
        bodies.forEach((name, body) -> cases.add(new Case("cloudwatch: " + name,
                Seeds.cborBytes("PutMetricData", body), Wire.CBOR,
                name.endsWith("(accepted)") ? null : "SerializationException")));
        cases.add(new Case("cloudwatch: unknown operation", Seeds.cborBytes("Nope", new byte[0]), Wire.CBOR,
                "UnknownOperationException"));
        cases.add(new Case("cloudwatch: gzip bomb lie", Seeds.cborBytes("PutMetricData", bytes("not gzip"))
                .header("Content-Encoding", "gzip"), Wire.CBOR, "SerializationException"));
    }

    static byte[] nestedCborArrays(int depth) {
        byte[] b = new byte[depth + 1];
        java.util.Arrays.fill(b, 0, depth, (byte) 0x81);
        b[depth] = 0x01;
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
