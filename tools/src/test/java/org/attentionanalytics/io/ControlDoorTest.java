package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The door of attention-budgets and privacy-requests: values, pseudonyms, dead-letter reasons, redaction. */
class ControlDoorTest {
    static final long NOW = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();
    static final Instant UPDATED = Instant.parse("2025-01-06T11:59:00Z"); // 1736164740000 ms
    /** HMAC-SHA256("test-key", "alice"), first 16 bytes (see EventDoorTest). */
    static final String ALICE = "ff7a3cd2cfcd73da2f3d9350cdbdfd2b";

    @TempDir
    Path dir;

    Path keyFile;

    @BeforeEach
    void key() throws Exception {
        keyFile = dir.resolve("key");
        Files.writeString(keyFile, "test-key\n");
    }

    DoorDecoder decoder(EventKind kind, InputFormat format, boolean redact) {
        DoorDecoder d = Doors.control(kind, new DoorSettings(format, 600_000, keyFile.toString(), null, redact));
        d.open();
        return d;
    }

    SourceRecord decode(DoorDecoder d, byte[] value) {
        return d.decode("attention-budgets", 1, 42, "alice".getBytes(StandardCharsets.UTF_8), value, NOW);
    }

    static AttentionBudget.Builder budget() {
        return AttentionBudget.newBuilder()
                .setUserId("alice")
                .setTimeZone("Europe/Berlin")
                .setBudgets(Map.of("shopping", 20L, "news", 30L))
                .setUpdatedAt(UPDATED);
    }

    static ErasureRequest.Builder erasure() {
        return ErasureRequest.newBuilder()
                .setRequestId("req-1")
                .setUserId("alice")
                .setRequestedAt(UPDATED);
    }

    @Test
    void budgetBecomesABudgetRecordWithAPseudonymAndADeterministicId() {
        SourceRecord r = decode(
                decoder(EventKind.BUDGET, InputFormat.AVRO, true), AvroRecordSerializer.encode(budget().build()));
        AttentionEvent e = r.getEvent();
        assertThat(e).isNotNull();
        assertThat(e.getKind()).isEqualTo(EventKind.BUDGET);
        assertThat(e.getUser()).isEqualTo(ALICE);
        // python3:
        // hashlib.sha256(b'ff7a3cd2cfcd73da2f3d9350cdbdfd2b|1736164740000|Europe/Berlin|true|news=30;shopping=20;').hexdigest()[:32]
        assertThat(e.getEventId()).isEqualTo("budget:4fe415018a801d5d41ed0bc87713da7b");
        assertThat(e.getEventTime()).isEqualTo(1_736_164_740_000L);
        assertThat(e.getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(e.getBudgetMinutes()).containsExactly(Map.entry("news", 30L), Map.entry("shopping", 20L));
        assertThat(e.getAlertsEnabled()).isTrue();
        assertThat(e.getItemId()).isNull();
        assertThat(e.getSourceTopic()).isEqualTo("attention-budgets");
        assertThat(e.getSourcePartition()).isEqualTo(1);
        assertThat(e.getSourceOffset()).isEqualTo(42);
        assertThat(e.toString()).doesNotContain("alice");
    }

    @Test
    void optOutAndNoZone() {
        AttentionEvent e = decode(
                        decoder(EventKind.BUDGET, InputFormat.AVRO, true),
                        AvroRecordSerializer.encode(budget().setTimeZone(null)
                                .setBudgets(Map.of())
                                .setAlertsEnabled(false)
                                .build()))
                .getEvent();
        assertThat(e.getAlertsEnabled()).isFalse();
        assertThat(e.getTimeZone()).isNull();
        assertThat(e.getBudgetMinutes()).isEmpty();
    }

    @Test
    void erasureRequestKeepsItsIdAndTime() {
        AttentionEvent e = decode(
                        decoder(EventKind.ERASURE, InputFormat.AVRO, true),
                        AvroRecordSerializer.encode(erasure().build()))
                .getEvent();
        assertThat(e.getKind()).isEqualTo(EventKind.ERASURE);
        assertThat(e.getEventId()).isEqualTo("req-1");
        assertThat(e.getUser()).isEqualTo(ALICE);
        assertThat(e.getEventTime()).isEqualTo(1_736_164_740_000L);
        assertThat(e.toString()).doesNotContain("alice");
    }

    @Test
    void invalidZoneIsInvalidTimeZoneAndTheRedactedValueHasNoUserId() throws Exception {
        SourceRecord r = decode(
                decoder(EventKind.BUDGET, InputFormat.AVRO, true),
                AvroRecordSerializer.encode(budget().setTimeZone("Mars/Olympus").build()));
        DeadLetter dl = r.getDeadLetter();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.INVALID_TIME_ZONE);
        assertThat(dl.getDetail()).isEqualTo("time_zone 'Mars/Olympus' is not an IANA zone id");
        assertThat(r.getDeadLetterKey()).isEqualTo(ALICE);
        AttentionBudget kept = AttentionBudget.fromByteBuffer(dl.getRawValue());
        assertThat(kept.getUserId()).isEmpty();
        assertThat(kept.getTimeZone()).isEqualTo("Mars/Olympus");
        assertThat(kept.getBudgets()).containsEntry("news", 30L);
        assertThat(new String(dl.getRawValue().array(), StandardCharsets.UTF_8)).doesNotContain("alice");
        assertThat(dl.getSourceTopic()).isEqualTo("attention-budgets");
        assertThat(dl.getOffset()).isEqualTo(42);
    }

    @Test
    void negativeMinutesAreANegativeDurationDeadLetter() {
        DeadLetter dl = decode(
                        decoder(EventKind.BUDGET, InputFormat.AVRO, true),
                        AvroRecordSerializer.encode(budget().setBudgets(Map.of("news", 30L, "video", -5L))
                                .build()))
                .getDeadLetter();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.NEGATIVE_DWELL);
        assertThat(dl.getDetail())
                .startsWith("budget for category 'video' is -5 minutes < 0 (NEGATIVE_DWELL is the closest reason");
    }

    @Test
    void futureTimesAreFutureTimestamps() {
        Instant farAhead = Instant.ofEpochMilli(NOW + 600_001);
        assertThat(decode(
                                decoder(EventKind.BUDGET, InputFormat.AVRO, true),
                                AvroRecordSerializer.encode(
                                        budget().setUpdatedAt(farAhead).build()))
                        .getDeadLetter()
                        .getReason())
                .isEqualTo(DeadLetterReason.FUTURE_TIMESTAMP);
        assertThat(decode(
                                decoder(EventKind.ERASURE, InputFormat.AVRO, true),
                                AvroRecordSerializer.encode(
                                        erasure().setRequestedAt(farAhead).build()))
                        .getDeadLetter()
                        .getReason())
                .isEqualTo(DeadLetterReason.FUTURE_TIMESTAMP);
        // exactly at the bound: accepted
        assertThat(decode(
                                decoder(EventKind.ERASURE, InputFormat.AVRO, true),
                                AvroRecordSerializer.encode(erasure()
                                        .setRequestedAt(Instant.ofEpochMilli(NOW + 600_000))
                                        .build()))
                        .getEvent())
                .isNotNull();
    }

    @Test
    void missingFields() {
        DoorDecoder budgets = decoder(EventKind.BUDGET, InputFormat.AVRO, true);
        SourceRecord noUser = decode(
                budgets, AvroRecordSerializer.encode(budget().setUserId("").build()));
        assertThat(noUser.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(noUser.getDeadLetter().getDetail()).isEqualTo("user_id is empty");
        assertThat(noUser.getDeadLetterKey()).as("the key's pseudonym").isEqualTo(ALICE);
        SourceRecord noId = decode(
                decoder(EventKind.ERASURE, InputFormat.AVRO, true),
                AvroRecordSerializer.encode(erasure().setRequestId("").build()));
        assertThat(noId.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(noId.getDeadLetter().getDetail()).isEqualTo("request_id is empty");
    }

    @Test
    void undecodableAndForeignSchemasKeepOnlyHashAndLength() {
        DoorDecoder d = decoder(EventKind.BUDGET, InputFormat.AVRO, true);
        byte[] five = {(byte) 0xC3, 0x01, 0x7f, 0x13, 0x00};
        DeadLetter bad = decode(d, five).getDeadLetter();
        assertThat(bad.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(bad.getRawValue()).isNull();
        assertThat(bad.getRawLength()).isEqualTo(5);
        // an erasure request on the budgets topic is a schema this door does not know
        byte[] erasure = AvroRecordSerializer.encode(erasure().build());
        DeadLetter foreign = decode(d, erasure).getDeadLetter();
        assertThat(foreign.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(foreign.getRawValue()).isNull();
        assertThat(foreign.getRawSha256()).isEqualTo(DeadLetters.sha256(erasure));
        // and the decoder still works afterwards
        assertThat(decode(d, AvroRecordSerializer.encode(budget().build())).getEvent())
                .isNotNull();
        assertThat(decode(d, null).getDeadLetter().getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    }

    @Test
    void withoutRedactionTheRawBytesAreKept() {
        byte[] raw = AvroRecordSerializer.encode(
                budget().setTimeZone("Nowhere/Atlantis").build());
        DeadLetter dl =
                decode(decoder(EventKind.BUDGET, InputFormat.AVRO, false), raw).getDeadLetter();
        assertThat(dl.getRawValue()).isEqualTo(ByteBuffer.wrap(raw));
    }

    @Test
    void json() {
        DoorDecoder budgets = decoder(EventKind.BUDGET, InputFormat.JSON, true);
        AttentionEvent b = decode(budgets, """
        {"user_id": "alice", "time_zone": "Europe/Berlin", "budgets": {"shopping": 20, "news": 30},
         "updated_at": "2025-01-06T11:59:00Z"}""".getBytes(StandardCharsets.UTF_8)).getEvent();
        assertThat(b.getEventId())
                .as("same record, same id as in Avro")
                .isEqualTo("budget:4fe415018a801d5d41ed0bc87713da7b");
        assertThat(b.getAlertsEnabled()).isTrue();
        DeadLetter noTime = decode(
                        budgets, "{\"user_id\": \"alice\", \"budgets\": {}}".getBytes(StandardCharsets.UTF_8))
                .getDeadLetter();
        assertThat(noTime.getReason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
        DeadLetter fraction = decode(
                        budgets,
                        "{\"user_id\": \"alice\", \"budgets\": {\"news\": 1.5}, \"updated_at\": 1}"
                                .getBytes(StandardCharsets.UTF_8))
                .getDeadLetter();
        assertThat(fraction.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        DeadLetter badZone = decode(
                        budgets,
                        "{\"user_id\": \"alice\", \"time_zone\": \"CEST+\", \"updated_at\": 1}"
                                .getBytes(StandardCharsets.UTF_8))
                .getDeadLetter();
        assertThat(badZone.getReason()).isEqualTo(DeadLetterReason.INVALID_TIME_ZONE);
        assertThat(new String(badZone.getRawValue().array(), StandardCharsets.UTF_8))
                .doesNotContain("alice")
                .contains("CEST+");

        DoorDecoder requests = decoder(EventKind.ERASURE, InputFormat.JSON, true);
        AttentionEvent e = decode(
                        requests,
                        "{\"request_id\": \"r9\", \"user_id\": \"alice\", \"requested_at\": 1736164740000}"
                                .getBytes(StandardCharsets.UTF_8))
                .getEvent();
        assertThat(e.getEventId()).isEqualTo("r9");
        assertThat(e.getEventTime()).isEqualTo(1_736_164_740_000L);
        assertThat(decode(requests, "{\"user_id\": \"alice\", \"requested_at\": 1}".getBytes(StandardCharsets.UTF_8))
                        .getDeadLetter()
                        .getReason())
                .isEqualTo(DeadLetterReason.MISSING_FIELD);
        assertThat(decode(requests, "[1,2]".getBytes(StandardCharsets.UTF_8))
                        .getDeadLetter()
                        .getReason())
                .isEqualTo(DeadLetterReason.UNDECODABLE);
    }

    /** What the replay and the CLI write with --replay-format json / --format json, the JSON door reads as the Avro one. */
    @Test
    void replayFormatJsonRoundTrip() {
        org.attentionanalytics.replay.ReplayFormat json = org.attentionanalytics.replay.ReplayFormat.JSON;
        AttentionEvent b = decode(decoder(EventKind.BUDGET, InputFormat.JSON, true), json.encode(budget().build()))
                .getEvent();
        assertThat(b.getEventId()).isEqualTo("budget:4fe415018a801d5d41ed0bc87713da7b");
        assertThat(b.getBudgetMinutes()).isEqualTo(Map.of("news", 30L, "shopping", 20L));
        AttentionEvent e = decode(
                        decoder(EventKind.ERASURE, InputFormat.JSON, true),
                        json.encode(erasure().build()))
                .getEvent();
        assertThat(e.getEventId()).isEqualTo("req-1");
        assertThat(e.getEventTime()).isEqualTo(1_736_164_740_000L);
    }

    /** As for events (DeadLetterRedactionTest): a parser message can quote the input, so it is left out. */
    @Test
    void undecodableJsonDetailQuotesNothingOfTheInput() {
        byte[] bad = "{\"request_id\": \"r\", \"user_id\": pii-user-4711}".getBytes(StandardCharsets.UTF_8);
        SourceRecord r = decoder(EventKind.ERASURE, InputFormat.JSON, true)
                .decode("privacy-requests", 0, 3, "pii-user-4711".getBytes(StandardCharsets.UTF_8), bad, NOW);
        DeadLetter dl = r.getDeadLetter();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(dl.getDetail())
                .startsWith("JsonParseException at line 1, column ")
                .endsWith("(message left out: dlq.redact)");
        assertThat(dl.getRawValue()).isNull();
        assertThat(dl.toString()).doesNotContain("pii-user-4711");
        assertThat(r.getDeadLetterKey()).matches("[0-9a-f]{32}");
        // this door's own shape messages are kept: they name fields, not values
        assertThat(decode(
                                decoder(EventKind.BUDGET, InputFormat.JSON, true),
                                "{\"user_id\": \"alice\", \"budgets\": {\"news\": \"x\"}, \"updated_at\": 1}"
                                        .getBytes(StandardCharsets.UTF_8))
                        .getDeadLetter()
                        .getDetail())
                .isEqualTo("budgets.news is not a whole number of minutes");
    }

    @Test
    void onlyControlKinds() {
        assertThatThrownBy(
                        () -> Doors.control(EventKind.CLICK, new DoorSettings(InputFormat.AVRO, 0, null, null, true)))
                .isInstanceOf(IllegalArgumentException.class);
        // an event on a control topic is an unknown schema too
        ClickEvent click = ClickEvent.newBuilder()
                .setEventId("e")
                .setUserId("alice")
                .setEventTime(UPDATED)
                .setEventType(EventType.VIEW)
                .build();
        assertThat(decode(decoder(EventKind.ERASURE, InputFormat.AVRO, true), AvroRecordSerializer.encode(click))
                        .getDeadLetter()
                        .getReason())
                .isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
    }
}
