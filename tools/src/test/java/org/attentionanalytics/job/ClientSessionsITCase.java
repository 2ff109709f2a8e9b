package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.local.DatasetPublisher;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.replay.ReplayOptions;
import org.attentionanalytics.replay.ReplayResult;
import org.attentionanalytics.session.SessionMode;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sessions client} through Kafka: README's example file {@code
 * docs/examples/snowplow-sessions.csv} replayed by the replay kind {@code snowplow} to a real
 * topic, read by the Snowplow door, with {@code --max-session-duration 3d}; the values README
 * shows ("Client sessions").
 *
 * <p>{@code sess-a}: page view pv-1 (09:00:00, duid-1) with pings created at 09:00:05 and
 * 09:00:15, the 09:00:15 ping sent twice (one event id: dropped by de-duplication), page view pv-2
 * (09:01:00, user_id alice) with a ping at 09:01:05 and the same page view re-sent at 09:01:06
 * (dropped as a duplicate view), page view pv-3 (09:02:00, duid-2). One session of duid-1's
 * pseudonym (its first event's identity): 7 events (the re-sent page view is one, though no
 * second view), 3 views, engaged 20 s = pv-1 (buckets 0 and
 * 1: 5 + 10 s) + pv-2 (one bucket: 5 s). {@code sess-b} (duid-3): pv-4 Monday 09:00, pv-5
 * Wednesday 01:00 (40 h later): one session of 2 views, 0 s engaged (no pings); pv-6 Thursday
 * 10:00 is more than 3 d after the start: {@code BEYOND_MAX_SESSION}.
 */
class ClientSessionsITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Path EXAMPLE = Path.of("..", "docs", "examples", "snowplow-sessions.csv")
            .toAbsolutePath()
            .normalize();

    static EmbeddedKafka kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void shareKafka() {
        kafka = SharedKafka.get();
    }

    static String pseudonym(String id) {
        return new Pseudonymizer("cs-key".getBytes(StandardCharsets.UTF_8)).pseudonym(id);
    }

    @Test
    void readmesExampleGivesOneUserPerTrackerSessionThroughKafka() throws Exception {
        String prefix = SharedKafka.prefix(ClientSessionsITCase.class, "example");
        JobOptions options = TestJobs.boundedOptions(kafka, dir.resolve("job"), "cs-key\n", prefix);
        options.snowplow = true;
        options.snowplowTopic = prefix + "snowplow-enriched";
        options.sessions = SessionMode.CLIENT;
        options.maxSessionDuration = Duration.ofDays(3);
        Properties producer = new Properties();
        producer.put("bootstrap.servers", kafka.bootstrapServers());
        ReplayResult published = DatasetPublisher.KAFKA_REPLAY.publish(
                ReplayOptions.parse("--dataset", "snowplow:" + EXAMPLE), producer, options, false);
        assertThat(published.snowplowLines()).isEqualTo(11);

        Path out = HeartbeatsITCase.runAndWrite(options, dir.resolve("out"));
        Map<String, JsonNode> last = OutputLines.latest(out.resolve(options.sessionsTopic + ".jsonl"), "session_id");
        assertThat(last.values())
                .extracting(
                        s -> s.get("user").asText(),
                        s -> s.get("event_count").asInt(),
                        s -> s.get("views").asInt(),
                        s -> s.get("engaged_ms").asLong(),
                        s -> s.get("start").asText(),
                        s -> s.get("end").asText(),
                        s -> s.get("status").asText())
                .containsExactlyInAnyOrder(
                        tuple(
                                pseudonym("duid-1"),
                                7,
                                3,
                                20_000L,
                                "2025-01-06T09:00:00.000Z",
                                "2025-01-06T09:02:00.000Z",
                                "CLOSED"),
                        tuple(
                                pseudonym("duid-3"),
                                2,
                                2,
                                0L,
                                "2025-01-06T09:00:00.000Z",
                                "2025-01-08T01:00:00.000Z",
                                "CLOSED"));
        List<JsonNode> dead = OutputLines.read(out.resolve(options.dlqTopic + ".jsonl"));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.get("_key").asText()).isEqualTo(pseudonym("duid-3"));
            assertThat(d.get("reason").asText()).isEqualTo("BEYOND_MAX_SESSION");
            assertThat(d.get("detail").asText())
                    .isEqualTo("event_time 2025-01-09T10:00:00Z is more than --max-session-duration (PT72H) "
                            + "after its session's start 2025-01-06T09:00:00Z");
        });
        assertThat(Files.readString(out.resolve(options.pageViewsTopic + ".jsonl")))
                .doesNotContain(pseudonym("alice"))
                .doesNotContain(pseudonym("duid-2"));
    }
}
