package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.io.InputFormat;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics;
import org.attentionanalytics.testutil.OutputTopics.Keyed;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bar of the {@code --json.*} mapping: a Segment-style JSON stream gives the same sessions and
 * page views as the same events in Avro. Six events through the job's whole graph twice (bounded,
 * in-memory sources through the job's doors; {@link GraphRun}): once as Segment track calls with
 * the README's mapping, once as ClickEvents in Avro.
 *
 * <ul>
 *   <li>{@code alice}: Product Viewed a (news) at T, Product Viewed b (sports) at T+40 s, Order
 *       Completed b at T+70 s.
 *   <li>{@code bob}: Product Viewed a at T, Product Viewed c (news) at T+30 s, Product Shared c (not
 *       in --json.event-types: OTHER) at T+50 s.
 * </ul>
 */
class SegmentJsonTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    @TempDir
    static Path dir;

    static final String KEY = "segment-key";
    static final Instant T = Instant.parse("2025-01-06T09:00:00Z");
    static final Pseudonymizer PSEUDONYMS = new Pseudonymizer(KEY.getBytes(StandardCharsets.UTF_8));
    static final String ALICE = PSEUDONYMS.pseudonym("alice");

    record Sent(String id, String user, String event, EventType type, String item, String topic, long atSeconds) {}

    static final List<Sent> EVENTS = List.of(
            new Sent("m1", "alice", "Product Viewed", EventType.VIEW, "a", "news", 0),
            new Sent("m2", "alice", "Product Viewed", EventType.VIEW, "b", "sports", 40),
            new Sent("m3", "alice", "Order Completed", EventType.PURCHASE, "b", "sports", 70),
            new Sent("m4", "bob", "Product Viewed", EventType.VIEW, "a", "news", 0),
            new Sent("m5", "bob", "Product Viewed", EventType.VIEW, "c", "news", 30),
            new Sent("m6", "bob", "Product Shared", EventType.OTHER, "c", "news", 50));

    static Outputs json;
    static Outputs avro;

    record Outputs(List<Keyed<SessionSummary>> sessions, List<Keyed<PageView>> pageViews, List<String> raw) {}

    static String segment(Sent e) {
        return "{\"type\":\"track\",\"userId\":\"" + e.user() + "\",\"event\":\"" + e.event() + "\",\"timestamp\":\""
                + T.plusSeconds(e.atSeconds()) + "\",\"messageId\":\"" + e.id() + "\",\"properties\":{\"item_id\":\""
                + e.item() + "\",\"category\":\"" + e.topic() + "\"},\"context\":{\"userAgent\":"
                + "\"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\",\"ip\":\"203.0.113.7\"}}";
    }

    static ClickEvent click(Sent e) {
        return ClickEvent.newBuilder()
                .setEventId(e.id())
                .setUserId(e.user())
                .setEventTime(T.plusSeconds(e.atSeconds()))
                .setEventType(e.type())
                .setItemId(e.item())
                .setTopics(List.of(e.topic()))
                .setUserAgent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                .setIp("203.0.113.7")
                .build();
    }

    static Outputs run(boolean segment) throws Exception {
        JobOptions options = GraphRun.boundedOptions(dir, KEY);
        if (segment) {
            new CommandLine(options)
                    .parseArgs(
                            "--input-format", "json",
                            "--json.user-id", "$.userId",
                            "--json.event-time", "$.timestamp",
                            "--json.event-id", "$.messageId",
                            "--json.event-type", "$.event",
                            "--json.item-id", "$.properties.item_id",
                            "--json.topics", "$.properties.category",
                            "--json.user-agent", "$.context.userAgent",
                            "--json.ip", "$.context.ip",
                            "--json.event-types", "Product Viewed=VIEW,Order Completed=PURCHASE");
            options.pseudonymKeyFile = dir.resolve("pseudonym.key").toString();
            options.bounded = true;
            options.parallelism = 2;
            options.checkpointInterval = java.time.Duration.ofSeconds(1);
            assertThat(options.inputFormat).isEqualTo(InputFormat.JSON);
        }
        AttentionJob.validate(options);
        try (GraphRun run = new GraphRun(options)) {
            for (Sent e : EVENTS) {
                run.add(
                        options.clickstreamTopic,
                        segment
                                ? RawRecord.bytes(
                                        RawRecord.ANY_PARTITION,
                                        e.user(),
                                        segment(e).getBytes(StandardCharsets.UTF_8))
                                : RawRecord.of(e.user(), click(e)));
            }
            run.run();
            OutputTopics out = run.outputs();
            List<String> raw = new ArrayList<>();
            for (String topic : out.topics()) {
                out.raw(topic).forEach(k -> raw.add(topic + " " + new String(k.value(), StandardCharsets.ISO_8859_1)));
            }
            assertThat(out.raw(options.dlqTopic)).as("no dead letters").isEmpty();
            return new Outputs(
                    sorted(out.decoded(options.sessionsTopic, SessionSummary.class)),
                    sorted(out.decoded(options.pageViewsTopic, PageView.class)),
                    raw);
        }
    }

    static <V> List<Keyed<V>> sorted(List<Keyed<V>> records) {
        return records.stream()
                .sorted(Comparator.comparing((Keyed<V> k) -> k.key())
                        .thenComparing(k -> k.value().toString()))
                .toList();
    }

    @BeforeAll
    static void runBoth() throws Exception {
        json = run(true);
        avro = run(false);
        json.sessions().forEach(k -> System.out.println("SegmentJsonTest session: " + k.value()));
        json.pageViews().forEach(k -> System.out.println("SegmentJsonTest page view: " + k.value()));
    }

    @Test
    void segmentJsonGivesTheSameSessionsAndPageViewsAsAvro() {
        assertThat(json.sessions()).isNotEmpty().isEqualTo(avro.sessions());
        assertThat(json.pageViews()).isNotEmpty().isEqualTo(avro.pageViews());
    }

    /**
     * alice: one session from T to T+70 s, 3 events, 2 views (a, b), 2 distinct items, engaged (a
     * PURCHASE is a conversion); keyed by her pseudonym, python3 -c "import hmac,hashlib;
     * print(hmac.new(b'segment-key',b'alice',hashlib.sha256).hexdigest()[:32])": b0f5f299...
     */
    @Test
    void theSessionIsAlicesAsSent() {
        SessionSummary s = json.sessions().stream()
                .filter(k -> k.key().equals(ALICE))
                .map(Keyed::value)
                .filter(v -> v.getStatus() == SessionStatus.CLOSED)
                .findFirst()
                .orElseThrow();
        assertThat(s.getSessionId()).isEqualTo(Hashes.sessionId(ALICE, T.toEpochMilli()));
        assertThat(s.getStart()).isEqualTo(T);
        assertThat(s.getEnd()).isEqualTo(T.plusSeconds(70));
        assertThat(s.getEventCount()).isEqualTo(3);
        assertThat(s.getDistinctItems()).isEqualTo(2);
        assertThat(s.toString())
                .as("the README's line")
                .isEqualTo(
                        "{\"session_id\": \"de17d6304a34c1ab8a11c501fe3764fc\", \"user\": \"b0f5f29932d2c4d522149b680499b8ac\", "
                                + "\"start\": \"2025-01-06T09:00:00Z\", \"end\": \"2025-01-06T09:01:10Z\", \"duration_ms\": 70000, "
                                + "\"event_count\": 3, \"views\": 2, \"clicks\": 0, \"engaged_ms\": 0, \"distinct_items\": 2, "
                                + "\"top_topics\": [\"news\", \"sports\"], \"topic_switches\": 1, \"bounce\": false, \"engaged\": true, "
                                + "\"engaged_inferred\": false, \"status\": \"CLOSED\"}");
    }

    @Test
    void theMappedUserAgentAndIpNeverLeaveTheDoor() {
        assertThat(json.raw()).isNotEmpty().noneMatch(r -> r.contains("203.0.113.7") || r.contains("Firefox"));
    }
}
