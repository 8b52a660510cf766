package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * botocore as the reference client, in one python3 subprocess per batch: serializes requests the
 * way the AWS CLI sends them and parses responses the way it reads them. Skips the test when python3
 * with botocore is not available.
 */
public final class BotocoreBridge {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<ObjectNode> tasks = new ArrayList<>();

    public ObjectNode serialize(String service, String protocol, String operation, String paramsJson) {
        ObjectNode t = JSON.createObjectNode().put("kind", "serialize").put("service", service)
                .put("protocol", protocol).put("operation", operation);
        t.set("params", read(paramsJson));
        tasks.add(t);
        return t;
    }

    public ObjectNode parse(String service, String protocol, String operation, HttpResponse response) {
        ObjectNode t = JSON.createObjectNode().put("kind", "parse").put("service", service)
                .put("protocol", protocol).put("operation", operation).put("status", response.status());
        ObjectNode headers = t.putObject("headers");
        for (String name : response.headers().names()) {
            headers.put(response.headers().originalName(name), response.headers().get(name));
        }
        t.put("body_b64", Base64.getEncoder().encodeToString(response.body()));
        tasks.add(t);
        return t;
    }

    /** Runs every task queued so far; the answers in order. */
    public List<JsonNode> run() {
        Path script = script();
        try {
            Process p = new ProcessBuilder("python3", script.toString()).redirectErrorStream(false).start();
            StringBuilder input = new StringBuilder();
            for (ObjectNode t : tasks) {
                input.append(JSON.writeValueAsString(t)).append('\n');
            }
            p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("botocore bridge timed out");
            }
            Assumptions.assumeFalse(err.contains("ModuleNotFoundError"), "botocore is not installed");
            List<JsonNode> answers = new ArrayList<>();
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode n = JSON.readTree(line);
                    if (n.has("$error")) {
                        throw new AssertionError("botocore: " + n.get("$error").asText());
                    }
                    answers.add(n);
                }
            }
            if (answers.size() != tasks.size()) {
                throw new AssertionError("botocore bridge answered " + answers.size() + " of " + tasks.size() + ": " + err);
            }
            tasks.clear();
            return answers;
        } catch (IOException e) {
            Assumptions.abort("python3 is not available: " + e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The HTTP request botocore described, as the codecs see it. */
    public static HttpRequest toRequest(JsonNode serialized) {
        Headers headers = new Headers();
        for (Iterator<Map.Entry<String, JsonNode>> it = serialized.get("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            headers.add(e.getKey(), e.getValue().asText());
        }
        return HttpRequest.of(serialized.get("method").asText(), serialized.get("path").asText(), headers,
                Base64.getDecoder().decode(serialized.get("body_b64").asText()));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Path script() {
        try {
            var url = BotocoreBridge.class.getResource("/protocol/botocore_bridge.py");
            if (url != null && "file".equals(url.getProtocol())) {
                return new File(url.toURI()).toPath();
            }
            Path tmp = Files.createTempFile("botocore_bridge", ".py");
            try (InputStream in = BotocoreBridge.class.getResourceAsStream("/protocol/botocore_bridge.py")) {
                Files.write(tmp, in.readAllBytes());
            }
            tmp.toFile().deleteOnExit();
            return tmp;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
