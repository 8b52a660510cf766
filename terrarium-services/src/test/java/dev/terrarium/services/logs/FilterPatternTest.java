package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filter pattern syntax, with the examples of AWS's "Filter pattern syntax" guide. */
class FilterPatternTest {
    private static final String APACHE =
            "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 1534";
    private static final String JSON = "{\"eventType\":\"UpdateTrail\",\"sourceIPAddress\":\"123.123.123.123\","
            + "\"arrayKey\":[\"value\",\"another value\"],\"objectList\":[{\"name\":\"a\",\"id\":1},{\"name\":\"b\",\"id\":2}],"
            + "\"SomeObject\":null,\"cluster\":{\"number\":7},\"ThisFlag\":true,\"latency\":250}";

    private static boolean m(String pattern, String message) {
        return FilterPattern.parse(pattern).matches(message);
    }

    @Test
    void unstructuredTerms() {
        assertThat(m("", "anything")).isTrue();
        assertThat(m("ERROR", "[ERROR] disk")).isTrue();
        assertThat(m("ERROR", "[error] disk")).as("case-sensitive").isFalse();
        assertThat(m("ERROR ARGUMENTS", "ERROR: bad ARGUMENTS")).isTrue();
        assertThat(m("ERROR ARGUMENTS", "ERROR: bad args")).isFalse();
        assertThat(m("?ERROR ?WARN", "WARN slow")).isTrue();
        assertThat(m("?ERROR ?WARN", "INFO ok")).isFalse();
        assertThat(m("ERROR -Exiting", "ERROR Exiting")).isFalse();
        assertThat(m("\"INTERNAL SERVER ERROR\"", "500 INTERNAL SERVER ERROR")).isTrue();
        assertThat(m("\"INTERNAL SERVER ERROR\"", "INTERNAL ERROR SERVER")).isFalse();
        assertThat(m("%ERR[0-9]{3}%", "got ERR404 here")).isTrue();
        assertThat(m("%ERR[0-9]{3}%", "got ERR4 here")).isFalse();
    }

    @Test
    void jsonSelectors() {
        assertThat(m("{ $.eventType = \"UpdateTrail\" }", JSON)).isTrue();
        assertThat(m("{ $.eventType = \"Update*\" }", JSON)).isTrue();
        assertThat(m("{ $.eventType != \"UpdateTrail\" }", JSON)).isFalse();
        assertThat(m("{ $.sourceIPAddress != 123.123.* }", JSON)).isFalse();
        assertThat(m("{ $.arrayKey[0] = \"value\" }", JSON)).isTrue();
        assertThat(m("{ $.objectList[1].id = 2 }", JSON)).isTrue();
        assertThat(m("{ $.SomeObject IS NULL }", JSON)).isTrue();
        assertThat(m("{ $.SomeOtherObject NOT EXISTS }", JSON)).isTrue();
        assertThat(m("{ $.ThisFlag IS TRUE }", JSON)).isTrue();
        assertThat(m("{ $.cluster.number >= 7 && $.latency < 300 }", JSON)).isTrue();
        assertThat(m("{ $.cluster.number > 7 || $.latency > 200 }", JSON)).isTrue();
        assertThat(m("{ ($.cluster.number > 7 || $.latency > 200) && $.eventType = \"Other\" }", JSON)).isFalse();
        assertThat(m("{ $.latency = 250 }", "not json")).isFalse();
        assertThat(FilterPattern.parse("{ $.latency > 100 }").extract(JSON)).isEqualTo(Map.of("$.latency", "250"));
    }

    @Test
    void spaceDelimited() {
        assertThat(FilterPattern.parse("[ip, user, username, timestamp, request, status_code, bytes]").extract(APACHE))
                .containsEntry("$ip", "127.0.0.1").containsEntry("$username", "frank")
                .containsEntry("$timestamp", "10/Oct/2000:13:25:15 -0700")
                .containsEntry("$request", "GET /apache_pb.gif HTTP/1.0").containsEntry("$bytes", "1534");
        assertThat(m("[ip, user, username, timestamp, request, status_code = 200, bytes]", APACHE)).isTrue();
        assertThat(m("[ip, user, username, timestamp, request, status_code = 4*, bytes]", APACHE)).isFalse();
        assertThat(m("[ip, user, username, timestamp, request, status_code = 4* || status_code = 2*, bytes > 1000]", APACHE)).isTrue();
        assertThat(m("[ip, user, username, timestamp, request, status_code, bytes > 2000]", APACHE)).isFalse();
        assertThat(m("[ip = 127.0.0.*, ...]", APACHE)).isTrue();
        assertThat(m("[..., status_code = 200, bytes]", APACHE)).isTrue();
        assertThat(m("[ip, user]", APACHE)).as("field count must match without ...").isFalse();
        assertThat(m("[ip, user, username != frank, ...]", APACHE)).isFalse();
    }

    @Test
    void badPatternsAreInvalidParameters() {
        for (String bad : new String[] {"{ $.level = ", "{ level = 1 }", "\"unclosed", "[a, b", "%[%", "[a = ]"}) {
            assertThatThrownBy(() -> FilterPattern.parse(bad)).as(bad).isInstanceOf(AwsException.class)
                    .hasMessageContaining("Invalid");
        }
    }
}
