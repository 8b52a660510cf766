package dev.terrarium.core.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.model.Shape;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The conformance harness itself must be able to fail: differences are seen on both sides, cases are stable. */
class HarnessSelfTest {
    private static final ServiceModel SQS = Models.fromClasspath().model("sqs");

    @Test
    void valueDiffReportsEveryDifferenceByPath() {
        Shape shape = SQS.operation("SendMessage").input();
        Struct expected = Struct.of("QueueUrl", "u", "MessageBody", "b", "DelaySeconds", 5);
        Struct actual = Struct.of("QueueUrl", "u", "MessageBody", "B", "MessageGroupId", "g");
        assertThat(ValueDiff.of(expected, actual, shape)).containsExactly(
                ".MessageBody: expected \"b\" but was \"B\"",
                ".DelaySeconds: expected 5 (Integer) but was (absent)",
                ".MessageGroupId: expected (absent) but was \"g\"");
        assertThat(ValueDiff.of(expected, expected.copy(), shape)).isEmpty();
    }

    @Test
    void taggedJsonRoundTripsTimestampsBlobsAndNonFiniteFloats() throws Exception {
        Shape shape = SQS.operation("SendMessage").input();
        Struct s = Struct.of("QueueUrl", "é😀", "MessageAttributes", java.util.Map.of("a",
                Struct.of("DataType", "Binary", "BinaryValue", new byte[]{0, (byte) 255})));
        JsonNode json = TaggedJson.toJson(s, shape, false);
        assertThat(json.toString()).contains("{\"$blob\":\"AP8=\"}");
        assertThat(ValueDiff.of(s, TaggedJson.toStruct(json, shape), shape)).isEmpty();
        Instant t = Instant.parse("2020-01-02T03:04:05.678Z");
        assertThat(TaggedJson.toJava(TaggedJson.toJson(t, SQS.shape("Timestamp") != null ? SQS.shape("Timestamp")
                : timestampShape(), false), timestampShape(), false)).isEqualTo(t);
    }

    private static Shape timestampShape() {
        return Models.fromClasspath().model("sts").operation("GetSessionToken").output().member("Credentials").shape()
                .member("Expiration").shape();
    }

    @Test
    void botocoreSideReportsAWrongValueAndAcceptsTheRightOne() throws Exception {
        Botocore.assumeAvailable();
        String body = Base64.getEncoder().encodeToString("{\"QueueUrl\":\"http://q/1\"}".getBytes(StandardCharsets.UTF_8));
        String line = "{\"id\":%d,\"kind\":\"response\",\"service\":\"sqs\",\"protocol\":\"json\",\"operation\":\"GetQueueUrl\","
                + "\"status\":200,\"headers\":[[\"Content-Type\",\"application/x-amz-json-1.0\"]],\"body\":\"" + body
                + "\",\"expected\":{\"QueueUrl\":\"%s\"}}\n";
        Files.createDirectories(Botocore.WORK);
        Path file = Botocore.WORK.resolve("selftest.jsonl");
        Files.writeString(file, line.formatted(0, "http://q/1") + line.formatted(1, "http://q/2"));
        List<String> results = Files.readAllLines(Botocore.checkResponses(file));
        assertThat(results).hasSize(2);
        assertThat(TaggedJson.MAPPER.readTree(results.get(0)).get("ok").asBoolean()).isTrue();
        JsonNode wrong = TaggedJson.MAPPER.readTree(results.get(1));
        assertThat(wrong.get("ok").asBoolean()).isFalse();
        assertThat(wrong.get("diff").get(0).asText()).contains("QueueUrl").contains("http://q/2");
    }

    @Test
    void requestCasesAreDeterministic() throws Exception {
        Botocore.assumeAvailable();
        List<String> args = List.of("--models", Botocore.modelsDir().toString(), "--max-ops", "3", "--seed", "7", "sts");
        Path a = Botocore.requestCases(args);
        List<String> first = Files.readAllLines(a);
        Files.delete(a);
        List<String> lines = Files.readAllLines(Botocore.requestCases(args));
        assertThat(lines).isEqualTo(first);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"service\": \"sts\"").contains("\"request\"");
        Path c = Botocore.requestCases(List.of("--models", Botocore.modelsDir().toString(), "--max-ops", "3", "--seed", "8", "sts"));
        assertThat(Files.readAllLines(c)).isNotEqualTo(lines);
    }
}
