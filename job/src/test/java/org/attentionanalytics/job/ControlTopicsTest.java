package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.KafkaFixtures;
import org.attentionanalytics.testutil.OutputTopics;
import org.attentionanalytics.testutil.OutputTopics.Keyed;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control topics into the bounded job's whole graph (in-memory sources through the job's doors,
 * MiniCluster, RocksDB, no restarts; {@link GraphRun}): valid budgets and erasure requests reach
 * the keyed stream pseudonymized (seen through the {@code beforeKeyBy} hook, right before {@code
 * keyBy(user)}), bad ones are dead letters with their reasons and no raw user id, an erasure
 * request is confirmed on {@code privacy-audit}, and sessions close as without them.
 */
class ControlTopicsTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    /** What passed the hook; the MiniCluster runs in this JVM. */
    static final ConcurrentLinkedQueue<AttentionEvent> SEEN = new ConcurrentLinkedQueue<>();

    @TempDir
    static Path dir;

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
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setEventType(EventType.VIEW)
                .setItemId("a")
                .setTopics(List.of("news"))
                .build();
    }

    static AttentionBudget.Builder budget(String user) {
        return AttentionBudget.newBuilder()
                .setUserId(user)
                .setTimeZone("Europe/Copenhagen")
                .setBudgets(Map.of("news", 30L, "shopping", 15L))
                .setUpdatedAt(NEW_YEAR);
    }

    static org.attentionanalytics.avro.FocusBlocks focusBlocks(String user, Instant secondStart) {
        return org.attentionanalytics.avro.FocusBlocks.newBuilder()
                .setUserId(user)
                .setBlocks(List.of(
                        org.attentionanalytics.avro.FocusBlock.newBuilder()
                                .setName("first")
                                .setStart(B)
                                .setEnd(B.plusSeconds(3600))
                                .build(),
                        org.attentionanalytics.avro.FocusBlock.newBuilder()
                                .setName("second")
                                .setStart(secondStart)
                                .setEnd(secondStart.plusSeconds(3600))
                                .build()))
                .setUpdatedAt(NEW_YEAR)
                .build();
    }

    static ErasureRequest erasure(String id, String user, Instant at) {
        return ErasureRequest.newBuilder()
                .setRequestId(id)
                .setUserId(user)
                .setRequestedAt(at)
                .build();
    }

    @Test
    void controlRecordsReachTheKeyedStreamPseudonymizedAndBadOnesAreDeadLetters() throws Exception {
        JobOptions options = GraphRun.boundedOptions(dir, "control-it-key");
        String c = options.clickstreamTopic;
        String budgets = options.budgetsTopic;
        String requests = options.privacyRequestsTopic;
        SEEN.clear();
        JobExecutionResult result;
        OutputTopics out;
        try (GraphRun run = new GraphRun(options)) {
            run.add(
                            c,
                            RawRecord.of("alice", view("a1", "alice", B)),
                            RawRecord.of("alice", view("a2", "alice", B.plusSeconds(60))))
                    .add(budgets, RawRecord.of("alice", budget("alice").build()))
                    .add(
                            options.focusBlocksTopic,
                            RawRecord.of("alice", focusBlocks("alice", B.plusSeconds(3600))),
                            // two blocks of one record that overlap by 30 minutes
                            RawRecord.of("ivan", focusBlocks("ivan", B.plusSeconds(1800))))
                    // henry has no events: his erasure is confirmed with nothing cleared, and alice's session is
                    // untouched
                    .add(requests, RawRecord.of("henry", erasure("req-1", "henry", B.plusSeconds(120))))
                    // one bad record per reason the control door judges
                    .add(
                            budgets,
                            RawRecord.of(
                                    "bob",
                                    budget("bob").setTimeZone("Mars/Olympus").build()),
                            RawRecord.of(
                                    "carol",
                                    budget("carol")
                                            .setBudgets(Map.of("news", -1L))
                                            .build()),
                            RawRecord.bytes(RawRecord.ANY_PARTITION, "dave", KafkaFixtures.fiveRandomBytes()))
                    .add(
                            requests,
                            RawRecord.of("erin", erasure("", "erin", B)),
                            RawRecord.of(
                                    "frank",
                                    erasure("req-frank", "frank", Instant.now().plus(2, ChronoUnit.DAYS))),
                            RawRecord.of("gina", budget("gina").build())) // a budget on the requests topic
                    .beforeKeyBy(s -> s.map(new Spy()).returns(s.getType()).name("Test: spy before keyBy"));
            result = run.run();
            out = run.outputs();
        }

        // what reached the keyed stream: 2 events and the 3 valid control records, nothing else
        List<AttentionEvent> control = SEEN.stream()
                .filter(e -> e.getKind() == EventKind.BUDGET || e.getKind() == EventKind.ERASURE)
                .toList();
        assertThat(SEEN).hasSize(5);
        assertThat(control).hasSize(2);
        AttentionEvent blocks = SEEN.stream()
                .filter(e -> e.getKind() == EventKind.FOCUS_BLOCKS)
                .findFirst()
                .orElseThrow();
        assertThat(blocks.getUser()).isEqualTo(ALICE);
        assertThat(blocks.getFocusBlocks()).extracting(b -> b.getName()).containsExactly("first", "second");
        AttentionEvent budget = control.stream()
                .filter(e -> e.getKind() == EventKind.BUDGET)
                .findFirst()
                .orElseThrow();
        assertThat(budget.getUser()).isEqualTo(ALICE);
        // python3:
        // hashlib.sha256(b'c0c829ccf2be85fdabe9d8821e540600|1735689600000|Europe/Copenhagen|true|news=30;shopping=15;').hexdigest()[:32]
        assertThat(budget.getEventId()).isEqualTo("budget:07e66a4e1c2cce871214a4a0e1650a21");
        assertThat(budget.getEventTime()).isEqualTo(1_735_689_600_000L);
        assertThat(budget.getTimeZone()).isEqualTo("Europe/Copenhagen");
        assertThat(budget.getBudgetMinutes()).isEqualTo(Map.of("news", 30L, "shopping", 15L));
        assertThat(budget.getAlertsEnabled()).isTrue();
        assertThat(budget.getSourceTopic()).isEqualTo(budgets);
        AttentionEvent erasure = control.stream()
                .filter(e -> e.getKind() == EventKind.ERASURE)
                .findFirst()
                .orElseThrow();
        assertThat(erasure.getUser()).isEqualTo(HENRY);
        assertThat(erasure.getEventId()).isEqualTo("req-1");
        assertThat(erasure.getEventTime()).isEqualTo(B.plusSeconds(120).toEpochMilli());
        assertThat(SEEN.toString()).doesNotContain("alice", "bob", "carol", "dave", "erin", "frank", "gina", "ivan");

        Map<String, Object> acc = result.getAllAccumulatorResults();
        assertThat(acc)
                .containsEntry(PipelineCounters.EVENTS_IN, 2L)
                .containsEntry(PipelineCounters.BUDGETS_IN, 1L)
                .containsEntry(PipelineCounters.FOCUS_BLOCKS_IN, 1L)
                .containsEntry(PipelineCounters.ERASURE_REQUESTS_IN, 1L);

        // dead letters per reason (what the bounded run's summary.json counts from attention-dlq)
        List<Keyed<DeadLetter>> dead = out.decoded(options.dlqTopic, DeadLetter.class);
        Map<DeadLetterReason, Long> byReason = new TreeMap<>();
        for (DeadLetterReason r : DeadLetterReason.values()) {
            byReason.put(
                    r, dead.stream().filter(d -> d.value().getReason() == r).count());
        }
        assertThat(byReason)
                .isEqualTo(Map.ofEntries(
                        Map.entry(DeadLetterReason.UNDECODABLE, 1L),
                        Map.entry(DeadLetterReason.UNKNOWN_SCHEMA, 1L),
                        Map.entry(DeadLetterReason.MISSING_FIELD, 1L),
                        Map.entry(DeadLetterReason.NEGATIVE_DWELL, 1L),
                        Map.entry(DeadLetterReason.DWELL_TOO_LONG, 0L),
                        Map.entry(DeadLetterReason.FUTURE_TIMESTAMP, 1L),
                        Map.entry(DeadLetterReason.TOO_LATE, 0L),
                        Map.entry(DeadLetterReason.INVALID_TIME_ZONE, 1L),
                        Map.entry(DeadLetterReason.FIELD_TOO_LARGE, 0L),
                        Map.entry(DeadLetterReason.BEYOND_MAX_SESSION, 0L),
                        Map.entry(DeadLetterReason.INVALID_FOCUS_BLOCK, 1L)));
        // alice's session closes at the end of input as without control records (stubs act on nothing yet)
        List<Keyed<SessionSummary>> sessions = out.decoded(options.sessionsTopic, SessionSummary.class);
        SessionSummary last = sessions.get(sessions.size() - 1).value();
        assertThat(last.getUser()).isEqualTo(ALICE);
        assertThat(last.getStatus().name()).isEqualTo("CLOSED");
        assertThat(last.getEventCount()).isEqualTo(2);

        // the per-user operator acted on the request: one confirmation, keyed by the pseudonym
        List<Keyed<ErasureConfirmation>> audit = out.decoded(options.privacyAuditTopic, ErasureConfirmation.class);
        assertThat(audit).hasSize(1);
        ErasureConfirmation confirmation = audit.get(0).value();
        assertThat(audit.get(0).key()).isEqualTo(HENRY);
        assertThat(confirmation.getUser()).isEqualTo(HENRY);
        assertThat(confirmation.getRequestId()).isEqualTo("req-1");
        assertThat(confirmation.getCleared()).isEmpty();

        // dead letters: from which topic, keyed by pseudonyms, redacted values without the user id
        Map<String, String> topicByReason = new TreeMap<>();
        List<String> keptUserIds = new ArrayList<>();
        for (Keyed<DeadLetter> d : dead) {
            String reason = d.value().getReason().name();
            topicByReason.put(reason, d.value().getSourceTopic());
            assertThat(d.key()).matches("[0-9a-f]{32}");
            if (d.value().getRawValue() != null) {
                ByteBuffer raw = d.value().getRawValue().duplicate();
                String topic = d.value().getSourceTopic();
                keptUserIds.add(
                        topic.equals(budgets)
                                ? AttentionBudget.fromByteBuffer(raw).getUserId()
                                : topic.equals(options.focusBlocksTopic)
                                        ? org.attentionanalytics.avro.FocusBlocks.fromByteBuffer(raw)
                                                .getUserId()
                                        : ErasureRequest.fromByteBuffer(raw).getUserId());
            } else {
                assertThat(reason).isIn("UNDECODABLE", "UNKNOWN_SCHEMA");
            }
        }
        assertThat(topicByReason)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "INVALID_TIME_ZONE",
                        budgets,
                        "NEGATIVE_DWELL",
                        budgets,
                        "UNDECODABLE",
                        budgets,
                        "MISSING_FIELD",
                        requests,
                        "FUTURE_TIMESTAMP",
                        requests,
                        "UNKNOWN_SCHEMA",
                        requests,
                        "INVALID_FOCUS_BLOCK",
                        options.focusBlocksTopic));
        assertThat(keptUserIds)
                .as("bob, carol, erin, frank, ivan: re-encoded without user_id")
                .containsExactly("", "", "", "", "");
        StringBuilder written = new StringBuilder();
        for (var k : List.of(dead, sessions, audit)) {
            k.forEach(r -> written.append(r.key()).append(' ').append(r.value()).append('\n'));
        }
        assertThat(written.toString())
                .doesNotContain("alice", "\"bob\"", "carol", "dave", "erin", "gina", "henry", "ivan");
    }
}
