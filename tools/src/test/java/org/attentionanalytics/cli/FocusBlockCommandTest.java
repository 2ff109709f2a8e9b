package org.attentionanalytics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.cli.ControlCommandsTest.NOW;
import static org.attentionanalytics.cli.ControlCommandsTest.parse;
import static org.attentionanalytics.cli.ControlCommandsTest.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.PomodoroCadence;
import org.attentionanalytics.avro.Weekday;
import org.attentionanalytics.replay.ReplayFormat;
import org.junit.jupiter.api.Test;

/** Parsing and checks of {@code focus-block}, without Kafka (sending: {@link ControlCommandsITCase}). */
class FocusBlockCommandTest {

    @Test
    void oneOffAndWeeklyBlocksMakeOneRecord() {
        FocusBlockCommand c = parse(
                new FocusBlockCommand(),
                "--user-id",
                "u1",
                "--time-zone",
                "Europe/Berlin",
                "--block",
                "deep-work,from=2026-12-07T09:00:00Z,to=1796641200000",
                "--block",
                "mornings, days=wed+MON+Tuesday, at=22:30-02:00, focus=technology+business, pomodoro",
                "--block",
                "writing,days=SUN,at=07:00-08:00,pomodoro=50/10/30/2",
                "--updated-at",
                "2026-12-07T08:00:00+02:00",
                "--format",
                "json");
        assertThat(c.topic).isEqualTo("focus-blocks");
        assertThat(c.target.format).isEqualTo(ReplayFormat.JSON);
        assertThat(c.focusBlocks(NOW))
                .isEqualTo(FocusBlocks.newBuilder()
                        .setUserId("u1")
                        .setTimeZone("Europe/Berlin")
                        .setBlocks(List.of(
                                FocusBlock.newBuilder()
                                        .setName("deep-work")
                                        .setStart(Instant.parse("2026-12-07T09:00:00Z"))
                                        .setEnd(Instant.parse("2026-12-07T11:00:00Z"))
                                        .build(),
                                FocusBlock.newBuilder()
                                        .setName("mornings")
                                        .setDays(List.of(Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY))
                                        .setLocalStart("22:30")
                                        .setLocalEnd("02:00")
                                        .setFocusCategories(List.of("technology", "business"))
                                        .setPomodoro(new PomodoroCadence(25, 5, 15, 4))
                                        .build(),
                                FocusBlock.newBuilder()
                                        .setName("writing")
                                        .setDays(List.of(Weekday.SUNDAY))
                                        .setLocalStart("07:00")
                                        .setLocalEnd("08:00")
                                        .setPomodoro(new PomodoroCadence(50, 10, 30, 2))
                                        .build()))
                        .setUpdatedAt(Instant.parse("2026-12-07T06:00:00Z"))
                        .build());
    }

    @Test
    void withoutBlocksTheRecordClearsTheUsersBlocksAtNow() {
        FocusBlocks none = parse(new FocusBlockCommand(), "--user-id", "u2").focusBlocks(NOW);
        assertThat(none.getBlocks()).isEmpty();
        assertThat(none.getTimeZone()).isNull();
        assertThat(none.getUpdatedAt()).isEqualTo(NOW);
    }

    @Test
    void describeIsWhatThePrintedLineShows() {
        assertThat(FocusBlockCommand.describe(
                        FocusBlockCommand.block("mornings,days=TUE+MON,at=09:00-11:00,focus=news,pomodoro")))
                .isEqualTo("mornings MON+TUE 09:00-11:00 focus news pomodoro 25/5/15/4");
        assertThat(FocusBlockCommand.describe(FocusBlockCommand.block("x,from=0,to=60000")))
                .isEqualTo("x 1970-01-01T00:00:00Z..1970-01-01T00:01:00Z");
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("a,from=2026-12-07T09:00:00Z", "--block a,from=2026-12-07T09:00:00Z: block 'a': missing to=");
        cases.put("a,days=MON", "block 'a': missing at=");
        cases.put("a,at=09:00-10:00", "block 'a': missing days=");
        cases.put("a,focus=news", "block 'a': give from= and to= (one-off) or days= and at= (weekly)");
        cases.put(
                "a,from=0,to=1000,days=MON,at=09:00-10:00",
                "block 'a': either from= and to= (one-off) or days= and at= (weekly), not both");
        cases.put(
                "a,from=2026-12-07T11:00:00Z,to=2026-12-07T09:00:00Z",
                "block 'a': to= 2026-12-07T09:00:00Z is not after from= 2026-12-07T11:00:00Z");
        cases.put("a,from=5,to=5", "block 'a': to= 1970-01-01T00:00:00.005Z is not after from=");
        cases.put("a,days=MON,at=9:00-10:00", "at start '9:00' is not a time HH:mm from 00:00 to 23:59");
        cases.put("a,days=MON,at=09:00-24:00", "at end '24:00' is not a time HH:mm");
        cases.put("a,days=MON,at=09:00", "at '09:00' is not HH:mm-HH:mm");
        cases.put("a,days=MON,at=10:00-10:00", "block 'a': starts and ends at 10:00");
        cases.put("a,days=MON+FUNDAY,at=09:00-10:00", "day 'FUNDAY' is not one of MON, TUE, WED");
        cases.put("a,days=MON+monday,at=09:00-10:00", "days 'MON+monday': MONDAY twice");
        cases.put("a,days=MON,at=09:00-10:00,color=red", "unknown key 'color' (known: from, to, days, at, focus");
        cases.put("a,days=MON,days=TUE,at=09:00-10:00", "days= given twice");
        cases.put("a,from,to=5", "from needs a value: from=...");
        cases.put("a,from=tomorrow,to=5", "from=: time 'tomorrow' is neither epoch milliseconds nor ISO-8601");
        cases.put("a,days=MON,at=09:00-10:00,pomodoro=25/5", "pomodoro '25/5' is not WORK/SHORT/LONG/CYCLES");
        cases.put("a,days=MON,at=09:00-10:00,pomodoro=25/0/15/4", "pomodoro '25/0/15/4' is not WORK/SHORT");
        cases.put("a,days=MON,at=09:00-10:00,focus=news++sports", "an empty category");
        cases.put("a,days=MON,at=09:00-10:00,pomodoro=300/5/15/4", "minutes from 1 to 240, cycles from 1 to 12");
        cases.put("a,days=MON,at=09:00-10:00,pomodoro=25/5/15/13", "minutes from 1 to 240, cycles from 1 to 12");
        cases.put("a,from=0,to=86400001", "--block: block 1 ('a'): lasts more than 24 hours");
        cases.put(
                "a,from=+300000000-01-01T00:00:00Z,to=+300000000-01-01T01:00:00Z",
                "block 'a': from= and to= must lie between 1970 and the year 9999");
        cases.put("from=0,to=5", "expected NAME,KEY=VALUE,... with the block's name first");
        cases.put(",from=0,to=5", "expected NAME,KEY=VALUE,... with the block's name first");
        cases.forEach((spec, message) -> assertThat(run("focus-block", "--user-id", "u1", "--block", spec))
                .as(spec)
                .satisfies(r -> {
                    assertThat(r.getKey()).isEqualTo(2);
                    assertThat(r.getValue()).contains(message);
                }));
    }

    @Test
    void overlappingBlocksAreRefusedAsTheJobWouldDeadLetterThem() {
        // Monday 2026-12-07 08:30Z to 09:30Z is 09:30 to 10:30 in Copenhagen: inside the weekly block
        assertThat(run(
                        "focus-block",
                        "--user-id",
                        "u1",
                        "--time-zone",
                        "Europe/Copenhagen",
                        "--block",
                        "call,from=2026-12-07T08:30:00Z,to=2026-12-07T09:30:00Z",
                        "--block",
                        "mornings,days=MON,at=09:00-11:00"))
                .satisfies(r -> {
                    assertThat(r.getKey()).isEqualTo(2);
                    assertThat(r.getValue()).contains("--block: blocks 1 and 2 overlap");
                });
    }

    @Test
    void twoBlocksOfOneNameZoneAndTimeAreUsageErrors() {
        assertThat(run(
                        "focus-block",
                        "--user-id",
                        "u1",
                        "--block",
                        "a,from=0,to=5",
                        "--block",
                        "a,days=MON,at=09:00-10:00"))
                .satisfies(r -> {
                    assertThat(r.getKey()).isEqualTo(2);
                    assertThat(r.getValue())
                            .contains("--block a,days=MON,at=09:00-10:00: a block named 'a' is given twice");
                });
        assertThat(run("focus-block", "--user-id", "u1", "--time-zone", "Mars/Olympus"))
                .satisfies(r -> {
                    assertThat(r.getKey()).isEqualTo(2);
                    assertThat(r.getValue()).contains("--time-zone: 'Mars/Olympus' is not an IANA zone id");
                });
        assertThat(run("focus-block", "--user-id", "u1", "--updated-at", "soon"))
                .satisfies(r -> {
                    assertThat(r.getKey()).isEqualTo(2);
                    assertThat(r.getValue()).contains("--updated-at: time 'soon' is neither");
                });
        assertThat(run("focus-block").getValue()).contains("Missing required option: '--user-id=ID'");
    }
}
