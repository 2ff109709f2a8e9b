package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventDoorTest {
    static final long NOW = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    Path keyFile;

    @BeforeEach
    void key() throws Exception {
        keyFile = dir.resolve("key");
        Files.writeString(keyFile, "test-key\n");
    }

    DoorDecoder decoder(EventKind kind, InputFormat format) {
        DoorDecoder d = Doors.event(kind, new DoorSettings(format, 600_000, keyFile.toString(), null, true));
        d.open();
        return d;
    }

    static ClickEvent.Builder click() {
        return ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId("alice")
                .setEventTime(Instant.ofEpochMilli(NOW - 1000))
                .setEventType(EventType.VIEW)
                .setItemId("item-1")
                .setTopics(List.of("news"))
                .setUrl("https://example.com/a?email=alice@example.com")
                .setIp("10.1.2.3")
                .setUserAgent("Mozilla/5.0")
                .setSearchQuery("alice secret")
                .setDeviceId("dev-1");
    }

    SourceRecord decode(DoorDecoder d, byte[] value) {
        return d.decode("clickstream", 0, 7, "alice".getBytes(StandardCharsets.UTF_8), value, NOW);
    }

    @Test
    void pseudonymIsTheFirst16BytesOfHmacSha256InHex() {
        // Computed independently: python3 -c "import
        // hmac,hashlib;print(hmac.new(b'test-key',b'alice',hashlib.sha256).hexdigest()[:32])"
        assertThat(new Pseudonymizer("test-key".getBytes(StandardCharsets.UTF_8)).pseudonym("alice"))
                .isEqualTo("ff7a3cd2cfcd73da2f3d9350cdbdfd2b");
    }

    @Test
    void validClickLeavesNoPiiBehind() throws Exception {
        SourceRecord r = decode(
                decoder(EventKind.CLICK, InputFormat.AVRO),
                click().build().toByteBuffer().array());
        assertThat(r.getEvent()).isNotNull();
        assertThat(r.getEvent().getUser()).isEqualTo("ff7a3cd2cfcd73da2f3d9350cdbdfd2b");
        assertThat(r.getEvent().toString()).doesNotContain("alice", "10.1.2.3", "Mozilla", "dev-1");
        assertThat(r.getEvent().getTopics()).containsExactly("news");
    }

    /**
     * A reused Avro decoder can be left corrupt by one bad record (a public Flink bug): after 5
     * random bytes and a record of a foreign schema, the next valid records still decode.
     */
    @Test
    void badRecordsDoNotCorruptTheNextOnes() throws Exception {
        DoorDecoder d = decoder(EventKind.CLICK, InputFormat.AVRO);
        Schema foreign = SchemaBuilder.record("Foreign")
                .fields()
                .requiredString("x")
                .requiredLong("y")
                .endRecord();
        GenericRecord f = new GenericData.Record(foreign);
        f.put("x", "hello");
        f.put("y", 42L);
        List<byte[]> input = List.of(
                click().setEventId("v1").build().toByteBuffer().array(),
                new byte[] {(byte) 0xC3, 0x01, 0x7f, 0x13, 0x00},
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), foreign)
                        .encode(f)
                        .array(),
                click().setEventId("v2").build().toByteBuffer().array(),
                click().setEventId("v3").build().toByteBuffer().array());
        List<String> events = new ArrayList<>();
        List<DeadLetterReason> dead = new ArrayList<>();
        for (byte[] v : input) {
            SourceRecord r = decode(d, v);
            if (r.getEvent() != null) {
                events.add(r.getEvent().getEventId());
            } else {
                dead.add(r.getDeadLetter().getReason());
            }
        }
        assertThat(events).containsExactly("v1", "v2", "v3");
        assertThat(dead).containsExactly(DeadLetterReason.UNDECODABLE, DeadLetterReason.UNKNOWN_SCHEMA);
    }

    @Test
    void eachReasonOfTheSource() throws Exception {
        DoorDecoder clicks = decoder(EventKind.CLICK, InputFormat.AVRO);
        DoorDecoder dwell = decoder(EventKind.DWELL, InputFormat.AVRO);
        DwellEvent.Builder dw = DwellEvent.newBuilder()
                .setEventId("d1")
                .setUserId("alice")
                .setEventTime(Instant.ofEpochMilli(NOW))
                .setItemId("item-1")
                .setDwellMs(1000L);
        assertThat(reason(decode(clicks, "garbage".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(reason(decode(
                        clicks, click().setEventId("").build().toByteBuffer().array())))
                .isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(reason(
                        decode(dwell, dw.setDwellMs(-1L).build().toByteBuffer().array())))
                .isEqualTo(DeadLetterReason.NEGATIVE_DWELL);
        assertThat(reason(decode(
                        dwell,
                        dw.setDwellMs(4 * 3_600_000L + 1).build().toByteBuffer().array())))
                .isEqualTo(DeadLetterReason.DWELL_TOO_LONG);
        assertThat(decode(
                                dwell,
                                dw.setDwellMs(4 * 3_600_000L)
                                        .build()
                                        .toByteBuffer()
                                        .array())
                        .getEvent())
                .isNotNull();
        assertThat(reason(decode(
                        clicks,
                        click().setEventTime(Instant.ofEpochMilli(NOW + 2L * 86_400_000))
                                .build()
                                .toByteBuffer()
                                .array())))
                .isEqualTo(DeadLetterReason.FUTURE_TIMESTAMP);
        assertThat(decode(
                                clicks,
                                click().setEventTime(Instant.ofEpochMilli(NOW + 600_000))
                                        .build()
                                        .toByteBuffer()
                                        .array())
                        .getEvent())
                .as("10 min ahead is still accepted")
                .isNotNull();
        assertThat(reason(decode(
                        clicks,
                        click().setTimeZone("Mars/Olympus")
                                .build()
                                .toByteBuffer()
                                .array())))
                .isEqualTo(DeadLetterReason.INVALID_TIME_ZONE);
        assertThat(decode(
                                clicks,
                                click().setTimeZone("Europe/Berlin")
                                        .build()
                                        .toByteBuffer()
                                        .array())
                        .getEvent())
                .isNotNull();
    }

    @Test
    void botsAreMarkedNotPassed() throws Exception {
        SourceRecord r = decode(
                decoder(EventKind.CLICK, InputFormat.AVRO),
                click().setUserAgent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
                        .build()
                        .toByteBuffer()
                        .array());
        assertThat(r.getBot()).isTrue();
        assertThat(r.getEvent()).isNull();
        assertThat(r.getDeadLetter()).isNull();
    }

    @Test
    void deadLettersAreRedacted() throws Exception {
        DoorDecoder d = decoder(EventKind.CLICK, InputFormat.AVRO);
        SourceRecord r = decode(
                d, click().setTimeZone("Mars/Olympus").build().toByteBuffer().array());
        assertThat(r.getDeadLetterKey()).isEqualTo("ff7a3cd2cfcd73da2f3d9350cdbdfd2b");
        ClickEvent kept = ClickEvent.fromByteBuffer(r.getDeadLetter().getRawValue());
        assertThat(kept.getUserId()).isEmpty();
        assertThat(kept.getIp()).isNull();
        assertThat(kept.getUserAgent()).isNull();
        assertThat(kept.getSearchQuery()).isNull();
        assertThat(kept.getDeviceId()).isNull();
        assertThat(kept.getUrl()).isEqualTo("https://example.com/a");
        SourceRecord garbage = decode(d, new byte[] {1, 2, 3, 4, 5});
        assertThat(garbage.getDeadLetter().getRawValue()).isNull();
        assertThat(garbage.getDeadLetter().getRawLength()).isEqualTo(5);
        // sha256 of bytes 01..05, computed with: printf '\x01\x02\x03\x04\x05' | sha256sum
        assertThat(garbage.getDeadLetter().getRawSha256())
                .isEqualTo("74f81fe167d99b4cb41d6d0ccda82278caee9f3e2f25d5e5a3936ff3dcec60d0");
        assertThat(garbage.getDeadLetterKey()).isEqualTo("ff7a3cd2cfcd73da2f3d9350cdbdfd2b"); // from the Kafka key
    }

    @Test
    void heartbeatsNeedNoDwellAndDwellNeedsIt() throws Exception {
        DoorDecoder avro = decoder(EventKind.DWELL, InputFormat.AVRO);
        DwellEvent.Builder ping = DwellEvent.newBuilder()
                .setEventId("p1")
                .setUserId("alice")
                .setEventTime(Instant.ofEpochMilli(NOW))
                .setItemId("item-1")
                .setKind(DwellKind.HEARTBEAT)
                .setViewId("pv-1")
                .setSessionId("s-1");
        SourceRecord r = decode(avro, ping.build().toByteBuffer().array());
        assertThat(r.getEvent().getKind()).isEqualTo(EventKind.HEARTBEAT);
        assertThat(r.getEvent().getDwellMs()).isZero();
        assertThat(r.getEvent().getViewId()).isEqualTo("pv-1");
        // a HEARTBEAT's dwell_ms is ignored; a DWELL without one is a MISSING_FIELD dead letter
        assertThat(decode(avro, ping.setDwellMs(99L).build().toByteBuffer().array())
                        .getEvent()
                        .getDwellMs())
                .isZero();
        SourceRecord noDwell = decode(
                avro,
                ping.setKind(DwellKind.DWELL)
                        .setDwellMs(null)
                        .build()
                        .toByteBuffer()
                        .array());
        assertThat(reason(noDwell)).isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(noDwell.getDeadLetter().getDetail()).isEqualTo("dwell_ms is required for a DWELL");

        DoorDecoder json = decoder(EventKind.DWELL, InputFormat.JSON);
        String base = "{\"event_id\":\"p2\",\"user_id\":\"alice\",\"event_time\":\"2025-01-06T11:59:00Z\","
                + "\"item_id\":\"x\",\"view_id\":\"pv-2\"";
        SourceRecord jsonPing = decode(json, (base + ",\"kind\":\"HEARTBEAT\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(jsonPing.getEvent().getKind()).isEqualTo(EventKind.HEARTBEAT);
        assertThat(jsonPing.getEvent().getViewId()).isEqualTo("pv-2");
        assertThat(reason(decode(json, (base + "}").getBytes(StandardCharsets.UTF_8))))
                .as("no kind: a DWELL, which needs dwell_ms")
                .isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(reason(decode(json, (base + ",\"kind\":\"PING\"}").getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(DeadLetterReason.UNDECODABLE);
        // an empty or blank view_id names no page view: absent, so two such VIEWs are not one
        String blank = "{\"event_id\":\"p3\",\"user_id\":\"alice\",\"event_time\":\"2025-01-06T11:59:00Z\","
                + "\"kind\":\"HEARTBEAT\",\"view_id\":\"  \"}";
        assertThat(decode(json, blank.getBytes(StandardCharsets.UTF_8))
                        .getEvent()
                        .getViewId())
                .isNull();
        assertThat(decode(
                                decoder(EventKind.CLICK, InputFormat.AVRO),
                                click().setViewId("").build().toByteBuffer().array())
                        .getEvent()
                        .getViewId())
                .isNull();
    }

    @Test
    void autoReadsAvroAndJsonRecordByRecord() throws Exception {
        DoorDecoder auto = decoder(EventKind.CLICK, InputFormat.AUTO);
        SourceRecord avro = decode(auto, click().build().toByteBuffer().array());
        assertThat(avro.getEvent().getEventId()).isEqualTo("e1");
        SourceRecord json = decode(
                auto,
                ("{\"event_id\":\"e2\",\"user_id\":\"alice\",\"event_time\":\"2025-01-06T11:59:00Z\","
                                + "\"event_type\":\"VIEW\",\"item_id\":\"x\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(json.getEvent().getEventId()).isEqualTo("e2");
        assertThat(json.getEvent().getEventTime()).isEqualTo(NOW - 60_000);
        // neither the single-object marker C3 01 nor a JSON object
        assertThat(reason(decode(auto, "garbage".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(InputFormat.parse("AUTO")).isEqualTo(InputFormat.AUTO);
    }

    @Test
    void jsonInput() {
        DoorDecoder d = decoder(EventKind.DWELL, InputFormat.JSON);
        SourceRecord ok = decode(
                d,
                ("{\"event_id\":\"d1\",\"user_id\":\"alice\",\"event_time\":\"2025-01-06T11:59:00Z\","
                                + "\"item_id\":\"x\",\"dwell_ms\":1500,\"scroll_depth_pct\":40}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(ok.getEvent().getDwellMs()).isEqualTo(1500);
        assertThat(ok.getEvent().getEventTime()).isEqualTo(NOW - 60_000);
        assertThat(ok.getEvent().getScrollDepthPct()).isEqualTo(40);
        assertThat(reason(decode(
                        d,
                        "{\"event_id\":\"d1\",\"user_id\":\"alice\",\"event_time\":1}"
                                .getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(reason(decode(d, "{not json".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(reason(decode(
                        d,
                        ("{\"event_id\":\"d1\",\"user_id\":\"alice\",\"event_time\":9999999999999999999,"
                                        + "\"dwell_ms\":1}")
                                .getBytes(StandardCharsets.UTF_8))))
                .as("overflowing epoch ms")
                .isEqualTo(DeadLetterReason.UNDECODABLE);
    }

    static DeadLetterReason reason(SourceRecord r) {
        assertThat(r.getDeadLetter()).as("a dead letter").isNotNull();
        return r.getDeadLetter().getReason();
    }
}
