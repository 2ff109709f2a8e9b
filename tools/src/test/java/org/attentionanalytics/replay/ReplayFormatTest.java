package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.replay.DatasetReaderTest.click;
import static org.attentionanalytics.replay.DatasetReaderTest.dwell;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.junit.jupiter.api.Test;

class ReplayFormatTest {
    static final ClickEvent VIEW = click(
            "f.csv:1:view",
            "u1",
            "2023-02-02T07:20:24Z",
            EventType.VIEW,
            "9615953",
            List.of("news"),
            "Europe/Copenhagen");
    static final DwellEvent DWELL =
            dwell("f.csv:1:dwell", "u1", "2023-02-02T07:20:37Z", "9615953", 13_000, null, List.of(), null);

    @Test
    void avroIsSingleObjectEncoding() throws Exception {
        byte[] bytes = ReplayFormat.AVRO.encode(VIEW);

        assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(ClickEvent.getClassSchema()));
        assertThat(ClickEvent.getDecoder().decode(bytes)).isEqualTo(VIEW);
        assertThat(DwellEvent.getDecoder().decode(ReplayFormat.AVRO.encode(DWELL)))
                .isEqualTo(DWELL);
    }

    @Test
    void jsonUsesSchemaFieldNamesAndEpochMillis() {
        // 2023-02-02T07:20:24Z = 1675322424000 ms, 07:20:37Z = 1675322437000 ms
        assertThat(new String(ReplayFormat.JSON.encode(VIEW), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"event_id\":\"f.csv:1:view\",\"user_id\":\"u1\",\"event_time\":1675322424000,\"event_type\":\"VIEW\","
                                + "\"item_id\":\"9615953\",\"topics\":[\"news\"],\"url\":null,\"referrer\":null,\"search_query\":null,"
                                + "\"device_id\":null,\"user_agent\":null,\"ip\":null,\"time_zone\":\"Europe/Copenhagen\",\"view_id\":null,\"session_id\":null}");
        assertThat(new String(ReplayFormat.JSON.encode(DWELL), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"event_id\":\"f.csv:1:dwell\",\"user_id\":\"u1\",\"event_time\":1675322437000,\"item_id\":\"9615953\","
                                + "\"dwell_ms\":13000,\"scroll_depth_pct\":null,\"visible\":null,\"topics\":[],\"time_zone\":null,\"user_agent\":null,\"kind\":\"DWELL\",\"view_id\":null,\"session_id\":null}");
    }
}
