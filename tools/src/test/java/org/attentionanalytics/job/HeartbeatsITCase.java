package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.DwellKind;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.local.DatasetPublisher;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.OutputFiles;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.replay.DatasetReplay;
import org.attentionanalytics.replay.ReplayOptions;
import org.attentionanalytics.replay.ReplayResult;
import org.attentionanalytics.replay.SkipReason;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.KafkaFixtures.Raw;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.SnowplowLines;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Page pings through Kafka (DESIGN.md sections 2 and 5): Avro DwellEvents of kind HEARTBEAT with
 * a page-view id, a re-sent page view, a second tab, and a DWELL without {@code dwell_ms}, read by
 * the job's doors from a real broker and written to real topics.
 *
 * <p>fay, B = 09:00:00 UTC (a multiple of the 10-s heartbeat): VIEW f (pv-f) at B, the same page
 * view re-sent at B+1 s under another event id (dropped: {@code duplicateViews} 1), pings of pv-f
 * at B+5, B+15, B+25, B+27 s (scroll 10, 30, 60, 70), VIEW g (pv-g) at B+60 s, one more ping of pv-f
 * at B+65 s (the first tab is still read). Buckets of pv-f (10 s): B+5 -> 0, B+15 -> 1, B+25 and
 * B+27 -> 2 (counted once), B+65 -> 6: 5 s min-visit + 3 x 10 s = 35 s, 25 s of it before g starts.
 * Session: 2 views, 8 events (2 VIEWs, 5 pings, the re-sent view: an event, no view), engaged 35 s, not a
 * bounce.
 */
class HeartbeatsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Instant B = Instant.parse("2025-01-06T09:00:00Z");

    static EmbeddedKafka kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void shareKafka() {
        kafka = SharedKafka.get();
    }

    static ClickEvent view(String id, String item, String viewId, Instant at) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId("fay")
                .setEventTime(at)
                .setEventType(EventType.VIEW)
                .setItemId(item)
                .setTopics(List.of("sports"))
                .setViewId(viewId)
                .build();
    }

    static DwellEvent ping(String id, String item, String viewId, Instant at, Integer scroll) {
        return DwellEvent.newBuilder()
                .setEventId(id)
                .setUserId("fay")
                .setEventTime(at)
                .setItemId(item)
                .setKind(DwellKind.HEARTBEAT)
                .setViewId(viewId)
                .setScrollDepthPct(scroll)
                .build();
    }

    @Test
    void pagePingsAndPageViewIdsThroughKafka() throws Exception {
        JobOptions options =
                TestJobs.boundedOptions(kafka, dir, "hb-key\n", SharedKafka.prefix(HeartbeatsITCase.class, "pings"));
        String c = options.clickstreamTopic;
        String d = options.dwellTopic;
        List<Raw> in = List.of(
                Raw.of(c, "fay", view("f1", "f", "pv-f", B)),
                Raw.of(c, "fay", view("f2", "f", "pv-f", B.plusSeconds(1))),
                Raw.of(d, "fay", ping("p1", "f", "pv-f", B.plusSeconds(5), 10)),
                Raw.of(d, "fay", ping("p2", "f", "pv-f", B.plusSeconds(15), 30)),
                Raw.of(d, "fay", ping("p3", "f", "pv-f", B.plusSeconds(25), 60)),
                Raw.of(d, "fay", ping("p4", "f", "pv-f", B.plusSeconds(27), 70)),
                Raw.of(c, "fay", view("g1", "g", "pv-g", B.plusSeconds(60))),
                Raw.of(d, "fay", ping("p5", "f", "pv-f", B.plusSeconds(65), null)),
                // a DWELL needs dwell_ms: a dead letter, not a silent zero
                Raw.of(
                        d,
                        "fay",
                        DwellEvent.newBuilder(ping("p6", "f", "pv-f", B.plusSeconds(66), null))
                                .setKind(DwellKind.DWELL)
                                .build()));
        KafkaFixtures.produce(kafka.bootstrapServers(), in);

        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobExecutionResult result = TestJobs.run(options, noRestarts);
        assertThat(((Number) result.getAllAccumulatorResults().get(PipelineCounters.DUPLICATE_VIEWS)).longValue())
                .isEqualTo(1);
        Path out = dir.resolve("out");
        OutputFiles.write(options, out, 0, 0, 0);
        ObjectMapper json = new ObjectMapper();

        String fay = new Pseudonymizer("hb-key".getBytes(StandardCharsets.UTF_8)).pseudonym("fay");
        String session = Hashes.sessionId(fay, B.toEpochMilli());
        JsonNode closed = null;
        for (String line : Files.readAllLines(out.resolve(options.sessionsTopic + ".jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.get("status").asText().equals("CLOSED")) {
                closed = n;
            }
        }
        assertThat(closed).isNotNull();
        assertThat(closed.get("session_id").asText()).isEqualTo(session);
        assertThat(closed.get("views").asInt()).isEqualTo(2);
        assertThat(closed.get("event_count").asInt()).isEqualTo(8);
        assertThat(closed.get("engaged_ms").asLong()).isEqualTo(35_000);
        assertThat(closed.get("bounce").asBoolean()).isFalse();

        String pageView = """
        {"_key": "%1$s", "view_id": "%2$s", "session_id": "%3$s", "user": "%1$s", "item_id": "%4$s", "topics": ["sports"],
         "start": "%5$s", "last_activity": "%6$s", "engaged_ms": %7$d, "absolute_ms": %8$d, "max_scroll_pct": %9$s,
         "status": "%10$s"}
        """;
        List<JsonNode> views = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(options.pageViewsTopic + ".jsonl"))) {
            views.add(json.readTree(line));
        }
        String t0 = "2025-01-06T09:00:00.000Z";
        String t60 = "2025-01-06T09:01:00.000Z";
        assertThat(views)
                .as("pv-f when g starts (25 s by then), again after its late tab ping, both views at the close")
                .containsExactly(
                        json.readTree(pageView.formatted(
                                fay,
                                "pv-f",
                                session,
                                "f",
                                t0,
                                "2025-01-06T09:00:27.000Z",
                                25_000,
                                27_000,
                                "70",
                                "OPEN")),
                        json.readTree(pageView.formatted(
                                fay,
                                "pv-f",
                                session,
                                "f",
                                t0,
                                "2025-01-06T09:01:05.000Z",
                                35_000,
                                65_000,
                                "70",
                                "OPEN")),
                        json.readTree(pageView.formatted(
                                fay,
                                "pv-f",
                                session,
                                "f",
                                t0,
                                "2025-01-06T09:01:05.000Z",
                                35_000,
                                65_000,
                                "70",
                                "CLOSED")),
                        json.readTree(pageView.formatted(fay, "pv-g", session, "g", t60, t60, 0, 0, "null", "CLOSED")));

        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("dead_letters").get("MISSING_FIELD").asInt()).isEqualTo(1);
        JsonNode dead = json.readTree(
                Files.readAllLines(out.resolve(options.dlqTopic + ".jsonl")).get(0));
        assertThat(dead.get("reason").asText()).isEqualTo("MISSING_FIELD");
        assertThat(dead.get("detail").asText()).isEqualTo("dwell_ms is required for a DWELL");
    }

    /**
     * The same reading through Snowplow's enriched stream ({@code --snowplow}): a page_view of pv-s
     * and page_pings created at B+5, B+15, B+25 s, one enriched TSV line each, through a real topic.
     * Snowplow's model ({@code engaged_time_in_s = heartbeat * (distinct buckets - 1) +
     * min_visit_length}): 10 * (3 - 1) + 5 = 25 s, one page view, one session of 4 events; the
     * user is {@code domain_userid} (no {@code user_id}), the item {@code page_urlpath}.
     */
    @Test
    void snowplowEnrichedLinesThroughKafka() throws Exception {
        String prefix = SharedKafka.prefix(HeartbeatsITCase.class, "snowplow");
        JobOptions options = TestJobs.boundedOptions(kafka, dir.resolve("snowplow"), "hb-key\n", prefix);
        options.snowplow = true;
        options.snowplowTopic = prefix + "snowplow-enriched";
        List<Raw> in = new ArrayList<>();
        for (SnowplowLines line : List.of(
                snowplow("page_view", 0),
                snowplow("page_ping", 5),
                snowplow("page_ping", 15),
                snowplow("page_ping", 25))) {
            in.add(new Raw(options.snowplowTopic, "203.0.113.9", line.bytes()));
        }
        KafkaFixtures.produce(kafka.bootstrapServers(), in);
        Path out = runAndWrite(options, "snowplow-out");

        String user = new Pseudonymizer("hb-key".getBytes(StandardCharsets.UTF_8)).pseudonym("duid-9");
        assertThat(jsonLines(out.resolve(options.pageViewsTopic + ".jsonl")))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.get("user").asText()).isEqualTo(user);
                    assertThat(v.get("view_id").asText()).isEqualTo("pv-s");
                    assertThat(v.get("item_id").asText()).isEqualTo("/news/s");
                    assertThat(v.get("engaged_ms").asLong()).isEqualTo(25_000);
                    assertThat(v.get("status").asText()).isEqualTo("CLOSED");
                    // the page_view's time is its derived_tstamp (B + 100 ms), a ping's its dvce_created_tstamp
                    assertThat(v.get("start").asText()).isEqualTo("2025-01-06T09:00:00.100Z");
                    assertThat(v.get("last_activity").asText()).isEqualTo("2025-01-06T09:00:25.000Z");
                    assertThat(v.get("absolute_ms").asLong()).isEqualTo(24_900);
                    assertThat(v.get("max_scroll_pct").isNull()).isTrue();
                });
        List<JsonNode> sessions = jsonLines(out.resolve(options.sessionsTopic + ".jsonl"));
        JsonNode session = sessions.get(sessions.size() - 1);
        assertThat(session.get("status").asText()).isEqualTo("CLOSED");
        assertThat(session.get("event_count").asInt()).isEqualTo(4);
        assertThat(session.get("engaged_ms").asLong()).isEqualTo(25_000);
        assertThat(Files.readString(out.resolve(options.dlqTopic + ".jsonl"))).isBlank();
    }

    /**
     * The replay kind {@code snowplow} through Kafka and the door: the page view of {@link
     * #snowplowEnrichedLinesThroughKafka} as a warehouse CSV (shuffled rows, warehouse timestamp
     * spellings, the web_page context as its own column, one bad row), replayed by {@link
     * DatasetReplay} to the Snowplow topic: the same page view, engaged 25 s.
     */
    @Test
    void snowplowWarehouseCsvReplayedThroughTheDoor() throws Exception {
        String prefix = SharedKafka.prefix(HeartbeatsITCase.class, "snowplow-replay");
        JobOptions options = TestJobs.boundedOptions(kafka, dir.resolve("snowplow-replay"), "hb-key\n", prefix);
        options.snowplow = true;
        options.snowplowTopic = prefix + "snowplow-enriched";
        String page = ",duid-9,sess-9,/news/s,\"[{\"\"id\"\":\"\"pv-s\"\"}]\"," + FIREFOX + "\n";
        Path csv = dir.resolve("snowplow-events.csv");
        Files.writeString(
                csv,
                "event_id,event,collector_tstamp,derived_tstamp,dvce_created_tstamp,domain_userid,domain_sessionid,"
                        + "page_urlpath,contexts_com_snowplowanalytics_snowplow_web_page_1_0_0,useragent\n"
                        + "sp-page_ping-15,page_ping,2025-01-06 09:00:15.900,2025-01-06 09:00:15.100,"
                        + "2025-01-06 09:00:15.000" + page
                        + "sp-page_view-0,page_view,2025-01-06T09:00:00.900Z,2025-01-06T09:00:00.100Z,"
                        + "2025-01-06T09:00:00Z" + page
                        + "sp-page_ping-25,page_ping,2025-01-06 09:00:25.900000 UTC,2025-01-06 09:00:25.100000 UTC,"
                        + "2025-01-06 09:00:25.000000 UTC" + page
                        + "sp-bad,page_ping,not a time,,,duid-9,sess-9,/news/s,,\n"
                        + "sp-page_ping-5,page_ping,2025-01-06 09:00:05.900,2025-01-06 09:00:05.100,"
                        + "2025-01-06 09:00:05" + page);
        Properties producer = new Properties();
        producer.put("bootstrap.servers", kafka.bootstrapServers());
        ReplayResult published = DatasetPublisher.KAFKA_REPLAY.publish(
                ReplayOptions.parse("--dataset", "snowplow:" + csv, "--max-skipped", "1"), producer, options, false);
        assertThat(published.snowplowLines()).isEqualTo(4);
        assertThat(published.rows()).isEqualTo(5);
        assertThat(published.skippedByReason()).containsEntry(SkipReason.BAD_TIME, 1L);
        assertThat(published.clicks() + published.dwells()).isZero();

        Path out = runAndWrite(options, "snowplow-replay-out");
        String user = new Pseudonymizer("hb-key".getBytes(StandardCharsets.UTF_8)).pseudonym("duid-9");
        assertThat(jsonLines(out.resolve(options.pageViewsTopic + ".jsonl")))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.get("user").asText()).isEqualTo(user);
                    assertThat(v.get("view_id").asText()).isEqualTo("pv-s");
                    assertThat(v.get("item_id").asText()).isEqualTo("/news/s");
                    assertThat(v.get("engaged_ms").asLong()).isEqualTo(25_000);
                    assertThat(v.get("start").asText()).isEqualTo("2025-01-06T09:00:00.100Z");
                    assertThat(v.get("last_activity").asText()).isEqualTo("2025-01-06T09:00:25.000Z");
                });
        assertThat(Files.readString(out.resolve(options.dlqTopic + ".jsonl"))).isBlank();
    }

    /** Runs the bounded job without restarts and writes its output topics to {@code dir/name}. */
    static Path runAndWrite(JobOptions options, String name) throws Exception {
        return runAndWrite(options, dir.resolve(name));
    }

    /** Runs the bounded job without restarts and writes its output topics to {@code out}. */
    static Path runAndWrite(JobOptions options, Path out) throws Exception {
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        TestJobs.run(options, noRestarts);
        OutputFiles.write(options, out, 0, 0, 0);
        return out;
    }

    /** The records of an output file, in file order. */
    static List<JsonNode> jsonLines(Path file) throws java.io.IOException {
        return OutputLines.read(file);
    }

    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    /** An enriched line of {@code event} created at B + {@code seconds}, page view pv-s of user duid-9. */
    static SnowplowLines snowplow(String event, int seconds) {
        Instant t = B.plusSeconds(seconds);
        return SnowplowLines.line()
                .set("app_id", "news")
                .set("platform", "web")
                .set("collector_tstamp", t.plusMillis(900))
                .set("dvce_created_tstamp", t)
                .set("derived_tstamp", t.plusMillis(100))
                .set("event", event)
                .set("event_id", "sp-" + event + "-" + seconds)
                .set("domain_userid", "duid-9")
                .set("user_ipaddress", "203.0.113.9")
                .set("page_url", "https://news.example/news/s?ref=x")
                .set("page_urlpath", "/news/s")
                .set("useragent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .set("domain_sessionid", "sess-9")
                .webPage("pv-s");
    }
}
