package org.attentionanalytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.attentionanalytics.avro.AttentionBudget;
import org.attentionanalytics.avro.ClickEvent;
import org.attentionanalytics.avro.DeadLetter;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.DwellEvent;
import org.attentionanalytics.avro.ErasureRequest;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.privacy.Pseudonymizer;
import org.attentionanalytics.testutil.GraphRun;
import org.attentionanalytics.testutil.OutputTopics;
import org.attentionanalytics.testutil.RawRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Event time of the real, unbounded job (DESIGN.md section 4) against the wall clock, on the fast
 * tier ({@link GraphRun}): the whole graph live on a MiniCluster, its sources in-memory partitions
 * read through the job's doors with watermarks per partition (split) as the Kafka source makes
 * them, events stamped relative to {@link Instant#now()}, checkpoints every 500 ms, idleness 2 s
 * and an inactivity gap of 1 min, so sessions close within seconds. Each test starts the job with
 * {@code executeAsync}, polls the collected outputs until the expected records are there (60 s at
 * most) and cancels the job. Each test has its own input and output topics.
 *
 * <ul>
 *   <li>{@link #silentPartitionsDoNotHoldBackTheWatermark}: with events in one partition of the
 *       clickstream topic only (and, in one variant, one partition of the dwell-time topic; in the
 *       other the dwell-time topic is entirely empty, so the whole second source is idle), a
 *       session closes while the job runs. Without idleness the partitions that never saw an
 *       event would keep the watermark at its minimum forever and nothing would ever close.
 *   <li>{@link #futureEventsAreCappedAtTheClock}: an event 2 days ahead is a {@code
 *       FUTURE_TIMESTAMP} dead letter judged in the source; an event 5 min ahead (within {@code
 *       --max-future}, 10 min) is accepted but does not carry the watermark beyond the processing
 *       clock minus the out-of-orderness: a session ending "now" is not closed, while an older
 *       session in the same partition closes normally.
 * </ul>
 */
class WatermarkTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = GraphRun.miniCluster();

    /** Longest wait for an expected output. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static final Duration GAP = Duration.ofMinutes(1);
    static final Duration IDLENESS = Duration.ofSeconds(2);
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static Path keyFile;
    static Pseudonymizer pseudonyms;

    @BeforeAll
    static void writeKey() throws Exception {
        keyFile = dir.resolve("key");
        Files.writeString(keyFile, "watermark-it-key\n");
        pseudonyms = new Pseudonymizer(Pseudonymizer.loadKey(keyFile.toString()));
    }

    /**
     * Timeline (T0 = now when the events are produced, gap 1 min, out-of-orderness 30 s), all clicks
     * in partition 0 of the clickstream topic; partition 1 never gets a record:
     *
     * <pre>
     * T0-5m     u1 VIEW a
     * T0-4m20s  u1 VIEW b             (40 s later: a gap of exactly 1 min would start a new session)
     * T0-4m     u1 dwell b, 20 s      (only with dwell, in dwell-time partition 1; u1's session ends
     *                                  at T0-4m either way: CLOSED once the watermark reaches T0-3m)
     * T0-1m     u5 VIEW c             -> partition 0's watermark: min(T0-1m, clock) - 30 s - 1 ms = T0-1m30s
     * </pre>
     *
     * The watermark reaches T0-1m30s > u1's end + gap only once the partitions without events (and
     * the dwell-time partition, whose own watermark stays at T0-4m30s) are marked idle, 2 s after
     * their last record. u5's event is never even applied: it is ahead of that watermark.
     */
    @ParameterizedTest(name = "with dwell events in one partition: {0}")
    @ValueSource(booleans = {true, false})
    void silentPartitionsDoNotHoldBackTheWatermark(boolean withDwell) throws Exception {
        JobOptions options = options("silent-" + withDwell, keyFile);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String c = options.clickstreamTopic;
        List<Input> in = new ArrayList<>(List.of(
                record(c, 0, "u1", click("u1-1", "u1", "a", t0.minus(5, ChronoUnit.MINUTES))),
                record(c, 0, "u1", click("u1-2", "u1", "b", t0.minusSeconds(260))),
                record(c, 0, "u5", click("u5-1", "u5", "c", t0.minus(1, ChronoUnit.MINUTES)))));
        if (withDwell) {
            in.add(record(
                    options.dwellTopic, 1, "u1", dwell("u1-3", "u1", "b", 20_000, t0.minus(4, ChronoUnit.MINUTES))));
        }
        String u1 = pseudonyms.pseudonym("u1");
        String u5 = pseudonyms.pseudonym("u5");
        long started = System.nanoTime();
        try (GraphRun run = produce(options, in);
                Outputs out = new Outputs(run, options);
                RunningJob job = RunningJob.start(run)) {
            // Upsert semantics: the latest record per session_id counts. With dwell, a slow dwell reader
            // could see its partition idle before its record arrives; the dwell event would then be late
            // (within the allowed lateness) and re-close the session with 3 events.
            int events = withDwell ? 3 : 2;
            out.pollUntil(
                    job,
                    o -> o.latest(u1)
                            .filter(s -> s.getStatus() == SessionStatus.CLOSED && s.getEventCount() == events)
                            .isPresent());
            SessionSummary closed = out.latest(u1).orElseThrow();
            System.out.printf(
                    "WatermarkTest: u1 CLOSED after %d ms (with dwell: %s)%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis(), withDwell);

            Instant start = t0.minus(5, ChronoUnit.MINUTES);
            assertThat(closed.getSessionId()).isEqualTo(Hashes.sessionId(u1, start.toEpochMilli()));
            assertThat(closed.getStart()).isEqualTo(start);
            assertThat(closed.getEnd()).isEqualTo(withDwell ? t0.minus(4, ChronoUnit.MINUTES) : t0.minusSeconds(260));
            assertThat(closed.getViews()).isEqualTo(2);
            assertThat(closed.getEngagedMs()).isEqualTo(withDwell ? 20_000 : 0);
            // The watermark stops at T0-1m30s: u5's event at T0-1m stays ahead of it, buffered until
            // the watermark passes it, so u5 has no record at all, even a few checkpoints later.
            out.pollFor(job, Duration.ofSeconds(2));
            assertThat(out.sessions).noneMatch(s -> s.getUser().equals(u5));
            assertThat(out.deadLetters).isEmpty();
        }
    }

    /**
     * Timeline (T0 = now when the events are produced, truncated to the second; gap 1 min,
     * out-of-orderness 30 s, max future 10 min), all in partition 0 of the clickstream topic:
     *
     * <pre>
     * T0-3m      u2 VIEW          u2's session: end T0-2m30s, closes when the watermark reaches T0-1m30s
     * T0-2m30s   u2 VIEW
     * T0-30s     u4 VIEW          u4's session: end T0, closes when the watermark reaches T0+1m
     * T0         u4 VIEW
     * T0+2d      u3 VIEW          FUTURE_TIMESTAMP dead letter (more than 10 min ahead of the clock)
     * T0+5m      u3 VIEW          accepted; the largest event time of the partition
     * </pre>
     *
     * The watermark is {@code min(max event time, clock) - 30 s - 1 ms}. Max event time is T0+5m
     * and the clock is a little after T0 when the job reads the events, so the watermark is about
     * clock - 30 s, at least T0-30s: u2 (needs T0-1m30s) closes at once, with a minute of slack;
     * u4's events at T0-30s is applied (an OPEN record) and the one at T0 waits for the watermark.
     * u4 could close only once the clock passes T0+1m30s, and only while the partition still has
     * traffic (once idle, the partition's watermark stops moving). A watermark that followed the
     * future event (T0+5m - 30 s = T0+4m30s) would close u4 at once, in the same instant as u2.
     * So: once u2's CLOSED and the dead letter are visible, and 2 s later,
     * u4 must still have no CLOSED record; the test checks that it got there well before T0+1m30s.
     */
    @Test
    void futureEventsAreCappedAtTheClock() throws Exception {
        JobOptions options = options("future", keyFile);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String c = options.clickstreamTopic;
        Instant twoDaysAhead = t0.plus(2, ChronoUnit.DAYS);
        List<Input> in = List.of(
                record(c, 0, "u2", click("u2-1", "u2", "a", t0.minus(3, ChronoUnit.MINUTES))),
                record(c, 0, "u2", click("u2-2", "u2", "b", t0.minusSeconds(150))),
                record(c, 0, "u4", click("u4-1", "u4", "a", t0.minusSeconds(30))),
                record(c, 0, "u4", click("u4-2", "u4", "b", t0)),
                record(c, 0, "u3", click("u3-1", "u3", "a", twoDaysAhead)),
                record(c, 0, "u3", click("u3-2", "u3", "b", t0.plus(5, ChronoUnit.MINUTES))));

        String u2 = pseudonyms.pseudonym("u2");
        String u3 = pseudonyms.pseudonym("u3");
        String u4 = pseudonyms.pseudonym("u4");
        long started = System.nanoTime();
        try (GraphRun run = produce(options, in);
                Outputs out = new Outputs(run, options);
                RunningJob job = RunningJob.start(run)) {
            out.pollUntil(
                    job,
                    o -> !o.deadLetters.isEmpty()
                            && o.latest(u2)
                                    .filter(s -> s.getStatus() == SessionStatus.CLOSED)
                                    .isPresent()
                            && o.latest(u4).isPresent());
            System.out.printf(
                    "WatermarkTest: u2 CLOSED and dead letter after %d ms%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            // Keep reading for 10 watermark intervals (200 ms): a wrongly closed u4 would be written in the
            // same instant as u2's close, and the collecting sinks show records when written (no commit to wait for).
            out.pollFor(job, Duration.ofSeconds(2));
            Duration sinceT0 = Duration.between(t0, Instant.now());
            System.out.printf("WatermarkTest: u4 checked %d ms after T0%n", sinceT0.toMillis());

            SessionSummary closed = out.latest(u2).orElseThrow();
            assertThat(closed.getStatus()).isEqualTo(SessionStatus.CLOSED);
            assertThat(closed.getStart()).isEqualTo(t0.minus(3, ChronoUnit.MINUTES));
            assertThat(closed.getEnd()).isEqualTo(t0.minusSeconds(150));
            assertThat(closed.getEventCount()).isEqualTo(2);
            assertThat(closed.getSessionId())
                    .isEqualTo(
                            Hashes.sessionId(u2, t0.minus(3, ChronoUnit.MINUTES).toEpochMilli()));

            assertThat(sinceT0)
                    .as("the check of u4 must happen well before the clock lets the watermark reach "
                            + "u4's end + gap (T0+1m30s); the machine was too slow for this test to mean anything")
                    .isLessThan(Duration.ofSeconds(80));
            assertThat(out.sessions)
                    .filteredOn(s -> s.getUser().equals(u4))
                    .as(
                            "u4 (end T0) is not closed by u3's event at T0+5m: the watermark stays at or below clock - 30 s")
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(SessionStatus.OPEN))
                    .allSatisfy(s -> assertThat(s.getStart()).isEqualTo(t0.minusSeconds(30)));
            // u3's event at T0+5m is accepted (no dead letter) and waits for the watermark: no record yet.
            assertThat(out.sessions).noneMatch(s -> s.getUser().equals(u3));

            assertThat(out.deadLetters).hasSize(1);
            Map.Entry<String, DeadLetter> dead = out.deadLetters.get(0);
            assertThat(dead.getKey()).isEqualTo(u3);
            assertThat(dead.getValue().getReason()).isEqualTo(DeadLetterReason.FUTURE_TIMESTAMP);
            assertThat(dead.getValue().getSourceTopic()).isEqualTo(c);
            assertThat(dead.getValue().getPartition()).isZero();
            assertThat(dead.getValue().getOffset()).isEqualTo(4);
            assertThat(dead.getValue().getDetail()).contains(twoDaysAhead.toString());
        }
    }

    /**
     * Control records never hold event time back (io/ControlWatermarks). Timeline (T0 = now when
     * the events are produced, gap 1 min, out-of-orderness 30 s), clicks in clickstream partition 0:
     *
     * <pre>
     * T0-10m     u1 VIEW
     * T0-9m40s   u1 VIEW           u1 closes when the watermark reaches T0-8m40s
     * T0-5m      u5 VIEW           -> watermark T0-5m30s: u1 closes; u5 (closes at T0-4m) stays open
     * --- the control topics have been silent since the job started; now: ---
     * T0-4m30s   budget of u5, again about every 300 ms until the end of the test; 3 s later:
     * T0-1d      erasure request for u9 (far behind the watermark), once
     * T0         u7 VIEW           -> the events alone take the watermark to about T0-30s
     * </pre>
     *
     * With the events' watermark generator on the budget partition, its watermark would be T0-5m
     * (T0-4m30s - 30 s - 1 ms): at or above the job's, so Flink counts it, and the steady trickle
     * keeps the partition active, so the job's watermark would stay at T0-5m and u5 would never
     * close. Control partitions are idle for good instead: u5 closes, and the erasure from a day ago
     * neither stops nor moves the watermark back (u5's session is not reopened, nothing is TOO_LATE).
     */
    @Test
    void controlRecordsAfterSilenceNeitherHoldBackNorRegressTheWatermark() throws Exception {
        JobOptions options = options("control", keyFile);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String c = options.clickstreamTopic;
        List<Input> in = List.of(
                record(c, 0, "u1", click("u1-1", "u1", "a", t0.minus(10, ChronoUnit.MINUTES))),
                record(c, 0, "u1", click("u1-2", "u1", "b", t0.minusSeconds(580))),
                record(c, 0, "u5", click("u5-1", "u5", "c", t0.minus(5, ChronoUnit.MINUTES))));
        String u1 = pseudonyms.pseudonym("u1");
        String u5 = pseudonyms.pseudonym("u5");
        String u7 = pseudonyms.pseudonym("u7");
        try (GraphRun run = produce(options, in);
                Outputs out = new Outputs(run, options);
                RunningJob job = RunningJob.start(run)) {
            out.pollUntil(
                    job,
                    o -> o.latest(u1)
                            .filter(s -> s.getStatus() == SessionStatus.CLOSED)
                            .isPresent());
            assertThat(out.latest(u5))
                    .as("u5 is ahead of the watermark T0-5m30s")
                    .isEmpty();

            AttentionBudget budget = AttentionBudget.newBuilder()
                    .setUserId("u5")
                    .setBudgets(Map.of("news", 30L))
                    .setUpdatedAt(t0.minusSeconds(270))
                    .build();
            ErasureRequest erasure = ErasureRequest.newBuilder()
                    .setRequestId("r9")
                    .setUserId("u9")
                    .setRequestedAt(t0.minus(1, ChronoUnit.DAYS))
                    .build();
            long started = System.nanoTime();
            long deadline = started + TIMEOUT.toNanos();
            long eventsSentAt = 0;
            int budgets = 0;
            while (out.latest(u5)
                    .filter(s -> s.getStatus() == SessionStatus.CLOSED)
                    .isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("u5 not closed within " + TIMEOUT.toSeconds() + " s of " + budgets
                            + " budget records: the control topic holds the watermark back; sessions: " + out.sessions);
                }
                job.assertAlive();
                send(run, record(options.budgetsTopic, 0, "u5", budget));
                budgets++;
                // after 3 s of budgets (longer than the idleness): the old erasure request and u7's event
                if (eventsSentAt == 0
                        && System.nanoTime() - started > Duration.ofSeconds(3).toNanos()) {
                    send(run, record(options.privacyRequestsTopic, 0, "u9", erasure));
                    send(run, record(c, 0, "u7", click("u7-1", "u7", "d", t0)));
                    eventsSentAt = System.nanoTime();
                }
                out.poll();
                Thread.sleep(100);
            }
            assertThat(eventsSentAt).as("u5 must close only after u7's event").isPositive();
            System.out.printf(
                    "WatermarkTest: u5 CLOSED %d ms after u7's event (%d budget records)%n",
                    Duration.ofNanos(System.nanoTime() - eventsSentAt).toMillis(), budgets);
            out.pollFor(job, Duration.ofSeconds(2));
            SessionSummary closed = out.latest(u5).orElseThrow();
            assertThat(closed.getStatus()).isEqualTo(SessionStatus.CLOSED);
            assertThat(closed.getStart()).isEqualTo(t0.minus(5, ChronoUnit.MINUTES));
            assertThat(closed.getEventCount()).isEqualTo(1);
            assertThat(out.latest(u1).orElseThrow().getStatus()).isEqualTo(SessionStatus.CLOSED);
            assertThat(out.sessions)
                    .as("u7 at T0 stays ahead of the watermark")
                    .noneMatch(s -> s.getUser().equals(u7));
            assertThat(out.deadLetters).isEmpty();
        }
    }

    // ---- fixtures ----

    /** Options of one test: unbounded, fast checkpoints, short idleness and gap, the pseudonym key in {@code key}. */
    static JobOptions options(String name, Path key) {
        JobOptions options = JobOptions.defaults();
        options.pseudonymKeyFile = key.toString();
        options.bounded = false;
        options.parallelism = 2;
        options.checkpointInterval = Duration.ofMillis(500);
        options.idleness = IDLENESS;
        options.inactivityGap = GAP;
        options.outOfOrderness = OUT_OF_ORDERNESS;
        options.jobName = "watermark-test-" + name;
        return options;
    }

    static ClickEvent click(String id, String user, String item, Instant at) {
        return ClickEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setEventType(EventType.VIEW)
                .setItemId(item)
                .setTopics(List.of("news"))
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

    /** A record of an input topic. */
    record Input(String topic, RawRecord record) {}

    /** A record for an explicit partition, keyed by the raw user id as producers do. */
    static Input record(String topic, int partition, String user, SpecificRecordBase value) {
        return new Input(topic, RawRecord.of(partition, user, value));
    }

    /** A new run of the job with {@code options} whose input topics hold {@code records}. */
    static GraphRun produce(JobOptions options, List<Input> records) {
        GraphRun run = new GraphRun(options);
        records.forEach(r -> send(run, r));
        return run;
    }

    /** Adds {@code r} to its input topic (also while the job runs). */
    static void send(GraphRun run, Input r) {
        run.add(r.topic(), r.record());
    }

    /** The unbounded job on the MiniCluster; closing cancels it. */
    static final class RunningJob implements AutoCloseable {
        final JobClient client;

        private RunningJob(JobClient client) {
            this.client = client;
        }

        /** Starts {@code run}'s graph (no restarts: a restart would replay and blur the test). */
        static RunningJob start(GraphRun run) throws Exception {
            return new RunningJob(run.start());
        }

        /** Fails the test with the job's own error when it is no longer running. */
        void assertAlive() throws Exception {
            JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status.isGloballyTerminalState()) {
                client.getJobExecutionResult().get(10, TimeUnit.SECONDS); // throws the failure cause
                throw new AssertionError("the unbounded job ended: " + status);
            }
        }

        @Override
        public void close() throws Exception {
            JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
            if (!status.isGloballyTerminalState()) {
                client.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Everything written to the sessions and dead-letter topics so far. */
    static final class Outputs implements AutoCloseable {
        final List<SessionSummary> sessions = new ArrayList<>();
        final List<Map.Entry<String, DeadLetter>> deadLetters = new ArrayList<>();
        private final OutputTopics topics;
        private final String sessionsTopic;
        private final String dlqTopic;

        Outputs(GraphRun run, JobOptions options) {
            topics = run.outputs();
            sessionsTopic = options.sessionsTopic;
            dlqTopic = options.dlqTopic;
        }

        /** @return the latest record of {@code user}'s only session (upsert semantics), if any */
        Optional<SessionSummary> latest(String user) {
            Map<String, SessionSummary> byId = new LinkedHashMap<>();
            sessions.stream().filter(s -> s.getUser().equals(user)).forEach(s -> byId.put(s.getSessionId(), s));
            assertThat(byId).as("sessions of " + user).hasSizeLessThanOrEqualTo(1);
            return byId.values().stream().findFirst();
        }

        /** Reads what has been written so far, after a short wait (as a consumer's poll). */
        void poll() throws InterruptedException {
            Thread.sleep(200);
            sessions.clear();
            for (OutputTopics.Keyed<SessionSummary> r : topics.decoded(sessionsTopic, SessionSummary.class)) {
                assertThat(r.key()).isEqualTo(r.value().getUser());
                sessions.add(r.value());
            }
            deadLetters.clear();
            topics.decoded(dlqTopic, DeadLetter.class).forEach(r -> deadLetters.add(Map.entry(r.key(), r.value())));
        }

        /** Polls until {@code done} holds; fails after {@link #TIMEOUT} or when the job dies. */
        void pollUntil(RunningJob job, Predicate<Outputs> done) throws Exception {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!done.test(this)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no expected output within " + TIMEOUT.toSeconds() + " s; sessions: "
                            + sessions + "; dead letters: " + deadLetters);
                }
                job.assertAlive();
                poll();
            }
        }

        /** Keeps reading for {@code time}. */
        void pollFor(RunningJob job, Duration time) throws Exception {
            long end = System.nanoTime() + time.toNanos();
            while (System.nanoTime() < end) {
                job.assertAlive();
                poll();
            }
        }

        @Override
        public void close() {}
    }
}
