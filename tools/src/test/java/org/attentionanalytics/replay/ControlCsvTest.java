package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.attentionanalytics.replay.DatasetReaderTest.fixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ErasureRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --budgets and --erasures files: grouping, defaults, ids, order, and errors with their line. */
class ControlCsvTest {
    static final Instant FIRST = Instant.parse("2023-02-02T07:20:24Z");

    @TempDir
    Path dir;

    Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void budgetsGroupOneRecordPerUserInOrderOfFirstRow() throws Exception {
        List<AttentionBudget> budgets = ControlCsv.readBudgets(fixture("budgets.csv"), FIRST);
        assertThat(budgets)
                .containsExactly(
                        AttentionBudget.newBuilder()
                                .setUserId("200")
                                .setTimeZone("Europe/Copenhagen")
                                .setBudgets(Map.of("news", 30L, "shopping", 15L))
                                .setAlertsEnabled(true)
                                .setUpdatedAt(FIRST)
                                .build(),
                        AttentionBudget.newBuilder()
                                .setUserId("100")
                                .setTimeZone(null)
                                .setBudgets(Map.of("news", 60L))
                                .setAlertsEnabled(false)
                                .setUpdatedAt(FIRST)
                                .build());
    }

    @Test
    void updatedAtColumnAndAZoneOnlyRow() throws Exception {
        Path p = file("b.csv", """
        USER_ID,Category,minutes,time_zone,updated_at
        u1,,,Europe/Berlin,2025-03-30T01:00:00Z
        u2,video,0,,1743296400000
        """);
        List<AttentionBudget> budgets = ControlCsv.readBudgets(p, null);
        assertThat(budgets.get(0).getBudgets()).isEmpty();
        assertThat(budgets.get(0).getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(budgets.get(0).getUpdatedAt()).isEqualTo(Instant.parse("2025-03-30T01:00:00Z"));
        assertThat(budgets.get(1).getBudgets()).isEqualTo(Map.of("video", 0L));
        assertThat(budgets.get(1).getUpdatedAt()).isEqualTo(Instant.parse("2025-03-30T01:00:00Z"));
    }

    @Test
    void badBudgetRowsAreErrorsWithTheirLine() throws Exception {
        String header = "user_id,time_zone,category,minutes\n";
        assertThatThrownBy(
                        () -> ControlCsv.readBudgets(file("b.csv", header + "u1,UTC,news,10\nu1,UTC,news,-3\n"), FIRST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("b.csv line 3: minutes '-3' is not a whole number from 0 to 1440 (a day)");
        assertThatThrownBy(() ->
                        ControlCsv.readBudgets(file("b.csv", header + "u1,UTC,news,9223372036854775807\n"), FIRST))
                .hasMessage("b.csv line 2: minutes '9223372036854775807' is not a whole number from 0 to 1440 (a day)");
        assertThatThrownBy(() -> ControlCsv.readBudgets(file("b.csv", header + "u1,UTC+3,news,10\n"), FIRST))
                .hasMessage("b.csv line 2: time_zone 'UTC+3' is not an IANA zone id (e.g. Europe/Copenhagen)");
        assertThatThrownBy(() -> ControlCsv.readBudgets(file("b.csv", header + "u1,Mars/Olympus,news,10\n"), FIRST))
                .hasMessage("b.csv line 2: time_zone 'Mars/Olympus' is not an IANA zone id (e.g. Europe/Copenhagen)");
        assertThatThrownBy(() -> ControlCsv.readBudgets(
                        file("b.csv", header + "u1,UTC,news,10\nu2,UTC,news,1\nu1,UTC,news,20\n"), FIRST))
                .hasMessage("b.csv line 4: category 'news' twice for user u1");
        assertThatThrownBy(() -> ControlCsv.readBudgets(
                        file("b.csv", header + "u1,UTC,news,10\nu1,Europe/Oslo,video,20\n"), FIRST))
                .hasMessageStartingWith(
                        "b.csv line 3: time_zone Europe/Oslo differs from UTC on an earlier row of user u1");
        assertThatThrownBy(() -> ControlCsv.readBudgets(file("b.csv", header + ",UTC,news,10\n"), FIRST))
                .hasMessage("b.csv line 2: empty user_id");
        assertThatThrownBy(() -> ControlCsv.readBudgets(file("b.csv", header + "u1,UTC,,10\n"), FIRST))
                .hasMessage("b.csv line 2: empty category for minutes 10");
        assertThatThrownBy(() -> ControlCsv.readBudgets(file("b.csv", header + "u1,UTC,news,10\n"), null))
                .hasMessage("b.csv line 2: no updated_at, and no --dataset whose first event time could stand in");
        assertThatThrownBy(() -> ControlCsv.readBudgets(file("b.csv", "user_id,category,minutes\nu1,news,1\n"), FIRST))
                .hasMessageStartingWith(
                        "b.csv line 1: the header needs the columns [user_id, time_zone, category, minutes]")
                .hasMessageContaining("missing [time_zone]");
        assertThatThrownBy(() -> ControlCsv.readBudgets(
                        file("b.csv", "user_id,time_zone,category,minutes,alerts_enabled\nu1,UTC,news,1,no\n"), FIRST))
                .hasMessage("b.csv line 2: alerts_enabled 'no' is not true or false");
    }

    @Test
    void filesThatAreNotCsvAreErrorsNamingTheFile() throws Exception {
        String header = "user_id,time_zone,category,minutes\n";
        assertThatThrownBy(() -> ControlCsv.readBudgets(file("q.csv", header + "\"31670,UTC,news,1,\n"), FIRST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("q.csv: not valid CSV: ");
        Path binary = dir.resolve("bin.csv");
        java.nio.file.Files.write(
                binary,
                new byte[] {'u', 's', 'e', 'r', '_', 'i', 'd', ',', 't', 'i', 'm', 'e', '\n', (byte) 0xC3, 0x28});
        assertThatThrownBy(() -> ControlCsv.readErasures(binary))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bin.csv: not UTF-8 text");
        assertThatThrownBy(() -> ControlCsv.readErasures(dir.resolve("nope.csv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read " + dir.resolve("nope.csv") + ": no such file");
    }

    @Test
    void erasuresSortedByTimeWithIdsFromFileAndRow() throws Exception {
        List<ErasureRequest> erasures = ControlCsv.readErasures(fixture("erasures.csv"));
        assertThat(erasures)
                .containsExactly(
                        ErasureRequest.newBuilder()
                                .setRequestId("erasures.csv:2:erasure")
                                .setUserId("100")
                                .setRequestedAt(Instant.parse("2023-02-02T07:20:50Z"))
                                .build(),
                        ErasureRequest.newBuilder()
                                .setRequestId("erasures.csv:1:erasure")
                                .setUserId("200")
                                .setRequestedAt(Instant.parse("2023-02-02T09:00:00Z"))
                                .build());
    }

    @Test
    void badErasureRows() throws Exception {
        assertThatThrownBy(() ->
                        ControlCsv.readErasures(file("e.csv", "user_id,time\nu1,2025-01-01T00:00:00Z\nu2,yesterday\n")))
                .hasMessage(
                        "e.csv line 3: time 'yesterday' is neither epoch milliseconds nor ISO-8601 (e.g. 2025-03-30T08:00:00Z)");
        assertThatThrownBy(() -> ControlCsv.readErasures(file("e.csv", "user_id,at\nu1,1\n")))
                .hasMessageStartingWith("e.csv line 1: the header needs the columns [user_id, time]");
    }

    @Test
    void options() {
        ReplayOptions o = ReplayOptions.parse("--budgets", "csv:/data/b:1.csv", "--erasures", "CSV:e.csv");
        assertThat(o.budgets.path()).isEqualTo(Path.of("/data/b:1.csv"));
        assertThat(o.erasures.path()).isEqualTo(Path.of("e.csv"));
        assertThatThrownBy(() -> ReplayOptions.parse("--budgets", "tsv:b.tsv"))
                .hasMessageContaining("expected csv:PATH, got 'tsv:b.tsv'");
    }

    @Test
    void times() {
        assertThat(ControlCsv.time("1675328400000")).isEqualTo(Instant.parse("2023-02-02T09:00:00Z"));
        assertThat(ControlCsv.time("2023-02-02T10:00:00+01:00")).isEqualTo(Instant.parse("2023-02-02T09:00:00Z"));
        assertThat(ControlCsv.time("2023-02-02T09:00:00"))
                .as("naive: UTC")
                .isEqualTo(Instant.parse("2023-02-02T09:00:00Z"));
    }

    /** An erasure goes after the events of its own time and before later ones. */
    @Test
    void erasuresInterleaveAfterEventsOfTheSameTime() {
        Events events = new Events("f.csv", null);
        ReplayEvent a = events.click(
                1,
                "u",
                Instant.parse("2023-02-02T07:00:00Z"),
                org.attentionanalytics.avro.EventType.VIEW,
                "i",
                List.of());
        ReplayEvent b = events.click(
                2,
                "u",
                Instant.parse("2023-02-02T08:00:00Z"),
                org.attentionanalytics.avro.EventType.VIEW,
                "i",
                List.of());
        ErasureRequest early = ErasureRequest.newBuilder()
                .setRequestId("r0")
                .setUserId("u")
                .setRequestedAt(Instant.parse("2023-02-02T06:00:00Z"))
                .build();
        ErasureRequest tie = ErasureRequest.newBuilder()
                .setRequestId("r1")
                .setUserId("u")
                .setRequestedAt(Instant.parse("2023-02-02T07:00:00Z"))
                .build();
        ErasureRequest late = ErasureRequest.newBuilder()
                .setRequestId("r2")
                .setUserId("u")
                .setRequestedAt(Instant.parse("2023-02-02T09:00:00Z"))
                .build();
        List<SpecificRecordBase> order = DatasetReplay.interleave(List.of(a, b), List.of(early, tie, late));
        assertThat(order).containsExactly(early, a.record(), tie, b.record(), late);
        assertThat(((ClickEvent) order.get(1)).getEventId()).isEqualTo("f.csv:1:view");
    }
}
