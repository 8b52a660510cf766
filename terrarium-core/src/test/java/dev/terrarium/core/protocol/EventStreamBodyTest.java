package dev.terrarium.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.http.HttpResponse;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.Operation;
import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.protocol.json.AwsJsonCodec;
import dev.terrarium.core.protocol.xml.RestXmlCodec;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.EventStream;
import dev.terrarium.core.service.Struct;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamBodyTest {
    private static final Models MODELS = Models.fromClasspath();
    private static final ObjectMapper M = new ObjectMapper();

    static List<Map<String, Object>> frames(InputStream in) throws Exception {
        byte[] all = in.readAllBytes();
        List<Map<String, Object>> out = new ArrayList<>();
        int pos = 0;
        while (pos < all.length) {
            int total = ByteBuffer.wrap(all, pos, 4).getInt();
            byte[] one = new byte[total];
            System.arraycopy(all, pos, one, 0, total);
            out.add(EventStreamMessage.decode(one)); // checks both CRCs
            pos += total;
        }
        return out;
    }

    static String text(Map<String, Object> frame) {
        return new String((byte[]) frame.get(""), StandardCharsets.UTF_8);
    }

    @Test
    void awsJsonStreamStartsWithInitialResponseThenEventsThenModeledException() throws Exception {
        ServiceModel logs = MODELS.model("logs");
        Operation op = logs.operation("StartLiveTail");
        EventStream events = new EventStream();
        events.emit("sessionStart", Struct.of("requestId", "r1", "sessionId", "s1", "logGroupIdentifiers", List.of("arn:g")));
        events.emit("sessionUpdate", Struct.of("sessionMetadata", Struct.of("sampled", false),
                "sessionResults", List.of(Struct.of("message", "hello", "timestamp", 5L))));
        events.fail(new AwsException("SessionTimeoutException", "Session timed out"));
        HttpResponse r = new AwsJsonCodec(Protocol.AWS_JSON_1_1).serializeResponse(logs, op,
                Struct.of("responseStream", events), "req-1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/vnd.amazon.eventstream");
        assertThat(r.isStreamed()).isTrue();
        assertThat(r.bodyLength()).isEqualTo(-1);
        assertThat(r.headers().get("x-amzn-RequestId")).isEqualTo("req-1");
        List<Map<String, Object>> f = frames(r.bodyStream());
        assertThat(f).hasSize(4);
        assertThat(f.get(0)).containsEntry(":event-type", "initial-response").containsEntry(":message-type", "event");
        assertThat(text(f.get(0))).isEqualTo("{}");
        assertThat(f.get(1)).containsEntry(":event-type", "sessionStart").containsEntry(":content-type", "application/json");
        JsonNode start = M.readTree(text(f.get(1)));
        assertThat(start.get("sessionId").asText()).isEqualTo("s1");
        assertThat(start.get("logGroupIdentifiers").get(0).asText()).isEqualTo("arn:g");
        JsonNode update = M.readTree(text(f.get(2)));
        assertThat(update.get("sessionResults").get(0).get("timestamp").asLong()).isEqualTo(5L);
        assertThat(update.get("sessionMetadata").get("sampled").asBoolean()).isFalse();
        assertThat(f.get(3)).containsEntry(":message-type", "exception")
                .containsEntry(":exception-type", "SessionTimeoutException");
        assertThat(M.readTree(text(f.get(3))).get("message").asText()).isEqualTo("Session timed out");
    }

    @Test
    void unmodeledErrorEndsWithErrorMessageAndCloseRunsActions() throws Exception {
        ServiceModel logs = MODELS.model("logs");
        EventStream events = new EventStream();
        AtomicBoolean closed = new AtomicBoolean();
        events.onClose(() -> closed.set(true));
        events.fail(new AwsException("ThrottlingException", "slow down"));
        assertThat(events.emit("sessionStart", Struct.empty())).isFalse();
        HttpResponse r = new AwsJsonCodec(Protocol.AWS_JSON_1_1).serializeResponse(logs,
                logs.operation("StartLiveTail"), Struct.of("responseStream", events), null);
        List<Map<String, Object>> f;
        try (InputStream in = r.bodyStream()) {
            f = frames(in);
        }
        assertThat(f).hasSize(2);
        assertThat(f.get(1)).containsEntry(":message-type", "error").containsEntry(":error-code", "ThrottlingException")
                .containsEntry(":error-message", "slow down");
        assertThat(closed).isTrue();
        assertThat(events.isClosed()).isTrue();
    }

    @Test
    void restXmlStreamWritesPayloadMembersRawAndStructuresAsXml() throws Exception {
        ServiceModel s3 = MODELS.model("s3");
        EventStream events = new EventStream();
        events.emit("Records", Struct.of("Payload", "a,b\n".getBytes(StandardCharsets.UTF_8)));
        events.emit("Stats", Struct.of("Details", Struct.of("BytesScanned", 10L, "BytesProcessed", 10L, "BytesReturned", 4L)));
        events.emit("End", Struct.empty());
        events.complete();
        HttpResponse r = new RestXmlCodec().serializeResponse(s3, s3.operation("SelectObjectContent"),
                Struct.of("Payload", events), "req-2");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/vnd.amazon.eventstream");
        List<Map<String, Object>> f = frames(r.bodyStream());
        assertThat(f).hasSize(3);
        assertThat(f.get(0)).containsEntry(":event-type", "Records").containsEntry(":content-type", "application/octet-stream");
        assertThat(text(f.get(0))).isEqualTo("a,b\n");
        assertThat(f.get(1)).containsEntry(":event-type", "Stats").containsEntry(":content-type", "text/xml");
        assertThat(text(f.get(1))).isEqualTo("<Stats xmlns=\"\"><BytesScanned>10</BytesScanned>"
                + "<BytesProcessed>10</BytesProcessed><BytesReturned>4</BytesReturned></Stats>");
        assertThat(f.get(2)).containsEntry(":event-type", "End").containsEntry(":message-type", "event");
        assertThat((byte[]) f.get(2).get("")).isEmpty();
    }
}
