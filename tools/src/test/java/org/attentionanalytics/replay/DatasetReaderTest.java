package org.attentionanalytics.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.junit.jupiter.api.Test;

/** Each dataset kind on a small fixture in {@code src/test/resources/replay/}: exact events, in event-time order. */
class DatasetReaderTest {

    static Path fixture(String name) {
        try {
            return Path.of(
                    DatasetReaderTest.class.getResource("/replay/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static DatasetReader.Result read(String kind, String file, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--dataset", kind + ":" + fixture(file)));
        args.addAll(List.of(more));
        return DatasetReader.read(ReplayOptions.parse(args.toArray(String[]::new)));
    }

    static List<SpecificRecordBase> records(DatasetReader.Result r) {
        return r.events().stream().map(ReplayEvent::record).toList();
    }

    /**
     * The view id an EB-NeRD row gives its VIEW and its DwellEvent: the VIEW's event id (EbnerdRows);
     * null for the other datasets.
     */
    static String ebnerdViewId(String eventId) {
        boolean ebnerd = eventId.startsWith("history.csv:") || eventId.startsWith("behaviors.csv:");
        boolean viewOrDwell = eventId.endsWith(":view") || eventId.endsWith(":dwell");
        return ebnerd && viewOrDwell ? eventId.replaceFirst(":dwell$", ":view") : null;
    }

    static ClickEvent click(
            String id, String user, String utc, EventType type, String item, List<String> topics, String zone) {
        return ClickEvent.newBuilder()
                .setViewId(ebnerdViewId(id))
                .setEventId(id)
                .setUserId(user)
                .setEventTime(Instant.parse(utc))
                .setEventType(type)
                .setItemId(item)
                .setTopics(topics)
                .setTimeZone(zone)
                .build();
    }

    static DwellEvent dwell(
            String id,
            String user,
            String utcEnd,
            String item,
            long ms,
            Integer scroll,
            List<String> topics,
            String zone) {
        return DwellEvent.newBuilder()
                .setViewId(ebnerdViewId(id))
                .setEventId(id)
                .setUserId(user)
                .setEventTime(Instant.parse(utcEnd))
                .setItemId(item)
                .setDwellMs(ms)
                .setScrollDepthPct(scroll)
                .setTopics(topics)
                .setTimeZone(zone)
                .build();
    }

    // The file is sorted by user (200 before 100); row 3 has no valid time; rows 4 and 5 are identical.
    @Test
    void ebnerdHistoryInUtcSortedByEventTime() throws Exception {
        DatasetReader.Result r = read("ebnerd-history", "history.csv");

        assertThat(r.rows()).isEqualTo(5);
        assertThat(r.skippedRows()).isEqualTo(1);
        assertThat(r.skipped().examples()).containsExactly("row 3: bad_time: time 'not-a-time' is not ISO-8601");
        assertThat(records(r))
                .containsExactly(
                        click(
                                "history.csv:1:view",
                                "200",
                                "2023-02-02T07:20:24Z",
                                EventType.VIEW,
                                "9615953",
                                List.of(),
                                null),
                        click(
                                "history.csv:4:view",
                                "100",
                                "2023-02-02T07:20:30Z",
                                EventType.VIEW,
                                "9615000",
                                List.of(),
                                null),
                        click(
                                "history.csv:5:view",
                                "100",
                                "2023-02-02T07:20:30Z",
                                EventType.VIEW,
                                "9615000",
                                List.of(),
                                null),
                        dwell(
                                "history.csv:1:dwell",
                                "200",
                                "2023-02-02T07:20:37Z",
                                "9615953",
                                13_000,
                                16,
                                List.of(),
                                null),
                        dwell(
                                "history.csv:4:dwell",
                                "100",
                                "2023-02-02T07:20:50Z",
                                "9615000",
                                20_000,
                                67,
                                List.of(),
                                null),
                        dwell(
                                "history.csv:5:dwell",
                                "100",
                                "2023-02-02T07:20:50Z",
                                "9615000",
                                20_000,
                                67,
                                List.of(),
                                null),
                        // read_time_s 0 still gives a DwellEvent; empty scroll_percentage gives null
                        click(
                                "history.csv:2:view",
                                "200",
                                "2023-02-02T09:00:00Z",
                                EventType.VIEW,
                                "9614381",
                                List.of(),
                                null),
                        dwell(
                                "history.csv:2:dwell",
                                "200",
                                "2023-02-02T09:00:00Z",
                                "9614381",
                                0,
                                null,
                                List.of(),
                                null));
        assertThat(r.clicks()).isEqualTo(4);
        assertThat(r.dwells()).isEqualTo(4);
    }

    @Test
    void ebnerdHistoryInCopenhagenTime() throws Exception {
        DatasetReader.Result r = read("ebnerd-history", "history.csv", "--time-zone", "Europe/Copenhagen");

        // 2023-02-02 is winter time: CET = UTC+1
        assertThat(r.events().get(0).record())
                .isEqualTo(click(
                        "history.csv:1:view",
                        "200",
                        "2023-02-02T06:20:24Z",
                        EventType.VIEW,
                        "9615953",
                        List.of(),
                        "Europe/Copenhagen"));
        assertThat(r.events().get(3).record())
                .isEqualTo(dwell(
                        "history.csv:1:dwell",
                        "200",
                        "2023-02-02T06:20:37Z",
                        "9615953",
                        13_000,
                        16,
                        List.of(),
                        "Europe/Copenhagen"));
        assertThat(r.events())
                .extracting(ReplayEvent::eventTime)
                .last()
                .isEqualTo(Instant.parse("2023-02-02T08:00:00Z"));
    }

    // Row 1: front page (empty article_id) with one click; row 2: read time 0 and two clicks;
    // row 3: no clicks, scroll 55.5 -> 56; row 4: empty impression_time (skipped).
    @Test
    void ebnerdBehaviors() throws Exception {
        DatasetReader.Result r = read("ebnerd-behaviors", "behaviors.csv");

        assertThat(r.skippedRows()).isEqualTo(1);
        assertThat(records(r))
                .containsExactly(
                        click(
                                "behaviors.csv:1:view",
                                "11871",
                                "2023-02-23T07:45:40Z",
                                EventType.VIEW,
                                "frontpage",
                                List.of(),
                                null),
                        click(
                                "behaviors.csv:1:click:9647273",
                                "11871",
                                "2023-02-23T07:45:40Z",
                                EventType.CLICK,
                                "9647273",
                                List.of(),
                                null),
                        dwell(
                                "behaviors.csv:1:dwell",
                                "11871",
                                "2023-02-23T07:45:48Z",
                                "frontpage",
                                8_000,
                                null,
                                List.of(),
                                null),
                        click(
                                "behaviors.csv:3:view",
                                "22000",
                                "2023-02-23T07:46:00Z",
                                EventType.VIEW,
                                "9647000",
                                List.of(),
                                null),
                        dwell(
                                "behaviors.csv:3:dwell",
                                "22000",
                                "2023-02-23T07:46:30Z",
                                "9647000",
                                30_000,
                                56,
                                List.of(),
                                null),
                        click(
                                "behaviors.csv:2:view",
                                "11871",
                                "2023-02-23T07:46:59Z",
                                EventType.VIEW,
                                "9647273",
                                List.of(),
                                null),
                        click(
                                "behaviors.csv:2:click:9647281",
                                "11871",
                                "2023-02-23T07:46:59Z",
                                EventType.CLICK,
                                "9647281",
                                List.of(),
                                null),
                        click(
                                "behaviors.csv:2:click:9647286",
                                "11871",
                                "2023-02-23T07:46:59Z",
                                EventType.CLICK,
                                "9647286",
                                List.of(),
                                null),
                        // same instant as the row's clicks (read time 0): the dwell comes after them
                        dwell(
                                "behaviors.csv:2:dwell",
                                "11871",
                                "2023-02-23T07:46:59Z",
                                "9647273",
                                0,
                                100,
                                List.of(),
                                null));
    }

    // Row 1 has an empty category_code; row 4 an unknown event type; row 5 hour 25 (skipped).
    @Test
    void rees46() throws Exception {
        DatasetReader.Result r = read("rees46", "rees46.csv");

        assertThat(r.skippedRows()).isEqualTo(1);
        List<String> kettle = List.of("appliances.environment.water_heater");
        assertThat(records(r))
                .containsExactly(
                        click(
                                "rees46.csv:2:add_to_cart",
                                "554748717",
                                "2019-10-01T00:00:00Z",
                                EventType.ADD_TO_CART,
                                "3900821",
                                kettle,
                                null),
                        click(
                                "rees46.csv:1:view",
                                "541312140",
                                "2019-10-01T00:00:05Z",
                                EventType.VIEW,
                                "44600062",
                                List.of("category:2103807459595387724"),
                                null),
                        click(
                                "rees46.csv:3:purchase",
                                "554748717",
                                "2019-10-01T00:00:05Z",
                                EventType.PURCHASE,
                                "3900821",
                                kettle,
                                null),
                        click(
                                "rees46.csv:4:other",
                                "554748717",
                                "2019-10-01T00:00:07Z",
                                EventType.OTHER,
                                "3900821",
                                List.of("category:2053013552326770905"),
                                null));
        assertThat(r.dwells()).isZero();
    }

    @Test
    void rees46TimesCarryTheirZoneSoTimeZoneOnlySetsTheField() throws Exception {
        DatasetReader.Result r = read("rees46", "rees46.csv", "--time-zone", "Europe/Copenhagen");

        ClickEvent first = r.events().get(0).click();
        assertThat(first.getEventTime()).isEqualTo(Instant.parse("2019-10-01T00:00:00Z"));
        assertThat(first.getTimeZone()).isEqualTo("Europe/Copenhagen");
    }

    // Naive times in Copenhagen across the spring DST change (2024-03-31 02:00 CET -> 03:00 CEST).
    @Test
    void csvWithColumnsPatternAndEventTypes() throws Exception {
        DatasetReader.Result r = read(
                "csv",
                "custom.csv",
                "--separator",
                ";",
                "--time-zone",
                "Europe/Copenhagen",
                "--columns",
                "event_time=0,user_id=1,event_type=2,item_id=3,topic=4,dwell_ms=5",
                "--time-format",
                "yyyy-MM-dd HH:mm:ss",
                "--event-types",
                "pv=VIEW,heartbeat=DWELL,hb=dwell,buy=PURCHASE");

        String cph = "Europe/Copenhagen";
        List<String> news = List.of("news");
        assertThat(r.rows()).isEqualTo(7);
        assertThat(r.skippedRows()).isEqualTo(2); // row 6: DWELL without dwell_ms; row 7: time not in the pattern
        assertThat(r.skipped().examples())
                .containsExactly(
                        "row 6: invalid: DWELL row without dwell_ms",
                        "row 7: bad_time: time '31.03.2024' is not yyyy-MM-dd HH:mm:ss");
        assertThat(records(r))
                .containsExactly(
                        click("custom.csv:1:view", "u1", "2024-03-31T00:59:00Z", EventType.VIEW, "/home", news, cph),
                        dwell("custom.csv:1:dwell", "u1", "2024-03-31T00:59:01.500Z", "/home", 1_500, null, news, cph),
                        dwell("custom.csv:2:dwell", "u1", "2024-03-31T01:01:00Z", "/home", 5_000, null, news, cph),
                        click(
                                "custom.csv:3:purchase",
                                "u2",
                                "2024-03-31T01:02:00Z",
                                EventType.PURCHASE,
                                "/sku/1",
                                List.of(),
                                cph),
                        click(
                                "custom.csv:4:share",
                                "u2",
                                "2024-03-31T01:03:00Z",
                                EventType.SHARE,
                                "/sku/1",
                                List.of(),
                                cph), // upper-cased raw
                        click(
                                "custom.csv:5:other",
                                "u2",
                                "2024-03-31T01:04:00Z",
                                EventType.OTHER,
                                "/sku/1",
                                List.of(),
                                cph));
    }

    // Columns from the header; no event_type column: VIEWs; ISO-8601 with offsets; row 3 is epoch ms (skipped).
    @Test
    void csvColumnsFromHeader() throws Exception {
        DatasetReader.Result r = read("csv", "header.csv");

        assertThat(r.skippedRows()).isEqualTo(1);
        assertThat(records(r))
                .containsExactly(
                        click("header.csv:1:view", "b", "2024-01-01T10:00:00Z", EventType.VIEW, "i2", List.of(), null),
                        click("header.csv:2:view", "a", "2024-01-01T10:00:00Z", EventType.VIEW, "i1", List.of(), null),
                        dwell("header.csv:1:dwell", "b", "2024-01-01T10:00:02Z", "i2", 2_000, null, List.of(), null));
    }

    @Test
    void csvWithoutHeader() throws Exception {
        DatasetReader.Result r = read("csv", "header.csv", "--no-header", "--columns", "user_id=0,event_time=1");

        // the header row is data now, and malformed like the epoch row
        assertThat(r.rows()).isEqualTo(4);
        assertThat(r.skippedRows()).isEqualTo(2);
        assertThat(r.events())
                .extracting(ReplayEvent::eventId)
                .containsExactly("header.csv:2:view", "header.csv:3:view");
    }

    @Test
    void optionsThatDoNotFitTheFileAreFatal() {
        assertThatThrownBy(() -> read("rees46", "history.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("history.csv is not rees46")
                .hasMessageContaining("event_type");
        assertThatThrownBy(() -> read("csv", "custom.csv", "--separator", ";"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user_id and event_time");
        assertThatThrownBy(() -> read("csv", "header.csv", "--event-types", "x=LIKE"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown type 'LIKE'");
        assertThatThrownBy(() -> read("csv", "header.csv", "--columns", "user_id=0,event_time=1,price=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("price=2");
    }

    /** What the local runner checks before it starts: the header (and without one the first row), not the whole file. */
    @Test
    void theLayoutIsCheckedFromTheHeaderAndFirstRow() throws Exception {
        DatasetReader.checkLayout(ReplayOptions.parse("--dataset", "csv:" + fixture("header.csv")));
        DatasetReader.checkLayout(ReplayOptions.parse("--dataset", "ebnerd-history:" + fixture("history.csv")));
        assertThatThrownBy(() -> DatasetReader.checkLayout(ReplayOptions.parse(
                        "--dataset",
                        "csv:" + fixture("header.csv"),
                        "--no-header",
                        "--columns",
                        "user_id=0,event_time=4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--columns event_time=4: header.csv's first row has 4 columns (indexes 0 to 3)");
        assertThatThrownBy(() -> DatasetReader.checkLayout(
                        ReplayOptions.parse("--dataset", "csv:" + fixture("header.csv"), "--columns", "user_id=0")))
                .hasMessage(
                        "csv needs user_id and event_time columns: name them so in the header row, or map them with "
                                + "--columns user_id=INDEX,event_time=INDEX (0-based); --columns has user_id");
        assertThatThrownBy(() -> read("csv", "header.csv", "--columns", "user_id=0,event_time=9"))
                .as("the replay refuses it too, instead of skipping every row")
                .hasMessageStartingWith("--columns event_time=9: ");
    }

    /** EB-NeRD's read_time_s and scroll_percentage are strict numbers too: a bad one is a bad_number row. */
    @Test
    void ebnerdNumbersAreStrict(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("history.csv");
        java.nio.file.Files.writeString(f, """
                user_id,impression_time,article_id,read_time_s,scroll_percentage
                1,2023-02-02T07:20:24,9,NaN,16
                1,2023-02-02T07:20:24,9,13,1e2
                1,2023-02-02T07:20:24,9,Infinity,
                1,2023-02-02T07:20:24,9,9223372036854776,
                1,2023-02-02T07:20:24,9,1.5,99.5
                """);

        DatasetReader.Result r = DatasetReader.read(ReplayOptions.parse("--dataset", "ebnerd-history:" + f));

        assertThat(r.skipped().examples())
                .containsExactly(
                        "row 1: bad_number: read_time_s 'NaN' is not a number",
                        "row 2: bad_number: scroll_percentage '1e2' is not a number",
                        "row 3: bad_number: read_time_s 'Infinity' is not a number",
                        "row 4: bad_number: read_time_s '9223372036854776' is out of range");
        assertThat(records(r))
                .containsExactly(
                        click("history.csv:5:view", "1", "2023-02-02T07:20:24Z", EventType.VIEW, "9", List.of(), null),
                        dwell("history.csv:5:dwell", "1", "2023-02-02T07:20:25.500Z", "9", 1500, 100, List.of(), null));
    }
}
