package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.io.JsonMapping.Field;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clickstream door with a {@code --json.*} mapping of Segment-style JSON. */
class JsonMappingTest {
    static final long NOW = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();

    /** The README's Segment example. */
    static final String SEGMENT =
            "{\"userId\":\"u1\",\"event\":\"Product Viewed\",\"timestamp\":\"2025-01-06T09:00:00Z\","
                    + "\"messageId\":\"m1\",\"properties\":{\"item_id\":\"a\",\"category\":\"news\"},"
                    + "\"context\":{\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0\",\"ip\":\"203.0.113.7\"}}";

    @TempDir
    Path dir;

    Path keyFile;

    @BeforeEach
    void key() throws Exception {
        keyFile = dir.resolve("key");
        Files.writeString(keyFile, "test-key\n");
    }

    static JsonMapping segment() {
        Map<Field, String> p = new EnumMap<>(Field.class);
        p.put(Field.USER_ID, "$.userId");
        p.put(Field.EVENT_TIME, "$.timestamp");
        p.put(Field.EVENT_ID, "$.messageId");
        p.put(Field.EVENT_TYPE, "$.event");
        p.put(Field.ITEM_ID, "$.properties.item_id");
        p.put(Field.TOPICS, "$['properties']['category']");
        p.put(Field.USER_AGENT, "$.context.userAgent");
        p.put(Field.IP, "/context/ip");
        return JsonMapping.of(p, "Product Viewed=VIEW, Order Completed=purchase");
    }

    SourceRecord decode(String json) {
        DoorDecoder d = Doors.event(
                EventKind.CLICK,
                new DoorSettings(InputFormat.JSON, 600_000, keyFile.toString(), null, true).withJson(segment()));
        d.open();
        return d.decode(
                "clickstream", 0, 3, "u1".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void aSegmentTrackCallIsTheEvent() {
        SourceRecord r = decode(SEGMENT);
        assertThat(r.getDeadLetter()).isNull();
        AttentionEvent e = r.getEvent();
        // pseudonym of u1: python3 -c "import
        // hmac,hashlib;print(hmac.new(b'test-key',b'u1',hashlib.sha256).hexdigest()[:32])"
        assertThat(e.getUser()).isEqualTo("8df5f76cf15a864a069a1a641df2c0e9");
        assertThat(e.getEventId()).isEqualTo("m1");
        assertThat(e.getEventTime()).isEqualTo(1_736_154_000_000L); // 2025-01-06 = 20094 days, + 9 h
        assertThat(e.getEventType()).isEqualTo(EventType.VIEW);
        assertThat(e.getKind()).isEqualTo(EventKind.CLICK);
        assertThat(e.getItemId()).isEqualTo("a");
        assertThat(e.getTopics()).containsExactly("news");
        assertThat(e.getTimeZone()).isNull();
        assertThat(e.getViewId()).isNull();
        assertThat(e.toString()).doesNotContain("u1\"", "Mozilla", "Firefox", "203.0.113.7");
    }

    @Test
    void aMissingPathIsMissingFieldNamingThePath() {
        SourceRecord r = decode(SEGMENT.replace("\"userId\":\"u1\",", "").replace("\"messageId\":\"m1\",", ""));
        assertThat(r.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(r.getDeadLetter().getDetail())
                .isEqualTo("nothing at event_id ($.messageId), user_id ($.userId): "
                        + "event_id, user_id and event_time are required");
    }

    @Test
    void aWrongTypeIsUndecodable() {
        SourceRecord r = decode(SEGMENT.replace("\"item_id\":\"a\"", "\"item_id\":{\"sku\":\"a\"}"));
        assertThat(r.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(r.getDeadLetter().getDetail()).contains("item_id ($.properties.item_id) is not a string");
        SourceRecord time = decode(SEGMENT.replace("\"2025-01-06T09:00:00Z\"", "true"));
        assertThat(time.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    }

    @Test
    void eventNamesReadAsMappedElseOwnNameElseOther() {
        assertThat(decode(SEGMENT.replace("Product Viewed", "Order Completed"))
                        .getEvent()
                        .getEventType())
                .isEqualTo(EventType.PURCHASE);
        assertThat(decode(SEGMENT.replace("Product Viewed", "Product Shared"))
                        .getEvent()
                        .getEventType())
                .isEqualTo(EventType.OTHER);
        assertThat(decode(SEGMENT.replace("Product Viewed", "SEARCH"))
                        .getEvent()
                        .getEventType())
                .isEqualTo(EventType.SEARCH);
    }

    @Test
    void theMappedUserAgentDetectsBots() {
        SourceRecord r = decode(SEGMENT.replace(
                "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
        assertThat(r.getBot()).isTrue();
        assertThat(r.getEvent()).isNull();
    }

    @Test
    void pathsThatDoNotCompileNameTheOption() {
        assertThatThrownBy(() -> JsonMapping.of(Map.of(Field.USER_ID, "$..userId"), null))
                .hasMessageStartingWith("--json.user-id '$..userId'");
        assertThatThrownBy(() -> JsonMapping.of(Map.of(Field.TOPICS, "$.tags[*]"), null))
                .hasMessageStartingWith("--json.topics");
        assertThatThrownBy(() -> JsonMapping.of(Map.of(Field.ITEM_ID, "properties.item_id"), null))
                .hasMessageStartingWith("--json.item-id");
        assertThatThrownBy(() -> JsonMapping.of(Map.of(), "Product Viewed=LOOK"))
                .hasMessageStartingWith("--json.event-types");
        assertThat(JsonMapping.pointer("$.a['b c'][2].d").toString()).isEqualTo("/a/b c/2/d");
        assertThat(JsonMapping.pointer("$['x/y']").toString()).isEqualTo("/x~1y");
        assertThat(JsonMapping.of(Map.of(), " ").isNone()).isTrue();
        assertThat(segment().eventTypes()).containsEntry("Order Completed", EventType.PURCHASE);
        assertThat(List.of(Field.SEARCH_QUERY.option(), Field.EVENT_ID.fieldName()))
                .containsExactly("--json.search-query", "event_id");
    }
}
