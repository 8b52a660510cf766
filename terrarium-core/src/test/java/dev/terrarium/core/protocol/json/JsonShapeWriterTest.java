package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonShapeWriterTest {
    private static final Shape KITCHEN = Kitchen.model().shape("Kitchen");

    private static String write(Struct s) {
        return new String(JsonShapeWriter.write(KITCHEN, s), StandardCharsets.UTF_8);
    }

    @Test
    void writesScalarsByShape() {
        Instant t = Instant.parse("2014-04-29T18:30:38.123Z");
        String json = write(Struct.of("Str", "hé\"", "Int", 42, "Long", 9007199254740993L, "Float", 1.5f,
                "Double", 0.1, "BigDec", new BigDecimal("1E+3"), "BigInt", new BigInteger("123456789012345678901234567890"),
                "Bool", false, "Blob", "hi".getBytes(StandardCharsets.UTF_8), "Ts", t, "TsIso", t, "TsHttp", t));
        assertThat(json).isEqualTo("{\"str_wire\":\"hé\\\"\",\"Int\":42,\"Long\":9007199254740993,\"Float\":1.5,"
                + "\"Double\":0.1,\"BigDec\":1000,\"BigInt\":123456789012345678901234567890,\"Bool\":false,"
                + "\"Blob\":\"aGk=\",\"Ts\":1398796238.123,\"TsIso\":\"2014-04-29T18:30:38.123Z\","
                + "\"TsHttp\":\"Tue, 29 Apr 2014 18:30:38 GMT\"}");
    }

    @Test
    void wholeSecondsAreIntegersAndNonFiniteFloatsAreStrings() {
        String json = write(Struct.of("Ts", Instant.ofEpochSecond(1398796238), "Double", Double.NaN,
                "Float", Float.POSITIVE_INFINITY, "Nested", Struct.of("Double", Double.NEGATIVE_INFINITY)));
        assertThat(json).isEqualTo("{\"Float\":\"Infinity\",\"Double\":\"NaN\",\"Ts\":1398796238,"
                + "\"Nested\":{\"Double\":\"-Infinity\"}}");
    }

    @Test
    void writesAggregatesAndDocumentsAndSkipsNulls() throws Exception {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("a", 1);
        counts.put("skip", null);
        List<Object> strings = new ArrayList<>(Arrays.asList("x", "y"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("n", null);
        doc.put("l", List.of(1, 2.5, "s", true));
        String json = write(Struct.of("Strings", strings, "Counts", counts, "Doc", doc,
                "Union", Struct.of("A", "a"), "Stamps", List.of(Instant.EPOCH)));
        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("Strings").toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(n.get("Counts").toString()).isEqualTo("{\"a\":1}");
        assertThat(n.get("Doc").toString()).isEqualTo("{\"n\":null,\"l\":[1,2.5,\"s\",true]}");
        assertThat(n.get("Union").toString()).isEqualTo("{\"A\":\"a\"}");
        assertThat(n.get("Stamps").toString()).isEqualTo("[\"Thu, 01 Jan 1970 00:00:00 GMT\"]");
    }

    @Test
    void acceptsLooseButSensibleJavaValues() {
        String json = write(Struct.of("Long", 3, "Int", "7", "Str", Thread.State.NEW, "Ts", "2014-04-29T18:30:38Z",
                "Nested", Map.of("Int", 1)));
        assertThat(json).isEqualTo("{\"str_wire\":\"NEW\",\"Int\":7,\"Long\":3,\"Ts\":1398796238,\"Nested\":{\"Int\":1}}");
    }

    @Test
    void roundTripsThroughTheReader() {
        Struct s = Struct.of("Str", "s", "Int", -1, "BigDec", new BigDecimal("0.000000000000000000001"),
                "Blob", new byte[]{0, (byte) 255}, "Ts", Instant.parse("2020-01-01T00:00:00.001Z"),
                "Strings", List.of("a"), "Counts", Map.of("k", 2), "Nested", Struct.of("Bool", true));
        Struct back = JsonShapeReader.readStruct(KITCHEN, JsonShapeWriter.write(KITCHEN, s));
        assertThat(back).isEqualTo(s);
    }

    @Test
    void aValueOfTheWrongTypeIsAnInternalFailureNotACrash() {
        assertThatThrownBy(() -> write(Struct.of("Int", "many")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("InternalFailure");
                    assertThat(e.getMessage()).contains("Kitchen.Int");
                });
        assertThatThrownBy(() -> write(Struct.of("Strings", "notalist"))).isInstanceOf(AwsException.class);
        assertThatThrownBy(() -> write(Struct.of("Nested", 5))).isInstanceOf(AwsException.class);
    }

    @Test
    void nullShapeOrValueIsAnEmptyObject() {
        assertThat(new String(JsonShapeWriter.write(null, null), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
