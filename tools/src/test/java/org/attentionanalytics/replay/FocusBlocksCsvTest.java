package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.attentionanalytics.replay.DatasetReaderTest.fixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.FocusBlock;
import org.attentionanalytics.avro.FocusBlocks;
import org.attentionanalytics.avro.PomodoroCadence;
import org.attentionanalytics.avro.Weekday;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --focus-blocks files: one record per user, both kinds of block, defaults, and errors with their line. */
class FocusBlocksCsvTest {
    static final Instant FIRST = Instant.parse("2023-02-02T07:20:24Z");

    @TempDir
    Path dir;

    Path file(String text) throws Exception {
        Path p = dir.resolve("blocks.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void oneRecordPerUserInOrderOfFirstRowBlocksInFileOrder() throws Exception {
        assertThat(FocusBlocksCsv.read(fixture("focus-blocks.csv"), FIRST))
                .containsExactly(
                        FocusBlocks.newBuilder()
                                .setUserId("200")
                                .setTimeZone("Europe/Copenhagen")
                                .setBlocks(List.of(
                                        FocusBlock.newBuilder()
                                                .setName("deep-work")
                                                .setStart(Instant.parse("2023-02-02T07:00:00Z"))
                                                .setEnd(Instant.parse("2023-02-02T09:00:00Z"))
                                                .setFocusCategories(List.of("news"))
                                                .setPomodoro(new PomodoroCadence(25, 5, 15, 4))
                                                .build(),
                                        FocusBlock.newBuilder()
                                                .setName("evenings")
                                                .setDays(List.of(Weekday.FRIDAY))
                                                .setLocalStart("22:00")
                                                .setLocalEnd("01:00")
                                                .setFocusCategories(List.of("news", "sports"))
                                                .build()))
                                .setUpdatedAt(FIRST)
                                .build(),
                        FocusBlocks.newBuilder()
                                .setUserId("100")
                                .setTimeZone(null)
                                .setBlocks(List.of(FocusBlock.newBuilder()
                                        .setName("mornings")
                                        .setDays(List.of(Weekday.MONDAY, Weekday.THURSDAY))
                                        .setLocalStart("08:00")
                                        .setLocalEnd("10:00")
                                        .build()))
                                .setUpdatedAt(FIRST)
                                .build());
    }

    @Test
    void onlyUserAndNameAreRequiredAndARowWithoutNameClearsTheBlocks() throws Exception {
        Path p = file("""
        Name,USER_ID,days,local_start,local_end,updated_at
        ,u1,,,,1675328400000
        w,u2,sun,23:00,00:00,2023-02-02T09:00:00
        """);
        assertThat(FocusBlocksCsv.read(p, null))
                .containsExactly(
                        FocusBlocks.newBuilder()
                                .setUserId("u1")
                                .setBlocks(List.of())
                                .setUpdatedAt(Instant.parse("2023-02-02T09:00:00Z"))
                                .build(),
                        FocusBlocks.newBuilder()
                                .setUserId("u2")
                                .setBlocks(List.of(FocusBlock.newBuilder()
                                        .setName("w")
                                        .setDays(List.of(Weekday.SUNDAY))
                                        .setLocalStart("23:00")
                                        .setLocalEnd("00:00")
                                        .build()))
                                .setUpdatedAt(Instant.parse("2023-02-02T09:00:00Z"))
                                .build());
    }

    @Test
    void badRowsNameFileAndLine() throws Exception {
        String header =
                "user_id,name,start,end,days,local_start,local_end,focus_categories,pomodoro,time_zone,updated_at\n";
        String ok = "u1,a,0,1000,,,,,,,\n";
        String[][] cases = {
            {"u1,a,,,MON,09:00,,,,,", "blocks.csv line 2: block 'a': missing local_start and local_end"},
            {"u1,a,5,,,,,,,,", "blocks.csv line 2: block 'a': missing end"},
            {"u1,a,,,,,,news,,,", "blocks.csv line 2: block 'a': give start and end (one-off) or days and"},
            {"u1,a,0,1000,MON,09:00,10:00,,,,", "blocks.csv line 2: block 'a': either start and end (one-off)"},
            {"u1,a,1000,1000,,,,,,,", "blocks.csv line 2: block 'a': end 1970-01-01T00:00:01Z is not after start"},
            {"u1,a,,,MON,9:00,10:00,,,,", "blocks.csv line 2: block 'a': local_start '9:00' is not a time HH:mm"},
            {"u1,a,,,MON,10:00,10:00,,,,", "blocks.csv line 2: block 'a': starts and ends at 10:00"},
            {"u1,a,,,MOON,09:00,10:00,,,,", "blocks.csv line 2: block 'a': day 'MOON' is not one of MON"},
            {"u1,a,0,1000,,,,,25/5/15,,", "blocks.csv line 2: block 'a': pomodoro '25/5/15' is not WORK/SHORT/LONG"},
            {"u1,a,later,1000,,,,,,,", "blocks.csv line 2: block 'a': time 'later' is neither epoch milliseconds"},
            {"u1,a,0,1000,,,,,,Mars/Olympus,", "blocks.csv line 2: time_zone 'Mars/Olympus' is not an IANA zone id"},
            {",a,0,1000,,,,,,,", "blocks.csv line 2: empty user_id"},
            {"u1,,,,MON,,,,,,", "blocks.csv line 2: empty name for a block with [days]"},
            {ok.strip(), "blocks.csv line 3: block 'a' twice for user u1"},
            {"u1,b,500,2000,,,,,,,", "blocks.csv line 3: user u1: blocks 1 and 2 overlap"},
            {"u1,a,0,90000000,,,,,,,", "blocks.csv line 2: user u1: block 1 ('a'): lasts more than 24 hours"},
            {"u1,b,0,1000,,,,,,Europe/Berlin,", "blocks.csv line 3: time_zone Europe/Berlin differs from null"},
            {"u1,b,0,1000,,,,,,,5", "blocks.csv line 3: updated_at 1970-01-01T00:00:00.005Z differs from"},
        };
        for (String[] c : cases) {
            boolean second = c[1].contains("line 3");
            Path p = file(header + (second ? ok : "") + c[0] + "\n");
            assertThatThrownBy(() -> FocusBlocksCsv.read(p, Instant.EPOCH))
                    .as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(c[1]);
        }
        assertThatThrownBy(() -> FocusBlocksCsv.read(file("user_id,start\nu1,0\n"), FIRST))
                .hasMessageStartingWith("blocks.csv line 1: the header needs the columns [user_id, name]");
        assertThatThrownBy(() -> FocusBlocksCsv.read(file("user_id,name,start,end\nu1,a,0,1000\n"), null))
                .hasMessageContaining("blocks.csv line 2: no updated_at, and no --dataset");
        assertThatThrownBy(() -> FocusBlocksCsv.read(dir.resolve("none.csv"), FIRST))
                .hasMessage("cannot read " + dir.resolve("none.csv") + ": no such file");
    }
}
