package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.budget;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.DailyAttentionReport;
import org.attentionanalytics.avro.SessionStatus;
import org.attentionanalytics.avro.SessionSummary;
import org.attentionanalytics.avro.internal.AttentionEvent;
import org.attentionanalytics.avro.internal.EventKind;
import org.attentionanalytics.pipeline.PipelineCounters;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/**
 * The three alerts of DESIGN.md section 7 in the per-user operator (RocksDB), against values
 * computed by hand. Defaults: window 10 min, overload at 30 views, skim ratio 0.6 and 10 topic
 * switches (cooldown 30 min), break after 50 min without a 5-minute gap, views settle 30 s after
 * their end; the default category rules map {@code news.politics} to {@code politics}.
 */
class AttentionAlertsTest {
    private static final String U = "u1";
    private static final long END_OF_TIME = T0 + minutes(3 * 24 * 60);

    static SessionHarness harness() throws Exception {
        return SessionHarness.withAttention(AttentionSettings.defaults(minutes(30), minutes(5)), false);
    }

    /** Views every 10 s from T0, view k with main topic {@code topics[k]}, no dwell. */
    private static List<AttentionEvent> views(String... topics) {
        List<AttentionEvent> out = new ArrayList<>();
        for (int k = 0; k < topics.length; k++) {
            out.add(view(U, "i" + k, at(0, 10 * k), topics[k]));
        }
        return out;
    }

    private static String[] distinct(int n) {
        String[] t = new String[n];
        for (int k = 0; k < n; k++) {
            t[k] = "news.t" + k;
        }
        return t;
    }

    private static List<AttentionAlert> alerts(SessionHarness h, AlertType type) {
        return h.alerts().stream().filter(a -> a.getType() == type).toList();
    }

    /**
     * 30 views at 0, 10, ..., 290 s, each a new topic. At the 30th (4:50): 30 views started; views
     * 0..25 ended by 260 s, and 260 + 30 s settle <= 290, so 26 ended, all skims (ratio 1.0); 29
     * topic switches. The 29th view (4:40) has only 29 views: nothing.
     */
    @Test
    void overloadFiresAtTheThirtiethViewAndNotAtTheTwentyNinth() throws Exception {
        try (SessionHarness h = harness();
                SessionHarness below = harness()) {
            h.send(views(distinct(30)).toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            below.send(views(distinct(29)).toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);

            assertThat(below.alerts()).isEmpty();
            AttentionAlert a = h.alerts().get(0);
            assertThat(h.alerts()).hasSize(1);
            assertThat(a.getType()).isEqualTo(AlertType.INFORMATION_OVERLOAD);
            assertThat(a.getEventTime()).isEqualTo(Instant.ofEpochMilli(at(4, 50)));
            assertThat(a.getUser()).isEqualTo(U);
            assertThat(a.getSessionId()).isEqualTo(org.attentionanalytics.common.Hashes.sessionId(U, T0));
            assertThat(a.getAlertId())
                    .isEqualTo(AttentionTracker.alertId(U, AlertType.INFORMATION_OVERLOAD, at(4, 50), null))
                    .hasSize(32);
            assertThat(a.getMetrics())
                    .containsEntry("views", 30.0)
                    .containsEntry("views_ended", 26.0)
                    .containsEntry("skim_ratio", 1.0)
                    .containsEntry("topic_switches", 29.0)
                    .containsEntry("mean_engaged_ms", 0.0);
            assertThat(a.getThresholds())
                    .containsEntry("views", 30.0)
                    .containsEntry("skim_ratio", 0.6)
                    .containsEntry("topic_switches", 10.0);
            assertThat(a.getMessage())
                    .isEqualTo("30 items in 10 minutes, 100% of them skimmed, switching topics 29 times. "
                            + "A pause, or saving items for later, may help.");
            assertThat(h.counter(PipelineCounters.alerts(AlertType.INFORMATION_OVERLOAD)))
                    .isEqualTo(1);
        }
    }

    /**
     * 20 views of {@code news.a}, then b, a, b, a, b, a, b, a, b (9 switches), then b again: 30 views
     * but 9 switches, nothing. The 31st view (a, 5:00) is the 10th switch: the alert.
     */
    @Test
    void overloadNeedsTheTenthTopicSwitch() throws Exception {
        String[] topics = new String[31];
        for (int k = 0; k < 20; k++) {
            topics[k] = "news.a";
        }
        for (int k = 20; k < 29; k++) {
            topics[k] = k % 2 == 0 ? "news.b" : "news.a";
        }
        topics[29] = "news.b";
        topics[30] = "news.a";
        try (SessionHarness h = harness()) {
            h.send(views(topics).toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            assertThat(h.alerts()).singleElement().satisfies(a -> {
                assertThat(a.getEventTime()).isEqualTo(Instant.ofEpochMilli(at(5, 0)));
                assertThat(a.getMetrics()).containsEntry("views", 31.0).containsEntry("topic_switches", 10.0);
            });
        }
    }

    /**
     * 30 views every 10 s; the first {@code read} of them get a dwell of 10 s (not a skim) ending at
     * the next view. At 4:50 26 views have ended and settled (views 0..25): with 10 read, 16/26 =
     * 0.615 are skims (alert); with 11 read, 15/26 = 0.577 (none; the later dwell at 4:50 settles no
     * more views).
     */
    static List<AttentionEvent> skimScenario(int read) {
        List<AttentionEvent> out = new ArrayList<>(views(distinct(30)));
        for (int k = 0; k < read; k++) {
            out.add(dwell(U, "i" + k, 10_000, at(0, 10 * (k + 1))));
        }
        return out;
    }

    @Test
    void overloadNeedsTheSkimRatio() throws Exception {
        try (SessionHarness h = harness();
                SessionHarness below = harness()) {
            h.send(skimScenario(10).toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            below.send(skimScenario(11).toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            assertThat(below.alerts()).isEmpty();
            assertThat(h.alerts()).singleElement().satisfies(a -> {
                assertThat(a.getEventTime()).isEqualTo(Instant.ofEpochMilli(at(4, 50)));
                assertThat(a.getMetrics().get("skim_ratio")).isCloseTo(16 / 26.0, within(1e-12));
                assertThat(a.getMetrics().get("mean_engaged_ms")).isCloseTo(100_000 / 26.0, within(1e-9));
            });
        }
    }

    /**
     * Views every 10 s for 40 min, alternating two topics: the window is over the thresholds from
     * 4:50 on; the cooldown of 30 min lets the next alert out at 34:50 and none between.
     */
    @Test
    void overloadCooldownIsThirtyMinutes() throws Exception {
        try (SessionHarness h = harness()) {
            for (int k = 0; k <= 240; k++) {
                h.send(view(U, "i" + k, T0 + 10_000L * k, k % 2 == 0 ? "news.a" : "news.b"));
            }
            h.watermark(END_OF_TIME);
            assertThat(h.alerts())
                    .extracting(a -> a.getEventTime().toEpochMilli())
                    .containsExactly(at(4, 50), at(34, 50));
        }
    }

    /** A view every minute, one topic: continuous use reaches 50 min at 50:00, once per stretch. */
    @Test
    void takeABreakAtFiftyMinutesOnceUntilABreak() throws Exception {
        try (SessionHarness h = harness()) {
            for (int m = 0; m <= 60; m++) {
                h.send(view(U, "i" + m, at(m, 0), "news.a"));
            }
            // 60:00 -> 65:00 is a 5-minute gap: a break (the session goes on: the gap is below 30 min)
            for (int m = 65; m <= 120; m++) {
                h.send(view(U, "j" + m, at(m, 0), "news.a"));
            }
            h.watermark(END_OF_TIME);
            List<AttentionAlert> breaks = alerts(h, AlertType.TAKE_A_BREAK);
            assertThat(breaks).extracting(a -> a.getEventTime().toEpochMilli()).containsExactly(at(50, 0), at(115, 0));
            assertThat(breaks.get(0).getMetrics()).containsEntry("continuous_ms", 3_000_000.0);
            assertThat(breaks.get(0).getThresholds())
                    .containsEntry("continuous_ms", 3_000_000.0)
                    .containsEntry("break_gap_ms", 300_000.0);
            assertThat(breaks.get(0).getMessage())
                    .startsWith("You have been reading for 50 minutes without a break of 5 minutes.");
            assertThat(h.summaries(SessionStatus.CLOSED)).hasSize(1);
        }
    }

    /** A gap of 4:59 is no break; a dwell interval covers the time it measures. */
    @Test
    void gapsBelowFiveMinutesAndDwellIntervalsAreNoBreak() throws Exception {
        try (SessionHarness h = harness()) {
            for (int m = 0; m <= 20; m++) {
                h.send(view(U, "i" + m, at(m, 0), "news.a"));
            }
            h.send(view(U, "x", at(24, 59), "news.a")); // 4:59 after 20:00
            h.send(view(U, "y", at(30, 0), "news.a")); // 5:01 after 24:59, but the dwell below covers [25:00, 30:00]
            h.send(dwell(U, "x", minutes(5) + 1_000, at(30, 0)));
            for (int m = 31; m <= 55; m++) {
                h.send(view(U, "k" + m, at(m, 0), "news.a"));
            }
            h.watermark(END_OF_TIME);
            assertThat(alerts(h, AlertType.TAKE_A_BREAK))
                    .extracting(a -> a.getEventTime().toEpochMilli())
                    .containsExactly(at(50, 0));
        }
    }

    /**
     * Views of {@code news.politics} (category politics) every 2 min from {@code start}, each read for
     * 100 s: after the j-th dwell 100 * j s of politics. A 10-minute budget is reached by the 6th
     * dwell, at start + 10:00 + 100 s.
     */
    private static List<AttentionEvent> politics(long start) {
        List<AttentionEvent> out = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            long v = start + minutes(2L * k);
            out.add(view(U, "p" + k + "@" + start, v, "news.politics"));
            out.add(dwell(U, "p" + k + "@" + start, 100_000, v + 100_000));
        }
        return out;
    }

    @Test
    void budgetFiresOncePerCategoryPerLocalDay() throws Exception {
        try (SessionHarness h = harness()) {
            h.send(budget(U, T0 - minutes(60), null, true, Map.of("politics", 10L, "sports", 5L)));
            h.send(politics(T0).toArray(AttentionEvent[]::new));
            h.send(politics(T0 + minutes(24 * 60)).toArray(AttentionEvent[]::new)); // the next day (UTC)
            h.watermark(END_OF_TIME);
            List<AttentionAlert> budgets = alerts(h, AlertType.TIME_BUDGET_EXCEEDED);
            assertThat(budgets)
                    .extracting(a -> a.getEventTime().toEpochMilli())
                    .containsExactly(at(11, 40), at(11, 40) + minutes(24 * 60));
            AttentionAlert a = budgets.get(0);
            assertThat(a.getCategory()).isEqualTo("politics");
            assertThat(a.getMetrics()).containsEntry("engaged_minutes", 10.0);
            assertThat(a.getThresholds()).containsEntry("budget_minutes", 10.0);
            assertThat(a.getMessage())
                    .isEqualTo("You have spent 10 minutes on politics today; your daily budget for it is 10 minutes.");
            assertThat(a.getAlertId())
                    .isEqualTo(AttentionTracker.alertId(U, AlertType.TIME_BUDGET_EXCEEDED, at(11, 40), "politics"));
            List<DailyAttentionReport> reports = h.reports();
            assertThat(reports).hasSize(2);
            assertThat(reports.get(0).getEngagedMsByCategory()).isEqualTo(Map.of("politics", 1_000_000L));
            assertThat(reports.get(0).getAlerts()).containsEntry("TIME_BUDGET_EXCEEDED", 1);
        }
    }

    /**
     * The budget arrives after the events it governs, behind the watermark (30:00): it applies from
     * its updated_at (5:00) and the unreported day is re-checked at once: 1,000 s of politics by
     * then, over 10 min, so the alert fires at 5:00.
     */
    @Test
    void budgetBehindTheWatermarkRechecksTheDayAtOnce() throws Exception {
        try (SessionHarness h = harness()) {
            h.send(politics(T0).toArray(AttentionEvent[]::new)).watermark(at(30, 0));
            assertThat(h.alerts()).isEmpty();
            h.send(budget(U, at(5, 0), null, true, Map.of("politics", 10L)));
            assertThat(h.alerts()).singleElement().satisfies(a -> {
                assertThat(a.getType()).isEqualTo(AlertType.TIME_BUDGET_EXCEEDED);
                assertThat(a.getEventTime()).isEqualTo(Instant.ofEpochMilli(at(5, 0)));
                assertThat(a.getMetrics().get("engaged_minutes")).isCloseTo(1_000 / 60.0, within(1e-12));
            });
        }
    }

    /**
     * The budget (updated_at 15:00) arrives while the watermark is at 10:00: it waits and applies in
     * event-time order. At 15:00 7 dwells (700 s) are in: the alert fires at 15:00, not at 11:40
     * when the 10-minute line was crossed without a budget.
     */
    @Test
    void budgetAheadOfTheWatermarkAppliesFromItsEventTime() throws Exception {
        try (SessionHarness h = harness()) {
            h.send(politics(T0).toArray(AttentionEvent[]::new)).watermark(at(10, 0));
            h.send(budget(U, at(15, 0), null, true, Map.of("politics", 10L))).watermark(END_OF_TIME);
            assertThat(h.alerts())
                    .extracting(a -> a.getEventTime().toEpochMilli())
                    .containsExactly(at(15, 0));
            assertThat(h.alerts().get(0).getMetrics()).containsEntry("engaged_minutes", 700 / 60.0);
        }
    }

    @Test
    void optedOutUsersGetNoAlerts() throws Exception {
        try (SessionHarness h = harness()) {
            h.send(budget(U, T0 - minutes(60), null, false, Map.of()));
            h.send(views(distinct(30)).toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            assertThat(h.alerts()).isEmpty();
            assertThat(h.counter(PipelineCounters.ALERTS_OPTED_OUT)).isEqualTo(1); // raised once, then the cooldown
            assertThat(h.reports())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getAlerts()).containsEntry("INFORMATION_OVERLOAD", 0));
        }
    }

    /**
     * alerts.max-age 1 h: the alert of 4:50 is sent while the processing clock is at most 64:50 and
     * counted, not sent, after. The report counts it either way.
     */
    @Test
    void alertsOlderThanMaxAgeAreCountedNotSent() throws Exception {
        try (SessionHarness late = harness();
                SessionHarness inTime = harness()) {
            late.processingTime(at(64, 50) + 1);
            inTime.processingTime(at(64, 50));
            late.send(views(distinct(30)).toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            inTime.send(views(distinct(30)).toArray(AttentionEvent[]::new)).watermark(END_OF_TIME);
            assertThat(inTime.alerts()).hasSize(1);
            assertThat(late.alerts()).isEmpty();
            assertThat(late.counter(PipelineCounters.ALERTS_SUPPRESSED_AGE)).isEqualTo(1);
            assertThat(late.counter(PipelineCounters.alerts(AlertType.INFORMATION_OVERLOAD)))
                    .isZero();
            assertThat(late.reports())
                    .singleElement()
                    .satisfies(r -> assertThat(r.getAlerts()).containsEntry("INFORMATION_OVERLOAD", 1));
        }
    }

    /**
     * Clicks and dwell of the skim scenario plus a politics budget, in three interleavings within
     * the out-of-orderness bound (watermark = min of both sources' max - 30 s - 1 ms): the same
     * alerts and reports.
     */
    @Test
    void alertsAndReportsDoNotDependOnInterleaving() throws Exception {
        List<AttentionEvent> events = new ArrayList<>(skimScenario(10));
        events.addAll(politics(at(20, 0)));
        List<AttentionEvent> clicks =
                events.stream().filter(e -> e.getKind() == EventKind.CLICK).toList();
        List<AttentionEvent> dwells =
                events.stream().filter(e -> e.getKind() == EventKind.DWELL).toList();
        List<List<AttentionEvent>> orders =
                List.of(concat(clicks, dwells), concat(dwells, clicks), alternate(clicks, dwells));
        List<List<AttentionAlert>> alerts = new ArrayList<>();
        List<List<DailyAttentionReport>> reports = new ArrayList<>();
        List<List<SessionSummary>> sessions = new ArrayList<>();
        for (List<AttentionEvent> order : orders) {
            try (SessionHarness h = harness()) {
                h.send(budget(U, T0 - minutes(60), null, true, Map.of("politics", 10L)));
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
                alerts.add(h.alerts());
                reports.add(h.reports());
                sessions.add(h.summaries(SessionStatus.CLOSED));
            }
        }
        assertThat(alerts.get(0))
                .extracting(AttentionAlert::getType, a -> a.getEventTime().toEpochMilli())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertType.INFORMATION_OVERLOAD, at(4, 50)),
                        org.assertj.core.groups.Tuple.tuple(AlertType.TIME_BUDGET_EXCEEDED, at(31, 40)));
        assertThat(reports.get(0)).singleElement().satisfies(r -> {
            assertThat(r.getEngagedMsByCategory()).isEqualTo(Map.of("news", 100_000L, "politics", 1_000_000L));
            assertThat(r.getSessions()).isEqualTo(1);
        });
        for (int i = 1; i < orders.size(); i++) {
            assertThat(alerts.get(i)).isEqualTo(alerts.get(0));
            assertThat(reports.get(i)).isEqualTo(reports.get(0));
            assertThat(sessions.get(i)).isEqualTo(sessions.get(0));
        }
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static <T> List<T> alternate(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < b.size()) out.add(b.get(i));
            if (i < a.size()) out.add(a.get(i));
        }
        return out;
    }
}
