package dev.terrarium.services.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.testing.AwsCli;
import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The unmodified aws CLI (botocore's JSON wire, with its MD5 checks), and botocore signing SQS's old query wire. */
class SqsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();

    @BeforeAll
    static void start() {
        assumeTrue(AwsCli.available(), "the aws CLI is not installed");
    }

    private static JsonNode ok(String... args) throws Exception {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), args);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.stdout());
    }

    @Test
    void sendReceiveDeleteThroughTheCli() throws Exception {
        String url = ok("sqs", "create-queue", "--queue-name", "cli").path("QueueUrl").asText();
        assertThat(url).endsWith("/000000000000/cli");
        ok("sqs", "send-message", "--queue-url", url, "--message-body", "hello cli",
                "--message-attributes", "{\"k\":{\"DataType\":\"String\",\"StringValue\":\"v\"}}");
        JsonNode got = ok("sqs", "receive-message", "--queue-url", url, "--message-attribute-names", "All",
                "--attribute-names", "All", "--wait-time-seconds", "1");
        JsonNode m = got.path("Messages").get(0);
        assertThat(m.path("Body").asText()).isEqualTo("hello cli");
        assertThat(m.path("MessageAttributes").path("k").path("StringValue").asText()).isEqualTo("v");
        ok("sqs", "delete-message", "--queue-url", url, "--receipt-handle", m.path("ReceiptHandle").asText());
        assertThat(ok("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "ApproximateNumberOfMessages")
                .path("Attributes").path("ApproximateNumberOfMessages").asText()).isEqualTo("0");
    }

    @Test
    void cliReportsQueueDoesNotExist() {
        AwsCli.Result r = AwsCli.run(terrarium, Map.of(), "sqs", "get-queue-url", "--queue-name", "missing");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).containsAnyOf("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue");
    }

    /** A query-protocol request, signed by botocore, posted to the queue URL (as older SDKs do). */
    @Test
    void queryProtocolPostedToTheQueueUrl() throws Exception {
        String url = ok("sqs", "create-queue", "--queue-name", "legacy").path("QueueUrl").asText();
        String sent = query(url, "Action=SendMessage&Version=2012-11-05&MessageBody=from+query");
        assertThat(sent).contains("<SendMessageResponse").contains("<MD5OfMessageBody>");
        String received = query(url, "Action=ReceiveMessage&Version=2012-11-05");
        assertThat(received).contains("<ReceiveMessageResponse").contains("<Body>from query</Body>");
        String missing = query(terrarium.endpoint() + "/000000000000/nope", "Action=GetQueueAttributes&Version=2012-11-05");
        assertThat(missing).contains("<ErrorResponse").containsAnyOf("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue");
    }

    private static String query(String url, String form) throws Exception {
        String script = String.join("\n",
                "import sys, botocore.auth, botocore.awsrequest, botocore.credentials, urllib.request",
                "url, body = sys.argv[1], sys.argv[2]",
                "req = botocore.awsrequest.AWSRequest(method='POST', url=url, data=body,",
                "    headers={'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'})",
                "botocore.auth.SigV4Auth(botocore.credentials.Credentials('test', 'test'), 'sqs', 'us-east-1').add_auth(req)",
                "p = req.prepare()",
                "r = urllib.request.Request(p.url, data=p.body.encode() if isinstance(p.body, str) else p.body,",
                "    headers=dict(p.headers), method='POST')",
                "try:",
                "    print(urllib.request.urlopen(r).read().decode())",
                "except urllib.error.HTTPError as e:",
                "    print(e.read().decode())");
        File f = File.createTempFile("sqs-query", ".py");
        f.deleteOnExit();
        Files.writeString(f.toPath(), script);
        Process p = new ProcessBuilder(List.of("python3", f.getPath(), url, form)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
