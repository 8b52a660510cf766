package dev.terrarium.services.organizations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrarium.core.testing.TerrariumExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One python3 process with boto3 that runs calls sent as JSON lines (for services whose SDK v2 artifact
 * is not on the test classpath): {"service","op","params","key","secret","token"} -> the response, or
 * {"Error":{"Code","Message",...},"status":N}.
 */
final class Boto3 implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = String.join("\n",
            "import sys, json, boto3, botocore.exceptions, datetime",
            "from botocore.config import Config",
            "endpoint = sys.argv[1]",
            "for line in sys.stdin:",
            "    req = json.loads(line)",
            "    try:",
            "        c = boto3.client(req['service'], endpoint_url=endpoint, region_name='us-east-1',",
            "            aws_access_key_id=req['key'], aws_secret_access_key=req['secret'], aws_session_token=req.get('token'),",
            "            config=Config(retries={'max_attempts': 1}))",
            "        out = getattr(c, req['op'])(**req.get('params', {}))",
            "        out.pop('ResponseMetadata', None)",
            "    except botocore.exceptions.ClientError as e:",
            "        out = {'Error': e.response.get('Error', {}), 'status': e.response['ResponseMetadata']['HTTPStatusCode']}",
            "        out.update({k: v for k, v in e.response.items() if k not in ('Error', 'ResponseMetadata')})",
            "    except Exception as e:",
            "        out = {'Error': {'Code': 'Client' + type(e).__name__, 'Message': str(e)}}",
            "    print(json.dumps(out, default=str), flush=True)");

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    Boto3(TerrariumExtension server) {
        try {
            process = new ProcessBuilder("python3", "-c", SCRIPT, server.endpoint().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** A bridge to this server, closed with it; skips the calling test class where python3 with boto3 is missing. */
    static Boto3 startFor(TerrariumExtension server) {
        assumeTrue(available(), "python3 with boto3 is not installed");
        return server.track(new Boto3(server));
    }

    static boolean available() {
        try {
            return new ProcessBuilder("python3", "-c", "import boto3").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A call with test/test. */
    JsonNode call(String service, String op, Object... params) {
        return callAs(new String[]{"test", "test", null}, service, op, params);
    }

    /** A call with test/test that must succeed: its response (the test fails on an error, showing it). */
    JsonNode ok(String service, String op, Object... params) {
        JsonNode r = call(service, op, params);
        assertThat(r.has("Error")).as(op + " -> " + r).isFalse();
        return r;
    }

    /** A call signed with {key, secret, token-or-null}; params are name, value pairs. */
    JsonNode callAs(String[] creds, String service, String op, Object... params) {
        ObjectNode req = JSON.createObjectNode().put("service", service).put("op", op)
                .put("key", creds[0]).put("secret", creds[1]).put("token", creds.length > 2 ? creds[2] : null);
        ObjectNode p = req.putObject("params");
        for (int i = 0; i + 1 < params.length; i += 2) {
            p.set((String) params[i], JSON.valueToTree(params[i + 1]));
        }
        try {
            in.write(JSON.writeValueAsString(req) + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("boto3 process ended");
            }
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> tag(String k, String v) {
        return Map.of("Key", k, "Value", v);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
