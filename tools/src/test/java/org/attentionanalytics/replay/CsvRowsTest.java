package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The csv kind's tracker columns, heartbeats, list columns, missing values, quoting and skipped
 * rows, on small files written by each test; expectations computed by hand.
 */
class CsvRowsTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static DatasetReader.Result read(Path file, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--dataset", "csv:" + file));
        args.addAll(List.of(more));
        return DatasetReader.read(ReplayOptions.parse(args.toArray(String[]::new)));
    }

    private static Instant t(String utc) {
        return Instant.parse(utc);
    }

    // Columns by header name, in another order than --columns lists them; row 2 has no event_id: derived ids.
    @Test
    void eventIdSessionViewAndUserAgentAreCarried() throws Exception {
        Path f = file("tracked.csv", """
                user_agent,view_id,session_id,event_id,user_id,event_time,event_type,item_id,dwell_ms
                Mozilla/5.0,v1,s1,e1,u1,2024-01-01T10:00:00Z,view,/a,1500
                curl/8,v2,s1,,u1,2024-01-01T10:01:00Z,click,/b,
                """);

        DatasetReader.Result r = read(f);

        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.skippedRows()).isZero();
        assertThat(r.events())
                .extracting(ReplayEvent::eventId)
                .containsExactly("e1", "e1/dwell", "tracked.csv:2:click");
        ClickEvent view = r.events().get(0).click();
        assertThat(view.getSessionId()).isEqualTo("s1");
        assertThat(view.getViewId()).isEqualTo("v1");
        assertThat(view.getUserAgent()).isEqualTo("Mozilla/5.0");
        DwellEvent dwell = r.events().get(1).dwell();
        assertThat(dwell.getEventTime()).isEqualTo(t("2024-01-01T10:00:01.500Z"));
        assertThat(dwell.getDwellMs()).isEqualTo(1_500L);
        assertThat(dwell.getKind()).isEqualTo(DwellKind.DWELL);
        assertThat(dwell.getSessionId()).isEqualTo("s1");
        assertThat(dwell.getViewId()).isEqualTo("v1");
        assertThat(dwell.getUserAgent()).isEqualTo("Mozilla/5.0");
        ClickEvent click = r.events().get(2).click();
        assertThat(click.getEventType()).isEqualTo(EventType.CLICK);
        assertThat(click.getViewId()).isEqualTo("v2");
        assertThat(click.getUserAgent()).isEqualTo("curl/8");
    }

    @Test
    void trackerColumnsByIndexWithoutHeader() throws Exception {
        Path f = file("idx.tsv", "x9\tu7\t1704103200000\tsess\tview-1\tUA\n");

        DatasetReader.Result r = read(
                f,
                "--no-header",
                "--separator",
                "tab",
                "--time-format",
                "epoch-millis",
                "--columns",
                "event_id=0,user_id=1,event_time=2,session_id=3,view_id=4,user_agent=5");

        ClickEvent c = r.events().get(0).click();
        assertThat(c.getEventId()).isEqualTo("x9");
        assertThat(c.getUserId()).isEqualTo("u7");
        assertThat(c.getEventTime()).isEqualTo(t("2024-01-01T10:00:00Z"));
        assertThat(c.getEventType()).isEqualTo(EventType.VIEW);
        assertThat(List.of(c.getSessionId(), c.getViewId(), c.getUserAgent())).containsExactly("sess", "view-1", "UA");
    }

    // ping rows: DwellEvents of kind HEARTBEAT at the row's time, without dwell_ms (also when the row has one).
    @Test
    void aTypeMappedToHeartbeatIsAHeartbeatDwellEvent() throws Exception {
        Path f = file("pings.csv", """
                user_id,event_time,event_type,item_id,view_id,dwell_ms
                u1,2024-01-01T10:00:00Z,pv,/a,v1,
                u1,2024-01-01T10:00:10Z,ping,/a,v1,
                u1,2024-01-01T10:00:20Z,ping,/a,v1,999
                u1,2024-01-01T10:00:30Z,heartbeat,/a,v1,
                """);

        DatasetReader.Result r = read(f, "--event-types", "pv=VIEW,ping=HEARTBEAT");

        assertThat(r.clicks()).isEqualTo(1);
        assertThat(r.dwells()).isEqualTo(3);
        assertThat(r.events())
                .extracting(ReplayEvent::eventId)
                .containsExactly(
                        "pings.csv:1:view", "pings.csv:2:heartbeat", "pings.csv:3:heartbeat", "pings.csv:4:heartbeat");
        for (ReplayEvent e : r.events().subList(1, 4)) {
            DwellEvent d = e.dwell();
            assertThat(d.getKind()).isEqualTo(DwellKind.HEARTBEAT);
            assertThat(d.getDwellMs()).isNull();
            assertThat(d.getItemId()).isEqualTo("/a");
            assertThat(d.getViewId()).isEqualTo("v1");
        }
        assertThat(r.events().get(2).eventTime()).isEqualTo(t("2024-01-01T10:00:20Z"));
    }

    // Row 1: a VIEW and two CLICKs; row 2 (event_id i2): empty list, just the VIEW; row 3: double spaces.
    @Test
    void aListColumnExplodesIntoOneEventPerElement() throws Exception {
        Path f = file("impressions.csv", """
                user_id,event_time,item_id,clicked,event_id
                u1,2024-01-01T10:00:00Z,front,n1 n2,
                u2,2024-01-01T10:01:00Z,front,,i2
                u3,2024-01-01T10:02:00Z,front,  n3   n4 ,i3
                """);

        DatasetReader.Result r = read(f, "--explode", "clicked= :CLICK");

        assertThat(r.events())
                .extracting(ReplayEvent::eventId)
                .containsExactly(
                        "impressions.csv:1:view",
                        "impressions.csv:1/0",
                        "impressions.csv:1/1",
                        "i2",
                        "i3",
                        "i3/0",
                        "i3/1");
        ClickEvent n2 = r.events().get(2).click();
        assertThat(n2.getEventType()).isEqualTo(EventType.CLICK);
        assertThat(n2.getItemId()).isEqualTo("n2");
        assertThat(n2.getUserId()).isEqualTo("u1");
        assertThat(n2.getEventTime()).isEqualTo(t("2024-01-01T10:00:00Z"));
        assertThat(r.events().get(6).click().getItemId()).isEqualTo("n4");
    }

    // Two lists, by index, without the row's own event; numbering continues over the lists.
    @Test
    void explodeOnlyWithTwoListsByIndex() throws Exception {
        Path f = file("lists.csv", "u1;2024-01-01T10:00:00Z;a,b;c\nu2;2024-01-01T10:05:00Z;;\n");

        DatasetReader.Result r = read(
                f,
                "--no-header",
                "--separator",
                ";",
                "--columns",
                "user_id=0,event_time=1",
                "--explode",
                "2=,:CLICK",
                "--explode",
                "3=,:share",
                "--no-row-events");

        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.skippedRows())
                .as("a row with empty lists gives nothing, but is not malformed")
                .isZero();
        assertThat(r.events())
                .extracting(e -> e.eventId() + " " + e.click().getEventType() + " "
                        + e.click().getItemId())
                .containsExactly("lists.csv:1/0 CLICK a", "lists.csv:1/1 CLICK b", "lists.csv:1/2 SHARE c");
    }

    @Test
    void explodeSyntax() {
        assertThat(ExplodeSpec.parse("clicked= :CLICK"))
                .isEqualTo(new ExplodeSpec("clicked", -1, " ", EventType.CLICK));
        assertThat(ExplodeSpec.parse("Clicked=space:click"))
                .isEqualTo(new ExplodeSpec("clicked", -1, " ", EventType.CLICK));
        assertThat(ExplodeSpec.parse("4=tab:VIEW")).isEqualTo(new ExplodeSpec("4", 4, "\t", EventType.VIEW));
        assertThat(ExplodeSpec.parse("ids=::CLICK")).isEqualTo(new ExplodeSpec("ids", -1, ":", EventType.CLICK));
        assertThat(ExplodeSpec.parse("ids=, :CLICK").elements("a, b,, c")).containsExactly("a", "b,", "c");
        assertThatThrownBy(() -> ExplodeSpec.parse("clicked:CLICK")).hasMessageContaining("COLUMN=SEP:TYPE");
        assertThatThrownBy(() -> ExplodeSpec.parse("clicked=:CLICK")).hasMessageContaining("COLUMN=SEP:TYPE");
        assertThatThrownBy(() -> ExplodeSpec.parse("clicked= :LIKE")).hasMessageContaining("unknown event type 'LIKE'");
    }

    @Test
    void anExplodeColumnMissingFromTheHeaderIsAUsageError() throws Exception {
        Path f = file("h.csv", "user_id,event_time\nu1,2024-01-01T10:00:00Z\n");
        assertThatThrownBy(() -> read(f, "--explode", "clicked= :CLICK"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no column 'clicked'")
                .hasMessageContaining("user_id, event_time");
        assertThatThrownBy(() -> read(f, "--explode", "5= :CLICK"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--explode 5= :CLICK: h.csv's header has 2 columns");
    }

    // NA: absent. Row 2 (user NA) and row 4 (empty user) are skipped as no_user; row 3's NA item is null.
    @Test
    void nullValuesAreAbsentAndARowWithoutUserIsSkipped() throws Exception {
        Path f = file("na.csv", """
                user_id,event_time,item_id,session_id
                u1,2024-01-01T10:00:00Z,/a,s1
                NA,2024-01-01T10:01:00Z,/b,s2
                u3,2024-01-01T10:02:00Z,NA,null
                ,2024-01-01T10:03:00Z,/d,s4
                """);

        DatasetReader.Result r = read(f, "--null-values", "NA,null");

        assertThat(r.rows()).isEqualTo(4);
        assertThat(r.skippedRows()).isEqualTo(2);
        assertThat(r.skipped().byReason()).containsEntry(SkipReason.NO_USER, 2L);
        assertThat(r.skipped().examples()).containsExactly("row 2: no_user: no user_id", "row 4: no_user: no user_id");
        assertThat(r.events()).extracting(ReplayEvent::userId).containsExactly("u1", "u3");
        ClickEvent u3 = r.events().get(1).click();
        assertThat(u3.getItemId()).isNull();
        assertThat(u3.getSessionId()).isNull();

        assertThat(read(f).events())
                .as("without --null-values, NA is a user")
                .extracting(ReplayEvent::userId)
                .containsExactly("u1", "NA", "u3");
    }

    @Test
    void quoteNoneReadsAFieldThatStartsWithAQuote() throws Exception {
        Path f = file("quotes.tsv", "user_id\tevent_time\titem_id\nu1\t2024-01-01T10:00:00Z\t\"Hello\" she said\n");

        DatasetReader.Result r = read(f, "--separator", "tab", "--quote", "none");

        assertThat(r.events().get(0).click().getItemId()).isEqualTo("\"Hello\" she said");
        assertThatThrownBy(() -> read(f, "--separator", "tab"))
                .as("default quoting: an error naming file, row and the fix")
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("quotes.tsv: cannot parse row 1 (line ")
                .hasMessageContaining("--quote none");
    }

    @Test
    void aParseErrorNamesTheFileAndTheRow() throws Exception {
        Path f = file(
                "late.csv", "user_id,event_time,item_id\nu1,2024-01-01T10:00:00Z,a\nu2,2024-01-01T10:00:00Z,\"b\"x\n");
        assertThatThrownBy(() -> read(f))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("late.csv: cannot parse row 2 (line ");
        Path first = file("first.csv", "u1,2024-01-01T10:00:00Z,\"b\"x\n");
        assertThatThrownBy(() -> read(first, "--no-header", "--columns", "user_id=0,event_time=1"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("first.csv: cannot parse row 1 (line ");
    }

    // Row 1 has no time, row 2 the wrong format, row 3 a bad number, row 4 too few columns, row 5 is a DWELL without
    // dwell_ms.
    @Test
    void everySkippedRowHasAReason() throws Exception {
        Path f = file("bad.csv", """
                user_id,event_time,event_type,dwell_ms
                u1,,view,
                u1,01.01.2024,view,
                u1,2024-01-01T10:00:00Z,view,lots
                u1
                u1,2024-01-01T10:00:00Z,dwell,
                u1,2024-01-01T10:00:00Z,view,
                """);

        DatasetReader.Result r = read(f);

        assertThat(r.rows()).isEqualTo(6);
        assertThat(r.events()).hasSize(1);
        assertThat(r.skipped().byReason())
                .containsExactly(
                        Map.entry(SkipReason.NO_USER, 0L),
                        Map.entry(SkipReason.BAD_TIME, 2L),
                        Map.entry(SkipReason.BAD_NUMBER, 1L),
                        Map.entry(SkipReason.MISSING_COLUMN, 1L),
                        Map.entry(SkipReason.INVALID, 1L));
        assertThat(r.skipped().examples())
                .containsExactly(
                        "row 1: bad_time: no event time",
                        "row 2: bad_time: time '01.01.2024' is not ISO-8601",
                        "row 3: bad_number: dwell_ms 'lots' is not a number",
                        "row 4: missing_column: no column 1 (event_time): row has 1 columns",
                        "row 5: invalid: DWELL row without dwell_ms");
        assertThat(r.skipped().describe()).isEqualTo("bad_time 2, bad_number 1, missing_column 1, invalid 1");
    }

    @Test
    void skippedRowsFailTheReplayUnlessMaxSkippedAllowsThem() throws Exception {
        Path f = file("mixed.csv", """
                user_id,event_time
                u1,2024-01-01 10:00:00
                u2,2024-01-01T10:00:00Z
                u3,2024-01-01 10:00:01
                """);
        DatasetReader.Result r = read(f);

        assertThatThrownBy(() ->
                        r.skipped().check("mixed.csv", r.rows(), r.events().size(), 0))
                .isInstanceOf(SkippedRows.RejectedDatasetException.class)
                .hasMessage(
                        "mixed.csv: 2 of 3 rows skipped (bad_time 2), more than --max-skipped 0 allows; nothing was "
                                + "published. First skipped rows: row 1: bad_time: time '2024-01-01 10:00:00' is not ISO-8601; "
                                + "row 3: bad_time: time '2024-01-01 10:00:01' is not ISO-8601");
        r.skipped().check("mixed.csv", r.rows(), r.events().size(), 2); // allowed
    }

    @Test
    void aFileWithoutEventsIsAnError() throws Exception {
        Path f = file("wrong.csv", "user_id,event_time\nu1,2024-01-01 10:00:00\n");
        DatasetReader.Result r = read(f);

        assertThatThrownBy(() ->
                        r.skipped().check("wrong.csv", r.rows(), r.events().size(), 5))
                .isInstanceOf(SkippedRows.RejectedDatasetException.class)
                .hasMessage("wrong.csv: no event in 1 rows (1 skipped: bad_time 1; first: row 1: bad_time: time "
                        + "'2024-01-01 10:00:00' is not ISO-8601)");
        Path empty = file("empty.csv", "user_id,event_time\n");
        DatasetReader.Result none = read(empty);
        assertThatThrownBy(() -> none.skipped()
                        .check("empty.csv", none.rows(), none.events().size(), 0))
                .hasMessage("empty.csv: no event in 0 rows");
    }

    // The tester's values: none is silently a number, none fails the read; the good ones after them still count.
    @Test
    void badNumbersAreSkippedRowsNamingFieldAndValue() throws Exception {
        Path f = file("nums.csv", """
                user_id,event_time,event_type,dwell_ms
                u1,2024-01-01T10:00:00Z,view,NaN
                u1,2024-01-01T10:00:00Z,view,0x1p12
                u1,2024-01-01T10:00:00Z,view,100f
                u1,2024-01-01T10:00:00Z,view,Infinity
                u1,2024-01-01T10:00:00Z,dwell,1e19
                u1,2024-01-01T10:00:00Z,view,9223372036854775808
                u1,2024-01-01T10:00:00Z,view,9223372036854775807
                u1,2024-01-01T10:00:00Z,view, +1500
                u1,2024-01-01T10:00:01Z,dwell,2.5
                """);

        DatasetReader.Result r = read(f);

        assertThat(r.rows()).isEqualTo(9);
        assertThat(r.skipped().byReason()).containsEntry(SkipReason.BAD_NUMBER, 7L);
        assertThat(r.skipped().describe()).isEqualTo("bad_number 7");
        assertThat(r.skipped().examples())
                .containsExactly(
                        "row 1: bad_number: dwell_ms 'NaN' is not a number",
                        "row 2: bad_number: dwell_ms '0x1p12' is not a number",
                        "row 3: bad_number: dwell_ms '100f' is not a number",
                        "row 4: bad_number: dwell_ms 'Infinity' is not a number",
                        "row 5: bad_number: dwell_ms '1e19' is not a number");
        assertThat(r.events())
                .extracting(e -> e.eventId() + " " + e.eventTime() + " "
                        + (e.isDwell() ? e.dwell().getDwellMs() : "-"))
                .containsExactly(
                        "nums.csv:8:view 2024-01-01T10:00:00Z -",
                        "nums.csv:9:dwell 2024-01-01T10:00:01Z 3",
                        "nums.csv:8:dwell 2024-01-01T10:00:01.500Z 1500");

        Path far = file("far.csv", """
                user_id,event_time,dwell_ms
                u1,2024-01-01T10:00:00Z,9223372036854775808
                u1,2024-01-01T10:00:00Z,9223372036854775807
                """);
        assertThat(read(far).skipped().examples())
                .containsExactly(
                        "row 1: bad_number: dwell_ms '9223372036854775808' is out of range",
                        "row 2: bad_number: dwell_ms '9223372036854775807' puts the dwell's end beyond the range of "
                                + "event times");
    }

    // A time that an Instant holds but epoch ms in a long do not: skipped, not a failure while sending.
    @Test
    void aTimeBeyondTheRangeOfEventTimesIsABadTime() throws Exception {
        Path f = file("far-time.csv", """
                user_id,event_time
                u1,+999999999-01-01T00:00:00Z
                u1,2024-01-01T10:00:00Z
                """);

        DatasetReader.Result r = read(f);

        assertThat(r.skipped().examples())
                .containsExactly(
                        "row 1: bad_time: time '+999999999-01-01T00:00:00Z' is beyond the range of event times");
        assertThat(r.events()).extracting(ReplayEvent::eventId).containsExactly("far-time.csv:2:view");
    }

    // Row 1 typed without the trailing separator of its empty list: its own VIEW, no list events.
    @Test
    void aRowWithoutItsTrailingListColumnHasAnEmptyList() throws Exception {
        Path f = file("short.tsv", "u1\t2024-01-01T10:00:00Z\tfront\nu2\t2024-01-01T10:01:00Z\tfront\tn1 n2\nu3\n");

        DatasetReader.Result r = read(
                f,
                "--no-header",
                "--separator",
                "tab",
                "--columns",
                "user_id=0,event_time=1,item_id=2",
                "--explode",
                "3=space:CLICK");

        assertThat(r.rows()).isEqualTo(3);
        assertThat(r.events())
                .extracting(e -> e.eventId() + " " + e.click().getEventType() + " "
                        + e.click().getItemId())
                .containsExactly(
                        "short.tsv:1:view VIEW front",
                        "short.tsv:2:view VIEW front",
                        "short.tsv:2/0 CLICK n1",
                        "short.tsv:2/1 CLICK n2");
        assertThat(r.skipped().examples())
                .as("a missing required column still skips the row")
                .containsExactly("row 3: missing_column: no column 1 (event_time): row has 1 columns");
    }

    @Test
    void anEmptyFileIsNamedAsEmpty() throws Exception {
        Path f = file("nothing.csv", "");
        assertThatThrownBy(() -> read(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nothing.csv is empty: no header row and no data rows");
        assertThatThrownBy(() -> read(f, "--no-header", "--columns", "user_id=0,event_time=1"))
                .hasMessage("nothing.csv is empty: no header row and no data rows");
        assertThatThrownBy(() -> DatasetReader.read(ReplayOptions.parse("--dataset", "ebnerd-history:" + f)))
                .hasMessage("nothing.csv is empty: no header row and no data rows");
    }

    @Test
    void aBadTimeFormatNamesTheOptionAndThePattern() throws Exception {
        Path f = file("t.csv", "user_id,event_time\nu1,2024-01-01T10\n");
        assertThatThrownBy(() -> read(f, "--time-format", "yyyy-MM-ddTHH"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--time-format 'yyyy-MM-ddTHH' is not a valid pattern: Unknown pattern letter: T (quote "
                        + "literal letters, e.g. yyyy-MM-dd'T'HH:mm:ss; or ISO-8601, epoch-seconds, epoch-millis)");
        assertThat(read(f, "--time-format", "yyyy-MM-dd'T'HH").events())
                .extracting(ReplayEvent::eventTime)
                .containsExactly(t("2024-01-01T10:00:00Z"));
    }
}
