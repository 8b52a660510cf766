package dev.terrarium.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.http.Headers;
import dev.terrarium.core.http.HttpRequest;
import dev.terrarium.core.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * botocore on SQS's old query wire, as the SDKs of that era drove it: Terrarium's model with the overlay's
 * xmlName as botocore's locationName (src/test/resources/overlays/query_era_botocore.py). Also the current
 * botocore client, to see which exception it raises for an error we answer. Commands are batched: one
 * python3 run per {@link #run()}.
 */
public final class QueryEraBotocore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> commands = new ArrayList<>();

    /** The request botocore's QuerySerializer writes for these parameters (JSON; "b64:..." strings are bytes). */
    public QueryEraBotocore serialize(String service, String operation, String paramsJson) {
        ObjectNode c = command("serialize", service).put("operation", operation);
        c.set("params", read(paramsJson));
        return this;
    }

    /** What botocore's QueryParser reads from our response (errors: the Error dict and the modeled shape). */
    public QueryEraBotocore parse(String service, String operation, HttpResponse response) {
        ObjectNode c = command("parse", service).put("operation", operation).put("status", response.status())
                .put("body", response.bodyText());
        ObjectNode headers = c.putObject("headers");
        response.headers().names().forEach(n -> headers.put(n, response.headers().get(n)));
        return this;
    }

    /** What the current botocore client raises when our response answers client.method(params). */
    public QueryEraBotocore clientError(String service, String method, String paramsJson, HttpResponse response) {
        ObjectNode c = command("client_error", service).put("method", method).put("status", response.status())
                .put("body", response.bodyText());
        c.set("params", read(paramsJson));
        ObjectNode headers = c.putObject("headers");
        response.headers().names().forEach(n -> headers.put(n, response.headers().get(n)));
        return this;
    }

    /** Runs the batch; one answer per command, in order (a botocore exception fails the test). */
    public List<JsonNode> run() {
        try {
            Path scripts = Files.createTempDirectory("query-era-botocore");
            Path script = extract("/overlays/query_era_botocore.py", scripts);
            Path bridge = extract("/botocore/bridge.py", scripts); // its encode and decode_params
            Path input = Files.createTempFile("query-era-botocore", ".json");
            ArrayNode all = JSON.createArrayNode();
            commands.forEach(all::add);
            Files.writeString(input, JSON.writeValueAsString(all));
            Process p = new ProcessBuilder("python3", "-B", script.toString(), modelsDir().toString(), overlaysDir().toString())
                    .redirectInput(input.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("query_era_botocore.py failed: " + new String(out, StandardCharsets.UTF_8));
            }
            Files.deleteIfExists(script);
            Files.deleteIfExists(bridge);
            Files.deleteIfExists(scripts);
            Files.deleteIfExists(input);
            List<JsonNode> answers = new ArrayList<>();
            for (JsonNode a : JSON.readTree(out)) {
                if (a.has("error")) {
                    throw new IllegalStateException("botocore: " + a.get("error").asText());
                }
                answers.add(a.get("ok"));
            }
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path extract(String resource, Path dir) throws IOException {
        Path file = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream src = QueryEraBotocore.class.getResourceAsStream(resource)) {
            Files.write(file, src.readAllBytes());
        }
        return file;
    }

    /** A serialize answer as the request our codecs see (POST / with the form body). */
    public static HttpRequest toRequest(JsonNode serialized) {
        Headers headers = new Headers();
        serialized.get("headers").fields().forEachRemaining(e -> headers.add(e.getKey(), e.getValue().asText()));
        headers.set("Host", "localhost:4566");
        return HttpRequest.of(serialized.get("method").asText(), "/", headers,
                serialized.get("body").asText().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode command(String cmd, String service) {
        ObjectNode c = JSON.createObjectNode().put("cmd", cmd).put("service", service);
        commands.add(c);
        return c;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The model resources the codecs load (so botocore works from the very same models): the classpath
     * folder when the core's classes are a folder, else (from another module, where they are in a jar)
     * the checkout's source copy of them.
     */
    public static Path modelsDir() {
        try {
            java.net.URI index = QueryEraBotocore.class.getResource("/models/index.json").toURI();
            if ("file".equals(index.getScheme())) {
                return Path.of(index).getParent();
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return checkoutDir("terrarium-core/src/main/resources/models", "index.json");
    }

    /** tools/overlays of the checkout, found upwards from the working directory. */
    public static Path overlaysDir() {
        return checkoutDir("tools/overlays", "overlay.py");
    }

    private static Path checkoutDir(String relative, String marker) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate.resolve(marker))) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
