package dev.terrarium.core.protocol.json;

import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming reader gives what the JsonNode-tree reader gives: the same Struct, or the same error. */
class JsonStreamReaderTest {
    private static final Shape KITCHEN = Kitchen.model().shape("Kitchen");

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"str_wire\": \"hello\", \"Int\": 42, \"Long\": 9007199254740993, \"Short\": -3, \"Byte\": 7,"
                    + " \"Float\": 1.5, \"Double\": 2.25, \"BigDec\": 12345678901234567890.123456789000,"
                    + " \"BigInt\": 123456789012345678901234567890, \"Bool\": true, \"Blob\": \"aGk=\","
                    + " \"Ts\": 1398796238.123, \"TsIso\": \"2014-04-29T18:30:38.5Z\","
                    + " \"TsHttp\": \"Tue, 29 Apr 2014 18:30:38 GMT\"}",
            "{\"Double\": \"NaN\", \"Float\": \"-Infinity\", \"Nested\": {\"Double\": \"Infinity\"}}",
            "{\"Int\": null, \"Nested\": null}", "", "  \n", "null", "{}", "{\"unknown\": {\"a\": [1, {\"b\": null}]}}",
            "{\"Int\": 1, \"Int\": 2}", "{\"Int\": 1, \"Int\": null}", "{\"Ts\": 1398796238}", "{\"Ts\": -1.5}",
            "{\"BigDec\": 10}", "{\"BigDec\": 1.50}", "{\"Double\": 3}", "{\"Long\": -9223372036854775808}",
            "{\"Long\": 9223372036854775808}", "{\"Int\": -2147483649}", "{\"Short\": 32768}",
            "{\"Strings\": [\"a\", null, \"b\"]}", "{\"Counts\": {\"x\": 1, \"y\": null}}",
            "{\"Doc\": {\"a\": [1, 2.5, \"x\", true, null, {\"b\": {}}]}}", "{\"Doc\": 1.25}", "{\"Doc\": null}",
            "{\"Union\": {\"A\": \"a\"}}", "{\"Union\": {\"A\": \"a\", \"A\": \"b\"}}",
            "{\"str_wire\": 1}", "{\"str_wire\": true}", "{\"str_wire\": {}}", "{\"str_wire\": []}",
            "{\"Int\": \"1\"}", "{\"Int\": 1.5}", "{\"Int\": 2147483648}", "{\"Byte\": 128}", "{\"Long\": 1e3}",
            "{\"Bool\": \"true\"}", "{\"Bool\": 1}", "{\"Double\": \"1.5\"}", "{\"Double\": \"nan\"}",
            "{\"Blob\": 5}", "{\"Blob\": \"not*base64\"}", "{\"Ts\": \"2014-04-29T18:30:38Z\"}",
            "{\"TsIso\": 1398796238}", "{\"TsIso\": \"yesterday\"}", "{\"Strings\": \"a\"}", "{\"Strings\": [1]}",
            "{\"Counts\": []}", "{\"Counts\": {\"x\": \"1\"}}", "{\"Nested\": []}", "{\"Nested\": \"x\"}",
            "{\"Union\": {\"A\": \"a\", \"B\": 1}}", "{\"BigInt\": 1.5}", "{\"BigDec\": \"1\"}",
            "[]", "\"body\"", "42", "true",
            "{", "{\"a\": }", "{\"a\": 1} {", "{\"a\": 1} 2", "{'a': 1}", "nul", "{\"a\": 1,}", "\u0000",
            "{\"Int\": \"x\", \"a\": }", "{\"Int\": \"x\"} {", "{\"Nested\": [1, 2, {\"x\": ]}"})
    void agreesWithTheTreeReader(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        assertThat(outcome(() -> JsonStreamReader.readStruct(KITCHEN, body)))
                .isEqualTo(outcome(() -> JsonShapeReader.readStructTree(KITCHEN, body)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"TableName\": \"t\", \"Item\": {\"pk\": {\"S\": \"a\"}, \"n\": {\"N\": \"1.50\"}, \"b\": {\"B\": \"aGk=\"},"
                    + " \"m\": {\"M\": {\"l\": {\"L\": [{\"BOOL\": true}, {\"NULL\": true}, {\"SS\": [\"x\", \"y\"]}]}}}},"
                    + " \"ConditionExpression\": \"attribute_not_exists(pk)\", \"ReturnValues\": \"ALL_OLD\"}",
            "{\"TableName\": \"t\", \"Item\": {\"pk\": {\"S\": 1}}}",
            "{\"TableName\": \"t\", \"Item\": {\"pk\": {\"S\": \"a\", \"N\": \"1\"}}}"})
    void agreesOnDynamoDbItems(String json) {
        Shape putItem = Models.fromClasspath().model("dynamodb").shape("PutItemInput");
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        assertThat(outcome(() -> JsonStreamReader.readStruct(putItem, body)))
                .isEqualTo(outcome(() -> JsonShapeReader.readStructTree(putItem, body)));
    }

    private static String outcome(java.util.function.Supplier<Struct> read) {
        try {
            return "ok " + render(read.get());
        } catch (AwsException e) {
            return "error " + e.code() + " " + e.status() + " " + e.getMessage();
        }
    }

    /** A comparable rendering (byte[] by content, types named). */
    private static String render(Object v) {
        if (v instanceof Struct s) {
            StringBuilder sb = new StringBuilder("{");
            for (String name : s.names()) {
                sb.append(name).append('=').append(render(s.get(name))).append(',');
            }
            return sb.append('}').toString();
        }
        if (v instanceof java.util.Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("map{");
            m.forEach((k, x) -> sb.append(k).append('=').append(render(x)).append(','));
            return sb.append('}').toString();
        }
        if (v instanceof java.util.List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            l.forEach(x -> sb.append(render(x)).append(','));
            return sb.append(']').toString();
        }
        if (v instanceof byte[] b) {
            return "bytes" + Arrays.toString(b);
        }
        return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
    }
}
