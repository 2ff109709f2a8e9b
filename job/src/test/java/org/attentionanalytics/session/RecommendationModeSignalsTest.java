package org.attentionanalytics.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.budget;
import static org.attentionanalytics.testutil.Events.dwell;
import static org.attentionanalytics.testutil.Events.minutes;
import static org.attentionanalytics.testutil.Events.view;

import java.util.List;
import java.util.Map;
import org.attentionanalytics.attention.AttentionSettings;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.internal.ItemSignal;
import org.attentionanalytics.avro.internal.ItemSignalKind;
import org.attentionanalytics.testutil.SessionHarness;
import org.junit.jupiter.api.Test;

/** The per-user operator's MODE signals (DESIGN.md section 12): sent when a user's recommendation mode changes. */
class RecommendationModeSignalsTest {
    static final String U = "u1";

    static SessionHarness harness(int overloadViews, int overloadSwitches, long breakAfterMs) throws Exception {
        AttentionSettings d = AttentionSettings.defaults(minutes(30), minutes(5));
        AttentionSettings s = new AttentionSettings(
                overloadViews,
                0.99,
                overloadSwitches,
                minutes(30),
                breakAfterMs,
                minutes(5),
                d.viewSettleMs(),
                0L,
                "UTC",
                d.gapMs(),
                d.latenessMs(),
                d.rules(),
                d.distractionAfterMs(),
                d.maxAlertsPerDay());
        return new SessionHarness(new UserActivityFunction(
                        SessionRules.defaults(minutes(30), minutes(12 * 60), minutes(5)),
                        minutes(60),
                        minutes(7 * 24 * 60),
                        s)
                .withItemSignals(true));
    }

    static List<ItemSignal> modes(SessionHarness h) {
        return h.itemSignals().stream()
                .filter(s -> s.getKind() == ItemSignalKind.MODE)
                .toList();
    }

    /**
     * Thresholds 3 views and 2 topic switches in the 10-minute window (skim ratio 0.99, not reached).
     * Views of news (0 s), sport (5 s), science (10 s): at the third, 3 views and 2 switches, two of
     * three measures: FOCUSED, with the top topics (equal weights, so by name). A science view 11
     * minutes later has the window to itself (1 view, no switch): NORMAL.
     */
    @Test
    void focusedAtTwoOverloadMeasuresNormalWhenTheWindowHasMovedOn() throws Exception {
        try (SessionHarness h = harness(3, 2, minutes(50))) {
            h.send(
                    view(U, "a", T0, "news"),
                    view(U, "b", T0 + 5_000, "sport"),
                    view(U, "c", T0 + 10_000, "science"),
                    view(U, "d", T0 + minutes(11), "science"));
            h.watermark(T0 + minutes(12));
            List<ItemSignal> modes = modes(h);
            assertThat(modes).extracting(ItemSignal::getMode).containsExactly("FOCUSED", "NORMAL");
            assertThat(modes).extracting(ItemSignal::getTime).containsExactly(T0 + 10_000, T0 + minutes(11));
            assertThat(modes.get(0).getTopTopics()).hasSize(3).contains("news", "sport", "science");
            assertThat(modes.get(1).getTopTopics())
                    .as("only FOCUSED needs them")
                    .isEmpty();
            assertThat(h.state(U).getAttention().getRecsMode()).isEqualTo("NORMAL");
        }
    }

    /**
     * While FOCUSED, a change of the top 3 topics is told too: views of news, sport, science (FOCUSED
     * at the third), then tech, food, arts, tech, food, arts within the window (still FOCUSED: 9
     * views, 8 switches). With equal weights ties go by name; as new topics gain weight the top 3
     * change and each change is a MODE FOCUSED with them. The last one holds arts, food and tech.
     */
    @Test
    void focusedTellsNewTopTopics() throws Exception {
        try (SessionHarness h = harness(3, 2, minutes(50))) {
            String[] topics = {"news", "sport", "science", "tech", "food", "arts", "tech", "food", "arts"};
            for (int i = 0; i < topics.length; i++) {
                h.send(view(U, "i" + i, T0 + 5_000L * i, topics[i]));
            }
            h.watermark(T0 + minutes(2));
            List<ItemSignal> modes = modes(h);
            assertThat(modes)
                    .extracting(ItemSignal::getMode)
                    .containsOnly("FOCUSED")
                    .hasSizeGreaterThan(1);
            assertThat(modes.get(0).getTopTopics()).containsExactlyInAnyOrder("news", "sport", "science");
            assertThat(modes.get(modes.size() - 1).getTopTopics()).containsExactlyInAnyOrder("arts", "food", "tech");
            for (int i = 1; i < modes.size(); i++) {
                assertThat(modes.get(i).getTopTopics())
                        .as("told only when they change")
                        .isNotEqualTo(modes.get(i - 1).getTopTopics());
            }
        }
    }

    /**
     * TAKE_A_BREAK after 20 minutes of continuous reading (a view, then a minute of dwell every
     * minute): QUIET at the alert's event; after a 6-minute gap (more than the 5-minute break) the
     * next view starts a new stretch: NORMAL.
     */
    @Test
    void quietFromTheBreakAlertUntilTheNextBreak() throws Exception {
        try (SessionHarness h = harness(1000, 1000, minutes(20))) {
            h.send(view(U, "a", T0, "news"));
            for (int m = 1; m <= 22; m++) {
                h.send(dwell(U, "a", 60_000, T0 + minutes(m)));
            }
            h.send(view(U, "b", T0 + minutes(28), "news"));
            h.watermark(T0 + minutes(29));
            List<AttentionAlert> breaks = h.alerts().stream()
                    .filter(a -> a.getType() == AlertType.TAKE_A_BREAK)
                    .toList();
            assertThat(breaks).hasSize(1);
            List<ItemSignal> modes = modes(h);
            assertThat(modes).extracting(ItemSignal::getMode).containsExactly("QUIET", "NORMAL");
            assertThat(modes.get(0).getTime())
                    .isEqualTo(breaks.get(0).getEventTime().toEpochMilli());
            assertThat(modes.get(1).getTime()).isEqualTo(T0 + minutes(28));
        }
    }

    /**
     * A 10-minute daily budget for politics (default zone UTC; no overload or break in reach): views
     * of news.politics every 2 minutes from 09:00, each read 100 s, reach 10 minutes of politics at
     * the 6th dwell, 09:11:40 (the TIME_BUDGET_EXCEEDED alert's time): a MODE NORMAL with politics
     * spent then. The first view of the next local day (09:00 the day after) has nothing spent: a
     * MODE NORMAL with none.
     */
    @Test
    void spentBudgetCategoriesAreToldUntilTheDayEnds() throws Exception {
        try (SessionHarness h = harness(1000, 1000, minutes(500))) {
            h.send(budget(U, T0 - minutes(60), null, true, Map.of("politics", 10L)));
            for (int k = 0; k < 10; k++) {
                long v = T0 + minutes(2L * k);
                h.send(view(U, "p" + k, v, "news.politics"), dwell(U, "p" + k, 100_000, v + 100_000));
            }
            h.send(view(U, "next-day", T0 + minutes(24 * 60), "news.politics"));
            h.watermark(T0 + minutes(24 * 60 + 1));
            long exceeded = T0 + minutes(11) + 40_000;
            assertThat(h.alerts())
                    .filteredOn(a -> a.getType() == AlertType.TIME_BUDGET_EXCEEDED)
                    .extracting(a -> a.getEventTime().toEpochMilli())
                    .containsExactly(exceeded);
            List<ItemSignal> modes = modes(h);
            assertThat(modes).extracting(ItemSignal::getTime).containsExactly(exceeded, T0 + minutes(24 * 60));
            assertThat(modes).extracting(ItemSignal::getMode).containsOnly("NORMAL");
            assertThat(modes.get(0).getSpentCategories()).containsExactly("politics");
            assertThat(modes.get(1).getSpentCategories()).isEmpty();
        }
    }

    /**
     * When a session closes (its end 09:01:00 + the 30-minute gap), each of its views with an item
     * goes out as ENGAGED with its engaged time: a read 40 s (its dwell), b 0 (no dwell).
     */
    @Test
    void aClosedSessionsViewsTellTheirEngagedTimes() throws Exception {
        try (SessionHarness h = harness(1000, 1000, minutes(500))) {
            h.send(view(U, "a", T0, "news"), dwell(U, "a", 40_000, T0 + 40_000), view(U, "b", T0 + minutes(1), "news"));
            h.watermark(T0 + minutes(40));
            List<ItemSignal> engaged = h.itemSignals().stream()
                    .filter(s -> s.getKind() == ItemSignalKind.ENGAGED)
                    .toList();
            assertThat(engaged).extracting(ItemSignal::getItemId).containsExactly("a", "b");
            assertThat(engaged).extracting(ItemSignal::getEngagedMs).containsExactly(40_000L, 0L);
            assertThat(engaged).extracting(ItemSignal::getTime).containsOnly(T0 + minutes(31));
        }
    }

    @Test
    void noModeSignalsWithoutRecommendations() throws Exception {
        try (SessionHarness h = SessionHarness.defaults()) {
            h.send(view(U, "a", T0, "news"), view(U, "b", T0 + 1, "sport"));
            h.watermark(T0 + minutes(1));
            assertThat(h.itemSignals()).isEmpty();
        }
    }
}
