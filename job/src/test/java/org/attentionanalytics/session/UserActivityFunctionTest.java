package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.click;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;
import static org.attentionanalytics.testutil.Events.withId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.attentionanalytics.avro.DeadLetterReason;
import org.attentionanalytics.avro.EventType;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.common.Hashes;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/** The per-user operator on RocksDB, against summaries computed by hand from DESIGN.md section 5. */
class UserActivityFunctionTest {
    private static final String U = "u1";
    private static final long END_OF_TIME = T0 + minutes(24 * 60);

    @Test
    void theTooLateDetailIsExactForAnyEventTime() {
        assertThat(UserActivityProcessor.tooLateDetail(1_000, 400_000, 300_000))
                .isEqualTo(
                        "event_time 1970-01-01T00:00:01Z is 399000 ms behind the watermark 1970-01-01T00:06:40Z; allowed lateness 300000 ms");
        // 1,736,150,400,000 - (-9,223,372,036,854,775,808) = 9,223,373,773,005,175,808: more than a long holds
        assertThat(UserActivityProcessor.tooLateDetail(Long.MIN_VALUE, 1_736_150_400_000L, 300_000))
                .isEqualTo(
                        "event_time -292275055-05-16T16:47:04.192Z is 9223373773005175808 ms behind the watermark 2025-01-06T08:00:00Z; "
                                + "allowed lateness 300000 ms");
    }

    @Test
    void gapOf29m59sJoinsAndGapOf30mSplits() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(view(U, "a", at(0, 0)), view(U, "b", at(29, 59)), view(U, "c", at(59, 59)))
                    .watermark(END_OF_TIME);
            List<SessionSummary> closed = h.summaries(SessionStatus.CLOSED);
            assertThat(closed).hasSize(2);
            SessionSummary first = closed.get(0);
            assertThat(first.getSessionId()).isEqualTo(Hashes.sessionId(U, at(0, 0)));
            assertThat(first.getStart()).isEqualTo(Instant.ofEpochMilli(at(0, 0)));
            assertThat(first.getEnd()).isEqualTo(Instant.ofEpochMilli(at(29, 59)));
            assertThat(first.getDurationMs()).isEqualTo(1_799_000L);
            assertThat(first.getEventCount()).isEqualTo(2);
            assertThat(first.getViews()).isEqualTo(2);
            assertThat(first.getBounce()).isFalse();
            assertThat(first.getEngaged()).isTrue(); // two views
            SessionSummary second = closed.get(1);
            assertThat(second.getStart()).isEqualTo(Instant.ofEpochMilli(at(59, 59)));
            assertThat(second.getEventCount()).isEqualTo(1);
            assertThat(second.getBounce()).isTrue(); // one view, 0 s engaged
            assertThat(second.getEngaged()).isFalse();
        }
    }

    @Test
    void sessionEndsAt12Hours() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            for (int k = 0; k <= 36; k++) { // every 20 min: k = 36 is exactly 12 h after the start
                h.send(view(U, "i" + k, T0 + minutes(20L * k)));
            }
            h.watermark(T0 + minutes(13 * 60 + 30));
            List<SessionSummary> closed = h.summaries(SessionStatus.CLOSED);
            assertThat(closed).extracting(SessionSummary::getEventCount).containsExactly(36, 1);
            assertThat(closed.get(0).getEnd()).isEqualTo(Instant.ofEpochMilli(T0 + minutes(700)));
            assertThat(closed.get(1).getStart()).isEqualTo(Instant.ofEpochMilli(T0 + minutes(720)));
        }
    }

    /** The scenario of {@link #richSessionValues()}, in event-time order. */
    private static List<AttentionEvent> readingSession() {
        return List.of(
                view(U, "a", at(0, 0), "news.politics"),
                dwell(U, "a", 25_000, at(0, 25)),
                view(U, "b", at(1, 0), "sports"),
                dwell(U, "b", 5_000, at(1, 5)),
                click(U, EventType.CLICK, "b", at(1, 10)),
                view(U, "c", at(2, 0), "news.politics"),
                dwell(U, "c", 40_000, at(2, 40)),
                dwell(U, "z", 12_000, at(3, 0))); // no view of z: stands for a view of its own
    }

    @Test
    void richSessionValues() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(readingSession().toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            List<SessionSummary> closed = h.summaries(SessionStatus.CLOSED);
            assertThat(closed).hasSize(1);
            SessionSummary s = closed.get(0);
            assertThat(s.getDurationMs()).isEqualTo(180_000L);
            assertThat(s.getEventCount()).isEqualTo(8);
            assertThat(s.getViews()).isEqualTo(4); // a, b, c and z's own
            assertThat(s.getClicks()).isEqualTo(1);
            assertThat(s.getEngagedMs()).isEqualTo(25_000L + 5_000 + 40_000 + 12_000);
            assertThat(s.getDistinctItems()).isEqualTo(4);
            assertThat(s.getTopTopics()).containsExactly("news.politics", "sports"); // 65 s vs 5 s
            assertThat(s.getTopicSwitches()).isEqualTo(2); // politics -> sports -> politics; z has no topic
            assertThat(s.getBounce()).isFalse();
            assertThat(s.getEngaged()).isTrue();
        }
    }

    @Test
    void outOfOrderArrivalGivesTheSameSummary() throws Exception {
        List<AttentionEvent> shuffled = new ArrayList<>(readingSession());
        java.util.Collections.reverse(shuffled);
        try (SessionHarness inOrder = SessionHarness.defaults();
                SessionHarness reversed = SessionHarness.defaults()) {
            inOrder.send(readingSession().toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            reversed.send(shuffled.toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            assertThat(reversed.summaries(SessionStatus.CLOSED)).isEqualTo(inOrder.summaries(SessionStatus.CLOSED));
        }
    }

    /**
     * Clicks and dwell come from two topics read by different source readers; the operator's
     * watermark is the minimum of the two sources' (each: max seen - 30 s - 1 ms). Three
     * interleavings, each within the bound, give the same CLOSED sessions.
     */
    @Test
    void interleavingsOfTheTwoTopicsGiveTheSameClosedSessions() throws Exception {
        List<AttentionEvent> events = new ArrayList<>(readingSession());
        events.add(view(U, "d", at(40, 0), "tech"));
        events.add(dwell(U, "d", 8_000, at(40, 8)));
        List<AttentionEvent> clicks =
                events.stream().filter(e -> e.getKind() == EventKind.CLICK).toList();
        List<AttentionEvent> dwells =
                events.stream().filter(e -> e.getKind() == EventKind.DWELL).toList();
        List<List<AttentionEvent>> interleavings =
                List.of(concat(clicks, dwells), concat(dwells, clicks), alternate(clicks, dwells));
        List<List<SessionSummary>> results = new ArrayList<>();
        for (List<AttentionEvent> order : interleavings) {
            try (SessionHarness h = SessionHarness.defaults()) {
                long maxClick = Long.MIN_VALUE;
                long maxDwell = Long.MIN_VALUE;
                for (AttentionEvent e : order) {
                    h.send(e);
                    if (e.getKind() == EventKind.CLICK) {
                        maxClick = Math.max(maxClick, e.getEventTime());
                    } else {
                        maxDwell = Math.max(maxDwell, e.getEventTime());
                    }
                    if (maxClick != Long.MIN_VALUE && maxDwell != Long.MIN_VALUE) {
                        h.watermark(Math.min(maxClick, maxDwell) - 30_001);
                    }
                }
                h.watermark(END_OF_TIME);
                results.add(h.summaries(SessionStatus.CLOSED));
            }
        }
        assertThat(results.get(0)).hasSize(2);
        assertThat(results.get(0).get(0).getEngagedMs()).isEqualTo(82_000L);
        assertThat(results.get(0).get(1).getEngagedMs()).isEqualTo(8_000L);
        assertThat(results.get(1)).isEqualTo(results.get(0));
        assertThat(results.get(2)).isEqualTo(results.get(0));
    }

    /** DESIGN.md section 5's example: gap 5 min, allowed lateness 15 min. */
    @Test
    void lateEventBridgingTwoClosedSessionsMergesAndSupersedes() throws Exception {
        try (SessionHarness h = new SessionHarness(minutes(5), minutes(720), minutes(15), minutes(60))) {
            h.send(view(U, "a", at(0, 0)), view(U, "b", at(2, 0)), view(U, "c", at(10, 0)), view(U, "d", at(12, 0)));
            h.watermark(at(18, 0));
            String first = Hashes.sessionId(U, at(0, 0));
            String second = Hashes.sessionId(U, at(10, 0));
            assertThat(h.summaries(SessionStatus.CLOSED))
                    .extracting(SessionSummary::getSessionId)
                    .containsExactly(first, second);
            int before = h.summaries().size();

            h.send(view(U, "e", at(6, 0)));
            List<SessionSummary> after =
                    h.summaries().subList(before, h.summaries().size());
            assertThat(after)
                    .extracting(SessionSummary::getSessionId, SessionSummary::getStatus)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(second, SessionStatus.SUPERSEDED),
                            org.assertj.core.groups.Tuple.tuple(first, SessionStatus.CLOSED));
            SessionSummary merged = after.get(1);
            assertThat(merged.getStart()).isEqualTo(Instant.ofEpochMilli(at(0, 0)));
            assertThat(merged.getEnd()).isEqualTo(Instant.ofEpochMilli(at(12, 0)));
            assertThat(merged.getEventCount()).isEqualTo(5);
            assertThat(merged.getViews()).isEqualTo(5);
            assertThat(h.state(U).getSessions()).hasSize(1); // never two overlapping sessions
        }
    }

    @Test
    void lateDwellUpdatesAClosedSession() throws Exception {
        // Gap 5 min and lateness 15 min, as in DESIGN.md section 5: lateness longer than the gap.
        try (SessionHarness h = new SessionHarness(minutes(5), minutes(720), minutes(15), minutes(60))) {
            h.send(view(U, "a", at(0, 0)), dwell(U, "a", 4_000, at(0, 4))).watermark(at(6, 0));
            assertThat(h.summaries(SessionStatus.CLOSED))
                    .singleElement()
                    .satisfies(s -> assertThat(s.getBounce()).isTrue());
            h.send(dwell(U, "a", 20_000, at(0, 30))); // 5:30 behind the watermark; its new end + gap is still behind it
            List<SessionSummary> closed = h.summaries(SessionStatus.CLOSED);
            assertThat(closed).hasSize(2);
            SessionSummary updated = closed.get(1);
            assertThat(updated.getSessionId()).isEqualTo(closed.get(0).getSessionId());
            assertThat(updated.getEngagedMs()).isEqualTo(24_000L);
            assertThat(updated.getBounce()).isFalse();
            assertThat(updated.getEngaged()).isTrue(); // > 10 s
        }
    }

    @Test
    void tooLateEventIsADeadLetter() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(view(U, "a", at(60, 0))).watermark(at(70, 0));
            h.send(view(U, "b", at(64, 59))); // 5:01 behind the watermark
            assertThat(h.deadLetters())
                    .singleElement()
                    .satisfies(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.TOO_LATE));
            h.watermark(END_OF_TIME);
            assertThat(h.summaries(SessionStatus.CLOSED))
                    .singleElement()
                    .satisfies(s -> assertThat(s.getEventCount()).isEqualTo(1));
        }
    }

    @Test
    void duplicatesWithinAnHourAreDropped() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            AttentionEvent v = withId(view(U, "a", at(0, 0)), "same");
            h.send(v, v, withId(view(U, "b", at(59, 0)), "same")); // 59 min apart: a duplicate too
            h.send(withId(view(U, "c", at(61, 0)), "same")); // 61 min apart: a new event
            h.watermark(END_OF_TIME);
            assertThat(h.summaries(SessionStatus.CLOSED))
                    .extracting(SessionSummary::getEventCount)
                    .containsExactly(1, 1);
        }
    }

    @Test
    void sessionStateAndTimersAreClearedAfterCloseAndLateness() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(view(U, "a", at(0, 0)), dwell(U, "a", 20_000, at(0, 20)), view(U, "b", at(10, 0)));
            h.watermark(at(40, 0)); // end 10:00 + 30 min gap: CLOSED, but kept for lateness
            assertThat(h.summaries(SessionStatus.CLOSED)).hasSize(1);
            assertThat(h.state(U).getSessions()).hasSize(1);
            assertThat(h.eventTimeTimers()).isEqualTo(1);

            h.watermark(at(45, 0)); // end + gap + 5 min allowed lateness
            UserState st = h.state(U);
            // the value lives on for the de-duplication memory: the 3 events' ids, kept for the 1 h window
            // (pruned below watermark 0:45 - lateness 5 min - window 60 min, before any of them)
            assertThat(st).as("user-state after the session's lateness").isNotNull();
            assertThat(st.getDedupeHashes()).hasSize(3);
            assertThat(st.getDedupeTimes()).containsExactly(at(0, 0), at(0, 20), at(10, 0));
            assertThat(st.getSessions()).isEmpty();
            assertThat(st.getPending()).isEmpty();
            assertThat(st.getTopicDictionary()).isEmpty();
            // one timer left: the daily report of 2025-01-06 (DESIGN.md section 8), due at the end of
            // the day (UTC) + gap + allowed lateness
            assertThat(h.eventTimeTimers()).isEqualTo(1);
            h.watermark(T0 + minutes(15 * 60 + 35)); // 2025-01-07T00:35Z
            assertThat(h.reports()).hasSize(1);
            assertThat(h.eventTimeTimers()).isZero();
        }
    }

    @Test
    void openUpdatesAtMostOncePerEventTimeMinute() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            for (int s = 0; s < 180; s += 10) { // 18 events over 3 minutes
                h.send(view(U, "i" + s, at(0, s)));
            }
            h.watermark(at(2, 59));
            assertThat(h.summaries(SessionStatus.OPEN))
                    .extracting(x -> x.getEnd().toEpochMilli())
                    .containsExactly(at(0, 0), at(1, 0), at(2, 0));
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<AttentionEvent> alternate(List<AttentionEvent> a, List<AttentionEvent> b) {
        List<AttentionEvent> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < b.size()) out.add(b.get(i));
            if (i < a.size()) out.add(a.get(i));
        }
        out.sort(Comparator.comparingInt(e -> 0)); // keep as built
        return out;
    }
}
