package org.attentionanalytics.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.PomodoroCadence;
import org.attentionanalytics.avro.Weekday;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.BlockSpec;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.SourceRecord;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The door of {@code focus-blocks} (DESIGN.md section 13): what becomes a FOCUS_BLOCKS event, what a dead letter. */
class FocusBlockDoorTest {
    static final long NOW = Instant.parse("2025-01-06T12:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    String keyFile;

    @BeforeEach
    void key() throws Exception {
        keyFile = dir.resolve("key").toString();
        Files.writeString(Path.of(keyFile), "test-key\n");
    }

    private SourceRecord decode(InputFormat format, byte[] value) {
        DoorDecoder d = Doors.control(EventKind.FOCUS_BLOCKS, new DoorSettings(format, 600_000, keyFile, null, true));
        d.open();
        return d.decode("focus-blocks", 0, 5, "alice".getBytes(StandardCharsets.UTF_8), value, NOW);
    }

    private SourceRecord decode(FocusBlocks r) throws Exception {
        return decode(InputFormat.AVRO, r.toByteBuffer().array());
    }

    static FocusBlock.Builder oneOff(String name, String start, String end) {
        return FocusBlock.newBuilder()
                .setName(name)
                .setStart(Instant.parse(start))
                .setEnd(Instant.parse(end));
    }

    static FocusBlock.Builder weekly(String name, String from, String to, Weekday... days) {
        return FocusBlock.newBuilder()
                .setName(name)
                .setDays(List.of(days))
                .setLocalStart(from)
                .setLocalEnd(to);
    }

    static FocusBlocks record(String zone, FocusBlock.Builder... blocks) {
        return FocusBlocks.newBuilder()
                .setUserId("alice")
                .setTimeZone(zone)
                .setBlocks(java.util.Arrays.stream(blocks)
                        .map(FocusBlock.Builder::build)
                        .toList())
                .setUpdatedAt(Instant.ofEpochMilli(NOW - 60_000))
                .build();
    }

    @Test
    void aValidRecordBecomesOneEventWithCheckedBlocks() throws Exception {
        SourceRecord r = decode(record(
                "Europe/Berlin",
                oneOff("review", "2025-01-06T13:00:00Z", "2025-01-06T14:00:00Z")
                        .setFocusCategories(List.of("technology", "business"))
                        .setPomodoro(PomodoroCadence.newBuilder().build()),
                weekly("mornings", "09:00", "11:30", Weekday.FRIDAY, Weekday.MONDAY)));
        AttentionEvent e = r.getEvent();
        assertThat(e.getKind()).isEqualTo(EventKind.FOCUS_BLOCKS);
        assertThat(e.getUser())
                .isEqualTo(new Pseudonymizer("test-key".getBytes(StandardCharsets.UTF_8)).pseudonym("alice"));
        assertThat(e.getEventTime()).isEqualTo(NOW - 60_000);
        assertThat(e.getTimeZone()).isEqualTo("Europe/Berlin");
        BlockSpec review = e.getFocusBlocks().get(0);
        assertThat(review.getStart())
                .isEqualTo(Instant.parse("2025-01-06T13:00:00Z").toEpochMilli());
        assertThat(review.getFocusCategories()).containsExactly("business", "technology"); // sorted
        // the default cadence: 25 / 5 / 15 minutes, 4 cycles
        assertThat(List.of(review.getWorkMs(), review.getShortBreakMs(), review.getLongBreakMs()))
                .containsExactly(1_500_000L, 300_000L, 900_000L);
        assertThat(review.getCycles()).isEqualTo(4);
        BlockSpec mornings = e.getFocusBlocks().get(1);
        assertThat(mornings.getDays()).containsExactly(1, 5); // ISO: Monday 1, Friday 5
        assertThat(mornings.getLocalStartMinute()).isEqualTo(540);
        assertThat(mornings.getLocalEndMinute()).isEqualTo(690);
        assertThat(e.getEventId()).startsWith("focus-blocks:").hasSize("focus-blocks:".length() + 32);
        assertThat(decode(record(
                                "Europe/Berlin",
                                oneOff("review", "2025-01-06T13:00:00Z", "2025-01-06T14:00:00Z")
                                        .setFocusCategories(List.of("technology", "business"))
                                        .setPomodoro(
                                                PomodoroCadence.newBuilder().build()),
                                weekly("mornings", "09:00", "11:30", Weekday.FRIDAY, Weekday.MONDAY)))
                        .getEvent()
                        .getEventId())
                .isEqualTo(e.getEventId()); // the same record, the same id
    }

    private void invalid(FocusBlocks r, String detailPart) throws Exception {
        SourceRecord out = decode(r);
        assertThat(out.getEvent()).isNull();
        assertThat(out.getDeadLetter().getReason()).isEqualTo(DeadLetterReason.INVALID_FOCUS_BLOCK);
        assertThat(out.getDeadLetter().getDetail()).contains(detailPart);
    }

    @Test
    void badBlocksAreDeadLetters() throws Exception {
        invalid(record(null, oneOff("a", "2025-01-06T14:00:00Z", "2025-01-06T14:00:00Z")), "is not after start");
        invalid(record(null, oneOff("a", "2025-01-06T14:00:00Z", "2025-01-06T13:00:00Z")), "is not after start");
        invalid(record(null, weekly("w", "09:00", "09:00", Weekday.MONDAY)), "local_end equals local_start");
        invalid(
                record(
                        null,
                        FocusBlock.newBuilder()
                                .setName("a")
                                .setStart(Instant.ofEpochMilli(Long.MIN_VALUE))
                                .setEnd(Instant.ofEpochMilli(Long.MAX_VALUE))),
                "between 1970 and the year 9999"); // end - start would overflow
        invalid(record(null, oneOff("a", "2025-01-06T00:00:00Z", "2025-01-07T00:00:00.001Z")), "more than 24 hours");
        invalid(record(null, weekly("w", "9am", "10:00", Weekday.MONDAY)), "HH:mm");
        invalid(record(null, weekly("w", "09:00", "10:00")), "needs days");
        invalid(record(null, FocusBlock.newBuilder().setName("x")), "give start and end");
        invalid(
                record(
                        null,
                        oneOff("a", "2025-01-06T13:00:00Z", "2025-01-06T14:00:00Z")
                                .setFocusCategories(List.of("knitting"))),
                "is not a category of the rules");
        invalid(
                record(
                        null,
                        oneOff("a", "2025-01-06T13:00:00Z", "2025-01-06T14:00:00Z")
                                .setPomodoro(PomodoroCadence.newBuilder()
                                        .setCycles(0)
                                        .build())),
                "cycles");
        invalid(
                record(
                        null,
                        oneOff("a", "2025-01-06T13:00:00Z", "2025-01-06T14:00:00Z"),
                        oneOff("a", "2025-01-07T13:00:00Z", "2025-01-07T14:00:00Z")),
                "another block of the record has this name");
    }

    @Test
    void overlappingBlocksOfOneRecordAreDeadLetters() throws Exception {
        invalid(
                record(
                        null,
                        oneOff("a", "2025-01-06T13:00:00Z", "2025-01-06T14:00:00Z"),
                        oneOff("b", "2025-01-06T13:59:00Z", "2025-01-06T15:00:00Z")),
                "blocks 1 and 2 overlap");
        // Sunday 22:00 to 02:00 runs into Monday 01:00 to 03:00
        invalid(
                record(
                        null,
                        weekly("late", "22:00", "02:00", Weekday.SUNDAY),
                        weekly("early", "01:00", "03:00", Weekday.MONDAY)),
                "blocks 1 and 2 overlap");
        // Monday 2025-01-06 13:00Z is 14:00 in Berlin, inside the weekly 13:30 to 15:00 there
        invalid(
                record(
                        "Europe/Berlin",
                        weekly("afternoons", "13:30", "15:00", Weekday.MONDAY),
                        oneOff("call", "2025-01-06T13:00:00Z", "2025-01-06T13:30:00Z")),
                "blocks 1 and 2 overlap");
        // back to back is no overlap; without a zone the one-off and weekly blocks are not compared here
        assertThat(decode(record(
                                null,
                                oneOff("a", "2025-01-06T13:00:00Z", "2025-01-06T14:00:00Z"),
                                oneOff("b", "2025-01-06T14:00:00Z", "2025-01-06T15:00:00Z"),
                                weekly("afternoons", "13:30", "15:00", Weekday.MONDAY)))
                        .getEvent())
                .isNotNull();
    }

    @Test
    void jsonRecordsReadTheSameFields() {
        String json = "{\"user_id\":\"alice\",\"updated_at\":\"2025-01-06T11:59:00Z\",\"blocks\":["
                + "{\"name\":\"mornings\",\"days\":[\"monday\"],\"local_start\":\"09:00\",\"local_end\":\"10:00\","
                + "\"focus_categories\":[\"technology\"],\"pomodoro\":{\"work_minutes\":50,\"short_break_minutes\":10}}]}";
        SourceRecord r = decode(InputFormat.JSON, json.getBytes(StandardCharsets.UTF_8));
        BlockSpec b = r.getEvent().getFocusBlocks().get(0);
        assertThat(b.getDays()).containsExactly(1);
        assertThat(b.getWorkMs()).isEqualTo(3_000_000L);
        assertThat(b.getShortBreakMs()).isEqualTo(600_000L);
        assertThat(b.getLongBreakMs()).isEqualTo(900_000L); // the default
        SourceRecord bad = decode(
                InputFormat.JSON,
                "{\"user_id\":\"alice\",\"updated_at\":1,\"blocks\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.getDeadLetter()).isNotNull();
    }
}
