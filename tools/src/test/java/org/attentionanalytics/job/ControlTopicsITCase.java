package org.attentionanalytics.job;

import org.attentionanalytics.pipeline.PipelineCounters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.OutputFiles;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.KafkaFixtures.Raw;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control topics through a real Kafka broker into the bounded job (MiniCluster, RocksDB,
 * exactly-once sinks, no restarts): valid budgets and erasure requests reach the keyed stream
 * pseudonymized (seen through the {@code beforeKeyBy} hook, right before {@code keyBy(user)}),
 * bad ones are dead letters with their reasons and no raw user id, an erasure request is confirmed on
 * {@code privacy-audit}, and sessions close as without them.
 */
class ControlTopicsITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  /** What passed the hook; the MiniCluster runs in this JVM. */
  static final ConcurrentLinkedQueue<AttentionEvent> SEEN = new ConcurrentLinkedQueue<>();

  static EmbeddedKafka kafka;
  @TempDir static Path dir;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  static final Instant B = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES);
  static final Instant NEW_YEAR = Instant.parse("2025-01-01T00:00:00Z"); // 1735689600000 ms
  // python3: hmac.new(b'control-it-key', b'alice', hashlib.sha256).hexdigest()[:32]
  static final String ALICE = "c0c829ccf2be85fdabe9d8821e540600";
  // python3: hmac.new(b'control-it-key', b'henry', hashlib.sha256).hexdigest()[:32]
  static final String HENRY = "07e503bd53b49df71c75313d9b5cd6b6";

  /** Records every event that passes, unchanged. */
  static final class Spy implements MapFunction<AttentionEvent, AttentionEvent> {
    @Override
    public AttentionEvent map(AttentionEvent e) {
      SEEN.add(e);
      return e;
    }
  }

  static ClickEvent view(String id, String user, Instant at) {
    return ClickEvent.newBuilder().setEventId(id).setUserId(user).setEventTime(at).setEventType(EventType.VIEW)
        .setItemId("a").setTopics(List.of("news")).build();
  }

  static AttentionBudget.Builder budget(String user) {
    return AttentionBudget.newBuilder().setUserId(user).setTimeZone("Europe/Copenhagen")
        .setBudgets(Map.of("news", 30L, "shopping", 15L)).setUpdatedAt(NEW_YEAR);
  }

  static ErasureRequest erasure(String id, String user, Instant at) {
    return ErasureRequest.newBuilder().setRequestId(id).setUserId(user).setRequestedAt(at).build();
  }

  @Test
  void controlRecordsReachTheKeyedStreamPseudonymizedAndBadOnesAreDeadLetters() throws Exception {
    JobOptions options = TestJobs.boundedOptions(kafka, dir, "control-it-key");
    String c = options.clickstreamTopic;
    String budgets = options.budgetsTopic;
    String requests = options.privacyRequestsTopic;
    KafkaFixtures.produce(kafka.bootstrapServers(), List.of(
        Raw.of(c, "alice", view("a1", "alice", B)),
        Raw.of(c, "alice", view("a2", "alice", B.plusSeconds(60))),
        Raw.of(budgets, "alice", budget("alice").build()),
        // henry has no events: his erasure is confirmed with nothing cleared, and alice's session is untouched
        Raw.of(requests, "henry", erasure("req-1", "henry", B.plusSeconds(120))),
        // one bad record per reason the control door judges
        Raw.of(budgets, "bob", budget("bob").setTimeZone("Mars/Olympus").build()),
        Raw.of(budgets, "carol", budget("carol").setBudgets(Map.of("news", -1L)).build()),
        new Raw(budgets, "dave", KafkaFixtures.fiveRandomBytes()),
        Raw.of(requests, "erin", erasure("", "erin", B)),
        Raw.of(requests, "frank", erasure("req-frank", "frank", Instant.now().plus(2, ChronoUnit.DAYS))),
        Raw.of(requests, "gina", budget("gina").build()))); // a budget on the requests topic
    SEEN.clear();

    Configuration noRestarts = new Configuration();
    noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    Configuration conf = AttentionJob.configuration(options);
    conf.addAll(noRestarts);
    JobExecutionResult result = TestJobs.graph(conf, options,
        s -> s.map(new Spy()).returns(s.getType()).name("Test: spy before keyBy")).execute(options.jobName);

    // what reached the keyed stream: 2 events and the 2 valid control records, nothing else
    List<AttentionEvent> control = SEEN.stream().filter(e -> e.getKind() == EventKind.BUDGET || e.getKind() == EventKind.ERASURE).toList();
    assertThat(SEEN).hasSize(4);
    assertThat(control).hasSize(2);
    AttentionEvent budget = control.stream().filter(e -> e.getKind() == EventKind.BUDGET).findFirst().orElseThrow();
    assertThat(budget.getUser()).isEqualTo(ALICE);
    // python3: hashlib.sha256(b'c0c829ccf2be85fdabe9d8821e540600|1735689600000|Europe/Copenhagen|true|news=30;shopping=15;').hexdigest()[:32]
    assertThat(budget.getEventId()).isEqualTo("budget:07e66a4e1c2cce871214a4a0e1650a21");
    assertThat(budget.getEventTime()).isEqualTo(1_735_689_600_000L);
    assertThat(budget.getTimeZone()).isEqualTo("Europe/Copenhagen");
    assertThat(budget.getBudgetMinutes()).isEqualTo(Map.of("news", 30L, "shopping", 15L));
    assertThat(budget.getAlertsEnabled()).isTrue();
    assertThat(budget.getSourceTopic()).isEqualTo(budgets);
    AttentionEvent erasure = control.stream().filter(e -> e.getKind() == EventKind.ERASURE).findFirst().orElseThrow();
    assertThat(erasure.getUser()).isEqualTo(HENRY);
    assertThat(erasure.getEventId()).isEqualTo("req-1");
    assertThat(erasure.getEventTime()).isEqualTo(B.plusSeconds(120).toEpochMilli());
    assertThat(SEEN.toString()).doesNotContain("alice", "bob", "carol", "dave", "erin", "frank", "gina");

    Map<String, Object> acc = result.getAllAccumulatorResults();
    assertThat(acc).containsEntry(PipelineCounters.EVENTS_IN, 2L)
        .containsEntry(PipelineCounters.BUDGETS_IN, 1L)
        .containsEntry(PipelineCounters.ERASURE_REQUESTS_IN, 1L);

    Path out = dir.resolve("out");
    OutputFiles.write(options, out, 0, 0);
    ObjectMapper json = new ObjectMapper();
    JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("dead_letters")).isEqualTo(json.readTree("""
        {"UNDECODABLE": 1, "UNKNOWN_SCHEMA": 1, "MISSING_FIELD": 1, "NEGATIVE_DWELL": 1,
         "DWELL_TOO_LONG": 0, "FUTURE_TIMESTAMP": 1, "TOO_LATE": 0, "INVALID_TIME_ZONE": 1, "FIELD_TOO_LARGE": 0}"""));
    // alice's session closes at the end of input as without control records (stubs act on nothing yet)
    List<JsonNode> sessions = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(options.sessionsTopic + ".jsonl"))) {
      sessions.add(json.readTree(line));
    }
    JsonNode last = sessions.get(sessions.size() - 1);
    assertThat(last.get("user").asText()).isEqualTo(ALICE);
    assertThat(last.get("status").asText()).isEqualTo("CLOSED");
    assertThat(last.get("event_count").asInt()).isEqualTo(2);

    // the per-user operator acted on the request: one confirmation, keyed by the pseudonym
    List<String> audit = Files.readAllLines(out.resolve(options.privacyAuditTopic + ".jsonl"));
    assertThat(audit).hasSize(1);
    JsonNode confirmation = json.readTree(audit.get(0));
    assertThat(confirmation.get("_key").asText()).isEqualTo(HENRY);
    assertThat(confirmation.get("user").asText()).isEqualTo(HENRY);
    assertThat(confirmation.get("request_id").asText()).isEqualTo("req-1");
    assertThat(confirmation.get("cleared")).isEmpty();

    // dead letters: from which topic, keyed by pseudonyms, redacted values without the user id
    Map<String, String> topicByReason = new java.util.TreeMap<>();
    List<String> keptUserIds = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(options.dlqTopic + ".jsonl"))) {
      JsonNode n = json.readTree(line);
      String reason = n.get("reason").asText();
      topicByReason.put(reason, n.get("source_topic").asText());
      assertThat(n.get("_key").asText()).matches("[0-9a-f]{32}");
      if (n.hasNonNull("raw_value")) {
        ByteBuffer raw = ByteBuffer.wrap(Base64.getDecoder().decode(n.get("raw_value").asText()));
        keptUserIds.add(n.get("source_topic").asText().equals(budgets)
            ? AttentionBudget.fromByteBuffer(raw).getUserId() : ErasureRequest.fromByteBuffer(raw).getUserId());
      } else {
        assertThat(reason).isIn("UNDECODABLE", "UNKNOWN_SCHEMA");
      }
    }
    assertThat(topicByReason).containsExactlyInAnyOrderEntriesOf(Map.of(
        "INVALID_TIME_ZONE", budgets, "NEGATIVE_DWELL", budgets, "UNDECODABLE", budgets,
        "MISSING_FIELD", requests, "FUTURE_TIMESTAMP", requests, "UNKNOWN_SCHEMA", requests));
    assertThat(keptUserIds).as("bob, carol, erin, frank: re-encoded without user_id").containsExactly("", "", "", "");
    String files = Files.readString(out.resolve(options.dlqTopic + ".jsonl")) + Files.readString(out.resolve(options.sessionsTopic + ".jsonl"));
    assertThat(files + audit).doesNotContain("alice", "\"bob\"", "carol", "dave", "erin", "gina", "henry");
  }
}
