package dev.terrarium.core.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.conformance.ConformanceReport.Outcome;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Server-side request parsing against the reference client: botocore serializes a pseudo-random valid
 * input for each operation (tools/conformance/botocore_requests.py); our codec must resolve the operation
 * and parse the request back into exactly that input.
 */
class RequestConformanceTest {
    /** Cases per operation and operations per service; raise them (-Dconformance.cases=10) to hunt for more bugs. */
    static final int CASES_PER_OPERATION = Integer.getInteger("conformance.cases", 3);
    static final int MAX_OPERATIONS = Integer.getInteger("conformance.maxOps", 40);
    private static final ConformanceReport REPORT = new ConformanceReport("requests");
    static final Models MODELS = Models.fromClasspath();

    @TestFactory
    Stream<DynamicNode> botocoreRequestsParseToTheirInput() throws Exception {
        Botocore.assumeAvailable();
        Path file = Botocore.requestCases(scriptArgs(Wire.REQUEST_WIRES));
        Map<String, List<DynamicTest>> byProtocol = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode c = TaggedJson.MAPPER.readTree(line);
            ServiceModel model = MODELS.model(c.get("service").asText());
            Protocol protocol = new Wire(model.name(), c.get("protocol").asText()).protocol(model.info());
            String name = Wire.displayName(protocol) + " " + model.name() + " " + c.get("operation").asText()
                    + " #" + c.get("case").asInt();
            byProtocol.computeIfAbsent(Wire.displayName(protocol), k -> new ArrayList<>())
                    .add(DynamicTest.dynamicTest(name, () -> recorded(protocol, () -> check(model, protocol, c))));
        }
        return byProtocol.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    static List<String> scriptArgs(List<Wire> wires) {
        List<String> args = new ArrayList<>(List.of("--models", Botocore.modelsDir().toString(),
                "--cases", String.valueOf(CASES_PER_OPERATION), "--max-ops", String.valueOf(MAX_OPERATIONS)));
        wires.forEach(w -> args.add(w.spec()));
        return args;
    }

    static void recorded(Protocol protocol, Runnable check) {
        recorded(REPORT, protocol, check);
    }

    static void recorded(ConformanceReport report, Protocol protocol, Runnable check) {
        try {
            check.run();
            report.record(Wire.displayName(protocol), Outcome.PASS);
        } catch (TestAbortedException e) {
            report.record(Wire.displayName(protocol), Outcome.SKIP);
            throw e;
        } catch (Throwable e) {
            report.record(Wire.displayName(protocol), Outcome.FAIL);
            throw e;
        }
    }

    @AfterAll
    static void summary() {
        REPORT.write();
    }

    private static void check(ServiceModel model, Protocol protocol, JsonNode c) {
        if (c.has("skip")) {
            throw new TestAbortedException("no valid input generated: " + c.get("skip").asText());
        }
        Optional<ProtocolCodec> found = ConformanceCodecs.forProtocol(protocol);
        if (found.isEmpty()) {
            throw new TestAbortedException("no codec for " + protocol + " yet");
        }
        ProtocolCodec codec = found.get();
        HttpRequest request = request(c.get("request"));
        String wanted = c.get("operation").asText();
        Operation op;
        try {
            op = codec.resolveOperation(model, request);
        } catch (RuntimeException e) {
            throw failure("resolveOperation threw " + e, c, e);
        }
        if (op == null || !op.name().equals(wanted)) {
            throw failure("resolveOperation gave " + op + " instead of " + wanted, c, null);
        }
        Struct parsed;
        try {
            parsed = codec.parseRequest(model, op, request);
        } catch (RuntimeException e) {
            throw failure("parseRequest threw " + e, c, e);
        }
        Struct expected = op.input() == null ? new Struct() : TaggedJson.toStruct(c.get("input"), op.input());
        List<String> diffs = op.input() == null
                ? (parsed == null || parsed.isEmpty() ? List.of() : List.of("expected no input but was " + parsed))
                : ValueDiff.of(expected, parsed, op.input());
        if (!diffs.isEmpty()) {
            throw failure(String.join("\n", diffs.subList(0, Math.min(diffs.size(), 12))), c, null);
        }
    }

    static HttpRequest request(JsonNode r) {
        Headers headers = new Headers();
        r.get("headers").forEach(h -> headers.add(h.get(0).asText(), h.get(1).asText()));
        String query = r.get("query").asText();
        String target = r.get("path").asText() + (query.isEmpty() ? "" : "?" + query);
        return HttpRequest.of(r.get("method").asText(), target, headers, Base64.getDecoder().decode(r.get("body").asText()));
    }

    private static AssertionFailedError failure(String what, JsonNode c, Throwable cause) {
        JsonNode r = c.get("request");
        byte[] body = Base64.getDecoder().decode(r.get("body").asText());
        String query = r.get("query").asText();
        String text = c.get("protocol").asText() + " " + c.get("service").asText() + " " + c.get("operation").asText()
                + " #" + c.get("case").asInt() + ": " + what + "\n--- request: " + r.get("method").asText() + " " + r.get("path").asText()
                + (query.isEmpty() ? "" : "?" + query) + "\n" + r.get("headers") + "\n" + printable(body)
                + "\n--- input: " + c.get("input");
        return new AssertionFailedError(text, cause);
    }

    static String printable(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        boolean binary = s.chars().anyMatch(ch -> ch < 9 || ch == 0xFFFD);
        String shown = binary ? "base64:" + Base64.getEncoder().encodeToString(body) : s;
        return shown.length() > 2000 ? shown.substring(0, 2000) + "..." : shown;
    }
}
