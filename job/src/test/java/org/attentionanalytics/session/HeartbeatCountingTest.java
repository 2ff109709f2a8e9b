package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Instant;
import java.util.List;
import org.attentionanalytics.avro.PageView;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.avro.internal.UserState;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats, dwell attribution and page views as DESIGN.md sections 2 and 5 define them, with the
 * defaults: heartbeat 10 s, min-visit 5 s, gap 30 min, GA4's engaged-session rule. T0 (09:00:00
 * UTC) is a multiple of 10 s, so pings at T0+5 s, +15 s, +25 s fall in three consecutive buckets.
 */
class HeartbeatCountingTest {
    private static final String U = "user-1";
    private static final UserActivityProcessor PROCESSOR = UserActivityProcessorTest.PROCESSOR;

    private static int seq;

    /** A page ping of {@code item} (and page view {@code viewId}, or null) at {@code t}. */
    static AttentionEvent ping(String item, String viewId, long t) {
        return AttentionEvent.newBuilder(dwell(U, item, 0, t))
                .setKind(EventKind.HEARTBEAT)
                .setEventId("ping" + (++seq))
                .setViewId(viewId)
                .build();
    }

    static AttentionEvent viewWithId(String item, String viewId, long t) {
        return AttentionEvent.newBuilder(view(U, item, t, "news"))
                .setViewId(viewId)
                .build();
    }

    /** Applies {@code events} in event-time order, then lets the watermark pass the session's close. */
    static UserActivityProcessorTest.Recorded run(AttentionEvent... events) {
        UserState st = UserState.newBuilder().build();
        for (AttentionEvent e : events) {
            EventOrder.insert(st.getPending(), e);
        }
        UserActivityProcessorTest.Recorded out = new UserActivityProcessorTest.Recorded();
        PROCESSOR.catchUp(st, U, at(120, 0), out);
        return out;
    }

    static SessionSummary onlyClosed(UserActivityProcessorTest.Recorded out) {
        assertThat(out.closed()).hasSize(1);
        return out.closed().get(0);
    }

    @Test
    void pingsAtFiveFifteenAndTwentyFiveSecondsAreOneViewOfTwentyFiveSeconds() {
        // Buckets T0/10s + 0, 1, 2: the first adds min-visit 5 s, each later one heartbeat 10 s:
        // 5 + 10 + 10 = 25 s, all for the view at T0 (a ping belongs to the latest view at or before it).
        var out = run(
                viewWithId("a", "pv-1", at(0, 0)),
                ping("a", "pv-1", at(0, 5)),
                ping("a", "pv-1", at(0, 15)),
                ping("a", "pv-1", at(0, 25)));
        SessionSummary s = onlyClosed(out);
        assertThat(s.getViews()).isEqualTo(1);
        assertThat(s.getEngagedMs()).isEqualTo(25_000L);
        assertThat(s.getEventCount()).isEqualTo(4);
        // 25 s > 10 s: engaged, so not a bounce
        assertThat(s.getEngaged()).isTrue();
        assertThat(s.getBounce()).isFalse();
        assertThat(out.pageViews).hasSize(1); // the only view ends with its session: one CLOSED record
        PageView pv = out.pageViews.get(0);
        assertThat(pv.getViewId()).isEqualTo("pv-1");
        assertThat(pv.getSessionId()).isEqualTo(s.getSessionId());
        assertThat(pv.getItemId()).isEqualTo("a");
        assertThat(pv.getTopics()).containsExactly("news");
        assertThat(pv.getStart()).isEqualTo(Instant.ofEpochMilli(at(0, 0)));
        assertThat(pv.getLastActivity()).isEqualTo(Instant.ofEpochMilli(at(0, 25)));
        assertThat(pv.getEngagedMs()).isEqualTo(25_000L);
        assertThat(pv.getAbsoluteMs()).isEqualTo(25_000L);
        assertThat(pv.getStatus()).isEqualTo(SessionStatus.CLOSED);
    }

    @Test
    void pingsMatchTheirViewByItemWhenNoViewIdIsGiven() {
        var out = run(view(U, "a", at(0, 0), "news"), ping("a", null, at(0, 5)), ping("a", null, at(0, 15)));
        SessionSummary s = onlyClosed(out);
        assertThat(s.getViews()).isEqualTo(1);
        assertThat(s.getEngagedMs()).isEqualTo(15_000L); // 5 + 10
    }

    @Test
    void twoPingsInOneBucketAreCountedOnce() {
        // +5 s and +8 s are both in bucket T0/10s: min-visit once, 5 s; the second adds nothing.
        var out = run(viewWithId("a", "pv-1", at(0, 0)), ping("a", "pv-1", at(0, 5)), ping("a", "pv-1", at(0, 8)));
        SessionSummary s = onlyClosed(out);
        assertThat(s.getEngagedMs()).isEqualTo(5_000L);
        assertThat(out.pageViews.get(0).getLastActivity()).isEqualTo(Instant.ofEpochMilli(at(0, 8)));
    }

    @Test
    void aLonePingIsOneViewOfFiveSeconds() {
        // No view at or before it: the ping stands for a view of its own, starting at the ping.
        var out = run(ping("a", "pv-9", at(0, 5)));
        SessionSummary s = onlyClosed(out);
        assertThat(s.getViews()).isEqualTo(1);
        assertThat(s.getEngagedMs()).isEqualTo(5_000L);
        // GA4's rule: 5 s is not > 10 s, one view, no conversion: not engaged, a bounce
        assertThat(s.getEngaged()).isFalse();
        assertThat(s.getBounce()).isTrue();
        assertThat(out.pageViews).singleElement().satisfies(pv -> {
            assertThat(pv.getViewId()).isEqualTo("pv-9");
            assertThat(pv.getStart()).isEqualTo(Instant.ofEpochMilli(at(0, 5)));
            assertThat(pv.getEngagedMs()).isEqualTo(5_000L);
            assertThat(pv.getAbsoluteMs()).isZero();
        });
    }

    @Test
    void aPageViewResentWithTheSameViewIdIsOneView() {
        var out = run(viewWithId("a", "pv-1", at(0, 0)), viewWithId("a", "pv-1", at(0, 2)));
        SessionSummary s = onlyClosed(out);
        assertThat(s.getViews()).isEqualTo(1);
        // the re-sent view is no second view, but an event of the session (Snowplow's total_events)
        assertThat(s.getEventCount()).isEqualTo(2);
        assertThat(s.getEnd()).isEqualTo(Instant.ofEpochMilli(at(0, 2)));
        assertThat(out.counts).containsEntry(PipelineCounters.DUPLICATE_VIEWS, 1L);
        assertThat(out.pageViews).hasSize(1);
    }

    @Test
    void aDwellEndingAfterItsViewStartsButStartingBeforeIsAttachedAndClipped() {
        // The view starts at 0:10; a 30-s dwell ends at 0:20, so its interval [-0:10, 0:20] starts
        // before the view: it belongs to the view (the latest at or before its end) and counts only
        // from the view's start: 0:20 - 0:10 = 10 s.
        var out = run(view(U, "a", at(0, 10), "news"), dwell(U, "a", 30_000, at(0, 20)));
        SessionSummary s = onlyClosed(out);
        assertThat(s.getViews()).isEqualTo(1);
        assertThat(s.getEngagedMs()).isEqualTo(10_000L);
    }

    @Test
    void aSingleViewOfExactlyTenSecondsIsABounce() {
        // GA4: engaged means longer than 10 s; exactly 10 s with one view and no conversion is not
        // engaged, and bounce is "not engaged": no session is neither.
        var out = run(view(U, "a", at(0, 0), "news"), dwell(U, "a", 10_000, at(0, 10)));
        SessionSummary s = onlyClosed(out);
        assertThat(s.getEngagedMs()).isEqualTo(10_000L);
        assertThat(s.getEngaged()).isFalse();
        assertThat(s.getBounce()).isTrue();
    }

    @Test
    void aViewIsWrittenOpenWhenTheNextViewStartsAndClosedWithItsSession() {
        // a at 0:00 with pings at 0:05 and 0:15 (5 + 10 = 15 s); b at 1:00 ends a.
        var out = run(
                viewWithId("a", "pv-a", at(0, 0)),
                ping("a", "pv-a", at(0, 5)),
                ping("a", "pv-a", at(0, 15)),
                view(U, "b", at(1, 0), "sport"));
        List<PageView> records = out.pageViews;
        assertThat(records)
                .extracting(PageView::getStatus)
                .containsExactly(SessionStatus.OPEN, SessionStatus.CLOSED, SessionStatus.CLOSED);
        assertThat(records.get(0).getViewId()).isEqualTo("pv-a");
        assertThat(records.get(0).getEngagedMs()).isEqualTo(15_000L);
        assertThat(records.get(1).getViewId()).isEqualTo("pv-a");
        assertThat(records.get(1).getEngagedMs()).isEqualTo(15_000L);
        PageView b = records.get(2);
        assertThat(b.getItemId()).isEqualTo("b");
        assertThat(b.getViewId()).hasSize(32).isNotEqualTo("pv-a"); // derived from pseudonym, item, start
        assertThat(b.getEngagedMs()).isZero();
    }

    @Test
    void twoViewsOfOneItemAtOneInstantGetTwoDerivedIds() {
        var out = run(view(U, "a", at(0, 0), "news"), view(U, "a", at(0, 0), "news"));
        assertThat(onlyClosed(out).getViews()).isEqualTo(2);
        // records: the first view OPEN (at the second's start), then both CLOSED, under two ids
        assertThat(out.pageViews).hasSize(3);
        assertThat(out.pageViews.stream().map(PageView::getViewId).distinct()).hasSize(2);
    }

    @Test
    void aPingForAnEarlierViewAfterTheNextViewStartedRewritesThatViewsRecord() {
        // Two tabs: pv-a at 0:00, pv-b at 0:30 (pv-a's OPEN record goes out), then a ping of pv-a at 0:35.
        var out = run(
                viewWithId("a", "pv-a", at(0, 0)), viewWithId("b", "pv-b", at(0, 30)), ping("a", "pv-a", at(0, 35)));
        assertThat(out.pageViews)
                .extracting(PageView::getViewId, PageView::getEngagedMs, PageView::getStatus)
                .containsExactly(
                        tuple("pv-a", 0L, SessionStatus.OPEN),
                        tuple("pv-a", 5_000L, SessionStatus.OPEN),
                        tuple("pv-a", 5_000L, SessionStatus.CLOSED),
                        tuple("pv-b", 0L, SessionStatus.CLOSED));
    }

    @Test
    void aViewArrivingLateTakesOverItsPingsAndSupersedesTheirViewsRecord() {
        // The pings of pv-1 are applied first (the view itself is late): they stand for a view of
        // their own at 0:05 (5 + 10 = 15 s), whose record goes out when c starts at 1:00. Then the
        // view pv-1 at 0:00 arrives within the allowed lateness: it takes the pings over, the
        // stand-in's record is SUPERSEDED (same view id), and pv-1 is rewritten with 15 s.
        UserState st = UserState.newBuilder().build();
        UserActivityProcessorTest.Recorded out = new UserActivityProcessorTest.Recorded();
        for (AttentionEvent e :
                List.of(ping("a", "pv-1", at(0, 5)), ping("a", "pv-1", at(0, 15)), view(U, "c", at(1, 0), "news"))) {
            EventOrder.insert(st.getPending(), e);
        }
        PROCESSOR.catchUp(st, U, at(1, 0), out);
        assertThat(out.pageViews)
                .extracting(PageView::getViewId, PageView::getStatus)
                .containsExactly(tuple("pv-1", SessionStatus.OPEN));
        PROCESSOR.applyLate(st, U, viewWithId("a", "pv-1", at(0, 0)), at(2, 0), out);
        PROCESSOR.catchUp(st, U, at(120, 0), out);
        SessionSummary s = onlyClosed(out);
        assertThat(s.getViews()).isEqualTo(2); // pv-1 and c
        assertThat(s.getEngagedMs()).isEqualTo(15_000L);
        List<PageView> after = out.pageViews.subList(1, out.pageViews.size());
        assertThat(after)
                .extracting(PageView::getItemId, PageView::getStart, PageView::getEngagedMs, PageView::getStatus)
                .containsExactly(
                        tuple("a", Instant.ofEpochMilli(at(0, 5)), 15_000L, SessionStatus.SUPERSEDED),
                        tuple("a", Instant.ofEpochMilli(at(0, 0)), 15_000L, SessionStatus.OPEN),
                        tuple("a", Instant.ofEpochMilli(at(0, 0)), 15_000L, SessionStatus.CLOSED),
                        tuple("c", Instant.ofEpochMilli(at(1, 0)), 0L, SessionStatus.CLOSED));
        assertThat(after.subList(0, 3)).extracting(PageView::getViewId).containsOnly("pv-1");
    }

    @Test
    void aPingBeforeItsViewJoinsThatView() {
        // The ping of pv-9 is stamped 0:05, its VIEW 0:10 (the tracker's clocks): the ping stands
        // for a view until the VIEW with the same id takes it over (one view, no record of the
        // stand-in); buckets 0 (5 s) and 2 (+10 s): 15 s.
        var out = run(ping(null, "pv-9", at(0, 5)), viewWithId("a", "pv-9", at(0, 10)), ping(null, "pv-9", at(0, 25)));
        SessionSummary s = onlyClosed(out);
        assertThat(s.getViews()).isEqualTo(1);
        assertThat(s.getEngagedMs()).isEqualTo(15_000L);
        assertThat(out.pageViews).singleElement().satisfies(pv -> {
            assertThat(pv.getViewId()).isEqualTo("pv-9");
            assertThat(pv.getItemId()).isEqualTo("a");
            assertThat(pv.getStart()).isEqualTo(Instant.ofEpochMilli(at(0, 10)));
            assertThat(pv.getEngagedMs()).isEqualTo(15_000L);
            assertThat(pv.getStatus()).isEqualTo(SessionStatus.CLOSED);
        });
    }

    @Test
    void aPageLeftOpenAcrossTheGapKeepsOneRecordPerSession() {
        // pv-5 at 0:00 with a ping at 0:15 (5 s); a ping of pv-5 at 45:00 comes after the 30-min
        // gap: a new session, in which it stands for a view of its own (5 s). Its records use
        // "pv-5/<start ms>", so upserting by view_id keeps the first session's 5 s too.
        var out = run(viewWithId("a", "pv-5", at(0, 0)), ping("a", "pv-5", at(0, 15)), ping("a", "pv-5", at(45, 0)));
        assertThat(out.closed())
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.getEngagedMs()).isEqualTo(5_000L));
        assertThat(out.pageViews)
                .extracting(PageView::getViewId, PageView::getEngagedMs, PageView::getStatus)
                .containsExactly(
                        tuple("pv-5", 5_000L, SessionStatus.CLOSED),
                        tuple("pv-5/" + at(45, 0), 5_000L, SessionStatus.CLOSED));
    }
}
