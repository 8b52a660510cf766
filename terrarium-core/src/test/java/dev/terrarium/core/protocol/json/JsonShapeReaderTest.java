package dev.terrarium.core.protocol.json;

import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonShapeReaderTest {
    private static final Shape KITCHEN = Kitchen.model().shape("Kitchen");

    private static Struct read(Shape shape, String json) {
        return JsonShapeReader.readStruct(shape, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryScalarTypeByShape() {
        Struct s = read(KITCHEN, """
                {"str_wire": "hello", "Int": 42, "Long": 9007199254740993, "Short": -3, "Byte": 7,
                 "Float": 1.5, "Double": 2.25, "BigDec": 12345678901234567890.123456789000,
                 "BigInt": 123456789012345678901234567890, "Bool": true, "Blob": "aGk=",
                 "Ts": 1398796238.123, "TsIso": "2014-04-29T18:30:38.5Z", "TsHttp": "Tue, 29 Apr 2014 18:30:38 GMT"}
                """);
        assertThat(s.string("Str")).isEqualTo("hello");
        assertThat(s.get("Int")).isEqualTo(42);
        assertThat(s.get("Long")).isEqualTo(9007199254740993L);
        assertThat(s.get("Short")).isEqualTo((short) -3);
        assertThat(s.get("Byte")).isEqualTo((byte) 7);
        assertThat(s.get("Float")).isEqualTo(1.5f);
        assertThat(s.get("Double")).isEqualTo(2.25d);
        assertThat(s.get("BigDec")).isEqualTo(new BigDecimal("12345678901234567890.123456789000"));
        assertThat(s.get("BigInt")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(s.get("Bool")).isEqualTo(true);
        assertThat(s.blob("Blob")).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(s.timestamp("Ts")).isEqualTo(Instant.parse("2014-04-29T18:30:38.123Z"));
        assertThat(s.timestamp("TsIso")).isEqualTo(Instant.parse("2014-04-29T18:30:38.500Z"));
        assertThat(s.timestamp("TsHttp")).isEqualTo(Instant.parse("2014-04-29T18:30:38Z"));
    }

    @Test
    void wireNameIsLocationNameNotMemberName() {
        assertThat(read(KITCHEN, "{\"Str\": \"x\"}").has("Str")).isFalse();
    }

    @Test
    void floatsAcceptAwsSpecialStrings() {
        Struct s = read(KITCHEN, "{\"Double\": \"NaN\", \"Float\": \"-Infinity\", \"Nested\": {\"Double\": \"Infinity\"}}");
        assertThat((Double) s.get("Double")).isNaN();
        assertThat(s.get("Float")).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(s.struct("Nested").get("Double")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void readsAggregatesDocumentsAndUnions() {
        Struct s = read(KITCHEN, """
                {"Strings": ["a", null, "b"], "Counts": {"x": 1, "y": null}, "Stamps": ["Tue, 29 Apr 2014 18:30:38 GMT"],
                 "Doc": {"k": [1, 2.5, "s", true, null, {"z": {}}]}, "Union": {"B": 3},
                 "Nested": {"Nested": {"Int": 1}}, "Unknown": {"ignored": true}}
                """);
        assertThat(s.list("Strings")).containsExactly("a", "b");
        assertThat(s.map("Counts")).containsExactly(Map.entry("x", 1));
        assertThat(s.list("Stamps")).containsExactly(Instant.parse("2014-04-29T18:30:38Z"));
        @SuppressWarnings("unchecked")
        List<Object> doc = (List<Object>) s.map("Doc").get("k");
        assertThat(doc).hasSize(6);
        assertThat(doc.get(0)).isEqualTo(1);
        assertThat(doc.get(1)).isEqualTo(new BigDecimal("2.5"));
        assertThat(doc.get(4)).isNull();
        assertThat(doc.get(5)).isEqualTo(Map.of("z", Map.of()));
        assertThat(s.struct("Union").asMap()).containsExactly(Map.entry("B", 3));
        assertThat(s.struct("Nested").struct("Nested").get("Int")).isEqualTo(1);
        assertThat(s.has("Unknown")).isFalse();
    }

    @Test
    void nullMeansAbsentAndEmptyBodyIsEmptyStruct() {
        assertThat(read(KITCHEN, "{\"Int\": null, \"Nested\": null}").isEmpty()).isTrue();
        assertThat(read(KITCHEN, "").isEmpty()).isTrue();
        assertThat(read(KITCHEN, "  \n").isEmpty()).isTrue();
    }

    @Test
    void readsDynamoDbAttributeValues() {
        ServiceModel ddb = Models.fromClasspath().model("dynamodb");
        Struct in = read(ddb.shape("PutItemInput"), """
                {"TableName": "t", "Item": {"pk": {"S": "a"}, "n": {"N": "1.50"}, "b": {"B": "AQI="},
                  "l": {"L": [{"BOOL": true}, {"NULL": true}]}, "m": {"M": {"x": {"SS": ["p", "q"]}}}},
                 "ReturnConsumedCapacity": "TOTAL"}
                """);
        assertThat(in.string("TableName")).isEqualTo("t");
        Map<String, Object> item = in.map("Item");
        assertThat(((Struct) item.get("n")).string("N")).isEqualTo("1.50");
        assertThat(((Struct) item.get("b")).blob("B")).containsExactly(1, 2);
        Struct l = (Struct) item.get("l");
        assertThat(((Struct) l.list("L").get(0)).bool("BOOL")).isTrue();
        Struct m = (Struct) ((Struct) item.get("m")).map("M").get("x");
        assertThat(m.strings("SS")).containsExactly("p", "q");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"str_wire\": 1}", "{\"str_wire\": true}", "{\"str_wire\": {}}", "{\"str_wire\": []}",
            "{\"Int\": \"1\"}", "{\"Int\": 1.5}", "{\"Int\": 2147483648}", "{\"Byte\": 128}", "{\"Long\": 1e3}",
            "{\"Bool\": \"true\"}", "{\"Bool\": 1}", "{\"Double\": \"1.5\"}", "{\"Double\": \"nan\"}",
            "{\"Blob\": 5}", "{\"Blob\": \"not*base64\"}", "{\"Ts\": \"2014-04-29T18:30:38Z\"}",
            "{\"TsIso\": 1398796238}", "{\"TsIso\": \"yesterday\"}", "{\"Strings\": \"a\"}", "{\"Strings\": [1]}",
            "{\"Counts\": []}", "{\"Counts\": {\"x\": \"1\"}}", "{\"Nested\": []}", "{\"Nested\": \"x\"}",
            "{\"Union\": {\"A\": \"a\", \"B\": 1}}", "{\"BigInt\": 1.5}", "{\"BigDec\": \"1\"}",
            "[]", "\"body\"", "42"})
    void wrongJsonTypesAreSerializationExceptions(String json) {
        assertThatThrownBy(() -> read(KITCHEN, json))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("SerializationException");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\": }", "{\"a\": 1} {", "{'a': 1}", "nul", "{\"a\": 1,}", "\u0000"})
    void malformedJsonIsSerializationException(String json) {
        assertThatThrownBy(() -> read(KITCHEN, json))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("SerializationException"));
    }

    @Test
    void messagesReadLikeAws() {
        assertThatThrownBy(() -> read(KITCHEN, "{\"str_wire\": 1}")).hasMessage("NUMBER_VALUE cannot be converted to String");
        assertThatThrownBy(() -> read(KITCHEN, "{\"Int\": {}}")).hasMessage("Start of structure or map found where not expected.");
    }

    @Test
    void deeplyNestedInputIsRejectedNotACrash() {
        String deep = "{\"Doc\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> read(KITCHEN, deep)).isInstanceOf(AwsException.class);
    }
}
