package org.attentionanalytics.attention;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.AttentionAlert;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BudgetEntry;
import org.attentionanalytics.avro.internal.DayState;

/**
 * The three alert rules of DESIGN.md section 7 (INFORMATION_OVERLOAD, TAKE_A_BREAK,
 * TIME_BUDGET_EXCEEDED), evaluated at an event time {@code t} in epoch ms, with their cooldown and
 * once-rules, and the way every alert goes out ({@link #raise}, also for {@link FocusAlerts}).
 * Beyond the table there: a budget alert needs engaged ms above 0, and a user whose budget in
 * effect at {@code t} has {@code alerts_enabled} false gets no alert, yet it counts as raised for
 * the cooldown and once-rules ({@link AttentionTracker.Output#optedOut} is told) and not in the
 * day's report. So does an alert beyond the daily cap ({@code --alerts.max-per-day}, section 13;
 * {@link AttentionTracker.Output#capped}).
 */
final class Alerts implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long MINUTE_MS = RollingWindow.MINUTE_MS;

    private final AttentionSettings settings;
    private final LocalDays days;
    private final DailyReports reports;

    Alerts(AttentionSettings settings, LocalDays days, DailyReports reports) {
        this.settings = settings;
        this.days = days;
        this.reports = reports;
    }

    /**
     * After an event at {@code t}: the three rules in the order of the table of section 7.
     *
     * @return the rolling window's values at {@code t}
     */
    RollingWindow.Window afterEvent(
            AttentionState a, String user, long t, String sessionId, AttentionTracker.Output out) {
        RollingWindow.Window w = RollingWindow.metrics(a);
        overload(a, w, user, t, sessionId, out);
        takeABreak(a, user, t, sessionId, out);
        DayState day = days.dayFor(a, t, false);
        if (day != null) {
            budgets(a, user, day, t, sessionId, out);
        }
        return w;
    }

    /** INFORMATION_OVERLOAD: views, skim ratio and topic switches of the window at their thresholds, cooldown over. */
    void overload(AttentionState a, String user, long t, String sessionId, AttentionTracker.Output out) {
        overload(a, RollingWindow.metrics(a), user, t, sessionId, out);
    }

    private void overload(
            AttentionState a,
            RollingWindow.Window w,
            String user,
            long t,
            String sessionId,
            AttentionTracker.Output out) {
        boolean due = w.views() >= settings.overloadViews()
                && w.skimRatio() >= settings.overloadSkimRatio()
                && w.topicSwitches() >= settings.overloadTopicSwitches()
                && (a.getLastOverloadAlert() == Long.MIN_VALUE
                        || t - a.getLastOverloadAlert() >= settings.overloadCooldownMs());
        if (!due) {
            return;
        }
        a.setLastOverloadAlert(t);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("views", (double) w.views());
        metrics.put("views_ended", (double) w.ended());
        metrics.put("skim_ratio", w.skimRatio());
        metrics.put("topic_switches", (double) w.topicSwitches());
        metrics.put("mean_engaged_ms", w.meanEngagedMs());
        Map<String, Double> thresholds = new LinkedHashMap<>();
        thresholds.put("views", (double) settings.overloadViews());
        thresholds.put("skim_ratio", settings.overloadSkimRatio());
        thresholds.put("topic_switches", (double) settings.overloadTopicSwitches());
        thresholds.put("cooldown_ms", (double) settings.overloadCooldownMs());
        String message = String.format(
                Locale.ROOT,
                "%d items in %d minutes, %d%% of them skimmed, switching topics %d times. A pause, or saving items for later, may help.",
                w.views(),
                RollingWindow.MINUTES,
                Math.round(100 * w.skimRatio()),
                w.topicSwitches());
        raise(a, user, AlertType.INFORMATION_OVERLOAD, t, sessionId, null, metrics, thresholds, message, out);
    }

    /** TAKE_A_BREAK: continuous use at its threshold, once per stretch. */
    void takeABreak(AttentionState a, String user, long t, String sessionId, AttentionTracker.Output out) {
        long continuous = ContinuousUse.continuousMs(a);
        if (a.getBreakAlerted() || continuous < settings.breakAfterMs()) {
            return;
        }
        a.setBreakAlerted(true);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("continuous_ms", (double) continuous);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        thresholds.put("continuous_ms", (double) settings.breakAfterMs());
        thresholds.put("break_gap_ms", (double) settings.breakGapMs());
        String message = String.format(
                Locale.ROOT,
                "You have been reading for %d minutes without a break of %d minutes. A short pause away from the screen may help.",
                continuous / MINUTE_MS,
                settings.breakGapMs() / MINUTE_MS);
        raise(a, user, AlertType.TAKE_A_BREAK, t, sessionId, null, metrics, thresholds, message, out);
    }

    /** TIME_BUDGET_EXCEEDED on {@code day} at {@code t}, for each category of the budget in effect at {@code t}. */
    void budgets(AttentionState a, String user, DayState day, long t, String sessionId, AttentionTracker.Output out) {
        BudgetEntry budget = Budgets.inEffect(a, t);
        if (budget == null) {
            return;
        }
        for (int k = 0; k < budget.getCategories().size(); k++) {
            String category = budget.getCategories().get(k);
            int index = a.getCategories().indexOf(category);
            if (index < 0
                    || index >= day.getEngaged().size()
                    || day.getBudgetAlerted().contains(index)) {
                continue;
            }
            long engaged = day.getEngaged().get(index);
            long minutes = budget.getMinutes().get(k);
            if (engaged > 0 && engaged >= minutes * MINUTE_MS) {
                day.getBudgetAlerted().add(index);
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("engaged_minutes", engaged / (double) MINUTE_MS);
                Map<String, Double> thresholds = new LinkedHashMap<>();
                thresholds.put("budget_minutes", (double) minutes);
                String message = String.format(
                        Locale.ROOT,
                        "You have spent %d minutes on %s today; your daily budget for it is %d minutes.",
                        engaged / MINUTE_MS,
                        category,
                        minutes);
                raise(
                        a,
                        user,
                        AlertType.TIME_BUDGET_EXCEEDED,
                        t,
                        sessionId,
                        category,
                        metrics,
                        thresholds,
                        message,
                        out);
            }
        }
    }

    /** Sends an alert unless the user opted out or the day's cap is reached; counts it on its day. */
    void raise(
            AttentionState a,
            String user,
            AlertType type,
            long t,
            String sessionId,
            String category,
            Map<String, Double> metrics,
            Map<String, Double> thresholds,
            String message,
            AttentionTracker.Output out) {
        BudgetEntry budget = Budgets.inEffect(a, t);
        if (budget != null && !budget.getAlertsEnabled()) {
            out.optedOut(type);
            return;
        }
        DayState day = days.dayFor(a, t, false);
        if (settings.maxAlertsPerDay() > 0 && day != null) {
            if (day.getAlertsSent() >= settings.maxAlertsPerDay()) {
                out.capped(type);
                return;
            }
            day.setAlertsSent(day.getAlertsSent() + 1);
        }
        reports.alertRaised(a, type, t);
        out.alert(AttentionAlert.newBuilder()
                .setAlertId(alertId(user, type, t, category))
                .setUser(user)
                .setType(type)
                .setEventTime(Instant.ofEpochMilli(t))
                .setSessionId(sessionId)
                .setMetrics(metrics)
                .setThresholds(thresholds)
                .setMessage(message)
                .setCategory(category)
                .build());
    }

    /**
     * @return hex of the first 16 bytes of SHA-256 of {@code pseudonym|TYPE|t|category} ({@code
     *     category} empty for types without one): no clock, no randomness, so a replay or a recovery
     *     computes the same id
     */
    static String alertId(String user, AlertType type, long t, String category) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((user + "|" + type.name() + "|" + t + "|" + (category == null ? "" : category))
                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
