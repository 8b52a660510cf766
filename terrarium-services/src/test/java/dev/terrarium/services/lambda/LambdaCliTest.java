package dev.terrarium.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The unmodified aws CLI deploys a Node function from a zip file, invokes it and reads its logs. */
class LambdaCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer terrarium;

    @BeforeAll
    static void start() {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
        terrarium = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (terrarium != null) {
            terrarium.reset();
            terrarium.close();
        }
    }

    private static JsonNode ok(String... args) throws Exception {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.stdout());
    }

    @Test
    void deployInvokeAndReadLogsThroughTheCli() throws Exception {
        Path dir = Files.createTempDirectory("lambda-cli");
        Path zip = dir.resolve("fn.zip");
        Files.write(zip, Zips.zip("index.mjs", "export const handler = async (e) => { console.log('cli says', e.n); return { doubled: e.n * 2 }; };"));
        JsonNode created = ok("lambda", "create-function", "--function-name", "cli-fn", "--runtime", "nodejs20.x",
                "--handler", "index.handler", "--role", "arn:aws:iam::000000000000:role/r", "--zip-file", "fileb://" + zip);
        assertThat(created.path("FunctionArn").asText()).endsWith(":function:cli-fn");
        ok("lambda", "wait", "function-active-v2", "--function-name", "cli-fn");

        Path out = dir.resolve("out.json");
        JsonNode invoked = ok("lambda", "invoke", "--function-name", "cli-fn", "--payload", "{\"n\": 21}",
                "--log-type", "Tail", out.toString());
        assertThat(invoked.path("StatusCode").asInt()).isEqualTo(200);
        assertThat(new String(Base64.getDecoder().decode(invoked.path("LogResult").asText()), StandardCharsets.UTF_8))
                .contains("cli says 21", "REPORT RequestId:");
        assertThat(Files.readString(out)).isEqualTo("{\"doubled\":42}");

        JsonNode events = ok("logs", "filter-log-events", "--log-group-name", "/aws/lambda/cli-fn", "--filter-pattern", "START");
        assertThat(events.path("events")).hasSize(1);

        AwsCli.Result missing = AwsCli.run(terrarium, Map.of(), "lambda", "get-function", "--function-name", "nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("ResourceNotFoundException");
    }
}
