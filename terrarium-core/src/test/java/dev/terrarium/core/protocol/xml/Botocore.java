package dev.terrarium.core.protocol.xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * botocore, the reference client, in one python3 process shared by the tests: serializes requests
 * with its serializers and parses our responses with its parsers (src/test/resources/botocore/bridge.py).
 */
public final class Botocore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Botocore instance;

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private Botocore() throws IOException {
        Path script = Files.createTempFile("botocore-bridge", ".py");
        try (InputStream src = Botocore.class.getResourceAsStream("/botocore/bridge.py")) {
            Files.write(script, src.readAllBytes());
        }
        script.toFile().deleteOnExit();
        process = new ProcessBuilder("python3", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    }

    public static synchronized Botocore get() {
        if (instance == null) {
            try {
                instance = new Botocore();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private synchronized JsonNode call(ObjectNode cmd) {
        try {
            in.write(JSON.writeValueAsString(cmd));
            in.write('\n');
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("botocore bridge ended");
            }
            JsonNode answer = JSON.readTree(line);
            if (answer.has("error")) {
                throw new IllegalStateException("botocore: " + answer.get("error").asText());
            }
            return answer.get("ok");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request botocore sends for these parameters (JSON; "b64:..." strings are bytes). */
    public HttpRequest request(String service, String operation, String paramsJson) {
        return request(service, operation, null, paramsJson);
    }

    /** protocol: botocore's name ("query", "ec2", "rest-xml"), or null for the model's own. */
    public HttpRequest request(String service, String operation, String protocol, String paramsJson) {
        try {
            ObjectNode cmd = JSON.createObjectNode().put("cmd", "serialize").put("service", service)
                    .put("operation", operation);
            if (protocol != null) {
                cmd.put("protocol", protocol);
            }
            cmd.set("params", JSON.readTree(paramsJson));
            JsonNode r = call(cmd);
            Headers headers = new Headers();
            r.get("headers").fields().forEachRemaining(e -> headers.add(e.getKey(), e.getValue().asText()));
            headers.set("Host", "localhost:4566");
            return HttpRequest.of(r.get("method").asText(), r.get("url").asText(), headers,
                    Base64.getDecoder().decode(r.get("body").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What botocore makes of our response (for an error: the "Error" dict plus modeled fields). */
    public JsonNode parse(String service, String operation, String protocol, HttpResponse response) {
        ObjectNode cmd = JSON.createObjectNode().put("cmd", "parse").put("service", service)
                .put("operation", operation).put("status", response.status())
                .put("body", Base64.getEncoder().encodeToString(response.body()));
        if (protocol != null) {
            cmd.put("protocol", protocol);
        }
        ObjectNode headers = cmd.putObject("headers");
        for (String name : response.headers().names()) {
            headers.put(name, response.headers().get(name));
        }
        return call(cmd);
    }

    public JsonNode parse(String service, String operation, HttpResponse response) {
        return parse(service, operation, null, response);
    }

    public static Map<String, Object> toMap(JsonNode n) {
        return JSON.convertValue(n, Map.class);
    }
}
