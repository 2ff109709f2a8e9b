package org.attentionanalytics.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.attentionanalytics.attention.AttentionFixtures.session;
import static org.attentionanalytics.attention.AttentionFixtures.state;
import static org.attentionanalytics.attention.AttentionFixtures.view;
import static org.attentionanalytics.testutil.Events.T0;
import static org.attentionanalytics.testutil.Events.at;
import static org.attentionanalytics.testutil.Events.budget;
import static org.attentionanalytics.testutil.Events.minutes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.DayState;
import org.junit.jupiter.api.Test;

/**
 * {@link Alerts} without Flink, with small thresholds: overload at 3 views, skim ratio 0.5 and 1
 * topic switch (cooldown 10 min), a break due after 20 min of continuous use (break gap 5 min).
 */
class AlertsTest {
    private static final String U = "u1";

    private final AttentionSettings settings;
    private final LocalDays days;
    private final Alerts alerts;
    private final AttentionFixtures.Recorded out = new AttentionFixtures.Recorded();

    AlertsTest() {
        AttentionSettings d = AttentionSettings.defaults(minutes(30), minutes(5));
        settings = new AttentionSettings(
                3,
                0.5,
                1,
                minutes(10),
                minutes(20),
                minutes(5),
                30_000L,
                0L,
                "UTC",
                d.gapMs(),
                d.latenessMs(),
                d.rules(),
                d.distractionAfterMs(),
                d.maxAlertsPerDay());
        days = new LocalDays(settings);
        alerts = new Alerts(settings, days, new DailyReports(settings, days));
    }

    /** Three views of three topics at 0:00, 0:10, 0:20, none read; the first two settled at 0:50. */
    private AttentionState overloaded() {
        AttentionState a = state();
        RollingWindow window = new RollingWindow(settings);
        String[] topics = {"news.a", "news.b", "news.c"};
        for (int k = 0; k < 3; k++) {
            RollingWindow.advance(a, at(0, 10 * k));
            window.viewStarted(a, at(0, 10 * k), topics[k]);
        }
        RollingWindow.advance(a, at(0, 50));
        window.classifySettled(
                a,
                session("s", at(0, 0), at(0, 20), false, view(at(0, 0), 0), view(at(0, 10), 0), view(at(0, 20), 0)),
                at(0, 50));
        return a;
    }

    @Test
    void overloadFiresAtItsThresholdsAndNotAgainWithinTheCooldown() {
        AttentionState a = overloaded();
        alerts.overload(a, U, at(0, 50), "s", out);
        AttentionAlert alert = out.alerts.get(0);
        assertThat(alert.getType()).isEqualTo(AlertType.INFORMATION_OVERLOAD);
        assertThat(alert.getEventTime()).isEqualTo(Instant.ofEpochMilli(at(0, 50)));
        assertThat(alert.getSessionId()).isEqualTo("s");
        assertThat(alert.getCategory()).isNull();
        // 3 views started; 2 ended (0:10 + 30 s and 0:20 + 30 s <= 0:50), both skims: 2 / 2; a -> b -> c: 2 switches
        assertThat(alert.getMetrics())
                .containsExactly(
                        Map.entry("views", 3.0),
                        Map.entry("views_ended", 2.0),
                        Map.entry("skim_ratio", 1.0),
                        Map.entry("topic_switches", 2.0),
                        Map.entry("mean_engaged_ms", 0.0));
        assertThat(alert.getThresholds())
                .containsExactly(
                        Map.entry("views", 3.0),
                        Map.entry("skim_ratio", 0.5),
                        Map.entry("topic_switches", 1.0),
                        Map.entry("cooldown_ms", 600_000.0));
        assertThat(alert.getMessage())
                .isEqualTo(
                        "3 items in 10 minutes, 100% of them skimmed, switching topics 2 times. A pause, or saving items for later, may help.");

        alerts.overload(a, U, at(10, 49), "s", out);
        // 10:49 - 0:50 < 10 min: within the cooldown
        assertThat(out.alerts).hasSize(1);
        alerts.overload(a, U, at(10, 50), "s", out);
        // 10:50 - 0:50 = 10 min: the cooldown is over
        assertThat(out.alerts).hasSize(2);
    }

    @Test
    void takeABreakFiresOncePerStretch() {
        AttentionState a = state();
        a.setStretchStart(at(0, 0));
        a.setStretchEnd(at(19, 59));
        alerts.takeABreak(a, U, at(19, 59), null, out);
        // 19:59 of continuous use < 20 min
        assertThat(out.alerts).isEmpty();

        a.setStretchEnd(at(20, 0));
        alerts.takeABreak(a, U, at(20, 0), null, out);
        a.setStretchEnd(at(25, 0));
        alerts.takeABreak(a, U, at(25, 0), null, out);
        // 20 min reached at 20:00; at 25:00 the stretch has had its alert
        AttentionAlert alert = out.alerts.get(0);
        assertThat(out.alerts).hasSize(1);
        assertThat(alert.getMetrics()).containsExactly(Map.entry("continuous_ms", 1_200_000.0));
        assertThat(alert.getThresholds())
                .containsExactly(Map.entry("continuous_ms", 1_200_000.0), Map.entry("break_gap_ms", 300_000.0));
        assertThat(alert.getMessage())
                .isEqualTo("You have been reading for 20 minutes without a break of 5 minutes. "
                        + "A short pause away from the screen may help.");
    }

    @Test
    void aBudgetFiresOncePerCategoryAndDayWhenEngagedTimeReachesIt() {
        AttentionState a = state();
        a.getCategories().addAll(List.of("politics", "sports"));
        DayState day = days.dayFor(a, T0, true);
        day.getEngaged().addAll(List.of(minutes(10), 0L));
        Budgets.add(a, budget(U, T0 - minutes(60), null, true, Map.of("politics", 10L, "sports", 0L, "news", 1L)));

        alerts.budgets(a, U, day, T0, "s", out);
        alerts.budgets(a, U, day, T0 + 1, "s", out);
        // politics: 10 min >= 10 min, once; sports: 0 ms is never over; news: not on the day
        AttentionAlert alert = out.alerts.get(0);
        assertThat(out.alerts).hasSize(1);
        assertThat(alert.getCategory()).isEqualTo("politics");
        assertThat(alert.getMetrics()).containsExactly(Map.entry("engaged_minutes", 10.0));
        assertThat(alert.getThresholds()).containsExactly(Map.entry("budget_minutes", 10.0));
        assertThat(alert.getMessage())
                .isEqualTo("You have spent 10 minutes on politics today; your daily budget for it is 10 minutes.");
        // politics has index 0 in the user's categories
        assertThat(day.getBudgetAlerted()).containsExactly(0);
        // TIME_BUDGET_EXCEEDED is the third AlertType: counted on the day
        assertThat(day.getAlerts()).containsExactly(0, 0, 1, 0, 0, 0); // by AlertType ordinal
    }

    @Test
    void anOptedOutUserGetsNoAlertYetItCountsAsRaisedAndNotOnTheDay() {
        AttentionState a = state();
        DayState day = days.dayFor(a, at(20, 0), true);
        Budgets.add(a, budget(U, T0, null, false, Map.of()));
        a.setStretchStart(at(0, 0));
        a.setStretchEnd(at(20, 0));

        alerts.afterEvent(a, U, at(20, 0), null, out);
        // the budget in effect at 20:00 (from 0:00) has alerts_enabled false
        assertThat(out.alerts).isEmpty();
        assertThat(out.optedOut).containsExactly(AlertType.TAKE_A_BREAK);
        // raised for the once-per-stretch rule, not counted in the report
        assertThat(a.getBreakAlerted()).isTrue();
        assertThat(day.getAlerts()).isEmpty();
    }

    @Test
    void theAlertIdIsTheFirstSixteenBytesOfTheSha256OfUserTypeTimeAndCategory() {
        // printf 'u1|TIME_BUDGET_EXCEEDED|0|politics' | sha256sum | cut -c1-32
        assertThat(Alerts.alertId(U, AlertType.TIME_BUDGET_EXCEEDED, 0, "politics"))
                .isEqualTo("eaa31a4ff85a550b78d8c3a8ba450089");
        // printf 'u1|TAKE_A_BREAK|0|' | sha256sum | cut -c1-32 (no category: empty)
        assertThat(Alerts.alertId(U, AlertType.TAKE_A_BREAK, 0, null)).isEqualTo("8504d040f5cc205db16833d38189ced9");
    }
}
