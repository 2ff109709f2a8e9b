package org.attentionanalytics.attention;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.attentionanalytics.avro.AlertType;
import org.attentionanalytics.avro.internal.AttentionState;
import org.attentionanalytics.avro.internal.BlockOccurrence;

/**
 * The alerts of DESIGN.md section 13, built here and sent through {@link Alerts#raise} (opt-out,
 * daily cap, the day's report): DISTRACTED_IN_FOCUS_BLOCK, POMODORO_BREAK and UNUSUAL_USAGE. The
 * callers decide when each is due; this class only words them. Times are epoch ms.
 */
final class FocusAlerts implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final long MINUTE_MS = 60_000L;

    private final AttentionSettings settings;
    private final Alerts alerts;

    FocusAlerts(AttentionSettings settings, Alerts alerts) {
        this.settings = settings;
        this.alerts = alerts;
    }

    /** @return whole minutes in words: "1 minute", "12 minutes" */
    static String minutes(long ms) {
        long m = ms / MINUTE_MS;
        return m + (m == 1 ? " minute" : " minutes");
    }

    /** Distraction-class engaged time in occurrence {@code o} reached the threshold at {@code t}, {@code category} tipping it. */
    void distracted(
            AttentionState a,
            String user,
            BlockOccurrence o,
            String category,
            long t,
            String sessionId,
            AttentionTracker.Output out) {
        long ms = o.getClassMs().get(CategoryClass.DISTRACTION.ordinal());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("distraction_ms", (double) ms);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        thresholds.put("distraction_ms", (double) settings.distractionAfterMs());
        String message = String.format(
                Locale.ROOT, "%s of %s in your focus block %s. Back to it?", minutes(ms), category, o.getName());
        alerts.raise(
                a,
                user,
                AlertType.DISTRACTED_IN_FOCUS_BLOCK,
                t,
                sessionId,
                category,
                metrics,
                thresholds,
                message,
                out);
    }

    /** Work period {@code o.cycle} of occurrence {@code o} is done at {@code t}: a break of {@code breakMs}. */
    void pomodoro(
            AttentionState a,
            String user,
            BlockOccurrence o,
            long breakMs,
            long t,
            String sessionId,
            AttentionTracker.Output out) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("cycle", (double) o.getCycle());
        Map<String, Double> thresholds = new LinkedHashMap<>();
        thresholds.put("work_ms", (double) o.getSpec().getWorkMs());
        thresholds.put("break_ms", (double) breakMs);
        thresholds.put("cycles", (double) o.getSpec().getCycles());
        boolean longBreak = o.getCycle() % o.getSpec().getCycles() == 0;
        String message = String.format(
                Locale.ROOT,
                "Pomodoro %d of %s done: take a %s break of %s.",
                o.getCycle(),
                o.getName(),
                longBreak ? "long" : "short",
                minutes(breakMs));
        alerts.raise(a, user, AlertType.POMODORO_BREAK, t, sessionId, null, metrics, thresholds, message, out);
    }

    /** Engaged time in {@code category} today reached the user's own threshold at {@code t}. */
    void unusual(
            AttentionState a,
            String user,
            String category,
            long engagedMs,
            UsageBaseline.Threshold threshold,
            long t,
            String sessionId,
            AttentionTracker.Output out) {
        long thresholdMs = threshold.ms();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("engaged_ms", (double) engagedMs);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        thresholds.put("engaged_ms", (double) thresholdMs);
        thresholds.put("percentile", (double) UsageBaseline.PERCENTILE);
        thresholds.put("days", (double) threshold.days());
        String message = String.format(
                Locale.ROOT,
                "%s on %s today: more than on 9 in 10 of your last %d days with activity (%s).",
                minutes(engagedMs),
                category,
                threshold.days(),
                minutes(thresholdMs));
        alerts.raise(a, user, AlertType.UNUSUAL_USAGE, t, sessionId, category, metrics, thresholds, message, out);
    }
}
