package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.Consumer;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.TopicDrain;
import org.attentionanalytics.replay.DatasetReplay;
import org.attentionanalytics.replay.ReplayOptions;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the real EB-NeRD reading history ({@code ../shared/data/ebnerd/history_flat.csv}, 8,303
 * reads by 44 users) through Kafka and the job, and checks the sessions against numbers computed
 * independently by {@code src/test/python/ebnerd_sessions.py} (plain Python over the CSV: per
 * user, VIEW at impression_time and dwell ending read_time_s later, new session at a gap of 30
 * min or 12 h after the start, dwell capped at 30 min): {@code users=44 sessions=2020
 * engaged_ms=348916000 dwell_too_long=0}.
 */
class EbnerdReplayITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir Path dir;

  @Test
  void sessionsAndEngagedTimeMatchAnIndependentComputation() throws Exception {
    Path history = Path.of(System.getProperty("attention.sharedData", "../shared/data"), "ebnerd", "history_flat.csv");
    Assumptions.assumeTrue(Files.exists(history), "shared data not present: " + history);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      JobOptions options = TestJobs.boundedOptions(kafka, dir, "ebnerd-key");
      DatasetReplay.replay(ReplayOptions.parse("--dataset", "ebnerd-history:" + history), kafka.clientProperties(),
          options.clickstreamTopic, options.dwellTopic, false);
      TestJobs.run(options, new org.apache.flink.configuration.Configuration());

      Map<String, SessionSummary> latest = new HashMap<>();
      long[] deadLetters = {0};
      try (Consumer<byte[], byte[]> consumer = TopicDrain.newConsumer(kafka.bootstrapServers(), Map.of())) {
        TopicDrain.drain(consumer, options.sessionsTopic, -1, Duration.ofSeconds(60), r -> {
          try {
            SessionSummary s = SessionSummary.getDecoder().decode(r.value());
            latest.put(s.getSessionId(), s);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        TopicDrain.drain(consumer, options.dlqTopic, -1, Duration.ofSeconds(60), r -> deadLetters[0]++);
      }
      assertThat(latest.values()).allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(SessionStatus.CLOSED));
      assertThat(latest).hasSize(2020);
      assertThat(latest.values().stream().mapToLong(SessionSummary::getEngagedMs).sum()).isEqualTo(348_916_000L);
      assertThat(latest.values().stream().map(SessionSummary::getUser).distinct().count()).isEqualTo(44);
      assertThat(latest.values().stream().mapToLong(SessionSummary::getEventCount).sum()).isEqualTo(2 * 8_303L);
      assertThat(deadLetters[0]).isZero();
    }
  }
}
