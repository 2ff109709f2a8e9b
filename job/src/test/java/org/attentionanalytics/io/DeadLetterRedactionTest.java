package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead-letter redaction (DESIGN.md section 3) with {@code dlq.redact=true}: one test per
 * requirement. The PII values are distinctive strings, and each dead letter is checked as the
 * bytes the sink writes (the whole Avro-encoded {@link DeadLetter}, and its key), so no field,
 * detail text or re-encoding can hide one.
 */
class DeadLetterRedactionTest {
    static final long NOW = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();
    static final String USER_ID = "pii-user-4711";
    static final String IP = "203.0.113.77";
    static final String USER_AGENT = "PiiAgent/9.9 (secret-ua)";
    static final String SEARCH = "pii-search-words";
    static final String DEVICE = "pii-device-0042";
    static final String URL_QUERY = "email=pii-url@example.com";
    static final String REFERRER_QUERY = "ref=pii-referrer-token";
    /** Every PII value; url and referrer by their query strings (the rest of them is kept). */
    static final List<String> PII = List.of(
            USER_ID,
            IP,
            USER_AGENT,
            SEARCH,
            DEVICE,
            URL_QUERY,
            REFERRER_QUERY,
            "pii-url@example.com",
            "pii-referrer-token");

    @TempDir
    Path dir;

    String keyFile;
    Pseudonymizer pseudonyms;

    @BeforeEach
    void key() throws Exception {
        Path k = dir.resolve("key");
        Files.writeString(k, "redaction-key\n");
        keyFile = k.toString();
        pseudonyms = new Pseudonymizer(Pseudonymizer.loadKey(keyFile));
    }

    DoorDecoder decoder(EventKind kind, InputFormat format, boolean redact) {
        DoorDecoder d = Doors.event(kind, new DoorSettings(format, 600_000, keyFile, null, redact));
        d.open();
        return d;
    }

    /** A click with all seven PII fields set, dead-lettered by its time zone. */
    static ClickEvent piiClick() {
        return ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId(USER_ID)
                .setEventTime(Instant.ofEpochMilli(NOW - 1000))
                .setEventType(EventType.VIEW)
                .setItemId("item-1")
                .setTopics(List.of("news"))
                .setUrl("https://example.com/a/b?" + URL_QUERY)
                .setReferrer("https://search.example/r#" + REFERRER_QUERY)
                .setIp(IP)
                .setUserAgent(USER_AGENT)
                .setSearchQuery(SEARCH)
                .setDeviceId(DEVICE)
                .setTimeZone("Mars/Olympus")
                .build();
    }

    static String piiClickJson() {
        return "{\"event_id\":\"e1\",\"user_id\":\"" + USER_ID + "\",\"event_time\":" + (NOW - 1000)
                + ",\"event_type\":\"VIEW\",\"item_id\":\"item-1\",\"topics\":[\"news\"],\"url\":\"https://example.com/a/b?"
                + URL_QUERY + "\",\"referrer\":\"https://search.example/r#" + REFERRER_QUERY + "\",\"ip\":\"" + IP
                + "\",\"user_agent\":\"" + USER_AGENT + "\",\"search_query\":\"" + SEARCH + "\",\"device_id\":\""
                + DEVICE
                + "\",\"time_zone\":\"Mars/Olympus\"}";
    }

    static SourceRecord decode(DoorDecoder d, String topic, String key, byte[] value) {
        return d.decode(topic, 0, 7, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, NOW);
    }

    /** The bytes the DLQ sink writes for this dead letter, as ISO-8859-1 text (byte-for-byte). */
    static String written(SourceRecord r) {
        assertThat(r.getDeadLetter()).as("a dead letter").isNotNull();
        byte[] value = AvroRecordSerializer.encode(r.getDeadLetter());
        return new String(value, StandardCharsets.ISO_8859_1) + "|key=" + r.getDeadLetterKey();
    }

    static void assertNoPii(SourceRecord r) {
        String bytes = written(r);
        for (String pii : PII) {
            assertThat(bytes).as("dead letter bytes contain %s", pii).doesNotContain(pii);
        }
    }

    @Test
    void decodableAvroClickKeepsNoneOfTheSevenPiiFields() throws Exception {
        SourceRecord r = decode(
                decoder(EventKind.CLICK, InputFormat.AVRO, true),
                "clickstream",
                USER_ID,
                piiClick().toByteBuffer().array());
        assertThat(r.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.INVALID_TIME_ZONE);
        assertNoPii(r);
        ClickEvent kept = ClickEvent.fromByteBuffer(r.getDeadLetter().getRawValue());
        assertThat(kept.getUserId()).isEmpty();
        assertThat(kept.getIp()).isNull();
        assertThat(kept.getUserAgent()).isNull();
        assertThat(kept.getSearchQuery()).isNull();
        assertThat(kept.getDeviceId()).isNull();
        assertThat(kept.getUrl()).isEqualTo("https://example.com/a/b");
        assertThat(kept.getReferrer()).isEqualTo("https://search.example/r");
        // an event id can embed a user id: its HMAC under the key, python3:
        // hmac.new(b'redaction-key', b'e1', hashlib.sha256).hexdigest()[:32]
        assertThat(kept.getEventId()).isEqualTo("9b4bff0a1fffb8f583613f999a8ed7b5");
        // the rest is kept for debugging
        assertThat(kept.getTimeZone()).isEqualTo("Mars/Olympus");
    }

    @Test
    void decodableJsonClickKeepsNoneOfTheSevenPiiFields() {
        SourceRecord r = decode(
                decoder(EventKind.CLICK, InputFormat.JSON, true),
                "clickstream",
                USER_ID,
                piiClickJson().getBytes(StandardCharsets.UTF_8));
        assertThat(r.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.INVALID_TIME_ZONE);
        assertNoPii(r);
        String kept =
                StandardCharsets.UTF_8.decode(r.getDeadLetter().getRawValue()).toString();
        assertThat(kept).contains("\"url\": \"https://example.com/a/b\"", "\"referrer\": \"https://search.example/r\"");
    }

    @Test
    void decodableDwellKeepsNeitherUserIdNorUserAgent() throws Exception {
        DwellEvent dwell = DwellEvent.newBuilder()
                .setEventId("d1")
                .setUserId(USER_ID)
                .setEventTime(Instant.ofEpochMilli(NOW - 1000))
                .setItemId("item-1")
                .setDwellMs(-5L)
                .setUserAgent(USER_AGENT)
                .build();
        SourceRecord r = decode(
                decoder(EventKind.DWELL, InputFormat.AVRO, true),
                "dwell-time",
                USER_ID,
                dwell.toByteBuffer().array());
        assertThat(r.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.NEGATIVE_DWELL);
        assertNoPii(r);
        DwellEvent kept = DwellEvent.fromByteBuffer(r.getDeadLetter().getRawValue());
        assertThat(kept.getUserId()).isEmpty();
        assertThat(kept.getUserAgent()).isNull();
        assertThat(kept.getDwellMs()).isEqualTo(-5);
    }

    @Test
    void undecodableRecordsKeepOnlyHashAndLength() throws Exception {
        // Bytes that carry PII but decode as nothing: not single-object encoded, and broken JSON.
        byte[] avroGarbage = ("garbage " + USER_ID + " " + IP).getBytes(StandardCharsets.UTF_8);
        // An unquoted id: Jackson's message quotes it ("Unrecognized token 'nancy'...").
        byte[] brokenJson =
                ("{\"user_id\": nancy." + USER_ID + ", \"ip\": \"" + IP + "\"").getBytes(StandardCharsets.UTF_8);
        SourceRecord a = decode(decoder(EventKind.CLICK, InputFormat.AVRO, true), "clickstream", USER_ID, avroGarbage);
        SourceRecord j = decode(decoder(EventKind.CLICK, InputFormat.JSON, true), "clickstream", USER_ID, brokenJson);
        for (var c : List.of(new Object[] {a, avroGarbage}, new Object[] {j, brokenJson})) {
            SourceRecord r = (SourceRecord) c[0];
            byte[] raw = (byte[]) c[1];
            DeadLetter dl = r.getDeadLetter();
            assertThat(dl.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(dl.getRawValue()).isNull();
            assertThat(dl.getRawLength()).isEqualTo(raw.length);
            assertThat(dl.getRawSha256())
                    .isEqualTo(java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(raw)));
            assertNoPii(r); // the detail text too
            assertThat(written(r)).doesNotContain("nancy");
        }
        assertThat(j.getDeadLetter().getDetail())
                .isEqualTo("JsonParseException at line 1, column 19 (message left out: dlq.redact)");
        // sha256 of "garbage pii-user-4711 203.0.113.77", computed with: printf '%s' 'garbage pii-user-4711
        // 203.0.113.77' | sha256sum
        assertThat(a.getDeadLetter().getRawSha256())
                .isEqualTo("cb601a7c927f82f44c0c473acb78b9ec9bab5713efb7b11e11912926c95014b2");
    }

    @Test
    void deadLetterKeysArePseudonyms() throws Exception {
        String pseudonym = pseudonyms.pseudonym(USER_ID);
        DoorDecoder avro = decoder(EventKind.CLICK, InputFormat.AVRO, true);
        // keyed by the raw id (DESIGN.md section 2): undecodable, and decodable
        assertThat(decode(avro, "clickstream", USER_ID, new byte[] {1, 2, 3}).getDeadLetterKey())
                .isEqualTo(pseudonym);
        assertThat(decode(
                                avro,
                                "clickstream",
                                USER_ID,
                                piiClick().toByteBuffer().array())
                        .getDeadLetterKey())
                .isEqualTo(pseudonym);
        // no Kafka key: the record's user_id, pseudonymized; nothing to go by: no key
        assertThat(decode(avro, "clickstream", null, piiClick().toByteBuffer().array())
                        .getDeadLetterKey())
                .isEqualTo(pseudonym);
        assertThat(decode(avro, "clickstream", null, new byte[] {1, 2, 3}).getDeadLetterKey())
                .isNull();
        // after the door (TOO_LATE): the event's pseudonym
        AttentionEvent e = AttentionEvent.newBuilder()
                .setKind(EventKind.CLICK)
                .setEventId("e9")
                .setUser(pseudonym)
                .setEventTime(NOW)
                .build();
        SourceRecord late = DeadLetters.of(e, DeadLetterReason.TOO_LATE, "late", NOW, pseudonyms);
        assertThat(late.getDeadLetterKey()).isEqualTo(pseudonym);
        // its event id is redacted as the doors redact it: the HMAC of "e9" under the key
        assertThat(ClickEvent.fromByteBuffer(late.getDeadLetter().getRawValue()).getEventId())
                .isEqualTo(pseudonyms.pseudonym("e9"));
        assertThat(ClickEvent.fromByteBuffer(DeadLetters.of(e, DeadLetterReason.TOO_LATE, "late", NOW, null)
                                .getDeadLetter()
                                .getRawValue())
                        .getEventId())
                .as("without --dlq.redact")
                .isEqualTo("e9");
        assertThat(pseudonym).hasSize(32).matches("[0-9a-f]{32}");
    }

    @Test
    void withoutRedactionTheRawValueIsKept() throws Exception {
        byte[] raw = piiClick().toByteBuffer().array();
        SourceRecord r = decode(decoder(EventKind.CLICK, InputFormat.AVRO, false), "clickstream", USER_ID, raw);
        ByteBuffer kept = r.getDeadLetter().getRawValue();
        byte[] bytes = new byte[kept.remaining()];
        kept.get(bytes);
        assertThat(bytes).isEqualTo(raw);
        assertThat(r.getDeadLetterKey())
                .as("the key is a pseudonym even without redaction")
                .isEqualTo(pseudonyms.pseudonym(USER_ID));
    }
}
