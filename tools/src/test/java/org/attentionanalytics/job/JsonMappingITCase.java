package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.KafkaFixtures.Raw;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --json.*} mapping through a real broker: {@code SegmentJsonTest}'s six events as
 * Segment track calls on the clickstream topic, read with {@code --input-format json} and README's
 * mapping ("JSON of any shape"), and the same events as Avro {@code ClickEvent}s (single-object
 * encoding) on topics of their own, read with {@code --input-format avro}. Both bounded runs give
 * the same sessions (latest record per {@code session_id}) and page views (latest per {@code
 * view_id}).
 *
 * <ul>
 *   <li>{@code alice}: Product Viewed a (news) at T, Product Viewed b (sports) at T+40 s, Order
 *       Completed b at T+70 s.
 *   <li>{@code bob}: Product Viewed a at T, Product Viewed c (news) at T+30 s, Product Shared c (not
 *       in --json.event-types: OTHER) at T+50 s.
 * </ul>
 *
 * <p>alice's closed session, by hand: all three events within the 30-min gap, so one session from
 * T (09:00:00) to T+70 s (09:01:10), {@code duration_ms} 70,000; {@code event_count} 3; {@code
 * views} 2 (the two Product Viewed; the purchase is no view); {@code clicks} 0 (no CLICK);
 * {@code engaged_ms} 0 (no dwell or ping: engaged time comes only from them, section 2); {@code
 * distinct_items} 2 (a, b); {@code top_topics} [news, sports] (both 0 ms, in the order first
 * seen); {@code topic_switches} 1 (news -> sports; the purchase stays in sports); {@code engaged}
 * true (2 views, and a PURCHASE is a conversion), so {@code bounce} false; {@code
 * engaged_inferred} false; {@code session_id} = {@code Hashes.sessionId(pseudonym(alice), T)} =
 * de17d630..., {@code user} = HMAC-SHA256("segment-key", "alice")[:16] = b0f5f299...: README's line.
 *
 * <p>The JSON run also gets two records that must be dead letters, not events of alice (else her
 * session would differ from the Avro run's): {@code {"userId":} (truncated: {@code UNDECODABLE})
 * and a Product Viewed d of alice at T+50 s without {@code messageId} ({@code MISSING_FIELD},
 * "nothing at event_id ($.messageId): event_id, user_id and event_time are required"); the job
 * runs without restarts and finishes.
 */
@Tag("slow") // mvn verify -Pslow
class JsonMappingITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    // The events, their Segment and Avro forms and the key are SegmentJsonTest's (the job module's test-jar).
    static final String KEY = SegmentJsonTest.KEY;
    static final Instant T = SegmentJsonTest.T;
    static final String ALICE = SegmentJsonTest.ALICE;

    static EmbeddedKafka kafka;

    @TempDir
    static Path dir;

    static Output json;
    static Output avro;

    /** A run's output: latest session per session_id, latest page view per view_id, its dead letters. */
    record Output(Map<String, JsonNode> sessions, Map<String, JsonNode> pageViews, List<JsonNode> deadLetters) {}

    @BeforeAll
    static void runBoth() throws Exception {
        kafka = SharedKafka.get();

        JobOptions j = TestJobs.boundedOptions(
                kafka, dir.resolve("json"), KEY + "\n", SharedKafka.prefix(JsonMappingITCase.class, "json"));
        j.inputFormat = InputFormat.JSON;
        j.jsonUserId = "$.userId";
        j.jsonEventTime = "$.timestamp";
        j.jsonEventId = "$.messageId";
        j.jsonEventType = "$.event";
        j.jsonItemId = "$.properties.item_id";
        j.jsonTopics = "$.properties.category";
        j.jsonUserAgent = "$.context.userAgent";
        j.jsonIp = "$.context.ip";
        j.jsonEventTypes = "Product Viewed=VIEW,Order Completed=PURCHASE";
        AttentionJob.validate(j);
        List<Raw> in = new ArrayList<>();
        for (SegmentJsonTest.Sent e : SegmentJsonTest.EVENTS) {
            in.add(new Raw(
                    j.clickstreamTopic, e.user(), SegmentJsonTest.segment(e).getBytes(StandardCharsets.UTF_8)));
        }
        in.add(new Raw(j.clickstreamTopic, "alice", "{\"userId\":".getBytes(StandardCharsets.UTF_8)));
        in.add(new Raw(
                j.clickstreamTopic,
                "alice",
                SegmentJsonTest.segment(new SegmentJsonTest.Sent(
                                "m7", "alice", "Product Viewed", EventType.VIEW, "d", "news", 50))
                        .replace("\"messageId\":\"m7\",", "")
                        .getBytes(StandardCharsets.UTF_8)));
        KafkaFixtures.produce(kafka.bootstrapServers(), in);
        json = output(j, HeartbeatsITCase.runAndWrite(j, dir.resolve("json-out")));

        JobOptions a = TestJobs.boundedOptions(
                kafka, dir.resolve("avro"), KEY + "\n", SharedKafka.prefix(JsonMappingITCase.class, "avro"));
        assertThat(a.inputFormat).isEqualTo(InputFormat.AVRO);
        AttentionJob.validate(a);
        KafkaFixtures.produce(
                kafka.bootstrapServers(),
                SegmentJsonTest.EVENTS.stream()
                        .map(e -> Raw.of(a.clickstreamTopic, e.user(), SegmentJsonTest.click(e)))
                        .toList());
        avro = output(a, HeartbeatsITCase.runAndWrite(a, dir.resolve("avro-out")));
    }

    static Output output(JobOptions options, Path out) throws Exception {
        return new Output(
                new TreeMap<>(OutputLines.latest(out.resolve(options.sessionsTopic + ".jsonl"), "session_id")),
                new TreeMap<>(OutputLines.latest(out.resolve(options.pageViewsTopic + ".jsonl"), "view_id")),
                OutputLines.read(out.resolve(options.dlqTopic + ".jsonl")));
    }

    @Test
    void segmentJsonThroughKafkaGivesTheSameSessionsAndPageViewsAsAvro() {
        assertThat(json.sessions()).hasSize(2).isEqualTo(avro.sessions());
        assertThat(json.pageViews()).hasSize(4).isEqualTo(avro.pageViews());
        assertThat(avro.deadLetters()).isEmpty();
    }

    @Test
    void alicesClosedSessionIsTheOneDerivedByHand() {
        String id = Hashes.sessionId(ALICE, T.toEpochMilli());
        assertThat(id).isEqualTo("de17d6304a34c1ab8a11c501fe3764fc");
        assertThat(ALICE).isEqualTo("b0f5f29932d2c4d522149b680499b8ac");
        JsonNode s = json.sessions().get(id);
        assertThat(s).isNotNull();
        assertThat(s.get("user").asText()).isEqualTo(ALICE);
        assertThat(s.get("start").asText()).isEqualTo("2025-01-06T09:00:00.000Z");
        assertThat(s.get("end").asText()).isEqualTo("2025-01-06T09:01:10.000Z");
        assertThat(s.get("duration_ms").asLong()).isEqualTo(70_000);
        assertThat(s.get("event_count").asInt()).isEqualTo(3);
        assertThat(s.get("views").asInt()).isEqualTo(2);
        assertThat(s.get("clicks").asInt()).isZero();
        assertThat(s.get("engaged_ms").asLong()).isZero();
        assertThat(s.get("distinct_items").asInt()).isEqualTo(2);
        assertThat(s.get("top_topics").toString()).isEqualTo("[\"news\",\"sports\"]");
        assertThat(s.get("topic_switches").asInt()).isEqualTo(1);
        assertThat(s.get("bounce").asBoolean()).isFalse();
        assertThat(s.get("engaged").asBoolean()).isTrue();
        assertThat(s.get("engaged_inferred").asBoolean()).isFalse();
        assertThat(s.get("status").asText()).isEqualTo("CLOSED");
    }

    @Test
    void aTruncatedRecordAndOneWithoutTheMappedEventIdAreDeadLetters() throws Exception {
        assertThat(json.deadLetters())
                .extracting(d -> d.get("reason").asText())
                .containsExactlyInAnyOrder("UNDECODABLE", "MISSING_FIELD");
        assertThat(json.deadLetters())
                .filteredOn(d -> d.get("reason").asText().equals("MISSING_FIELD"))
                .singleElement()
                .satisfies(d -> assertThat(d.get("detail").asText())
                        .isEqualTo("nothing at event_id ($.messageId): event_id, user_id and event_time are required"));
        assertThat(json.deadLetters())
                .filteredOn(d -> d.get("reason").asText().equals("UNDECODABLE"))
                .singleElement()
                .satisfies(d -> assertThat(d.get("detail").asText())
                        .isEqualTo("JsonEOFException at line 1, column 11 (message left out: dlq.redact)"));
        JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("json-out").resolve("summary.json").toFile())
                .get("dead_letters");
        assertThat(summary.get("UNDECODABLE").asInt()).isEqualTo(1);
        assertThat(summary.get("MISSING_FIELD").asInt()).isEqualTo(1);
    }
}
