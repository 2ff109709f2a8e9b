package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.ContentProfile;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.InterestVector;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.TopicWeight;
import org.junit.jupiter.api.Test;

/** The Avro to JSON conversion of DESIGN.md section 11, with hand-written expected lines. */
class AvroJsonTest {
    private static final byte[] KEY = "3f2a9c".getBytes(StandardCharsets.UTF_8);

    static SessionSummary session() {
        return SessionSummary.newBuilder()
                .setSessionId("s-1")
                .setUser("3f2a9c")
                .setStart(Instant.parse("2023-02-02T07:20:24Z"))
                .setEnd(Instant.parse("2023-02-02T07:31:05.120Z"))
                .setDurationMs(641_120)
                .setEventCount(5)
                .setViews(2)
                .setClicks(1)
                .setEngagedMs(45_000)
                .setDistinctItems(2)
                .setTopTopics(List.of("news", "sports"))
                .setTopicSwitches(1)
                .setBounce(false)
                .setEngaged(true)
                .setEngagedInferred(false)
                .setStatus(SessionStatus.CLOSED)
                .build();
    }

    @Test
    void timestampsEnumsArraysInSchemaOrderWithKeyFirst() {
        assertThat(AvroJson.line(KEY, session()))
                .isEqualTo("{\"_key\":\"3f2a9c\",\"session_id\":\"s-1\",\"user\":\"3f2a9c\","
                        + "\"start\":\"2023-02-02T07:20:24.000Z\",\"end\":\"2023-02-02T07:31:05.120Z\","
                        + "\"duration_ms\":641120,\"event_count\":5,\"views\":2,\"clicks\":1,\"engaged_ms\":45000,"
                        + "\"distinct_items\":2,\"top_topics\":[\"news\",\"sports\"],\"topic_switches\":1,"
                        + "\"bounce\":false,\"engaged\":true,\"engaged_inferred\":false,\"status\":\"CLOSED\"}");
    }

    @Test
    void dateAndMapsWithSortedKeys() {
        Map<String, Long> engaged = new LinkedHashMap<>();
        engaged.put("shopping", 60_000L);
        engaged.put("news", 125_000L);
        DailyAttentionReport report = DailyAttentionReport.newBuilder()
                .setUser("3f2a9c")
                .setDate(LocalDate.parse("2023-02-02"))
                .setZone("Europe/Berlin")
                .setEngagedMsByCategory(engaged)
                .setSessions(2)
                .setLongestSessionMs(641_120)
                .setAlerts(Map.of("TAKE_A_BREAK", 1))
                .setFocusRatio(0.75)
                .build();
        assertThat(AvroJson.line(KEY, report))
                .isEqualTo(
                        "{\"_key\":\"3f2a9c\",\"user\":\"3f2a9c\",\"date\":\"2023-02-02\",\"zone\":\"Europe/Berlin\","
                                + "\"engaged_ms_by_category\":{\"news\":125000,\"shopping\":60000},\"sessions\":2,"
                                + "\"longest_session_ms\":641120,\"alerts\":{\"TAKE_A_BREAK\":1},\"focus_ratio\":0.75,"
                                + "\"focus_ms\":0,\"neutral_ms\":0,\"distraction_ms\":0,\"context_switches\":0,"
                                + "\"mean_attention_span_ms\":0,\"longest_focus_ms\":0}");
    }

    @Test
    void bytesAsBase64AndNullOptional() {
        DeadLetter withBytes = deadLetter(ByteBuffer.wrap(new byte[] {0x01, 0x02, (byte) 0xFF}));
        DeadLetter withoutBytes = deadLetter(null);
        assertThat(AvroJson.line(null, withBytes))
                .isEqualTo("{\"_key\":null,\"source_topic\":\"clickstream\",\"partition\":1,\"offset\":42,"
                        + "\"reason\":\"NEGATIVE_DWELL\",\"detail\":\"dwell_ms -5\",\"raw_value\":\"AQL/\","
                        + "\"raw_sha256\":\"ab12\",\"raw_length\":3,\"observed_at\":\"2024-05-01T00:00:00.001Z\"}");
        assertThat(AvroJson.toJson(withoutBytes).get("raw_value").isNull()).isTrue();
        // rendering does not consume the record's buffer
        assertThat(withBytes.getRawValue().remaining()).isEqualTo(3);
    }

    @Test
    void nestedArrayOfRecords() {
        InterestVector vector = InterestVector.newBuilder()
                .setUser("3f2a9c")
                .setAsOf(Instant.parse("2023-02-09T00:01:10Z"))
                .setTop(List.of(new TopicWeight("news", 0.93633), new TopicWeight("sports", 0.35111)))
                .setNorm(4.2719)
                .setEventsCounted(4)
                .build();
        assertThat(AvroJson.line(KEY, vector))
                .isEqualTo("{\"_key\":\"3f2a9c\",\"user\":\"3f2a9c\",\"as_of\":\"2023-02-09T00:01:10.000Z\","
                        + "\"top\":[{\"topic\":\"news\",\"weight\":0.93633},{\"topic\":\"sports\",\"weight\":0.35111}],"
                        + "\"norm\":4.2719,\"events_counted\":4}");
    }

    @Test
    void nullOptionalStringAndDoubleMaps() {
        AttentionAlert alert = AttentionAlert.newBuilder()
                .setAlertId("a-1")
                .setUser("3f2a9c")
                .setType(AlertType.TAKE_A_BREAK)
                .setEventTime(Instant.parse("2023-02-02T08:10:00Z"))
                .setSessionId(null)
                .setMetrics(Map.of("continuous_ms", 3_000_000.0))
                .setThresholds(Map.of("continuous_ms", 3_000_000.0))
                .setMessage("Time for a break")
                .build();
        assertThat(AvroJson.line(KEY, alert))
                .isEqualTo("{\"_key\":\"3f2a9c\",\"alert_id\":\"a-1\",\"user\":\"3f2a9c\",\"type\":\"TAKE_A_BREAK\","
                        + "\"event_time\":\"2023-02-02T08:10:00.000Z\",\"session_id\":null,"
                        + "\"metrics\":{\"continuous_ms\":3000000.0},\"thresholds\":{\"continuous_ms\":3000000.0},"
                        + "\"message\":\"Time for a break\",\"category\":null}"); // category: budget alerts only
    }

    @Test
    void logicalTypeInsideUnionFromSpecificAndGenericRecords() {
        ContentProfile specific = ContentProfile.newBuilder()
                .setItemId("i-1")
                .setTopics(Map.of("news", 1.0))
                .setTitle(null)
                .setUpdatedAt(Instant.parse("2023-01-31T23:59:59.999Z"))
                .build();
        GenericRecord generic = new GenericData.Record(ContentProfile.getClassSchema());
        generic.put("item_id", "i-1");
        generic.put("topics", Map.of("news", 1.0));
        generic.put("updated_at", Instant.parse("2023-01-31T23:59:59.999Z").toEpochMilli());
        String expected = "{\"_key\":\"i-1\",\"item_id\":\"i-1\",\"topics\":{\"news\":1.0},\"title\":null,"
                + "\"updated_at\":\"2023-01-31T23:59:59.999Z\"}";
        byte[] key = "i-1".getBytes(StandardCharsets.UTF_8);
        assertThat(AvroJson.line(key, specific)).isEqualTo(expected);
        assertThat(AvroJson.line(key, generic)).isEqualTo(expected);
    }

    @Test
    void genericDateAsEpochDays() {
        GenericRecord generic = new GenericData.Record(DailyAttentionReport.getClassSchema());
        generic.put("date", (int) LocalDate.parse("2023-02-02").toEpochDay());
        assertThat(AvroJson.toJson(generic).get("date").asText()).isEqualTo("2023-02-02");
    }

    @Test
    void tombstone() {
        assertThat(AvroJson.line(KEY, null)).isEqualTo("{\"_key\":\"3f2a9c\",\"_tombstone\":true}");
    }

    static DeadLetter deadLetter(ByteBuffer raw) {
        return DeadLetter.newBuilder()
                .setSourceTopic("clickstream")
                .setPartition(1)
                .setOffset(42)
                .setReason(DeadLetterReason.NEGATIVE_DWELL)
                .setDetail("dwell_ms -5")
                .setRawValue(raw)
                .setRawSha256("ab12")
                .setRawLength(3)
                .setObservedAt(Instant.parse("2024-05-01T00:00:00.001Z"))
                .build();
    }
}
