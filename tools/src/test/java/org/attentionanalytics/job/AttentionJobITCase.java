package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.OutputFiles;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.KafkaFixtures.Raw;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job through a real Kafka broker on a real MiniCluster (RocksDB, exactly-once sinks,
 * {@code pipeline.generic-types: false}, no restarts allowed): Avro events including bad ones in,
 * sessions, page views and dead letters read back {@code read_committed}, exact values.
 */
class AttentionJobITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static EmbeddedKafka kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void shareKafka() {
        kafka = SharedKafka.get();
    }

    /**
     * A fixed past instant, a whole minute at 09:00 UTC, so that every event of the test falls on
     * one UTC day whenever it runs (the watermark's clock cap only holds back times in the future).
     */
    static final Instant B = Instant.parse("2025-01-06T09:00:00Z");

    static ClickEvent click(String id, String user, EventType type, String item, Instant at, String... topics) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setEventType(type)
                .setItemId(item)
                .setTopics(List.of(topics))
                .setIp("192.0.2.1")
                .setUserAgent("Mozilla/5.0")
                .build();
    }

    static DwellEvent dwell(String id, String user, String item, long ms, Instant at) {
        return DwellEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setItemId(item)
                .setDwellMs(ms)
                .build();
    }

    @Test
    void eventsAndBadRecordsThroughKafka() throws Exception {
        String prefix = SharedKafka.prefix(AttentionJobITCase.class, "events"); // own topics on the shared broker
        JobOptions options =
                TestJobs.boundedOptions(kafka, dir, "it-key\n", prefix); // one trailing newline is stripped
        // No noise (epsilon 1e300): the topic trends are exact, and with 5 users no category reaches
        // the 20 users of the suppression threshold, so none is released. With the default epsilon a
        // category may pass by noise alone (about 7% each), which a fixed count cannot allow.
        options.trendsEpsilon = 1e300;

        String c = options.clickstreamTopic;
        String d = options.dwellTopic;
        List<Raw> in = new ArrayList<>(List.of(
                // alice: one reading session, VIEW a (sports) 20 s, VIEW b (news) 5 s; VIEW a sent twice
                Raw.of(c, "alice", click("a1", "alice", EventType.VIEW, "a", B, "sports")),
                Raw.of(c, "alice", click("a1", "alice", EventType.VIEW, "a", B, "sports")),
                Raw.of(d, "alice", dwell("a2", "alice", "a", 20_000, B.plusSeconds(20))),
                Raw.of(c, "alice", click("a3", "alice", EventType.VIEW, "b", B.plusSeconds(60), "news")),
                Raw.of(d, "alice", dwell("a4", "alice", "b", 5_000, B.plusSeconds(65))),
                // bob: two bounces 40 min apart (the second is produced last, see below)
                Raw.of(c, "bob", click("b1", "bob", EventType.VIEW, "x", B)),
                // dave: [valid, 5 random bytes, foreign schema, valid, valid] in one partition
                Raw.of(c, "dave", click("d1", "dave", EventType.VIEW, "p", B)),
                new Raw(c, "dave", KafkaFixtures.fiveRandomBytes()),
                new Raw(c, "dave", KafkaFixtures.foreignSchemaRecord()),
                Raw.of(c, "dave", click("d2", "dave", EventType.CLICK, "p", B.plusSeconds(1))),
                Raw.of(c, "dave", click("d3", "dave", EventType.PURCHASE, "p", B.plusSeconds(2))),
                // one bad record per other reason the source judges, and a bot
                Raw.of(c, "erin", click("", "erin", EventType.VIEW, "q", B)),
                Raw.of(d, "erin", dwell("e1", "erin", "q", -5, B)),
                Raw.of(d, "erin", dwell("e2", "erin", "q", 5 * 3_600_000L, B)),
                Raw.of(
                        c,
                        "erin",
                        click("e3", "erin", EventType.VIEW, "q", Instant.now().plus(2, ChronoUnit.DAYS))),
                Raw.of(
                        c,
                        "erin",
                        ClickEvent.newBuilder(click("e4", "erin", EventType.VIEW, "q", B))
                                .setTimeZone("Mars/Olympus")
                                .build()),
                Raw.of(
                        c,
                        "crawler",
                        ClickEvent.newBuilder(click("g1", "crawler", EventType.VIEW, "q", B))
                                .setUserAgent("Mozilla/5.0 (compatible; Googlebot/2.1)")
                                .build()),
                // Last: bob, dave and erin share a partition (Kafka's default partitioner, 2 partitions),
                // whose watermark this event takes 40 min ahead. Produced before dave's events, it
                // made them TOO_LATE whenever a periodic watermark went out between them (under load).
                Raw.of(c, "bob", click("b2", "bob", EventType.VIEW, "y", B.plusSeconds(40 * 60)))));
        KafkaFixtures.produce(kafka.bootstrapServers(), in);

        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a restart would fail the test
        JobExecutionResult result = TestJobs.run(options, noRestarts);
        long duplicates =
                ((Number) result.getAllAccumulatorResults().getOrDefault(PipelineCounters.DUPLICATES, 0L)).longValue();
        long duplicateViews = ((Number)
                        result.getAllAccumulatorResults().getOrDefault(PipelineCounters.DUPLICATE_VIEWS, 0L))
                .longValue();
        long bots = ((Number) result.getAllAccumulatorResults().getOrDefault(PipelineCounters.BOTS, 0L)).longValue();

        Path out = dir.resolve("out");
        OutputFiles.write(options, out, duplicates, duplicateViews, bots);
        ObjectMapper json = new ObjectMapper();
        // Sessions: alice OPEN (minute of B), OPEN (B+1 min), CLOSED; bob 2 x (OPEN, CLOSED); dave OPEN, CLOSED.
        // Interest vectors: only alice has topics: her first view; the news view in the next minute
        // (cosine distance 0.068); the session close. Her last dwell (distance 0.016) is held in that
        // minute and goes out with the close.
        // Daily reports (UTC, the default zone): one per user and day with events: alice, bob and dave,
        // all on 2025-01-06. No alerts: nobody comes near a threshold.
        // Page views: alice's a when b starts (OPEN), then a and b at the close (CLOSED); bob's x and y
        // and dave's p each once, when their session closes (CLOSED).
        // Recommendations and live vectors: off by default (--recs.enabled, --live.enabled false): none.
        long reports = 3;
        String deadLetters = Files.readString(out.resolve(options.dlqTopic + ".jsonl"));
        assertThat(json.readTree(out.resolve("summary.json").toFile()))
                .as("summary; the dead letters were:%n%s", deadLetters)
                .isEqualTo(json.readTree("""
        {"records": {"P-attention-sessions": 9, "P-attention-page-views": 6, "P-attention-dlq": 7, "P-interest-vectors": 3, "P-interest-vectors-live": 0, "P-recommendations": 0,
                     "P-recommendations-live": 0, "P-attention-alerts": 0,
                     "P-attention-reports": %d, "P-focus-block-reports": 0, "P-topic-trends": 0, "P-privacy-audit": 0},
         "dead_letters": {"UNDECODABLE": 1, "UNKNOWN_SCHEMA": 1, "MISSING_FIELD": 1, "NEGATIVE_DWELL": 1,
                          "DWELL_TOO_LONG": 1, "FUTURE_TIMESTAMP": 1, "TOO_LATE": 0, "INVALID_TIME_ZONE": 1,
                          "FIELD_TOO_LARGE": 0, "BEYOND_MAX_SESSION": 0, "INVALID_FOCUS_BLOCK": 0},
         "duplicates": 1, "duplicate_views": 0, "bots": 1}
        """.formatted(reports).replace("P-", prefix)));

        Pseudonymizer p = new Pseudonymizer("it-key".getBytes(StandardCharsets.UTF_8));
        List<JsonNode> closed = new ArrayList<>();
        for (String line : lines(out.resolve(options.sessionsTopic + ".jsonl"))) {
            JsonNode n = json.readTree(line);
            assertThat(n.get("_key").asText()).isEqualTo(n.get("user").asText());
            if (n.get("status").asText().equals("CLOSED")) {
                closed.add(n);
            }
        }
        assertThat(closed).hasSize(4);
        JsonNode alice = only(closed, p.pseudonym("alice"));
        assertThat(alice.get("session_id").asText())
                .isEqualTo(Hashes.sessionId(p.pseudonym("alice"), B.toEpochMilli()));
        assertThat(alice.get("start").asText()).isEqualTo(B.toString().replace("Z", ".000Z")); // B is a whole minute
        assertThat(alice.get("duration_ms").asLong()).isEqualTo(65_000);
        assertThat(alice.get("event_count").asInt()).isEqualTo(4);
        assertThat(alice.get("views").asInt()).isEqualTo(2);
        assertThat(alice.get("engaged_ms").asLong()).isEqualTo(25_000);
        assertThat(alice.get("distinct_items").asInt()).isEqualTo(2);
        assertThat(json.convertValue(alice.get("top_topics"), List.class)).containsExactly("sports", "news");
        assertThat(alice.get("topic_switches").asInt()).isEqualTo(1);
        assertThat(alice.get("bounce").asBoolean()).isFalse();
        assertThat(alice.get("engaged").asBoolean()).isTrue();
        JsonNode dave = only(closed, p.pseudonym("dave"));
        assertThat(dave.get("event_count").asInt())
                .as("3 processed events around 2 dead letters")
                .isEqualTo(3);
        assertThat(dave.get("clicks").asInt()).isEqualTo(1);
        assertThat(dave.get("engaged").asBoolean())
                .as("a purchase makes a GA4 engaged session")
                .isTrue();
        List<JsonNode> bob = closed.stream()
                .filter(n -> n.get("user").asText().equals(p.pseudonym("bob")))
                .toList();
        assertThat(bob)
                .hasSize(2)
                .allSatisfy(n -> assertThat(n.get("bounce").asBoolean()).isTrue());

        // alice's page views through Kafka, by hand: a's 20 s dwell, b's 5 s; no view ids sent, so derived ones
        String aliceKey = p.pseudonym("alice");
        String aliceSession = Hashes.sessionId(aliceKey, B.toEpochMilli());
        String viewA = """
        {"_key": "%1$s", "view_id": "%2$s", "session_id": "%3$s", "user": "%1$s", "item_id": "a", "topics": ["sports"],
         "start": "2025-01-06T09:00:00.000Z", "last_activity": "2025-01-06T09:00:20.000Z", "engaged_ms": 20000,
         "absolute_ms": 20000, "max_scroll_pct": null, "status": "%4$s"}
        """;
        String viewB = """
        {"_key": "%1$s", "view_id": "%2$s", "session_id": "%3$s", "user": "%1$s", "item_id": "b", "topics": ["news"],
         "start": "2025-01-06T09:01:00.000Z", "last_activity": "2025-01-06T09:01:05.000Z", "engaged_ms": 5000,
         "absolute_ms": 5000, "max_scroll_pct": null, "status": "CLOSED"}
        """;
        String idA = Hashes.viewId(aliceKey, "a", B.toEpochMilli(), 0);
        String idB = Hashes.viewId(aliceKey, "b", B.plusSeconds(60).toEpochMilli(), 0);
        assertThat(idA).matches("[0-9a-f]{32}");
        List<JsonNode> views = new ArrayList<>();
        for (String line : lines(out.resolve(options.pageViewsTopic + ".jsonl"))) {
            views.add(json.readTree(line));
        }
        assertThat(views).hasSize(6).allSatisfy(n -> assertThat(n.get("_key")).isEqualTo(n.get("user")));
        assertThat(views.stream().filter(n -> n.get("user").asText().equals(aliceKey)))
                .as("one key, one partition: in the order written")
                .containsExactly(
                        json.readTree(viewA.formatted(aliceKey, idA, aliceSession, "OPEN")),
                        json.readTree(viewA.formatted(aliceKey, idA, aliceSession, "CLOSED")),
                        json.readTree(viewB.formatted(aliceKey, idB, aliceSession)));
        assertThat(views.stream().filter(n -> !n.get("user").asText().equals(aliceKey)))
                .extracting(n -> n.get("user").asText() + " " + n.get("item_id").asText() + " "
                        + n.get("status").asText())
                .containsExactlyInAnyOrder(
                        p.pseudonym("bob") + " x CLOSED",
                        p.pseudonym("bob") + " y CLOSED",
                        p.pseudonym("dave") + " p CLOSED");

        String everything = Files.readString(out.resolve(options.sessionsTopic + ".jsonl"))
                + Files.readString(out.resolve(options.pageViewsTopic + ".jsonl"))
                + Files.readString(out.resolve(options.dlqTopic + ".jsonl"));
        assertThat(everything).doesNotContain("alice", "\"bob\"", "dave", "erin", "192.0.2.1");
    }

    static JsonNode only(List<JsonNode> sessions, String user) {
        List<JsonNode> mine = sessions.stream()
                .filter(n -> n.get("user").asText().equals(user))
                .toList();
        assertThat(mine).hasSize(1);
        return mine.get(0);
    }

    static List<String> lines(Path file) throws java.io.IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    }
}
