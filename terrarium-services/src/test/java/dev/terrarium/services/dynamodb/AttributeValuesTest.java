package dev.terrarium.services.dynamodb;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttributeValuesTest {

    private static AttributeValue parse(Object wire) { return AttributeValues.fromWire(wire); }

    @Test
    void numbersAreNormalisedAsAwsReturnsThem() {
        assertThat(Numbers.parse("1.0").text()).isEqualTo("1");
        assertThat(Numbers.parse("0010.500").text()).isEqualTo("10.5");
        assertThat(Numbers.parse("1e2").text()).isEqualTo("100");
        assertThat(Numbers.parse("-0").text()).isEqualTo("0");
        assertThat(Numbers.parse("-1.25E-3").text()).isEqualTo("-0.00125");
        assertThat(Numbers.parse("1E+125").text()).hasSize(126);
    }

    @Test
    void numberLimitsAreAws() {
        assertThatThrownBy(() -> Numbers.parse("abc")).hasMessage("The parameter cannot be converted to a numeric value: abc");
        assertThatThrownBy(() -> Numbers.parse("1234567890123456789012345678901234567891"))
                .hasMessage("Attempting to store more than 38 significant digits in a Number");
        assertThatThrownBy(() -> Numbers.parse("1e126"))
                .hasMessage("Number overflow. Attempting to store a number with magnitude larger than supported range");
        assertThatThrownBy(() -> Numbers.parse("1e-131"))
                .hasMessage("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        assertThat(Numbers.parse("1e-130").value()).isNotNull();
        assertThat(Numbers.parse("12345678901234567890123456789012345678000").text())
                .isEqualTo("12345678901234567890123456789012345678000");
    }

    @Test
    void attributeValueMustHaveExactlyOneType() {
        assertThatThrownBy(() -> parse(Struct.empty()))
                .isInstanceOf(AwsException.class)
                .hasMessage("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        assertThatThrownBy(() -> parse(Struct.of("S", "a", "N", "1")))
                .hasMessage("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        assertThatThrownBy(() -> parse(Struct.of("NULL", false)))
                .hasMessage("One or more parameter values were invalid: Null attribute value types must have the value of true");
    }

    @Test
    void setsMayNotBeEmptyNorHoldDuplicates() {
        assertThatThrownBy(() -> parse(Struct.of("SS", List.of())))
                .hasMessage("One or more parameter values were invalid: An string set  may not be empty");
        assertThatThrownBy(() -> parse(Struct.of("NS", List.of())))
                .hasMessage("One or more parameter values were invalid: An number set  may not be empty");
        assertThatThrownBy(() -> parse(Struct.of("SS", List.of("a", "a"))))
                .hasMessage("One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
        assertThatThrownBy(() -> parse(Struct.of("NS", List.of("1", "1.0"))))
                .as("dynalite's AWS-checked text for number sets").hasMessage("Input collection contains duplicates");
        assertThatThrownBy(() -> parse(Struct.of("BS", List.of(new byte[]{97}, new byte[]{97}))))
                .hasMessage("One or more parameter values were invalid: Input collection [YQ==, YQ==]of type BS contains duplicates.");
        assertThatThrownBy(() -> parse(Struct.of("BS", List.of())))
                .hasMessage("One or more parameter values were invalid: Binary sets should not be empty");
        assertThatThrownBy(() -> parse(Struct.of("N", ""))).hasMessage("The parameter cannot be converted to a numeric value");
    }

    @Test
    void setsCompareWithoutOrder() {
        assertThat(parse(Struct.of("SS", List.of("a", "b")))).isEqualTo(parse(Struct.of("SS", List.of("b", "a"))));
        assertThat(parse(Struct.of("NS", List.of("1", "2.0")))).isEqualTo(parse(Struct.of("NS", List.of("2", "1"))));
    }

    @Test
    void itemSizeCountsNamesAndValuesAsAws() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", new AttributeValue.S("abc"));          // 2 + 3
        item.put("n", Numbers.parse("123"));                   // 1 + (2 digit bytes + 2 exponent bytes)
        item.put("b", AttributeValue.Bool.TRUE);               // 1 + 1
        item.put("l", new AttributeValue.L(List.of(new AttributeValue.S("x")))); // 1 + 3 + (1 + 1)
        assertThat(AttributeValues.itemSize(item)).isEqualTo(5 + 5 + 2 + 6);
        assertThat(new AttributeValue.S("é").size()).isEqualTo(2);
    }

    @Test
    void itemsOverFourHundredKilobytesAreRefused() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", new AttributeValue.S("x".repeat(400 * 1024)));
        assertThatThrownBy(() -> Item.of(item)).hasMessage("Item size has exceeded the maximum allowed size");
        item.put("id", new AttributeValue.S("x".repeat(400 * 1024 - 2)));
        assertThat(Item.of(item).size()).isEqualTo(400 * 1024);
    }

    @Test
    void wireRoundTripKeepsEveryType() {
        Struct wire = Struct.of("M", Map.of("s", Struct.of("S", "x"), "l", Struct.of("L", List.of(Struct.of("N", "1.50"),
                Struct.of("NULL", true), Struct.of("BOOL", false), Struct.of("B", new byte[]{1, 2}),
                Struct.of("BS", List.of(new byte[]{1}, new byte[]{2})), Struct.of("NS", List.of("3"))))));
        AttributeValue v = parse(wire);
        AttributeValue again = parse(AttributeValues.toWire(v));
        assertThat(again).isEqualTo(v);
        assertThat(((AttributeValue.L) ((AttributeValue.M) v).values().get("l")).values().get(0))
                .isEqualTo(Numbers.parse("1.5"));
    }

    @Test
    void stringsOrderByUtf8Bytes() {
        assertThat(ValueOrder.compareStrings("\uFFFF", "\uD83D\uDE00")).isNegative();
        assertThat(ValueOrder.compareStrings("a", "b")).isNegative();
        assertThat(ValueOrder.compare(Numbers.parse("10"), Numbers.parse("9"))).isPositive();
    }
}
