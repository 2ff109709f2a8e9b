package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link UserActivityOperator}: events waiting for the watermark and users' values held on the
 * heap give the same records as reading and writing the keyed state for every event, and a
 * checkpoint holds what was on the heap. Scenario of DESIGN.md section 5 (gap 5 min, allowed
 * lateness 15 min): views at 0:00, 0:02, 0:10 and 0:12, the watermark at 0:18 closes [0:00-0:02]
 * and [0:10-0:12], then a late view at 0:06 bridges them: CLOSED [0:00-0:12] under the first id and
 * SUPERSEDED for the second.
 */
class UserActivityOperatorTest {
    private static final String U = "u1";
    private static final String V = "u2";

    private static UserActivityFunction function() {
        return new UserActivityFunction(minutes(5), minutes(720), minutes(15), minutes(60), minutes(7 * 24 * 60));
    }

    /**
     * @param checkpoints take a checkpoint (barrier and snapshot, the job going on) between the steps,
     *     while events wait and values are cached
     */
    private static List<SessionSummary> designExample(SessionHarness h, boolean checkpoints) throws Exception {
        h.send(view(U, "a", at(0, 0)), view(V, "x", at(0, 30)), view(U, "b", at(2, 0)));
        h.watermark(at(1, 0)); // applies U's 0:00 and V's 0:30; U's 0:02 waits
        if (checkpoints) {
            h.snapshot(1);
        }
        h.send(view(U, "c", at(10, 0)), view(U, "d", at(12, 0)));
        if (checkpoints) {
            h.snapshot(2);
        }
        h.watermark(at(18, 0));
        if (checkpoints) {
            for (long id = 3; id <= 5; id++) { // values written back stay held, clean, across barriers
                h.snapshot(id);
            }
        }
        h.send(view(U, "e", at(6, 0))); // late, within the allowed lateness: applied at once
        h.watermark(at(40, 0));
        return h.summaries();
    }

    @Test
    void heldOnTheHeapOrNotTheRecordsAreTheSameAndAsDesignSays() throws Exception {
        List<SessionSummary> direct;
        try (SessionHarness h = new SessionHarness(function(), 0, 0, null)) { // every event to the keyed state
            direct = designExample(h, false);
        }
        for (boolean checkpoints : new boolean[] {false, true}) {
            for (int[] heap : new int[][] {{100_000, 50_000}, {100_000, 1}, {1, 50_000}
            }) { // defaults; cache of 1 user; 1 waiting event
                try (SessionHarness h = new SessionHarness(function(), heap[0], heap[1], null)) {
                    assertThat(designExample(h, checkpoints))
                            .as("waiting %d, cached %d, checkpoints %s", heap[0], heap[1], checkpoints)
                            .isEqualTo(direct);
                }
            }
        }
        List<SessionSummary> closedOfU = direct.stream()
                .filter(s -> s.getUser().equals(U) && s.getStatus() == SessionStatus.CLOSED)
                .toList();
        String first = Hashes.sessionId(U, at(0, 0));
        String second = Hashes.sessionId(U, at(10, 0));
        assertThat(closedOfU).extracting(SessionSummary::getSessionId).containsExactly(first, second, first);
        assertThat(closedOfU)
                .extracting(s -> s.getEnd().toEpochMilli())
                .containsExactly(at(2, 0), at(12, 0), at(12, 0));
        assertThat(closedOfU).extracting(SessionSummary::getEventCount).containsExactly(2, 2, 5);
        assertThat(direct)
                .filteredOn(s -> s.getStatus() == SessionStatus.SUPERSEDED)
                .extracting(SessionSummary::getSessionId)
                .containsExactly(second);
        assertThat(direct)
                .filteredOn(s -> s.getUser().equals(V) && s.getStatus() == SessionStatus.CLOSED)
                .extracting(s -> s.getStart().toEpochMilli())
                .containsExactly(at(0, 30));
    }

    @Test
    void aCheckpointHoldsTheEventsAndValuesThatWereOnTheHeap() throws Exception {
        OperatorSubtaskState checkpoint;
        try (SessionHarness h = new SessionHarness(function())) {
            h.send(view(U, "a", at(0, 0)), view(U, "b", at(2, 0)), view(U, "c", at(10, 0)));
            h.watermark(at(1, 0)); // applies 0:00 (the value is now only on the heap); 0:02 and 0:10 wait there
            assertThat(h.function().waiting().size()).isEqualTo(2);
            assertThat(h.eventTimeTimersRegistered())
                    .as("the close of [0:00] at 0:05 only, none for the waiting events")
                    .isEqualTo(1);
            checkpoint = h.snapshot(1);
            assertThat(h.function().waiting().size()).isZero();
            UserState written = h.state(U);
            assertThat(written.getSessions()).hasSize(1);
            assertThat(written.getPending()).extracting(e -> e.getEventTime()).containsExactly(at(2, 0), at(10, 0));
            assertThat(written.getNextTimer()).isEqualTo(at(2, 0)); // the first waiting event, before the close at 0:05
        }
        // A restore (after a failure: the heap is gone) goes on from the checkpoint alone.
        try (SessionHarness h = new SessionHarness(
                function(), UserActivityOperator.DEFAULT_MAX_WAITING_EVENTS, SessionHarness.CACHED_USERS, checkpoint)) {
            h.send(view(U, "d", at(12, 0)));
            h.watermark(at(18, 0));
            assertThat(h.summaries(SessionStatus.CLOSED))
                    .extracting(
                            s -> s.getStart().toEpochMilli(),
                            s -> s.getEnd().toEpochMilli(),
                            SessionSummary::getEventCount)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(at(0, 0), at(2, 0), 2),
                            org.assertj.core.groups.Tuple.tuple(at(10, 0), at(12, 0), 2));
            assertThat(h.state(U).getPending()).isEmpty();
        }
    }

    @Test
    void anErasureDropsTheUsersEventsWaitingOnTheHeap() throws Exception {
        try (SessionHarness h = new SessionHarness(function())) {
            h.send(view(U, "a", at(0, 0)), view(U, "b", at(2, 0)), view(V, "x", at(1, 0)));
            h.send(ErasureTest.erasure(U, "req-1", at(0, 30))); // live job: at once, whatever the watermark
            h.watermark(T0 + minutes(60));
            assertThat(h.summaries()).extracting(SessionSummary::getUser).containsOnly(V);
            assertThat(h.confirmations()).hasSize(1);
            assertThat(h.state(U)).isNull();
            assertThat(h.stateKeys()).containsExactly(V);
            assertThat(h.summaries(SessionStatus.CLOSED).get(0).getStart()).isEqualTo(Instant.ofEpochMilli(at(1, 0)));
        }
    }

    @Test
    void byDefaultTheCachesOfATaskManagersSlotsShareTwoFifthsOfTheHeapAtFiveKilobytesAUser() {
        long gib = 1L << 30;
        assertThat(UserActivityOperator.cachedUsers(UserActivityOperator.HEAP_SHARE, gib, 1))
                .isEqualTo(85_899); // 1,073,741,824 / 100 * 40 = 429,496,720 B / 5,000 B
        assertThat(UserActivityOperator.cachedUsers(UserActivityOperator.HEAP_SHARE, gib, 4))
                .isEqualTo(21_474); // 107,374,180 B / 5,000 B
        assertThat(UserActivityOperator.cachedUsers(UserActivityOperator.HEAP_SHARE, 14 * gib, 2))
                .isEqualTo(601_295); // 6,012,954,200 / 2 = 3,006,477,100 B / 5,000 B
        assertThat(UserActivityOperator.cachedUsers(7, gib, 2)).isEqualTo(7);
        assertThat(UserActivityOperator.cachedUsers(0, gib, 2)).isZero();
    }
}
