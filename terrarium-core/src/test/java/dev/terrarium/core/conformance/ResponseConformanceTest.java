package dev.terrarium.core.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.protocol.ProtocolCodec;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Server-side serialization against the reference client: for each operation a pseudo-random output is
 * serialized by our codec and parsed by botocore's parser (tools/conformance/botocore_responses.py), which
 * must read back exactly that output. The same for a sample of each service's modeled errors: botocore
 * must see the right Error.Code, Message, HTTP status (and query code for awsQueryCompatible services) and
 * the error's modeled members.
 */
class ResponseConformanceTest {
    static final int ERRORS_PER_SERVICE = Integer.getInteger("conformance.errors", 8);
    private static final ConformanceReport RESPONSES = new ConformanceReport("responses");
    private static final ConformanceReport ERRORS = new ConformanceReport("errors");

    /** One case: a display name, and either a problem found on the Java side or a line for botocore. */
    private record Case(String name, Protocol protocol, boolean error, String problem, ObjectNode line) {
    }

    @TestFactory
    Stream<DynamicNode> botocoreParsesOurResponses() throws Exception {
        Botocore.assumeAvailable();
        Map<Wire, List<String>> operations = operationsByWire();
        List<Case> cases = new ArrayList<>();
        for (Wire wire : Wire.RESPONSE_WIRES) {
            ServiceModel model = RequestConformanceTest.MODELS.model(wire.service());
            Protocol protocol = wire.protocol(model.info());
            Optional<ProtocolCodec> codec = ConformanceCodecs.forProtocol(protocol);
            List<String> ops = operations.getOrDefault(wire, List.of());
            for (String opName : ops) {
                for (int k = 1; k <= RequestConformanceTest.CASES_PER_OPERATION; k++) {
                    cases.add(responseCase(wire, model, protocol, codec, model.operation(opName), k, cases.size()));
                }
            }
            for (Map.Entry<Shape, Operation> e : sampleErrors(model, ops).entrySet()) {
                cases.add(errorCase(wire, model, protocol, codec, e.getValue(), e.getKey(), cases.size()));
            }
        }
        Map<Integer, JsonNode> results = runBotocore(cases);
        Map<String, List<DynamicTest>> groups = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode result = results.get(i);
            String group = (c.error ? "errors " : "responses ") + Wire.displayName(c.protocol);
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(DynamicTest.dynamicTest(c.name,
                    () -> RequestConformanceTest.recorded(c.error ? ERRORS : RESPONSES, c.protocol, () -> verdict(c, result))));
        }
        return groups.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    @AfterAll
    static void summary() {
        RESPONSES.write();
        ERRORS.write();
    }

    private static void verdict(Case c, JsonNode result) {
        if (c.problem != null) {
            if (c.problem.startsWith("skip: ")) {
                throw new TestAbortedException(c.problem.substring(6));
            }
            throw new AssertionFailedError(c.name + ": " + c.problem);
        }
        if (result == null) {
            throw new AssertionFailedError(c.name + ": botocore gave no result");
        }
        if (!result.get("ok").asBoolean()) {
            StringBuilder sb = new StringBuilder(c.name).append(":");
            result.get("diff").forEach(d -> sb.append("\n").append(d.asText()));
            sb.append("\n--- botocore parsed: ").append(result.path("parsed").asText());
            sb.append("\n--- response: ").append(c.line.get("status")).append(" ").append(c.line.get("headers"))
                    .append("\n").append(RequestConformanceTest.printable(Base64.getDecoder().decode(c.line.get("body").asText())));
            sb.append("\n--- expected: ").append(c.error ? c.line.get("error") : c.line.get("expected"));
            throw new AssertionFailedError(sb.toString());
        }
    }

    /** The operations the request cases cover, per wire (the same deterministic choice, made once, in Python). */
    private static Map<Wire, List<String>> operationsByWire() throws IOException, InterruptedException {
        Path file = Botocore.requestCases(RequestConformanceTest.scriptArgs(Wire.REQUEST_WIRES));
        Map<Wire, LinkedHashSet<String>> ops = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode c = TaggedJson.MAPPER.readTree(line);
            ops.computeIfAbsent(new Wire(c.get("service").asText(), c.get("protocol").asText()), k -> new LinkedHashSet<>())
                    .add(c.get("operation").asText());
        }
        Map<Wire, List<String>> out = new HashMap<>();
        ops.forEach((w, names) -> out.put(w, List.copyOf(names)));
        return out;
    }

    /** Up to ERRORS_PER_SERVICE modeled errors of these operations, evenly chosen by name, each with one operation. */
    static Map<Shape, Operation> sampleErrors(ServiceModel model, List<String> ops) {
        TreeMap<String, Operation> byError = new TreeMap<>();
        Map<String, Shape> shapes = new HashMap<>();
        for (String name : ops) {
            Operation op = model.operation(name);
            for (Shape e : op.errors()) {
                Operation seen = byError.get(e.name());
                if (seen == null || ("HEAD".equals(seen.httpMethod()) && !"HEAD".equals(op.httpMethod()))) {
                    byError.put(e.name(), op); // HEAD responses have no body to carry code and message
                }
                shapes.put(e.name(), e);
            }
        }
        List<String> names = new ArrayList<>(byError.keySet());
        Map<Shape, Operation> out = new LinkedHashMap<>();
        int n = Math.min(ERRORS_PER_SERVICE, names.size());
        for (int i = 0; i < n; i++) {
            String name = names.get(i * names.size() / n);
            out.put(shapes.get(name), byError.get(name));
        }
        return out;
    }

    private static Case responseCase(Wire wire, ServiceModel model, Protocol protocol, Optional<ProtocolCodec> codec,
                                     Operation op, int k, int id) {
        String name = Wire.displayName(protocol) + " " + wire.service() + " " + op.name() + " #" + k
                + (wire.botocoreProtocol().equals("json") || wire.service().equals("cloudwatch") ? " (" + wire.botocoreProtocol() + ")" : "");
        if (codec.isEmpty()) {
            return new Case(name, protocol, false, "skip: no codec for " + protocol + " yet", null);
        }
        Struct output = op.output() == null ? new Struct()
                : new OutputGenerator(wire.spec() + ":" + op.name() + ":" + k, wire).output(op);
        ObjectNode line = line(id, "response", wire, op);
        try {
            HttpResponse r = codec.get().serializeResponse(model, op, output, "conformance-request-id");
            http(line, r);
        } catch (RuntimeException e) {
            return new Case(name, protocol, false, "serializeResponse threw " + e + "\n--- output: " + output, line);
        }
        line.set("expected", op.output() == null ? TaggedJson.MAPPER.createObjectNode() : TaggedJson.toJson(output, op.output(), false));
        return new Case(name, protocol, false, null, line);
    }

    private static Case errorCase(Wire wire, ServiceModel model, Protocol protocol, Optional<ProtocolCodec> codec,
                                  Operation op, Shape error, int id) {
        String name = Wire.displayName(protocol) + " " + wire.service() + " " + error.name() + " (from " + op.name() + ")";
        if (codec.isEmpty()) {
            return new Case(name, protocol, true, "skip: no codec for " + protocol + " yet", null);
        }
        Struct fields = new OutputGenerator(wire.spec() + ":" + error.name(), wire).errorFields(error);
        String message = "Bad <thing> & \"quotes\" é😀 for " + error.name();
        AwsException ex = new AwsException(error.name(), message, 0, true, fields);
        ObjectNode line = line(id, "error", wire, op);
        try {
            http(line, codec.get().serializeError(model, op, ex, "conformance-request-id"));
        } catch (RuntimeException e) {
            return new Case(name, protocol, true, "serializeError threw " + e + "\n--- fields: " + fields, line);
        }
        String queryCode = error.error() != null && error.error().code() != null ? error.error().code() : error.name();
        boolean queryCompatible = model.info().awsQueryCompatible() && wire.isJsonLike();
        ObjectNode want = line.putObject("error");
        want.put("shape", error.name());
        int status = error.error() != null && error.error().httpStatusCode() != 0 ? error.error().httpStatusCode() : 400;
        boolean head = "HEAD".equals(op.httpMethod());
        want.put("code", head ? String.valueOf(status)
                : wire.botocoreProtocol().equals("query") || wire.botocoreProtocol().equals("ec2") || queryCompatible
                ? queryCode : error.name());
        if (head) {
            want.putNull("message"); // botocore makes it the HTTP reason phrase
        } else {
            want.put("message", message);
        }
        want.put("status", status);
        want.put("queryCompatible", queryCompatible);
        want.set("fields", TaggedJson.toJson(fields, error, false));
        return new Case(name, protocol, true, null, line);
    }

    private static ObjectNode line(int id, String kind, Wire wire, Operation op) {
        ObjectNode line = TaggedJson.MAPPER.createObjectNode();
        line.put("id", id);
        line.put("kind", kind);
        line.put("service", wire.service());
        line.put("protocol", wire.botocoreProtocol());
        line.put("operation", op.name());
        return line;
    }

    private static void http(ObjectNode line, HttpResponse r) {
        line.put("status", r.status());
        ArrayNode headers = line.putArray("headers");
        for (String h : r.headers().names()) {
            for (String v : r.headers().all(h)) {
                headers.addArray().add(r.headers().originalName(h)).add(v);
            }
        }
        byte[] body;
        try {
            body = r.isStreamed() ? r.bodyStream().readAllBytes() : r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line.put("body", Base64.getEncoder().encodeToString(body == null ? new byte[0] : body));
    }

    private static Map<Integer, JsonNode> runBotocore(List<Case> cases) throws IOException, InterruptedException {
        Files.createDirectories(Botocore.WORK);
        Path file = Botocore.WORK.resolve("responses.jsonl");
        StringBuilder sb = new StringBuilder();
        for (Case c : cases) {
            if (c.problem == null) {
                sb.append(TaggedJson.MAPPER.writeValueAsString(c.line)).append('\n');
            }
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        Map<Integer, JsonNode> results = new HashMap<>();
        for (String line : Files.readAllLines(Botocore.checkResponses(file), StandardCharsets.UTF_8)) {
            JsonNode r = TaggedJson.MAPPER.readTree(line);
            results.put(r.get("id").asInt(), r);
        }
        return results;
    }
}
