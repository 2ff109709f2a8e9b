package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.attentionanalytics.io.SnowplowLine;
import org.attentionanalytics.testutil.SnowplowLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnowplowRowsTest {
    private static final Instant B = Instant.parse("2025-01-06T09:00:00Z");

    @TempDir
    Path dir;

    /** A page_view at B, pings created at B + s, each derived 100 ms after it was created. */
    private static SnowplowLines line(String event, int seconds) {
        Instant t = B.plusSeconds(seconds);
        return SnowplowLines.line()
                .set("collector_tstamp", t.plusMillis(900))
                .set("dvce_created_tstamp", t)
                .set("derived_tstamp", t.plusMillis(100))
                .set("event", event)
                .set("event_id", "sp-" + event + "-" + seconds)
                .set("domain_userid", "duid-9")
                .set("user_id", "alice")
                .set("page_urlpath", "/news/s")
                .webPage("pv-s");
    }

    private static List<SnowplowLine> parsed(SnowplowRows.Result r) throws SnowplowLine.Malformed {
        List<SnowplowLine> out = new ArrayList<>();
        for (SnowplowRows.Line l : r.lines()) {
            out.add(SnowplowLine.parse(l.line().getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void enrichedTsvInEventTimeOrderAsItIsWithBadLinesSkipped() throws Exception {
        SnowplowLines noTime = line("page_ping", 35).set("derived_tstamp", "").set("collector_tstamp", "");
        SnowplowLines badTime = line("page_ping", 45).set("derived_tstamp", "yesterday");
        Path file = dir.resolve("enriched.tsv");
        Files.writeString(
                file,
                String.join(
                                "\n",
                                line("page_ping", 15).text(),
                                line("page_view", 0).text(),
                                "only\tthree\tfields",
                                line("page_ping", 25).text(),
                                "",
                                line("page_ping", 5).text(),
                                noTime.text(),
                                badTime.text())
                        + "\n");

        SnowplowRows.Result r = SnowplowRows.read(file);

        assertThat(r.warehouse()).isFalse();
        assertThat(r.rows()).isEqualTo(7); // the blank line is not a row
        assertThat(r.skipped().total()).isEqualTo(3);
        assertThat(r.skipped().byReason()).containsEntry(SkipReason.INVALID, 1L).containsEntry(SkipReason.BAD_TIME, 2L);
        assertThat(r.skipped().examples().get(0))
                .isEqualTo("row 3: invalid: expected 131 tab-separated fields of a Snowplow enriched event, got 3");
        assertThat(r.lines())
                .extracting(SnowplowRows.Line::eventTime)
                .containsExactly(
                        Instant.parse("2025-01-06T09:00:00.100Z"),
                        Instant.parse("2025-01-06T09:00:05.100Z"),
                        Instant.parse("2025-01-06T09:00:15.100Z"),
                        Instant.parse("2025-01-06T09:00:25.100Z"));
        assertThat(r.lines()).extracting(SnowplowRows.Line::key).containsOnly("duid-9");
        assertThat(r.lines())
                .extracting(SnowplowRows.Line::line)
                .containsExactly(
                        line("page_view", 0).text(),
                        line("page_ping", 5).text(),
                        line("page_ping", 15).text(),
                        line("page_ping", 25).text());
        assertThat(parsed(r))
                .extracting(l -> l.get(SnowplowLine.EVENT_ID))
                .containsExactly("sp-page_view-0", "sp-page_ping-5", "sp-page_ping-15", "sp-page_ping-25");
    }

    @Test
    void keyIsDomainUseridElseUserIdElseEventId() {
        assertThat(SnowplowRows.fromTsv(
                                line("page_view", 0).set("domain_userid", "").text())
                        .key())
                .isEqualTo("alice");
        assertThat(SnowplowRows.fromTsv(line("page_view", 0)
                                .set("domain_userid", "")
                                .set("user_id", "")
                                .text())
                        .key())
                .isEqualTo("sp-page_view-0");
    }

    static final String HEADER = "event_id,event,collector_tstamp,derived_tstamp,dvce_created_tstamp,domain_userid,"
            + "page_urlpath,contexts_com_snowplowanalytics_snowplow_web_page_1_0_0,contexts_com_acme_other_1\n";

    /** The warehouse layout of the same page view: ISO and warehouse timestamp spellings, quoted JSON. */
    static String warehouseCsv() {
        return HEADER
                + "sp-page_ping-15,page_ping,2025-01-06 09:00:15.900,2025-01-06 09:00:15.100,2025-01-06 09:00:15,"
                + "duid-9,/news/s,\"[{\"\"id\"\":\"\"pv-s\"\"}]\",\"[{\"\"x\"\":1}]\"\n"
                + "sp-page_view-0,page_view,2025-01-06T09:00:00.9Z,2025-01-06T09:00:00.1Z,2025-01-06T09:00:00Z,"
                + "duid-9,/news/s,\"[{\"\"id\"\":\"\"pv-s\"\"}]\",\n"
                + "sp-page_ping-25,page_ping,2025-01-06 09:00:25.900000 UTC,2025-01-06 09:00:25.100000 UTC,"
                + "2025-01-06 09:00:25.000000 UTC,duid-9,/news/s,\"[{\"\"id\"\":\"\"pv-s\"\"}]\",\n"
                + "sp-page_ping-5,page_ping,2025-01-06 09:00:05.900,2025-01-06 09:00:05.100,2025-01-06 09:00:05.000,"
                + "duid-9,/news/s,\"[{\"\"id\"\":\"\"pv-s\"\"}]\",\n";
    }

    @Test
    void warehouseCsvRebuiltAsEnrichedLinesWithTheWebPageContext() throws Exception {
        Path file = dir.resolve("events.csv");
        Files.writeString(
                file,
                warehouseCsv()
                        + "sp-bad-time,page_ping,2025-01-06 25:00:00,,,duid-9,/news/s,,\n"
                        + "sp-bad-json,page_ping,2025-01-06 09:00:35,,,duid-9,/news/s,[{not json,\n");

        SnowplowRows.Result r = SnowplowRows.read(file);

        assertThat(r.warehouse()).isTrue();
        assertThat(r.rows()).isEqualTo(6);
        assertThat(r.skipped().byReason())
                .containsEntry(SkipReason.BAD_TIME, 1L)
                .containsEntry(SkipReason.INVALID, 1L);
        // the same lines as the enriched TSV of this page view (no user_id column here)
        assertThat(r.lines())
                .extracting(SnowplowRows.Line::line)
                .containsExactly(
                        line("page_view", 0).set("user_id", "").text(),
                        line("page_ping", 5).set("user_id", "").text(),
                        line("page_ping", 15).set("user_id", "").text(),
                        line("page_ping", 25).set("user_id", "").text());
        List<SnowplowLine> back = parsed(r);
        assertThat(back.get(0).get(SnowplowLine.CONTEXTS))
                .isEqualTo("{\"schema\":\"iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0\",\"data\":["
                        + "{\"schema\":\"iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0\","
                        + "\"data\":{\"id\":\"pv-s\"}}]}");
        assertThat(back.get(3).tstamp(SnowplowLine.DVCE_CREATED_TSTAMP)).isEqualTo(B.plusSeconds(25));
        assertThat(back.get(0).get(SnowplowLine.DERIVED_TSTAMP)).isEqualTo("2025-01-06 09:00:00.100");
    }

    @Test
    void layoutIsTheFirstLine() throws Exception {
        Path csv = dir.resolve("a.csv");
        Files.writeString(csv, "\"event_id\",\"event\"\n");
        Path tsv = dir.resolve("a.tsv");
        Files.writeString(tsv, line("page_view", 0).text());
        assertThat(SnowplowRows.isWarehouseCsv(csv)).isTrue();
        assertThat(SnowplowRows.isWarehouseCsv(tsv)).isFalse();
        assertThatThrownBy(() -> SnowplowRows.checkLayout(csv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a derived_tstamp or collector_tstamp column");
        Path empty = dir.resolve("empty.tsv");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> SnowplowRows.checkLayout(empty)).hasMessageContaining("is empty");
    }

    @Test
    void aFileOfBadLinesIsRejected() throws Exception {
        Path file = dir.resolve("bad.tsv");
        Files.writeString(file, "a\tb\n");
        assertThatThrownBy(() -> SnowplowRows.readAccepted(file, 5))
                .isInstanceOf(SkippedRows.RejectedDatasetException.class)
                .hasMessageContaining("no event in 1 rows");
        assertThatThrownBy(() -> SnowplowRows.readAccepted(file, 0)).hasMessageContaining("more than --max-skipped 0");
    }
}
