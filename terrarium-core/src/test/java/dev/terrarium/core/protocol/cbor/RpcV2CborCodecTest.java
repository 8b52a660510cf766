package dev.terrarium.core.protocol.cbor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpcV2CborCodecTest {
    private static final String PREFIX = "/service/GraniteServiceVersion20100801/operation/";
    private static ServiceModel cloudwatch;
    private final RpcV2CborCodec codec = new RpcV2CborCodec();

    @BeforeAll
    static void load() {
        cloudwatch = Models.fromClasspath().model("cloudwatch");
    }

    private static HttpRequest post(String path, byte[] body) {
        Headers h = new Headers().set("Smithy-Protocol", "rpc-v2-cbor").set("Content-Type", "application/cbor");
        return HttpRequest.of("POST", path, h, body);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private Struct parse(String operation, byte[] body) {
        Operation op = cloudwatch.operation(operation);
        return codec.parseRequest(cloudwatch, op, post(PREFIX + operation, body));
    }

    // ---- resolveOperation

    @Test
    void resolvesTheOperationFromThePath() {
        Operation op = codec.resolveOperation(cloudwatch, post(PREFIX + "PutMetricData", new byte[0]));
        assertThat(op).isNotNull();
        assertThat(op.name()).isEqualTo("PutMetricData");
        assertThat(codec.resolveOperation(cloudwatch, post("/some/prefix" + PREFIX + "GetMetricData", new byte[0])).name())
                .isEqualTo("GetMetricData");
    }

    @Test
    void resolvesNothingForUnknownOperationsOtherServicesOrMethods() {
        assertThat(codec.resolveOperation(cloudwatch, post(PREFIX + "NoSuchOperation", new byte[0]))).isNull();
        assertThat(codec.resolveOperation(cloudwatch, post("/service/CloudWatch/operation/PutMetricData", new byte[0])))
                .isNull();
        assertThat(codec.resolveOperation(cloudwatch, post("/", new byte[0]))).isNull();
        assertThat(codec.resolveOperation(cloudwatch, post(PREFIX, new byte[0]))).isNull();
        assertThat(codec.resolveOperation(cloudwatch, post(PREFIX + "PutMetricData/extra", new byte[0]))).isNull();
        assertThat(codec.resolveOperation(cloudwatch,
                HttpRequest.of("GET", PREFIX + "PutMetricData", new Headers(), null))).isNull();
    }

    @Test
    void pathParsing() {
        assertThat(RpcV2Path.parse("/service/A/operation/B")).isEqualTo(new RpcV2Path("A", "B"));
        assertThat(RpcV2Path.parse("/service/A%20B/operation/C")).isEqualTo(new RpcV2Path("A B", "C"));
        assertThat(RpcV2Path.parse("/operation/B")).isNull();
        assertThat(RpcV2Path.parse("/service//operation/B")).isNull();
        assertThat(RpcV2Path.parse(null)).isNull();
    }

    // ---- parseRequest: what botocore sends

    @Test
    void parsesBotocoresPutMetricData() {
        JsonNode req = Botocore.run("""
                import botocore.session, json, base64, datetime
                from botocore.serialize import create_serializer
                model = botocore.session.get_session().get_service_model('cloudwatch')
                params = {'Namespace': 'App/Web', 'MetricData': [
                    {'MetricName': 'Latency', 'Timestamp': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
                     'Value': 1.5, 'Dimensions': [{'Name': 'Host', 'Value': 'h1'}], 'Unit': 'Seconds',
                     'Values': [1.0, 2.5], 'Counts': [3.0, 4.0], 'StorageResolution': 1},
                    {'MetricName': 'Stats', 'StatisticValues': {'SampleCount': 2, 'Sum': 3, 'Minimum': 1, 'Maximum': 2}}]}
                req = create_serializer('smithy-rpc-v2-cbor').serialize_to_request(params, model.operation_model('PutMetricData'))
                print(json.dumps({'path': req['url_path'], 'headers': dict(req['headers']),
                                  'body': base64.b64encode(req['body']).decode()}))
                """);
        Headers headers = new Headers();
        req.get("headers").fields().forEachRemaining(e -> headers.set(e.getKey(), e.getValue().asText()));
        HttpRequest request = HttpRequest.of("POST", req.get("path").asText(), headers,
                java.util.Base64.getDecoder().decode(req.get("body").asText()));

        Operation op = codec.resolveOperation(cloudwatch, request);
        assertThat(op.name()).isEqualTo("PutMetricData");
        Struct in = codec.parseRequest(cloudwatch, op, request);

        assertThat(in.string("Namespace")).isEqualTo("App/Web");
        List<Struct> data = in.structs("MetricData");
        assertThat(data).hasSize(2);
        Struct first = data.get(0);
        assertThat(first.string("MetricName")).isEqualTo("Latency");
        assertThat(first.timestamp("Timestamp")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(first.get("Value")).isEqualTo(1.5d);
        assertThat(first.get("Values")).isEqualTo(List.of(1.0d, 2.5d));
        assertThat(first.get("StorageResolution")).isEqualTo(1);
        assertThat(first.structs("Dimensions").get(0)).isEqualTo(Struct.of("Name", "Host", "Value", "h1"));
        assertThat(first.string("Unit")).isEqualTo("Seconds");
        assertThat(data.get(1).struct("StatisticValues").get("Sum")).isEqualTo(3.0d);
    }

    @Test
    void parsesBotocoresGetMetricDataWithTimestampsAndEmptyInputs() {
        JsonNode req = Botocore.run("""
                import botocore.session, json, base64, datetime
                from botocore.serialize import create_serializer
                model = botocore.session.get_session().get_service_model('cloudwatch')
                ser = create_serializer('smithy-rpc-v2-cbor')
                utc = datetime.timezone.utc
                a = ser.serialize_to_request({'MetricDataQueries': [{'Id': 'q1', 'Expression': 'SUM(METRICS())', 'ReturnData': True}],
                    'StartTime': datetime.datetime(2024, 1, 1, tzinfo=utc), 'EndTime': datetime.datetime(2030, 6, 1, 12, tzinfo=utc),
                    'ScanBy': 'TimestampDescending', 'MaxDatapoints': 100800}, model.operation_model('GetMetricData'))
                b = ser.serialize_to_request({}, model.operation_model('ListDashboards'))
                print(json.dumps({'a': base64.b64encode(a['body']).decode(), 'b': base64.b64encode(b['body']).decode()}))
                """);
        Struct in = parse("GetMetricData", java.util.Base64.getDecoder().decode(req.get("a").asText()));
        assertThat(in.timestamp("StartTime")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(in.timestamp("EndTime")).isEqualTo(Instant.parse("2030-06-01T12:00:00Z"));
        assertThat(in.string("ScanBy")).isEqualTo("TimestampDescending");
        assertThat(in.get("MaxDatapoints")).isEqualTo(100800);
        assertThat(in.structs("MetricDataQueries").get(0))
                .isEqualTo(Struct.of("Id", "q1", "Expression", "SUM(METRICS())", "ReturnData", true));

        assertThat(parse("ListDashboards", java.util.Base64.getDecoder().decode(req.get("b").asText()))).isEqualTo(Struct.empty());
    }

    // ---- parseRequest: the CBOR forms other clients may use

    @Test
    void emptyBodyAndEmptyMapsAreEmptyInput() {
        assertThat(parse("ListDashboards", new byte[0])).isEqualTo(Struct.empty());
        assertThat(parse("ListDashboards", hex("a0"))).isEqualTo(Struct.empty());
        assertThat(parse("ListDashboards", hex("bfff"))).isEqualTo(Struct.empty());
    }

    @Test
    void operationWithoutInputAcceptsEmptyMapAndEmptyBody() {
        Operation noInput = cloudwatch.operations().values().stream().filter(o -> o.input() == null).findFirst().orElse(null);
        if (noInput == null) {
            return; // every CloudWatch operation takes an input today
        }
        assertThat(parse(noInput.name(), hex("bfff"))).isEqualTo(Struct.empty());
    }

    @Test
    void indefiniteLengthMapsArraysAndStrings() {
        // {_ "Namespace": (_ "Ap", "p"), "MetricData": [_ {_ "MetricName": "m"}]}
        byte[] body = hex("bf 69 4e616d657370616365 7f 624170 6170 ff"
                + " 6a 4d657472696344617461 9f bf 6a 4d65747269634e616d65 616d ff ff ff");
        Struct in = parse("PutMetricData", body);
        assertThat(in.string("Namespace")).isEqualTo("App");
        assertThat(in.structs("MetricData").get(0).string("MetricName")).isEqualTo("m");
    }

    @Test
    void fractionalTimestampsHalfFloatsAndBigNumbers() {
        // {"StartTime": 1(946845296.123), "EndTime": 1(1700000000), "MaxDatapoints": 5}
        byte[] body = hex("a3 69 537461727454696d65 c1 fb 41cc37db380fbe77"
                + " 67 456e6454696d65 c1 1a 6553f100 6d 4d617844617461706f696e7473 05");
        Struct in = parse("GetMetricData", body);
        assertThat(in.timestamp("StartTime")).isEqualTo(Instant.parse("2000-01-02T20:34:56.123Z"));
        assertThat(in.timestamp("EndTime")).isEqualTo(Instant.ofEpochSecond(1700000000L));

        // a double member sent as a half float (1.5) and as an integer (upcasting)
        Struct datum = parse("PutMetricData", hex("a2 69 4e616d657370616365 6161 6a 4d657472696344617461 81"
                + " a2 6a 4d65747269634e616d65 616d 65 56616c7565 f9 3e00")).structs("MetricData").get(0);
        assertThat(datum.get("Value")).isEqualTo(1.5d);
        Struct upcast = parse("PutMetricData", hex("a2 69 4e616d657370616365 6161 6a 4d657472696344617461 81"
                + " a2 6a 4d65747269634e616d65 616d 65 56616c7565 18 2a")).structs("MetricData").get(0);
        assertThat(upcast.get("Value")).isEqualTo(42.0d);
    }

    @Test
    void bignumsAndDecimalFractionsReadIntoBigShapes() throws Exception {
        // read through a document so the shape does not force a type: tag 2 bignum and tag 4 decimal fraction
        Object big = readDocument(hex("c2 49 010000000000000000"));
        assertThat(big).isEqualTo(new BigInteger("18446744073709551616"));
        Object negative = readDocument(hex("c3 49 010000000000000000"));
        assertThat(negative).isEqualTo(new BigInteger("-18446744073709551617"));
        Object decimal = readDocument(hex("c4 82 21 19 6ab3"));
        assertThat(new BigDecimal(decimal.toString())).isEqualByComparingTo("273.15");
    }

    private static Object readDocument(byte[] cbor) throws Exception {
        try (var p = Cbor.FACTORY.createParser(cbor)) {
            p.nextToken();
            return p.getNumberValue();
        }
    }

    @Test
    void unknownMembersAreSkippedAndNullsAreAbsent() {
        // {"Extra": {"a": [1, {_ "b": h'00'}]}, "Namespace": null, "NextToken": "t"}
        byte[] body = hex("a3 65 4578747261 a1 6161 82 01 bf 6162 41 00 ff"
                + " 69 4e616d657370616365 f6 69 4e657874546f6b656e 6174");
        Struct in = parse("ListMetrics", body);
        assertThat(in).isEqualTo(Struct.of("NextToken", "t"));
    }

    @Test
    void gzipEncodedBodies() throws Exception {
        byte[] cbor = hex("a1 69 4e616d657370616365 63 417070");
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(cbor);
        }
        HttpRequest req = post(PREFIX + "PutMetricData", zipped.toByteArray());
        req.headers().set("Content-Encoding", "gzip");
        assertThat(codec.parseRequest(cloudwatch, cloudwatch.operation("PutMetricData"), req).string("Namespace"))
                .isEqualTo("App");

        HttpRequest bad = post(PREFIX + "PutMetricData", cbor);
        bad.headers().set("Content-Encoding", "gzip");
        assertSerializationError(() -> codec.parseRequest(cloudwatch, cloudwatch.operation("PutMetricData"), bad));
    }

    // ---- malformed input: always SerializationException 400

    @ParameterizedTest
    @ValueSource(strings = {
            "a2 69 4e61",                              // truncated
            "1c",                                      // reserved additional info
            "63 616263",                               // a text string, not a map
            "82 01 02",                                // an array, not a map
            "a1 69 4e616d657370616365 01",             // Namespace is an integer
            "a1 69 4e616d657370616365 41 00",          // Namespace is a byte string
            "a1 69 4e616d657370616365 62 c328",        // invalid UTF-8
            "a1 6a 4d657472696344617461 a0",           // MetricData is a map, not a list
            "a1 6a 4d657472696344617461 81 01",        // a list element is not a structure
            "a0 a0",                                   // trailing data
            "bf 69 4e616d657370616365 6161",           // indefinite map without break
            "a1 69 4e616d657370616365 7f 61 61 01 ff", // indefinite text string with a non-text chunk
            "ff",                                      // a lone break
    })
    void malformedCborIsASerializationException(String body) {
        assertSerializationError(() -> parse("PutMetricData", hex(body)));
    }

    @Test
    void wrongScalarTypesAreSerializationExceptions() {
        // StorageResolution (integer) out of range, and a float for it
        String datum = "a2 69 4e616d657370616365 6161 6a 4d657472696344617461 81 a2 6a 4d65747269634e616d65 616d";
        assertSerializationError(() -> parse("PutMetricData", hex(datum + " 71 53746f726167655265736f6c7574696f6e 1b 0000010000000000")));
        assertSerializationError(() -> parse("PutMetricData", hex(datum + " 71 53746f726167655265736f6c7574696f6e fb 3ff8000000000000")));
        // a timestamp as a string, and with a tag other than 1
        assertSerializationError(() -> parse("GetMetricData", hex("a1 69 537461727454696d65 63 616263")));
        assertSerializationError(() -> parse("GetMetricData", hex("a1 69 537461727454696d65 c0 01")));
        assertSerializationError(() -> parse("GetMetricData", hex("a1 69 537461727454696d65 c1 fb 7ff8000000000000")));
        // a boolean as an integer
        assertSerializationError(() -> parse("PutMetricData", hex("a1 76 537472696374456e7469747956616c69646174696f6e 01")));
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        byte[] body = new byte[20_000];
        java.util.Arrays.fill(body, (byte) 0x81);
        byte[] withKey = concat(hex("a1 65 4578747261"), body);
        assertSerializationError(() -> parse("ListMetrics", withKey));
    }

    @Test
    void randomBytesNeverCrash() {
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            byte[] body = new byte[1 + random.nextInt(40)];
            random.nextBytes(body);
            if (i % 2 == 0) {
                body[0] = (byte) (0xa0 | random.nextInt(4)); // start most of them as a small map
            }
            try {
                parse("PutMetricData", body);
            } catch (AwsException e) {
                assertThat(e.code()).isEqualTo("SerializationException");
                assertThat(e.status()).isEqualTo(400);
            }
        }
    }

    private static void assertSerializationError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo("SerializationException");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isNotBlank();
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- responses

    private static Struct getMetricDataOutput() {
        return Struct.of(
                "MetricDataResults", List.of(Struct.of(
                        "Id", "q1", "Label", "Latency",
                        "Timestamps", List.of(Instant.parse("2024-01-02T03:04:05Z"), Instant.parse("2024-01-02T03:05:05.250Z")),
                        "Values", List.of(1.5d, 2),
                        "StatusCode", "Complete")),
                "Messages", List.of(),
                "NotInTheModel", "dropped");
    }

    @Test
    void serializesGetMetricDataSoBotocoreReadsIt() {
        Operation op = cloudwatch.operation("GetMetricData");
        HttpResponse response = codec.serializeResponse(cloudwatch, op, getMetricDataOutput(), "req-1");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("smithy-protocol")).isEqualTo("rpc-v2-cbor");
        assertThat(response.headers().get("content-type")).isEqualTo("application/cbor");
        assertThat(response.headers().get("x-amzn-requestid")).isEqualTo("req-1");

        JsonNode parsed = botocoreParse("GetMetricData", response);
        JsonNode result = parsed.get("MetricDataResults").get(0);
        assertThat(result.get("Id").asText()).isEqualTo("q1");
        assertThat(result.get("Timestamps").get(0).asText()).isEqualTo("2024-01-02T03:04:05+00:00");
        assertThat(result.get("Timestamps").get(1).asText()).isEqualTo("2024-01-02T03:05:05.250000+00:00");
        assertThat(result.get("Values").get(1).asDouble()).isEqualTo(2.0);
        assertThat(result.get("StatusCode").asText()).isEqualTo("Complete");
        assertThat(parsed.get("Messages").size()).isZero();
        assertThat(parsed.get("ResponseMetadata").get("RequestId").asText()).isEqualTo("req-1");
    }

    @Test
    void responsesRoundTripThroughTheReader() {
        Operation op = cloudwatch.operation("GetMetricData");
        byte[] body = codec.serializeResponse(cloudwatch, op, getMetricDataOutput(), "r").body();
        Struct back = CborShapeReader.readStruct(body, op.output());
        Struct expected = getMetricDataOutput().put("NotInTheModel", null);
        expected.structs("MetricDataResults").get(0).put("Values", List.of(1.5d, 2.0d));
        assertThat(back).isEqualTo(expected);
        // timestamps are tag 1 over a float64; the float64 shape member too
        assertThat(HexFormat.of().formatHex(body)).contains("c1fb41d964");
    }

    @Test
    void putInputsRoundTripThroughWriterAndReader() {
        Operation op = cloudwatch.operation("PutMetricData");
        Struct in = Struct.of("Namespace", "App", "MetricData", List.of(Struct.of(
                "MetricName", "m", "Timestamp", Instant.parse("2024-05-06T07:08:09.5Z"), "Value", 0.25d,
                "Dimensions", List.of(Struct.of("Name", "n", "Value", "v")), "Counts", List.of(1.0d),
                "StorageResolution", 60)), "StrictEntityValidation", false);
        Struct back = parse("PutMetricData", CborShapeWriter.write(in, op.input()));
        assertThat(back).isEqualTo(in);
    }

    @Test
    void operationWithoutOutputHasNoBodyAndNoContentType() {
        HttpResponse response = codec.serializeResponse(cloudwatch, cloudwatch.operation("PutMetricData"), null, "r");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().has("content-type")).isFalse();
        assertThat(response.headers().get("smithy-protocol")).isEqualTo("rpc-v2-cbor");
    }

    @Test
    void emptyOutputIsAnEmptyMap() {
        HttpResponse response = codec.serializeResponse(cloudwatch, cloudwatch.operation("ListDashboards"), Struct.empty(), "r");
        assertThat(response.body()).isEqualTo(hex("a0"));
        assertThat(botocoreParse("ListDashboards", response).has("DashboardEntries")).isFalse();
    }

    @Test
    void outputThatDoesNotFitItsShapeIsAnInternalErrorNotACrash() {
        Struct broken = Struct.of("DashboardEntries", "not a list");
        HttpResponse response = codec.serializeResponse(cloudwatch, cloudwatch.operation("ListDashboards"), broken, "r");
        assertThat(response.status()).isEqualTo(500);
        assertThat(Struct.valueEquals(CborShapeReader.readStruct(response.body(), null), Struct.empty())).isTrue();
    }

    // ---- errors

    @Test
    void modeledErrorWithQueryCompatibleHeader() {
        HttpResponse response = codec.serializeError(cloudwatch, cloudwatch.operation("PutMetricData"),
                new AwsException("InvalidParameterValue", "The value -1 is not valid"), "req-9");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers().get("x-amzn-query-error")).isEqualTo("InvalidParameterValue;Sender");
        assertThat(response.headers().get("smithy-protocol")).isEqualTo("rpc-v2-cbor");
        assertThat(response.headers().get("content-type")).isEqualTo("application/cbor");
        Map<String, Object> body = errorBody(response);
        assertThat(body).containsExactly(
                Map.entry("__type", "com.amazonaws.cloudwatch#InvalidParameterValueException"),
                Map.entry("message", "The value -1 is not valid"));

        JsonNode parsed = botocoreParse("PutMetricData", response);
        assertThat(parsed.get("Error").get("Code").asText()).isEqualTo("InvalidParameterValue");
        assertThat(parsed.get("Error").get("Message").asText()).isEqualTo("The value -1 is not valid");
        assertThat(parsed.get("Error").get("QueryErrorCode").asText()).isEqualTo("InvalidParameterValueException");
    }

    @Test
    void errorByShapeNameWithCapitalisedMessageAndServerFault() {
        HttpResponse response = codec.serializeError(cloudwatch, null,
                new AwsException("InternalServiceFault", "boom"), "r");
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.headers().get("x-amzn-query-error")).isEqualTo("InternalServiceError;Receiver");
        assertThat(errorBody(response)).containsEntry("Message", "boom").doesNotContainKey("message");
    }

    @Test
    void errorWithModeledFields() {
        Struct fields = Struct.of("dashboardValidationMessages",
                List.of(Struct.of("DataPath", "/widgets/0", "Message", "bad widget")));
        HttpResponse response = codec.serializeError(cloudwatch, cloudwatch.operation("PutDashboard"),
                new AwsException("InvalidParameterInput", "invalid dashboard").withFields(fields), "r");
        assertThat(response.status()).isEqualTo(400);
        JsonNode parsed = botocoreParse("PutDashboard", response);
        assertThat(parsed.get("Error").get("Code").asText()).isEqualTo("InvalidParameterInput");
        assertThat(parsed.get("dashboardValidationMessages").get(0).get("DataPath").asText()).isEqualTo("/widgets/0");
    }

    @Test
    void unmodeledErrorKeepsItsCodeAndStatus() {
        HttpResponse response = codec.serializeError(cloudwatch, null,
                new AwsException("SerializationException", "Malformed CBOR", 400), "r");
        assertThat(response.status()).isEqualTo(400);
        assertThat(errorBody(response)).containsEntry("__type", "SerializationException");
        assertThat(response.headers().get("x-amzn-query-error")).isEqualTo("SerializationException;Sender");

        HttpResponse notImplemented = codec.serializeError(cloudwatch, null,
                AwsException.notImplemented("cloudwatch", "PutMetricData"), "r");
        assertThat(notImplemented.status()).isEqualTo(501);
        assertThat(errorBody(notImplemented)).containsEntry("__type", "NotImplemented");
    }

    @Test
    void customNamespaceForProtocolTests() {
        RpcV2CborCodec custom = new RpcV2CborCodec(m -> "smithy.protocoltests.rpcv2Cbor");
        HttpResponse response = custom.serializeError(cloudwatch, null, new AwsException("ResourceNotFound", "gone"), "r");
        assertThat(response.status()).isEqualTo(404);
        assertThat(errorBody(response).get("__type")).isEqualTo("smithy.protocoltests.rpcv2Cbor#ResourceNotFound");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> errorBody(HttpResponse response) {
        try (var p = Cbor.FACTORY.createParser(response.body())) {
            return new com.fasterxml.jackson.databind.ObjectMapper(Cbor.FACTORY).readValue(p, Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode botocoreParse(String operation, HttpResponse response) {
        StringBuilder headers = new StringBuilder("{");
        for (String name : response.headers().names()) {
            headers.append('\'').append(name).append("': '").append(response.headers().get(name)).append("', ");
        }
        headers.append('}');
        return Botocore.run("""
                import botocore.session, json, datetime
                from botocore.parsers import create_parser
                model = botocore.session.get_session().get_service_model('cloudwatch')
                op = model.operation_model('%s')
                resp = {'status_code': %d, 'headers': %s, 'body': bytes.fromhex('%s')}
                parser = create_parser('smithy-rpc-v2-cbor')
                parsed = parser.parse(resp, op.output_shape)
                if resp['status_code'] >= 300:
                    code = parsed['Error']['Code']
                    for err in op.error_shapes:
                        if err.error_code == code or err.name == code:
                            parsed.update(create_parser('smithy-rpc-v2-cbor').parse(resp, err))
                def conv(o):
                    if isinstance(o, datetime.datetime):
                        return o.isoformat()
                    if isinstance(o, bytes):
                        return o.hex()
                    return str(o)
                print(json.dumps(parsed, default=conv))
                """.formatted(operation, response.status(), headers, HexFormat.of().formatHex(response.body())));
    }
}
