package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;
import static org.attentionanalytics.testutil.Events.withId;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/**
 * Erasure (DESIGN.md section 9) and state retention in the per-user operator, on RocksDB in the
 * operator test harness: ERASURE records are fed directly, as the {@code privacy-requests} source
 * turns them into {@link AttentionEvent}s (event_id = request id, event_time = requested_at, user =
 * pseudonym).
 */
class ErasureTest {
    private static final String U = "u-erased";
    private static final String V = "u-kept";
    private static final long END_OF_TIME = T0 + minutes(24 * 60);

    static AttentionEvent erasure(String user, String requestId, long requestedAt) {
        return AttentionEvent.newBuilder()
                .setKind(EventKind.ERASURE)
                .setEventId(requestId)
                .setUser(user)
                .setEventTime(requestedAt)
                .build();
    }

    /**
     * U: a view and dwell at 0:00 applied (one open session, a vector), views at 3:00 and 10:00
     * pending behind the 2:00 watermark; V: one view at 1:00.
     *
     * @return the interest-vector records written so far
     */
    private static int twoUsersWithASessionAndPendingEvents(SessionHarness h) throws Exception {
        h.send(
                view(U, "a", at(0, 0), "news.politics"),
                dwell(U, "a", 30_000, at(0, 40)),
                view(U, "b", at(3, 0), "sport"),
                view(V, "x", at(1, 0), "culture"));
        h.watermark(at(2, 0)); // applies U's first view and dwell and V's view; U's 3:00 view waits
        h.send(view(U, "c", at(10, 0), "news.politics")); // ahead of the watermark: pending

        UserState before = h.state(U);
        assertThat(before.getSessions()).hasSize(1);
        assertThat(before.getPending()).hasSize(2); // 3:00 and 10:00
        assertThat(before.getDedupeHashes())
                .as("the applied events; pending ones are de-duplicated when applied")
                .hasSize(2);
        assertThat(before.getInterest()).isNotNull();
        assertThat(before.getNextTimer()).isEqualTo(at(3, 0)); // the first pending event
        assertThat(h.eventTimeTimers()).isEqualTo(2); // one per user
        assertThat(h.stateKeys()).containsExactly(U, V);
        assertThat(h.function().openSessions()).isEqualTo(2);
        assertThat(h.vectorRecords()).filteredOn(r -> r.getUser().equals(U)).isNotEmpty();
        return h.vectorRecords().size();
    }

    @Test
    void erasureClearsEveryPieceOfStateAndTheTimerAndWritesTombstoneAndConfirmation() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            int vectorsBefore = twoUsersWithASessionAndPendingEvents(h);

            h.processingTime(1_234_567L);
            h.send(erasure(U, "req-1", at(5, 0)));

            assertThat(h.state(U)).as("U's state after the erasure").isNull();
            assertThat(h.stateKeys()).as("users with a state entry").containsExactly(V);
            assertThat(h.eventTimeTimers()).as("timers: V's only").isEqualTo(1);
            assertThat(h.function().openSessions())
                    .as("openSessions: U's open session dropped")
                    .isEqualTo(1);
            assertThat(h.confirmations())
                    .containsExactly(ErasureConfirmation.newBuilder()
                            .setRequestId("req-1")
                            .setUser(U)
                            .setErasedAt(Instant.ofEpochMilli(1_234_567L))
                            .setCleared(List.of(
                                    "dedupe",
                                    "pending-events",
                                    "sessions",
                                    "interest-vector",
                                    "trend-windows",
                                    "attention",
                                    "timers"))
                            .build());
            List<InterestVectorUpdate> vectors = h.vectorRecords();
            assertThat(vectors).hasSize(vectorsBefore + 1);
            assertThat(vectors.get(vectors.size() - 1))
                    .as("the tombstone, after every vector of U")
                    .isEqualTo(InterestVectorUpdate.newBuilder()
                            .setUser(U)
                            .setVector(null)
                            .build());

            // The watermark passes everything: U's dropped session gets no summary, U's timer never fires.
            int summariesBefore = h.summaries().size();
            h.watermark(END_OF_TIME);
            assertThat(h.summaries().subList(summariesBefore, h.summaries().size()))
                    .extracting(SessionSummary::getUser, SessionSummary::getStatus)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(V, SessionStatus.CLOSED));
            assertThat(h.vectorRecords().stream().skip(vectorsBefore + 1))
                    .noneMatch(r -> r.getUser().equals(U));
            assertThat(h.state(U)).isNull();
        }
    }

    /** A replay (--bounded): the same events are erased whatever the reading order of the topics. */
    @Test
    void inABoundedRunAnErasureTakesEffectAtItsRequestedAtInEventTime() throws Exception {
        UserActivityFunction f = new UserActivityFunction(
                        minutes(30), minutes(720), minutes(5), minutes(60), minutes(7 * 24 * 60))
                .withErasureInEventTime(true);
        try (SessionHarness h = new SessionHarness(f)) {
            int vectorsBefore = twoUsersWithASessionAndPendingEvents(h);

            h.processingTime(1_234_567L);
            h.send(erasure(U, "req-1", at(5, 0)));
            // requested_at 5:00 is ahead of the watermark (2:00): the request waits for event time.
            assertThat(h.confirmations()).isEmpty();
            assertThat(h.state(U).getPending())
                    .extracting(AttentionEvent::getKind)
                    .containsExactly(EventKind.CLICK, EventKind.ERASURE, EventKind.CLICK); // 3:00, 5:00, 10:00

            h.watermark(at(5, 0));
            // In event-time order: the 3:00 view joins U's session, then the erasure clears everything;
            // the 10:00 view comes after the request and stays, alone, in a new empty state.
            UserState after = h.state(U);
            assertThat(after.getPending())
                    .extracting(AttentionEvent::getEventTime)
                    .containsExactly(at(10, 0));
            assertThat(after.getSessions()).isEmpty();
            assertThat(after.getDedupeHashes()).isEmpty();
            assertThat(after.getInterest()).isNull();
            assertThat(after.getAttention()).isNull();
            assertThat(after.getTrendWindows()).isEmpty();
            assertThat(after.getNextTimer())
                    .as("a timer for the kept event only")
                    .isEqualTo(at(10, 0));
            assertThat(h.eventTimeTimers()).as("timers: U's for 10:00 and V's").isEqualTo(2);
            assertThat(h.function().openSessions())
                    .as("openSessions: U's open session dropped")
                    .isEqualTo(1);
            // the 3:00 timer had fired (it is what applied the request), so no timer was cleared
            assertThat(h.confirmations())
                    .containsExactly(ErasureConfirmation.newBuilder()
                            .setRequestId("req-1")
                            .setUser(U)
                            .setErasedAt(Instant.ofEpochMilli(1_234_567L))
                            .setCleared(List.of("dedupe", "sessions", "interest-vector", "trend-windows", "attention"))
                            .build());
            List<InterestVectorUpdate> vectors = h.vectorRecords();
            assertThat(vectors.get(vectors.size() - 1))
                    .as("the tombstone, after every vector of U")
                    .isEqualTo(InterestVectorUpdate.newBuilder()
                            .setUser(U)
                            .setVector(null)
                            .build());
            assertThat(vectors.subList(vectorsBefore, vectors.size()))
                    .filteredOn(r -> r.getUser().equals(U))
                    .as("U's 3:00 view may move its vector before the erasure; the tombstone comes last")
                    .last()
                    .isEqualTo(InterestVectorUpdate.newBuilder()
                            .setUser(U)
                            .setVector(null)
                            .build());

            // The watermark passes everything: U's dropped session gets no summary; the 10:00 view is a
            // session of its own, counted from empty state.
            int summariesBefore = h.summaries().size();
            h.watermark(END_OF_TIME);
            assertThat(h.summaries().subList(summariesBefore, h.summaries().size()))
                    .filteredOn(x -> x.getStatus() == SessionStatus.CLOSED)
                    .extracting(SessionSummary::getUser, SessionSummary::getStart, SessionSummary::getEventCount)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(V, Instant.ofEpochMilli(at(1, 0)), 1),
                            org.assertj.core.groups.Tuple.tuple(U, Instant.ofEpochMilli(at(10, 0)), 1));
        }
    }

    @Test
    void laterEventsOfTheErasedUserStartFromEmptyState() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            AttentionEvent first = view(U, "a", at(0, 0), "news.politics");
            h.send(first, view(U, "b", at(1, 0), "news.politics")).watermark(at(2, 0));
            h.send(erasure(U, "req-2", at(2, 0)));
            // The same event id again: not a duplicate (the dedupe memory is gone), a new session of one event.
            h.send(withId(view(U, "c", at(2, 30), "sport"), first.getEventId())).watermark(END_OF_TIME);

            List<SessionSummary> closed = h.summaries(SessionStatus.CLOSED);
            assertThat(closed).hasSize(1);
            assertThat(closed.get(0).getStart()).isEqualTo(Instant.ofEpochMilli(at(2, 30)));
            assertThat(closed.get(0).getEventCount()).isEqualTo(1);
            assertThat(closed.get(0).getSessionId()).isEqualTo(Hashes.sessionId(U, at(2, 30)));
            InterestVectorUpdate last = h.vectorRecords().get(h.vectorRecords().size() - 1);
            assertThat(last.getVector()).isNotNull();
            assertThat(last.getVector().getEventsCounted())
                    .as("events counted since the erasure")
                    .isEqualTo(1);
            assertThat(last.getVector().getTop()).extracting(t -> t.getTopic()).containsExactly("sport");
            assertThat(h.function().openSessions()).isZero();
        }
    }

    @Test
    void erasureOfAUserWithoutStateConfirmsNothingClearedAndWritesATombstone() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.processingTime(42L);
            h.send(erasure("nobody", "req-3", T0));
            assertThat(h.confirmations())
                    .containsExactly(ErasureConfirmation.newBuilder()
                            .setRequestId("req-3")
                            .setUser("nobody")
                            .setErasedAt(Instant.ofEpochMilli(42L))
                            .setCleared(List.of())
                            .build());
            assertThat(h.vectorRecords())
                    .containsExactly(
                            InterestVectorUpdate.newBuilder().setUser("nobody").build());
            assertThat(h.stateKeys()).isEmpty();
            assertThat(h.eventTimeTimers()).isZero();
            assertThat(h.summaries()).isEmpty();
        }
    }

    @Test
    void inALiveJobAnErasureIsAppliedAtOnceWhateverItsEventTimeAndTheWatermark() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(view(U, "a", at(0, 0), "news")).watermark(at(30, 0));
            // requested_at far behind the watermark: never TOO_LATE, never buffered
            h.send(erasure(U, "req-4", T0 - minutes(600)));
            assertThat(h.deadLetters()).isEmpty();
            assertThat(h.state(U)).isNull();
            assertThat(h.confirmations())
                    .extracting(ErasureConfirmation::getCleared)
                    .containsExactly(
                            List.of("dedupe", "sessions", "interest-vector", "trend-windows", "attention", "timers"));
        }
    }

    @Test
    void oneTimerPerUserEvenWhenAnEarlierDeadlineArrives() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.watermark(at(0, 0));
            h.send(view(U, "a", at(10, 0))); // pending: timer at 10:00
            h.send(view(U, "b", at(5, 0))); // pending, earlier: timer at 5:00 replaces it
            assertThat(h.eventTimeTimers()).isEqualTo(1);
            assertThat(h.state(U).getNextTimer()).isEqualTo(at(5, 0));
            h.watermark(END_OF_TIME);
            assertThat(h.summaries(SessionStatus.CLOSED))
                    .extracting(SessionSummary::getEventCount)
                    .containsExactly(2);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Retention: state TTL in processing time (the harness's TTL clock)
    // ---------------------------------------------------------------------------------------------

    @Test
    void withAShortTtlAnIdleUsersStateIsGoneAndAnActiveOnesIsNot() throws Exception {
        Duration ttl = Duration.ofMinutes(10);
        UserActivityFunction f = new UserActivityFunction(
                        minutes(30), minutes(720), minutes(5), minutes(60), minutes(7 * 24 * 60))
                .withStateTtl(ttl);
        String idle = "idle";
        String active = "active";
        try (SessionHarness h = new SessionHarness(f)) {
            h.processingTime(0);
            h.send(view(idle, "a", at(0, 0), "news"), view(active, "b", at(0, 0), "news"));
            h.watermark(at(1, 0));
            for (int m = 1; m <= 4; m++) { // the active user writes every 4 minutes of processing time
                h.processingTime(Duration.ofMinutes(4L * m).toMillis());
                h.send(view(active, "b" + m, at(m, 30), "news"));
                h.watermark(at(m, 31)); // applied (and its state written) once the watermark passes it
            }
            // processing time 16 min: idle last written at 0 (+ the watermark's flush at 0), active at 16 min
            assertThat(h.state(idle))
                    .as("idle user's state after 16 min (TTL 10 min)")
                    .isNull();
            assertThat(h.state(active)).as("active user's state").isNotNull();
            assertThat(h.state(active).getDedupeHashes()).hasSize(5);

            // The idle user's timer fires after its state expired: harmless (no output, no state).
            int summaries = h.summaries().size();
            h.watermark(END_OF_TIME);
            assertThat(h.summaries().subList(summaries, h.summaries().size()))
                    .extracting(SessionSummary::getUser)
                    .containsOnly(active);
            assertThat(h.state(idle)).isNull();

            // 10 min after its last write the active user's state has expired too.
            h.processingTime(Duration.ofMinutes(16 + 10).toMillis() + 1);
            assertThat(h.state(active)).isNull();
            assertThat(h.stateKeys()).as("expired entries removed when read").isEmpty();
        }
    }

    @Test
    void ttlZeroKeepsStateForever() throws Exception {
        UserActivityFunction f = new UserActivityFunction(
                        minutes(30), minutes(720), minutes(5), minutes(60), minutes(7 * 24 * 60))
                .withStateTtl(Duration.ZERO);
        try (SessionHarness h = new SessionHarness(f)) {
            h.processingTime(0);
            h.send(view(U, "a", at(0, 0), "news"));
            h.processingTime(Duration.ofDays(3650).toMillis());
            assertThat(h.state(U)).isNotNull();
            assertThat(UserStateDescriptors.stateDescriptor(0).getTtlConfig().isEnabled())
                    .isFalse();
            assertThat(UserStateDescriptors.stateDescriptor(Duration.ofDays(30).toMillis())
                            .getTtlConfig()
                            .getTimeToLive())
                    .isEqualTo(Duration.ofDays(30));
        }
    }
}
