package dev.terrarium.core.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStreamMessageTest {
    @Test
    void emptyMessageIsAwsTestVector() {
        assertThat(HexFormat.of().formatHex(EventStreamMessage.encode(Map.of(), new byte[0])))
                .isEqualTo("000000100000000005c248eb7d98c8ff");
    }

    @Test
    void eventRoundTripsWithHeadersAndPayload() {
        byte[] m = EventStreamMessage.event("PayloadChunk", "application/octet-stream", "héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(m.length).isEqualTo(m[3] & 0xff);
        Map<String, Object> d = EventStreamMessage.decode(m);
        assertThat(d).containsEntry(":event-type", "PayloadChunk").containsEntry(":message-type", "event")
                .containsEntry(":content-type", "application/octet-stream");
        assertThat(new String((byte[]) d.get(""), StandardCharsets.UTF_8)).isEqualTo("héllo");
        Map<String, Object> e = EventStreamMessage.decode(EventStreamMessage.exception("ServiceException", "{}".getBytes()));
        assertThat(e).containsEntry(":message-type", "exception").containsEntry(":exception-type", "ServiceException");
    }

    @Test
    void corruptMessageIsRefused() {
        byte[] m = EventStreamMessage.event("PayloadChunk", null, new byte[]{1, 2, 3});
        m[m.length - 6] ^= 1;
        assertThatThrownBy(() -> EventStreamMessage.decode(m)).isInstanceOf(IllegalArgumentException.class);
    }
}
