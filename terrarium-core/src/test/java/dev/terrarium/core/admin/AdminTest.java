package dev.terrarium.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.service.Config;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class AdminTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension(Config.defaults().withPort(0).withVirtualClock(true));

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void healthListsEveryModeledService() throws Exception {
        HttpResponse<String> r = terrarium.raw("GET", "/_terrarium/health", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode health = json(r);
        assertThat(health.path("status").asText()).isEqualTo("running");
        assertThat(health.path("version").asText()).isNotBlank();
        assertThat(health.path("services").has("sqs")).isTrue();
        assertThat(health.path("services").path("ec2").path("loaded").asBoolean()).isFalse();
    }

    @Test
    void virtualClockMovesOnlyWhenTold() throws Exception {
        long before = json(terrarium.raw("GET", "/_terrarium/clock", null, null)).path("epochMillis").asLong();
        Thread.sleep(20);
        assertThat(json(terrarium.raw("GET", "/_terrarium/clock", null, null)).path("epochMillis").asLong()).isEqualTo(before);
        HttpResponse<String> advanced = terrarium.raw("POST", "/_terrarium/clock/advance?seconds=1209600", null, "");
        assertThat(advanced.statusCode()).isEqualTo(200);
        assertThat(json(advanced).path("epochMillis").asLong()).isEqualTo(before + 1_209_600_000L);
        assertThat(terrarium.raw("POST", "/_terrarium/clock/advance?seconds=-5", null, "").statusCode()).isEqualTo(400);
        assertThat(terrarium.raw("POST", "/_terrarium/clock/advance?seconds=abc", null, "").statusCode()).isEqualTo(400);
        assertThat(terrarium.raw("GET", "/_terrarium/clock/advance?seconds=1", null, null).statusCode()).isEqualTo(405);
    }

    @Test
    void resetAllOrOneServiceAndMotoCompatibility() throws Exception {
        assertThat(json(terrarium.raw("POST", "/_terrarium/reset", null, "")).path("reset").asText()).isEqualTo("all");
        assertThat(json(terrarium.raw("POST", "/_terrarium/reset?service=sts", null, "")).path("reset").asText()).isEqualTo("sts");
        assertThat(terrarium.raw("POST", "/_terrarium/reset?service=nope", null, "").statusCode()).isEqualTo(400);
        assertThat(terrarium.raw("POST", "/moto-api/reset", null, "").statusCode()).isEqualTo(200);
    }

    @Test
    void coverageCountsOperationsFromTheModels() throws Exception {
        JsonNode services = json(terrarium.raw("GET", "/_terrarium/coverage", null, null)).path("services");
        assertThat(services.size()).isGreaterThanOrEqualTo(56);
        for (JsonNode s : services) {
            assertThat(s.path("total").asInt()).as(s.path("service").asText()).isPositive();
            assertThat(s.path("implemented").asInt()).isBetween(0, s.path("total").asInt());
        }
        HttpResponse<String> md = terrarium.raw("GET", "/_terrarium/coverage?format=markdown", null, null);
        assertThat(md.body()).startsWith("# Coverage");
    }

    @Test
    void unknownAdminPathIs404() {
        assertThat(terrarium.raw("GET", "/_terrarium/nothing-here", null, null).statusCode()).isEqualTo(404);
    }
}
