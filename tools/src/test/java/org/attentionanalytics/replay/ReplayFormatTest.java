package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.replay.DatasetReaderTest.click;
import static org.attentionanalytics.replay.DatasetReaderTest.dwell;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.PomodoroCadence;
import org.attentionanalytics.avro.Weekday;
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

    @Test
    void focusBlocksNestTheirBlocksAsObjects() throws Exception {
        FocusBlocks blocks = FocusBlocks.newBuilder()
                .setUserId("u1")
                .setBlocks(List.of(
                        FocusBlock.newBuilder()
                                .setName("a")
                                .setStart(Instant.ofEpochMilli(1000))
                                .setEnd(Instant.ofEpochMilli(2000))
                                .setPomodoro(new PomodoroCadence(25, 5, 15, 4))
                                .build(),
                        FocusBlock.newBuilder()
                                .setName("b")
                                .setDays(List.of(Weekday.MONDAY))
                                .setLocalStart("09:00")
                                .setLocalEnd("10:00")
                                .setFocusCategories(List.of("news"))
                                .build()))
                .setUpdatedAt(Instant.ofEpochMilli(500))
                .build();
        assertThat(new String(ReplayFormat.JSON.encode(blocks), StandardCharsets.UTF_8))
                .isEqualTo("{\"user_id\":\"u1\",\"time_zone\":null,\"blocks\":["
                        + "{\"name\":\"a\",\"start\":1000,\"end\":2000,\"days\":[],\"local_start\":null,\"local_end\":null,"
                        + "\"focus_categories\":[],\"pomodoro\":{\"work_minutes\":25,\"short_break_minutes\":5,"
                        + "\"long_break_minutes\":15,\"cycles\":4}},"
                        + "{\"name\":\"b\",\"start\":null,\"end\":null,\"days\":[\"MONDAY\"],\"local_start\":\"09:00\","
                        + "\"local_end\":\"10:00\",\"focus_categories\":[\"news\"],\"pomodoro\":null}],"
                        + "\"updated_at\":500}");
        // compared as text: equals() of a decoded record fails on the nested nullable timestamps
        // (GenericData.Array compares without the logical-type conversions)
        assertThat(FocusBlocks.getDecoder()
                        .decode(ReplayFormat.AVRO.encode(blocks))
                        .toString())
                .isEqualTo(blocks.toString());
    }
}
