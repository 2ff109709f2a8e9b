package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.ErasureConfirmation;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.InterestVectorUpdate;
import org.attentionanalytics.avro.internal.TrendContribution;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.junit.jupiter.api.Test;

/**
 * The per-user processor in plain Java, without Flink: a user's value, one call, and what came
 * out, against values derived by hand from DESIGN.md sections 4, 5 and 9 (gap 30 min, lateness 5 min).
 */
class UserActivityProcessorTest {
    private static final String U = "u1";
    private static final long GAP = minutes(30);
    private static final long LATENESS = minutes(5);
    /** The processor of these tests (gap 30 min, cap 12 h, lateness 5 min, dedupe 1 h, half-life 7 d). */
    static final UserActivityProcessor PROCESSOR = new UserActivityProcessor(
            SessionRules.defaults(GAP, minutes(720), LATENESS),
            minutes(60),
            minutes(7 * 24 * 60),
            AttentionSettings.defaults(GAP, LATENESS));

    /** Collects what the processor writes. */
    static final class Recorded implements UserActivityOutput {
        final List<SessionSummary> summaries = new ArrayList<>();
        final List<PageView> pageViews = new ArrayList<>();
        final List<InterestVectorUpdate> vectors = new ArrayList<>();
        final List<ErasureConfirmation> erasures = new ArrayList<>();
        final List<org.attentionanalytics.avro.FocusBlockReport> blockReports = new ArrayList<>();
        final TreeMap<String, Long> counts = new TreeMap<>();
        final List<Long> deletedTimers = new ArrayList<>();
        long openSessions;

        @Override
        public void pageView(PageView view) {
            pageViews.add(view);
        }

        @Override
        public void summary(SessionSummary summary) {
            summaries.add(summary);
        }

        @Override
        public void vector(InterestVectorUpdate update) {
            vectors.add(update);
        }

        final List<AttentionAlert> alerts = new ArrayList<>();
        final List<DailyAttentionReport> reports = new ArrayList<>();

        @Override
        public void alert(AttentionAlert alert) {
            alerts.add(alert);
        }

        @Override
        public void report(DailyAttentionReport report) {
            reports.add(report);
        }

        @Override
        public void blockReport(org.attentionanalytics.avro.FocusBlockReport report) {
            blockReports.add(report);
        }

        @Override
        public void contribution(TrendContribution contribution) {}

        @Override
        public void erasure(ErasureConfirmation confirmation) {
            erasures.add(confirmation);
        }

        @Override
        public void count(String metric, long n) {
            counts.merge(metric, n, Long::sum);
        }

        @Override
        public void openSessions(long delta) {
            openSessions += delta;
        }

        @Override
        public void deleteTimer(long time) {
            deletedTimers.add(time);
        }

        @Override
        public long processingTime() {
            return 42L;
        }

        List<SessionSummary> closed() {
            return summaries.stream()
                    .filter(s -> s.getStatus() == SessionStatus.CLOSED)
                    .toList();
        }
    }

    @Test
    void waitingEventsApplyInEventTimeOrderWhateverTheirArrivalOrder() {
        UserState st = UserState.newBuilder().build();
        // Arrival order: the 2:00 view, the dwell ending 1:00, the 0:00 view; all ahead of the watermark.
        for (AttentionEvent e : List.of(
                view(U, "b", at(2, 0), "news"), dwell(U, "a", 60_000, at(1, 0)), view(U, "a", at(0, 0), "news"))) {
            EventOrder.insert(st.getPending(), e);
        }
        assertThat(st.getPending())
                .extracting(AttentionEvent::getEventTime)
                .containsExactly(at(0, 0), at(1, 0), at(2, 0));
        assertThat(PROCESSOR.nextDeadline(st)).isEqualTo(at(0, 0)); // the first waiting event

        Recorded out = new Recorded();
        PROCESSOR.catchUp(st, U, at(40, 0), out);
        // The session ends at its last event, 2:00; 2:00 + 30 min gap = 32:00 <= 40:00: it closes.
        assertThat(out.closed()).hasSize(1);
        SessionSummary s = out.closed().get(0);
        assertThat(s.getStart()).isEqualTo(Instant.ofEpochMilli(at(0, 0)));
        assertThat(s.getEnd()).isEqualTo(Instant.ofEpochMilli(at(2, 0)));
        assertThat(s.getEventCount()).isEqualTo(3); // two views and one dwell
        assertThat(s.getViews()).isEqualTo(2);
        assertThat(st.getPending()).isEmpty();
        assertThat(out.counts)
                .containsEntry(PipelineCounters.SESSIONS_STARTED, 1L)
                .containsEntry(PipelineCounters.SESSIONS_CLOSED, 1L);
        assertThat(out.openSessions).isZero(); // +1 started, -1 closed
    }

    @Test
    void aDuplicateWithinTheWindowIsCountedAndChangesNothing() {
        UserState st = UserState.newBuilder().build();
        AttentionEvent e = view(U, "a", at(0, 0), "news");
        Recorded out = new Recorded();
        assertThat(PROCESSOR.applyLate(st, U, e, at(1, 0), out)).isTrue();
        assertThat(PROCESSOR.applyLate(st, U, AttentionEvent.newBuilder(e).build(), at(1, 0), out))
                .isFalse();
        assertThat(out.counts)
                .containsEntry(PipelineCounters.DUPLICATES, 1L)
                .containsEntry(PipelineCounters.LATE_EVENTS, 1L);
        assertThat(st.getSessions()).hasSize(1);
        assertThat(st.getSessions().get(0).getEventCount()).isEqualTo(1);
    }

    @Test
    void aLiveErasureClearsEverythingCancelsTheTimerAndConfirms() {
        UserState st = UserState.newBuilder().build();
        Recorded out = new Recorded();
        PROCESSOR.applyLate(st, U, view(U, "a", at(0, 0), "news"), at(1, 0), out);
        EventOrder.insert(st.getPending(), view(U, "b", at(3, 0), "news")); // waits for the watermark
        st.setNextTimer(at(3, 0));
        AttentionEvent request = AttentionEvent.newBuilder()
                .setKind(EventKind.ERASURE)
                .setEventId("r1")
                .setUser(U)
                .setEventTime(at(10, 0))
                .build();

        PROCESSOR.control(st, U, request, at(1, 0), false, out);

        assertThat(out.deletedTimers).containsExactly(at(3, 0));
        assertThat(out.openSessions).isZero(); // one session opened, then dropped by the erasure
        assertThat(out.vectors.get(out.vectors.size() - 1).getVector()).isNull(); // the tombstone comes last
        assertThat(out.erasures).hasSize(1);
        assertThat(out.erasures.get(0).getRequestId()).isEqualTo("r1");
        assertThat(out.erasures.get(0).getErasedAt()).isEqualTo(Instant.ofEpochMilli(42));
        assertThat(out.counts).containsEntry(PipelineCounters.ERASURES, 1L);
        assertThat(PROCESSOR.compactForSave(st))
                .as("nothing left: the state is cleared")
                .isTrue();
    }

    @Test
    void aWaitingDuplicateIsDroppedHoweverFarOneWatermarkStepJumps() {
        // X at 0:00 is applied at the 0:10 watermark; a copy of X stamped 0:30 (within the 60 min
        // window of 0:00) waits; then one watermark step jumps to 3:00. The copy is still a duplicate:
        // pruning by the jump (3:00 - 5 min - 60 min = 1:55) before applying it would forget X.
        UserState st = UserState.newBuilder().build();
        Recorded out = new Recorded();
        AttentionEvent x = view(U, "a", at(0, 0), "news");
        EventOrder.insert(st.getPending(), x);
        PROCESSOR.catchUp(st, U, at(10, 0), out);
        EventOrder.insert(
                st.getPending(),
                AttentionEvent.newBuilder(x).setEventTime(at(30, 0)).build());
        PROCESSOR.catchUp(st, U, at(180, 0), out);
        assertThat(out.counts).containsEntry(PipelineCounters.DUPLICATES, 1L);
        assertThat(out.closed()).hasSize(1);
        assertThat(out.closed().get(0).getEventCount()).isEqualTo(1); // the copy did not join the session
    }

    @Test
    void aRepeatedErasureRequestGetsItsOwnConfirmationWithNothingCleared() {
        // Bounded run (erasure in event time): a view at 0:00 and the same request r2 sent twice for
        // 0:05 all wait; at the 0:10 watermark the view is applied, then r2 erases it (sessions,
        // de-duplication memory, ...), then the repeat of r2 finds nothing: cleared is empty.
        UserState st = UserState.newBuilder().build();
        Recorded out = new Recorded();
        AttentionEvent request = AttentionEvent.newBuilder()
                .setKind(EventKind.ERASURE)
                .setEventId("r2")
                .setUser(U)
                .setEventTime(at(5, 0))
                .build();
        EventOrder.insert(st.getPending(), view(U, "a", at(0, 0), "news"));
        PROCESSOR.control(st, U, request, Long.MIN_VALUE, true, out);
        PROCESSOR.control(st, U, AttentionEvent.newBuilder(request).build(), Long.MIN_VALUE, true, out);
        assertThat(st.getPending()).hasSize(3); // all wait for the watermark

        PROCESSOR.catchUp(st, U, at(10, 0), out);

        assertThat(out.erasures).extracting(ErasureConfirmation::getRequestId).containsExactly("r2", "r2");
        assertThat(out.erasures.get(0).getCleared()).contains("sessions").doesNotContain("pending-events");
        assertThat(out.erasures.get(1).getCleared()).isEmpty();
        assertThat(out.counts).containsEntry(PipelineCounters.ERASURES, 2L);
    }

    @Test
    void tooLateIsBehindTheWatermarkByMoreThanTheAllowedLateness() {
        long watermark = at(20, 0);
        assertThat(PROCESSOR.isTooLate(watermark - LATENESS, watermark)).isFalse(); // exactly the lateness
        assertThat(PROCESSOR.isTooLate(watermark - LATENESS - 1, watermark)).isTrue();
        assertThat(PROCESSOR.isTooLate(Long.MIN_VALUE, Long.MIN_VALUE)).isFalse(); // no watermark yet
    }
}
