package dev.terrarium.core.protocol.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.protocol.xml.Botocore;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AwsQueryCodecTest {
    static final Models MODELS = Models.fromClasspath();
    final AwsQueryCodec codec = new AwsQueryCodec();

    private Struct parse(String service, String operation, String paramsJson) {
        return parse(service, operation, null, paramsJson);
    }

    private Struct parse(String service, String operation, String protocol, String paramsJson) {
        ServiceModel model = MODELS.model(service);
        HttpRequest req = Botocore.get().request(service, operation, protocol, paramsJson);
        Operation op = codec.resolveOperation(model, req);
        assertThat(op).isNotNull().extracting(Operation::name).isEqualTo(operation);
        return codec.parseRequest(model, op, req);
    }

    private static HttpRequest form(String body) {
        Headers h = new Headers().add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        return HttpRequest.of("POST", "/", h, body.getBytes(StandardCharsets.UTF_8));
    }

    // ---- requests, as botocore's QuerySerializer writes them ----

    @Test
    void stsAssumeRoleWithListsOfStructuresAndIntegers() {
        Struct in = parse("sts", "AssumeRole", "{\"RoleArn\":\"arn:aws:iam::000000000000:role/r\","
                + "\"RoleSessionName\":\"sess\",\"DurationSeconds\":900,"
                + "\"PolicyArns\":[{\"arn\":\"arn:aws:iam::aws:policy/a\"},{\"arn\":\"arn:aws:iam::aws:policy/b\"}],"
                + "\"Tags\":[{\"Key\":\"team\",\"Value\":\"x y&z=1\"}],\"TransitiveTagKeys\":[\"team\"]}");
        assertThat(in).isEqualTo(Struct.of("RoleArn", "arn:aws:iam::000000000000:role/r", "RoleSessionName", "sess",
                "PolicyArns", List.of(Struct.of("arn", "arn:aws:iam::aws:policy/a"), Struct.of("arn", "arn:aws:iam::aws:policy/b")),
                "DurationSeconds", 900,
                "Tags", List.of(Struct.of("Key", "team", "Value", "x y&z=1")),
                "TransitiveTagKeys", List.of("team")));
        assertThat(in.get("DurationSeconds")).isInstanceOf(Integer.class);
    }

    @Test
    void cloudwatchMetricDataWithDoublesTimestampsAndNestedLists() {
        Struct in = parse("cloudwatch", "PutMetricData", "query", "{\"Namespace\":\"App\",\"MetricData\":[{"
                + "\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"Host\",\"Value\":\"h1\"}],"
                + "\"Timestamp\":\"2024-05-06T07:08:09.250Z\",\"Value\":1.5,\"Unit\":\"Milliseconds\","
                + "\"Values\":[1.0,2.25],\"Counts\":[3,4]},{\"MetricName\":\"Count\",\"Value\":1e300}]}");
        List<Struct> data = in.structs("MetricData");
        assertThat(data).hasSize(2);
        Struct first = data.get(0);
        assertThat(first.structs("Dimensions")).containsExactly(Struct.of("Name", "Host", "Value", "h1"));
        assertThat(first.timestamp("Timestamp")).isEqualTo(Instant.parse("2024-05-06T07:08:09.250Z"));
        assertThat(first.get("Value")).isEqualTo(1.5);
        assertThat(first.list("Values")).containsExactly(1.0, 2.25);
        assertThat(first.list("Counts")).containsExactly(3.0, 4.0);
        assertThat(data.get(1).get("Value")).isEqualTo(1e300);
    }

    @Test
    void emptyListIsSentAsAnEmptyValue() {
        HttpRequest req = Botocore.get().request("cloudwatch", "DeleteAlarms", "query", "{\"AlarmNames\":[]}");
        assertThat(new String(req.body(), StandardCharsets.UTF_8)).contains("AlarmNames=");
        ServiceModel model = MODELS.model("cloudwatch");
        Struct in = codec.parseRequest(model, model.operation("DeleteAlarms"), req);
        assertThat(in).isEqualTo(Struct.of("AlarmNames", List.of()));
    }

    @Test
    void snsMapsWithNamedKeysAndValuesAndBlobs() {
        Struct in = parse("sns", "Publish", "{\"TopicArn\":\"arn:t\",\"Message\":\"héllo 😀\","
                + "\"MessageAttributes\":{\"color\":{\"DataType\":\"String\",\"StringValue\":\"red\"},"
                + "\"bin\":{\"DataType\":\"Binary\",\"BinaryValue\":\"b64:AAEC/w==\"}}}");
        assertThat(in.string("Message")).isEqualTo("héllo 😀");
        Map<String, Object> attrs = in.map("MessageAttributes");
        assertThat(attrs).containsOnlyKeys("color", "bin");
        assertThat(attrs.get("color")).isEqualTo(Struct.of("DataType", "String", "StringValue", "red"));
        assertThat(((Struct) attrs.get("bin")).blob("BinaryValue")).containsExactly(0, 1, 2, 255);
    }

    /** SQS's query wire uses its query-era names (tools/overlays/sqs.json); SqsQueryWireTest covers it in full. */
    @Test
    void sqsOnTheQueryWireWithFlattenedListsAndMaps() {
        Struct in = codec.parseRequest(MODELS.model("sqs"), MODELS.model("sqs").operation("SendMessage"),
                form("Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fq&MessageBody=b&DelaySeconds=5"
                        + "&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=Number&MessageAttribute.1.Value.StringValue=1"));
        assertThat(in).isEqualTo(Struct.of("QueueUrl", "http://q", "MessageBody", "b", "DelaySeconds", 5,
                "MessageAttributes", Map.of("a", Struct.of("StringValue", "1", "DataType", "Number"))));
        Struct receive = codec.parseRequest(MODELS.model("sqs"), MODELS.model("sqs").operation("ReceiveMessage"),
                form("Action=ReceiveMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fq&MessageAttributeName.1=All"
                        + "&MessageAttributeName.2=x&MaxNumberOfMessages=10"));
        assertThat(receive.list("MessageAttributeNames")).containsExactly("All", "x");
        assertThat(receive.integer("MaxNumberOfMessages")).isEqualTo(10);
    }

    @Test
    void iamBooleansAndGetRequests() {
        Struct in = parse("iam", "CreateLoginProfile", "{\"UserName\":\"bob\",\"Password\":\"p&=+ss\",\"PasswordResetRequired\":true}");
        assertThat(in).isEqualTo(Struct.of("UserName", "bob", "Password", "p&=+ss", "PasswordResetRequired", true));
        ServiceModel iam = MODELS.model("iam");
        HttpRequest get = HttpRequest.of("GET", "/?Action=ListUsers&Version=2010-05-08&MaxItems=5&PathPrefix=%2Fa%2F",
                new Headers(), null);
        Operation op = codec.resolveOperation(iam, get);
        assertThat(op.name()).isEqualTo("ListUsers");
        assertThat(codec.parseRequest(iam, op, get)).isEqualTo(Struct.of("PathPrefix", "/a/", "MaxItems", 5));
    }

    @Test
    void listIndexesOutOfOrderAreReadInNumericOrder() {
        ServiceModel sts = MODELS.model("sts");
        HttpRequest req = form("Action=AssumeRole&Version=2011-06-15&RoleArn=r&RoleSessionName=s"
                + "&TransitiveTagKeys.member.10=j&TransitiveTagKeys.member.2=b&TransitiveTagKeys.member.1=a");
        Struct in = codec.parseRequest(sts, codec.resolveOperation(sts, req), req);
        assertThat(in.list("TransitiveTagKeys")).containsExactly("a", "b", "j");
    }

    // ---- bad input ----

    @Test
    void unknownAndMissingActions() {
        ServiceModel sts = MODELS.model("sts");
        HttpRequest unknown = form("Action=StealCredentials&Version=2011-06-15");
        assertThat(codec.resolveOperation(sts, unknown)).isNull();
        AwsException e = codec.unresolvedOperation(sts, unknown);
        assertThat(e.code()).isEqualTo("InvalidAction");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Could not find operation StealCredentials for version 2011-06-15");

        HttpRequest none = form("Version=2011-06-15");
        assertThat(codec.resolveOperation(sts, none)).isNull();
        assertThat(codec.unresolvedOperation(sts, none).code()).isEqualTo("MissingAction");

        HttpResponse wire = codec.serializeError(sts, null, e, "req-1");
        assertThat(wire.status()).isEqualTo(400);
        JsonNode parsed = Botocore.get().parse("sts", "AssumeRole", wire);
        assertThat(parsed.at("/Error/Code").asText()).isEqualTo("InvalidAction");
    }

    @Test
    void malformedValuesAreInvalidParameterValue() {
        ServiceModel sts = MODELS.model("sts");
        for (String bad : List.of("abc", "99999999999999999999", "1.5", "", "0x10")) {
            HttpRequest req = form("Action=AssumeRole&Version=2011-06-15&RoleArn=r&RoleSessionName=s&DurationSeconds="
                    + java.net.URLEncoder.encode(bad, StandardCharsets.UTF_8));
            AwsException e = catchThrowableOfType(() -> codec.parseRequest(sts, sts.operation("AssumeRole"), req),
                    AwsException.class);
            assertThat(e).as(bad).isNotNull();
            assertThat(e.code()).isEqualTo("InvalidParameterValue");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("DurationSeconds");
        }
        ServiceModel iam = MODELS.model("iam");
        HttpRequest badBool = form("Action=CreateLoginProfile&UserName=u&Password=p&PasswordResetRequired=yes");
        assertThat(catchThrowableOfType(() -> codec.parseRequest(iam, iam.operation("CreateLoginProfile"), badBool),
                AwsException.class).code()).isEqualTo("InvalidParameterValue");
        ServiceModel sns = MODELS.model("sns");
        HttpRequest badBlob = form("Action=Publish&Message=m&MessageAttributes.entry.1.Name=a"
                + "&MessageAttributes.entry.1.Value.DataType=Binary&MessageAttributes.entry.1.Value.BinaryValue=%25%25");
        assertThat(catchThrowableOfType(() -> codec.parseRequest(sns, sns.operation("Publish"), badBlob),
                AwsException.class).code()).isEqualTo("InvalidParameterValue");
        HttpRequest keyless = form("Action=Publish&Message=m&MessageAttributes.entry.1.Value.DataType=String");
        assertThat(catchThrowableOfType(() -> codec.parseRequest(sns, sns.operation("Publish"), keyless),
                AwsException.class).code()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void garbageKeysAndEscapesAreHarmless() {
        ServiceModel sts = MODELS.model("sts");
        HttpRequest req = form("Action=GetCallerIdentity&%ZZ=1&a.b.c.member.x=2&&=&TransitiveTagKeys.member.-1=3");
        Operation op = codec.resolveOperation(sts, req);
        assertThat(codec.parseRequest(sts, op, req)).isEqualTo(Struct.empty());
    }

    // ---- responses and errors, as botocore's QueryParser reads them ----

    @Test
    void responseWithResultWrapperAndRequestId() {
        ServiceModel sts = MODELS.model("sts");
        Struct out = Struct.of("Credentials", Struct.of("AccessKeyId", "ASIAX", "SecretAccessKey", "s<&>",
                        "SessionToken", "tok", "Expiration", Instant.parse("2030-01-01T00:00:00.123Z")),
                "AssumedRoleUser", Struct.of("AssumedRoleId", "AROA:s", "Arn", "arn:aws:sts::000000000000:assumed-role/r/s"),
                "PackedPolicySize", 6);
        HttpResponse r = codec.serializeResponse(sts, sts.operation("AssumeRole"), out, "rid-1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo("text/xml");
        assertThat(r.bodyText()).startsWith("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<AssumeRoleResult><Credentials>")
                .endsWith("</AssumeRoleResult><ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata>"
                        + "</AssumeRoleResponse>");
        JsonNode parsed = Botocore.get().parse("sts", "AssumeRole", r);
        assertThat(parsed.at("/Credentials/SecretAccessKey").asText()).isEqualTo("s<&>");
        assertThat(parsed.at("/Credentials/Expiration").asText()).isEqualTo("2030-01-01T00:00:00.123000Z");
        assertThat(parsed.at("/PackedPolicySize").asInt()).isEqualTo(6);
        assertThat(parsed.at("/ResponseMetadata/RequestId").asText()).isEqualTo("rid-1");
    }

    @Test
    void responsesWithListsMapsAndDoubles() {
        ServiceModel iam = MODELS.model("iam");
        Struct users = Struct.of("Users", List.of(
                Struct.of("Path", "/", "UserName", "a", "UserId", "AIDA1", "Arn", "arn:a", "CreateDate", Instant.parse("2020-01-01T00:00:00Z"),
                        "Tags", List.of(Struct.of("Key", "k", "Value", "v"))),
                Struct.of("Path", "/", "UserName", "b", "UserId", "AIDA2", "Arn", "arn:b", "CreateDate", Instant.parse("2020-01-01T00:00:00Z"))),
                "IsTruncated", false);
        JsonNode parsed = Botocore.get().parse("iam", "ListUsers", codec.serializeResponse(iam, iam.operation("ListUsers"), users, "r"));
        assertThat(parsed.at("/Users/1/UserName").asText()).isEqualTo("b");
        assertThat(parsed.at("/Users/0/Tags/0/Value").asText()).isEqualTo("v");
        assertThat(parsed.at("/IsTruncated").isBoolean()).isTrue();

        ServiceModel sns = MODELS.model("sns");
        JsonNode attrs = Botocore.get().parse("sns", "GetSubscriptionAttributes", codec.serializeResponse(sns,
                sns.operation("GetSubscriptionAttributes"), Struct.of("Attributes", Map.of("RawMessageDelivery", "true")), "r"));
        assertThat(attrs.at("/Attributes/RawMessageDelivery").asText()).isEqualTo("true");

        ServiceModel cw = MODELS.model("cloudwatch");
        JsonNode stats = Botocore.get().parse("cloudwatch", "GetMetricStatistics", "query", codec.serializeResponse(cw,
                cw.operation("GetMetricStatistics"), Struct.of("Label", "L", "Datapoints", List.of(
                        Struct.of("Timestamp", Instant.parse("2024-01-01T00:01:00Z"), "Sum", 12.0, "Maximum", 1.0E10,
                                "Unit", "Count"))), "r"));
        assertThat(stats.at("/Datapoints/0/Sum").asDouble()).isEqualTo(12.0);
        assertThat(stats.at("/Datapoints/0/Maximum").asDouble()).isEqualTo(1.0E10);
    }

    @Test
    void operationsWithoutOutputAndSqsWithoutAResultWrapperInItsModel() {
        ServiceModel iam = MODELS.model("iam");
        HttpResponse r = codec.serializeResponse(iam, iam.operation("DeleteUser"), null, "r9");
        assertThat(r.bodyText()).isEqualTo("<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<ResponseMetadata><RequestId>r9</RequestId></ResponseMetadata></DeleteUserResponse>");
        ServiceModel sqs = MODELS.model("sqs");
        HttpResponse send = codec.serializeResponse(sqs, sqs.operation("SendMessage"),
                Struct.of("MessageId", "m1", "MD5OfMessageBody", "abc"), "r");
        assertThat(send.bodyText()).startsWith("<SendMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                + "<SendMessageResult><MD5OfMessageBody>abc</MD5OfMessageBody><MessageId>m1</MessageId></SendMessageResult>");
    }

    @Test
    void modeledErrorsCarryCodeTypeAndStatus() {
        ServiceModel iam = MODELS.model("iam");
        HttpResponse r = codec.serializeError(iam, iam.operation("GetUser"),
                new AwsException("NoSuchEntityException", "The user with name bob cannot be found."), "rid-2");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name bob cannot be found.</Message>"
                + "</Error><RequestId>rid-2</RequestId></ErrorResponse>");
        JsonNode parsed = Botocore.get().parse("iam", "GetUser", r);
        assertThat(parsed.at("/Error/Code").asText()).isEqualTo("NoSuchEntity");
        assertThat(parsed.at("/Error/Type").asText()).isEqualTo("Sender");
        assertThat(parsed.at("/ResponseMetadata/RequestId").asText()).isEqualTo("rid-2");

        HttpResponse fault = codec.serializeError(iam, null, new AwsException("ServiceFailure", "boom <x>"), "r");
        assertThat(fault.status()).isEqualTo(500);
        JsonNode f = Botocore.get().parse("iam", "GetUser", fault);
        assertThat(f.at("/Error/Type").asText()).isEqualTo("Receiver");
        assertThat(f.at("/Error/Message").asText()).isEqualTo("boom <x>");

        HttpResponse unmodeled = codec.serializeError(iam, null, new AwsException("Throttling", "slow down", 400), "r");
        assertThat(Botocore.get().parse("iam", "GetUser", unmodeled).at("/Error/Code").asText()).isEqualTo("Throttling");
    }
}
