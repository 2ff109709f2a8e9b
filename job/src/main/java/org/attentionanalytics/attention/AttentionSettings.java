package org.attentionanalytics.attention;

import java.io.Serializable;
import java.time.Duration;

/**
 * The options of the attention metrics, alerts and daily reports (DESIGN.md sections 5, 7 and 8),
 * resolved from the job options once when the job is built (job.AttentionOptions): thresholds, cooldowns, the category
 * rules, the default zone, and the session timings the report deadline needs. Immutable.
 *
 * @param overloadViews INFORMATION_OVERLOAD: views started in the window, at least (default 30)
 * @param overloadSkimRatio and skims / views ended in the window, at least (default 0.6)
 * @param overloadTopicSwitches and topic switches in the window, at least (default 10)
 * @param overloadCooldownMs at most one INFORMATION_OVERLOAD per this much event time, ms (30 min)
 * @param breakAfterMs TAKE_A_BREAK when continuous use reaches this, ms (50 min)
 * @param breakGapMs an uncovered stretch this long is a break, ms (5 min)
 * @param viewSettleMs a view is classified once an event this much after its end is applied, ms
 *     (default: the out-of-orderness bound, 30 s)
 * @param maxAgeMs alerts further behind the processing clock are counted, not sent, ms; 0: off
 * @param defaultZone IANA id of the zone of users without budget zone and event zone (UTC)
 * @param gapMs the inactivity gap, ms: a day's report waits for end of day + gap + lateness
 * @param latenessMs the allowed lateness, ms
 * @param rules the topic -> category rules
 * @param distractionAfterMs DISTRACTED_IN_FOCUS_BLOCK when distraction-class engaged time in a
 *     focus block reaches this, ms (5 min; DESIGN.md section 13)
 * @param maxAlertsPerDay alerts sent to a user per local day at most; 0: no cap (default 10)
 */
public record AttentionSettings(
        int overloadViews,
        double overloadSkimRatio,
        int overloadTopicSwitches,
        long overloadCooldownMs,
        long breakAfterMs,
        long breakGapMs,
        long viewSettleMs,
        long maxAgeMs,
        String defaultZone,
        long gapMs,
        long latenessMs,
        CategoryRules rules,
        long distractionAfterMs,
        int maxAlertsPerDay)
        implements Serializable {

    /** A view with engaged time below this is a skim (DESIGN.md section 7; Lagun and Lalmas' 10 s). */
    public static final long SKIM_BELOW_MS = 10_000L;
    /** A view with at least this much engaged time is focused (30 s "satisfied click", Kim et al., WSDM 2014). */
    public static final long FOCUSED_FROM_MS = 30_000L;

    /**
     * The settings of the job's option defaults with the given session timings; {@code
     * AttentionOptionsTest} checks they equal what {@code JobOptions.defaults()} resolves to.
     */
    public static AttentionSettings defaults(long gapMs, long latenessMs) {
        return new AttentionSettings(
                30,
                0.6,
                10,
                Duration.ofMinutes(30).toMillis(),
                Duration.ofMinutes(50).toMillis(),
                Duration.ofMinutes(5).toMillis(),
                Duration.ofSeconds(30).toMillis(),
                Duration.ofHours(1).toMillis(),
                "UTC",
                gapMs,
                latenessMs,
                CategoryRules.defaults(),
                Duration.ofMinutes(5).toMillis(),
                10);
    }

    /** @return these settings with another max age (ms; 0: off) */
    public AttentionSettings withMaxAgeMs(long ms) {
        return new AttentionSettings(
                overloadViews,
                overloadSkimRatio,
                overloadTopicSwitches,
                overloadCooldownMs,
                breakAfterMs,
                breakGapMs,
                viewSettleMs,
                ms,
                defaultZone,
                gapMs,
                latenessMs,
                rules,
                distractionAfterMs,
                maxAlertsPerDay);
    }
}
