package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Committed.decode;
import static org.attentionanalytics.testutil.Committed.drain;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.TopicTrend;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.local.EmbeddedKafka;
import org.attentionanalytics.local.TopicDrain;
import org.attentionanalytics.local.Topics;
import org.attentionanalytics.replay.DatasetReplay;
import org.attentionanalytics.replay.ReplayOptions;
import org.attentionanalytics.replay.ReplayResult;
import org.attentionanalytics.testutil.Committed.Keyed;
import org.attentionanalytics.testutil.SharedKafka;
import org.attentionanalytics.testutil.TestJobs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once recovery, end to end: a job that fails in the middle of a checkpoint interval and
 * restarts from its last completed checkpoint commits to Kafka exactly what a failure-free run
 * commits, no record lost, none duplicated.
 *
 * <p>How: the real EB-NeRD history sample ({@code ebnerd/history_flat.csv} under the system
 * property {@code attention.sharedData}, default {@code ../shared/data}; the test is skipped when
 * it is absent) is replayed with {@link DatasetReplay} into an {@link EmbeddedKafka} broker
 * (2 partitions per topic), twice, on the shared broker ({@link SharedKafka}) with its own topics,
 * group and transactional ids per run, so the runs cannot see each other's records or transactions. Both runs are the production graph ({@link AttentionJob#defineWorkflow}: RocksDB,
 * exactly-once Kafka sinks, {@code read_committed} sources), bounded, parallelism 2, a checkpoint
 * every 500 ms.
 *
 * <ul>
 *   <li>Run A: no failure, no restart allowed (the identity hook).
 *   <li>Run B: the {@code beforeKeyBy} hook inserts {@link FailOnce}, which sleeps 1 ms per event
 *       (so the run spans several checkpoints) and, in the first execution attempt only, once at
 *       least 2 checkpoints have completed and at least {@link #RECORDS_AFTER_CHECKPOINT} more
 *       events have gone through since the last one (so the sinks hold an open Kafka transaction
 *       with records in it), throws. The restart strategy (fixed delay, 3 attempts, 1 s) restarts
 *       the whole job from the last completed checkpoint: RocksDB state and timers, source offsets
 *       and the sinks' transactional state; the open transactions are aborted.
 * </ul>
 *
 * Then every committed record of {@code attention-sessions} and {@code attention-dlq} of each run is
 * read ({@link TopicDrain}, {@code read_committed}) as a (key, decoded value) pair, and the two
 * multisets must be equal: sessions compared as whole {@link SessionSummary} records (no
 * processing-time field), dead letters with {@code observed_at} (the processing clock) set aside.
 * The test also checks that the failure really happened in attempt 0 after at least 2 completed
 * checkpoints, that attempt 1 really ran and checkpointed, that run B's sessions topic holds records
 * a {@code read_uncommitted} reader sees but a {@code read_committed} one does not (the aborted
 * transaction's; run A has none), and that the comparison is not trivial (more than 100 CLOSED
 * sessions).
 *
 * <p>Expected noise in the log of run B: on restore, {@code KafkaCommitter} logs an ERROR "Unable to
 * commit transaction (... '-sessions-N-2' ...) because its producer is already fenced ... most likely
 * signals data loss" for the transactions of the checkpoint it restores from. Those were committed
 * before the failure (the checkpoint's completion notification had arrived); re-committing them
 * after the restore is fenced (the broker bumped the producer epoch when it committed them), and the
 * equality asserted here shows that nothing was lost.
 */
@Tag("slow") // mvn verify -Pslow
class RecoveryITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(TestJobs.smallNetworkBuffers())
            .build());

    /** Events the failing subtask processes after its last completed checkpoint before it throws. */
    static final int RECORDS_AFTER_CHECKPOINT = 300;

    @TempDir
    static Path dir;

    /** What a run committed, and how it went. */
    record RunResult(
            List<Keyed<SessionSummary>> sessions,
            List<Keyed<DeadLetter>> deadLetters,
            List<Keyed<AttentionAlert>> alerts,
            List<Keyed<DailyAttentionReport>> reports,
            List<Keyed<TopicTrend>> trends,
            long sessionRecordsUncommittedView,
            ReplayResult replayed,
            long millis) {}

    @Test
    void failureAndRestartCommitExactlyWhatAFailureFreeRunCommits() throws Exception {
        Path data = Path.of(System.getProperty("attention.sharedData", "../../shared/data"))
                .resolve("ebnerd/history_flat.csv");
        assumeTrue(
                Files.isRegularFile(data),
                "shared data not found: " + data.toAbsolutePath()
                        + " (set -Dattention.sharedData=/path/to/shared/data)");
        Path key = dir.resolve("key");
        Files.writeString(key, "recovery-it-key\n");
        FailOnce.reset();

        RunResult a = run("A", data, key, false);
        RunResult b = run("B", data, key, true);
        long closed = a.sessions().stream()
                .filter(k -> k.value().getStatus() == SessionStatus.CLOSED)
                .count();
        System.out.printf(
                "RecoveryITCase: replayed %d clicks + %d dwells; committed sessions A=%d B=%d (CLOSED in A: %d), "
                        + "dead letters A=%d B=%d; B: failure after %d completed checkpoints and %d events since the last one, "
                        + "%d aborted session records, %d checkpoints completed after the restart; run A %d ms, run B %d ms%n",
                a.replayed().clicks(),
                a.replayed().dwells(),
                a.sessions().size(),
                b.sessions().size(),
                closed,
                a.deadLetters().size(),
                b.deadLetters().size(),
                FailOnce.CHECKPOINTS_BEFORE_FAILURE.get(),
                FailOnce.RECORDS_SINCE_CHECKPOINT_AT_FAILURE.get(),
                b.sessionRecordsUncommittedView() - b.sessions().size(),
                FailOnce.CHECKPOINTS_AFTER_RESTART.get(),
                a.millis(),
                b.millis());

        // The failure really happened where it should, and the job really restarted and checkpointed again.
        assertThat(FailOnce.THROWN).as("the injected failure was thrown").isTrue();
        assertThat(FailOnce.CHECKPOINTS_BEFORE_FAILURE.get())
                .as("completed checkpoints before the failure")
                .isGreaterThanOrEqualTo(2);
        assertThat(FailOnce.RECORDS_SINCE_CHECKPOINT_AT_FAILURE.get()).isGreaterThanOrEqualTo(RECORDS_AFTER_CHECKPOINT);
        assertThat(FailOnce.MAX_ATTEMPT.get())
                .as("highest execution attempt that ran")
                .isEqualTo(1);
        assertThat(FailOnce.CHECKPOINTS_AFTER_RESTART.get())
                .as("checkpoints completed in attempt 1")
                .isGreaterThanOrEqualTo(1);
        // The failure left records in an open transaction, which the restart aborted; run A aborted nothing.
        assertThat(b.sessionRecordsUncommittedView())
                .as("run B: session records incl. aborted ones")
                .isGreaterThan(b.sessions().size());
        assertThat(a.sessionRecordsUncommittedView())
                .as("run A: session records incl. aborted ones")
                .isEqualTo(a.sessions().size());

        // The comparison is not trivial.
        assertThat(b.replayed()).isEqualTo(a.replayed());
        assertThat(closed).as("CLOSED sessions of run A").isGreaterThan(100);

        assertSameMultiset("attention-sessions", a.sessions(), b.sessions());
        assertSameMultiset("attention-dlq (observed_at aside)", a.deadLetters(), b.deadLetters());
        // No alert twice, none lost: the two TAKE_A_BREAK alerts of this file (EbnerdReplayITCase
        // explains them, and its UNUSUAL_USAGE) and its 599 daily reports (Copenhagen days), in both
        // runs; and the topic trends (noise off).
        assertThat(a.alerts())
                .extracting(k -> k.value().getType())
                .filteredOn(type -> type == AlertType.TAKE_A_BREAK)
                .hasSize(2);
        assertThat(a.reports()).hasSize(599);
        assertThat(a.trends()).isNotEmpty();
        assertSameMultiset("attention-alerts", a.alerts(), b.alerts());
        assertSameMultiset("attention-reports", a.reports(), b.reports());
        assertSameMultiset("topic-trends", a.trends(), b.trends());
    }

    /** One run on its own topics of the shared broker: replay, job, drain. */
    static RunResult run(String name, Path data, Path key, boolean injectFailure) throws Exception {
        long start = System.nanoTime();
        { // the shared broker; the run's own topics, group and transactional ids
            EmbeddedKafka kafka = SharedKafka.get();
            JobOptions options = TestJobs.prefixed(TestJobs.defaults(), SharedKafka.prefix(RecoveryITCase.class, name));
            options.bootstrapServers = kafka.bootstrapServers();
            options.pseudonymKeyFile = key.toString();
            options.bounded = true;
            options.parallelism = 2;
            options.checkpointInterval = Duration.ofMillis(500);
            options.checkpointDir = dir.resolve("checkpoints-" + name).toUri().toString();
            options.jobName = "recovery-" + name;
            options.alertsMaxAge = Duration.ZERO; // a replay of 2023: send the alerts of the past
            options.defaultTimeZone = "Europe/Copenhagen"; // as EbnerdReplayITCase, whose counts are checked in python
            options.trendsEpsilon = 1e300; // no noise, so the two runs' trends can be compared
            options.trendsMinUsers = 1;
            try (var admin = kafka.admin()) {
                Topics.createAll(admin, options, 2);
            }

            Properties producer = new Properties();
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            ReplayResult replayed = DatasetReplay.replay(
                    ReplayOptions.parse("--dataset", "ebnerd-history:" + data),
                    producer,
                    options.clickstreamTopic,
                    options.dwellTopic,
                    false);

            Configuration conf = JobConfiguration.of(options);
            if (injectFailure) {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
            } else {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a restart would fail run A
            }
            UnaryOperator<DataStream<AttentionEvent>> hook = injectFailure
                    ? in -> in.map(new FailOnce())
                            .returns(in.getType())
                            .uid("test-fail-once")
                            .name("Test: throttle, fail once")
                    : UnaryOperator.identity();
            StreamExecutionEnvironment env = TestJobs.graph(conf, options, hook);
            env.execute(options.jobName);

            List<Keyed<SessionSummary>> sessions = drain(
                    kafka,
                    options.sessionsTopic,
                    Map.of(),
                    v -> decode(() -> SessionSummary.getDecoder().decode(v)));
            List<Keyed<DeadLetter>> deadLetters = drain(kafka, options.dlqTopic, Map.of(), v -> {
                DeadLetter dl = decode(() -> DeadLetter.getDecoder().decode(v));
                dl.setObservedAt(Instant.EPOCH); // processing time: differs between runs by nature
                return dl;
            });
            List<Keyed<AttentionAlert>> alerts = drain(
                    kafka,
                    options.alertsTopic,
                    Map.of(),
                    v -> decode(() -> AttentionAlert.getDecoder().decode(v)));
            List<Keyed<DailyAttentionReport>> reports = drain(
                    kafka,
                    options.reportsTopic,
                    Map.of(),
                    v -> decode(() -> DailyAttentionReport.getDecoder().decode(v)));
            List<Keyed<TopicTrend>> trends = drain(
                    kafka,
                    options.trendsTopic,
                    Map.of(),
                    v -> decode(() -> TopicTrend.getDecoder().decode(v)));
            long uncommittedView = drain(
                            kafka,
                            options.sessionsTopic,
                            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                            v -> v)
                    .size();
            return new RunResult(
                    sessions,
                    deadLetters,
                    alerts,
                    reports,
                    trends,
                    uncommittedView,
                    replayed,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Asserts multiset equality and, when it fails, shows a readable difference rather than two long lists. */
    static <V> void assertSameMultiset(String what, List<Keyed<V>> a, List<Keyed<V>> b) {
        Map<Keyed<V>, Integer> counts = new HashMap<>();
        a.forEach(k -> counts.merge(k, 1, Integer::sum));
        b.forEach(k -> counts.merge(k, -1, Integer::sum));
        List<String> onlyA = new ArrayList<>();
        List<String> onlyB = new ArrayList<>();
        counts.forEach((k, n) -> {
            if (n > 0) {
                onlyA.add(n + " x " + k);
            } else if (n < 0) {
                onlyB.add(-n + " x " + k);
            }
        });
        assertThat(onlyA.size() + onlyB.size())
                .as(
                        "%s: %d records in run A, %d in run B; %d distinct only (or more often) in A, e.g. %s; %d only (or more often) in B, e.g. %s",
                        what,
                        a.size(),
                        b.size(),
                        onlyA.size(),
                        onlyA.subList(0, Math.min(10, onlyA.size())),
                        onlyB.size(),
                        onlyB.subList(0, Math.min(10, onlyB.size())))
                .isZero();
        assertThat(b).hasSameSizeAs(a);
    }

    /**
     * The injected operator: 1 ms per event, and one RuntimeException in execution attempt 0 after at
     * least 2 completed checkpoints plus {@link #RECORDS_AFTER_CHECKPOINT} events. Statics, because
     * the MiniCluster runs in this JVM and every subtask and attempt works on its own copy.
     */
    static final class FailOnce extends RichMapFunction<AttentionEvent, AttentionEvent> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean THROWN = new AtomicBoolean();
        static final AtomicInteger CHECKPOINTS_BEFORE_FAILURE = new AtomicInteger(-1);
        static final AtomicLong RECORDS_SINCE_CHECKPOINT_AT_FAILURE = new AtomicLong(-1);
        static final AtomicInteger MAX_ATTEMPT = new AtomicInteger(-1);
        static final AtomicInteger CHECKPOINTS_AFTER_RESTART = new AtomicInteger();

        private transient int attempt;
        private transient int completedCheckpoints;
        private transient long sinceCheckpoint;

        static void reset() {
            THROWN.set(false);
            CHECKPOINTS_BEFORE_FAILURE.set(-1);
            RECORDS_SINCE_CHECKPOINT_AT_FAILURE.set(-1);
            MAX_ATTEMPT.set(-1);
            CHECKPOINTS_AFTER_RESTART.set(0);
        }

        @Override
        public void open(OpenContext openContext) {
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            MAX_ATTEMPT.accumulateAndGet(attempt, Math::max);
        }

        @Override
        public AttentionEvent map(AttentionEvent e) throws Exception {
            Thread.sleep(1);
            sinceCheckpoint++;
            if (attempt == 0
                    && completedCheckpoints >= 2
                    && sinceCheckpoint >= RECORDS_AFTER_CHECKPOINT
                    && THROWN.compareAndSet(false, true)) {
                CHECKPOINTS_BEFORE_FAILURE.set(completedCheckpoints);
                RECORDS_SINCE_CHECKPOINT_AT_FAILURE.set(sinceCheckpoint);
                throw new RuntimeException("injected failure (RecoveryITCase) after " + completedCheckpoints
                        + " completed checkpoints and " + sinceCheckpoint + " events since the last one");
            }
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            completedCheckpoints++;
            if (attempt > 0) {
                CHECKPOINTS_AFTER_RESTART.accumulateAndGet(completedCheckpoints, Math::max);
            }
            sinceCheckpoint = 0;
        }
    }
}
