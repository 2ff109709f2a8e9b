package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.testutil.PoisonPills;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records that stopped the job (issue 13), one by one at the doors, and the dead-letter sink's size limit. */
class PoisonPillDoorTest {
    static final long NOW = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();
    static final Instant BEFORE = Instant.ofEpochMilli(NOW - 60_000);

    @TempDir
    Path dir;

    String keyFile;

    @BeforeEach
    void key() throws Exception {
        keyFile = dir.resolve("key").toString();
        Files.writeString(Path.of(keyFile), "test-key\n");
    }

    DoorDecoder events(EventKind kind, InputFormat format, DoorLimits limits) {
        DoorDecoder d = Doors.event(kind, new DoorSettings(format, 600_000, keyFile, null, true).withLimits(limits));
        d.open();
        return d;
    }

    DoorDecoder budgets(InputFormat format) {
        DoorDecoder d = Doors.control(EventKind.BUDGET, new DoorSettings(format, 600_000, keyFile, null, true));
        d.open();
        return d;
    }

    static DeadLetter dead(SourceRecord r, DeadLetterReason reason) {
        assertThat(r.getDeadLetter()).as("a dead letter, not %s", r).isNotNull();
        assertThat(r.getDeadLetter().getReason()).isEqualTo(reason);
        return r.getDeadLetter();
    }

    static SourceRecord decode(DoorDecoder d, String topic, byte[] value) {
        return d.decode(topic, 0, 3, "u1".getBytes(StandardCharsets.UTF_8), value, NOW);
    }

    @Test
    void anAvroCountOfTwoToThe31IsUndecodableWithoutAllocatingIt() {
        DeadLetter dl = dead(
                decode(
                        events(EventKind.CLICK, InputFormat.AVRO, DoorLimits.DEFAULTS),
                        "clickstream",
                        PoisonPills.hugeTopicCount()),
                DeadLetterReason.UNDECODABLE);
        assertThat(dl.getDetail()).isEqualTo("block of 2147483648 items cannot fit in the 0 bytes left");
        assertThat(dl.getRawValue()).isNull();
        assertThat(dl.getRawLength()).isEqualTo(29);
        DeadLetter budget = dead(
                decode(budgets(InputFormat.AVRO), "attention-budgets", PoisonPills.hugeBudgetCount("u1")),
                DeadLetterReason.UNDECODABLE);
        assertThat(budget.getDetail()).isEqualTo("block of 2147483648 items cannot fit in the 0 bytes left");
    }

    @Test
    void trailingBytesAfterAValidAvroBodyAreUndecodable() {
        byte[] valid = AvroRecordSerializer.encode(ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId("u1")
                .setEventTime(BEFORE)
                .setEventType(EventType.VIEW)
                .build());
        DoorDecoder d = events(EventKind.CLICK, InputFormat.AVRO, DoorLimits.DEFAULTS);
        assertThat(decode(d, "clickstream", valid).getEvent()).isNotNull();
        byte[] longer = java.util.Arrays.copyOf(valid, valid.length + 1);
        assertThat(dead(decode(d, "clickstream", longer), DeadLetterReason.UNDECODABLE)
                        .getDetail())
                .isEqualTo("1 bytes after the end of the ClickEvent body");
    }

    @Test
    void aJsonTimeThatTimestampMillisCannotHoldIsUndecodableAndAFarButHoldableOneIsFuture() {
        String expected = "event_time lies outside the range of timestamp-millis (years -292,275,055 to 292,278,994)";
        DoorDecoder json = events(EventKind.CLICK, InputFormat.JSON, DoorLimits.DEFAULTS);
        assertThat(dead(
                                decode(json, "clickstream", PoisonPills.farFutureJsonClick("e1", "u1")),
                                DeadLetterReason.UNDECODABLE)
                        .getDetail())
                .isEqualTo(expected);
        assertThat(dead(
                                decode(
                                        budgets(InputFormat.JSON),
                                        "attention-budgets",
                                        PoisonPills.farFutureJsonBudget("u1")),
                                DeadLetterReason.UNDECODABLE)
                        .getDetail())
                .isEqualTo(expected.replace("event_time", "updated_at"));
        byte[] year3000 = "{\"event_id\": \"e2\", \"user_id\": \"u1\", \"event_time\": \"3000-01-01T00:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(dead(decode(json, "clickstream", year3000), DeadLetterReason.FUTURE_TIMESTAMP)
                        .getDetail())
                .isEqualTo("event_time 3000-01-01T00:00:00Z is more than 600 s ahead of the processing clock");
    }

    @Test
    void aMegabyteRecordIsFieldTooLargeAndWithRaisedLimitsItsOwnReasonComesThrough() {
        byte[] big = PoisonPills.bigNegativeDwell("d1", "u1", BEFORE, 1_048_450);
        DeadLetter size = dead(
                decode(events(EventKind.DWELL, InputFormat.AVRO, DoorLimits.DEFAULTS), "dwell-time", big),
                DeadLetterReason.FIELD_TOO_LARGE);
        assertThat(size.getDetail()).isEqualTo("record is 1048450 bytes, above --limits.record-bytes 262144");
        assertThat(size.getRawValue()).isNull(); // not decoded: hash and length only
        assertThat(size.getRawLength()).isEqualTo(1_048_450);
        DoorLimits raised = new DoorLimits(2 << 20, 2 << 20, 256, 100, 8192);
        DeadLetter negative = dead(
                decode(events(EventKind.DWELL, InputFormat.AVRO, raised), "dwell-time", big),
                DeadLetterReason.NEGATIVE_DWELL);
        // the redacted re-encoding is as large as the input: the sink cuts it (deadLetterTooLargeForTheTopicIsCut)
        assertThat(negative.getRawValue().remaining()).isGreaterThan(1_048_000);
    }

    @Test
    void idsTopicsAndStringsAboveTheLimitsAreFieldTooLarge() {
        DoorDecoder d = events(EventKind.CLICK, InputFormat.AVRO, DoorLimits.DEFAULTS);
        // 450 KB topic: the whole record is above 256 KiB
        assertThat(dead(
                                decode(d, "clickstream", PoisonPills.bigTopicClick("e1", "u1", BEFORE, 450_000)),
                                DeadLetterReason.FIELD_TOO_LARGE)
                        .getDetail())
                .startsWith("record is 4500");
        // 257-character topic in a small record
        assertThat(dead(
                                decode(d, "clickstream", PoisonPills.bigTopicClick("e2", "u1", BEFORE, 257)),
                                DeadLetterReason.FIELD_TOO_LARGE)
                        .getDetail())
                .isEqualTo("topics[0] is 257 characters, above --limits.topic-length 256");
        assertThat(decode(d, "clickstream", PoisonPills.bigTopicClick("e3", "u1", BEFORE, 256))
                        .getEvent())
                .isNotNull();
        ClickEvent.Builder c = ClickEvent.newBuilder()
                .setEventId("e4")
                .setUserId("u1")
                .setEventTime(BEFORE)
                .setEventType(EventType.VIEW);
        assertThat(dead(
                                decode(
                                        d,
                                        "clickstream",
                                        AvroRecordSerializer.encode(c.setTopics(java.util.Collections.nCopies(101, "a"))
                                                .build())),
                                DeadLetterReason.FIELD_TOO_LARGE)
                        .getDetail())
                .isEqualTo("topics has 101 entries, above --limits.topics 100");
        assertThat(dead(
                                decode(
                                        d,
                                        "clickstream",
                                        AvroRecordSerializer.encode(c.setTopics(List.of())
                                                .setUrl("u".repeat(8193))
                                                .build())),
                                DeadLetterReason.FIELD_TOO_LARGE)
                        .getDetail())
                .isEqualTo("url is 8193 characters, above --limits.string-length 8192");
        SourceRecord longId = decode(
                d,
                "clickstream",
                AvroRecordSerializer.encode(
                        c.setUrl(null).setEventId("e".repeat(257)).build()));
        assertThat(dead(longId, DeadLetterReason.FIELD_TOO_LARGE).getDetail())
                .isEqualTo("event_id is 257 characters, above --limits.id-length 256");
        assertThat(longId.getDeadLetterKey())
                .isEqualTo("8df5f76cf15a864a069a1a641df2c0e9"); // python3: hmac.new(b"test-key", b"u1",
        // hashlib.sha256).hexdigest()[:32]
    }

    @Test
    void aBudgetOfMoreMinutesThanADayIsRefusedAndSoIsLongMax() {
        DoorDecoder d = budgets(InputFormat.AVRO);
        assertThat(decode(d, "attention-budgets", PoisonPills.budget("u1", BEFORE, 1_440))
                        .getEvent())
                .isNotNull();
        assertThat(dead(
                                decode(d, "attention-budgets", PoisonPills.budget("u1", BEFORE, 1_441)),
                                DeadLetterReason.DWELL_TOO_LONG)
                        .getDetail())
                .startsWith("budget for category 'news' is 1441 minutes > 1440 (a day;");
        assertThat(dead(
                                decode(d, "attention-budgets", PoisonPills.budget("u1", BEFORE, Long.MAX_VALUE)),
                                DeadLetterReason.DWELL_TOO_LONG)
                        .getDetail())
                .startsWith("budget for category 'news' is 9223372036854775807 minutes > 1440");
    }

    @Test
    void offsetsAndPrefixedOffsetsAreNotTimeZones() {
        DoorDecoder d = events(EventKind.CLICK, InputFormat.AVRO, DoorLimits.DEFAULTS);
        ClickEvent.Builder c = ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId("u1")
                .setEventTime(BEFORE)
                .setEventType(EventType.VIEW);
        for (String zone : List.of("UTC+3", "GMT+3", "+03:00", "Z", "europe/berlin")) {
            assertThat(dead(
                                    decode(
                                            d,
                                            "clickstream",
                                            AvroRecordSerializer.encode(
                                                    c.setTimeZone(zone).build())),
                                    DeadLetterReason.INVALID_TIME_ZONE)
                            .getDetail())
                    .isEqualTo("time_zone '" + zone + "' is not an IANA zone id");
        }
        for (String zone : List.of("Europe/Berlin", "UTC", "Etc/GMT-3", "America/Argentina/Buenos_Aires")) {
            assertThat(decode(
                                    d,
                                    "clickstream",
                                    AvroRecordSerializer.encode(
                                            c.setTimeZone(zone).build()))
                            .getEvent())
                    .isNotNull();
        }
    }

    @Test
    void aNewerEventTypeSymbolReadsAsOtherOnceItsWriterSchemaIsKnown() throws Exception {
        Schema newer = new Schema.Parser()
                .parse(ClickEvent.getClassSchema()
                        .toString()
                        .replace("\"SHARE\",\"OTHER\"]", "\"SHARE\",\"OTHER\",\"LIKE\"]"));
        assertThat(newer.getField("event_type").schema().getEnumSymbols()).contains("LIKE");
        GenericRecord like = new GenericData.Record(newer);
        like.put("event_id", "e-like");
        like.put("user_id", "u1");
        like.put("event_time", BEFORE.toEpochMilli());
        like.put(
                "event_type",
                new GenericData.EnumSymbol(newer.getField("event_type").schema(), "LIKE"));
        like.put("topics", List.of("news"));
        ByteBuffer buf = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer).encode(like);
        byte[] value = new byte[buf.remaining()];
        buf.get(value);

        assertThat(dead(
                                decode(
                                        events(EventKind.CLICK, InputFormat.AVRO, DoorLimits.DEFAULTS),
                                        "clickstream",
                                        value),
                                DeadLetterReason.UNKNOWN_SCHEMA)
                        .getDetail())
                .contains("--writer-schemas");
        Path schemas = Files.createDirectories(dir.resolve("schemas"));
        Files.writeString(schemas.resolve("ClickEvent-with-like.avsc"), newer.toString());
        List<String> known = WriterSchemas.load(schemas.toString(), List.of(ClickEvent.getClassSchema()));
        DoorDecoder d = Doors.event(
                EventKind.CLICK,
                new DoorSettings(InputFormat.AVRO, 600_000, keyFile, null, true).withWriterSchemas(known));
        d.open();
        SourceRecord r = decode(d, "clickstream", value);
        assertThat(r.getEvent()).isNotNull();
        assertThat(r.getEvent().getEventType()).isEqualTo(EventType.OTHER);
        assertThat(r.getEvent().getTopics()).containsExactly("news");
    }

    @Test
    void aDeadLetterTooLargeForTheTopicIsCutAndOtherTooLargeRecordsAreNotWritten() throws Exception {
        byte[] raw = new byte[5_000];
        DeadLetter dl = DeadLetter.newBuilder()
                .setSourceTopic("dwell-time")
                .setPartition(0)
                .setOffset(9)
                .setReason(DeadLetterReason.NEGATIVE_DWELL)
                .setDetail("dwell_ms -5000 < 0")
                .setRawValue(ByteBuffer.wrap(raw))
                .setRawSha256(DeadLetters.sha256(raw))
                .setRawLength(raw.length)
                .setObservedAt(Instant.ofEpochMilli(NOW))
                .build();
        AvroRecordSerializer<DeadLetter> dlq =
                new AvroRecordSerializer<>("attention-dlq", x -> "k", x -> x, 2_000, null);
        byte[] written = dlq.serialize(dl, null, null).value();
        DeadLetter back = DeadLetter.getDecoder().decode(written, null);
        // room = 2,000 - 256 overhead - 1 key byte = 1,743 bytes for the value
        assertThat(written.length).isLessThanOrEqualTo(1_743);
        assertThat(back.getRawValue()).isNull();
        assertThat(back.getRawLength()).isEqualTo(5_000);
        assertThat(back.getRawSha256()).isEqualTo(DeadLetters.sha256(raw));
        assertThat(back.getDetail())
                .isEqualTo("dwell_ms -5000 < 0 [raw value cut: 5000 bytes read, the dead letter would exceed "
                        + "the 1743 bytes the dead-letter topic accepts]");
        DeadLetter small = DeadLetter.newBuilder(dl)
                .setRawValue(ByteBuffer.wrap(new byte[100]))
                .build();
        assertThat(DeadLetter.getDecoder()
                        .decode(dlq.serialize(small, null, null).value(), null)
                        .getRawValue()
                        .remaining())
                .isEqualTo(100);

        // a topic that takes 1,300 bytes a record: without the raw value the 1,000-character detail still
        // does not fit in 1,300 - 256 - 1 = 1,043 bytes, so the detail is cut too
        DeadLetter wordy =
                DeadLetter.newBuilder(dl).setDetail("d".repeat(1_000)).build();
        AvroRecordSerializer<DeadLetter> tiny =
                new AvroRecordSerializer<>("attention-dlq", x -> "k", x -> x, 1_300, null);
        byte[] fitted = tiny.serialize(wordy, null, null).value();
        assertThat(fitted.length).isLessThanOrEqualTo(1_043);
        DeadLetter fittedBack = DeadLetter.getDecoder().decode(fitted, null);
        assertThat(fittedBack.getRawValue()).isNull();
        assertThat(fittedBack.getDetail()).startsWith("ddd").endsWith("…").hasSizeLessThan(1_000);
        // a limit no dead letter fits: not written (counted as recordsTooLarge when open), never thrown
        assertThat(new AvroRecordSerializer<DeadLetter>("attention-dlq", x -> "k", x -> x, 300, null)
                        .serialize(wordy, null, null))
                .isNull();

        AvroRecordSerializer<SessionSummary> sessions =
                new AvroRecordSerializer<>("attention-sessions", x -> "k", x -> x, 300, null);
        SessionSummary s = SessionSummary.newBuilder()
                .setSessionId("s".repeat(100))
                .setUser("k")
                .setStart(BEFORE)
                .setEnd(BEFORE)
                .setDurationMs(0)
                .setEventCount(1)
                .setViews(1)
                .setClicks(0)
                .setEngagedMs(0)
                .setDistinctItems(1)
                .setTopTopics(List.of("t".repeat(200)))
                .setTopicSwitches(0)
                .setBounce(true)
                .setEngaged(false)
                .setStatus(org.attentionanalytics.avro.SessionStatus.OPEN)
                .build();
        assertThat(sessions.serialize(s, null, null)).isNull();
    }

    @Test
    void detailsQuoteNoValueThatCouldBePersonalAndTimesBefore1970AreTooLate() throws Exception {
        DoorDecoder d = events(EventKind.CLICK, InputFormat.AVRO, DoorLimits.DEFAULTS);
        ClickEvent.Builder c = ClickEvent.newBuilder()
                .setEventId("e1")
                .setUserId("u1")
                .setEventTime(BEFORE)
                .setEventType(EventType.VIEW);
        DeadLetter zone = dead(
                decode(
                        d,
                        "clickstream",
                        AvroRecordSerializer.encode(
                                c.setTimeZone("alice@example.com").build())),
                DeadLetterReason.INVALID_TIME_ZONE);
        assertThat(zone.getDetail())
                .isEqualTo("time_zone (17 characters, not quoted: dlq.redact) is not an IANA zone id");
        assertThat(ClickEvent.fromByteBuffer(zone.getRawValue()).getTimeZone()).isNull();
        DeadLetter category = dead(
                decode(
                        budgets(InputFormat.AVRO),
                        "attention-budgets",
                        AvroRecordSerializer.encode(org.attentionanalytics.avro.AttentionBudget.newBuilder()
                                .setUserId("u1")
                                .setUpdatedAt(BEFORE)
                                .setBudgets(java.util.Map.of("alice@example.com", -1L))
                                .build())),
                DeadLetterReason.NEGATIVE_DWELL);
        assertThat(category.getDetail())
                .startsWith("budget for category (17 characters, not quoted: dlq.redact) is -1 minutes");
        assertThat(org.attentionanalytics.avro.AttentionBudget.fromByteBuffer(category.getRawValue())
                        .getBudgets())
                .isEmpty();
        // Long.MIN_VALUE + 1 would wrap the watermark around to nearly Long.MAX_VALUE
        DeadLetter ancient = dead(
                decode(
                        d,
                        "clickstream",
                        AvroRecordSerializer.encode(c.setTimeZone(null)
                                .setEventTime(Instant.ofEpochMilli(Long.MIN_VALUE + 1))
                                .build())),
                DeadLetterReason.TOO_LATE);
        assertThat(ancient.getDetail())
                .isEqualTo(
                        "event_time -292275055-05-16T16:47:04.193Z is before 1970-01-01T00:00:00Z, the earliest time the job accepts");
        assertThat(decode(
                                d,
                                "clickstream",
                                AvroRecordSerializer.encode(
                                        c.setEventTime(Instant.EPOCH).build()))
                        .getEvent())
                .isNotNull();
    }

    @Test
    void jsonOfTheWrongShapeIsUndecodableNotCoerced() {
        DoorDecoder d = events(EventKind.DWELL, InputFormat.JSON, DoorLimits.DEFAULTS);
        String base = "\"event_id\": \"d1\", \"user_id\": \"u1\", \"event_time\": 1736164740000, \"dwell_ms\": 5000";
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{" + base + ", \"topics\": {\"a\": \"secret\"}}", "topics is not an array of strings");
        cases.put("{" + base + ", \"topics\": [{}, null, true]}", "topics is not an array of strings");
        cases.put("{" + base + ", \"scroll_depth_pct\": \"abc\"}", "scroll_depth_pct is not a whole number");
        cases.put("{" + base + ", \"visible\": \"yes\"}", "visible is not a boolean");
        cases.put(
                "{\"event_id\": \"d1\", \"user_id\": {\"a\": 1}, \"event_time\": 1, \"dwell_ms\": 5}",
                "user_id is not a string");
        cases.put(
                "{" + base + "}\n{" + base.replace("u1", "u2") + "}",
                "MismatchedInputException at line 2, column 1 (message left out: dlq.redact)");
        cases.forEach((json, detail) -> assertThat(dead(
                                decode(d, "dwell-time", json.getBytes(StandardCharsets.UTF_8)),
                                DeadLetterReason.UNDECODABLE)
                        .getDetail())
                .as(json)
                .isEqualTo(detail));
        SourceRecord ok = decode(
                d,
                "dwell-time",
                ("{" + base + ", \"topics\": [\"news\", 7], \"visible\": true}").getBytes(StandardCharsets.UTF_8));
        assertThat(ok.getEvent().getTopics()).containsExactly("news", "7");
    }
}
